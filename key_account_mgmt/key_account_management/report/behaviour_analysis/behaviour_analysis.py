# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_days, getdate

from key_account_mgmt.analysis.columns import key_account_column
from key_account_mgmt.analysis.figures import months_between
from key_account_mgmt.analysis.period import report_period
from key_account_mgmt.tiering.core import one_year_before
from key_account_mgmt.tiering.ledger import LEDGER
from key_account_mgmt.tiering.settings import get_tiering_settings


def execute(filters: dict | None = None):
	filters = frappe._dict(filters or {})
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
		{
			"label": _("Average Invoice"),
			"fieldname": "average_invoice",
			"fieldtype": "Currency",
			"width": 140,
		},
		{"label": _("Return Rate %"), "fieldname": "return_rate", "fieldtype": "Percent", "width": 110},
		{
			"label": _("Days from Order to Invoice"),
			"fieldname": "order_to_invoice_days",
			"fieldtype": "Float",
			"precision": 1,
			"width": 170,
		},
		{"label": _("Items Repriced"), "fieldname": "items_repriced", "fieldtype": "Int", "width": 120},
		{
			"label": _("Average Price Change %"),
			"fieldname": "price_change",
			"fieldtype": "Percent",
			"width": 160,
		},
	]


def rows(filters, from_date, to_date) -> list[dict]:
	settings = get_tiering_settings()
	values = {"from_date": from_date, "to_date": to_date, "account": filters.key_account}
	account_filter = "AND s.parent = %(account)s" if filters.key_account else ""
	supplier_join = (
		"INNER JOIN `tabKey Account Supplier` s ON s.supplier = {0}.supplier AND s.parenttype = 'Key Account'"
	)
	amount = f"e.`{settings.amount_column}`"
	invoices = frappe.db.sql(
		f"""SELECT s.parent AS account, SUM(e.is_return = 0) AS invoices,
			SUM(CASE WHEN e.is_return = 0 THEN {amount} ELSE 0 END) AS bought,
			-SUM(CASE WHEN e.is_return = 1 THEN {amount} ELSE 0 END) AS returned
		FROM `tab{LEDGER}` e {supplier_join.format("e")}
		WHERE e.posting_date BETWEEN %(from_date)s AND %(to_date)s {account_filter}
		GROUP BY s.parent""",
		values,
		as_dict=True,
	)
	order_days = dict(
		frappe.db.sql(
			f"""SELECT s.parent, AVG(DATEDIFF(pairs.posting_date, pairs.transaction_date)) FROM (
				SELECT DISTINCT pi.name, pi.supplier, pi.posting_date, po.name AS purchase_order, po.transaction_date
				FROM `tabPurchase Invoice` pi
				INNER JOIN `tabPurchase Invoice Item` pii ON pii.parent = pi.name
				INNER JOIN `tabPurchase Order` po ON po.name = pii.purchase_order
				WHERE pi.docstatus = 1 AND pi.is_return = 0 AND pi.posting_date BETWEEN %(from_date)s AND %(to_date)s
			) pairs {supplier_join.format("pairs")}
			WHERE 1 = 1 {account_filter} GROUP BY s.parent""",
			values,
		)
	)
	repricing = price_changes(values, supplier_join.format("pi"), account_filter)
	months = len(months_between(from_date, to_date))
	result = []
	for row in sorted(invoices, key=lambda row: row.account):
		count = int(row.invoices or 0)
		bought, returned = float(row.bought or 0), float(row.returned or 0)
		repriced = repricing.get(row.account, [])
		result.append(
			{
				"key_account": row.account,
				"invoices": count,
				"invoices_per_month": round(count / months, 1),
				"average_invoice": bought / count if count else 0,
				"return_rate": round(100 * returned / bought, 1) if bought else 0,
				"order_to_invoice_days": order_days.get(row.account),
				"items_repriced": len(repriced),
				"price_change": round(sum(repriced) / len(repriced), 1) if repriced else 0,
			}
		)
	return result


def price_changes(values: dict, supplier_join: str, account_filter: str) -> dict[str, list[float]]:
	"""Per account, the % change from the first to the last purchase rate of each item whose rate
	changed within the period."""
	rates: dict[tuple[str, str], list[float]] = {}
	for account, item, rate in frappe.db.sql(
		f"""SELECT s.parent, pii.item_code, pii.base_rate FROM `tabPurchase Invoice Item` pii
		INNER JOIN `tabPurchase Invoice` pi ON pi.name = pii.parent {supplier_join}
		WHERE pi.docstatus = 1 AND pi.is_return = 0 AND pi.posting_date BETWEEN %(from_date)s AND %(to_date)s
			{account_filter}
		ORDER BY pi.posting_date, pi.posting_time, pi.name""",
		values,
	):
		rates.setdefault((account, item), []).append(float(rate or 0))
	changes: dict[str, list[float]] = {}
	for (account, _item), history in rates.items():
		first, last = history[0], history[-1]
		if first and last != first:
			changes.setdefault(account, []).append(100 * (last - first) / first)
	return changes
