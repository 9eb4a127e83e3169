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
