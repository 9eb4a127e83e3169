# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_days, get_fullname, getdate

from key_account_mgmt.analysis import queries
from key_account_mgmt.analysis.columns import key_account_column, percent_column
from key_account_mgmt.analysis.figures import growth_percent
from key_account_mgmt.analysis.filters import report_filters
from key_account_mgmt.tiering.core import one_year_before, rolling_twelve_months


def execute(filters: dict | None = None):
	filters = report_filters(filters)
	return columns(), rows(filters)


def columns() -> list[dict]:
	return [
		key_account_column(150),
		{"label": _("Tier"), "fieldname": "tier", "fieldtype": "Data", "width": 100},
		{"label": _("Tier Locked"), "fieldname": "tier_locked", "fieldtype": "Check", "width": 90},
		{
			"label": _("Purchase Amount"),
			"fieldname": "purchase_amount",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 150,
		},
		{
			"label": _("This Fiscal Year"),
			"fieldname": "this_year",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 140,
		},
		{
			"label": _("Last Fiscal Year"),
			"fieldname": "last_year",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 140,
		},
		percent_column(_("Growth %"), "growth", 90),
		# people by name: the key-account roles cannot open User records anyway
		{"label": _("Account Manager"), "fieldname": "account_manager", "fieldtype": "Data", "width": 160},
		{
			"label": _("Last Negotiation"),
			"fieldname": "last_negotiation",
			"fieldtype": "Datetime",
			"width": 150,
		},
		{"label": _("Open Agreements"), "fieldname": "open_agreements", "fieldtype": "Int", "width": 120},
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Data",
			"hidden": 1,
		},
	]


def rows(filters) -> list[dict]:
	conditions = {key: filters[key] for key in ("tier", "account_manager") if filters.get(key)}
	accounts = frappe.get_list(
		"Key Account",
		filters=conditions,
		fields=["name", "tier", "tier_locked", "purchase_amount", "currency", "account_manager"],
		order_by="purchase_amount desc",
	)
	if not accounts:
		return []
	names = [account.name for account in accounts]
	today = getdate()
	window = rolling_twelve_months(today)
	before = rolling_twelve_months(one_year_before(today))
	this_year, last_year = fiscal_years_around(today)
	years = [year for year in (this_year, last_year) if year]
	# the company's purchases (all Companies That Count without one) in one pass over the ledger
	sums = queries.purchases_by_account_in_periods(
		queries.analysis_scope(filters.company),
		[(window.start, window.end), (before.start, before.end)]
		+ [(year.year_start_date, year.year_end_date) for year in years],
	)
	current, previous = sums[0], sums[1]
	annual = {year.name: by_account for year, by_account in zip(years, sums[2:], strict=True)}
	last_negotiation = dict(
		frappe.db.sql(
			"""SELECT key_account, MAX(negotiation_datetime) FROM `tabKey Account Negotiation Log`
			WHERE docstatus = 1 AND key_account IN %s GROUP BY key_account""",
			(tuple(names),),
		)
	)
	open_agreements = dict(
		frappe.db.sql(
			"""SELECT log.key_account, COUNT(*) FROM `tabKey Account Agreement` agreement
			INNER JOIN `tabKey Account Negotiation Log` log ON log.name = agreement.parent
			WHERE log.docstatus = 1 AND agreement.status = 'Open' AND log.key_account IN %s
			GROUP BY log.key_account""",
			(tuple(names),),
		)
	)
	return [
		{
			"key_account": account.name,
			"tier": _(account.tier) if account.tier else "",
			"tier_locked": account.tier_locked,
			"purchase_amount": account.purchase_amount,
			"currency": account.currency,
			"this_year": annual[this_year.name].get(account.name, 0) if this_year else 0,
			"last_year": annual[last_year.name].get(account.name, 0) if last_year else 0,
			"growth": growth_percent(current.get(account.name, 0), previous.get(account.name, 0)),
			"account_manager": get_fullname(account.account_manager) if account.account_manager else "",
			"last_negotiation": last_negotiation.get(account.name),
			"open_agreements": open_agreements.get(account.name, 0),
		}
		for account in accounts
	]


def fiscal_years_around(day) -> tuple[frappe._dict | None, frappe._dict | None]:
	"""The fiscal year holding `day` and the latest one that ended before it (name, start and end);
	None where there is no such Fiscal Year (its column then stays empty instead of the report failing)."""
	fields = ["name", "year_start_date", "year_end_date"]
	this_year = frappe.get_all(
		"Fiscal Year",
		filters={"year_start_date": ("<=", day), "year_end_date": (">=", day), "disabled": 0},
		fields=fields,
		order_by="year_start_date desc",
		limit=1,
	)
	before = this_year[0].year_start_date if this_year else add_days(day, 1)
	last_year = frappe.get_all(
		"Fiscal Year",
		filters={"year_end_date": ("<", before), "disabled": 0},
		fields=fields,
		order_by="year_end_date desc",
		limit=1,
	)
	return (this_year[0] if this_year else None), (last_year[0] if last_year else None)
