"""The account's people (Art. 15): each Contact Role is an ERPNext Contact of this account only."""

import json

import frappe
from frappe import _


def validate_contact_belongs_to(account: str, contact: str) -> None:
	"""A Contact linked to another key account, or to a supplier of another key account, is theirs."""
	for link in frappe.get_all(
		"Dynamic Link",
		filters={
			"parenttype": "Contact",
			"parent": contact,
			"link_doctype": ("in", ["Key Account", "Supplier"]),
		},
		fields=["link_doctype", "link_name"],
	):
		owner = (
			link.link_name
			if link.link_doctype == "Key Account"
			else frappe.db.get_value("Supplier", link.link_name, "key_account")
		)
		if owner and owner != account:
			frappe.throw(
				_("Contact {0} belongs to key account {1}, not to {2}.").format(
					frappe.bold(contact), frappe.bold(owner), frappe.bold(account)
				),
				title=_("Contact of Another Account"),
			)


class ContactNotOfAccountError(frappe.PermissionError):
	pass


def validate_contact_may_be_taken(account: str, contact: str) -> None:
	"""A role takes one of the contacts its picker offers (linked to the account or to one of its
	suppliers), or a Contact the user may read: a role must not be a way to read someone else's."""
	if contact in account_contact_names(account) or frappe.has_permission("Contact", "read", doc=contact):
		return
	frappe.throw(
		_("Contact {0} is not one of key account {1}'s contacts. Link it to the account first.").format(
			frappe.bold(contact), frappe.bold(account)
		),
		ContactNotOfAccountError,
		title=_("Contact of Another Account"),
	)


def account_contact_names(account: str) -> set[str]:
	"""Contacts linked to the account or to one of its suppliers."""
	suppliers = frappe.get_all("Key Account Supplier", filters={"parent": account}, pluck="supplier")
	links = [["Key Account", [account]], ["Supplier", suppliers]]
	names = set()
	for link_doctype, link_names in links:
		if link_names:
			names |= set(
				frappe.get_all(
					"Dynamic Link",
					filters={
						"parenttype": "Contact",
						"link_doctype": link_doctype,
						"link_name": ("in", link_names),
					},
					pluck="parent",
				)
			)
	return names


def validate_unique_contact(account: str, contact: str, name: str) -> None:
	existing = frappe.db.get_value(
		"Key Account Contact Role", {"key_account": account, "contact": contact, "name": ("!=", name)}
	)
	if existing:
		frappe.throw(
			_("Contact {0} already has a role in this account: {1}.").format(frappe.bold(contact), existing),
			title=_("Duplicate Contact"),
		)


def validate_reports_to(account: str, name: str, reports_to: str | None) -> None:
	if not reports_to:
		return
	if reports_to == name:
		frappe.throw(_("A contact cannot report to themselves."), title=_("Invalid Reports To"))
	if frappe.db.get_value("Key Account Contact Role", reports_to, "key_account") != account:
		frappe.throw(
			_("{0} reports to someone outside key account {1}.").format(name, frappe.bold(account)),
			title=_("Invalid Reports To"),
		)


def link_contact_to_account(account: str, contact: str) -> None:
	"""So that the account's Profile tab lists the contact, as Supplier and Customer forms do."""
	contact_doc = frappe.get_doc("Contact", contact)
	if not contact_doc.has_link("Key Account", account):
		contact_doc.append("links", {"link_doctype": "Key Account", "link_name": account})
		contact_doc.save(ignore_permissions=True)


# Frappe lists a document's versions to everyone who may read the document, field levels aside.
HISTORY_WITHOUT_RESTRICTED_FIELDS = ("Key Account Contact Role",)
# Kept on the Contact Role until they moved to Key Account Contact Profile; older versions hold them.
PERSONAL_FIELDS = ("personality", "hobbies")
# Kept on the Contact Role until they moved to Key Account Portal Grant; older versions hold them.
PORTAL_FIELDS = ("portal_access", "portal_user")


def keep_restricted_fields_out_of_history(version, method=None) -> None:
	"""Version before_insert: a Contact Role's version records no change of its restricted fields
	(personality, hobbies, portal access), so a Key Account User reading the form's history sees
	nothing of them."""
	if version.ref_doctype not in HISTORY_WITHOUT_RESTRICTED_FIELDS or not version.data:
		return
	data = json.loads(version.data)
	if data.get("changed"):
		restricted = restricted_fields(version.ref_doctype)
		data["changed"] = [change for change in data["changed"] if change[0] not in restricted]
		version.data = frappe.as_json(data, indent=None, separators=(",", ":"))


def restricted_fields(doctype: str) -> set[str]:
	return (
		{df.fieldname for df in frappe.get_meta(doctype).fields if df.permlevel}
		| set(PERSONAL_FIELDS)
		| set(PORTAL_FIELDS)
	)
