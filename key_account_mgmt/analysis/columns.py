"""Report columns that many of the analyses show."""

from frappe import _


def key_account_column(width: int = 140) -> dict:
	return {
		"label": _("Key Account"),
		"fieldname": "key_account",
		"fieldtype": "Link",
		"options": "Key Account",
		"width": width,
	}


def percent_column(label: str, fieldname: str, width: int = 110, summed: bool = False) -> dict:
	"""A percentage with one decimal, as every analysis rounds them. A share of a whole (`summed`) adds
	up in the total row; a rate or a growth does not, so the total row leaves it blank."""
	if summed:
		# a Float, which the total row adds up; the desk's report_formatter shows its "%"
		return {
			"label": label,
			"fieldname": fieldname,
			"fieldtype": "Float",
			"precision": 1,
			"percent_of_whole": 1,
			"width": width,
		}
	return {
		"label": label,
		"fieldname": fieldname,
		"fieldtype": "Percent",
		"precision": 1,
		"disable_total": 1,
		"width": width,
	}


def amount_column(label: str, fieldname: str, width: int = 140, summed: bool = True) -> dict:
	"""An amount in the threshold currency (the rows' hidden `currency`)."""
	column = {
		"label": label,
		"fieldname": fieldname,
		"fieldtype": "Currency",
		"options": "currency",
		"width": width,
	}
	if not summed:
		column["disable_total"] = 1
	return column


def money_width(values, currency: str | None, least: int = 0) -> int:
	"""Pixels a Currency column needs for the widest of `values` as the desk formats it (about 8 px a
	character in the report grid, plus padding). The widest is the largest or, by its minus sign, the
	most negative: only those two are formatted, as a report may hold tens of thousands of cells."""
	from frappe.utils import fmt_money

	amounts = [value or 0 for value in values]
	if not amounts:
		return least
	widest = max(len(fmt_money(value, currency=currency)) for value in (max(amounts), min(amounts)))
	return max(least, 8 * widest + 24)
