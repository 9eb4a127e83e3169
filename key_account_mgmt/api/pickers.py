"""What the key-account roles pick from ERPNext masters they may not read (Supplier, Brand, Territory,
Warehouse, Contact).

The app grants them no permission on those masters. Instead these searches read on the user's behalf,
for a user who may edit the form the picker belongs to, and return only what that form may take: an
enabled supplier that no other key account holds, any brand, any territory, any store (non-group, enabled
warehouse), and for a Contact Role only this account's contacts that have no role in it yet. A picked
supplier or brand is checked by `account_supplier` and `account_brand`, which answer the form what
Frappe's link check (read or select permission on the master) would refuse these roles."""

import frappe
from frappe import _

from key_account_mgmt import inputs
from key_account_mgmt.account_file.contacts import account_contact_names

# The form fields whose linked doctype the key-account roles may not read, and the search that answers
# them instead (each form's script names the same method in its set_query); tests/test_picker_matrix.py
# checks every other link field of every form against the roles' permissions.
FORM_PICKERS = {
	("Key Account", "brand"): "account_brands",
	("Key Account Supplier", "supplier"): "account_suppliers",
	("Joint Promotion Territory", "territory"): "promotion_territories",
	("Joint Promotion Warehouse", "warehouse"): "promotion_stores",
	("Key Account Contact Role", "contact"): "account_contacts",
	("Key Account Settings", "threshold_currency"): "settings_currencies",
	("Key Account Company", "company"): "settings_companies",
}


def _may_edit(doctype: str) -> None:
	if not (frappe.has_permission(doctype, "create") or frappe.has_permission(doctype, "write")):
		frappe.throw(_("You may not edit {0}.").format(_(doctype)), frappe.PermissionError)


def _like(txt: str) -> str:
	return f"%{txt or ''}%"


def _page(doctype: str, start: int, page_len: int, **query) -> list:
	"""One page of a picker's answer, as the rows Frappe's link search shows."""
	return frappe.get_all(doctype, limit_start=start, limit=page_len, as_list=True, **query)


def _free_suppliers(account: str | None):
	"""Enabled suppliers no other key account holds (a supplier belongs to one account at most)."""
	supplier = frappe.qb.DocType("Supplier")
	free = supplier.key_account.isnull() | (supplier.key_account == "")
	if account:
		free = free | (supplier.key_account == account)
	return supplier, (supplier.disabled == 0) & free


@frappe.whitelist()
@inputs.search_inputs
def account_suppliers(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | None = None, **kwargs
) -> list:
	"""Suppliers a key account may take: enabled, and in no other key account."""
	_may_edit("Key Account")
	supplier, free = _free_suppliers((filters or {}).get("key_account"))
	return (
		frappe.qb.from_(supplier)
		.select(supplier.name, supplier.supplier_name)
		.where(free & (supplier.name.like(_like(txt)) | supplier.supplier_name.like(_like(txt))))
		.orderby(supplier.supplier_name)
		.limit(page_len)
		.offset(start)
		.run()
	)


@frappe.whitelist()
def account_supplier(supplier: str | None = None, key_account: str | None = None) -> dict:
	"""The link check of a supplier picked on a key account: its name, or a message the user can act on."""
	supplier = inputs.name(supplier, _("Supplier"))
	key_account = inputs.name(key_account, _("Key Account"), required=False)
	_may_edit("Key Account")
	table = frappe.qb.DocType("Supplier")
	found = (
		frappe.qb.from_(table)
		.select(table.name, table.supplier_name, table.key_account)
		.where(table.name == supplier)
		.run(as_dict=True)
	)
	if not found:
		frappe.throw(_("There is no supplier {0}.").format(frappe.bold(supplier)), frappe.DoesNotExistError)
	row = found[0]
	if row.key_account and row.key_account != key_account:
		frappe.throw(
			_("Supplier {0} belongs to key account {1}.").format(
				frappe.bold(supplier), frappe.bold(row.key_account)
			),
			title=_("Supplier of Another Account"),
		)
	return {"name": row.name, "supplier_name": row.supplier_name}


@frappe.whitelist()
@inputs.search_inputs
def account_brands(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | None = None, **kwargs
) -> list:
	_may_edit("Key Account")
	return _page(
		"Brand",
		start,
		page_len,
		filters={"name": ("like", _like(txt))},
		fields=["name"],
		order_by="name",
	)


@frappe.whitelist()
def account_brand(brand: str | None = None) -> str:
	"""The link check of a brand picked on a key account."""
	brand = inputs.name(brand, _("Brand"))
	_may_edit("Key Account")
	if not frappe.db.exists("Brand", brand):
		frappe.throw(_("There is no brand {0}.").format(frappe.bold(brand)), frappe.DoesNotExistError)
	return brand


@frappe.whitelist()
@inputs.search_inputs
def settings_currencies(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | None = None, **kwargs
) -> list:
	"""The bands' currency in Key Account Settings: any enabled currency."""
	_may_edit("Key Account Settings")
	return _page(
		"Currency",
		start,
		page_len,
		filters={"enabled": 1, "name": ("like", _like(txt))},
		fields=["name", "currency_name"],
		order_by="name",
	)


@frappe.whitelist()
@inputs.search_inputs
def settings_companies(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | None = None, **kwargs
) -> list:
	"""The companies whose purchases count, in Key Account Settings: any company."""
	_may_edit("Key Account Settings")
	return _page(
		"Company",
		start,
		page_len,
		filters={"name": ("like", _like(txt))},
		fields=["name", "default_currency"],
		order_by="name",
	)


@frappe.whitelist()
@inputs.search_inputs
def promotion_territories(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | None = None, **kwargs
) -> list:
	_may_edit("Joint Promotion")
	return _page(
		"Territory",
		start,
		page_len,
		filters={"name": ("like", _like(txt))},
		fields=["name", "parent_territory"],
		order_by="lft",
	)


@frappe.whitelist()
@inputs.search_inputs
def promotion_stores(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | None = None, **kwargs
) -> list:
	_may_edit("Joint Promotion")
	return _page(
		"Warehouse",
		start,
		page_len,
		filters={"is_group": 0, "disabled": 0},
		or_filters={"name": ("like", _like(txt)), "warehouse_name": ("like", _like(txt))},
		fields=["name", "company"],
		order_by="name",
	)


@frappe.whitelist()
@inputs.search_inputs
def account_contacts(
	doctype: str, txt: str, searchfield: str, start: int, page_len: int, filters: dict | None = None, **kwargs
) -> list:
	"""Contacts linked to the account (or to one of its suppliers) that have no role in it yet."""
	_may_edit("Key Account Contact Role")
	account = (filters or {}).get("key_account")
	if not account:
		return []
	frappe.get_doc("Key Account", account).check_permission("read")
	linked = account_contact_names(account)
	linked -= set(
		frappe.get_all("Key Account Contact Role", filters={"key_account": account}, pluck="contact")
	)
	if not linked:
		return []
	return _page(
		"Contact",
		start,
		page_len,
		filters={"name": ("in", sorted(linked))},
		or_filters={
			"name": ("like", _like(txt)),
			"full_name": ("like", _like(txt)),
			"email_id": ("like", _like(txt)),
		},
		fields=["name", "full_name", "email_id"],
		order_by="full_name",
	)
