"""Frappe's own whitelisted methods, as this app needs them on every supported version."""

import frappe
from frappe import _
from frappe.client import get_safe_filters

from key_account_mgmt import inputs


@frappe.whitelist()
def get_count(
	doctype: str | None = None,
	filters: str | dict | list | None = None,
	debug: bool = False,
	cache: bool = False,
) -> int:
	"""`frappe.client.get_count` with the read-permission check Frappe 16 has and Frappe 15 lacks.

	Frappe 15 counts any doctype for any logged-in user, website users included, so one request per
	guess reads an amount a filter can bound: a portal contact could binary-search a competitor's
	purchases. As in Frappe 16, the count runs through the desk's list count, under the user's read
	permission and row restrictions. `debug` and `cache` are accepted and ignored."""
	from frappe.desk.reportview import get_count as permitted_count

	frappe.form_dict.doctype = inputs.name(doctype, _("Document Type"))
	frappe.form_dict.filters = get_safe_filters(filters)
	return permitted_count()
