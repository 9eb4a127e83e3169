# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt


import frappe
from frappe import _

from key_account_mgmt.analysis import queries
from key_account_mgmt.analysis.columns import key_account_column, money_width, percent_column
from key_account_mgmt.analysis.figures import complete_months, months_between, trend_percent
from key_account_mgmt.analysis.filters import report_filters
from key_account_mgmt.analysis.period import report_period

MEASURES = ("Purchases", "Sales")


def report(filters: dict | None = None):
	filters = report_filters(filters)
	from_date, to_date = report_period(filters)
	months = months_between(from_date, to_date)
	scope = queries.analysis_scope(filters.company)
	data = rows(filters, scope, from_date, to_date, months)
	return columns(months, data), data, None, chart(data, months)


def month_field(year: int, month: int) -> str:
	return f"m_{year}_{month:02d}"


def columns(months, data: list[dict] | None = None) -> list[dict]:
	"""A column per month, all as wide as the largest amount any of them shows."""
	data = data or []
	currency = data[0]["currency"] if data else None

	fields = [month_field(*month) for month in months]
	month_width = max(120, money_width((row.get(field) for row in data for field in fields), currency))
	total_width = max(140, money_width((row.get("total") for row in data), currency))

	return [
		key_account_column(140),
		{"label": _("Measure"), "fieldname": "measure", "fieldtype": "Data", "width": 90},
		*(
			{
				"label": f"{year}-{month:02d}",
				"fieldname": month_field(year, month),
				"fieldtype": "Currency",
				"options": "currency",
				"width": month_width,
			}
			for year, month in months
		),
		{
			"label": _("Total"),
			"fieldname": "total",
			"fieldtype": "Currency",
			"options": "currency",
			"width": total_width,
		},
		percent_column(_("Trend % per Month"), "trend", 130),
	]


def rows(filters, scope, from_date, to_date, months) -> list[dict]:
	"""Each account's purchases and its brand's sales month by month. The trend is fitted to the
	complete months only: a month the period cuts (its first, or the current one) would look like a
	drop that is not there."""
	conditions = {key: filters[key] for key in ("tier", "account_manager") if filters.get(key)}
	if filters.key_account:
		conditions["name"] = filters.key_account
	accounts = frappe.get_list("Key Account", filters=conditions, fields=["name", "brand"], order_by="name")
	measures = [filters.measure] if filters.measure in MEASURES else list(MEASURES)
	purchases = (
		queries.monthly_purchases(scope, from_date, to_date, filters.key_account)
		if "Purchases" in measures
		else {}
	)
	sales = (
		brand_sales(scope, from_date, to_date, accounts, filters.key_account) if "Sales" in measures else {}
	)
	whole = [index for index, month in enumerate(months) if month in complete_months(from_date, to_date)]
	result = []
	for account in accounts:
		for measure in measures:
			if measure == "Purchases":
				values = [float(purchases.get((account.name, year, month)) or 0) for year, month in months]
			else:
				values = [
					sales[key].amount if (key := (account.brand, (year, month))) in sales else 0.0
					for year, month in months
				]
			row = {
				"key_account": account.name,
				"measure": _(measure),
				"total": sum(values),
				"trend": trend_percent([values[index] for index in whole]),
				"currency": scope.settings.currency,
			}
			row.update(
				{month_field(year, month): value for (year, month), value in zip(months, values, strict=True)}
			)
			result.append(row)
	return result


def brand_sales(scope, from_date, to_date, accounts, one_account: str | None) -> dict:
	"""Sales by brand and month; of the one account's brand only when the report is about one account."""
	if not one_account:
		return queries.sales(scope, from_date, to_date, by=("brand", "month"))
	brand = accounts[0].brand if accounts else None
	return queries.sales(scope, from_date, to_date, by=("brand", "month"), brand=brand) if brand else {}


def chart(data: list[dict], months) -> dict | None:
	top = sorted(data, key=lambda row: row["total"], reverse=True)[:5]
	if not top:
		return None
	return {
		"data": {
			"labels": [f"{year}-{month:02d}" for year, month in months],
			"datasets": [
				{
					"name": f"{row['key_account']} ({row['measure']})",
					"values": [row[month_field(*m)] for m in months],
				}
				for row in top
			],
		},
		"type": "line",
		"fieldtype": "Currency",
	}
