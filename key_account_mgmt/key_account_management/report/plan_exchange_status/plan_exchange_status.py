# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from collections import Counter

import frappe
from frappe import _
from frappe.utils import date_diff, getdate

from key_account_mgmt.analysis.columns import key_account_column
from key_account_mgmt.analysis.filters import report_filters


def execute(filters: dict | None = None):
	filters = report_filters(filters)
	data = rows(filters)
	return columns(), data, None, None, summary(data)


def columns() -> list[dict]:
	return [
		key_account_column(140),
		{"label": _("Plan Type"), "fieldname": "plan_type", "fieldtype": "Data", "width": 200},
		{"label": _("Direction"), "fieldname": "direction", "fieldtype": "Data", "width": 130},
		{"label": _("Period Start"), "fieldname": "period_start", "fieldtype": "Date", "width": 110},
		{"label": _("Due Date"), "fieldname": "due_date", "fieldtype": "Date", "width": 110},
		{"label": _("Status"), "fieldname": "status", "fieldtype": "Data", "width": 100},
		{"label": _("Received On"), "fieldname": "received_on", "fieldtype": "Date", "width": 110},
		{"label": _("Days Late"), "fieldname": "days_late", "fieldtype": "Int", "width": 90},
		{
			"label": _("Plan"),
			"fieldname": "plan",
			"fieldtype": "Link",
			"options": "Key Account Plan",
			"width": 150,
		},
	]


def rows(filters) -> list[dict]:
	"""Each plan owed or given: received (late or on time), overdue, or still expected."""
	conditions = {key: filters[key] for key in ("key_account", "status", "plan_type") if filters.get(key)}
	today = getdate()
	result = []
	for plan in frappe.get_list(
		"Key Account Plan",
		filters=conditions,
		fields=[
			"name",
			"key_account",
			"plan_type",
			"direction",
			"period_start",
			"due_date",
			"status",
			"received_on",
		],
		order_by="key_account, due_date desc",
	):
		settled_on = getdate(plan.received_on) if plan.received_on else today
		result.append(
			{
				**plan,
				"plan": plan.name,
				"plan_type": _(plan.plan_type),
				"direction": _(plan.direction),
				"status": _(plan.status),
				"raw_status": plan.status,
				"days_late": max(date_diff(settled_on, plan.due_date), 0),
			}
		)
	return result


def summary(data: list[dict]) -> list[dict]:
	"""One card per state, each plan in exactly one of them: the cards add up to the rows."""
	counts = Counter(row["raw_status"] for row in data)
	late = sum(1 for row in data if row["raw_status"] == "Received" and row["days_late"] > 0)
	return [
		{
			"value": counts.get("Received", 0) - late,
			"label": _("Received on Time"),
			"indicator": "green",
			"datatype": "Int",
		},
		{"value": late, "label": _("Received Late"), "indicator": "orange", "datatype": "Int"},
		{"value": counts.get("Overdue", 0), "label": _("Overdue"), "indicator": "red", "datatype": "Int"},
		{"value": counts.get("Expected", 0), "label": _("Expected"), "indicator": "blue", "datatype": "Int"},
	]
