# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt


import frappe
from frappe import _
from frappe.utils import add_days, getdate

from key_account_mgmt.analysis.columns import key_account_column
from key_account_mgmt.analysis.figures import months_between, trend_percent
from key_account_mgmt.analysis.period import report_period
from key_account_mgmt.analysis.purchases import monthly_brand_sales, monthly_purchases
from key_account_mgmt.tiering.core import one_year_before
from key_account_mgmt.tiering.settings import get_tiering_settings

MEASURES = ("Purchases", "Sales")


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	from_date, to_date = report_period(filters)
	months = months_between(from_date, to_date)
	data = rows(filters, from_date, to_date, months)
	return columns(months), data, None, chart(data, months)


def month_field(year: int, month: int) -> str:
	return f"m_{year}_{month:02d}"


def columns(months) -> list[dict]:
	return [
		key_account_column(140),
		{"label": _("Measure"), "fieldname": "measure", "fieldtype": "Data", "width": 90},
		*(
			{
				"label": f"{year}-{month:02d}",
				"fieldname": month_field(year, month),
				"fieldtype": "Currency",
				"width": 120,
			}
			for year, month in months
		),
		{"label": _("Total"), "fieldname": "total", "fieldtype": "Currency", "width": 140},
		{"label": _("Trend % per Month"), "fieldname": "trend", "fieldtype": "Percent", "width": 120},
	]


def rows(filters, from_date, to_date, months) -> list[dict]:
	conditions = {key: filters[key] for key in ("tier", "account_manager") if filters.get(key)}
	if filters.key_account:
		conditions["name"] = filters.key_account
	accounts = frappe.get_list("Key Account", filters=conditions, fields=["name", "brand"], order_by="name")
	measures = [filters.measure] if filters.measure in MEASURES else list(MEASURES)
	purchases = (
		monthly_purchases(get_tiering_settings(), from_date, to_date) if "Purchases" in measures else {}
	)
	sales = monthly_brand_sales(from_date, to_date) if "Sales" in measures else {}
	result = []
	for account in accounts:
		for measure in measures:
			if measure == "Purchases":
				values = [float(purchases.get((account.name, year, month)) or 0) for year, month in months]
			else:
				values = [float(sales.get((account.brand, year, month)) or 0) for year, month in months]
			row = {
				"key_account": account.name,
				"measure": _(measure),
				"total": sum(values),
				"trend": trend_percent(values),
			}
			row.update(
				{month_field(year, month): value for (year, month), value in zip(months, values, strict=True)}
			)
			result.append(row)
	return result


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
