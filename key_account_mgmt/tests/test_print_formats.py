"""The key-account print formats: each doctype prints with its own format by default, and people are
shown by name, not by e-mail."""

import frappe
from frappe.utils import add_days, add_months, getdate

from key_account_mgmt.tests.factories import (
	KeyAccountFactory,
	NegotiationLogFactory,
	PurchaseInvoiceFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase


class TestPrintFormats(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.manager = UserFactory(roles_held=["Key Account Manager"], first_name="Wang", last_name="Fang")
		self.account = KeyAccountFactory(account_manager=self.manager.name)
		supplier = self.account.suppliers[0].supplier
		for months_back in range(12):
			PurchaseInvoiceFactory(
				supplier=supplier, amount=23_456_789, posting_date=add_months(getdate(), -months_back)
			)

	def test_each_doctype_prints_with_its_own_format_by_default(self):
		frappe.set_user(self.manager.name)
		self.assertEqual(frappe.get_meta("Key Account").default_print_format, "Key Account One-to-One")
		self.assertEqual(
			frappe.get_meta("Key Account Monthly Report").default_print_format, "Key Account Monthly Report"
		)
		html = frappe.get_print("Key Account", self.account.name)
		self.assertIn(frappe._("Development Analysis"), html)

	def test_the_one_to_one_names_people_not_their_e_mail(self):
		owner = UserFactory(roles_held=["Key Account User"], first_name="Li", last_name="Na").name
		NegotiationLogFactory(
			key_account=self.account.name,
			agreements=[
				{
					"agreement": "Shelf space in 40 stores",
					"responsible": owner,
					"due_date": add_days(getdate(), 7),
				}
			],
			submit=True,
		)
		frappe.set_user(self.manager.name)
		html = frappe.get_print("Key Account", self.account.name, "Key Account One-to-One")
		# what the page shows (Frappe ends the HTML with a comment naming who printed it)
		html = html.split('<div class="print-format">', 1)[1].split("</body>", 1)[0]
		self.assertIn("Wang Fang", html)
		self.assertIn("Li Na", html)
		self.assertNotIn(self.manager.name, html)
		self.assertNotIn(owner, html)
