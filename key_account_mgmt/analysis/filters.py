"""Report filters as every analysis reads them: checked once, here, before any query runs.

Filters arrive from the query-report endpoint as the user (or a script) sent them, so each must be a
single value of bounded size, numbers must be finite, dates must be real dates (key_account_mgmt/inputs.py
parses them all), and a period may span at most MAX_MONTHS months: a report over a millennium would
build a column per month and run for minutes."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import add_months

from key_account_mgmt import inputs

MAX_MONTHS = 120


def report_filters(filters) -> frappe._dict:
	"""The filters as a dict of single values: text of at most MAX_TEXT characters or finite numbers;
	throws on anything else (key_account_mgmt/inputs.py)."""
	return inputs.scalar_map(filters, _("Report filters"))


def report_date(filters, key: str, default: date) -> date:
	"""The filter's date, or `default` when it is empty; throws on a date outside 1900–2999."""
	return inputs.day(filters.get(key), _(frappe.unscrub(key))) or default


def checked_period(from_date: date, to_date: date) -> tuple[date, date]:
	if from_date > to_date:
		frappe.throw(_("From Date must be on or before To Date."), title=_("Invalid Period"))
	if add_months(from_date, MAX_MONTHS) <= to_date:
		frappe.throw(
			_("Choose a period of at most {0} months ({1} years).").format(MAX_MONTHS, MAX_MONTHS // 12),
			title=_("Invalid Period"),
		)
	return from_date, to_date
