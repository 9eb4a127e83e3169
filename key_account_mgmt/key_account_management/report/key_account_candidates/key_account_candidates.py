# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import getdate

from key_account_mgmt.tiering.core import rolling_twelve_months, select_tier
from key_account_mgmt.tiering.ledger import LedgerBuilder
from key_account_mgmt.tiering.settings import get_tiering_settings


def execute(filters: dict | None = None):
	return columns(), rows()


def columns() -> list[dict]:
	return [
		{
			"label": _("Supplier"),
			"fieldname": "supplier",
			"fieldtype": "Data",
			"width": 180,
		},
		{"label": _("Supplier Name"), "fieldname": "supplier_name", "fieldtype": "Data", "width": 220},
		{
			"label": _("Purchase Amount"),
			"fieldname": "purchase_amount",
			"fieldtype": "Currency",
			"options": "currency",
			"width": 160,
		},
		{"label": _("Tier"), "fieldname": "tier", "fieldtype": "Data", "width": 110},
		{"label": _("Create Key Account"), "fieldname": "create", "fieldtype": "Data", "width": 160},
		{
			"label": _("Currency"),
			"fieldname": "currency",
			"fieldtype": "Data",
			"hidden": 1,
		},
	]


def rows() -> list[dict]:
	"""Suppliers in no key account whose purchases over the rolling twelve months reach the lowest
	band, converted at the window's last day's rate."""
	settings = get_tiering_settings()
	window = rolling_twelve_months(getdate())
	column = "base_net_total" if settings.amount_column == "net_amount" else "base_grand_total"
	company_filter = "AND pi.company IN %(companies)s" if settings.companies else ""
	builder = LedgerBuilder(settings)
	totals: dict[str, Decimal] = {}
	names: dict[str, str] = {}
	for supplier, supplier_name, currency, amount in frappe.db.sql(
		f"""SELECT pi.supplier, pi.supplier_name, c.default_currency, SUM(pi.`{column}`)
		FROM `tabPurchase Invoice` pi INNER JOIN `tabCompany` c ON c.name = pi.company
		WHERE pi.docstatus = 1 AND pi.posting_date BETWEEN %(start)s AND %(end)s {company_filter}
			AND NOT EXISTS (SELECT 1 FROM `tabKey Account Supplier` s
				WHERE s.supplier = pi.supplier AND s.parenttype = 'Key Account')
		GROUP BY pi.supplier, pi.supplier_name, c.default_currency""",
		{"start": window.start, "end": window.end, "companies": settings.companies},
	):
		totals[supplier] = totals.get(supplier, Decimal(0)) + Decimal(str(amount or 0)) * builder.rate(
			currency, window.end
		)
		names[supplier] = supplier_name
	result = []
	for supplier, amount in sorted(totals.items(), key=lambda item: item[1], reverse=True):
		tier = select_tier(amount, settings.bands)
		if tier:
			result.append(
				{
					"supplier": supplier,
					"supplier_name": names[supplier],
					"purchase_amount": float(amount),
					"tier": _(tier),
					"create": _("Create Key Account"),
					"currency": settings.currency,
				}
			)
	return result
