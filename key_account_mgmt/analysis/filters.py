"""Report filters as every analysis reads them: checked once, here, before any query runs.

Filters arrive from the query-report endpoint as the user (or a script) sent them, so each must be a
single value, numbers must be finite, dates must be real dates, and a period may span at most
MAX_MONTHS months: a report over a millennium would build a column per month and run for minutes."""

import math
from datetime import date

import frappe
from frappe import _
from frappe.utils import add_months, getdate

MAX_MONTHS = 120
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)


def report_filters(filters) -> frappe._dict:
	"""The filters as a dict of single, finite values; throws on anything else."""
	if isinstance(filters, str):
		filters = frappe.parse_json(filters or "{}")
	if filters is not None and not isinstance(filters, dict):
		frappe.throw(_("Report filters must be given as names and values."), title=_("Invalid Filter"))
	filters = frappe._dict(filters or {})
	for key, value in filters.items():
		if isinstance(value, list | tuple | set | dict):
			frappe.throw(
				_("Filter {0} takes a single value.").format(frappe.bold(key)), title=_("Invalid Filter")
			)
		if not finite(value):
			frappe.throw(
				_("Filter {0} must be a finite number.").format(frappe.bold(key)), title=_("Invalid Filter")
			)
	return filters


def finite(value) -> bool:
	if isinstance(value, bool | int) or value is None:
		return True
	if isinstance(value, float):
		return math.isfinite(value)
	if isinstance(value, str):
		try:
			return math.isfinite(float(value))
		except ValueError:
			return True  # not a number at all: text filters are fine
	return True


def report_date(filters, key: str, default: date) -> date:
	"""The filter's date, or `default` when it is empty; throws on a date outside 1900–2999."""
	value = filters.get(key)
	if value in (None, ""):
		return default
	day = getdate(value) if not str(value).startswith(("0000-", "0001-")) else None
	if day is None or not EARLIEST <= day <= LATEST:
		frappe.throw(
			_("{0} must be a date between {1} and {2}.").format(
				frappe.bold(_(frappe.unscrub(key))), EARLIEST.isoformat(), LATEST.isoformat()
			),
			title=_("Invalid Date"),
		)
	return day


def checked_period(from_date: date, to_date: date) -> tuple[date, date]:
	if from_date > to_date:
		frappe.throw(_("From Date must be on or before To Date."), title=_("Invalid Period"))
	if add_months(from_date, MAX_MONTHS) <= to_date:
		frappe.throw(
			_("Choose a period of at most {0} months ({1} years).").format(MAX_MONTHS, MAX_MONTHS // 12),
			title=_("Invalid Period"),
		)
	return from_date, to_date
