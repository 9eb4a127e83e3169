# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_days, getdate

from key_account_mgmt.analysis.columns import key_account_column
from key_account_mgmt.analysis.filters import checked_period, report_date, report_filters


def report(filters: dict | None = None):
	filters = report_filters(filters)
	to_date = report_date(filters, "to_date", getdate())
	from_date, to_date = checked_period(report_date(filters, "from_date", add_days(to_date, -730)), to_date)
	dimensions = frappe.get_all("Key Account Satisfaction Dimension", pluck="name", order_by="name")
	data = rows(filters, from_date, to_date, dimensions)
	return columns(dimensions), data, None, chart(data)


def dimension_field(dimension: str) -> str:
	return "d_" + frappe.scrub(dimension)


def columns(dimensions: list[str]) -> list[dict]:
	return [
		key_account_column(140),
		{"label": _("Surveys"), "fieldname": "surveys", "fieldtype": "Int", "width": 80},
		{"label": _("Latest Survey"), "fieldname": "latest_date", "fieldtype": "Date", "width": 110},
		{
			"label": _("Latest Average"),
			"fieldname": "latest_average",
			"fieldtype": "Float",
			"precision": 2,
			"width": 120,
		},
		{
			"label": _("Change Since the Survey Before"),
			"fieldname": "change",
			"fieldtype": "Float",
			"precision": 2,
			"width": 190,
		},
		{"label": _("Lowest Dimension"), "fieldname": "lowest_dimension", "fieldtype": "Data", "width": 150},
		*(
			{
				"label": dimension,
				"fieldname": dimension_field(dimension),
				"fieldtype": "Float",
				"precision": 2,
				"width": 120,
			}
			for dimension in dimensions
		),
	]


def rows(filters, from_date, to_date, dimensions) -> list[dict]:
	"""Per account: its surveys in the period, the latest average and its change against the survey
	before, each dimension's average over the period, and the lowest of them."""
	conditions = {"survey_date": ("between", [from_date, to_date])}
	if filters.key_account:
		conditions["key_account"] = filters.key_account
	surveys = frappe.get_list(
		"Key Account Satisfaction Survey",
		filters=conditions,
		fields=["name", "key_account", "survey_date", "average_score"],
		order_by="survey_date, creation",
	)
	if not surveys:
		return []
	scores: dict[tuple[str, str], list[int]] = {}
	by_survey = {survey.name: survey.key_account for survey in surveys}
	for parent, dimension, score in frappe.db.sql(
		"""SELECT parent, dimension, score FROM `tabKey Account Satisfaction Score`
		WHERE parenttype = 'Key Account Satisfaction Survey' AND parent IN %s""",
		(tuple(by_survey),),
	):
		scores.setdefault((by_survey[parent], dimension), []).append(score)
	result = []
	for account in sorted({survey.key_account for survey in surveys}):
		own = [survey for survey in surveys if survey.key_account == account]
		averages = {
			dimension: round(sum(values) / len(values), 2)
			for dimension in dimensions
			if (values := scores.get((account, dimension)))
		}
		lowest = min(averages, key=averages.get) if averages else None
		row = {
			"key_account": account,
			"surveys": len(own),
			"latest_date": own[-1].survey_date,
			"latest_average": own[-1].average_score,
			"change": round(own[-1].average_score - own[-2].average_score, 2) if len(own) > 1 else None,
			"lowest_dimension": f"{lowest} ({averages[lowest]})" if lowest else "",
		}
		row.update({dimension_field(dimension): value for dimension, value in averages.items()})
		result.append(row)
	return result


def chart(data: list[dict]) -> dict | None:
	if not data:
		return None
	return {
		"data": {
			"labels": [row["key_account"] for row in data],
			"datasets": [{"name": _("Latest Average"), "values": [row["latest_average"] for row in data]}],
		},
		"type": "bar",
	}
