# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import date_diff, get_fullname, getdate

from key_account_mgmt.analysis.columns import key_account_column
from key_account_mgmt.analysis.filters import report_filters


def report(filters: dict | None = None):
	filters = report_filters(filters)
	return columns(), rows(filters)


def columns() -> list[dict]:
	return [
		key_account_column(160),
		# people by name: the key-account roles cannot open User records anyway
		{"label": _("Owner"), "fieldname": "responsible", "fieldtype": "Data", "width": 180},
		{"label": _("What Was Agreed"), "fieldname": "agreement", "fieldtype": "Data", "width": 280},
		{"label": _("Value"), "fieldname": "value", "fieldtype": "Currency", "width": 120},
		{"label": _("Due Date"), "fieldname": "due_date", "fieldtype": "Date", "width": 110},
		{"label": _("Days Overdue"), "fieldname": "days_overdue", "fieldtype": "Int", "width": 110},
		{
			"label": _("Negotiation Log"),
			"fieldname": "negotiation_log",
			"fieldtype": "Link",
			"options": "Key Account Negotiation Log",
			"width": 170,
		},
		{
			"label": _("Date and Time"),
			"fieldname": "negotiation_datetime",
			"fieldtype": "Datetime",
			"width": 160,
		},
	]


def rows(filters) -> list[dict]:
	log = frappe.qb.DocType("Key Account Negotiation Log")
	agreement = frappe.qb.DocType("Key Account Agreement")
	query = (
		frappe.qb.from_(agreement)
		.inner_join(log)
		.on(log.name == agreement.parent)
		.select(
			log.key_account,
			agreement.responsible,
			agreement.agreement,
			agreement.value,
			agreement.due_date,
			log.name.as_("negotiation_log"),
			log.negotiation_datetime,
		)
		.where(
			(log.docstatus == 1)
			& (agreement.status == "Open")
			& (agreement.parenttype == "Key Account Negotiation Log")
		)
		.orderby(log.key_account)
		.orderby(agreement.responsible)
		.orderby(agreement.due_date)
	)
	if filters.key_account:
		query = query.where(log.key_account == filters.key_account)
	if filters.responsible:
		query = query.where(agreement.responsible == filters.responsible)
	today = getdate()
	if filters.overdue_only:
		query = query.where(agreement.due_date < today)
	result = query.run(as_dict=True)
	for row in result:
		row.days_overdue = max(date_diff(today, row.due_date), 0) if row.due_date else 0
		row.responsible = get_fullname(row.responsible) if row.responsible else ""
	return result
