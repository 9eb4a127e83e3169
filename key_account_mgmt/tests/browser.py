"""What the browser tests share: the test site served by gunicorn on 127.0.0.1, Debian's Chromium driven
by Playwright, users who log in with a password, and screenshots in artifacts/screenshots/.

A missing Chromium or Playwright skips the tests with the reason; under CI it fails them instead
(dev/test installs both)."""

import os
import shutil
import socket
import subprocess
import sys
import time
import unittest
import urllib.request
from pathlib import Path

import frappe
from frappe.utils.password import update_password

from key_account_mgmt.tests.factories import UserFactory
from key_account_mgmt.tests.utils import running_in_ci

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "artifacts" / "screenshots"
PASSWORD = "Browser-Test-2026"
LOGIN_TIMEOUT = 90_000

try:
	from playwright.sync_api import sync_playwright
except ImportError:
	sync_playwright = None


def desk_user(email: str, language: str, roles: list[str]) -> str:
	if not frappe.db.exists("User", email):
		UserFactory(email=email, language=language, roles_held=roles)
	update_password(email, PASSWORD)
	# The desk's first-login UI tours would cover the page: mark them done, as Frappe's own patch does.
	tours = frappe.get_all("Form Tour", {"ui_tour": 1}, pluck="name")
	frappe.db.set_value(
		"User", email, "onboarding_status", frappe.as_json({tour: {"is_complete": True} for tour in tours})
	)
	return email


def website_user(email: str) -> str:
	if not frappe.db.exists("User", email):
		UserFactory(email=email, user_type="Website User")
	update_password(email, PASSWORD)
	return email


def desk() -> str:
	"""The desk's path: /app in Frappe 15, /desk in Frappe 16 (which redirects /app there), as Frappe
	itself links a form."""
	from urllib.parse import urlparse

	from frappe.utils import get_url_to_form

	return "/" + urlparse(get_url_to_form("User", "x")).path.split("/")[1]


def settle(page) -> None:
	"""Wait until the desk has no request in flight and nothing frozen: what a person waits for before
	reading the page."""
	page.wait_for_function(
		"() => window.frappe && frappe.request && !frappe.request.ajax_count && !frappe.dom.freeze_count"
	)


def saved(page) -> None:
	"""Wait until the open form's save has gone through."""
	page.wait_for_function("() => window.cur_frm && !cur_frm.is_dirty() && !cur_frm.save_disabled")
	settle(page)


def free_port() -> int:
	with socket.socket() as probe:
		probe.bind(("127.0.0.1", 0))
		return probe.getsockname()[1]


def missing_browser_tools() -> str | None:
	if not CHROMIUM:
		return "no Chromium on this machine (apt-get install chromium)"
	if not sync_playwright:
		return "Playwright is not installed in the bench's Python (pip install playwright)"
	return None


class DeskBrowserTestCase(unittest.TestCase):
	"""Subclasses make their records in `make_records` and remove them in `remove_records`; both run
	as Administrator, and what they make is committed so that the served site sees it."""

	@classmethod
	def setUpClass(cls):
		if missing := missing_browser_tools():
			if running_in_ci():
				raise RuntimeError(f"the browser tests cannot run under CI: {missing}")
			raise unittest.SkipTest(f"SKIPPED: {missing}")
		frappe.set_user("Administrator")
		try:
			cls.make_records()
		finally:
			frappe.set_user("Administrator")
		frappe.db.commit()
		cls.port = free_port()
		cls.server = subprocess.Popen(
			[
				str(Path(sys.executable).parent / "gunicorn"),
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
		cls.remove_records()
		frappe.db.commit()

	@classmethod
	def make_records(cls):
		pass

	@classmethod
	def remove_records(cls):
		pass

	def browser_page(self, playwright, user: str, landing: str | None = None):
		"""A logged-in page that records every API request the server refused or failed. It waits for
		`landing` after the login: by default, the desk."""
		landing = landing or f"**{desk()}**"
		browser = playwright.chromium.launch(
			executable_path=CHROMIUM,
			args=[
				"--no-sandbox",
				"--disable-gpu",
				"--disable-background-networking",
				"--disable-component-update",
				"--disable-sync",
				"--no-first-run",
			],
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
		# a fresh server builds its first desk (the user's boot, the caches) after the login: on a busy
		# machine that alone can take more than the half minute any later step is given
		page.wait_for_url(landing, timeout=LOGIN_TIMEOUT)
		return browser, page

	def open(self, page, path: str, wait_for: str = ".form-layout"):
		page.goto(f"{self.base}{path}")
		# the desk keeps the pages it showed before, hidden: wait for the one on screen
		page.wait_for_selector(f"{wait_for}:visible")
		settle(page)

	def shoot(self, page, name: str):
		page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))
