"""`kam-verify` finds, and a plain `kam-recompute` throws away, what the posted invoices do not support:
ledger rows, monthly sums and annual totals written by anyone but the engine. Figures by hand: the
bands are 5M / 20M / 50M, the account bought 21M (one invoice, today): Partner."""

import os
import subprocess
import sys

import frappe
from erpnext.accounts.utils import get_fiscal_year
from frappe.utils import add_months, get_first_day, getdate

from key_account_mgmt.tests.factories import KeyAccountFactory, PurchaseInvoiceFactory, SupplierFactory
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.ledger import LEDGER, LEDGER_FIELDS
from key_account_mgmt.tiering.maintenance import recompute_all, verify_all
from key_account_mgmt.tiering.persistence import annual_total_name
from key_account_mgmt.tiering.purchase_months import MONTHS

MILLION = 1_000_000


def forge_ledger_row(invoice_name: str, **changes) -> str:
	"""A ledger row as a direct INSERT writes it: a copy of the invoice's own row, or of what a row for
	that invoice would hold, with `changes`."""
	invoice = frappe.get_doc("Purchase Invoice", invoice_name)
	row = {
		"name": invoice.name,
		"purchase_invoice": invoice.name,
		"supplier": invoice.supplier,
		"company": invoice.company,
		"posting_date": invoice.posting_date,
		"fiscal_year": get_fiscal_year(invoice.posting_date, company=invoice.company)[0],
		"is_return": 0,
		"company_currency": "CNY",
		"exchange_rate": 1,
		"currency": "CNY",
		"net_amount": invoice.base_net_total,
		"grand_amount": invoice.base_grand_total,
		"creation": frappe.utils.now_datetime(),
		"modified": frappe.utils.now_datetime(),
		"owner": "Administrator",
		"modified_by": "Administrator",
		"docstatus": 0,
		**changes,
	}
	frappe.db.sql(
		f"INSERT INTO `tab{LEDGER}` ({', '.join(LEDGER_FIELDS)}) VALUES ({', '.join(['%s'] * len(LEDGER_FIELDS))})",
		[row[field] for field in LEDGER_FIELDS],
	)
	return row["name"]


def forge_annual_total(name: str, account: str, fiscal_year: str, amount: float, count: int = 1) -> str:
	frappe.db.sql(
		"""INSERT INTO `tabKey Account Annual Total` (name, parent, parenttype, parentfield, idx, fiscal_year,
			purchase_amount, invoice_count, currency, creation, modified)
		VALUES (%s, %s, 'Key Account', 'annual_totals', 9, %s, %s, %s, 'CNY', NOW(6), NOW(6))""",
		(name, account, fiscal_year, amount, count),
	)
	return name


def annual_totals(account: str) -> list[tuple]:
	return [
		(row.fiscal_year, row.purchase_amount, row.invoice_count)
		for row in frappe.get_all(
			"Key Account Annual Total",
			filters={"parent": account, "parenttype": "Key Account"},
			fields=["fiscal_year", "purchase_amount", "invoice_count"],
			order_by="fiscal_year",
		)
	]


def months(supplier: str) -> list[tuple]:
	return [
		(getdate(row.month_start), row.net_amount, row.invoices)
		for row in frappe.get_all(
			MONTHS,
			filters={"supplier": supplier},
			fields=["month_start", "net_amount", "invoices"],
			order_by="month_start",
		)
	]


