"""The period most analyses default to: the twelve months ending today, or the one the user chose."""

from datetime import date

from frappe.utils import getdate

from key_account_mgmt.analysis.filters import checked_period, report_date
from key_account_mgmt.tiering.core import rolling_twelve_months


def report_period(filters, default_from: date | None = None) -> tuple[date, date]:
	"""From and to date of the filters (checked: real dates, in order, at most ten years apart)."""
	to_date = report_date(filters, "to_date", getdate())
	from_date = report_date(filters, "from_date", default_from or rolling_twelve_months(to_date).start)
	return checked_period(from_date, to_date)
