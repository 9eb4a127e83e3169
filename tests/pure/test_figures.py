from key_account_mgmt.analysis.figures import abc_class, growth_percent, pareto


def test_growth_against_nothing_is_unknown():
	assert growth_percent(100, 0) is None
	assert growth_percent(120, 100) == 20.0
	assert growth_percent(-50, -100) == 50.0


def test_abc_bounds_belong_to_the_better_class():
	assert [abc_class(share) for share in (10, 80, 80.1, 95, 95.1, 100)] == ["A", "A", "B", "B", "C", "C"]


def test_pareto_orders_by_value_and_accumulates_shares():
	rows = pareto({"TCL": 10, "Midea": 60, "Gree": 25, "Joyoung": 5})
	assert rows == [
		("Midea", 60, 60.0, "A"),
		("Gree", 25, 85.0, "B"),
		("TCL", 10, 95.0, "B"),
		("Joyoung", 5, 100.0, "C"),
	]


def test_pareto_of_nothing():
	assert pareto({"Midea": 0}) == [("Midea", 0, 0.0, "A")]


def test_months_between_spans_year_ends():
	from datetime import date

	from key_account_mgmt.analysis.figures import months_between

	assert months_between(date(2025, 11, 20), date(2026, 2, 1)) == [
		(2025, 11),
		(2025, 12),
		(2026, 1),
		(2026, 2),
	]


def test_trend_of_a_steady_rise_and_of_too_little_data():
	from key_account_mgmt.analysis.figures import trend_percent

	assert trend_percent([90, 100, 110]) == 10.0
	assert trend_percent([100, 100]) == 0.0
	assert trend_percent([5]) is None
	assert trend_percent([0, 0]) is None


def test_forecast_crossing_counts_what_ages_out():
	from key_account_mgmt.analysis.figures import forecast_crossing

	# 19M today, 100k a day coming in: 20M on day 10 when nothing leaves the window
	assert forecast_crossing(19e6, 1e5, [0.0] * 30, 20e6, upwards=True) == 10
	# the same, but 3M leaves on day 5: 19 + 0.5 - 3 = 16.5M, then 20M on day 40: not within 30 days
	assert forecast_crossing(19e6, 1e5, [0, 0, 0, 0, 3e6] + [0.0] * 25, 20e6, upwards=True) is None
	# falling below 20M when 1M leaves on day 3 and nothing comes in
	assert forecast_crossing(20.5e6, 0, [0, 0, 1e6], 20e6, upwards=False) == 3


def test_complete_months_leave_out_the_months_a_period_cuts():
	from datetime import date

	from key_account_mgmt.analysis.figures import complete_months

	assert complete_months(date(2025, 6, 16), date(2026, 6, 15)) == [
		(2025, month) for month in range(7, 13)
	] + [(2026, month) for month in range(1, 6)]
	assert complete_months(date(2024, 2, 1), date(2024, 2, 29)) == [(2024, 2)]
	assert complete_months(date(2024, 2, 1), date(2024, 2, 28)) == []


def test_the_fiscal_year_path_restarts_the_year_to_date_when_the_year_ends():
	from key_account_mgmt.analysis.figures import first_crossing, fiscal_year_path

	# 6 completed, 9 this year, +1 a day, 2 days left: 10, 11; then 11 is the completed year and the
	# new year counts 1, 2, … until it passes 11
	path = fiscal_year_path(6, 9, 1, 2, 15)
	assert path[:4] == [10, 11, 11, 11]
	assert first_crossing(path, 12, upwards=True) == 14
	assert first_crossing(fiscal_year_path(30, 0, 0, 5, 10), 20, upwards=False) == 6
