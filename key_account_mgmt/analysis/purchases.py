"""Figures the analyses share, summed in SQL from the purchase ledger and ERPNext's invoices."""

from datetime import date
from decimal import Decimal

import frappe

from key_account_mgmt.tiering.ledger import LEDGER, LedgerBuilder
from key_account_mgmt.tiering.settings import TieringSettings


def purchases_by_account(
	settings: TieringSettings, from_date: date, to_date: date, company: str | None = None
) -> dict[str, float]:
	"""Each key account's purchases (the settings' amount basis, threshold currency) in a period."""
	conditions = ["e.posting_date BETWEEN %(from_date)s AND %(to_date)s"]
	if company:
		conditions.append("e.company = %(company)s")
	elif settings.companies:
		conditions.append("e.company IN %(companies)s")
	return dict(
		frappe.db.sql(
			f"""SELECT s.parent, SUM(e.`{settings.amount_column}`)
			FROM `tab{LEDGER}` e
			INNER JOIN `tabKey Account Supplier` s ON s.supplier = e.supplier AND s.parenttype = 'Key Account'
			WHERE {" AND ".join(conditions)}
			GROUP BY s.parent""",
			{"from_date": from_date, "to_date": to_date, "company": company, "companies": settings.companies},
		)
	)


def total_procurement(
	settings: TieringSettings, from_date: date, to_date: date, company: str | None = None
) -> float:
	"""All submitted purchases in the period, converted to the threshold currency at the rate of the
	period's last day (per company currency)."""
	conditions = ["pi.docstatus = 1", "pi.posting_date BETWEEN %(from_date)s AND %(to_date)s"]
	if company:
		conditions.append("pi.company = %(company)s")
	elif settings.companies:
		conditions.append("pi.company IN %(companies)s")
	column = "base_net_total" if settings.amount_column == "net_amount" else "base_grand_total"
	builder = LedgerBuilder(settings)
	total = Decimal(0)
	for currency, amount in frappe.db.sql(
		f"""SELECT c.default_currency, SUM(pi.`{column}`) FROM `tabPurchase Invoice` pi
		INNER JOIN `tabCompany` c ON c.name = pi.company
		WHERE {" AND ".join(conditions)} GROUP BY c.default_currency""",
		{"from_date": from_date, "to_date": to_date, "company": company, "companies": settings.companies},
	):
		total += Decimal(str(amount or 0)) * builder.rate(currency, to_date)
	return float(total)


def brand_gross_profit(from_date: date, to_date: date, company: str | None = None) -> dict[str, float]:
	"""Net sales less the cost ERPNext booked, per brand, from submitted Sales Invoices."""
	return dict(
		frappe.db.sql(
			f"""SELECT sii.brand, SUM(sii.base_net_amount - IFNULL(sii.incoming_rate, 0) * IFNULL(sii.stock_qty, 0))
			FROM `tabSales Invoice Item` sii INNER JOIN `tabSales Invoice` si ON si.name = sii.parent
			WHERE si.docstatus = 1 AND si.posting_date BETWEEN %(from_date)s AND %(to_date)s
				AND IFNULL(sii.brand, '') != '' {"AND si.company = %(company)s" if company else ""}
			GROUP BY sii.brand""",
			{"from_date": from_date, "to_date": to_date, "company": company},
		)
	)


def monthly_purchases(settings: TieringSettings, from_date: date, to_date: date) -> dict[tuple, float]:
	"""{(account, year, month): purchases} from the ledger."""
	company = "AND e.company IN %(companies)s" if settings.companies else ""
	return {
		(account, int(year), int(month)): amount
		for account, year, month, amount in frappe.db.sql(
			f"""SELECT s.parent, YEAR(e.posting_date), MONTH(e.posting_date), SUM(e.`{settings.amount_column}`)
			FROM `tab{LEDGER}` e
			INNER JOIN `tabKey Account Supplier` s ON s.supplier = e.supplier AND s.parenttype = 'Key Account'
			WHERE e.posting_date BETWEEN %(from_date)s AND %(to_date)s {company}
			GROUP BY s.parent, YEAR(e.posting_date), MONTH(e.posting_date)""",
			{"from_date": from_date, "to_date": to_date, "companies": settings.companies},
		)
	}


def monthly_brand_sales(from_date: date, to_date: date) -> dict[tuple, float]:
	"""{(brand, year, month): net sales} from submitted Sales Invoices."""
	return {
		(brand, int(year), int(month)): amount
		for brand, year, month, amount in frappe.db.sql(
			"""SELECT sii.brand, YEAR(si.posting_date), MONTH(si.posting_date), SUM(sii.base_net_amount)
			FROM `tabSales Invoice Item` sii INNER JOIN `tabSales Invoice` si ON si.name = sii.parent
			WHERE si.docstatus = 1 AND si.posting_date BETWEEN %(from_date)s AND %(to_date)s
				AND IFNULL(sii.brand, '') != ''
			GROUP BY sii.brand, YEAR(si.posting_date), MONTH(si.posting_date)""",
			{"from_date": from_date, "to_date": to_date},
		)
	}


def daily_purchases(
	settings: TieringSettings, from_date: date, to_date: date
) -> dict[str, dict[date, float]]:
	"""{account: {posting date: purchases}} from the ledger."""
	company = "AND e.company IN %(companies)s" if settings.companies else ""
	result: dict[str, dict[date, float]] = {}
	for account, posting_date, amount in frappe.db.sql(
		f"""SELECT s.parent, e.posting_date, SUM(e.`{settings.amount_column}`)
		FROM `tab{LEDGER}` e
		INNER JOIN `tabKey Account Supplier` s ON s.supplier = e.supplier AND s.parenttype = 'Key Account'
		WHERE e.posting_date BETWEEN %(from_date)s AND %(to_date)s {company}
		GROUP BY s.parent, e.posting_date""",
		{"from_date": from_date, "to_date": to_date, "companies": settings.companies},
	):
		result.setdefault(account, {})[posting_date] = float(amount or 0)
	return result
