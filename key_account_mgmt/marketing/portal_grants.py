"""Portal grants (Art. 11): which website user sees which account's data.

A Key Account Portal Grant names a Contact Role, the role's contact and that contact's website user as
they were when a Key Account Manager last granted or moved it, and gives access only while all three
still hold. A change of the role's contact or account, or of the contact's user, made by a Key Account
Manager moves the grant with it; made by anyone else it withdraws the grant, never moves it. Every
change is a Version of the grant, which only those who may read grants see."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.query_builder import DocType

from key_account_mgmt.language import in_language, user_language

GRANT = "Key Account Portal Grant"
ROLE = "Key Account Contact Role"


def granted_accounts(user: str) -> list[str]:
	"""The accounts whose data `user` may see: grants in force whose role, contact and user still are
	the ones granted, so that a change made behind the app's back grants nobody anything."""
	grant, role, contact = DocType(GRANT), DocType(ROLE), DocType("Contact")
	accounts = (
		frappe.qb.from_(grant)
		.join(role)
		.on(role.name == grant.contact_role)
		.join(contact)
		.on(contact.name == grant.contact)
		.select(grant.key_account)
		.distinct()
		.where(
			(grant.portal_access == 1)
			& (grant.portal_user == user)
			& (role.contact == grant.contact)
			& (role.key_account == grant.key_account)
			& (contact.user == grant.portal_user)
		)
		.run(pluck=True)
	)
	return sorted(accounts)


def granted_users() -> list[str]:
	"""Every user a grant in force names."""
	return sorted(
		set(
			frappe.get_all(
				GRANT,
				filters={"portal_access": 1, "portal_user": ("is", "set")},
				pluck="portal_user",
			)
		)
	)


def may_manage_grants() -> bool:
	return bool(frappe.has_permission(GRANT, "write"))


def ground_of(contact_role: str) -> tuple:
	"""(account, contact, the contact's website user) of a Contact Role, as the database holds them now."""
	account, contact = frappe.db.get_value(ROLE, contact_role, ["key_account", "contact"]) or (None, None)
	return account, contact, frappe.db.get_value("Contact", contact, "user") if contact else None


def follow_contact_role(grant) -> None:
	"""Grant validate: the grant takes its role's account, contact and user. Access moves with them only
	when a Key Account Manager made the change; for anyone else it is withdrawn."""
	before = grant.get_doc_before_save()
	was = (before.key_account, before.contact, before.portal_user) if before else None
	now = ground_of(grant.contact_role)
	grant.key_account, grant.contact, grant.portal_user = now
	if not (before and before.portal_access and grant.portal_access) or was == now:
		return
	if not may_manage_grants():
		grant.portal_access = 0
		notify_withdrawal(grant, was[2])
	elif not grant.portal_user:
		grant.portal_access = 0
		frappe.msgprint(
			_("Portal access of {0} was withdrawn: contact {1} has no website user.").format(
				frappe.bold(grant.full_name or grant.contact_role), frappe.bold(grant.contact)
			)
		)
	elif was[2] != grant.portal_user:
		frappe.msgprint(
			_("Portal access of {0} moved from {1} to {2}.").format(
				frappe.bold(grant.full_name or grant.contact_role),
				frappe.bold(was[2] or "-"),
				frappe.bold(grant.portal_user),
			)
		)


def notify_withdrawal(grant, user: str | None) -> None:
	"""A desk notification for every Key Account Manager, in the reader's language, after commit: access
	someone else's change withdrew is theirs to grant again."""
	managers = set(
		frappe.get_all(
			"Has Role", filters={"role": "Key Account Manager", "parenttype": "User"}, pluck="parent"
		)
	) - {"Administrator"}
	by_language = defaultdict(list)
	for manager in managers:
		by_language[user_language(manager)].append(manager)
	for language, users in sorted(by_language.items()):
		with in_language(language):
			subject = _(
				"{0} changed what the portal access of {1} rests on: access of {2} withdrawn."
			).format(frappe.session.user, grant.full_name or grant.contact_role, user or "-")
		frappe.enqueue(
			"frappe.desk.doctype.notification_log.notification_log.make_notification_logs",
			doc=frappe._dict(
				type="Alert",
				document_type=GRANT,
				document_name=grant.name,
				subject=subject,
				from_user=frappe.session.user,
			),
			users=sorted(users),
			now=frappe.flags.in_test,
			enqueue_after_commit=True,
		)


def validate_website_user(grant) -> None:
	if grant.portal_access and not grant.portal_user:
		frappe.throw(
			_("Contact {0} has no website user: give it one before granting portal access.").format(
				frappe.bold(grant.contact)
			),
			title=_("No Website User"),
		)


def refresh_grant(contact_role: str) -> None:
	"""After a change the grant rests on: the grant follows, in the changer's name (its history says who)."""
	if frappe.db.exists(GRANT, contact_role):
		grant = frappe.get_doc(GRANT, contact_role)
		grant.flags.ignore_permissions = True
		grant.save()


def on_contact_role_update(role) -> None:
	if role.has_value_changed("contact") or role.has_value_changed("key_account"):
		refresh_grant(role.name)


def on_contact_role_trash(role) -> None:
	"""Deleting a role ends its grant: only once the grant is withdrawn, so the withdrawal is in its
	history. The grant goes with the role."""
	if frappe.db.get_value(GRANT, role.name, "portal_access"):
		frappe.throw(
			_("{0} may use the data-sharing portal. Withdraw its portal access first.").format(
				frappe.bold(role.full_name or role.name)
			),
			title=_("Portal Access Granted"),
		)
	frappe.delete_doc(GRANT, role.name, ignore_permissions=True, ignore_missing=True)


def on_contact_update(contact, method=None) -> None:
	"""Contact on_update: a new website user on a contact moves or withdraws the grants that rest on it."""
	if not contact.get_doc_before_save() or not contact.has_value_changed("user"):
		return  # a new contact carries no grant yet
	roles = frappe.get_all(ROLE, filters={"contact": contact.name}, pluck="name")
	grants = set(frappe.get_all(GRANT, filters={"contact": contact.name}, pluck="name"))
	for name in sorted(grants | set(roles)):
		refresh_grant(name)
