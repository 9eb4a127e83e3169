"""An app document is shared, or assigned, only with users whose roles already let them read it.

Frappe shares a document with whoever it is assigned to and lacks the permission, and a share opens
the whole document over the desk and REST. A Key Account assigned to one manufacturer's portal user
would hand it another's file. The README's permission table is the only way in."""

import frappe
from frappe import _
from frappe.permissions import get_role_permissions

MODULE = "Key Account Management"


class ShareRefusedError(frappe.PermissionError):
	pass


def refuse_sharing_beyond_roles(share, method=None) -> None:
	"""doc_event on DocShare (validate)."""
	meta = frappe.get_meta(share.share_doctype)
	if meta.module != MODULE:
		return
	if share.everyone:
		frappe.throw(
			_("{0} cannot be shared with everyone.").format(_(share.share_doctype)),
			ShareRefusedError,
			title=_("Not Shared"),
		)
	if not get_role_permissions(meta, user=share.user).get("read"):
		frappe.throw(
			_("{0} cannot be shared with or assigned to {1}: their roles do not let them read it.").format(
				_(share.share_doctype), frappe.bold(share.user)
			),
			ShareRefusedError,
			title=_("Not Shared"),
		)


def refuse_assigning_rows(todo, method=None) -> None:
	"""doc_event on ToDo (validate): a row of one of the app's tables is no document to assign (Frappe
	would also add an `_assign` column to its table, a schema change inside someone's request)."""
	if not todo.reference_type or not todo.is_new():
		return
	meta = frappe.get_meta(todo.reference_type)
	if meta.module == MODULE and meta.istable:
		frappe.throw(
			_("{0} rows cannot be assigned: assign their {1}.").format(
				_(todo.reference_type), _(meta.get("parent") or _("document"))
			),
			ShareRefusedError,
			title=_("Not Assigned"),
		)
