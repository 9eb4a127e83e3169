"""The desk in Chinese, in Debian's Chromium, as a Chinese-speaking Key Account Manager: tier names
(band names, i.e. data) shown translated wherever they appear, each band in its rank's colour, the
plans' states in colours of their own, and the app's labels in Chinese.

Screenshots: artifacts/screenshots/zh-*.png."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, getdate

from key_account_mgmt.tests.browser import DeskBrowserTestCase, desk_user, sync_playwright
from key_account_mgmt.tests.factories import (
	ContactRoleFactory,
	JointPromotionFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
)


class TestDeskInChinese(DeskBrowserTestCase):
	@classmethod
	def make_records(cls):
		cls.zh_manager = desk_user("browser.zh.tiers@example.com", "zh", ["Key Account Manager"])
		supplier = SupplierFactory().name
		cls.account = KeyAccountFactory(
			account_name=f"ZH QA {frappe.generate_hash(length=4)}", supplier_names=[supplier]
		).name
		cls.invoice = PurchaseInvoiceFactory(supplier=supplier, amount=20_150_000).name
		cls.contact_role = ContactRoleFactory(key_account=cls.account, level="Purchasing Director").name
		cls.promotion = JointPromotionFactory(key_account=cls.account).name
		apply_workflow(frappe.get_doc("Joint Promotion", cls.promotion), "Propose")
		today = getdate()
		start, due = add_days(today, -60), add_days(today, -40)
		cls.plans = [
			cls.plan("Annual Market Plan", "Overdue", start, due),
			cls.plan("Short Promotion Plan", "Received", start, due, received_on=add_days(today, -30)),
			cls.plan("Annual Brand Sales Plan", "Received", start, due, received_on=add_days(today, -50)),
			cls.plan("Major Events Plan", "Expected", today, add_days(today, 30)),
		]

	@classmethod
	def plan(cls, plan_type, status, period_start, due_date, received_on=None):
		return (
			frappe.get_doc(
				{
					"doctype": "Key Account Plan",
					"key_account": cls.account,
					"plan_type": plan_type,
					"direction": "From the Account",
					"period_start": period_start,
					"due_date": due_date,
					"status": status,
					"received_on": received_on,
				}
			)
			.insert()
			.name
		)

	@classmethod
	def remove_records(cls):
		for plan in cls.plans:
			frappe.delete_doc("Key Account Plan", plan, force=True)
		frappe.delete_doc("Key Account Contact Role", cls.contact_role, force=True)
		frappe.delete_doc("Joint Promotion", cls.promotion, force=True)
		frappe.get_doc("Purchase Invoice", cls.invoice).cancel()
		frappe.delete_doc("Key Account", cls.account, force=True)

	def pill(self, page, selector: str, text: str) -> str:
		"""The colour class of the indicator pill that reads `text`."""
		pill = page.locator(f"{selector}:has-text('{text}')").first
		return pill.get_attribute("class")

	def test_tiers_and_plans_in_chinese_in_their_colours(self):
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.zh_manager)
			try:
				self.open(page, "/app/key-accounts", ".widget.number-widget-box")
				donut = ".widget.dashboard-widget-box:has-text('各等级大客户')"
				page.wait_for_selector(f"{donut} svg text", timeout=30_000)
				workspace = page.inner_text("body")
				for text in ("战略性大客户数", "伙伴式大客户数", "普通大客户数", "个大客户"):
					self.assertIn(text, workspace)
				legend = page.inner_text(donut)
				self.assertIn("伙伴式大客户", legend)
				self.assertNotIn("Partner", legend)
				self.shoot(page, "zh-workspace")

				self.open(page, "/app/key-account", ".list-row-container")
				rows = page.inner_text(".result")
				self.assertIn("伙伴式大客户", rows)
				self.assertNotIn("Partner", rows)
				self.assertIn("green", self.pill(page, ".list-row .indicator-pill", "伙伴式大客户"))
				self.shoot(page, "zh-key-account-list")

				self.open(page, f"/app/key-account/{self.account}", ".form-layout")
				self.assertIn("green", self.pill(page, ".page-head .indicator-pill", "伙伴式大客户"))
				self.assertIn("伙伴式大客户", page.inner_text(".frappe-control[data-fieldname='tier']"))
				self.assertIn("大客户档案", page.inner_text("body"))

				self.open(page, "/app/key-account-plan", ".list-row-container")
				plans = page.inner_text(".result")
				self.assertIn("年度市场计划", plans)
				self.assertNotIn("Annual Market Plan", plans)
				self.assertIn("red", self.pill(page, ".list-row .indicator-pill", "已逾期"))
				self.assertIn("orange", self.pill(page, ".list-row .indicator-pill", "延迟收到"))
				self.assertIn("green", self.pill(page, ".list-row .indicator-pill", "已收到"))
				self.shoot(page, "zh-plans")

				self.open(page, f"/app/key-account-contact-role/{self.contact_role}", ".form-layout")
				self.assertIn("采购总监", page.inner_text(".frappe-control[data-fieldname='level']"))

				# the promotion's workflow: its state and the manager's actions
				self.open(page, f"/app/joint-promotion/{self.promotion}", ".form-layout")
				self.assertIn("已提议", page.inner_text(".page-head"))
				state = page.inner_text(".frappe-control[data-fieldname='workflow_state']")
				self.assertIn("已提议", state)
				self.assertNotIn("Proposed", state)
				page.click(".page-actions button:has-text('操作')")
				actions = page.inner_text(".page-actions .dropdown-menu")
				self.assertNotIn("Approve", actions)
				self.shoot(page, "zh-joint-promotion")
			except Exception:
				self.shoot(page, "failure-zh-tiers")
				raise
			finally:
				browser.close()
		self.assertEqual(page.failed_requests, [])
