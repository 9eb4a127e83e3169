# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from frappe import _

from key_account_mgmt.account_file.qualification_review import review
from key_account_mgmt.analysis.filters import report_filters


def execute(filters: dict | None = None):
	report_filters(filters)
	return columns(), review()


def columns() -> list[dict]:
	def column(label, fieldname, fieldtype="Data", width=120, **extra):
		return {"label": label, "fieldname": fieldname, "fieldtype": fieldtype, "width": width, **extra}

	return [
		column(_("Key Account"), "key_account", "Link", 180, options="Key Account"),
		column(_("Supplier"), "supplier", width=160),
		column(_("Tier"), "tier", width=110),
		column(_("Tier a Year Ago"), "tier_year_ago", width=110),
		column(_("1. Well-Known Brand"), "criterion_1", width=140),
		column(_("Judged By"), "criterion_1_by", width=140),
		column(_("Judged On"), "criterion_1_on", "Datetime", 150),
		column(_("2. Top Ten Brand"), "criterion_2"),
		column(_("3. Large Share"), "criterion_3"),
		column(_("4. Cooperates Well"), "criterion_4", width=140),
		column(_("4. Measured"), "criterion_4_measured"),
		column(_("Plans on Time"), "plans_on_time_rate", "Percent", 90),
		column(_("Monthly Reports Answered"), "reports_answered_rate", "Percent", 110),
		column(_("Negotiations per Quarter"), "negotiations_per_quarter", "Float", 110),
		column(_("5. Priority in Supply"), "criterion_5"),
		column(_("Fill Rate"), "fill_rate", "Percent", 90),
		column(_("On-Time Rate"), "on_time_rate", "Percent", 90),
		column(_("Peers' Fill Rate"), "peer_fill_rate", "Percent", 100),
		column(_("Peers' On-Time Rate"), "peer_on_time_rate", "Percent", 100),
		column(_("6. New Products First"), "criterion_6", width=140),
		column(_("6. Measured"), "criterion_6_measured"),
		column(_("New Items"), "new_items", "Int", 90),
		column(_("Median Days to First Sale"), "median_days_to_sale", "Float", 110),
		column(_("Peers' Median Days to First Sale"), "peer_median_days_to_sale", "Float", 120),
		column(_("Flags"), "flags", width=360),
	]
