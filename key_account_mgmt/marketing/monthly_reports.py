"""The monthly two-way report (Art. 18.3(6)): what we tell each account about its brand's sales, and
room for what it tells us. One record per account and month; regenerating keeps what it sent."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, get_last_day, getdate, now_datetime

from key_account_mgmt.analysis import queries
from key_account_mgmt.jobs import for_each_account
from key_account_mgmt.write_guards import engine_writes

TOP_COMPETITORS = 5


def brand_sales(from_date: date, to_date: date, group_by: str = "") -> list[dict]:
	"""Net sales and quantity per brand (and per `group_by`: territory or item_group), under the
	analyses' company and currency rules."""
	by = ("brand", group_by) if group_by else ("brand",)
	return [
		frappe._dict(dict(zip(by, key, strict=True)), amount=figures.amount, qty=figures.qty)
		for key, figures in queries.sales(queries.analysis_scope(), from_date, to_date, by=by).items()
	]


def rank_of(brand: str, rows: list[dict]) -> int | None:
	ordered = sorted(rows, key=lambda row: row.amount or 0, reverse=True)
	return next((index for index, row in enumerate(ordered, start=1) if row.brand == brand), None)


def normalise_month(report) -> None:
	"""A report is for a calendar month, kept as its first day; its name is built from it."""
	report.month = get_first_day(report.month)


def validate_one_per_account_and_month(report) -> None:
	others = {"key_account": report.key_account, "month": report.month}
	if not report.is_new():
		others["name"] = ("!=", report.name)
	other = frappe.db.get_value("Key Account Monthly Report", others)
	if other:
		frappe.throw(
			_("{0} already has a monthly report for {1}: {2}.").format(
				frappe.bold(report.key_account), frappe.format(report.month, "Date"), other
			),
			title=_("One Report a Month"),
		)


def generate(account: str, month: date | None = None):
	"""Create or refresh the account's report for `month` (default: last month) from Sales Invoices."""
	month = get_first_day(getdate(month) if month else add_months(getdate(), -1))
	end = get_last_day(month)
	brand = frappe.db.get_value("Key Account", account, "brand")
	name = frappe.db.get_value("Key Account Monthly Report", {"key_account": account, "month": month})
	report = (
		frappe.get_doc("Key Account Monthly Report", name)
		if name
		else frappe.new_doc("Key Account Monthly Report").update({"key_account": account, "month": month})
	)
	national = brand_sales(month, end)
	own = next((row for row in national if row.brand == brand), None)
	by_region = brand_sales(month, end, "territory")
	by_group = brand_sales(month, end, "item_group")
	own_groups = {row.item_group for row in by_group if row.brand == brand}
	report.update(
		{
			"brand": brand,
			"generated_on": now_datetime(),
			"national_sales_amount": own.amount if own else 0,
			"national_sales_qty": own.qty if own else 0,
			"brand_rank": rank_of(brand, national) if own else 0,
			"brands_count": len(national),
			"regions": [
				{
					"territory": row.territory,
					"sales_amount": row.amount,
					"sales_qty": row.qty,
					"rank": rank_of(
						brand, [other for other in by_region if other.territory == row.territory]
					),
				}
				for row in sorted(by_region, key=lambda row: row.territory or "")
				if row.brand == brand
			],
			"item_groups": [
				{
					"item_group": group,
					"brand_sales": sum(
						row.amount for row in by_group if row.item_group == group and row.brand == brand
					),
					"group_sales": (total := sum(row.amount for row in by_group if row.item_group == group)),
					"share_percent": round(
						100
						* sum(
							row.amount for row in by_group if row.item_group == group and row.brand == brand
						)
						/ total,
						1,
					)
					if total
					else 0,
				}
				for group in sorted(own_groups)
			],
			"competitors": competitors(brand, own_groups, by_group),
		}
	)
	with engine_writes():
		report.save(ignore_permissions=True)
	return report


def competitors(brand: str, groups: set[str], by_group: list[dict]) -> list[dict]:
	"""The top other brands selling in the same item groups."""
	totals: dict[str, float] = {}
	for row in by_group:
		if row.item_group in groups and row.brand != brand:
			totals[row.brand] = totals.get(row.brand, 0) + (row.amount or 0)
	ranked = sorted(totals.items(), key=lambda item: item[1], reverse=True)[:TOP_COMPETITORS]
	return [
		{"brand": other, "sales_amount": amount, "rank": index}
		for index, (other, amount) in enumerate(ranked, start=1)
	]


def generate_all(month: date | None = None) -> list[str]:
	"""Last month's (or `month`'s) report for every key account, account by account: one that fails is
	rolled back and logged, the others go on. Returns the accounts that failed."""
	return for_each_account(
		frappe.get_all("Key Account", pluck="name", order_by="name"),
		lambda account: generate(account, month),
		"Monthly report",
	)


def generate_monthly_reports() -> None:
	"""Scheduled on the first of each month."""
	generate_all()
	frappe.db.commit()