class TestRecomputeThrowsAwayWhatTheInvoicesDoNotSupport(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.supplier = SupplierFactory().name
		self.account = KeyAccountFactory(supplier_names=[self.supplier]).name
		self.invoice = PurchaseInvoiceFactory(supplier=self.supplier, amount=21 * MILLION)
		self.fiscal_year = frappe.db.get_value(LEDGER, self.invoice.name, "fiscal_year")
		self.assertEqual(self.figures(), ("Partner", 21 * MILLION))
		self.assertFalse(verify_all(), verify_all().lines())

	def figures(self, account: str | None = None) -> tuple:
		return frappe.db.get_value("Key Account", account or self.account, ["tier", "purchase_amount"])

	def assert_repaired(self):
		self.assertEqual(self.figures(), ("Partner", 21 * MILLION))
		self.assertEqual(annual_totals(self.account), [(self.fiscal_year, 21 * MILLION, 1)])
		self.assertEqual(
			frappe.get_all(LEDGER, filters={"supplier": self.supplier}, pluck="name"), [self.invoice.name]
		)
		self.assertEqual(months(self.supplier), [(get_first_day(self.invoice.posting_date), 21 * MILLION, 1)])
		drift = verify_all()
		self.assertFalse(drift, drift.lines())

	def test_a_ledger_row_for_a_draft_invoice_is_drift_and_goes(self):
		draft = PurchaseInvoiceFactory(supplier=self.supplier, amount=40 * MILLION, submit=False).name
		forge_ledger_row(draft)
		self.assertEqual(verify_all().stale_entries, [draft])
		report = recompute_all()  # plain, as finding 9 ran it: 21M + 40M would have made it Strategic
		self.assertEqual(report.repaired_entries, 1)
		self.assert_repaired()

	def test_a_row_holding_a_posted_invoices_name_for_a_draft_is_replaced_by_the_invoices_own(self):
		draft = PurchaseInvoiceFactory(supplier=self.supplier, amount=40 * MILLION, submit=False).name
		frappe.db.delete(LEDGER, {"name": self.invoice.name})
		forge_ledger_row(draft, name=self.invoice.name)
		self.assertEqual(verify_all().stale_entries, [self.invoice.name])
		self.assertEqual(recompute_all().repaired_entries, 2)  # removed, and written from the invoice
		self.assert_repaired()
		self.assertEqual(
			frappe.db.get_value(LEDGER, self.invoice.name, "purchase_invoice"), self.invoice.name
		)

	def test_an_outside_suppliers_invoice_booked_to_the_account_is_drift_and_goes(self):
		outsider = SupplierFactory().name
		outside_invoice = PurchaseInvoiceFactory(supplier=outsider, amount=30 * MILLION).name
		forge_ledger_row(outside_invoice, supplier=self.supplier)
		self.assertEqual(verify_all().stale_entries, [outside_invoice])
		self.assertEqual(recompute_all().repaired_entries, 1)
		self.assert_repaired()
		self.assertFalse(frappe.db.exists(LEDGER, {"supplier": outsider}))

	def test_forged_annual_totals_are_drift_and_go(self):
		year_start = frappe.db.get_value("Fiscal Year", self.fiscal_year, "year_start_date")
		previous_year = frappe.db.get_value("Fiscal Year", {"year_start_date": add_months(year_start, -12)})
		self.assertTrue(previous_year)
		forged = sorted(
			[
				# finding 3: a year row posted over REST, under a name of its own
				forge_annual_total("forged-year-1", self.account, previous_year, 99e9),
				# under the engine's name, for a year in which the account bought nothing
				forge_annual_total(
					annual_total_name(self.account, previous_year), self.account, previous_year, 1
				),
				# for an account that does not exist
				forge_annual_total("forged-year-2", "No Such Account", self.fiscal_year, 5 * MILLION),
			]
		)
		self.assertEqual(sorted(verify_all().annual_totals), forged)
		self.assertIn("annual total without the purchases it states: forged-year-1", verify_all().lines())
		report = recompute_all()
		self.assertEqual(report.removed_annual_totals, 3)
		self.assert_repaired()
		self.assertFalse(frappe.db.exists("Key Account Annual Total", {"parent": "No Such Account"}))

	def test_a_years_row_moved_under_another_account_is_written_back_under_its_own(self):
		supplier = SupplierFactory().name
		other = KeyAccountFactory(supplier_names=[supplier]).name
		PurchaseInvoiceFactory(supplier=supplier, amount=6 * MILLION)
		name = annual_total_name(other, self.fiscal_year)
		frappe.db.set_value("Key Account Annual Total", name, "parent", self.account)
		self.assertEqual(verify_all().annual_totals, [name])
		self.assertEqual(recompute_all().removed_annual_totals, 1)
		self.assert_repaired()
		self.assertEqual(annual_totals(other), [(self.fiscal_year, 6 * MILLION, 1)])
		self.assertEqual(self.figures(other), ("Ordinary", 6 * MILLION))

	def test_forged_monthly_sums_are_drift_and_go(self):
		last_month = add_months(get_first_day(self.invoice.posting_date), -1)
		frappe.db.sql(
			f"""INSERT INTO `tab{MONTHS}` (name, supplier, company, month_start, currency, net_amount,
				grand_amount, return_net_amount, return_grand_amount, invoices, debit_notes)
			VALUES (SHA1(CONCAT_WS('|', %(supplier)s, %(company)s, %(month)s)), %(supplier)s, %(company)s,
				%(month)s, 'CNY', 9000000, 9000000, 0, 0, 3, 0)""",
			{"supplier": self.supplier, "company": self.invoice.company, "month": last_month},
		)
		self.assertEqual(verify_all().monthly_sums, [self.supplier])
		self.assertEqual(recompute_all().repaired_months, 1)
		self.assert_repaired()

	def test_the_old_flag_still_runs_the_same_repair(self):
		draft = PurchaseInvoiceFactory(supplier=self.supplier, amount=40 * MILLION, submit=False).name
		forge_ledger_row(draft)
		self.assertEqual(recompute_all(rebuild_ledger=True).repaired_entries, 1)
		self.assert_repaired()


class TestRepairCommands(KeyAccountTestCase):
	"""`bench kam-verify` and a plain `bench kam-recompute`, run by an admin on the site's committed data."""

	def bench(self, *args):
		return subprocess.run(
			[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site, *args],
			cwd=os.path.abspath(frappe.local.sites_path),
			capture_output=True,
			text=True,
			timeout=300,
		)

	def test_verify_reports_forged_rows_and_a_plain_recompute_removes_them(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		invoice = PurchaseInvoiceFactory(supplier=supplier, amount=21 * MILLION).name
		draft = PurchaseInvoiceFactory(supplier=supplier, amount=40 * MILLION, submit=False).name
		forge_ledger_row(draft)
		forge_annual_total("forged-by-hand", account, "1999", 99e9)
		frappe.db.commit()
		try:
			verify = self.bench("kam-verify")
			self.assertEqual(verify.returncode, 1, verify.stdout + verify.stderr)
			self.assertIn(
				f"ledger entry without a submitted invoice of a key account: {draft}", verify.stdout
			)
			self.assertIn("annual total without the purchases it states: forged-by-hand", verify.stdout)
			recompute = self.bench("kam-recompute")
			self.assertEqual(recompute.returncode, 0, recompute.stdout + recompute.stderr)
			self.assertIn("1 ledger entries repaired", recompute.stdout)
			self.assertIn("1 annual totals without purchases removed", recompute.stdout)
			verify = self.bench("kam-verify")
			self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
			frappe.db.rollback()
			self.assertEqual(
				frappe.db.get_value("Key Account", account, ["tier", "purchase_amount"]),
				("Partner", 21 * MILLION),
			)
			self.assertFalse(frappe.db.exists(LEDGER, draft))
		finally:
			frappe.db.rollback()
			frappe.get_doc("Purchase Invoice", invoice).cancel()
			frappe.delete_doc("Purchase Invoice", draft, force=True)
			frappe.db.sql(f"DELETE FROM `tab{LEDGER}` WHERE purchase_invoice = %s", draft)
			frappe.delete_doc("Key Account", account, force=True)
			frappe.db.sql("DELETE FROM `tabKey Account Annual Total` WHERE name = 'forged-by-hand'")
			frappe.db.commit()
