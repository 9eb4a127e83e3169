"""Who may read an account's shared data on the portal (Art. 11): the users its grants name, and the
portal role that shows them the page in their portal menu."""

import frappe
from frappe import _

from key_account_mgmt.marketing.portal_grants import granted_accounts, granted_users


def portal_accounts(user: str) -> list[str]:
	"""The key accounts whose portal `user` was granted, by a Key Account Portal Grant in force of each."""
	if user in ("Guest", None):
		return []
	return granted_accounts(user)


def check_portal_access(user: str, account: str | None) -> str:
	"""The account `user` may see. Another account's name and a made-up one get the same refusal, which
	repeats nothing of the request."""
	accounts = portal_accounts(user)
	account = account or (accounts[0] if accounts else None)
	if account not in accounts:
		refuse()
	return account


def refuse():
	frappe.throw(_("You have no access to this key account data."), frappe.PermissionError)


PORTAL_ROLE = "Key Account Portal User"


def sync_portal_role(user: str | None) -> None:
	"""The portal menu shows "Key Account Data" to the portal role: a user holds it exactly while a
	grant gives the user an account. The role grants no permission on any doctype."""
	if not user or user in ("Guest", "Administrator") or not frappe.db.exists("User", user):
		return
	granted = bool(portal_accounts(user))
	held = bool(frappe.db.exists("Has Role", {"parent": user, "parenttype": "User", "role": PORTAL_ROLE}))
	if granted == held:
		return
	user_doc = frappe.get_doc("User", user)
	user_doc.flags.ignore_permissions = True
	if granted:
		user_doc.add_roles(PORTAL_ROLE)
	else:
		user_doc.remove_roles(PORTAL_ROLE)


def sync_portal_roles_of_grant(doc, method=None) -> None:
	"""doc_events of the document that holds a grant: its user now and before the change."""
	before = doc.get_doc_before_save() if method != "after_delete" else None
	for user in {doc.get("portal_user"), before and before.get("portal_user")}:
		sync_portal_role(user)


def sync_portal_role_on_login(login_manager=None) -> None:
	sync_portal_role(frappe.session.user)


def sync_all_portal_roles() -> None:
	"""Every user who holds the role or is named by a grant in force."""
	holders = frappe.get_all("Has Role", filters={"role": PORTAL_ROLE, "parenttype": "User"}, pluck="parent")
	for user in sorted(set(holders) | set(granted_users())):
		sync_portal_role(user)
