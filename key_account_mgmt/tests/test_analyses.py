"""Development, behaviour, agent contribution, satisfaction, forecast and the one-to-one page,
each against figures worked out by hand."""

from datetime import date

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.analysis.figures import months_between
from key_account_mgmt.key_account_management.report.agent_contribution import agent_contribution
from key_account_mgmt.key_account_management.report.behaviour_analysis import behaviour_analysis
from key_account_mgmt.key_account_management.report.development_analysis import development_analysis
from key_account_mgmt.key_account_management.report.key_account_register import key_account_register
from key_account_mgmt.key_account_management.report.satisfaction_analysis import satisfaction_analysis
from key_account_mgmt.key_account_management.report.tier_forecast import tier_forecast
from key_account_mgmt.key_account_management.report.value_analysis import value_analysis
from key_account_mgmt.setup.company import COMPANY_NAME, FOREIGN_COMPANY_NAME, ensure_calendar_fiscal_years
from key_account_mgmt.tests.factories import (
	ContactRoleFactory,
	ItemFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SalesInvoiceFactory,
	SupplierFactory,
	UserFactory,
	currency_exchange,
	make_debit_note,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase, set_tier_bands
from key_account_mgmt.tiering.core import rolling_twelve_months
from key_account_mgmt.tiering.settings import get_tiering_settings

MILLION = 1_000_000


def buy(supplier, item, qty, rate, **kwargs):
	return PurchaseInvoiceFactory(
		supplier=supplier, items=[{"item_code": item, "qty": qty, "rate": rate}], **kwargs
	)


class TestAnalyses(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		ensure_calendar_fiscal_years(2025, 2026)
		self.brand = f"Brand {frappe.generate_hash(length=5)}"
		frappe.get_doc({"doctype": "Brand", "brand": self.brand}).insert()
		self.suppliers = [SupplierFactory().name, SupplierFactory().name]
		self.account = KeyAccountFactory(brand=self.brand, supplier_names=self.suppliers).name
		self.today = getdate()

	def test_development_month_by_month_with_trend(self):
		item = ItemFactory(brand=self.brand).name
		buy(self.suppliers[0], item, 1, 1 * MILLION, posting_date="2026-04-10")
		buy(self.suppliers[1], item, 1, 3 * MILLION, posting_date="2026-05-10")
		SalesInvoiceFactory(item=item, qty=2, rate=1 * MILLION, posting_date="2026-05-20")
		_columns, rows, _message, chart = development_analysis.execute(
			{"from_date": "2026-04-01", "to_date": "2026-05-31", "key_account": self.account}
		)
		purchases, sales = rows
		self.assertEqual([purchases["m_2026_04"], purchases["m_2026_05"]], [1 * MILLION, 3 * MILLION])
		# from 1M to 3M: a slope of 2M a month on a mean of 2M
		self.assertEqual((purchases["total"], purchases["trend"]), (4 * MILLION, 100.0))
		self.assertEqual([sales["m_2026_04"], sales["m_2026_05"]], [0, 2 * MILLION])
		self.assertEqual(sales["trend"], 200.0)
		self.assertEqual(len(chart["data"]["datasets"]), 2)

	def test_behaviour_frequency_average_returns_and_repricing(self):
		x, y = ItemFactory().name, ItemFactory().name
		start = add_days(self.today, -20)
		buy(self.suppliers[0], x, 10_000, 200, posting_date=start)
		buy(self.suppliers[0], x, 20_000, 220, posting_date=add_days(start, 5))
		big = buy(self.suppliers[1], y, 1, 6 * MILLION)
		make_debit_note(big, amount=1_200_000)
		_columns, rows = behaviour_analysis.execute(
			{"from_date": start, "to_date": self.today, "key_account": self.account}
		)
		(row,) = rows
		months = len(months_between(start, self.today))
		self.assertEqual(
			(
				row["invoices"],
				row["invoices_per_month"],
				round(row["average_invoice"], 2),
				row["return_rate"],
			),
			(3, round(3 / months, 1), round(12_400_000 / 3, 2), 9.7),
		)
		self.assertEqual((row["items_repriced"], row["price_change"]), (1, 10.0))

	def test_behaviour_days_from_purchase_order_to_invoice(self):
		from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_invoice

		item = ItemFactory().name
		order = frappe.get_doc(
			{
				"doctype": "Purchase Order",
				"company": "KAM Appliance Retail",
				"supplier": self.suppliers[0],
				"transaction_date": add_days(self.today, -10),
				"schedule_date": self.today,
				"currency": "CNY",
				"conversion_rate": 1,
				"items": [{"item_code": item, "qty": 1, "rate": 1000, "schedule_date": self.today}],
			}
		).insert()
		order.submit()
		invoice = make_purchase_invoice(order.name)
		invoice.insert()
		invoice.submit()
		_columns, rows = behaviour_analysis.execute({"key_account": self.account})
		self.assertEqual(rows[0]["order_to_invoice_days"], 10)

	def test_agent_contribution_splits_sales_by_what_each_agent_supplied(self):
		x, y = ItemFactory(brand=self.brand).name, ItemFactory(brand=self.brand).name
		buy(self.suppliers[0], x, 3, 1 * MILLION)
		buy(self.suppliers[1], x, 1, 1 * MILLION)
		buy(self.suppliers[1], y, 1, 2 * MILLION)
		SalesInvoiceFactory(item=x, qty=4, rate=2 * MILLION)
		SalesInvoiceFactory(item=y, qty=1, rate=1 * MILLION)
		_columns, rows = agent_contribution.execute({"key_account": self.account})
		figures = {
			row["supplier"]: (row["purchases"], row["purchase_share"], row["sales"], row["sales_share"])
			for row in rows
		}
		self.assertEqual(
			figures,
			{
				self.suppliers[0]: (3 * MILLION, 50.0, 6 * MILLION, 66.7),
				self.suppliers[1]: (3 * MILLION, 50.0, 3 * MILLION, 33.3),
			},
		)
		self.assertRaisesRegex(frappe.ValidationError, "Choose a key account", agent_contribution.execute, {})

	def survey(self, days_ago, **scores):
		return frappe.get_doc(
			{
				"doctype": "Key Account Satisfaction Survey",
				"key_account": self.account,
				"survey_date": add_days(self.today, -days_ago),
				"scores": [{"dimension": dimension, "score": score} for dimension, score in scores.items()],
			}
		).insert()

	def test_satisfaction_trend_and_lowest_dimension(self):
		for dimension in ("Delivery", "Pricing"):
			if not frappe.db.exists("Key Account Satisfaction Dimension", dimension):
				frappe.get_doc(
					{"doctype": "Key Account Satisfaction Dimension", "dimension_name": dimension}
				).insert()
		first = self.survey(60, Delivery=3, Pricing=2)
		self.assertEqual(first.average_score, 2.5)
		self.survey(10, Delivery=5, Pricing=3)
		_columns, rows, _message, _chart = satisfaction_analysis.execute({"key_account": self.account})
		(row,) = rows
		self.assertEqual(
			(
				row["surveys"],
				row["latest_average"],
				row["change"],
				row["lowest_dimension"],
				row["d_delivery"],
			),
			(2, 4.0, 1.5, "Pricing (2.5)", 4.0),
		)
		self.assertRaisesRegex(frappe.ValidationError, "a score is from 1 to 5", self.survey, 1, Delivery=6)
		other_contact = ContactRoleFactory().name
		survey = frappe.get_doc(
			{
				"doctype": "Key Account Satisfaction Survey",
				"key_account": self.account,
				"respondent": other_contact,
				"scores": [{"dimension": "Delivery", "score": 4}],
			}
		)
		self.assertRaisesRegex(frappe.ValidationError, "is not a contact of key account", survey.insert)

	def test_forecast_sees_an_old_invoice_leaving_and_counts_tiers_under_a_what_if(self):
		first_day = rolling_twelve_months(self.today).start
		item = ItemFactory().name
		buy(self.suppliers[0], item, 1, 19 * MILLION, posting_date=first_day)
		buy(self.suppliers[0], item, 1, 900_000)
		_columns, rows, _message, _chart, summary = tier_forecast.execute(
			{
				"what_if_1": 1 * MILLION,
				"what_if_2": 19_500_000,
				"what_if_3": 50 * MILLION,
			}
		)
		row = next(row for row in rows if row["key_account"] == self.account)
		self.assertEqual((row["purchase_amount"], row["run_rate"]), (19_900_000, 10_000))
		self.assertEqual(getdate(row["falls_on"]), add_days(self.today, 1))
		self.assertIsNone(row["reaches_on"])
		self.assertEqual(row["what_if_tier"], "Partner")
		partner = next(item for item in summary if item["label"].startswith("Partner"))
		self.assertGreaterEqual(partner["value"], 1)
		self.assertRaisesRegex(
			frappe.ValidationError,
			"must be above zero",
			tier_forecast.execute,
			{"what_if_2": 1},
		)

	def test_forecast_lets_every_invoice_of_a_day_leave_the_window_together(self):
		"""Two suppliers' invoices on the window's first day leave it together tomorrow: 23M less 6M falls
		below Partner's 20M. Were one of them lost, 20M would stay and the account would never fall."""
		first_day = rolling_twelve_months(self.today).start
		item = ItemFactory().name
		buy(self.suppliers[0], item, 1, 3 * MILLION, posting_date=first_day)
		buy(self.suppliers[1], item, 1, 3 * MILLION, posting_date=first_day)
		buy(self.suppliers[0], item, 1, 17 * MILLION)
		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)
		_columns, rows, *_rest = tier_forecast.execute({})
		row = next(row for row in rows if row["key_account"] == self.account)
		self.assertEqual((row["purchase_amount"], row["tier"]), (23 * MILLION, "Partner"))
		self.assertEqual(getdate(row["falls_on"]), add_days(self.today, 1))

	def test_the_register_shows_the_chosen_companys_purchases(self):
		buy(self.suppliers[0], ItemFactory().name, 1, 2 * MILLION)
		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)

		def register_row(**filters):
			_columns, rows = key_account_register.execute(filters)
			row = next(row for row in rows if row["key_account"] == self.account)
			return row["this_year"], row["purchase_amount"]

		self.assertEqual(register_row(), (2 * MILLION, 2 * MILLION))
		self.assertEqual(register_row(company=COMPANY_NAME), (2 * MILLION, 2 * MILLION))
		# the other company bought nothing; the tier's window amount stays the engine's, of every company
		self.assertEqual(register_row(company=FOREIGN_COMPANY_NAME), (0, 2 * MILLION))

	def test_the_one_to_one_page_brings_the_analyses_together(self):
		item = ItemFactory(brand=self.brand).name
		buy(self.suppliers[0], item, 1, 7 * MILLION)
		html = frappe.get_print("Key Account", self.account, "Key Account One-to-One")
		for text in (self.account, "Value Analysis", "Agent Contribution", self.suppliers[0], "Ordinary"):
			self.assertIn(text, html)


