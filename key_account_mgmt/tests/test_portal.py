"""The data-sharing portal as a manufacturer's contact reads it (Art. 11, "within limits"): its own
brand's sales as a region × month pivot with totals and a chart, its monthly reports with competitors
by rank and rounded share only, the portal menu entry; every desk path to the report refused.
Each test logs in as the website user of a granted contact."""

import re

import frappe
import frappe.api
from frappe.handler import execute_cmd
from frappe.utils import add_months, fmt_money, getdate
from frappe.website.serve import get_response
from frappe.website.utils import get_portal_sidebar_items

from key_account_mgmt.api.portal import get_portal_data
from key_account_mgmt.marketing.monthly_reports import generate
from key_account_mgmt.marketing.portal_access import PORTAL_ROLE
from key_account_mgmt.patches.v0_2 import give_portal_role_to_granted_users
from key_account_mgmt.setup.company import ensure_calendar_fiscal_years
from key_account_mgmt.tests.factories import (
	ContactFactory,
	ContactRoleFactory,
	ItemFactory,
	KeyAccountFactory,
	SalesInvoiceFactory,
	UserFactory,
)
from key_account_mgmt.tests.test_integrity import http_request
from key_account_mgmt.tests.utils import KeyAccountTestCase

MILLION = 1_000_000
GROUP = "Air Conditioners Portal QA"
MENU_TITLE = "Key Account Data"


def cny(amount: float) -> str:
	"""As Frappe shows an amount in the threshold currency, in whole units."""
	return fmt_money(amount, precision=0, currency="CNY")


def whole(amount: float) -> str:
	"""As Frappe formats a number in whole units (the sales table names its currency above it)."""
	return fmt_money(amount, precision=0)


def named(doctype: str, name: str, **values) -> str:
	if not frappe.db.exists(doctype, name):
		frappe.get_doc({"doctype": doctype, **values}).insert()
	return name


def territory(name: str) -> str:
	return named("Territory", name, territory_name=name, parent_territory="All Territories")


def brand(name: str) -> str:
	return named("Brand", name, brand=name)


def grant_portal(account: str, user: str):
	"""A contact of `account` whose website user is `user`, granted the portal."""
	return ContactRoleFactory(key_account=account, contact=ContactFactory(user=user).name, portal_access=1)


def menu_titles(user: str) -> list[str]:
	frappe.set_user(user)
	frappe.cache.hdel("portal_menu_items", user)
	return [item.get("title") for item in get_portal_sidebar_items()]


