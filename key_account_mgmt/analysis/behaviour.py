# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from frappe import _

from key_account_mgmt.analysis import queries
from key_account_mgmt.analysis.columns import amount_column, key_account_column, percent_column
from key_account_mgmt.analysis.figures import months_between
from key_account_mgmt.analysis.filters import report_filters
from key_account_mgmt.analysis.period import report_period


def report(filters: dict | None = None):
	filters = report_filters(filters)
	from_date, to_date = report_period(filters)
	return columns(), rows(filters, from_date, to_date)


def columns() -> list[dict]:
	return [
		key_account_column(150),
		{"label": _("Invoices"), "fieldname": "invoices", "fieldtype": "Int", "width": 90},
		{
			"label": _("Invoices per Month"),
			"fieldname": "invoices_per_month",
			"fieldtype": "Float",
			"precision": 1,
			"width": 130,
		},
		amount_column(_("Average Invoice"), "average_invoice", 140, summed=False),
		percent_column(_("Return Rate %"), "return_rate", 110),
		{
			"label": _("Days from Order to Invoice"),
			"fieldname": "order_to_invoice_days",
			"fieldtype": "Float",
			"precision": 1,
			"disable_total": 1,
			"width": 170,
		},
		{"label": _("Items Repriced"), "fieldname": "items_repriced", "fieldtype": "Int", "width": 120},
		percent_column(_("Average Price Change %"), "price_change", 160),
	]


def rows(filters, from_date, to_date) -> list[dict]:
	scope = queries.analysis_scope(filters.company)
	account = filters.key_account
	counts = queries.invoice_counts(scope, from_date, to_date, account)
	order_days = queries.order_to_invoice_days(scope, from_date, to_date, account)
	repricing = price_changes(queries.account_invoice_items(scope, from_date, to_date, account))
	months = len(months_between(from_date, to_date))
	result = []
	for name in sorted(counts):
		count, bought, returned = counts[name].invoices, counts[name].bought, counts[name].returned
		repriced = repricing.get(name, [])
		result.append(
			{
				"key_account": name,
				"invoices": count,
				"invoices_per_month": round(count / months, 1),
				"average_invoice": bought / count if count else 0,
				# "or 0.0": no returns read as 0.0, not -0.0
				"return_rate": (round(100 * returned / bought, 1) or 0.0) if bought else 0,
				"order_to_invoice_days": order_days.get(name),
				"items_repriced": len(repriced),
				"price_change": round(sum(repriced) / len(repriced), 1) if repriced else 0,
				"currency": scope.settings.currency,
			}
		)
	return result


def price_changes(invoice_items: list[dict]) -> dict[str, list[float]]:
	"""Per account, the % change from the first to the last purchase rate of each item whose rate
	changed within the period (returns left out)."""
	rates: dict[tuple[str, str], list[float]] = {}
	for row in invoice_items:
		if not row.is_return:
			rates.setdefault((row.account, row.item_code), []).append(float(row.base_rate or 0))
	changes: dict[str, list[float]] = {}
	for (account, _item), history in rates.items():
		first, last = history[0], history[-1]
		if first and last != first:
			changes.setdefault(account, []).append(100 * (last - first) / first)
	return changes
