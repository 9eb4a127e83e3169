"""The tiering rules as plain Python: band selection, the measurement windows, the fiscal-year policy
and currency rounding. No frappe import, so it is unit-tested without a site and reused by the engine,
the reports and the what-if forecast alike."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import Enum

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Band:
	"""A tier and the smallest yearly purchase amount that reaches it (the bound belongs to the band)."""

	tier: str
	lower_bound: Decimal


# A bound's column is DECIMAL(21,9): twelve digits before the point. Larger bounds are refused, with a
# message, before the database would refuse them.
BOUND_LIMIT = Decimal(10**12)

DEFAULT_BANDS: tuple[Band, ...] = (
	Band("Ordinary", Decimal("5000000")),
	Band("Partner", Decimal("20000000")),
	Band("Strategic", Decimal("50000000")),
)


class BandProblem(Enum):
	NO_BANDS = "no_bands"
	MISSING_NAME = "missing_name"
	NOT_POSITIVE = "not_positive"
	DUPLICATE_NAME = "duplicate_name"
	NOT_INCREASING = "not_increasing"
	TOO_LARGE = "too_large"


@dataclass(frozen=True)
class BandIssue:
	problem: BandProblem
	row: int  # 1-based, as the user sees the rows of the table
	tier: str = ""


def band_issues(bands: Sequence[Band]) -> list[BandIssue]:
	"""Everything wrong with a band table, in the order the user should fix it. Empty means valid:
	at least one band, every band named once, bounds positive, below BOUND_LIMIT and strictly increasing
	down the table."""
	if not bands:
		return [BandIssue(BandProblem.NO_BANDS, 0)]
	issues: list[BandIssue] = []
	seen: set[str] = set()
	for row, band in enumerate(bands, start=1):
		name = (band.tier or "").strip()
		if not name:
			issues.append(BandIssue(BandProblem.MISSING_NAME, row))
		elif name.casefold() in seen:
			issues.append(BandIssue(BandProblem.DUPLICATE_NAME, row, name))
		seen.add(name.casefold())
		if to_decimal(band.lower_bound) <= 0:
			issues.append(BandIssue(BandProblem.NOT_POSITIVE, row, name))
		elif to_decimal(band.lower_bound) >= BOUND_LIMIT:
			issues.append(BandIssue(BandProblem.TOO_LARGE, row, name))
		elif row > 1 and to_decimal(band.lower_bound) <= to_decimal(bands[row - 2].lower_bound):
			issues.append(BandIssue(BandProblem.NOT_INCREASING, row, name))
	return issues


def select_tier(amount: Decimal | float | int, bands: Sequence[Band]) -> str | None:
	"""The highest band whose lower bound the amount reaches; None below the lowest band."""
	value = to_decimal(amount)
	tier = None
	for band in sorted(bands, key=lambda band: band.lower_bound):
		if value >= band.lower_bound:
			tier = band.tier
	return tier


def tier_rank(tier: str | None, bands: Sequence[Band]) -> int:
	"""0 for no tier, 1 for the lowest band and so on; unknown tiers rank as none."""
	ordered = [band.tier for band in sorted(bands, key=lambda band: band.lower_bound)]
	return ordered.index(tier) + 1 if tier in ordered else 0


def next_band_up(tier: str | None, bands: Sequence[Band]) -> Band | None:
	ordered = sorted(bands, key=lambda band: band.lower_bound)
	rank = tier_rank(tier, bands)
	return ordered[rank] if rank < len(ordered) else None


# Windows
# -------


@dataclass(frozen=True)
class Window:
	start: date
	end: date

	def __contains__(self, day: date) -> bool:
		return self.start <= day <= self.end


def one_year_before(day: date) -> date:
	try:
		return day.replace(year=day.year - 1)
	except ValueError:  # 29 February
		return day.replace(year=day.year - 1, day=28)


def rolling_twelve_months(today: date) -> Window:
	"""The twelve months ending today, both ends included: 2026-11-26 gives 2025-11-27 … 2026-11-26."""
	return Window(one_year_before(today) + timedelta(days=1), today)


@dataclass(frozen=True)
class Evaluation:
	tier: str | None
	amount: Decimal
	window: Window


def evaluate_rolling(amount: Decimal, today: date, bands: Sequence[Band]) -> Evaluation:
	return Evaluation(select_tier(amount, bands), round_money(amount), rolling_twelve_months(today))


def evaluate_fiscal_years(
	previous_year_total: Decimal,
	previous_year: Window,
	year_to_date_total: Decimal,
	current_year: Window,
	today: date,
	bands: Sequence[Band],
) -> Evaluation:
	"""The higher of the last completed fiscal year's tier and the current year-to-date's, so that no
	account drops a tier on the first day of a fiscal year. Ties go to the completed year."""
	year_to_date = Window(current_year.start, min(today, current_year.end))
	completed = Evaluation(
		select_tier(previous_year_total, bands), round_money(previous_year_total), previous_year
	)
	running = Evaluation(
		select_tier(year_to_date_total, bands), round_money(year_to_date_total), year_to_date
	)
	if tier_rank(running.tier, bands) > tier_rank(completed.tier, bands):
		return running
	return completed


# Money
# -----


def to_decimal(value: Decimal | float | int | str | None) -> Decimal:
	if value is None:
		return Decimal(0)
	if isinstance(value, Decimal):
		return value
	# str() keeps 0.1 as 0.1 instead of the binary float's expansion
	return Decimal(str(value))


def round_money(value: Decimal | float | int | str | None) -> Decimal:
	return to_decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def convert(amount: Decimal | float | int, rate: Decimal | float | int) -> Decimal:
	"""An amount in company currency converted at `rate` and rounded to the cent, half away from zero."""
	return round_money(to_decimal(amount) * to_decimal(rate))


def total(amounts: Iterable[Decimal | float | int]) -> Decimal:
	return round_money(sum((to_decimal(amount) for amount in amounts), Decimal(0)))