class PortalTestCase(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.today = getdate()
		ensure_calendar_fiscal_years(self.today.year - 1, self.today.year)
		self.brand = brand(f"Midea QA {frappe.generate_hash(length=5)}")
		self.account = KeyAccountFactory(brand=self.brand, supplier_names=[]).name
		self.portal_user = UserFactory(user_type="Website User").name
		self.grant = grant_portal(self.account, self.portal_user)

	def page(self, **query) -> tuple[int, str]:
		frappe.set_user(self.portal_user)
		with http_request("GET", "/key_account_portal", **query):
			response = get_response()
		return response.status_code, frappe.safe_decode(response.get_data())


class TestCompetitorsStayWithinLimits(PortalTestCase):
	"""Ours sells 3M in the item group, a rival 2.5M and a minor brand 0.5M: of the group's 6M, ours
	has 50 %, the rival 41.67 % (42 %), the minor 8.33 % (8 %)."""

	def setUp(self):
		super().setUp()
		named("Item Group", GROUP, item_group_name=GROUP, parent_item_group="All Item Groups")
		north = territory("North Portal QA")
		self.rival, self.minor = brand("Rival Portal QA"), brand("Minor Portal QA")
		ours = ItemFactory(brand=self.brand, item_group=GROUP).name
		SalesInvoiceFactory(item=ours, qty=3, rate=1 * MILLION, territory=north)
		for other, amount in ((self.rival, 2_500_000), (self.minor, 500_000)):
			SalesInvoiceFactory(
				item=ItemFactory(brand=other, item_group=GROUP).name, rate=amount, territory=north
			)
		self.report = generate(self.account, self.today).name

	def assert_no_exact_competitor_sales(self, text: str, where: str):
		# the rival's, the minor brand's, and the item group's total that they and ours add up to
		for amount in ("2,500,000", "2500000", "500,000", "500000", "6,000,000", "6000000"):
			self.assertNotIn(amount, text, f"{where}: a competitor's exact sales ({amount}) reach the portal")

	def test_the_report_page_names_competitors_by_rank_and_whole_percent_share_only(self):
		status, html = self.page(account=self.account, report=self.report)
		self.assertEqual(status, 200)
		self.assertIn(self.rival, html)
		self.assertIn(self.minor, html)
		self.assertIn("42%", html)  # the rival
		self.assertIn("8%", html)  # the minor brand
		self.assertIn("50%", html)  # our own share
		self.assert_no_exact_competitor_sales(html, "the report page's source")
		self.assertIn(cny(3 * MILLION), html)  # the brand's own national sales are its own to read

	def test_the_print_sent_to_the_account_keeps_the_same_limits(self):
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		frappe.set_user(manager)
		html = frappe.get_print(
			"Key Account Monthly Report", self.report, "Key Account Monthly Report", no_letterhead=1
		)
		self.assertIn(self.rival, html)
		self.assertIn("42%", html)
		self.assert_no_exact_competitor_sales(html, "the monthly report's print")

	def test_exact_competitor_sales_only_when_the_setting_says_so(self):
		field = frappe.get_meta("Key Account Settings").get_field("portal_shows_competitor_sales")
		self.assertEqual(field.label, "Show Competitors' Exact Sales on the Portal")
		self.assertEqual(field.default, "0")
		self.assertFalse(frappe.db.get_single_value("Key Account Settings", "portal_shows_competitor_sales"))
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		frappe.set_user(manager)
		settings = frappe.get_doc("Key Account Settings")
		settings.portal_shows_competitor_sales = 1
		settings.save()
		status, html = self.page(account=self.account, report=self.report)
		self.assertEqual(status, 200)
		self.assertIn("2,500,000", html)
		self.assertIn("42%", html)

	def test_the_portal_api_and_the_data_page_carry_no_competitor(self):
		frappe.set_user(self.portal_user)
		data = frappe.as_json(get_portal_data())
		self.assertNotIn(self.rival, data)
		self.assert_no_exact_competitor_sales(data, "get_portal_data")
		status, html = self.page()
		self.assertEqual(status, 200)
		self.assertNotIn(self.rival, html)
		self.assert_no_exact_competitor_sales(html, "the data page's source")

	def test_every_desk_path_to_the_report_is_refused_to_the_portal_user(self):
		frappe.set_user(self.portal_user)
		report = "Key Account Monthly Report"
		competitor = frappe.db.get_value(
			"Monthly Report Competitor", {"parent": self.report, "brand": self.rival}
		)
		resource_paths = (
			f"/api/resource/{report}/{self.report}",
			f"/api/resource/{report}",
			"/api/resource/Monthly Report Competitor",
			f"/api/resource/Monthly Report Competitor/{competitor}",
		)
		for path in resource_paths:
			with http_request("GET", path, fields='["*"]', parent=report):
				self.assertRaises(frappe.PermissionError, frappe.api.handle, frappe.request)
		calls = (
			("frappe.client.get", {"doctype": report, "name": self.report}),
			("frappe.client.get_list", {"doctype": "Monthly Report Competitor", "parent": report}),
			("frappe.desk.form.load.getdoc", {"doctype": report, "name": self.report}),
			("frappe.desk.reportview.get", {"doctype": report, "fields": '["name"]'}),
			("frappe.www.printview.get_html_and_style", {"doc": report, "name": self.report}),
		)
		for cmd, form in calls:
			with http_request("POST", f"/api/method/{cmd}", **form):
				self.assertRaises(frappe.PermissionError, execute_cmd, cmd)
		# POST: Frappe 15.12 writes and commits an Access Log for a GET of the print view before it
		# checks permission, which would commit this test's records too.
		with http_request("POST", "/printview", doctype=report, name=self.report):
			response = get_response()
		html = frappe.safe_decode(response.get_data())
		self.assertEqual(response.status_code, 403)
		self.assertNotIn(self.rival, html)
		self.assert_no_exact_competitor_sales(html, "the print view")


class TestPortalMenuEntry(PortalTestCase):
	def test_the_entry_survives_a_menu_sync_and_shows_only_to_granted_users(self):
		frappe.get_doc("Portal Settings").sync_menu()  # as install and every migrate do
		frappe.clear_document_cache("Portal Settings", "Portal Settings")
		entries = [
			(row.title, row.reference_doctype, row.role, row.enabled)
			for row in frappe.get_doc("Portal Settings").menu
			if row.route == "/key_account_portal"
		]
		self.assertEqual(entries, [(MENU_TITLE, "Key Account", PORTAL_ROLE, 1)])
		stranger = UserFactory(user_type="Website User").name
		self.assertIn(MENU_TITLE, menu_titles(self.portal_user))
		self.assertNotIn(MENU_TITLE, menu_titles(stranger))
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.get_value("Role", PORTAL_ROLE, "desk_access"))
		self.assertFalse(frappe.get_all("DocPerm", filters={"role": PORTAL_ROLE}))

	def test_withdrawing_the_grant_takes_the_entry_away(self):
		frappe.get_doc("Portal Settings").sync_menu()
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		self.assertIn(MENU_TITLE, menu_titles(self.portal_user))
		frappe.set_user(manager)
		grant = frappe.get_doc("Key Account Portal Grant", self.grant.name)
		grant.portal_access = 0
		grant.save()
		self.assertNotIn(PORTAL_ROLE, frappe.get_roles(self.portal_user))
		self.assertNotIn(MENU_TITLE, menu_titles(self.portal_user))

	def test_users_granted_before_the_role_existed_get_it_from_the_patch(self):
		frappe.db.delete("Has Role", {"parent": self.portal_user, "role": PORTAL_ROLE})
		frappe.clear_cache(user=self.portal_user)
		give_portal_role_to_granted_users.execute()
		self.assertIn(PORTAL_ROLE, frappe.get_roles(self.portal_user))


