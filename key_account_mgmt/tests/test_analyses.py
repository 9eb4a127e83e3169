"""Development, behaviour, agent contribution, satisfaction, forecast and the one-to-one page,
each against figures worked out by hand."""

import frappe
from frappe.utils import add_days, add_months, get_first_day, getdate

from key_account_mgmt.analysis.figures import months_between
from key_account_mgmt.key_account_management.report.agent_contribution import agent_contribution
from key_account_mgmt.key_account_management.report.behaviour_analysis import behaviour_analysis
from key_account_mgmt.key_account_management.report.development_analysis import development_analysis
from key_account_mgmt.key_account_management.report.satisfaction_analysis import satisfaction_analysis
from key_account_mgmt.key_account_management.report.tier_forecast import tier_forecast
from key_account_mgmt.tests.factories import (
	ContactRoleFactory,
	ItemFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SalesInvoiceFactory,
	SupplierFactory,
	make_debit_note,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.core import rolling_twelve_months

MILLION = 1_000_000


def buy(supplier, item, qty, rate, **kwargs):
	return PurchaseInvoiceFactory(
		supplier=supplier, items=[{"item_code": item, "qty": qty, "rate": rate}], **kwargs
	)


class TestAnalyses(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.brand = f"Brand {frappe.generate_hash(length=5)}"
		frappe.get_doc({"doctype": "Brand", "brand": self.brand}).insert()
		self.suppliers = [SupplierFactory().name, SupplierFactory().name]
		self.account = KeyAccountFactory(brand=self.brand, supplier_names=self.suppliers).name
		self.today = getdate()

	def test_development_month_by_month_with_trend(self):
		last_month = get_first_day(add_months(self.today, -1))
		item = ItemFactory(brand=self.brand).name
		buy(self.suppliers[0], item, 1, 1 * MILLION, posting_date=last_month)
		buy(self.suppliers[1], item, 1, 3 * MILLION)
		SalesInvoiceFactory(item=item, qty=2, rate=1 * MILLION)
		_columns, rows, _message, chart = development_analysis.execute(
			{"from_date": last_month, "to_date": self.today, "key_account": self.account}
		)
		months = [f"m_{year}_{month:02d}" for year, month in months_between(last_month, self.today)]
		purchases, sales = rows
		self.assertEqual([purchases[month] for month in months], [1 * MILLION, 3 * MILLION])
		self.assertEqual((purchases["total"], purchases["trend"]), (4 * MILLION, 100.0))
		self.assertEqual([sales[month] for month in months], [0, 2 * MILLION])
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
				"what_if_ordinary": 1 * MILLION,
				"what_if_partner": 19_500_000,
				"what_if_strategic": 50 * MILLION,
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
			"must be above zero and rise",
			tier_forecast.execute,
			{"what_if_partner": 1},
		)

	def test_the_one_to_one_page_brings_the_analyses_together(self):
		item = ItemFactory(brand=self.brand).name
		buy(self.suppliers[0], item, 1, 7 * MILLION)
		html = frappe.get_print("Key Account", self.account, "Key Account One-to-One")
		for text in (self.account, "Value Analysis", "Agent Contribution", self.suppliers[0], "Ordinary"):
			self.assertIn(text, html)
