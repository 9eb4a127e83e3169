"""The portal page's view of an account's shared data: a region x month pivot, a bar chart drawn by
the server, stock and report links, every figure formatted as Frappe formats it."""

import frappe
from frappe import _
from frappe.utils import flt, fmt_money

from key_account_mgmt.marketing.sharing import money, month_label, quantity


def portal_page(data: dict) -> dict:
	"""The page's view of `portal_data`: sales as a region × month pivot with totals and a bar chart
	of the months, every figure formatted as Frappe formats it."""
	currency, months = data["currency"], data["months"]
	cells: dict[str, dict[str, float]] = {}
	quantities: dict[str, float] = {}
	for row in data["sales"]:
		region = row.territory or _("No Region")
		cells.setdefault(region, {})[row.month] = cells.get(region, {}).get(row.month, 0) + flt(row.amount)
		quantities[region] = quantities.get(region, 0) + flt(row.qty)
	month_totals = [sum(region.get(month, 0) for region in cells.values()) for month in months]
	regions = sorted(cells, key=lambda region: (-sum(cells[region].values()), region))
	return {
		"sales_rows": [
			frappe._dict(
				region=region,
				cells=[amount_in_table(cells[region].get(month)) for month in months],
				total=amount_in_table(sum(cells[region].values())),
				qty=quantity(quantities[region]),
			)
			for region in regions
		],
		"sales_totals": frappe._dict(
			cells=[amount_in_table(amount) for amount in month_totals],
			total=amount_in_table(sum(month_totals)),
			qty=quantity(sum(quantities.values())),
		),
		"chart": bar_chart(months, month_totals, currency),
		"stock_rows": [
			frappe._dict(
				warehouse=row.warehouse, in_stock=quantity(row.actual_qty), ordered=quantity(row.ordered_qty)
			)
			for row in data["stock"]
		],
		"report_links": [
			frappe._dict(name=row.name, month=month_label(row.month)) for row in data["reports"]
		],
	}


CHART_BAR_WIDTH, CHART_GAP, CHART_HEIGHT = 40, 12, 160


def bar_chart(labels: list[str], amounts: list[float], currency: str) -> frappe._dict:
	"""Bars for an SVG the server draws: no script, no figure but the own brand's monthly totals."""
	top = max(amounts, default=0) or 1
	bars = []
	for index, (label, amount) in enumerate(zip(labels, amounts, strict=True)):
		height = round(CHART_HEIGHT * max(amount, 0) / top)
		bars.append(
			frappe._dict(
				label=label,
				title=f"{label}: {money(amount, currency)}",
				x=CHART_GAP + index * (CHART_BAR_WIDTH + CHART_GAP),
				y=CHART_HEIGHT - height + 10,
				width=CHART_BAR_WIDTH,
				height=height,
				label_x=CHART_GAP + index * (CHART_BAR_WIDTH + CHART_GAP) + CHART_BAR_WIDTH // 2,
			)
		)
	return frappe._dict(
		bars=bars,
		width=CHART_GAP + len(labels) * (CHART_BAR_WIDTH + CHART_GAP),
		height=CHART_HEIGHT + 40,
		label_y=CHART_HEIGHT + 28,
	)


def amount_in_table(amount: float | None) -> str:
	"""A pivot cell: whole units in the site's number format, the currency named above the table; a
	month without sales stays empty."""
	return fmt_money(flt(amount), precision=0) if amount else ""
