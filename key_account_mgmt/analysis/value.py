# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _

from key_account_mgmt.analysis import queries
from key_account_mgmt.analysis.columns import key_account_column, percent_column
from key_account_mgmt.analysis.figures import growth_percent, pareto
from key_account_mgmt.analysis.filters import report_filters
from key_account_mgmt.analysis.period import report_period
from key_account_mgmt.tiering.core import one_year_before


def report(filters: dict | None = None):
	filters = report_filters(filters)
	data = rows(filters)
	return columns(), data, None, chart(data)


def columns() -> list[dict]:
	return [
		key_account_column(150),
		{"label": _("Tier"), "fieldname": "tier", "fieldtype": "Data", "width": 100},
		{
			"label": _("Purchases"),
			"fieldname": "purchases",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 150,
		},
		percent_column(_("Share of Procurement %"), "share", 120, summed=True),
		percent_column(_("Cumulative Share %"), "cumulative_share", 120),
		{"label": _("ABC Class"), "fieldname": "abc_class", "fieldtype": "Data", "width": 80},
		{
			"label": _("Same Period Last Year"),
			"fieldname": "previous",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 150,
		},
		percent_column(_("Growth %"), "growth", 90),
		{
			"label": _("Gross Profit on Its Brand"),
			"fieldname": "gross_profit",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 160,
		},
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Data",
			"hidden": 1,
		},
	]


def rows(filters) -> list[dict]:
	scope = queries.analysis_scope(filters.company)
	from_date, to_date = report_period(filters)
	accounts = {
		account.name: account for account in frappe.get_list("Key Account", fields=["name", "tier", "brand"])
	}
	if not accounts:
		return []
	only = filters.key_account
	this_period = (from_date, to_date)
	year_before = (one_year_before(from_date), one_year_before(to_date))
	if only:
		# every account's purchases still place this one (Pareto class, cumulative share); the year
		# before is this one's only
		[current] = queries.purchases_by_account_in_periods(scope, [this_period])
		[previous] = queries.purchases_by_account_in_periods(scope, [year_before], account=only)
	else:
		current, previous = queries.purchases_by_account_in_periods(scope, [this_period, year_before])
	procurement = queries.total_procurement(scope, from_date, to_date, by_account=current)
	profit = gross_profit(scope, from_date, to_date, accounts[only].brand if only in accounts else None, only)
	values = {name: float(current.get(name) or 0) for name in accounts}
	combined = sum(value for value in values.values() if value > 0)
	result = []
	for name, value, cumulative, abc in pareto(values):
		if only and name != only:
			continue
		brand = accounts[name].brand
		result.append(
			{
				"key_account": name,
				"tier": _(accounts[name].tier) if accounts[name].tier else "",
				"purchases": value,
				"share": percent(value, procurement),
				# `cumulative` is of the key accounts' combined value; shown as a share of all procurement
				"cumulative_share": percent(cumulative * combined / 100, procurement),
				"abc_class": abc,
				"previous": previous.get(name) or 0,
				"growth": growth_percent(value, float(previous.get(name) or 0)),
				"gross_profit": profit.get(brand, 0) if brand else 0,
				"currency": scope.settings.currency,
			}
		)
	return result


def gross_profit(scope, from_date, to_date, brand: str | None, only: str | None) -> dict[str, float]:
	"""{brand: gross profit}; of one brand only when the report is about one account (its place among
	all accounts, the Pareto classes, still comes from every account's purchases)."""
	if only and not brand:
		return {}
	figures = queries.sales(scope, from_date, to_date, by=("brand",), brand=brand)
	return {key[0]: value.profit for key, value in figures.items()}


def percent(part: float, whole: float) -> float:
	return round(100 * part / whole, 1) if whole else 0.0


def chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	top = data[:20]
	return {
		"data": {
			"labels": [row["key_account"] for row in top],
			"datasets": [{"name": _("Purchases"), "values": [row["purchases"] for row in top]}],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}
