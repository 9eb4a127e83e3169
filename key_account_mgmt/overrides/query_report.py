"""Frappe's query-report endpoint, for the app's reports: their filters are parsed before Frappe reads them.

Frappe's `frappe.desk.query_report.run` calls `json.loads` on the filters before the report runs (and,
on Frappe 15.74, before it checks the user may see the report), so filters that are not JSON, a list, a
number or megabytes of text ended as a 500 and an Error Log, whatever the report's own checks. For a
report of this app the filters are now parsed first, as every report of the app reads them
(analysis/filters.py): anything else is refused with a short, translatable message (HTTP 417). Other
reports, and every other argument, go to Frappe's `run` unchanged."""

import frappe
from frappe import _

from key_account_mgmt import inputs


@frappe.whitelist()
def run(report_name: str | None = None, filters: str | dict | None = None, **kwargs):
	from frappe.desk.query_report import run as frappes_run

	report_name = inputs.name(report_name, _("Report"))
	if is_app_report(report_name):
		from key_account_mgmt.analysis.filters import report_filters

		filters = report_filters(filters)
	# Frappe's `run` (read-only, on a replica where there is one) keeps the arguments it takes
	return frappes_run(report_name, filters, **kwargs)


def is_app_report(report_name: str) -> bool:
	module = frappe.db.get_value("Report", report_name, "module")
	return bool(module) and module in frappe.get_module_list("key_account_mgmt")
