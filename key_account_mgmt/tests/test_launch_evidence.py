"""Qualification criterion 6 (new products on our shelves first) from real submitted Purchase Orders,
Purchase Receipts and Sales Invoices, against figures worked out by hand. The period is the twelve
months to 30 June 2026, passed to the job as its day, so the figures do not move with the clock."""

import json

import frappe
from freezegun import freeze_time

from key_account_mgmt.account_file.launch_evidence import refresh_launch_criterion
from key_account_mgmt.account_file.qualification import evidence_text
from key_account_mgmt.key_account_management.doctype.key_account.key_account import refresh_qualification
from key_account_mgmt.setup.company import ensure_calendar_fiscal_years
from key_account_mgmt.tests.factories import (
	ItemFactory,
	KeyAccountFactory,
	PurchaseOrderFactory,
	PurchaseReceiptFactory,
	SalesInvoiceFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase

TODAY = "2026-06-30"


def sell(item, on, submit=True):
	return SalesInvoiceFactory(item=item, posting_date=on, submit=submit)


class TestNewProductsFirst(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		ensure_calendar_fiscal_years(2025, 2026)
		group = frappe.get_doc(
			{
				"doctype": "Item Group",
				"item_group_name": f"Kitchen {frappe.generate_hash(length=6)}",
				"parent_item_group": "All Item Groups",
			}
		).insert()

		def item():
			return ItemFactory(item_group=group.name, is_stock_item=1).name

		self.brand, self.slow, self.other = (SupplierFactory().name for _ in range(3))
		self.good_account = KeyAccountFactory(supplier_names=[self.brand]).name
		self.slow_account = KeyAccountFactory(supplier_names=[self.slow]).name
		self.idle_account = KeyAccountFactory(supplier_names=[SupplierFactory().name]).name

		# The brand's three new items: first ordered 1 March, 1 April and 1 May; received 5, 10 and 3
		# days later; the first two first sold 10 and 20 days after their order, the third not yet
		# (only a draft invoice).
		self.a1, self.a2, self.a3 = item(), item(), item()
		for code, ordered_on, received_on, sold_on in (
			(self.a1, "2026-03-01", "2026-03-06", "2026-03-11"),
			(self.a2, "2026-04-01", "2026-04-11", "2026-04-21"),
			(self.a3, "2026-05-01", "2026-05-04", None),
		):
			PurchaseReceiptFactory(
				purchase_order=PurchaseOrderFactory(
					supplier=self.brand, item=code, transaction_date=ordered_on
				),
				posting_date=received_on,
			)
			if sold_on:
				sell(code, sold_on)
		sell(self.a3, "2026-05-10", submit=False)
		# An item of the brand first ordered before the period is not new, whatever it did since.
		old = item()
		PurchaseOrderFactory(supplier=self.brand, item=old, transaction_date="2025-05-01")
		PurchaseReceiptFactory(
			purchase_order=PurchaseOrderFactory(supplier=self.brand, item=old, transaction_date="2026-03-01"),
			posting_date="2026-03-02",
		)
		sell(old, "2026-03-03")
		# The slow supplier's new item: ordered 1 March, received 10 days later, first sold after 60.
		self.s1 = item()
		PurchaseReceiptFactory(
			purchase_order=PurchaseOrderFactory(
				supplier=self.slow, item=self.s1, transaction_date="2026-03-01"
			),
			posting_date="2026-03-11",
		)
		sell(self.s1, "2026-04-30")
		# A supplier in no account: two new items ordered 1 February, received after 4 and 10 days,
		# first sold after 20 and 30.
		for received_on, sold_on in (("2026-02-05", "2026-02-21"), ("2026-02-11", "2026-03-03")):
			code = item()
			PurchaseReceiptFactory(
				purchase_order=PurchaseOrderFactory(
					supplier=self.other, item=code, transaction_date="2026-02-01"
				),
				posting_date=received_on,
			)
			sell(code, sold_on)

	def evidence(self, account) -> tuple[int, dict]:
		measured, figures = frappe.db.get_value(
			"Key Account",
			account,
			["criterion_first_launch_measured", "criterion_first_launch_figures"],
		)
		return measured, json.loads(figures)

	def figures(self, evidence: dict) -> tuple:
		return tuple(
			evidence[key]
			for key in (
				"new_items",
				"received_items",
				"median_days_to_receipt",
				"sold_items",
				"median_days_to_sale",
				"peer_new_items",
				"peer_median_days_to_receipt",
				"peer_median_days_to_sale",
			)
		)

	def test_new_items_days_to_receipt_and_first_sale_against_the_peers(self):
		self.assertEqual(refresh_launch_criterion(today=TODAY), [])

		measured, good = self.evidence(self.good_account)
		# own: 3 new items; receipts after 5, 10, 3 days -> median 5; sold 2: 10, 20 -> median 15
		# peers (the slow supplier's and the outsider's): receipts 10, 4, 10 -> 10; sales 60, 20, 30 -> 30
		self.assertEqual((measured, *self.figures(good)), (1, 3, 3, 5.0, 2, 15.0, 3, 10.0, 30.0))
		self.assertEqual(good["items"], sorted([self.a1, self.a2, self.a3]))
		self.assertEqual((good["from"], good["to"], good["min_new_items"]), ("2025-07-01", TODAY, 1))

		measured, slow = self.evidence(self.slow_account)
		# own: 1 item, 10 and 60 days; peers: the brand's three and the outsider's two:
		# receipts 5, 10, 3, 4, 10 -> 5; sales 10, 20, 20, 30 -> 20
		self.assertEqual((measured, *self.figures(slow)), (0, 1, 1, 10.0, 1, 60.0, 5, 5.0, 20.0))

		measured, idle = self.evidence(self.idle_account)
		self.assertEqual((measured, idle["new_items"], idle["median_days_to_sale"]), (0, 0, None))

	def test_the_minimum_of_new_items_is_a_setting(self):
		settings = frappe.get_single("Key Account Settings")
		settings.first_launch_min_new_items = 4
		settings.save()
		refresh_launch_criterion([self.good_account], today=TODAY)
		measured, good = self.evidence(self.good_account)
		# faster than its peers, but three new items are fewer than four
		self.assertEqual((measured, good["new_items"], good["min_new_items"]), (0, 3, 4))

	def test_the_figures_are_the_job_s_alone_and_read_in_the_reader_s_language(self):
		refresh_launch_criterion(today=TODAY)
		frappe.set_user(UserFactory(roles_held=["Key Account Manager"]).name)
		account = frappe.get_doc("Key Account", self.slow_account)
		account.criterion_first_launch_measured = 1
		account.criterion_first_launch_figures = '{"kind": "first_launch", "new_items": 9}'
		account.save()
		frappe.set_user("Administrator")
		measured, slow = self.evidence(self.slow_account)
		self.assertEqual((measured, slow["new_items"]), (0, 1))

		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)
		account = frappe.get_doc("Key Account", self.good_account)
		account.run_method("onload")
		text = account.get_onload()["evidence"]["criterion_first_launch_figures"]
		self.assertIn("3 new items first ordered", text)
		self.assertIn("3 received, median 5.0 days after the first order; 2 sold, median 15.0 days", text)
		self.assertIn("(3): median 10.0 days to receipt, 30.0 days to first sale", text)
		self.assertIn("at least 1 new items", text)
		frappe.local.lang = "zh"
		self.assertIn("首次销售", evidence_text(account.criterion_first_launch_figures))

	def test_the_refresh_button_measures_criterion_6_of_its_account_only(self):
		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)
		with freeze_time(TODAY):
			refresh_qualification(self.good_account)
		frappe.set_user("Administrator")
		measured, good = self.evidence(self.good_account)
		self.assertEqual((measured, good["to"], good["median_days_to_sale"]), (1, TODAY, 15.0))
		self.assertIsNone(
			frappe.db.get_value("Key Account", self.slow_account, "criterion_first_launch_figures")
		)
