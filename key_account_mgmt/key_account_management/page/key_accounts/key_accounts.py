"""/app/key-accounts for a user the Key Accounts workspace is not for. The desk opens the workspace for
whoever holds one of its roles; anyone else reaches this page, which names those roles instead of
saying that the page was not found."""

import frappe
from frappe import _

WORKSPACE = "Key Accounts"


def get_context(context):
	context.roles = ", ".join(_(role) for role in workspace_roles())
	return context


def workspace_roles() -> list[str]:
	return frappe.get_all(
		"Has Role",
		filters={"parenttype": "Workspace", "parent": WORKSPACE},
		pluck="role",
		order_by="idx",
	)
