"""Qualification criterion 5 (priority in supply) from real submitted Purchase Orders and Purchase
Receipts, against figures worked out by hand. The period is the twelve months to 30 June 2026,
passed to the job as its day, so the figures do not move with the clock."""

import json

import frappe
from freezegun import freeze_time

from key_account_mgmt.account_file.qualification import evidence_text
from key_account_mgmt.account_file.supply_evidence import refresh_supply_criterion
from key_account_mgmt.key_account_management.doctype.key_account.key_account import refresh_qualification
from key_account_mgmt.setup.company import ensure_calendar_fiscal_years
from key_account_mgmt.tests.factories import (
	ItemFactory,
	KeyAccountFactory,
	PurchaseOrderFactory,
	PurchaseReceiptFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase

TODAY = "2026-06-30"


class TestSupplyPriority(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		ensure_calendar_fiscal_years(2025, 2026)
		group = frappe.get_doc(
			{
				"doctype": "Item Group",
				"item_group_name": f"Appliances {frappe.generate_hash(length=6)}",
				"parent_item_group": "All Item Groups",
			}
		).insert()
		self.item = ItemFactory(item_group=group.name, is_stock_item=1).name
		self.late, self.prompt, self.peer = (SupplierFactory().name for _ in range(3))
		self.slow_account = KeyAccountFactory(supplier_names=[self.late]).name
		self.good_account = KeyAccountFactory(supplier_names=[self.prompt]).name
		self.idle_account = KeyAccountFactory(supplier_names=[SupplierFactory().name]).name

		# The late supplier: 100 due 11 March, ordered 1 March; 60 came on the 10th (9 days), 40 on
		# the 15th (14 days, late). 100 due 10 April, ordered 1 April; 90 came on the 8th (7 days).
		first = PurchaseOrderFactory(
			supplier=self.late,
			item=self.item,
			qty=100,
			transaction_date="2026-03-01",
			schedule_date="2026-03-11",
		)
		PurchaseReceiptFactory(purchase_order=first, qty=60, posting_date="2026-03-10")
		PurchaseReceiptFactory(purchase_order=first, qty=40, posting_date="2026-03-15")
		second = PurchaseOrderFactory(
			supplier=self.late,
			item=self.item,
			qty=100,
			transaction_date="2026-04-01",
			schedule_date="2026-04-10",
		)
		PurchaseReceiptFactory(purchase_order=second, qty=90, posting_date="2026-04-08")
		# a draft receipt and a line due before the period count for nothing
		PurchaseReceiptFactory(purchase_order=second, qty=10, posting_date="2026-04-09", submit=False)
		PurchaseOrderFactory(
			supplier=self.late,
			item=self.item,
			qty=500,
			transaction_date="2025-05-01",
			schedule_date="2025-06-01",
		)
		# The prompt supplier: 10 due 10 May, ordered 1 May, all came on the 6th (5 days).
		PurchaseReceiptFactory(
			purchase_order=PurchaseOrderFactory(
				supplier=self.prompt,
				item=self.item,
				qty=10,
				transaction_date="2026-05-01",
				schedule_date="2026-05-10",
			),
			qty=10,
			posting_date="2026-05-06",
		)
		# A supplier in no account: 50 due 5 March, ordered 1 March, all came that day (4 days).
		PurchaseReceiptFactory(
			purchase_order=PurchaseOrderFactory(
				supplier=self.peer,
				item=self.item,
				qty=50,
				transaction_date="2026-03-01",
				schedule_date="2026-03-05",
			),
			qty=50,
			posting_date="2026-03-05",
		)

	def evidence(self, account) -> tuple[int, dict]:
		measured, figures = frappe.db.get_value(
			"Key Account",
			account,
			["criterion_supply_priority_measured", "criterion_supply_priority_figures"],
		)
		return measured, json.loads(figures)

	def test_fill_rate_on_time_rate_and_lead_time_against_the_peers(self):
		self.assertEqual(refresh_supply_criterion(today=TODAY), [])

		measured, slow = self.evidence(self.slow_account)
		# own: 190 of 200 received = 95.0 %; on time 60 + 90 of 190 = 78.9 %; lead (9 + 14 + 7) / 3
		# peers (the prompt supplier and the one in no account): 60 of 60; on time 60 of 60; (5 + 4) / 2
		self.assertEqual(
			(
				measured,
				slow["order_lines"],
				slow["fill_rate"],
				slow["on_time_rate"],
				slow["lead_time"],
				slow["peer_order_lines"],
				slow["peer_fill_rate"],
				slow["peer_on_time_rate"],
				slow["peer_lead_time"],
			),
			(0, 2, 95.0, 78.9, 10.0, 2, 100.0, 100.0, 4.5),
		)
		self.assertEqual((slow["from"], slow["to"]), ("2025-07-01", "2026-06-30"))

		measured, good = self.evidence(self.good_account)
		# peers: 240 of 250 = 96.0 %; on time 60 + 90 + 50 of 240 = 83.3 %; (9 + 14 + 7 + 4) / 4 = 8.5
		self.assertEqual(
			(
				measured,
				good["fill_rate"],
				good["on_time_rate"],
				good["lead_time"],
				good["peer_fill_rate"],
				good["peer_on_time_rate"],
				good["peer_lead_time"],
			),
			(1, 100.0, 100.0, 5.0, 96.0, 83.3, 8.5),
		)

		measured, idle = self.evidence(self.idle_account)
		self.assertEqual((measured, idle["order_lines"], idle["fill_rate"]), (0, 0, None))

	def test_the_thresholds_are_settings_and_the_peers_still_count(self):
		settings = frappe.get_single("Key Account Settings")
		self.assertEqual((settings.supply_fill_rate_percent, settings.supply_on_time_percent), (95, 90))
		settings.supply_fill_rate_percent = 90
		settings.supply_on_time_percent = 75
		settings.save()
		refresh_supply_criterion([self.slow_account], today=TODAY)
		# 95.0 % and 78.9 % pass the thresholds, but the other suppliers filled and kept time better
		measured, slow = self.evidence(self.slow_account)
		self.assertEqual((measured, slow["fill_threshold"], slow["on_time_threshold"]), (0, 90, 75))

		# a supplier alone in its item group has no peers: the thresholds alone decide
		group = frappe.get_doc(
			{
				"doctype": "Item Group",
				"item_group_name": "Rare Parts QA",
				"parent_item_group": "All Item Groups",
			}
		).insert()
		lonely = SupplierFactory().name
		lonely_account = KeyAccountFactory(supplier_names=[lonely]).name
		item = ItemFactory(item_group=group.name, is_stock_item=1).name
		PurchaseReceiptFactory(
			purchase_order=PurchaseOrderFactory(
				supplier=lonely, item=item, qty=100, transaction_date="2026-02-01", schedule_date="2026-02-20"
			),
			qty=96,
			posting_date="2026-02-20",
		)
		refresh_supply_criterion([lonely_account], today=TODAY)
		measured, alone = self.evidence(lonely_account)
		self.assertEqual(
			(measured, alone["fill_rate"], alone["on_time_rate"], alone["peer_order_lines"]),
			(1, 96.0, 100.0, 0),
		)

	def test_the_figures_are_the_job_s_alone_and_read_in_the_reader_s_language(self):
		refresh_supply_criterion(today=TODAY)
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		frappe.set_user(manager)
		account = frappe.get_doc("Key Account", self.slow_account)
		account.criterion_supply_priority_measured = 1
		account.criterion_supply_priority_figures = '{"kind": "supply", "fill_rate": 100}'
		account.save()
		frappe.set_user("Administrator")
		measured, slow = self.evidence(self.slow_account)
		self.assertEqual((measured, slow["fill_rate"]), (0, 95.0))

		reader = UserFactory(roles_held=["Key Account User"]).name
		frappe.set_user(reader)
		account = frappe.get_doc("Key Account", self.slow_account)
		account.run_method("onload")
		text = account.get_onload()["evidence"]["criterion_supply_priority_figures"]
		self.assertIn("2 order lines due", text)
		self.assertIn("fill rate 95.0%, on time 78.9%, lead time 10.0 days", text)
		self.assertIn("at least 95.0% and the on-time rate at least 90.0%", text)
		frappe.local.lang = "zh"
		self.assertIn("准时率", evidence_text(account.criterion_supply_priority_figures))

	def test_the_refresh_button_measures_criterion_5_of_its_account_only(self):
		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)
		with freeze_time(TODAY):
			refresh_qualification(self.good_account)
		frappe.set_user("Administrator")
		measured, good = self.evidence(self.good_account)
		self.assertEqual(
			(measured, good["to"], good["fill_rate"], good["peer_fill_rate"]), (1, TODAY, 100.0, 96.0)
		)
		self.assertIsNone(
			frappe.db.get_value("Key Account", self.slow_account, "criterion_supply_priority_figures")
		)
