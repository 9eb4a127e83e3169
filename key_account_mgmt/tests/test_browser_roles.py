"""What each role is offered on the desk, in a real headless Chromium (as test_browser.py runs it):

- finance reads a key account without buttons that would answer 403, and sees the supplier's
  account and tier above the Supplier form's tabs;
- a Key Account Manager with no other role sees the account's contacts on the Profile tab, is
  offered Refresh Qualification, and picks a region for a joint promotion from ERPNext's
  Territories, which that role may not read.

Skipped, with the reason, when Chromium or Playwright is missing; under CI that is a failure."""

import os
import subprocess
import sys
import time
import unittest
import urllib.request

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.tests.browser import (
	CHROMIUM,
	PASSWORD,
	REPO,
	SCREENSHOTS,
	desk_user,
	free_port,
	missing_browser_tools,
	sync_playwright,
)
from key_account_mgmt.tests.factories import (
	ContactRoleFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
)
from key_account_mgmt.tests.utils import running_in_ci


class TestRolesOnTheDesk(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		if missing := missing_browser_tools():
			if running_in_ci():
				raise RuntimeError(f"the browser tests cannot run under CI: {missing}")
			raise unittest.SkipTest(f"SKIPPED: {missing}")
		frappe.set_user("Administrator")
		cls.finance = desk_user("roles.finance@example.com", "en", ["Accounts User", "Purchase User"])
		cls.manager = desk_user("roles.kam@example.com", "en", ["Key Account Manager"])
		cls.supplier = SupplierFactory().name
		cls.account = KeyAccountFactory(
			account_name=f"Roles QA {frappe.generate_hash(length=4)}", supplier_names=[cls.supplier]
		).name
		cls.invoice = PurchaseInvoiceFactory(supplier=cls.supplier, amount=6_000_000).name
		cls.contact_roles = [ContactRoleFactory(key_account=cls.account) for _ in range(3)]
		cls.region = f"Roles Region {frappe.generate_hash(length=4)}"
		frappe.get_doc(
			{"doctype": "Territory", "territory_name": cls.region, "parent_territory": "All Territories"}
		).insert()
		frappe.set_user(cls.manager)
		cls.promotion = (
			frappe.get_doc(
				{
					"doctype": "Joint Promotion",
					"title": f"Roles promotion {frappe.generate_hash(length=6)}",
					"key_account": cls.account,
					"cooperation_form": "On-Site Promotion",
					"from_date": add_days(getdate(), 10),
					"to_date": add_days(getdate(), 20),
					"total_budget": 300_000,
					"our_share_percent": 50,
					"account_share_percent": 50,
				}
			)
			.insert()
			.name
		)
		frappe.set_user("Administrator")
		frappe.db.commit()
		cls.port = free_port()
		cls.server = subprocess.Popen(
			[
				*(str(os.path.join(os.path.dirname(sys.executable), "gunicorn")),),
				"--bind",
				f"127.0.0.1:{cls.port}",
				"--workers",
				"1",
				"--threads",
				"4",
				"--timeout",
				"120",
				"--pythonpath",
				str(REPO / "dev"),
				"wsgi:application",
			],
			cwd=os.path.abspath(frappe.local.sites_path),
			env={**os.environ, "KAM_SITE": frappe.local.site},
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
		)
		cls.base = f"http://127.0.0.1:{cls.port}"
		for _ in range(60):
			try:
				urllib.request.urlopen(f"{cls.base}/login", timeout=5)
				break
			except OSError:
				time.sleep(1)
		SCREENSHOTS.mkdir(parents=True, exist_ok=True)

	@classmethod
	def tearDownClass(cls):
		cls.server.terminate()
		cls.server.wait(timeout=30)
		frappe.db.rollback()
		frappe.set_user("Administrator")
		frappe.delete_doc("Joint Promotion", cls.promotion, force=True, ignore_permissions=True)
		for role in cls.contact_roles:
			frappe.delete_doc("Key Account Contact Role", role.name, force=True, ignore_permissions=True)
			frappe.delete_doc("Contact", role.contact, force=True, ignore_permissions=True)
		frappe.get_doc("Purchase Invoice", cls.invoice).cancel()
		frappe.delete_doc("Key Account", cls.account, force=True)
		frappe.delete_doc("Territory", cls.region, force=True)
		frappe.db.commit()

	def browser_page(self, playwright, user: str):
		browser = playwright.chromium.launch(
			executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--no-first-run"]
		)
		page = browser.new_page(viewport={"width": 1400, "height": 950})
		page.set_default_timeout(30_000)
		page.failed_requests = []
		page.on(
			"response",
			lambda response: (
				response.status >= 400
				and "/api/" in response.url
				and page.failed_requests.append(f"{response.status} {response.url}")
			),
		)
		page.goto(f"{self.base}/login")
		page.fill("#login_email", user)
		page.fill("#login_password", PASSWORD)
		page.click(".btn-login")
		page.wait_for_url("**/app**")
		return browser, page

	def open(self, page, path: str):
		page.goto(f"{self.base}{path}")
		page.wait_for_selector(".form-layout")
		page.wait_for_timeout(2000)

	def shoot(self, page, name: str):
		page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))

	def test_finance_reads_without_dead_buttons_and_sees_the_tier_on_the_supplier(self):
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.finance)
			try:
				self.open(page, f"/app/key-account/{self.account}")
				actions = page.inner_text(".page-head")
				self.assertNotIn("Refresh Qualification", actions)
				self.assertNotIn("Create", actions)
				self.open(page, f"/app/supplier/{self.supplier}")
				headline = page.inner_text(".form-message")
				self.assertIn(f"Key Account {self.account}: Ordinary", headline)
				self.shoot(page, "10-finance-supplier-tier")
				self.assertEqual(page.failed_requests, [])
			except Exception:
				self.shoot(page, "failure-finance-roles")
				raise
			finally:
				browser.close()

	def test_a_manager_sees_the_contacts_and_picks_a_region_it_may_not_read(self):
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.manager)
			try:
				self.open(page, f"/app/key-account/{self.account}")
				self.assertIn("Refresh Qualification", page.inner_text(".page-head"))
				page.click(".form-tabs .nav-link:has-text('Profile')")
				page.wait_for_timeout(1000)
				profile = page.inner_text(".form-layout")
				self.shoot(page, "12-kam-profile-contacts")
				for role in self.contact_roles:
					self.assertIn(role.full_name, profile)
				self.open(page, f"/app/joint-promotion/{self.promotion}")
				regions = page.locator("[data-fieldname='territories'] input")
				regions.click()
				regions.type(self.region[:12], delay=50)
				# the picker's suggestion: an option (Frappe 15.74) or a list item (15.12)
				page.wait_for_selector(
					f"[role='option']:has-text('{self.region}'), ul li:has-text('{self.region}')"
				)
				regions.press("Enter")
				page.wait_for_timeout(1000)
				page.keyboard.press("Control+s")
				page.wait_for_timeout(3000)
				self.shoot(page, "11-kam-picks-a-region")
				self.assertEqual(page.failed_requests, [])
			except Exception:
				self.shoot(page, "failure-kam-pickers")
				raise
			finally:
				browser.close()
		frappe.db.rollback()
		self.assertEqual(
			frappe.get_all("Joint Promotion Territory", {"parent": self.promotion}, pluck="territory"),
			[self.region],
		)
