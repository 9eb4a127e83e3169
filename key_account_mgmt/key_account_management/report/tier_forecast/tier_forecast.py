# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from collections import Counter
from datetime import date, timedelta

import frappe
from frappe import _
from frappe.utils import add_days, date_diff, getdate

from key_account_mgmt import inputs
from key_account_mgmt.analysis import queries
from key_account_mgmt.analysis.columns import key_account_column
from key_account_mgmt.analysis.figures import first_crossing, fiscal_year_path, rolling_path
from key_account_mgmt.analysis.filters import report_filters
from key_account_mgmt.desk.tiers import NO_TIER_COLOUR, band_colour
from key_account_mgmt.tiering.core import (
	BOUND_LIMIT,
	Band,
	band_issues,
	evaluate_fiscal_years,
	next_band_up,
	select_tier,
	to_decimal,
)
from key_account_mgmt.tiering.settings import get_tiering_settings
from key_account_mgmt.tiering.windows import measurement_windows

RUN_RATE_DAYS = 90
HORIZON_DAYS = 365


def execute(filters: dict | None = None):
	filters = report_filters(filters)
	settings = get_tiering_settings()
	what_if = what_if_bands(filters, settings.bands)
	data = rows(settings, what_if, getdate())
	return columns(), data, None, None, summary(data, what_if)


def what_if_bands(filters, bands) -> tuple[Band, ...]:
	"""The bounds typed into the filters, by band rank (what_if_1 is the lowest band, as the settings
	order them), the settings' bounds otherwise. By rank, not name, so renamed bands keep their what-if."""
	typed = tuple(
		Band(
			band.tier,
			inputs.number(filters.get(f"what_if_{rank}"), _("What-if: Band {0} From").format(rank))
			or band.lower_bound,
		)
		for rank, band in enumerate(bands, start=1)
	)
	if band_issues(typed):
		frappe.throw(
			_("The what-if bounds must be above zero, below {0}, and rise from tier to tier.").format(
				f"{BOUND_LIMIT:,.0f}"
			),
			title=_("Invalid What-If"),
		)
	return typed


def columns() -> list[dict]:
	return [
		key_account_column(140),
		{"label": _("Tier"), "fieldname": "tier", "fieldtype": "Data", "width": 100},
		{
			"label": _("Purchase Amount"),
			"fieldname": "purchase_amount",
			"fieldtype": "Currency",
			"width": 140,
		},
		{"label": _("Run Rate per Day"), "fieldname": "run_rate", "fieldtype": "Currency", "width": 130},
		{"label": _("Next Tier"), "fieldname": "next_tier", "fieldtype": "Data", "width": 100},
		{"label": _("Reaches It On"), "fieldname": "reaches_on", "fieldtype": "Date", "width": 120},
		{"label": _("Falls Below Its Tier On"), "fieldname": "falls_on", "fieldtype": "Date", "width": 150},
		{"label": _("Tier Under What-If"), "fieldname": "what_if_tier", "fieldtype": "Data", "width": 140},
	]


def rows(settings, what_if: tuple[Band, ...], today: date) -> list[dict]:
	"""From each account's purchases of the last 90 days as a daily run rate, the day it would reach the
	next band up or fall below its own, within a year, measured as the settings measure: under the
	rolling window the invoices that leave it day by day count; under the fiscal-year policy the year
	to date grows until the year ends, and then becomes the completed year."""
	scope = queries.analysis_scope(settings=settings)
	windows = measurement_windows(settings, today)
	run_rate_start = add_days(today, -RUN_RATE_DAYS + 1)
	first_day = min(windows.current.start, run_rate_start)
	daily = queries.daily_purchases(scope, first_day, today)
	previous_year = (
		queries.purchases_by_account(scope, windows.previous.start, windows.previous.end)
		if windows.previous
		else {}
	)
	# the days whose purchases leave the rolling window, one a day, over the horizon
	leaving_days = [windows.current.start + timedelta(days=offset) for offset in range(HORIZON_DAYS)]
	result = []
	for account in frappe.get_list("Key Account", fields=["name", "tier", "computed_tier"], order_by="name"):
		history = daily.get(account.name, {})
		current = sum(value for day, value in history.items() if day >= windows.current.start)
		run_rate = sum(value for day, value in history.items() if day >= run_rate_start) / RUN_RATE_DAYS
		if windows.previous is None:
			measured = evaluation_amount = current
			path = rolling_path(current, run_rate, [history.get(day, 0.0) for day in leaving_days])
		else:
			previous = previous_year.get(account.name, 0.0)
			evaluation_amount = float(
				evaluate_fiscal_years(
					to_decimal(previous),
					windows.previous,
					to_decimal(current),
					windows.current_fiscal_year,
					today,
					settings.bands,
				).amount
			)
			measured = max(previous, current)
			days_left = date_diff(windows.current_fiscal_year.end, today)
			path = fiscal_year_path(previous, current, run_rate, days_left, HORIZON_DAYS)
		computed = select_tier(measured, settings.bands)
		upper = next_band_up(computed, settings.bands)
		own = next((band for band in settings.bands if band.tier == computed), None)
		reach = first_crossing(path, float(upper.lower_bound), upwards=True) if upper else None
		fall = first_crossing(path, float(own.lower_bound), upwards=False) if own else None
		what_if_tier = select_tier(measured, what_if)
		result.append(
			{
				"key_account": account.name,
				"tier": _(account.tier) if account.tier else "",
				"purchase_amount": evaluation_amount,
				"run_rate": run_rate,
				"next_tier": _(upper.tier) if upper else "",
				"reaches_on": add_days(today, reach) if reach else None,
				"falls_on": add_days(today, fall) if fall else None,
				"what_if_tier": _(what_if_tier) if what_if_tier else _("no tier"),
				"what_if_raw": what_if_tier,
			}
		)
	return result


def summary(data: list[dict], what_if: tuple[Band, ...]) -> list[dict]:
	counts = Counter(row["what_if_raw"] for row in data)
	return [
		{
			"value": counts.get(band.tier, 0),
			"label": _("{0} under the what-if").format(_(band.tier)),
			"indicator": band_colour(rank)[0],
			"datatype": "Int",
		}
		for rank, band in enumerate(what_if)
	] + [
		{
			"value": counts.get(None, 0),
			"label": _("No tier under the what-if"),
			"indicator": NO_TIER_COLOUR[0],
			"datatype": "Int",
		}
	]
