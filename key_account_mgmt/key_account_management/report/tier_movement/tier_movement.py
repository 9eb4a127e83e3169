# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import get_first_day, get_fullname, getdate

from key_account_mgmt.analysis.columns import key_account_column
from key_account_mgmt.analysis.filters import checked_period, report_date, report_filters
from key_account_mgmt.tiering.core import tier_rank
from key_account_mgmt.tiering.settings import get_tiering_settings


def execute(filters: dict | None = None):
	filters = report_filters(filters)
	data = rows(filters)
	return columns(), data, None, chart(data)


def columns() -> list[dict]:
	return [
		{"label": _("Changed On"), "fieldname": "changed_on", "fieldtype": "Datetime", "width": 160},
		key_account_column(140),
		{"label": _("Direction"), "fieldname": "direction", "fieldtype": "Data", "width": 100},
		{"label": _("From Tier"), "fieldname": "from_tier", "fieldtype": "Data", "width": 110},
		{"label": _("To Tier"), "fieldname": "to_tier", "fieldtype": "Data", "width": 110},
		{
			"label": _("Purchase Amount"),
			"fieldname": "purchase_amount",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 150,
		},
		{"label": _("Cause"), "fieldname": "cause", "fieldtype": "Data", "width": 150},
		{
			"label": _("Reference Document Type"),
			"fieldname": "reference_doctype",
			"fieldtype": "Data",
			"width": 140,
		},
		{
			"label": _("Reference Document"),
			"fieldname": "reference_name",
			"fieldtype": "Dynamic Link",
			"options": "reference_doctype",
			"width": 170,
		},
		# people by name: the key-account roles cannot open User records anyway
		{"label": _("Changed By"), "fieldname": "changed_by", "fieldtype": "Data", "width": 150},
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Data",
			"hidden": 1,
		},
	]


def rows(filters) -> list[dict]:
	to_date = report_date(filters, "to_date", getdate())
	from_date, to_date = checked_period(report_date(filters, "from_date", get_first_day(to_date)), to_date)
	conditions = {"changed_on": ("between", [from_date, f"{to_date} 23:59:59.999999"])}
	if filters.key_account:
		conditions["key_account"] = filters.key_account
	bands = get_tiering_settings().bands
	result = []
	for change in frappe.get_list(
		"Key Account Tier Change",
		filters=conditions,
		fields=[
			"changed_on",
			"key_account",
			"from_tier",
			"to_tier",
			"purchase_amount",
			"currency",
			"cause",
			"reference_doctype",
			"reference_name",
			"changed_by",
		],
		order_by="changed_on desc",
	):
		upgrade = tier_rank(change.to_tier, bands) > tier_rank(change.from_tier, bands)
		direction = "Upgrade" if upgrade else "Downgrade"
		if filters.direction and filters.direction != direction:
			continue
		change.update(
			direction=_(direction),
			from_tier=_(change.from_tier) if change.from_tier else _("no tier"),
			to_tier=_(change.to_tier) if change.to_tier else _("no tier"),
			cause=_(change.cause),
			changed_by=get_fullname(change.changed_by) if change.changed_by else "",
		)
		result.append(change)
	return result


def chart(data: list[dict]) -> dict:
	upgrades = sum(1 for row in data if row.direction == _("Upgrade"))
	# frappe-charts colours a bar by its dataset: one dataset a direction, stacked, so each has its colour
	return {
		"data": {
			"labels": [_("Upgrade"), _("Downgrade")],
			"datasets": [
				{"name": _("Upgrade"), "values": [upgrades, 0]},
				{"name": _("Downgrade"), "values": [0, len(data) - upgrades]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"colors": ["#29CD42", "#E24C4C"],
	}
