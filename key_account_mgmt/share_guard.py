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
