"""Joint promotions, plan exchange, the monthly two-way report and the data-sharing portal, with
real submitted Sales Invoices and figures worked out by hand."""

from datetime import date

import frappe
import frappe.client
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.utils import add_days, getdate

from key_account_mgmt.api.portal import get_portal_data
from key_account_mgmt.key_account_management.report.plan_exchange_status import plan_exchange_status
from key_account_mgmt.marketing.monthly_reports import generate
from key_account_mgmt.marketing.plans import create_expected_plans, mark_overdue_plans
from key_account_mgmt.setup.company import ensure_calendar_fiscal_years
from key_account_mgmt.tests.factories import (
	ContactFactory,
	ContactRoleFactory,
	ItemFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SalesInvoiceFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase, set_tier_bands

MILLION = 1_000_000


def territory(name):
	if not frappe.db.exists("Territory", name):
		frappe.get_doc(
			{"doctype": "Territory", "territory_name": name, "parent_territory": "All Territories"}
		).insert()
	return name


def brand(name):
	if not frappe.db.exists("Brand", name):
		frappe.get_doc({"doctype": "Brand", "brand": name}).insert()
	return name


class MarketingTestCase(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		ensure_calendar_fiscal_years(2025, 2026)
		self.today = getdate()
		self.brand = brand(f"Brand {frappe.generate_hash(length=5)}")
		self.supplier = SupplierFactory().name
		self.account = KeyAccountFactory(brand=self.brand, supplier_names=[self.supplier]).name


class TestJointPromotion(MarketingTestCase):
	def promotion(self, **values):
		return frappe.get_doc(
			{
				"doctype": "Joint Promotion",
				"title": "Summer air conditioners",
				"key_account": self.account,
				"cooperation_form": "On-Site Promotion",
				"from_date": add_days(self.today, -9),
				"to_date": self.today,
				"total_budget": 800_000,
				"our_share_percent": 40,
				"account_share_percent": 60,
				**values,
			}
		).insert()

	def test_cost_shares_must_add_up_and_the_period_must_run_forwards(self):
		self.assertRaisesRegex(
			frappe.ValidationError, "must add up to 100%", self.promotion, our_share_percent=50
		)
		self.assertRaisesRegex(
			frappe.ValidationError, "ends before it starts", self.promotion, to_date=add_days(self.today, -20)
		)

	def test_the_workflow_and_the_uplift_measured_on_completion(self):
		north, south = territory("North QA"), territory("South QA")
		item = ItemFactory(brand=self.brand).name
		SalesInvoiceFactory(
			item=item, rate=2 * MILLION, territory=north, posting_date=add_days(self.today, -15)
		)
		SalesInvoiceFactory(
			item=item, rate=3 * MILLION, territory=north, posting_date=add_days(self.today, -3)
		)
		SalesInvoiceFactory(
			item=item, rate=9 * MILLION, territory=south, posting_date=add_days(self.today, -3)
		)
		promotion = self.promotion(territories=[{"territory": north}])
		self.assertEqual(promotion.workflow_state, "Draft")

		clerk = UserFactory(roles_held=["Key Account User"]).name
		frappe.set_user(clerk)
		promotion = apply_workflow(promotion, "Propose")
		self.assertRaises(
			WorkflowTransitionError, apply_workflow, promotion, "Approve"
		)  # not theirs to approve
		frappe.set_user("Administrator")
		for action in ("Approve", "Start", "Complete"):
			promotion = apply_workflow(promotion, action)
		self.assertEqual(promotion.workflow_state, "Completed")
		# 3M in the north during the ten days, 2M in the ten days before; the south is not promoted
		self.assertEqual(
			(
				promotion.promotion_sales,
				promotion.baseline_sales,
				promotion.uplift_amount,
				promotion.uplift_percent,
			),
			(3 * MILLION, 2 * MILLION, 1 * MILLION, 50.0),
		)
		self.assertEqual(getdate(promotion.baseline_from), add_days(self.today, -19))
		self.assertRaisesRegex(frappe.ValidationError, "actual cost", apply_workflow, promotion, "Evaluate")
		promotion.reload()
		promotion.actual_cost = 500_000
		promotion.save()
		promotion = apply_workflow(promotion, "Evaluate")
		self.assertEqual((promotion.workflow_state, promotion.return_on_cost), ("Evaluated", 2.0))


class TestPlanExchange(MarketingTestCase):
	def test_expected_plans_follow_the_calendar_and_the_tier_and_turn_overdue(self):
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		frappe.db.set_value("Key Account", self.account, {"tier": "Partner", "account_manager": manager})
		ordinary_supplier = SupplierFactory().name
		ordinary = KeyAccountFactory(supplier_names=[ordinary_supplier]).name
		PurchaseInvoiceFactory(supplier=ordinary_supplier, amount=6 * MILLION)
		year = self.today.year
		april = date(year, 4, 15)
		self.assertGreaterEqual(create_expected_plans(april), 14)
		self.assertEqual(create_expected_plans(april), 0)  # idempotent
		partner_plans = frappe.get_all(
			"Key Account Plan", filters={"key_account": self.account}, fields=["plan_type", "period_start"]
		)
		self.assertEqual(len(partner_plans), 8)
		self.assertIn(
			("Short Promotion Plan", date(year, 4, 1)),
			[(p.plan_type, getdate(p.period_start)) for p in partner_plans],
		)
		self.assertIn(
			("Annual Market Plan", date(year, 1, 1)),
			[(p.plan_type, getdate(p.period_start)) for p in partner_plans],
		)
		ordinary_types = frappe.get_all(
			"Key Account Plan", filters={"key_account": ordinary}, pluck="plan_type"
		)
		self.assertEqual(len(ordinary_types), 6)
		self.assertNotIn("Short Promotion Plan", ordinary_types)

		received = frappe.get_doc(
			"Key Account Plan", {"key_account": self.account, "plan_type": "Annual Market Plan"}
		)
		received.status = "Received"
		received.save()
		overdue = mark_overdue_plans(april)  # due on 1 January or 1 April, grace of 10 days
		self.assertEqual(
			frappe.db.count("Key Account Plan", {"key_account": self.account, "status": "Overdue"}), 7
		)
		self.assertIn(received.name, frappe.get_all("Key Account Plan", {"status": "Received"}, pluck="name"))
		self.assertTrue(
			frappe.db.exists("Notification Log", {"for_user": manager, "document_name": ("in", overdue)})
		)
		_columns, rows, _message, _chart, summary = plan_exchange_status.execute(
			{"key_account": self.account}
		)
		self.assertEqual(len(rows), 8)
		self.assertEqual({item["label"]: item["value"] for item in summary}["Overdue"], 7)


class TestMonthlyReport(MarketingTestCase):
	def test_outbound_figures_from_sales_and_inbound_text_kept_on_regeneration(self):
		group = "Air Conditioners QA"
		if not frappe.db.exists("Item Group", group):
			frappe.get_doc(
				{"doctype": "Item Group", "item_group_name": group, "parent_item_group": "All Item Groups"}
			).insert()
		north, south = territory("North QA"), territory("South QA")
		rival, minor = brand("Rival QA"), brand("Minor QA")
		ours = ItemFactory(brand=self.brand, item_group=group).name
		SalesInvoiceFactory(item=ours, qty=2, rate=1 * MILLION, territory=north)
		SalesInvoiceFactory(item=ours, qty=1, rate=1 * MILLION, territory=south)
		SalesInvoiceFactory(
			item=ItemFactory(brand=rival, item_group=group).name, rate=2_500_000, territory=north
		)
		SalesInvoiceFactory(
			item=ItemFactory(brand=minor, item_group=group).name, rate=500_000, territory=north
		)
		report = generate(self.account, self.today)
		self.assertEqual(
			(report.national_sales_amount, report.national_sales_qty, report.brand_rank, report.brands_count),
			(3 * MILLION, 3, 1, 3),
		)
		self.assertEqual(
			[(row.territory, row.sales_amount, row.rank) for row in report.regions],
			[(north, 2 * MILLION, 2), (south, 1 * MILLION, 1)],
		)
		self.assertEqual(
			[
				(row.item_group, row.brand_sales, row.group_sales, row.share_percent)
				for row in report.item_groups
			],
			[(group, 3 * MILLION, 6 * MILLION, 50.0)],
		)
		self.assertEqual([(row.brand, row.rank) for row in report.competitors], [(rival, 1), (minor, 2)])
		report.requests_and_suggestions = "More display space in the north"
		report.save()
		again = generate(self.account, self.today)
		self.assertEqual(
			(again.name, again.requests_and_suggestions), (report.name, "More display space in the north")
		)
		html = frappe.get_print("Key Account Monthly Report", again.name, "Key Account Monthly Report")
		self.assertIn("More display space in the north", html)


class TestDataSharingPortal(MarketingTestCase):
	def setUp(self):
		super().setUp()
		self.portal_user = UserFactory(user_type="Website User").name
		contact = ContactFactory(user=self.portal_user).name
		self.role = ContactRoleFactory(key_account=self.account, contact=contact, portal_access=1)
		other_supplier = SupplierFactory().name
		self.other = KeyAccountFactory(supplier_names=[other_supplier]).name
		self.other_report = generate(self.other, self.today).name

	def test_a_contact_sees_its_own_brands_sales_stock_and_reports(self):
		item = ItemFactory(brand=self.brand).name
		SalesInvoiceFactory(item=item, qty=4, rate=250_000, territory=territory("North QA"))
		own_report = generate(self.account, self.today).name
		frappe.set_user(self.portal_user)
		data = get_portal_data()
		self.assertEqual(data["account"], self.account)
		self.assertEqual(
			[(row.territory, row.amount, row.qty) for row in data["sales"]], [("North QA", 1 * MILLION, 4)]
		)
		self.assertEqual([row.name for row in data["reports"]], [own_report])

	def test_another_accounts_data_is_refused_by_api_and_by_url(self):
		from key_account_mgmt.www import key_account_portal

		frappe.set_user(self.portal_user)
		self.assertRaises(frappe.PermissionError, get_portal_data, self.other)
		frappe.form_dict.update({"account": self.other})
		try:
			self.assertRaises(frappe.PermissionError, key_account_portal.get_context, frappe._dict())
			frappe.form_dict.update({"account": self.account, "report": self.other_report})
			self.assertRaises(frappe.PermissionError, key_account_portal.get_context, frappe._dict())
			frappe.form_dict.pop("report")
			context = key_account_portal.get_context(frappe._dict())
			self.assertEqual(context.account, self.account)
		finally:
			frappe.form_dict.pop("account", None)
			frappe.form_dict.pop("report", None)

	def test_access_is_granted_by_key_account_managers_and_can_be_withdrawn(self):
		grant = "Key Account Portal Grant"
		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)
		self.assertRaises(
			frappe.PermissionError, frappe.client.set_value, grant, self.role.name, "portal_access", 0
		)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value(grant, self.role.name, "portal_access"), 1)
		frappe.set_user(UserFactory(roles_held=["Key Account Manager"]).name)
		frappe.client.set_value(grant, self.role.name, "portal_access", 0)
		frappe.set_user(self.portal_user)
		self.assertRaises(frappe.PermissionError, get_portal_data)


