"""Data sharing (Art. 11): the figures an account's contact reads on the portal, and nothing of any other
account (who may read them: portal_access.py; the page: portal_page.py)."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import frappe
from frappe.utils import add_months, cint, flt, fmt_money, get_first_day, getdate
from frappe.utils.formatters import format_value

from key_account_mgmt.account_file.activity import stock_by_warehouse
from key_account_mgmt.analysis import queries
from key_account_mgmt.marketing.portal_access import refuse


def portal_data(account: str) -> dict:
	"""The brand's sales by region and month over this month and the eleven before it (the analyses'
	company and currency rules), our stock of its items by warehouse, and its monthly reports."""
	brand = frappe.db.get_value("Key Account", account, "brand")
	scope = queries.analysis_scope()
	months = portal_months(getdate())
	from_date, to_date = date(*months[0], 1), getdate()
	# No brand, no sales: `sales` without a brand would be every brand's.
	figures = (
		queries.sales(scope, from_date, to_date, by=("territory", "month"), brand=brand) if brand else {}
	)
	sales = [
		frappe._dict(territory=territory, month=month_label(month), amount=row.amount, qty=row.qty)
		for (territory, month), row in sorted(
			figures.items(), key=lambda item: (item[0][1], item[0][0] or "")
		)
	]
	reports = frappe.get_all(
		"Key Account Monthly Report",
		filters={"key_account": account},
		fields=["name", "month", "national_sales_amount", "brand_rank", "brands_count"],
		order_by="month desc",
		ignore_permissions=True,
	)
	return {
		"account": account,
		"brand": brand,
		"currency": scope.settings.currency,
		"months": [month_label(month) for month in months],
		"sales": sales,
		"stock": stock_by_warehouse(brand),
		"reports": reports,
	}


def portal_months(today: date) -> list[tuple[int, int]]:
	"""This month and the eleven before it, oldest first, as (year, month)."""
	first = get_first_day(add_months(today, -11))
	return [((day := add_months(first, offset)).year, day.month) for offset in range(12)]


def month_label(month: tuple[int, int] | date | str) -> str:
	"""2026-03, for a (year, month) or any day of it."""
	year, number = month if isinstance(month, tuple) else (getdate(month).year, getdate(month).month)
	return f"{year}-{number:02d}"


def portal_report(account: str, name: str) -> frappe._dict:
	if not frappe.db.exists("Key Account Monthly Report", {"name": name, "key_account": account}):
		refuse()
	return report_as_shared(frappe.get_doc("Key Account Monthly Report", name))


def report_as_shared(report) -> frappe._dict:
	"""A monthly report as the account may read it, on the portal and in the print we send it.
	Competitors show by name, rank and share of the sales in the item groups the brand sells in,
	rounded to a whole percent; their exact sales, and the groups' totals they add up to, only when
	Key Account Settings say so."""
	currency = queries.analysis_scope().settings.currency
	exact = bool(
		cint(frappe.db.get_single_value("Key Account Settings", "portal_shows_competitor_sales", cache=False))
	)
	market = sum(flt(row.group_sales) for row in report.item_groups)
	return frappe._dict(
		name=report.name,
		month=month_label(report.month),
		national_sales=money(report.national_sales_amount, currency),
		national_qty=quantity(report.national_sales_qty),
		brand_rank=report.brand_rank,
		brands_count=report.brands_count,
		regions=[
			frappe._dict(
				territory=row.territory,
				amount=money(row.sales_amount, currency),
				qty=quantity(row.sales_qty),
				rank=row.rank,
			)
			for row in report.regions
		],
		item_groups=[
			frappe._dict(
				item_group=row.item_group,
				amount=money(row.brand_sales, currency),
				share=share(row.brand_sales, row.group_sales),
				group_amount=money(row.group_sales, currency) if exact else None,
			)
			for row in report.item_groups
		],
		own_share=share(sum(flt(row.brand_sales) for row in report.item_groups), market),
		competitors=[
			frappe._dict(
				rank=row.rank,
				brand=row.brand,
				share=share(row.sales_amount, market),
				amount=money(row.sales_amount, currency) if exact else None,
			)
			for row in report.competitors
		],
		shows_competitor_sales=exact,
	)


def money(amount, currency: str) -> str:
	"""Whole currency units, in the currency's symbol and the site's number format."""
	return fmt_money(flt(amount), precision=0, currency=currency)


def quantity(qty) -> str:
	"""As Frappe formats a Float: 630, not 630.0."""
	return format_value(flt(qty), {"fieldtype": "Float"})


def share(amount, total) -> str:
	"""A share in whole percent (half up); a share too small to round to 1 % is "< 1%"."""
	if not total or not amount:
		return "0%"
	percent = int(
		(Decimal(str(flt(amount))) * 100 / Decimal(str(flt(total)))).quantize(Decimal(1), ROUND_HALF_UP)
	)
	return f"{percent}%" if percent else "< 1%"