class TestSalesPivot(PortalTestCase):
	def setUp(self):
		super().setUp()
		self.north, self.south = territory("North Portal QA"), territory("South Portal QA")
		item = ItemFactory(brand=self.brand).name
		self.last_month = add_months(self.today, -1)
		SalesInvoiceFactory(item=item, qty=4, rate=250_000, territory=self.north)
		SalesInvoiceFactory(
			item=item, qty=1, rate=500_000, territory=self.north, posting_date=self.last_month
		)
		SalesInvoiceFactory(item=item, qty=2, rate=1 * MILLION, territory=self.south)

	def test_sales_by_region_and_month_with_totals_a_chart_and_whole_quantities(self):
		status, html = self.page()
		self.assertEqual(status, 200)
		this_month, last_month = (f"{day.year}-{day.month:02d}" for day in (self.today, self.last_month))
		table = html[
			html.index("key-account-sales") : html.index("</table>", html.index("key-account-sales"))
		]
		header, *rows = [
			[re.sub(r"<[^>]+>", "", cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
			for row in re.findall(r"<tr>(.*?)</tr>", table, re.DOTALL)
		]
		self.assertEqual(len(header), 15)  # the region, twelve months, the total and the quantity
		self.assertEqual(header[-4:], [last_month, this_month, "Total", "Quantity"])
		self.assertEqual(
			[row[0:1] + row[-4:] for row in rows],
			[
				# the larger region first; rows and columns add up
				[self.south, "", whole(2 * MILLION), whole(2 * MILLION), "2"],
				[self.north, whole(500_000), whole(1 * MILLION), whole(1_500_000), "5"],
				["Total", whole(500_000), whole(3 * MILLION), whole(3_500_000), "7"],
			],
		)
		self.assertNotRegex(table, r">\s*[\d,]+\.0\s*<")  # no 630.0
		chart = html[
			html.index("key-account-sales-chart") : html.index(
				"</svg>", html.index("key-account-sales-chart")
			)
		]
		self.assertEqual(chart.count("<rect "), 12)  # a bar a month, drawn by the server
		self.assertIn(f"<title>{this_month}: {cny(3 * MILLION)}</title>", chart)

	def test_an_account_without_a_brand_sees_no_sales(self):
		frappe.db.set_value("Key Account", self.account, "brand", None)
		frappe.set_user(self.portal_user)
		self.assertEqual(get_portal_data()["sales"], [])
		status, html = self.page()
		self.assertEqual(status, 200)
		self.assertIn("No sales in the last twelve months.", html)
		self.assertNotIn("2,000,000", html)
