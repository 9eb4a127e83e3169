"""The desk in a real headless Chromium (Debian's), driven by Playwright against the test site served
by gunicorn on 127.0.0.1, as the people the app is for, each holding only their own roles:

- finance (Accounts User + Purchase User) submits a Purchase Invoice that crosses a band and reads
  the tier change;
- a Key Account Manager with no other role opens every workspace link and number card it is shown,
  and no request on the way is refused or fails;
- a Key Account User proposes a joint promotion and a Key Account Manager approves it;
- a manufacturer's portal contact reads its own data page and is refused another account's;
- a Chinese-speaking Key Account Manager sees the workspace and a form in Chinese.

Screenshots go to artifacts/screenshots/ in the checkout. Skipped, with the reason, when Chromium or
Playwright is missing; under CI that is a failure instead (dev/test installs both)."""

import re

import frappe
from frappe.permissions import add_permission, reset_perms
from frappe.utils import add_months, getdate

from key_account_mgmt.setup.company import ensure_calendar_fiscal_years
from key_account_mgmt.tests.browser import (
	DeskBrowserTestCase,
	desk,
	desk_user,
	settle,
	sync_playwright,
	website_user,
)
from key_account_mgmt.tests.factories import (
	ContactFactory,
	ContactRoleFactory,
	ItemFactory,
	JointPromotionFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SalesInvoiceFactory,
	SupplierFactory,
	territory,
)


