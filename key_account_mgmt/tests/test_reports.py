"""The analyses against small data sets whose figures are worked out by hand here."""

from datetime import date

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.api.key_accounts import create_key_account_from_supplier
from key_account_mgmt.key_account_management.report.key_account_candidates import key_account_candidates
from key_account_mgmt.key_account_management.report.key_account_register import key_account_register
from key_account_mgmt.key_account_management.report.tier_movement import tier_movement
from key_account_mgmt.key_account_management.report.value_analysis import value_analysis
from key_account_mgmt.tests.factories import (
	ContactRoleFactory,
	ItemFactory,
	KeyAccountFactory,
	NegotiationLogFactory,
	PurchaseInvoiceFactory,
	SalesInvoiceFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase

MILLION = 1_000_000


class TestReports(KeyAccountTestCase):
	def account_with(self, name, *amounts, brand=None, posting_date=None):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(account_name=name, supplier_names=[supplier], brand=brand).name
		for amount in amounts:
			PurchaseInvoiceFactory(supplier=supplier, amount=amount, posting_date=posting_date or getdate())
		return account, supplier

	def test_register_shows_tier_years_growth_last_negotiation_and_open_agreements(self):
		today = getdate()
		account, supplier = self.account_with("Register QA", 22 * MILLION)
		# 8M in the twelve months before the rolling window: growth (22 - 8) / 8 = 175 %
		PurchaseInvoiceFactory(supplier=supplier, amount=8 * MILLION, posting_date=add_days(today, -400))
		role = ContactRoleFactory(key_account=account).name
		log = NegotiationLogFactory(
			key_account=account,
			theirs=[role],
			agreements=[
				{"agreement": "Rebate", "due_date": add_days(today, 9), "responsible": "Administrator"}
			],
			submit=True,
		)
		_columns, rows = key_account_register.execute({})
		row = next(row for row in rows if row["key_account"] == account)
		self.assertEqual(
			(row["tier"], row["purchase_amount"], row["this_year"], row["growth"], row["open_agreements"]),
			("Partner", 22 * MILLION, 22 * MILLION, 175.0, 1),
		)
		self.assertEqual(row["last_negotiation"], log.negotiation_datetime)
		_columns, partners = key_account_register.execute({"tier": "Strategic"})
		self.assertNotIn(account, [row["key_account"] for row in partners])

	def test_tier_movement_lists_upgrades_and_downgrades_with_their_documents(self):
		account, supplier = self.account_with("Movement QA")
		invoice = PurchaseInvoiceFactory(supplier=supplier, amount=21 * MILLION)
		invoice.cancel()
		_columns, rows, _message, chart = tier_movement.execute({"key_account": account})
		self.assertEqual(
			[(row.direction, row.from_tier, row.to_tier, row.reference_name) for row in rows],
			[
				("Downgrade", "Partner", "no tier", invoice.name),
				("Upgrade", "no tier", "Partner", invoice.name),
			],
		)
		self.assertEqual(chart["data"]["datasets"][0]["values"], [1, 1])
		_columns, upgrades, _message, _chart = tier_movement.execute(
			{"key_account": account, "direction": "Upgrade"}
		)
		self.assertEqual(len(upgrades), 1)

	def test_value_analysis_shares_pareto_growth_and_gross_profit(self):
		today = getdate()
		brand = "Value QA Brand"
		frappe.get_doc({"doctype": "Brand", "brand": brand}).insert()
		big, big_supplier = self.account_with("Value QA Big", 30 * MILLION, brand=brand)
		small, _supplier = self.account_with("Value QA Small", 10 * MILLION)
		PurchaseInvoiceFactory(amount=10 * MILLION)  # a supplier in no key account
		PurchaseInvoiceFactory(supplier=big_supplier, amount=20 * MILLION, posting_date=add_days(today, -370))
		SalesInvoiceFactory(item=ItemFactory(brand=brand).name, qty=2, rate=3 * MILLION)
		_columns, rows, _message, chart = value_analysis.execute(
			{"from_date": add_days(today, -30), "to_date": today}
		)
		figures = {
			row["key_account"]: (row["purchases"], row["share"], row["cumulative_share"], row["abc_class"])
			for row in rows
			if row["key_account"] in (big, small)
		}
		# 50M bought in the period: 30M (60 %) and 10M (20 %); of the accounts' 40M, 75 % and 100 %
		self.assertEqual(
			figures, {big: (30 * MILLION, 60.0, 60.0, "A"), small: (10 * MILLION, 20.0, 80.0, "C")}
		)
		big_row = next(row for row in rows if row["key_account"] == big)
		self.assertEqual(
			(big_row["previous"], big_row["growth"], big_row["gross_profit"]),
			(20 * MILLION, 50.0, 6 * MILLION),
		)
		self.assertEqual(chart["data"]["labels"][:2], [big, small])

	def test_value_analysis_refuses_a_reversed_period(self):
		self.assertRaisesRegex(
			frappe.ValidationError,
			"From Date must be on or before To Date",
			value_analysis.execute,
			{"from_date": "2026-02-01", "to_date": "2026-01-01"},
		)

	def test_candidates_reach_the_lowest_band_and_become_accounts_with_one_click(self):
		reaching, below = SupplierFactory().name, SupplierFactory().name
		PurchaseInvoiceFactory(supplier=reaching, amount=6 * MILLION)
		PurchaseInvoiceFactory(supplier=below, amount=4 * MILLION)
		_account, member = self.account_with("Candidates QA", 9 * MILLION)
		_columns, rows = key_account_candidates.execute({})
		suppliers = {row["supplier"]: (row["purchase_amount"], row["tier"]) for row in rows}
		self.assertEqual(suppliers.get(reaching), (6 * MILLION, "Ordinary"))
		self.assertNotIn(below, suppliers)
		self.assertNotIn(member, suppliers)
		name = create_key_account_from_supplier(reaching)
		self.assertEqual(
			frappe.db.get_value("Key Account", name, ["tier", "purchase_amount"]), ("Ordinary", 6 * MILLION)
		)
		self.assertRaisesRegex(
			frappe.ValidationError, "already belongs", create_key_account_from_supplier, reaching
		)
		frappe.set_user(UserFactory(roles_held=["Accounts User"]).name)
		self.assertRaises(frappe.PermissionError, create_key_account_from_supplier, below)
