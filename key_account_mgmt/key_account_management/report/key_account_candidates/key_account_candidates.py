# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt


from frappe import _
from frappe.utils import getdate

from key_account_mgmt.analysis import queries
from key_account_mgmt.analysis.filters import report_filters
from key_account_mgmt.tiering.core import rolling_twelve_months, select_tier
from key_account_mgmt.tiering.settings import get_tiering_settings


def execute(filters: dict | None = None):
	filters = report_filters(filters)
	return columns(), rows(filters.company)


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


def rows(company: str | None = None) -> list[dict]:
	"""Suppliers in no key account whose purchases over the rolling twelve months reach the lowest
	band, converted as the engine converts (each invoice at its posting date's rate)."""
	settings = get_tiering_settings()
	window = rolling_twelve_months(getdate())
	purchases = queries.supplier_purchases_outside_accounts(
		queries.analysis_scope(company, settings), window.start, window.end
	)
	totals = {supplier: amount for supplier, (_name, amount) in purchases.items()}
	names = {supplier: name for supplier, (name, _amount) in purchases.items()}
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
