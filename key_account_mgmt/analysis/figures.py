"""Plain arithmetic the analyses share (no frappe import, tested without a site)."""


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
