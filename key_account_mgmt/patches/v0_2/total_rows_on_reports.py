"""Reports whose rows users add up show a total row. Frappe keeps a site's own add_total_row when it
re-imports a report, so a site installed before the reports had it gets it here."""

import frappe

TOTALLED = ("Key Account Register", "Value Analysis", "Agent Contribution", "Behaviour Analysis")


def execute():
	for report in TOTALLED:
		if frappe.db.get_value("Report", report, "add_total_row") == 0:
			frappe.db.set_value("Report", report, "add_total_row", 1, update_modified=False)
