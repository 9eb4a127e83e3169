"""The Key Account form's Profile tab for users who may read the account but not ERPNext's Contact or
Address: its contacts and addresses, loaded with the form."""

import frappe
from frappe.contacts.doctype.address.address import get_address_display, get_condensed_address


def account_profile(account) -> None:
	"""The Profile tab's contacts and addresses for users who may read the account but not ERPNext's
	Contact or Address (beyond those they created): Frappe shows them none ("No contacts added yet")."""
	if not _reads_all("Contact"):
		contacts = _linked("Contact", account.name, "is_primary_contact")
		roles = dict(
			frappe.get_all(
				"Key Account Contact Role",
				filters={"key_account": account.name},
				fields=["contact", "name"],
				as_list=True,
			)
		)
		for contact in contacts:
			_add_contact_details(contact)
			# The card's edit pencil: the Contact for who may edit it, else the contact's role in this
			# account (key_account.js), which a Key Account Manager edits.
			contact["may_edit"] = frappe.has_permission("Contact", "write", doc=contact.name)
			contact["contact_role"] = roles.get(contact.name)
		account.set_onload("contact_list", contacts)
	if not _reads_all("Address"):
		addresses = _linked("Address", account.name, "is_primary_address")
		for address in addresses:
			address["display"] = get_address_display(address)
		account.set_onload("addr_list", addresses)


def _reads_all(doctype: str) -> bool:
	# Every desk user may read the contacts and addresses they created ("All", if owner): not enough.
	perms = frappe.permissions.get_role_permissions(frappe.get_meta(doctype))
	return bool(perms.get("read")) and "read" not in perms.get("if_owner", {})


def _add_contact_details(contact: dict) -> None:
	# what the desk's contact card shows besides the primary e-mail and phone, as Frappe loads it
	contact["email_ids"] = frappe.get_all(
		"Contact Email", filters={"parent": contact.name, "is_primary": 0}, fields=["email_id"]
	)
	contact["phone_nos"] = frappe.get_all(
		"Contact Phone",
		filters={"parent": contact.name, "is_primary_phone": 0, "is_primary_mobile_no": 0},
		fields=["phone"],
	)
	if contact.address:
		contact["address"] = get_condensed_address(frappe.get_doc("Address", contact.address))


def _linked(doctype: str, account: str, primary_field: str) -> list[dict]:
	return frappe.get_all(
		doctype,
		filters=[
			["Dynamic Link", "link_doctype", "=", "Key Account"],
			["Dynamic Link", "link_name", "=", account],
			["Dynamic Link", "parenttype", "=", doctype],
		],
		fields=["*"],
		order_by=f"{primary_field} DESC, `tab{doctype}`.creation ASC",
	)
