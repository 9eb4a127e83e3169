# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

"""The monthly purchase sums the analyses read: recomputed from the ledger by every posting, cancel,
supplier move and rename, checked by kam-verify, and summed with the ledger's days where a period cuts
a month, against figures worked out by hand."""

import frappe
from frappe.model.rename_doc import rename_doc

from key_account_mgmt.key_account_management.report.development_analysis import development_analysis
from key_account_mgmt.key_account_management.report.value_analysis import value_analysis
from key_account_mgmt.setup.company import COMPANY_NAME, ensure_calendar_fiscal_years
from key_account_mgmt.tests.factories import (
	ItemFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
	make_debit_note,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.maintenance import recompute_all, verify_all
from key_account_mgmt.tiering.purchase_months import MONTHS

MILLION = 1_000_000


class OneSupplierTestCase(KeyAccountTestCase):
	"""A key account of one supplier, an item to buy from it, calendar fiscal years 2025–2027."""

	def setUp(self):
		super().setUp()
		ensure_calendar_fiscal_years(2025, 2027)
		self.supplier = SupplierFactory().name
		self.account = KeyAccountFactory(supplier_names=[self.supplier]).name
		self.item = ItemFactory().name


class TestPurchaseMonths(OneSupplierTestCase):
	@classmethod
	def make_class_records(cls):
		cls.finance = UserFactory(roles_held=["Accounts User", "Purchase User"]).name
		cls.manager = UserFactory(roles_held=["Key Account Manager"]).name

	def buy(self, amount, posting_date, supplier=None):
		frappe.set_user(self.finance)
		try:
			return PurchaseInvoiceFactory(
				supplier=supplier or self.supplier, item=self.item, amount=amount, posting_date=posting_date
			)
		finally:
			frappe.set_user("Administrator")

	def months(self, supplier=None) -> dict:
		rows = frappe.get_all(
			MONTHS,
			filters={"supplier": supplier or self.supplier},
			fields=["month_start", "net_amount", "return_net_amount", "invoices", "debit_notes"],
		)
		return {
			str(row.month_start): (row.net_amount, row.return_net_amount, row.invoices, row.debit_notes)
			for row in rows
		}

	def test_a_month_sums_its_invoices_and_debit_notes_and_a_cancel_recomputes_it(self):
		first = self.buy(3 * MILLION, "2026-03-05")
		self.buy(2 * MILLION, "2026-03-20")
		april = self.buy(1 * MILLION, "2026-04-02")
		frappe.set_user(self.finance)
		debit_note = make_debit_note(first, amount=500_000)
		frappe.set_user("Administrator")
		self.assertEqual(
			self.months(),
			{"2026-03-01": (4_500_000, -500_000, 2, 1), "2026-04-01": (1 * MILLION, 0, 1, 0)},
		)

		frappe.set_user(self.finance)
		frappe.get_doc("Purchase Invoice", april.name).cancel()
		frappe.get_doc("Purchase Invoice", debit_note.name).cancel()
		frappe.set_user("Administrator")
		self.assertEqual(self.months(), {"2026-03-01": (5 * MILLION, 0, 2, 0)})
		self.assertFalse(verify_all())

	def test_a_supplier_that_leaves_takes_its_months_and_brings_them_back_when_it_joins(self):
		self.buy(3 * MILLION, "2026-03-05")
		stays = SupplierFactory().name
		frappe.set_user(self.manager)
		account = frappe.get_doc("Key Account", self.account)
		account.suppliers = []
		account.append("suppliers", {"supplier": stays})
		account.save()
		self.assertEqual(self.months(), {})

		account.append("suppliers", {"supplier": self.supplier})
		account.save()
		frappe.set_user("Administrator")
		self.assertEqual(self.months(), {"2026-03-01": (3 * MILLION, 0, 1, 0)})
		self.assertFalse(verify_all())

	def test_a_renamed_supplier_keeps_one_row_a_month(self):
		self.buy(3 * MILLION, "2026-03-05")
		renamed = rename_doc("Supplier", self.supplier, f"{self.supplier} (renamed)", force=True)
		self.buy(2 * MILLION, "2026-03-20", supplier=renamed)
		self.assertEqual(self.months(renamed), {"2026-03-01": (5 * MILLION, 0, 2, 0)})
		self.assertFalse(verify_all())

	def test_a_tampered_month_is_reported_and_recompute_repairs_it(self):
		self.buy(3 * MILLION, "2026-03-05")
		frappe.db.sql(f"UPDATE `tab{MONTHS}` SET net_amount = 1 WHERE supplier = %s", self.supplier)
		drift = verify_all()
		self.assertEqual(drift.monthly_sums, [self.supplier])
		self.assertIn(f"monthly purchase sums that differ from the ledger: {self.supplier}", drift.lines())

		recompute_all(rebuild_ledger=True)
		self.assertEqual(self.months(), {"2026-03-01": (3 * MILLION, 0, 1, 0)})
		self.assertFalse(verify_all())

	def test_a_lost_month_is_reported(self):
		self.buy(3 * MILLION, "2026-03-05")
		frappe.db.sql(f"DELETE FROM `tab{MONTHS}` WHERE supplier = %s", self.supplier)
		self.assertEqual(verify_all().monthly_sums, [self.supplier])

	def test_the_sums_are_written_by_the_engine_only(self):
		self.buy(3 * MILLION, "2026-03-05")
		name = frappe.db.get_value(MONTHS, {"supplier": self.supplier})
		row = frappe.get_doc(MONTHS, name)
		row.net_amount = 1
		self.assertRaises(frappe.PermissionError, row.save)
		frappe.set_user(UserFactory(roles_held=["Key Account User", "Accounts Manager"]).name)
		self.assertRaises(frappe.PermissionError, frappe.get_list, MONTHS)
		self.assertRaises(frappe.PermissionError, frappe.client.get, MONTHS, name)


class TestPeriodsThatCutMonths(OneSupplierTestCase):
	"""15 February to 10 April: half of February and ten days of April from the ledger, March whole."""

	def setUp(self):
		super().setUp()
		for amount, posting_date in (
			(1 * MILLION, "2026-02-10"),  # before the period
			(2 * MILLION, "2026-02-20"),
			(4 * MILLION, "2026-03-05"),
			(8 * MILLION, "2026-04-02"),
			(16 * MILLION, "2026-04-20"),  # after it
			(32 * MILLION, "2025-03-01"),  # a year before
		):
			PurchaseInvoiceFactory(
				supplier=self.supplier, item=self.item, amount=amount, posting_date=posting_date
			)
		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)
		self.period = {"from_date": "2026-02-15", "to_date": "2026-04-10", "company": COMPANY_NAME}

	def test_value_analysis_counts_the_cut_months_days(self):
		_columns, rows, *_ = value_analysis.execute({**self.period, "key_account": self.account})
		self.assertEqual((rows[0]["purchases"], rows[0]["previous"]), (14 * MILLION, 32 * MILLION))

	def test_development_analysis_counts_the_cut_months_days(self):
		_columns, rows, *_ = development_analysis.execute(
			{**self.period, "key_account": self.account, "measure": "Purchases"}
		)
		self.assertEqual(
			[rows[0][field] for field in ("m_2026_02", "m_2026_03", "m_2026_04", "total")],
			[2 * MILLION, 4 * MILLION, 8 * MILLION, 14 * MILLION],
		)
