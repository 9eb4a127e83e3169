import frappe
from frappe import _

from key_account_mgmt.marketing.sharing import check_portal_access, portal_data, portal_report

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see your key account data."), frappe.PermissionError)
	account = check_portal_access(frappe.session.user, frappe.form_dict.get("account"))
	context.update(portal_data(account))
	context.report = (
		portal_report(account, frappe.form_dict.report) if frappe.form_dict.get("report") else None
	)
	# Frappe's base template puts the title through `striptags`, which undoes escaping: no names in it.
	context.title = _("Key Account Data")
	context.no_breadcrumbs = True
	return context