class TestMonthlyReportRegenerate(MarketingTestCase):
	def test_regenerate_from_the_form_needs_write_access(self):
		from key_account_mgmt.key_account_management.doctype.key_account_monthly_report.key_account_monthly_report import (
			regenerate,
		)

		report = generate(self.account, self.today)
		item = ItemFactory(brand=self.brand).name
		SalesInvoiceFactory(item=item, qty=2, rate=500_000)
		regenerate(report.name)
		self.assertEqual(
			frappe.db.get_value("Key Account Monthly Report", report.name, "national_sales_amount"),
			1 * MILLION,
		)
		frappe.set_user(UserFactory(roles_held=["Accounts User"]).name)
		self.assertRaises(frappe.PermissionError, regenerate, report.name)


class TestPlanRulesAndCards(MarketingTestCase):
	def test_renamed_bands_keep_their_plans_by_rank(self):
		set_tier_bands({"Bronze": 5 * MILLION, "Silver": 20 * MILLION, "Gold": 50 * MILLION})
		PurchaseInvoiceFactory(supplier=self.supplier, amount=25 * MILLION)
		bronze_supplier = SupplierFactory().name
		bronze = KeyAccountFactory(supplier_names=[bronze_supplier]).name
		PurchaseInvoiceFactory(supplier=bronze_supplier, amount=6 * MILLION)
		self.assertEqual(frappe.db.get_value("Key Account", self.account, "tier"), "Silver")
		create_expected_plans(date(2026, 4, 15))
		# the second band owes all eight; the first band all but the two of the larger accounts
		self.assertEqual(frappe.db.count("Key Account Plan", {"key_account": self.account}), 8)
		bronze_plans = frappe.get_all("Key Account Plan", {"key_account": bronze}, pluck="plan_type")
		self.assertEqual(len(bronze_plans), 6)
		self.assertNotIn("Short Promotion Plan", bronze_plans)

	def test_each_plan_is_in_one_card(self):
		def plan(plan_type, status, received_on=None):
			return frappe.get_doc(
				{
					"doctype": "Key Account Plan",
					"key_account": self.account,
					"plan_type": plan_type,
					"direction": "From the Account",
					"period_start": "2026-01-01",
					"due_date": "2026-01-10",
					"status": status,
					"received_on": received_on,
				}
			).insert()

		plan("Annual Market Plan", "Received", "2026-01-05")  # on time
		plan("Annual Marketing Spend Plan", "Received", "2026-01-20")  # ten days late
		plan("Annual Brand Sales Plan", "Overdue")
		plan("Major Events Plan", "Expected")
		_columns, rows, _message, _chart, summary = plan_exchange_status.execute(
			{"key_account": self.account}
		)
		cards = {item["label"]: item["value"] for item in summary}
		self.assertEqual(cards, {"Received on Time": 1, "Received Late": 1, "Overdue": 1, "Expected": 1})
		self.assertEqual(sum(cards.values()), len(rows))


