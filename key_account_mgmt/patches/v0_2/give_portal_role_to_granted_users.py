"""The portal menu's "Key Account Data" entry is for the Key Account Portal User role, which follows the
grants: users granted before the role existed get it here, and holders without a grant in force lose
it. Patches run before fixtures are synced, so the role is made here when it is missing."""

import frappe

from key_account_mgmt.marketing.portal_access import PORTAL_ROLE, sync_all_portal_roles


def execute():
	if not frappe.db.exists("Role", PORTAL_ROLE):
		frappe.get_doc({"doctype": "Role", "role_name": PORTAL_ROLE, "desk_access": 0}).insert()
	sync_all_portal_roles()
