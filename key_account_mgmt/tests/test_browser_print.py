"""The One-to-One print on an A4 page, measured in Debian's Chromium laid out as print at an A4
portrait page's printable width. Needs no served site: the print is rendered here and handed to the
browser. Leaves the page in artifacts/screenshots/one-to-one-print.png."""

import unittest

import frappe

from key_account_mgmt.tests import test_print_formats
from key_account_mgmt.tests.browser import CHROMIUM, SCREENSHOTS, missing_browser_tools, sync_playwright
from key_account_mgmt.tests.utils import running_in_ci

# 210 mm less Frappe's default print margins of 15 mm a side, at 96 CSS pixels an inch.
A4_PRINTABLE_WIDTH_PX = round((210 - 2 * 15) / 25.4 * 96)


class TestOneToOneOnA4(test_print_formats.TestPrintFormats):
	# only the page width here; the other print tests run in the integration suite
	test_each_doctype_prints_with_its_own_format_by_default = None
	test_the_one_to_one_names_people_not_their_e_mail = None

	def test_the_one_to_one_fits_an_a4_portrait_page(self):
		if missing := missing_browser_tools():
			if running_in_ci():
				raise RuntimeError(f"the print test cannot run under CI: {missing}")
			raise unittest.SkipTest(f"SKIPPED: {missing}")
		frappe.set_user(self.manager.name)
		html = frappe.get_print("Key Account", self.account.name, "Key Account One-to-One")
		with sync_playwright() as playwright:
			browser = playwright.chromium.launch(
				executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
			)
			try:
				page = browser.new_page(viewport={"width": A4_PRINTABLE_WIDTH_PX, "height": 1100})
				page.emulate_media(media="print")
				page.set_content(html)
				widest = page.evaluate(
					"Math.max(...Array.from(document.querySelectorAll('table'), t => t.scrollWidth))"
				)
				page_width = page.evaluate("document.documentElement.scrollWidth")
				SCREENSHOTS.mkdir(parents=True, exist_ok=True)
				page.screenshot(path=str(SCREENSHOTS / "one-to-one-print.png"), full_page=True)
			finally:
				browser.close()
		self.assertLessEqual(widest, A4_PRINTABLE_WIDTH_PX)
		self.assertLessEqual(page_width, A4_PRINTABLE_WIDTH_PX)
