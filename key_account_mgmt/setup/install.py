"""Install, migrate and uninstall: custom fields on ERPNext doctypes, default settings, the workflow's
masters. Indexes and column widths are each doctype's on_doctype_update (setup/schema.py); data and
schema changes of an existing site are patches (patches.txt, patches/v<major>_<minor>/)."""

import frappe
from frappe.custom.doctype.custom_field.custom_field import create_custom_fields

from key_account_mgmt.desk.tiers import sync_tier_desk
from key_account_mgmt.setup.company import name_currency_fractions
from key_account_mgmt.setup.workflow import ensure_promotion_workflow_masters
from key_account_mgmt.tiering.core import DEFAULT_BANDS
from key_account_mgmt.tiering.ledger import INVOICE_SUPPLIER_INDEX


def custom_fields() -> dict[str, list[dict]]:
	key_account_fields = [
		{
			"fieldname": "key_account",
			"label": "Key Account",
			"fieldtype": "Link",
			"options": "Key Account",
			"read_only": 1,
			"no_copy": 1,
			"print_hide": 1,
			"in_standard_filter": 1,
			"search_index": 1,
		},
		{
			"fieldname": "key_account_tier",
			"label": "Key Account Tier",
			"fieldtype": "Data",
			"read_only": 1,
			"no_copy": 1,
			"print_hide": 1,
			"in_standard_filter": 1,
			"insert_after": "key_account",
		},
	]
	return {
		"Purchase Invoice": [
			{**key_account_fields[0], "insert_after": "supplier_name", "allow_on_submit": 1},
			{**key_account_fields[1], "allow_on_submit": 1},
		],
		"Supplier": [
			{**key_account_fields[0], "insert_after": "supplier_group"},
			key_account_fields[1],
		],
		# Orders show in the account's connections; the supplier's account is copied onto each order.
		"Purchase Order": [
			{**key_account_fields[0], "insert_after": "supplier_name", "fetch_from": "supplier.key_account"},
		],
	}


def after_install() -> None:
	create_custom_fields(custom_fields(), update=True)
	set_default_settings()
	name_currency_fractions()  # the first invoice with fen must save on Frappe 16
	ensure_promotion_workflow_masters()  # before the Workflow fixture, which names them
	rebuild_sales_summary()  # of the Sales Invoices the site already has


def after_migrate() -> None:
	"""Only what is cheap and changes nothing when nothing changed: the declared custom fields, the
	workflow's masters, a fraction name for currencies without one, and the tier cards' labels that
	migrate brings back."""
	create_custom_fields(custom_fields(), update=True)
	ensure_promotion_workflow_masters()
	name_currency_fractions()
	sync_tier_desk()  # migrate brings back the shipped card labels


def rebuild_sales_summary() -> None:
	from key_account_mgmt.analysis.sales_summary import rebuild

	rebuild()


def set_default_settings() -> None:
	settings = frappe.get_single("Key Account Settings")
	if settings.tier_bands:
		return
	settings.threshold_currency = settings.threshold_currency or "CNY"
	for band in DEFAULT_BANDS:
		settings.append("tier_bands", {"tier": band.tier, "lower_bound": band.lower_bound})
	settings.flags.ignore_permissions = True
	settings.save()


MODULE = "Key Account Management"


def table_columns(doctype: str) -> set[str]:
	"""Read afresh: Frappe caches a table's columns."""
	return set(frappe.db.sql_list(f"SHOW COLUMNS FROM `tab{doctype}`"))


def before_uninstall() -> None:
	"""Leave ERPNext as it was: the custom fields go with their columns and indexes (no stamp survives
	into a reinstall), and so do the app's scheduled jobs and the links from Contacts and Addresses to
	the app's documents, which would make those unsaveable once the doctypes are gone. First every
	record elsewhere that points at the app's doctypes, roles or workflow (setup/uninstall.py)."""
	from key_account_mgmt.setup.uninstall import remove_app_records

	remove_app_records()
	for doctype, fields in custom_fields().items():
		for field in fields:
			frappe.delete_doc_if_exists("Custom Field", f"{doctype}-{field['fieldname']}")
		columns = [field["fieldname"] for field in fields if field["fieldname"] in table_columns(doctype)]
		if columns:
			frappe.db.sql_ddl(
				f"ALTER TABLE `tab{doctype}` {', '.join(f'DROP COLUMN `{column}`' for column in columns)}"
			)
		frappe.clear_cache(doctype=doctype)
	if frappe.db.has_index("tabPurchase Invoice", INVOICE_SUPPLIER_INDEX):
		frappe.db.sql_ddl(f"ALTER TABLE `tabPurchase Invoice` DROP INDEX `{INVOICE_SUPPLIER_INDEX}`")
	frappe.db.delete("Scheduled Job Type", {"method": ("like", "key_account_mgmt.%")})
	app_doctypes = frappe.get_all("DocType", filters={"module": MODULE}, pluck="name")
	if app_doctypes:
		frappe.db.delete("Dynamic Link", {"link_doctype": ("in", app_doctypes)})
	remove_portal_menu_entries()


def remove_portal_menu_entries() -> None:
	"""Frappe syncs the portal menu on migrate, not on uninstall: the app's entry would lead the portal
	role's users to a page that is gone."""
	routes = {
		item["route"] for item in frappe.get_hooks("standard_portal_menu_items", app_name="key_account_mgmt")
	}
	portal = frappe.get_single("Portal Settings")
	portal.set("menu", [row for row in portal.menu if row.route not in routes])
	portal.save(ignore_permissions=True)
