# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_days, getdate

from key_account_mgmt.analysis.period import report_period
from key_account_mgmt.tiering.core import one_year_before
from key_account_mgmt.tiering.ledger import LEDGER
from key_account_mgmt.tiering.settings import get_tiering_settings


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
	if not filters.key_account:
		frappe.throw(_("Choose a key account."), title=_("Key Account Required"))
	from_date, to_date = report_period(filters)
	return columns(), rows(filters.key_account, from_date, to_date)


def columns() -> list[dict]:
	return [
		{
			"label": _("Supplier"),
			"fieldname": "supplier",
			"fieldtype": "Data",
			"width": 200,
		},
		{"label": _("Purchases"), "fieldname": "purchases", "fieldtype": "Currency", "width": 150},
		{
			"label": _("Share of Purchases %"),
			"fieldname": "purchase_share",
			"fieldtype": "Percent",
			"width": 140,
		},
		{"label": _("Sales of Its Goods"), "fieldname": "sales", "fieldtype": "Currency", "width": 150},
		{"label": _("Share of Sales %"), "fieldname": "sales_share", "fieldtype": "Percent", "width": 130},
	]


def rows(account: str, from_date, to_date) -> list[dict]:
	"""Each supplier (agent, distributor) of the account: what we bought from it, and the sales of the
	items it supplied; an item bought from several of them has its sales split by quantity bought."""
	frappe.get_doc("Key Account", account).check_permission("read")
	settings = get_tiering_settings()
	values = {"account": account, "from_date": from_date, "to_date": to_date}
	purchases = dict(
		frappe.db.sql(
			f"""SELECT s.supplier, IFNULL(SUM(e.`{settings.amount_column}`), 0)
			FROM `tabKey Account Supplier` s
			LEFT JOIN `tab{LEDGER}` e ON e.supplier = s.supplier AND e.posting_date BETWEEN %(from_date)s AND %(to_date)s
			WHERE s.parent = %(account)s AND s.parenttype = 'Key Account'
			GROUP BY s.supplier""",
			values,
		)
	)
	quantities: dict[str, dict[str, float]] = {}
	for supplier, item, qty in frappe.db.sql(
		"""SELECT pi.supplier, pii.item_code, SUM(pii.stock_qty) FROM `tabPurchase Invoice Item` pii
		INNER JOIN `tabPurchase Invoice` pi ON pi.name = pii.parent
		INNER JOIN `tabKey Account Supplier` s ON s.supplier = pi.supplier AND s.parenttype = 'Key Account'
		WHERE s.parent = %(account)s AND pi.docstatus = 1 AND pi.posting_date BETWEEN %(from_date)s AND %(to_date)s
		GROUP BY pi.supplier, pii.item_code""",
		values,
	):
		quantities.setdefault(item, {})[supplier] = float(qty or 0)
	item_sales = dict(
		frappe.db.sql(
			"""SELECT sii.item_code, SUM(sii.base_net_amount) FROM `tabSales Invoice Item` sii
			INNER JOIN `tabSales Invoice` si ON si.name = sii.parent
			WHERE si.docstatus = 1 AND si.posting_date BETWEEN %(from_date)s AND %(to_date)s AND sii.item_code IN %(items)s
			GROUP BY sii.item_code""",
			{**values, "items": tuple(quantities) or ("",)},
		)
	)
	sales = {supplier: 0.0 for supplier in purchases}
	for item, by_supplier in quantities.items():
		bought = sum(by_supplier.values())
		for supplier, qty in by_supplier.items():
			if bought:
				sales[supplier] = sales.get(supplier, 0.0) + float(item_sales.get(item) or 0) * qty / bought
	total_purchases = sum(float(value) for value in purchases.values())
	total_sales = sum(sales.values())
	return [
		{
			"supplier": supplier,
			"purchases": float(amount),
			"purchase_share": round(100 * float(amount) / total_purchases, 1) if total_purchases else 0,
			"sales": round(sales.get(supplier, 0.0), 2),
			"sales_share": round(100 * sales.get(supplier, 0.0) / total_sales, 1) if total_sales else 0,
		}
		for supplier, amount in sorted(purchases.items(), key=lambda item: float(item[1]), reverse=True)
	]