class TestScheduledJobsGoOnPastAFailingAccount(MarketingTestCase):
	def error_logs(self, account):
		return frappe.get_all("Error Log", filters={"reference_name": account}, pluck="name")

	def test_the_monthly_reports_of_the_other_accounts_are_made(self):
		from key_account_mgmt.marketing.monthly_reports import generate_all

		good = KeyAccountFactory(brand=self.brand, supplier_names=[SupplierFactory().name]).name
		broken = KeyAccountFactory(supplier_names=[SupplierFactory().name]).name
		# its brand was deleted behind the form's back: the report cannot link to it
		frappe.db.set_value("Key Account", broken, "brand", "Brand That Was Deleted")
		self.assertEqual(generate_all(date(2026, 5, 1)), [broken])
		made = frappe.get_all("Key Account Monthly Report", {"month": "2026-05-01"}, pluck="key_account")
		self.assertIn(good, made)
		self.assertIn(self.account, made)
		self.assertNotIn(broken, made)
		self.assertTrue(self.error_logs(broken))

	def test_the_plans_of_the_other_accounts_are_made_and_marked(self):
		from key_account_mgmt.marketing.plans import plan_calendar

		for account in (self.account,):
			frappe.db.set_value("Key Account", account, "tier", "Partner")
		broken_supplier = SupplierFactory().name
		broken = KeyAccountFactory(supplier_names=[broken_supplier]).name
		frappe.db.set_value("Key Account", broken, "tier", "Partner")
		for account in (self.account, broken):
			frappe.get_doc(
				{
					"doctype": "Key Account Plan",
					"key_account": account,
					"plan_type": "Annual Market Plan",
					"direction": "From the Account",
					"period_start": "2026-01-01",
					"due_date": "2026-01-01",
					"status": "Expected",
				}
			).insert()
		# its account manager's user was removed: the overdue notice cannot be addressed
		frappe.db.set_value("Key Account", broken, "account_manager", "gone@example.com")
		self.assertEqual(plan_calendar(date(2026, 4, 15)), [broken])
		self.assertEqual(
			frappe.db.get_value(
				"Key Account Plan", {"key_account": self.account, "plan_type": "Annual Market Plan"}, "status"
			),
			"Overdue",
		)
		self.assertEqual(frappe.db.count("Key Account Plan", {"key_account": self.account}), 8)
		# the failing account's work is undone as a whole, not left half-done
		self.assertEqual(frappe.db.count("Key Account Plan", {"key_account": broken}), 1)
		self.assertTrue(self.error_logs(broken))
