"""The thresholds of the measured qualification criteria (4, 5 and 6) are Key Account Settings fields
with defaults. A new site gets the defaults; a site installed before the fields has none stored, so
each missing one is set to its default here. A value a site has stored (0 included) is kept."""

import frappe

SETTINGS = "Key Account Settings"
FIELDS = (
	"cooperation_plans_on_time_percent",
	"cooperation_reports_answered_percent",
	"cooperation_negotiations_per_quarter",
	"supply_fill_rate_percent",
	"supply_on_time_percent",
	"first_launch_min_new_items",
)


def execute():
	meta = frappe.get_meta(SETTINGS)
	singles = frappe.qb.DocType("Singles")
	stored = {
		field
		for field, value in frappe.qb.from_(singles)
		.select(singles.field, singles.value)
		.where((singles.doctype == SETTINGS) & singles.field.isin(FIELDS))
		.run()
		if value not in (None, "")
	}
	for fieldname in FIELDS:
		default = (meta.get_field(fieldname) or frappe._dict()).get("default")
		if fieldname not in stored and default not in (None, ""):
			frappe.db.set_single_value(SETTINGS, fieldname, default, update_modified=False)
	frappe.clear_document_cache(SETTINGS, SETTINGS)
