import frappe
from frappe.core.doctype.scheduled_job_type.scheduled_job_type import sync_jobs

from key_account_mgmt.key_account_management.doctype.key_account_purchase_entry.key_account_purchase_entry import (
	on_doctype_update as ledger_doctype_update,
)
from key_account_mgmt.setup.install import after_migrate, before_uninstall, custom_fields, table_columns
from key_account_mgmt.tests.factories import (
	ContactFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
)
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


class TestUninstallLeavesErpnextAsItWas(KeyAccountTestCase):
	"""Runs the app's before_uninstall hook on the test site, checks what ERPNext is left with, then
	puts the app's fields, indexes and jobs back as migrate does. (A real uninstall would drop every
	table of the app under the other tests.)"""

	def setUp(self):
		super().setUp()
		self.supplier = SupplierFactory().name
		self.account = KeyAccountFactory(supplier_names=[self.supplier]).name
		self.contact = ContactFactory(links=[{"link_doctype": "Key Account", "link_name": self.account}]).name
		frappe.db.commit()
		self.addCleanup(self.restore)

	def restore(self):
		frappe.db.rollback()
		after_migrate()
		ledger_doctype_update()  # the invoices' supplier index, as an install adds it
		sync_jobs()
		frappe.get_single("Portal Settings").sync_menu()
		frappe.delete_doc("Key Account", self.account, force=True)
		frappe.delete_doc("Contact", self.contact, force=True)
		frappe.db.commit()

	def test_uninstall_removes_columns_indexes_jobs_and_links_to_the_app(self):
		self.assertEqual(frappe.db.get_value("Supplier", self.supplier, "key_account"), self.account)
		before_uninstall()
		frappe.db.commit()

		for doctype, fields in custom_fields().items():
			columns = table_columns(doctype)
			for field in fields:
				self.assertNotIn(field["fieldname"], columns, doctype)
			indexes = frappe.db.sql(f"SHOW INDEX FROM `tab{doctype}`", as_dict=True)
			self.assertFalse([row.Key_name for row in indexes if row.Column_name.startswith("key_account")])
		self.assertEqual(invoice_supplier_index_columns(), [])
		self.assertFalse(
			frappe.get_all("Scheduled Job Type", filters={"method": ("like", "key_account_mgmt.%")})
		)
		self.assertFalse(frappe.get_all("Dynamic Link", filters={"link_doctype": "Key Account"}))
		self.assertNotIn(
			"/key_account_portal", [row.route for row in frappe.get_single("Portal Settings").menu]
		)
		contact = frappe.get_doc("Contact", self.contact)
		contact.save()  # no link to a Key Account left to fail on
		self.assertEqual(contact.links, [])


def invoice_supplier_index_columns() -> list[str]:
	indexes = frappe.db.sql("SHOW INDEX FROM `tabPurchase Invoice`", as_dict=True)
	return [row.Column_name for row in indexes if row.Key_name == INVOICE_SUPPLIER_INDEX]
