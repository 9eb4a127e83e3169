"""pytest runs the integration tests inside a real site: the one named by KAM_TEST_SITE, with the
bench's sites folder as the working directory (dev/test sees to both)."""

import os

import frappe
import pytest


def pytest_configure(config):
	site = os.environ.get("KAM_TEST_SITE")
	if not site:
		raise pytest.UsageError("KAM_TEST_SITE is not set: run the integration tests through dev/test.")
	frappe.init(site=site, sites_path=os.environ.get("KAM_SITES_PATH", "."))
	frappe.connect()
	frappe.flags.in_test = True  # Frappe 15 reads test mode here,
	frappe.in_test = True  # Frappe 16 here (no Version rows, jobs run at once when not async)
	from key_account_mgmt.setup.company import before_tests

	before_tests()


def pytest_unconfigure(config):
	if getattr(frappe.local, "site", None):
		frappe.destroy()
