"""Qualification (Art. 4): criteria 2 and 3 computed from the Sales Invoices of the brand's items."""

from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime

from key_account_mgmt.tiering.core import rolling_twelve_months

TOP_BRANDS = 10
HUMAN_CRITERIA = ("known_brand", "cooperates_well", "supply_priority", "first_launch")


@dataclass(frozen=True)
class BrandStanding:
	rank: int | None
	brands: int
	sales_share: float
	profit_share: float


def brand_standing(brand: str, from_date: date, to_date: date) -> BrandStanding:
	"""Rank among all brands by net sales, and share of net sales and of gross profit (net sales less
	the cost ERPNext booked on the invoice rows), over submitted Sales Invoices."""
	rows = frappe.db.sql(
		"""SELECT IFNULL(sii.brand, '') AS brand, SUM(sii.base_net_amount) AS sales,
			SUM(sii.base_net_amount - IFNULL(sii.incoming_rate, 0) * IFNULL(sii.stock_qty, 0)) AS profit
		FROM `tabSales Invoice Item` sii INNER JOIN `tabSales Invoice` si ON si.name = sii.parent
		WHERE si.docstatus = 1 AND si.posting_date BETWEEN %s AND %s
		GROUP BY IFNULL(sii.brand, '')""",
		(from_date, to_date),
		as_dict=True,
	)
	total_sales = sum(flt(row.sales) for row in rows)
	total_profit = sum(flt(row.profit) for row in rows)
	ranked = sorted((row for row in rows if row.brand), key=lambda row: flt(row.sales), reverse=True)
	position = next((index for index, row in enumerate(ranked, start=1) if row.brand == brand), None)
	own = ranked[position - 1] if position else None
	return BrandStanding(
		rank=position,
		brands=len(ranked),
		sales_share=100 * flt(own.sales) / total_sales if own and total_sales else 0.0,
		profit_share=100 * flt(own.profit) / total_profit if own and total_profit > 0 else 0.0,
	)


def compute_sales_criteria(account, today: date | None = None) -> None:
	window = rolling_twelve_months(getdate(today))
	period = _("{0} to {1}").format(frappe.format(window.start, "Date"), frappe.format(window.end, "Date"))
	if not account.brand:
		account.criterion_top_ten_brand = account.criterion_large_share = 0
		account.criterion_top_ten_brand_evidence = account.criterion_large_share_evidence = _(
			"Set the account's brand to compute this from sales."
		)
	else:
		standing = brand_standing(account.brand, window.start, window.end)
		threshold = flt(frappe.db.get_single_value("Key Account Settings", "large_share_percent")) or 5
		account.criterion_top_ten_brand = int(bool(standing.rank and standing.rank <= TOP_BRANDS))
		account.criterion_top_ten_brand_evidence = (
			_("Rank {0} of {1} brands by sales, {2}.").format(standing.rank, standing.brands, period)
			if standing.rank
			else _("No sales of {0} items, {1}.").format(account.brand, period)
		)
		account.criterion_large_share = int(
			standing.sales_share >= threshold and standing.profit_share >= threshold
		)
		account.criterion_large_share_evidence = _(
			"{0}% of sales and {1}% of gross profit, {2} (criterion: {3}% of each)."
		).format(round(standing.sales_share, 1), round(standing.profit_share, 1), period, threshold)
	account.qualification_evaluated_on = now_datetime()
	account.qualifies = int(
		bool(account.criterion_top_ten_brand and account.criterion_large_share)
		and all(account.get(f"criterion_{criterion}") for criterion in HUMAN_CRITERIA)
	)
