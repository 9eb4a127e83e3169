"""The tiering core without a site: bands at and around every bound, windows, the fiscal-year policy
and money rounding."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from key_account_mgmt.tiering.core import (
	DEFAULT_BANDS,
	Band,
	BandProblem,
	Window,
	band_issues,
	convert,
	evaluate_fiscal_years,
	evaluate_rolling,
	next_band_up,
	rolling_twelve_months,
	round_money,
	select_tier,
	tier_rank,
	total,
)

CENT = Decimal("0.01")


@pytest.mark.parametrize(
	"amount, tier",
	[
		(Decimal("0"), None),
		(Decimal("4999999.99"), None),
		(Decimal("5000000"), "Ordinary"),
		(Decimal("5000000.01"), "Ordinary"),
		(Decimal("19999999.99"), "Ordinary"),
		(Decimal("20000000"), "Partner"),
		(Decimal("49999999.99"), "Partner"),
		(Decimal("50000000"), "Strategic"),
		(Decimal("50000000.01"), "Strategic"),
		(Decimal("900000000"), "Strategic"),
	],
)
def test_each_bound_belongs_to_its_band(amount, tier):
	assert select_tier(amount, DEFAULT_BANDS) == tier


def test_negative_totals_after_returns_have_no_tier():
	assert select_tier(Decimal("-1250000.50"), DEFAULT_BANDS) is None


def test_floats_and_ints_are_read_exactly():
	assert select_tier(20_000_000, DEFAULT_BANDS) == "Partner"
	assert select_tier(19_999_999.99, DEFAULT_BANDS) == "Ordinary"


def test_band_order_in_the_table_does_not_matter_for_selection():
	shuffled = (DEFAULT_BANDS[2], DEFAULT_BANDS[0], DEFAULT_BANDS[1])
	assert select_tier(Decimal("25000000"), shuffled) == "Partner"


amounts = st.decimals(min_value=-(10**9), max_value=10**10, places=2, allow_nan=False, allow_infinity=False)


@given(amounts, amounts)
def test_tier_is_monotone_in_the_amount(first, second):
	low, high = sorted((first, second))
	assert tier_rank(select_tier(low, DEFAULT_BANDS), DEFAULT_BANDS) <= tier_rank(
		select_tier(high, DEFAULT_BANDS), DEFAULT_BANDS
	)


@given(
	st.lists(st.decimals(min_value=1, max_value=10**9, places=2), min_size=1, max_size=6, unique=True),
	amounts,
)
def test_any_valid_band_table_is_monotone_and_bounded(bounds, amount):
	bands = [Band(f"T{i}", bound) for i, bound in enumerate(sorted(bounds))]
	assert band_issues(bands) == []
	tier = select_tier(amount, bands)
	if tier is None:
		assert amount < bands[0].lower_bound
	else:
		band = next(band for band in bands if band.tier == tier)
		assert amount >= band.lower_bound
		upper = next_band_up(tier, bands)
		assert upper is None or amount < upper.lower_bound


def test_tier_rank_and_next_band():
	assert [
		tier_rank(tier, DEFAULT_BANDS) for tier in (None, "Ordinary", "Partner", "Strategic", "Gold")
	] == [
		0,
		1,
		2,
		3,
		0,
	]
	assert next_band_up(None, DEFAULT_BANDS).tier == "Ordinary"
	assert next_band_up("Partner", DEFAULT_BANDS).tier == "Strategic"
	assert next_band_up("Strategic", DEFAULT_BANDS) is None


# Band validation


def test_default_bands_are_valid():
	assert band_issues(DEFAULT_BANDS) == []


@pytest.mark.parametrize(
	"bands, expected",
	[
		([], [(BandProblem.NO_BANDS, 0)]),
		([Band("", Decimal(5))], [(BandProblem.MISSING_NAME, 1)]),
		([Band("Ordinary", Decimal(0))], [(BandProblem.NOT_POSITIVE, 1)]),
		([Band("Ordinary", Decimal(-5))], [(BandProblem.NOT_POSITIVE, 1)]),
		([Band("Ordinary", Decimal("1e18"))], [(BandProblem.TOO_LARGE, 1)]),
		(
			[Band("Ordinary", Decimal(5)), Band("Partner", Decimal(10**12))],
			[(BandProblem.TOO_LARGE, 2)],
		),
		(
			[Band("Ordinary", Decimal(5)), Band("ordinary ", Decimal(10))],
			[(BandProblem.DUPLICATE_NAME, 2)],
		),
		(
			[Band("Ordinary", Decimal(20)), Band("Partner", Decimal(20))],
			[(BandProblem.NOT_INCREASING, 2)],
		),
		(
			[Band("Partner", Decimal(20)), Band("Ordinary", Decimal(5))],
			[(BandProblem.NOT_INCREASING, 2)],
		),
	],
)
def test_band_problems_name_the_row(bands, expected):
	assert [(issue.problem, issue.row) for issue in band_issues(bands)] == expected


# Windows


def test_rolling_window_is_twelve_months_ending_today():
	assert rolling_twelve_months(date(2026, 11, 26)) == Window(date(2025, 11, 27), date(2026, 11, 26))


def test_rolling_window_on_leap_day():
	assert rolling_twelve_months(date(2028, 2, 29)) == Window(date(2027, 3, 1), date(2028, 2, 29))


def test_rolling_window_includes_both_ends():
	window = rolling_twelve_months(date(2026, 1, 1))
	assert date(2025, 1, 2) in window
	assert date(2026, 1, 1) in window
	assert date(2025, 1, 1) not in window


def test_rolling_evaluation_on_january_first_keeps_last_years_purchases():
	result = evaluate_rolling(Decimal("25000000"), date(2026, 1, 1), DEFAULT_BANDS)
	assert result.tier == "Partner"
	assert result.window == Window(date(2025, 1, 2), date(2026, 1, 1))


# Fiscal-year policy

FY2025 = Window(date(2025, 1, 1), date(2025, 12, 31))
FY2026 = Window(date(2026, 1, 1), date(2026, 12, 31))


def test_fiscal_policy_keeps_the_completed_years_tier_on_january_first():
	result = evaluate_fiscal_years(
		Decimal("25000000"), FY2025, Decimal("0"), FY2026, date(2026, 1, 1), DEFAULT_BANDS
	)
	assert (result.tier, result.amount, result.window) == ("Partner", Decimal("25000000.00"), FY2025)


def test_fiscal_policy_takes_the_year_to_date_when_it_is_higher():
	result = evaluate_fiscal_years(
		Decimal("6000000"), FY2025, Decimal("51000000"), FY2026, date(2026, 6, 30), DEFAULT_BANDS
	)
	assert result.tier == "Strategic"
	assert result.window == Window(date(2026, 1, 1), date(2026, 6, 30))


def test_fiscal_policy_with_nothing_bought_has_no_tier():
	result = evaluate_fiscal_years(
		Decimal("0"), FY2025, Decimal("0"), FY2026, date(2026, 3, 1), DEFAULT_BANDS
	)
	assert result.tier is None


@given(amounts, amounts)
def test_fiscal_policy_is_the_higher_of_both_years(previous, current):
	result = evaluate_fiscal_years(previous, FY2025, current, FY2026, date(2026, 5, 1), DEFAULT_BANDS)
	expected = max(
		tier_rank(select_tier(previous, DEFAULT_BANDS), DEFAULT_BANDS),
		tier_rank(select_tier(current, DEFAULT_BANDS), DEFAULT_BANDS),
	)
	assert tier_rank(result.tier, DEFAULT_BANDS) == expected


# Money


def test_rounding_is_half_away_from_zero_to_the_cent():
	assert round_money("2.345") == Decimal("2.35")
	assert round_money("-2.345") == Decimal("-2.35")
	assert round_money(0.1 + 0.2) == Decimal("0.30")


def test_conversion_rounds_once_after_multiplying():
	assert convert(Decimal("1000000"), Decimal("7.1234567")) == Decimal("7123456.70")
	assert convert(-100, "7.2") == Decimal("-720.00")


@given(st.lists(st.decimals(min_value=-(10**8), max_value=10**8, places=2), max_size=50))
def test_totals_of_cents_are_exact(values):
	assert total(values) == sum(values, Decimal(0)).quantize(CENT)
