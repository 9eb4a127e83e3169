"""The shared query layer: companies in different currencies, summed by the database where nothing is
converted and day by day where something is, against figures worked out by hand."""

import frappe
from frappe.utils import getdate

from key_account_mgmt.analysis import queries
from key_account_mgmt.key_account_management.report.development_analysis import development_analysis
from key_account_mgmt.key_account_management.report.value_analysis import value_analysis
from key_account_mgmt.setup.company import COMPANY_NAME, FOREIGN_COMPANY_NAME, ensure_calendar_fiscal_years
from key_account_mgmt.tests.factories import (
	ItemFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SalesInvoiceFactory,
	SupplierFactory,
	UserFactory,
	currency_exchange,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase

MILLION = 1_000_000


class TestCurrenciesInOneQuery(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		ensure_calendar_fiscal_years(2025, 2027)
		self.brand = f"Brand {frappe.generate_hash(length=5)}"
		frappe.get_doc({"doctype": "Brand", "brand": self.brand}).insert()
		self.supplier = SupplierFactory().name
		self.account = KeyAccountFactory(brand=self.brand, supplier_names=[self.supplier]).name
		self.item = ItemFactory(brand=self.brand).name
		# Both companies count: the yuan company's figures as they are, the dollar company's at 8 yuan
		# a dollar from 1 March and 7 from 15 March.
		currency_exchange("USD", "CNY", 8, "2026-03-01")
		currency_exchange("USD", "CNY", 7, "2026-03-15")
		settings = frappe.get_single("Key Account Settings")
		settings.append("companies", {"company": COMPANY_NAME})
		settings.append("companies", {"company": FOREIGN_COMPANY_NAME})
		settings.save()

	def sell(self, rate, posting_date, company=COMPANY_NAME):
		SalesInvoiceFactory(company=company, item=self.item, qty=1, rate=rate, posting_date=posting_date)

	def test_sales_of_companies_in_two_currencies(self):
		self.sell(1 * MILLION, "2026-03-05")
		self.sell(2 * MILLION, "2026-03-25")
		self.sell(100_000, "2026-03-10", FOREIGN_COMPANY_NAME)  # 800,000 yuan
		self.sell(100_000, "2026-03-20", FOREIGN_COMPANY_NAME)  # 700,000 yuan
		self.sell(500_000, "2026-04-02")
		frappe.set_user(UserFactory(roles_held=["Key Account Manager"]).name)

		_columns, rows, *_ = development_analysis.execute(
			{
				"from_date": "2026-03-01",
				"to_date": "2026-04-30",
				"key_account": self.account,
				"measure": "Sales",
			}
		)
		self.assertEqual(
			[(row["m_2026_03"], row["m_2026_04"], row["total"]) for row in rows],
			[(4_500_000, 500_000, 5 * MILLION)],
		)
		# the items are not stocked, so no cost is booked: the gross profit is the net sales
		_columns, rows, *_ = value_analysis.execute(
			{"from_date": "2026-03-01", "to_date": "2026-03-31", "key_account": self.account}
		)
		self.assertEqual([row["gross_profit"] for row in rows], [4_500_000])
		figures = queries.sales(
			queries.analysis_scope(),
			frappe.utils.getdate("2026-03-01"),
			frappe.utils.getdate("2026-04-30"),
			by=("brand", "month"),
			brand=self.brand,
		)
		self.assertEqual(
			{key: (value.amount, value.qty) for key, value in figures.items()},
			{(self.brand, (2026, 3)): (4_500_000, 4), (self.brand, (2026, 4)): (500_000, 1)},
		)

	def test_procurement_of_companies_in_two_currencies(self):
		PurchaseInvoiceFactory(supplier=self.supplier, amount=1 * MILLION, posting_date="2026-03-05")
		outside = SupplierFactory().name
		PurchaseInvoiceFactory(supplier=outside, amount=300_000, posting_date="2026-03-06")
		PurchaseInvoiceFactory(
			company=FOREIGN_COMPANY_NAME, supplier=outside, amount=100_000, posting_date="2026-03-20"
		)  # 700,000 yuan
		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)
		_columns, rows, *_ = value_analysis.execute(
			{"from_date": "2026-03-01", "to_date": "2026-03-31", "key_account": self.account}
		)
		# 1M of the 2M bought in the period
		self.assertEqual([(row["purchases"], row["share"]) for row in rows], [(1 * MILLION, 50.0)])


class TestSalesSummary(KeyAccountTestCase):
	"""The summary the analyses read agrees with the Sales Invoices after submits, a cancel, an
	amendment and a rebuild."""

	def summary(self):
		return {
			(row.period, str(row.period_start), row.company, row.brand, row.territory): (
				float(row.net_amount),
				float(row.stock_qty),
				float(row.cost),
			)
			for row in frappe.get_all(
				"Key Account Sales Summary",
				fields=[
					"period",
					"period_start",
					"company",
					"brand",
					"territory",
					"net_amount",
					"stock_qty",
					"cost",
				],
			)
			if row.net_amount or row.stock_qty or row.cost
		}

	def fresh(self):
		"""The same sums straight from the invoices."""
		figures = {}
		for row in frappe.db.sql(
			"""SELECT si.posting_date, si.company, IFNULL(sii.brand, '') AS brand,
				IFNULL(si.territory, '') AS territory, sii.base_net_amount, sii.stock_qty,
				IFNULL(sii.incoming_rate, 0) * sii.stock_qty AS cost
			FROM `tabSales Invoice Item` sii INNER JOIN `tabSales Invoice` si ON si.name = sii.parent
			WHERE si.docstatus = 1""",
			as_dict=True,
		):
			month = row.posting_date.replace(day=1)
			for key in (
				("Day", str(row.posting_date), row.company, row.brand, row.territory),
				("Month", str(month), row.company, row.brand, row.territory),
				("Brand Month", str(month), row.company, row.brand, ""),
			):
				amounts = figures.setdefault(key, [0.0, 0.0, 0.0])
				for index, value in enumerate((row.base_net_amount, row.stock_qty, row.cost)):
					amounts[index] += float(value)
		return {key: tuple(values) for key, values in figures.items() if any(values)}

	def test_the_summary_follows_submit_cancel_and_amend_and_a_rebuild_writes_the_same(self):
		from key_account_mgmt.analysis.sales_summary import rebuild

		brands = []
		for _index in range(2):
			brands.append(f"Brand {frappe.generate_hash(length=5)}")
			frappe.get_doc({"doctype": "Brand", "brand": brands[-1]}).insert()
		first, second = (ItemFactory(brand=brand).name for brand in brands)
		SalesInvoiceFactory(item=first, qty=2, rate=1000, posting_date="2026-03-05")
		SalesInvoiceFactory(item=first, qty=1, rate=500, posting_date="2026-03-05")
		cancelled = SalesInvoiceFactory(item=second, qty=3, rate=700, posting_date="2026-03-20")
		SalesInvoiceFactory(item=ItemFactory().name, qty=1, rate=90, posting_date="2026-04-01")  # no brand
		self.assertEqual(self.summary(), self.fresh())
		self.assertEqual(
			self.summary()[("Month", "2026-03-01", COMPANY_NAME, brands[0], "All Territories")][0], 2500
		)

		cancelled.reload()
		cancelled.cancel()
		# its brand sold nothing else: no longer a key, as among the invoice rows
		march = queries.sales(
			queries.analysis_scope(), getdate("2026-03-01"), getdate("2026-03-31"), by=("brand",)
		)
		self.assertEqual(set(march), {(brands[0],)})
		amended = frappe.copy_doc(cancelled)
		amended.amended_from, amended.docstatus = cancelled.name, 0
		amended.items[0].qty = 4
		amended.insert()
		amended.submit()
		self.assertEqual(self.summary(), self.fresh())
		self.assertEqual(
			self.summary()[("Day", "2026-03-20", COMPANY_NAME, brands[1], "All Territories")][:2], (2800, 4)
		)

		before = self.summary()
		rebuild()
		self.assertEqual(self.summary(), before)
