"""Reports whose rows users add up show a total row. Frappe keeps a site's own add_total_row when it
re-imports a report, so a site installed before the reports had it gets it here; a site at 0.1.0 had
it from that release's patch, and a total row its admin has turned off since stays off."""

import frappe

from key_account_mgmt.patches.v0_2 import ran

TOTALLED = ("Key Account Register", "Value Analysis", "Agent Contribution", "Behaviour Analysis")
DONE_AT_0_1 = "key_account_mgmt.patches.report_total_rows"


def execute():
	if ran(DONE_AT_0_1):
		return
	for report in TOTALLED:
		if frappe.db.get_value("Report", report, "add_total_row") == 0:
			frappe.db.set_value("Report", report, "add_total_row", 1, update_modified=False)
