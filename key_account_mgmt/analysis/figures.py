"""Plain arithmetic the analyses share (no frappe import, tested without a site)."""

from datetime import date


def growth_percent(current: float, previous: float) -> float | None:
	"""Change against the previous period in percent; None when there was nothing before."""
	if not previous:
		return None
	return round(100 * (current - previous) / abs(previous), 1)


def abc_class(cumulative_share: float) -> str:
	"""Pareto classes over the accounts' combined value: A up to 80 %, B up to 95 %, C the rest."""
	if cumulative_share <= 80:
		return "A"
	return "B" if cumulative_share <= 95 else "C"


def pareto(values: dict[str, float]) -> list[tuple[str, float, float, str]]:
	"""(name, value, cumulative share of the total in percent, ABC class), largest value first."""
	total = sum(value for value in values.values() if value > 0)
	running = 0.0
	rows = []
	for name, value in sorted(values.items(), key=lambda item: item[1], reverse=True):
		running += max(value, 0)
		cumulative = round(100 * running / total, 1) if total else 0.0
		rows.append((name, value, cumulative, abc_class(cumulative)))
	return rows


def months_between(first: date, last: date) -> list[tuple[int, int]]:
	"""(year, month) of every month from the one holding `first` to the one holding `last`."""
	months = []
	year, month = first.year, first.month
	while (year, month) <= (last.year, last.month):
		months.append((year, month))
		year, month = (year + 1, 1) if month == 12 else (year, month + 1)
	return months


def trend_percent(values: list[float]) -> float | None:
	"""Least-squares slope of the series as a percentage of its mean, per step: +5 means the series
	grows by about 5 % of its average each month. None for fewer than two points or a zero mean."""
	count = len(values)
	if count < 2:
		return None
	mean = sum(values) / count
	if not mean:
		return None
	middle = (count - 1) / 2
	slope = sum((index - middle) * (value - mean) for index, value in enumerate(values)) / sum(
		(index - middle) ** 2 for index in range(count)
	)
	return round(100 * slope / mean, 1)


def forecast_crossing(
	amount_today: float, daily_rate: float, leaving: list[float], bound: float, upwards: bool
) -> int | None:
	"""Days until a rolling amount crosses `bound` (reaches it upwards, or falls below it), when each
	future day adds `daily_rate` and `leaving[d]` is what drops out of the window on day d + 1.
	None when it does not happen within len(leaving) days."""
	amount = amount_today
	for day, dropping in enumerate(leaving, start=1):
		amount += daily_rate - dropping
		if (upwards and amount >= bound) or (not upwards and amount < bound):
			return day
	return None


def complete_months(first: date, last: date) -> list[tuple[int, int]]:
	"""(year, month) of the months that lie wholly between `first` and `last`, both included."""
	return [
		(year, month)
		for year, month in months_between(first, last)
		if date(year, month, 1) >= first and last >= last_day_of_month(year, month)
	]


def last_day_of_month(year: int, month: int) -> date:
	following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
	return date.fromordinal(following.toordinal() - 1)


def rolling_path(amount_today: float, daily_rate: float, leaving: list[float]) -> list[float]:
	"""The rolling amount on each of the next len(leaving) days, when each day adds `daily_rate` and
	`leaving[d]` drops out of the window on day d + 1."""
	path, amount = [], amount_today
	for dropping in leaving:
		amount += daily_rate - dropping
		path.append(amount)
	return path


def fiscal_year_path(
	previous_year: float, year_to_date: float, daily_rate: float, days_left_in_year: int, horizon: int
) -> list[float]:
	"""The amount the fiscal-year policy measures (the higher of the last completed year and the
	current year to date) on each of the next `horizon` days, when each day adds `daily_rate`. After
	the year ends, the year just completed becomes the completed one and a new year starts from zero."""
	path = []
	for day in range(1, horizon + 1):
		if day <= days_left_in_year:
			path.append(max(previous_year, year_to_date + daily_rate * day))
		else:
			completed = year_to_date + daily_rate * days_left_in_year
			path.append(max(completed, daily_rate * (day - days_left_in_year)))
	return path


def first_crossing(path: list[float], bound: float, upwards: bool) -> int | None:
	"""The first day (1-based) on which the amounts reach `bound` (upwards) or fall below it."""
	for day, amount in enumerate(path, start=1):
		if (upwards and amount >= bound) or (not upwards and amount < bound):
			return day
	return None
