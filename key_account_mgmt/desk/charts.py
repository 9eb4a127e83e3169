"""The workspace's bar chart of what was bought from key accounts in each of the last twelve months.
Frappe's own timeseries chart names the months with strftime ("Dec 26"), in English whatever the
reader's language; this one names them as the reader's language does ("12月 26")."""

import frappe
from frappe import _
from frappe.query_builder.functions import Extract, Sum
from frappe.utils import add_months, formatdate, get_first_day, getdate

MONTHS = 12


@frappe.whitelist()
def monthly_purchases(chart_name: str | None = None, filters: str | None = None) -> dict:
	frappe.has_permission("Key Account Purchase Entry", "read", throw=True)
	first = get_first_day(add_months(getdate(), -(MONTHS - 1)))
	months = [add_months(first, offset) for offset in range(MONTHS)]
	entry = frappe.qb.DocType("Key Account Purchase Entry")
	year, month = Extract("year", entry.posting_date), Extract("month", entry.posting_date)
	sums = {
		(int(row_year), int(row_month)): float(amount or 0)
		for row_year, row_month, amount in frappe.qb.from_(entry)
		.select(year, month, Sum(entry.net_amount))
		.where(entry.posting_date >= first)
		.groupby(year, month)
		.run()
	}
	return {
		"labels": [formatdate(day, "MMM yy") for day in months],
		"datasets": [
			{
				"name": _("Monthly Purchases from Key Accounts"),
				"values": [sums.get((day.year, day.month), 0.0) for day in months],
			}
		],
	}
