"""The Key Account Settings form in a real headless Chromium (as test_browser.py runs it): a Key
Account Manager changes a setting that measures and saves; the save returns at once, says the accounts
are re-evaluated in the background, and the form says the re-evaluation waits to run (the test runs
no worker, so it stays queued).

Skipped, with the reason, when Chromium or Playwright is missing; under CI that is a failure."""

import frappe

from key_account_mgmt.tests.browser import DeskBrowserTestCase, desk_user, sync_playwright
from key_account_mgmt.tests.utils import remove_queued_reevaluations


class TestSettingsFormOnTheDesk(DeskBrowserTestCase):
	@classmethod
	def make_records(cls):
		cls.manager = desk_user("settings.kam@example.com", "en", ["Key Account Manager"])
		cls.amount_basis = frappe.db.get_single_value("Key Account Settings", "amount_basis")
		remove_queued_reevaluations()

	@classmethod
	def remove_records(cls):
		settings = frappe.get_single("Key Account Settings")
		settings.amount_basis = cls.amount_basis
		settings.save()
		# no job ran: the accounts' stored figures are those of the restored setting
		remove_queued_reevaluations()

	def test_a_manager_saves_a_setting_and_the_form_says_the_reevaluation_waits(self):
		other = "Grand Total" if self.amount_basis != "Grand Total" else "Net Total"
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.manager)
			try:
				self.open(page, "/app/key-account-settings")
				page.select_option('.frappe-control[data-fieldname="amount_basis"] select', other)
				page.keyboard.press("Control+s")
				dialog = page.wait_for_selector(".modal.show .msgprint")
				self.assertIn("re-evaluated with these settings in the background", dialog.inner_text())
				page.click(".modal.show .btn-modal-close")
				waiting = page.get_by_text(
					"A re-evaluation of every key account with these settings is waiting to run."
				)
				waiting.wait_for(state="visible")
				self.shoot(page, "settings-reevaluation-waiting")
				self.assertEqual(page.failed_requests, [])
			finally:
				browser.close()
