import frappe

from key_account_mgmt.tests.factories import PurchaseInvoiceFactory
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.ledger import INVOICE_SUPPLIER_INDEX

DOCTYPES = (
	"Key Account",
	"Key Account Supplier",
	"Key Account Annual Total",
	"Key Account Settings",
	"Key Account Tier Band",
	"Key Account Tier Change",
	"Key Account Purchase Entry",
)


class TestInstallation(KeyAccountTestCase):
	def test_app_module_and_doctypes_are_installed(self):
		self.assertIn("key_account_mgmt", frappe.get_installed_apps())
		self.assertEqual(
			frappe.db.get_value("Module Def", "Key Account Management", "app_name"), "key_account_mgmt"
		)
		for doctype in DOCTYPES:
			self.assertEqual(
				frappe.db.get_value("DocType", doctype, "module"), "Key Account Management", doctype
			)

	def test_purchase_invoice_hooks_are_registered(self):
		events = frappe.get_hooks("doc_events")["Purchase Invoice"]
		self.assertIn("key_account_mgmt.tiering.invoice_events.before_submit", events["before_submit"])
		self.assertIn("key_account_mgmt.tiering.invoice_events.before_cancel", events["before_cancel"])

	def test_roles_custom_fields_and_default_bands_are_installed(self):
		for role in ("Key Account Manager", "Key Account User"):
			self.assertTrue(frappe.db.exists("Role", role), role)
		for doctype in ("Purchase Invoice", "Supplier"):
			meta = frappe.get_meta(doctype)
			self.assertEqual(meta.get_field("key_account").options, "Key Account")
			self.assertTrue(meta.get_field("key_account_tier").read_only)
		settings = frappe.get_single("Key Account Settings")
		self.assertEqual(settings.threshold_currency, "CNY")
		self.assertEqual(
			[(band.tier, band.lower_bound) for band in settings.tier_bands],
			[("Ordinary", 5_000_000), ("Partner", 20_000_000), ("Strategic", 50_000_000)],
		)

	def test_the_ledger_has_its_covering_window_index(self):
		indexes = frappe.db.sql("SHOW INDEX FROM `tabKey Account Purchase Entry`", as_dict=True)
		self.assertEqual(
			[row.Column_name for row in indexes if row.Key_name == "supplier_posting_date_amounts_returns"],
			["supplier", "posting_date", "fiscal_year", "company", "net_amount", "grand_amount", "is_return"],
		)

	def test_purchase_invoices_have_the_supplier_and_docstatus_index_a_joining_supplier_reads(self):
		self.assertEqual(invoice_supplier_index_columns(), ["supplier", "docstatus"])


class TestPurchaseInvoiceFactory(KeyAccountTestCase):
	def test_factory_invoice_submits_and_cancels(self):
		invoice = PurchaseInvoiceFactory(amount=1234.5)
		self.assertEqual(invoice.docstatus, 1)
		self.assertEqual(invoice.base_net_total, 1234.5)
		self.assertTrue(frappe.db.exists("GL Entry", {"voucher_no": invoice.name, "is_cancelled": 0}))
		invoice.cancel()
		self.assertEqual(frappe.db.get_value("Purchase Invoice", invoice.name, "docstatus"), 2)


def invoice_supplier_index_columns() -> list[str]:
	indexes = frappe.db.sql("SHOW INDEX FROM `tabPurchase Invoice`", as_dict=True)
	return [row.Column_name for row in indexes if row.Key_name == INVOICE_SUPPLIER_INDEX]
