# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _

from key_account_mgmt.analysis import queries
from key_account_mgmt.analysis.columns import amount_column, percent_column
from key_account_mgmt.analysis.filters import report_filters
from key_account_mgmt.analysis.period import report_period


def report(filters: dict | None = None):
	filters = report_filters(filters)
	if not filters.key_account:
		frappe.throw(_("Choose a key account."), title=_("Key Account Required"))
	from_date, to_date = report_period(filters)
	scope = queries.analysis_scope(filters.company)
	return columns(), rows(filters.key_account, from_date, to_date, scope)


def columns() -> list[dict]:
	return [
		{
			"label": _("Supplier"),
			"fieldname": "supplier",
			"fieldtype": "Data",
			"width": 200,
		},
		amount_column(_("Purchases"), "purchases", 150),
		percent_column(_("Share of Purchases %"), "purchase_share", 140, summed=True),
		amount_column(_("Sales of Its Goods"), "sales", 150),
		percent_column(_("Share of Sales %"), "sales_share", 130, summed=True),
	]


def rows(account: str, from_date, to_date, scope=None) -> list[dict]:
	"""Each supplier (agent, distributor) of the account: what we bought from it, and the sales of the
	items it supplied; an item bought from several of them has its sales split by quantity bought."""
	frappe.get_doc("Key Account", account).check_permission("read")
	scope = scope or queries.analysis_scope()
	purchases = queries.purchases_by_supplier(scope, account, from_date, to_date)
	quantities: dict[str, dict[str, float]] = {}
	for row in queries.account_invoice_items(scope, from_date, to_date, account):
		by_supplier = quantities.setdefault(row.item_code, {})
		by_supplier[row.supplier] = by_supplier.get(row.supplier, 0.0) + float(row.stock_qty or 0)
	item_sales = queries.sales(scope, from_date, to_date, by=("item_code",), items=quantities)
	sales = {supplier: 0.0 for supplier in purchases}
	for item, by_supplier in quantities.items():
		bought = sum(by_supplier.values())
		sold = item_sales[(item,)].amount if (item,) in item_sales else 0.0
		for supplier, qty in by_supplier.items():
			if bought:
				sales[supplier] = sales.get(supplier, 0.0) + sold * qty / bought
	total_purchases = sum(float(value) for value in purchases.values())
	total_sales = sum(sales.values())
	return [
		{
			"supplier": supplier,
			"purchases": float(amount),
			"purchase_share": round(100 * float(amount) / total_purchases, 1) if total_purchases else 0,
			"sales": round(sales.get(supplier, 0.0), 2),
			"sales_share": round(100 * sales.get(supplier, 0.0) / total_sales, 1) if total_sales else 0,
			"currency": scope.settings.currency,
		}
		for supplier, amount in sorted(purchases.items(), key=lambda item: float(item[1]), reverse=True)
	]
