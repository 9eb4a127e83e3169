"""What period an evaluation covers: the rolling twelve months, or under the fiscal-year policy the
fiscal year to date and the last completed fiscal year."""

from dataclasses import dataclass
from datetime import date

from frappe.utils import add_days, getdate

from key_account_mgmt.tiering import core
from key_account_mgmt.tiering.settings import FISCAL_YEAR, TieringSettings


@dataclass(frozen=True)
class Windows:
	"""The date ranges one evaluation sums: `current` (the rolling window, or the fiscal year to date)
	and, under the fiscal-year policy, `previous` (the last completed fiscal year)."""

	current: core.Window
	previous: core.Window | None
	current_fiscal_year: core.Window | None = None


def measurement_windows(settings: TieringSettings, today: date) -> Windows:
	if settings.window != FISCAL_YEAR:
		return Windows(core.rolling_twelve_months(today), None)
	current = fiscal_year_window(today)
	previous = fiscal_year_window(add_days(current.start, -1))
	return Windows(core.Window(current.start, today), previous, current)


def fiscal_year_window(day: date) -> core.Window:
	from erpnext.accounts.utils import get_fiscal_year

	_name, start, end = get_fiscal_year(day)[:3]
	return core.Window(getdate(start), getdate(end))
