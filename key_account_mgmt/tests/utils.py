import frappe
from frappe.tests.utils import FrappeTestCase


class KeyAccountTestCase(FrappeTestCase):
	"""Each test runs as Administrator and leaves nothing behind: its writes are rolled back."""

	def setUp(self):
		frappe.set_user("Administrator")
		frappe.local.message_log = []

	def tearDown(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		# Cached documents may hold what the rollback undid.
		frappe.clear_document_cache("Key Account Settings", "Key Account Settings")

	def account(self, name: str):
		return frappe.get_doc("Key Account", name)

	def messages(self) -> list[str]:
		return [frappe.parse_json(message).get("message", "") for message in frappe.local.message_log]
