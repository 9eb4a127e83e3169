import frappe
from frappe import _

from key_account_mgmt.marketing.portal_access import check_portal_access
from key_account_mgmt.marketing.portal_page import portal_page
from key_account_mgmt.marketing.sharing import portal_data, portal_report

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.throw(_("Log in to see your key account data."), frappe.PermissionError)
	account = check_portal_access(frappe.session.user, frappe.form_dict.get("account"))
	context.account = account
	if frappe.form_dict.get("report"):
		context.report = portal_report(account, frappe.form_dict.report)
	else:
		context.report = None
		data = portal_data(account)
		context.update(
			{key: data[key] for key in ("brand", "currency", "months", "sales", "reports")},
			**portal_page(data),
		)
	# Frappe's base template puts the title through `striptags`, which undoes escaping: no names in it.
	context.title = _("Key Account Data")
	context.no_breadcrumbs = True
	# No portal sidebar here: the page needs the width for twelve months side by side.
	context.show_sidebar = False
	return context
