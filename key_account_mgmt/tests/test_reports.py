"""The analyses against small data sets whose figures are worked out by hand here."""

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.api.key_accounts import create_key_account_from_supplier
from key_account_mgmt.key_account_management.report.key_account_candidates import key_account_candidates
from key_account_mgmt.key_account_management.report.key_account_register import key_account_register
from key_account_mgmt.key_account_management.report.tier_movement import tier_movement
from key_account_mgmt.key_account_management.report.value_analysis import value_analysis
from key_account_mgmt.setup.company import ensure_calendar_fiscal_years
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
	def setUp(self):
		super().setUp()
		ensure_calendar_fiscal_years(2024, 2026)

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
		# one bar a direction, each in its own colour: green up, red down
		bars = {dataset["name"]: dataset["values"] for dataset in chart["data"]["datasets"]}
		self.assertEqual(bars, {"Upgrade": [1, 0], "Downgrade": [0, 1]})
		self.assertEqual(chart["colors"], ["#29CD42", "#E24C4C"])
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

	def test_value_analysis_of_one_account_keeps_its_place_among_all(self):
		today = getdate()
		brand = "Value QA One Brand"
		frappe.get_doc({"doctype": "Brand", "brand": brand}).insert()
		big, _supplier = self.account_with("Value QA One Big", 30 * MILLION)
		small, small_supplier = self.account_with("Value QA One Small", 10 * MILLION, brand=brand)
		PurchaseInvoiceFactory(
			supplier=small_supplier, amount=4 * MILLION, posting_date=add_days(today, -370)
		)
		SalesInvoiceFactory(item=ItemFactory(brand=brand).name, qty=2, rate=3 * MILLION)
		user = UserFactory(roles_held=["Key Account User"]).name
		frappe.set_user(user)
		_columns, rows, *_ = value_analysis.execute(
			{"from_date": add_days(today, -30), "to_date": today, "key_account": small}
		)
		# the one row, with its share, cumulative share and class among both accounts' 40M
		self.assertEqual(
			[
				(
					row["key_account"],
					row["purchases"],
					row["share"],
					row["cumulative_share"],
					row["abc_class"],
				)
				for row in rows
			],
			[(small, 10 * MILLION, 25.0, 100.0, "C")],
		)
		self.assertEqual(rows[0]["gross_profit"], 6 * MILLION)
		# the same period a year before: 4M, so 150 % growth
		self.assertEqual((rows[0]["previous"], rows[0]["growth"]), (4 * MILLION, 150.0))
		self.assertNotIn(big, [row["key_account"] for row in rows])

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


REPORTS = (
	"Key Account Register",
	"Tier Movement",
	"Value Analysis",
	"Development Analysis",
	"Behaviour Analysis",
	"Agent Contribution",
	"Satisfaction Analysis",
	"Tier Forecast",
	"Key Account Candidates",
	"Open Agreements",
	"Plan Exchange Status",
)


class TestReportTotalsAndInput(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		ensure_calendar_fiscal_years(2025, 2026)
		self.manager = UserFactory(roles_held=["Key Account Manager"]).name

	def run_report(self, name, filters):
		from frappe.desk.query_report import run

		frappe.set_user(self.manager)
		try:
			return run(name, filters=frappe.as_json(filters))
		finally:
			frappe.set_user("Administrator")

	def test_reports_users_total_get_a_total_row_that_adds_up(self):
		big_supplier, small_supplier = SupplierFactory().name, SupplierFactory().name
		big = KeyAccountFactory(supplier_names=[big_supplier]).name
		small = KeyAccountFactory(supplier_names=[small_supplier]).name
		PurchaseInvoiceFactory(supplier=big_supplier, amount=30 * MILLION, posting_date="2026-06-15")
		PurchaseInvoiceFactory(supplier=small_supplier, amount=10 * MILLION, posting_date="2026-06-15")
		PurchaseInvoiceFactory(amount=10 * MILLION, posting_date="2026-06-15")  # in no key account
		period = {"from_date": "2026-06-01", "to_date": "2026-06-30"}
		value = self.run_report("Value Analysis", period)
		self.assertTrue(value["add_total_row"])
		*rows, total = value["result"]
		fields = [column["fieldname"] for column in value["columns"]]
		total = dict(zip(fields, total, strict=False)) if isinstance(total, list) else total
		# the two accounts bought 40M of the period's 50M: 80 % of procurement
		self.assertEqual((total["purchases"], total["share"]), (40 * MILLION, 80.0))
		self.assertEqual({big, small} & {row["key_account"] for row in rows}, {big, small})
		# a rate or a growth does not add up: the desk leaves its total blank
		for column in value["columns"]:
			if column["fieldname"] in ("cumulative_share", "growth"):
				self.assertEqual(column.get("disable_total"), 1)
		for name in ("Key Account Register", "Agent Contribution", "Behaviour Analysis"):
			self.assertEqual(frappe.db.get_value("Report", name, "add_total_row"), 1, name)
		agents = self.run_report("Agent Contribution", {**period, "key_account": big})
		self.assertTrue(agents["add_total_row"])

	def test_percentages_have_one_decimal_everywhere(self):
		account = KeyAccountFactory().name
		for name in REPORTS:
			filters = {"key_account": account} if name == "Agent Contribution" else {}
			for column in self.run_report(name, filters)["columns"]:
				if column.get("fieldtype") == "Percent" or column["label"].endswith("%"):
					self.assertEqual(column.get("precision"), 1, f"{name}: {column['fieldname']}")

	def test_bad_filters_are_refused_with_a_message(self):
		account = KeyAccountFactory().name
		for name in REPORTS:
			with self.subTest(report=name):
				base = {"key_account": account} if name == "Agent Contribution" else {}
				self.assertRaisesRegex(
					frappe.ValidationError,
					"takes a single value",
					self.run_report,
					name,
					{**base, "from_date": ["2026-01-01", "2026-02-01"]},
				)
				self.assertRaisesRegex(
					frappe.ValidationError,
					"takes a single value",
					self.run_report,
					name,
					{**base, "key_account": {"name": account}},
				)
		for name in ("Value Analysis", "Development Analysis", "Behaviour Analysis", "Tier Movement"):
			with self.subTest(report=name):
				self.assertRaisesRegex(
					frappe.ValidationError,
					"must be a date between",
					self.run_report,
					name,
					{"from_date": "0001-01-01", "to_date": "2026-01-01"},
				)
				self.assertRaisesRegex(
					frappe.ValidationError,
					"at most 120 months",
					self.run_report,
					name,
					{"from_date": "2000-01-01", "to_date": "2026-01-01"},
				)
		self.assertRaisesRegex(
			frappe.ValidationError,
			"must be a date between",
			self.run_report,
			"Development Analysis",
			{"from_date": "1000-01-01", "to_date": "9999-12-31"},
		)
		self.assertRaisesRegex(
			frappe.ValidationError,
			"must be a finite number",
			self.run_report,
			"Tier Forecast",
			{"what_if_2": "NaN"},
		)
		# ten years is fine: a column for each of the 121 calendar months it touches
		columns = self.run_report(
			"Development Analysis", {"from_date": "2016-06-16", "to_date": "2026-06-15"}
		)["columns"]
		self.assertEqual(len([column for column in columns if column["fieldname"].startswith("m_")]), 121)
