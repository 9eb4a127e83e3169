"""Frappe's `frappe.desk.query_report.get_script`, the desk's first call when a report opens (from its
URL, a bookmark or a link someone sent): for a report of this app that the user's roles may not run,
the refusal names the roles that may, in the user's language, and says whom to ask. Frappe's own
refusal ("You don't have access to Report: X") says neither. Every other report, and a permitted one,
goes to Frappe's `get_script` unchanged, which checks again."""

import frappe
from frappe import _
from frappe.core.doctype.custom_role.custom_role import get_custom_allowed_roles

from key_account_mgmt import inputs

# Roles nobody is sent to ask for: they can do everything already.
NOT_NAMED = {"Administrator", "System Manager"}


@frappe.whitelist()
def get_script(report_name: str | None = None):
	from frappe.desk.query_report import get_script as frappes_get_script

	report_name = inputs.name(report_name, _("Report"))
	if not frappe.db.exists("Report", report_name):
		# Frappe's "Report X not found" would say back whatever was sent
		frappe.throw(_("There is no report of that name."), frappe.DoesNotExistError)
	refuse_without_role(report_name)
	return frappes_get_script(report_name)


def refuse_without_role(report_name: str) -> None:
	"""For an app report the user may not run: a refusal that names the roles that may."""
	allowed = roles_for(report_name)
	if allowed is None or not allowed or set(allowed) & set(frappe.get_roles()):
		return
	roles = ", ".join(_(role) for role in allowed if role not in NOT_NAMED) or _("System Manager")
	frappe.throw(
		_("{0} is for these roles: {1}. Ask your System Manager to give you one of them.").format(
			_(report_name), roles
		),
		frappe.PermissionError,
		title=_("Not Permitted"),
	)


def roles_for(report_name: str) -> list[str] | None:
	"""The roles that may run an app report, as Frappe's Report.is_permitted reads them (a Custom Role
	replaces the report's own); None for a report of another app or none at all."""
	module = frappe.db.get_value("Report", report_name, "module")
	if not module or module not in frappe.get_module_list("key_account_mgmt"):
		return None
	return get_custom_allowed_roles("report", report_name) or frappe.get_all(
		"Has Role",
		filters={"parenttype": "Report", "parent": report_name},
		pluck="role",
		order_by="idx",
	)
