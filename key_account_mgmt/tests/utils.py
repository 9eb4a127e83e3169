import os

import frappe
from frappe.tests.utils import FrappeTestCase


class KeyAccountTestCase(FrappeTestCase):
	"""Each test runs as Administrator and leaves nothing behind: its writes are rolled back."""

	def setUp(self):
		# a cleanup, unlike tearDown, also runs when a subclass's setUp fails half-way
		self.addCleanup(self.roll_back)
		frappe.set_user("Administrator")
		frappe.local.message_log = []

	def roll_back(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		# Cached documents may hold what the rollback undid.
		frappe.clear_document_cache("Key Account Settings", "Key Account Settings")

	def account(self, name: str):
		return frappe.get_doc("Key Account", name)

	def messages(self) -> list[str]:
		return [frappe.parse_json(message).get("message", "") for message in frappe.local.message_log]


def set_tier_bands(bands: dict[str, float]) -> None:
	"""Puts `bands` ({tier: lower bound}) in Key Account Settings; the test's rollback restores the old ones."""
	settings = frappe.get_single("Key Account Settings")
	settings.set("tier_bands", [{"tier": tier, "lower_bound": bound} for tier, bound in bands.items()])
	settings.save()


def running_in_ci() -> bool:
	"""Under CI nothing that proves the product may skip: a missing tool is a failure there."""
	return os.environ.get("CI", "").lower() not in ("", "0", "false")
