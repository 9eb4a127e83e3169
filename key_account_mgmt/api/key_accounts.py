"""Whitelisted endpoints of the key-account desk, kept out of the controllers."""

import frappe
from frappe import _

from key_account_mgmt import inputs


@frappe.whitelist(methods=["POST"])
def create_key_account_from_supplier(supplier: str | None = None) -> str:
	"""A new key account named after the supplier, grouping it; its history is brought in at once."""
	supplier = inputs.name(supplier, _("Supplier"))
	frappe.has_permission("Key Account", "create", throw=True)
	existing = frappe.db.get_value(
		"Key Account Supplier", {"supplier": supplier, "parenttype": "Key Account"}, "parent"
	)
	if existing:
		frappe.throw(
			_("Supplier {0} already belongs to key account {1}.").format(
				frappe.bold(supplier), frappe.bold(existing)
			),
			title=_("Supplier Already Claimed"),
		)
	supplier_name = frappe.db.get_value("Supplier", supplier, "supplier_name")
	if not supplier_name:
		frappe.throw(_("Supplier {0} does not exist.").format(supplier), frappe.DoesNotExistError)
	account = frappe.get_doc(
		{"doctype": "Key Account", "account_name": supplier_name, "suppliers": [{"supplier": supplier}]}
	).insert()
	return account.name