class TestDeskInABrowser(DeskBrowserTestCase):
	@classmethod
	def make_records(cls):
		cls.finance = desk_user("browser.finance@example.com", "en", ["Accounts User", "Purchase User"])
		# ERPNext's Purchase Invoice form reads Stock Settings, which these roles may not: the README
		# tells admins to grant that read, as done here.
		cls.stock_settings_had_custom_perms = bool(
			frappe.db.exists("Custom DocPerm", {"parent": "Stock Settings"})
		)
		add_permission("Stock Settings", "Accounts User")
		cls.manager = desk_user("browser.kam@example.com", "en", ["Key Account Manager"])
		cls.staff = desk_user("browser.kau@example.com", "en", ["Key Account User"])
		cls.zh_manager = desk_user("browser.zh@example.com", "zh", ["Key Account Manager"])
		# A portal user of its own: the page shows the first account a contact of the user belongs to.
		cls.portal_user = website_user(f"browser.portal.{frappe.generate_hash(length=6)}@example.com")
		supplier = SupplierFactory().name
		brand = f"Browser QA Brand {frappe.generate_hash(length=4)}"
		frappe.get_doc({"doctype": "Brand", "brand": brand}).insert()
		cls.account = KeyAccountFactory(
			account_name=f"Browser QA {frappe.generate_hash(length=4)}",
			brand=brand,
			supplier_names=[supplier],
		).name
		# What the portal page shows the brand: two regions, this month and the one before.
		ensure_calendar_fiscal_years(getdate().year - 1, getdate().year)
		item = ItemFactory(brand=brand).name
		cls.sales = [
			SalesInvoiceFactory(item=item, qty=qty, rate=rate, territory=region, posting_date=day).name
			for region, qty, rate, day in (
				(territory("North China QA"), 4, 250_000, getdate()),
				(territory("North China QA"), 1, 500_000, add_months(getdate(), -1)),
				(territory("East China QA"), 2, 1_000_000, getdate()),
			)
		]
		cls.invoices = [PurchaseInvoiceFactory(supplier=supplier, amount=19_900_000).name]
		cls.draft = PurchaseInvoiceFactory(supplier=supplier, amount=250_000, submit=False).name
		ContactRoleFactory(
			key_account=cls.account, contact=ContactFactory(user=cls.portal_user).name, portal_access=1
		)
		cls.invoices.append(cls.draft)
		frappe.set_user(cls.staff)
		cls.promotion = JointPromotionFactory(key_account=cls.account).name

	@classmethod
	def remove_records(cls):
		frappe.delete_doc("Joint Promotion", cls.promotion, force=True, ignore_permissions=True)
		for name in cls.invoices:
			invoice = frappe.get_doc("Purchase Invoice", name)
			if invoice.docstatus == 1:
				invoice.cancel()
		for name in cls.sales:
			frappe.get_doc("Sales Invoice", name).cancel()
		frappe.delete_doc("Key Account", cls.account, force=True)
		if not cls.stock_settings_had_custom_perms:
			reset_perms("Stock Settings")

	def workflow_action(self, page, action: str):
		page.click(".page-actions button:has-text('Actions')")
		page.click(f".page-actions .dropdown-menu a:has-text('{action}')")

	def test_finance_posts_an_invoice_and_sees_the_tier_change(self):
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.finance)
			try:
				self.open(page, f"/app/purchase-invoice/{self.draft}", ".form-layout")
				page.click(".page-actions button.primary-action:has-text('Submit')")
				page.click(".modal.show .btn-primary:has-text('Yes')")
				message = page.wait_for_selector(".modal.show:has-text('Key Account Tier Changed')")
				self.assertIn(
					f"{self.account}: Ordinary → Partner, rolling 12-month purchases", message.inner_text()
				)
				self.assertIn("20,150,000 CNY", message.inner_text())
				self.shoot(page, "01-finance-tier-change-on-submit")

				self.open(page, f"/app/key-account/{self.account}", ".form-layout")
				self.assertIn("Partner", page.inner_text(".page-head"))
				self.shoot(page, "02-finance-reads-the-key-account")
				self.assertEqual(page.failed_requests, [])
			except Exception:
				self.shoot(page, "failure-finance")
				raise
			finally:
				browser.close()
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Key Account", self.account, "tier"), "Partner")

	def workspace_routes(self, user: str) -> list[str]:
		"""Every link and shortcut of the Key Accounts workspace that `user` is shown."""
		from frappe.desk.desktop import get_desktop_page

		frappe.set_user(user)
		try:
			desktop = get_desktop_page(frappe.as_json({"name": "Key Accounts", "public": 1}))
		finally:
			frappe.set_user("Administrator")
		targets = [
			(link.link_type, link.link_to) for card in desktop["cards"]["items"] for link in card.links
		]
		targets += [(shortcut.type, shortcut.link_to) for shortcut in desktop["shortcuts"]["items"]]
		routes = []
		for kind, target in targets:
			slug = target.lower().replace(" ", "-")
			route = f"{desk()}/query-report/{target}" if kind == "Report" else f"{desk()}/{slug}"
			if route not in routes:
				routes.append(route)
		return routes

	def test_a_key_account_manager_opens_every_workspace_link_and_card(self):
		routes = self.workspace_routes(self.manager)
		self.assertIn(f"{desk()}/key-account-tier-change", routes)
		self.assertIn(f"{desk()}/query-report/Tier Movement", routes)
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.manager)
			try:
				self.open(page, "/app/key-accounts", ".widget.number-widget-box")
				settle(page)
				self.assertIn("STRATEGIC KEY ACCOUNTS", page.inner_text("body").upper())
				self.shoot(page, "03-kam-workspace")
				refused = {}
				for route in routes:
					page.failed_requests.clear()
					page.goto(f"{self.base}{route}")
					page.wait_for_selector(".page-head:visible")
					settle(page)
					problems = list(page.failed_requests)
					if page.is_visible(".modal.show .msgprint"):
						problems.append(page.inner_text(".modal.show .msgprint"))
					if "not found" in page.inner_text(".page-head").lower():
						problems.append("page not found")
					if problems:
						refused[route] = problems
						self.shoot(page, "failure-kam-" + route.rsplit("/", 1)[-1].replace(" ", "-"))
				self.open(page, "/app/query-report/Tier Movement", ".report-wrapper")
				self.shoot(page, "04-kam-tier-movement")
				self.assertEqual(refused, {})
			except Exception:
				self.shoot(page, "failure-kam")
				raise
			finally:
				browser.close()

	def test_a_key_account_user_proposes_a_promotion_and_a_manager_approves_it(self):
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.staff)
			try:
				self.open(page, f"/app/joint-promotion/{self.promotion}", ".form-layout")
				self.workflow_action(page, "Propose")
				page.wait_for_selector(".page-head .indicator-pill:has-text('Proposed')")
				self.shoot(page, "05-kau-proposes-a-promotion")
				self.assertEqual(page.failed_requests, [])
			except Exception:
				self.shoot(page, "failure-kau-propose")
				raise
			finally:
				browser.close()
			browser, page = self.browser_page(playwright, self.manager)
			try:
				self.open(page, f"/app/joint-promotion/{self.promotion}", ".form-layout")
				self.workflow_action(page, "Approve")
				page.wait_for_selector(".page-head .indicator-pill:has-text('Approved')")
				self.shoot(page, "06-kam-approves-the-promotion")
				self.assertEqual(page.failed_requests, [])
			except Exception:
				self.shoot(page, "failure-kam-approve")
				raise
			finally:
				browser.close()
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Joint Promotion", self.promotion, "workflow_state"), "Approved")

	def test_the_workspace_in_chinese(self):
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.zh_manager)
			try:
				self.open(page, "/app/key-accounts", ".widget.number-widget-box")
				text = page.inner_text("body")
				self.assertIn("大客户", text)
				self.assertIn("价值分析", text)
				self.shoot(page, "07-workspace-zh")
				self.open(page, f"/app/key-account/{self.account}", ".form-layout")
				self.assertIn("基本资料", page.inner_text("body"))
				self.shoot(page, "08-key-account-zh")
			except Exception:
				self.shoot(page, "failure-zh")
				raise
			finally:
				browser.close()

	def test_an_accounts_contact_sees_its_data_on_the_portal_and_nothing_else(self):
		with sync_playwright() as playwright:
			# a portal user lands on /me (Frappe 15) or /portal (Frappe 16)
			browser, page = self.browser_page(
				playwright, self.portal_user, landing=re.compile(r"/(me|portal)\b")
			)
			try:
				# The portal menu has the entry (the grant gave the user its role), and it opens the page.
				page.click('.web-sidebar a[href="/key_account_portal"]')
				page.wait_for_url("**/key_account_portal**")
				self.assertIn(self.account, page.inner_text("h1"))
				table = page.inner_text("table.key-account-sales")
				self.assertIn("East China QA", table)
				self.assertIn("Total", table)
				self.assertTrue(page.is_visible("svg.key-account-sales-chart"))
				self.shoot(page, "09-portal")
				refused = page.goto(f"{self.base}/key_account_portal?account=Someone%20Else")
				self.assertIn(refused.status, (403, 404))
			except Exception:
				self.shoot(page, "failure-portal")
				raise
			finally:
				browser.close()
