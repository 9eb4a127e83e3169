"""A retailer's invoices have fen. Every invoice's "In Words" comes from Frappe's money_in_words, which
in Frappe 16 fails for an amount with cents when the currency has no fraction name, and Frappe's data
gives the yuan none; the app names it on install and on migrate."""

import frappe

from key_account_mgmt.setup.install import after_migrate
from key_account_mgmt.tests.factories import PurchaseInvoiceFactory, UserFactory
from key_account_mgmt.tests.utils import KeyAccountTestCase


class TestCurrencyFractions(KeyAccountTestCase):
	def test_finance_posts_an_invoice_with_fen_and_reads_its_amount_in_words(self):
		finance = UserFactory(roles_held=["Accounts User", "Purchase User"]).name
		draft = PurchaseInvoiceFactory(amount=1_234_567.89, submit=False).name  # saving it says it in words
		frappe.set_user(finance)
		invoice = frappe.get_doc("Purchase Invoice", draft)
		invoice.submit()

		invoice.reload()
		self.assertEqual(invoice.docstatus, 1)
		self.assertEqual(invoice.currency, "CNY")
		self.assertTrue(invoice.in_words.endswith("and Eighty Nine Fen only."), invoice.in_words)

	def test_migrate_names_a_fraction_that_was_left_empty_and_keeps_one_that_was_set(self):
		frappe.db.set_value("Currency", "CNY", "fraction", None)
		frappe.db.set_value("Currency", "USD", "fraction", "Penny")

		after_migrate()

		self.assertEqual(frappe.db.get_value("Currency", "CNY", "fraction"), "Fen")
		self.assertEqual(frappe.db.get_value("Currency", "USD", "fraction"), "Penny")