class TestOneSetOfRules(KeyAccountTestCase):
	"""Every analysis counts the companies the engine counts and shows amounts in its currency."""

	def setUp(self):
		super().setUp()
		ensure_calendar_fiscal_years(2025, 2027)
		self.brand = f"Brand {frappe.generate_hash(length=5)}"
		frappe.get_doc({"doctype": "Brand", "brand": self.brand}).insert()
		self.suppliers = [SupplierFactory().name, SupplierFactory().name]
		self.account = KeyAccountFactory(brand=self.brand, supplier_names=self.suppliers).name
		self.item = ItemFactory(brand=self.brand).name
		self.march = {"from_date": "2026-03-01", "to_date": "2026-03-31"}

	def test_only_the_companies_that_count(self):
		currency_exchange("USD", "CNY", 8, "2026-01-01")
		# 1M dollars bought by the dollar company (8M yuan), 5M yuan by the yuan company, and the yuan
		# company sold the goods for 6M. Only the dollar company counts.
		buy(
			self.suppliers[0],
			self.item,
			1,
			1 * MILLION,
			company=FOREIGN_COMPANY_NAME,
			posting_date="2026-03-10",
		)
		buy(self.suppliers[1], self.item, 1, 5 * MILLION, posting_date="2026-03-10")
		SalesInvoiceFactory(item=self.item, qty=2, rate=3 * MILLION, posting_date="2026-03-20")
		settings = frappe.get_single("Key Account Settings")
		settings.append("companies", {"company": FOREIGN_COMPANY_NAME})
		settings.save()

		_columns, agents = agent_contribution.execute({**self.march, "key_account": self.account})
		self.assertEqual(
			[(row["supplier"], row["purchases"], row["purchase_share"], row["sales"]) for row in agents],
			[(self.suppliers[0], 8 * MILLION, 100.0, 0), (self.suppliers[1], 0, 0, 0)],
		)
		_columns, behaviour = behaviour_analysis.execute({**self.march, "key_account": self.account})
		self.assertEqual((behaviour[0]["invoices"], behaviour[0]["average_invoice"]), (1, 8 * MILLION))
		_columns, value, *_ = value_analysis.execute(self.march)
		row = next(row for row in value if row["key_account"] == self.account)
		self.assertEqual((row["purchases"], row["share"], row["gross_profit"]), (8 * MILLION, 100.0, 0))
		self.assertRaisesRegex(
			frappe.ValidationError,
			"not one of the Companies That Count",
			value_analysis.execute,
			{**self.march, "company": COMPANY_NAME},
		)

	def test_amounts_in_the_threshold_currency(self):
		# Key accounts measured in dollars; the yuan company's figures at 0.125 dollars a yuan.
		currency_exchange("CNY", "USD", 0.125, "2000-01-01")
		settings = frappe.get_single("Key Account Settings")
		settings.threshold_currency = "USD"
		settings.save()
		buy(self.suppliers[0], self.item, 1, 16 * MILLION, posting_date="2026-03-10")
		SalesInvoiceFactory(item=self.item, qty=2, rate=4 * MILLION, posting_date="2026-03-20")

		_columns, value, *_ = value_analysis.execute(self.march)
		row = next(row for row in value if row["key_account"] == self.account)
		# bought 16M yuan = 2M dollars, all of the period's procurement; sold 8M yuan = 1M dollars, at no
		# booked cost (the item is not stocked)
		self.assertEqual(
			(row["purchases"], row["share"], row["gross_profit"], row["currency"]),
			(2 * MILLION, 100.0, 1 * MILLION, "USD"),
		)
		_columns, development, *_ = development_analysis.execute({**self.march, "key_account": self.account})
		self.assertEqual([row["m_2026_03"] for row in development], [2 * MILLION, 1 * MILLION])
		_columns, agents = agent_contribution.execute({**self.march, "key_account": self.account})
		self.assertEqual(agents[0]["sales"], 1 * MILLION)

	def test_the_forecast_follows_the_fiscal_year_policy(self):
		settings = frappe.get_single("Key Account Settings")
		settings.measurement_window = "Fiscal Year"
		settings.save()
		# 6M in the completed year 2025; 9M this year, on 1 October: a run rate of 9M / 90 days
		buy(self.suppliers[0], self.item, 1, 6 * MILLION, posting_date="2025-03-01")
		buy(self.suppliers[0], self.item, 1, 9 * MILLION, posting_date="2026-10-01")
		tiering = get_tiering_settings()
		rows = tier_forecast.rows(tiering, tiering.bands, date(2026, 11, 30))
		row = next(row for row in rows if row["key_account"] == self.account)
		# On 30 November 2026 both years are Ordinary and a tie goes to the completed year: 6M. By
		# 31 December (31 days) this year reaches 9M + 3.1M = 12.1M and becomes the completed year; the
		# new year needs 200 days at 100,000 a day to reach Partner's 20M: 19 July 2027. (A rolling
		# window would say 9M + 110 days: 20 March 2027.)
		self.assertEqual(
			(row["purchase_amount"], row["run_rate"], row["next_tier"]), (6 * MILLION, 100_000, "Partner")
		)
		self.assertEqual(getdate(row["reaches_on"]), date(2027, 7, 19))
		self.assertIsNone(row["falls_on"])

	def test_the_what_if_goes_by_band_rank(self):
		set_tier_bands({"Bronze": 5 * MILLION, "Silver": 20 * MILLION, "Gold": 50 * MILLION})
		buy(self.suppliers[0], self.item, 1, 19_900_000)
		_columns, rows, _message, _chart, summary = tier_forecast.execute({"what_if_2": 19_500_000})
		row = next(row for row in rows if row["key_account"] == self.account)
		# 19.9M is Bronze under the bands in force and Silver when the second band starts at 19.5M
		self.assertEqual((row["tier"], row["what_if_tier"]), ("Bronze", "Silver"))
		self.assertIn("Silver under the what-if", [item["label"] for item in summary])

	def test_development_fits_the_trend_to_whole_months_and_shows_whole_amounts(self):
		# 1M on the 10th of every month: flat. The period starts on 16 June 2025, so June 2025 holds
		# none of it; the trend over the eleven whole months July … May is 0.
		for month in range(12):
			day = date(2025 + (6 + month) // 12, (6 + month) % 12 + 1, 10)
			buy(self.suppliers[0], self.item, 1, 1 * MILLION, posting_date=day)
		columns, rows, *_ = development_analysis.execute(
			{
				"from_date": "2025-06-16",
				"to_date": "2026-06-15",
				"key_account": self.account,
				"measure": "Purchases",
			}
		)
		(row,) = rows
		self.assertEqual(
			(row["m_2025_06"], row["m_2025_07"], row["m_2026_06"]), (0, 1 * MILLION, 1 * MILLION)
		)
		self.assertEqual((row["total"], row["trend"]), (12 * MILLION, 0.0))
		shown = len(frappe.utils.fmt_money(1 * MILLION, currency="CNY"))  # "¥ 1,000,000.00"
		for column in columns:
			if column["fieldname"].startswith("m_"):
				self.assertGreaterEqual(column["width"], 8 * shown + 24, column["fieldname"])

	def test_qualification_is_scanned_by_the_button_and_the_daily_job_not_on_save(self):
		from key_account_mgmt.account_file.qualification import refresh_sales_criteria
		from key_account_mgmt.key_account_management.doctype.key_account.key_account import (
			refresh_qualification,
		)

		SalesInvoiceFactory(item=self.item, qty=1, rate=1 * MILLION)
		account = frappe.get_doc("Key Account", self.account)
		account.history = "Founded 1968"
		account.save()
		self.assertEqual((account.criterion_top_ten_brand, account.qualification_evaluated_on), (0, None))

		clerk = UserFactory(roles_held=["Key Account User"]).name
		frappe.set_user(clerk)
		refresh_qualification(self.account)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Key Account", self.account, "criterion_top_ten_brand"), 1)
		frappe.set_user(UserFactory(roles_held=["Accounts User"]).name)
		self.assertRaises(frappe.PermissionError, refresh_qualification, self.account)
		frappe.set_user("Administrator")

		frappe.db.set_value("Key Account", self.account, "criterion_top_ten_brand", 0)
		self.assertEqual(refresh_sales_criteria(), [])
		self.assertEqual(frappe.db.get_value("Key Account", self.account, "criterion_top_ten_brand"), 1)
		self.assertIn(
			"key_account_mgmt.account_file.qualification.refresh_qualifications_daily",
			frappe.get_hooks("scheduler_events")["daily_long"],
		)


class TestRegisterWithoutFiscalYear(KeyAccountTestCase):
	def test_the_register_works_when_no_fiscal_year_covers_today(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		this_year_start = frappe.db.get_value(
			"Fiscal Year",
			{"year_start_date": ("<=", getdate()), "year_end_date": (">=", getdate())},
			"year_start_date",
		)
		last_year = frappe.db.get_value(
			"Fiscal Year",
			{"year_end_date": add_days(this_year_start, -1)},
			"name",
		)
		buy(supplier, ItemFactory().name, 1, 7 * MILLION, posting_date=add_days(this_year_start, -30))
		# the books have no year for today (nor any later one)
		self.addCleanup(frappe.cache.delete_value, "fiscal_years")
		for name in frappe.get_all("Fiscal Year", {"year_start_date": (">=", this_year_start)}, pluck="name"):
			frappe.db.set_value("Fiscal Year", name, "disabled", 1)
		frappe.cache.delete_value("fiscal_years")
		_columns, rows = key_account_register.execute({})
		row = next(row for row in rows if row["key_account"] == account)
		# no column for a year that is not there; last year is the latest one before today
		self.assertEqual((row["this_year"], row["last_year"]), (0, 7 * MILLION))
		self.assertTrue(last_year)
