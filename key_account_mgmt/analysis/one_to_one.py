"""The one-to-one view of a key account (Art. 20): every analysis filtered to one account, for the
"Key Account One-to-One" print format."""

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.analysis import (
	agent_contribution,
	behaviour,
	development,
	open_agreements,
	satisfaction,
	value,
)
from key_account_mgmt.tiering.core import one_year_before


def one_to_one_figures(account: str) -> dict:
	"""The print format calls it by this name: Frappe 15.12's read_only wrapper would hide the name."""
	return figures_from_replica(account)


@frappe.read_only()  # from the read replica where the site has one (`read_from_replica`)
def figures_from_replica(account: str) -> dict:
	frappe.get_doc("Key Account", account).check_permission("read")
	today = getdate()
	period = {"from_date": add_days(one_year_before(today), 1), "to_date": today}
	only = {**period, "key_account": account}
	development_columns, development_rows, *_ = development.report(only)
	# Finance reads the account but not its surveys, negotiations or people: those sections are left out.
	shown = {
		"satisfaction": readable("Key Account Satisfaction Survey"),
		"open_agreements": readable("Key Account Negotiation Log"),
		"contacts": readable("Key Account Contact Role"),
	}
	return {
		"period": period,
		"shown": shown,
		"value": next(iter(value.report(only)[1]), None),
		"development_months": [
			column for column in development_columns if column["fieldname"].startswith("m_")
		],
		"development": development_rows,
		"behaviour": next(iter(behaviour.report(only)[1]), None),
		"agents": agent_contribution.report(only)[1],
		"satisfaction": next(iter(satisfaction.report({"key_account": account})[1]), None)
		if shown["satisfaction"]
		else None,
		"open_agreements": open_agreements.report({"key_account": account})[1]
		if shown["open_agreements"]
		else [],
		"contacts": frappe.get_list(
			"Key Account Contact Role",
			filters={"key_account": account},
			fields=["full_name", "level", "decision_power", "email_id", "last_contact_date"],
			order_by="level",
		)
		if shown["contacts"]
		else [],
		"tier_changes": frappe.get_list(
			"Key Account Tier Change",
			filters={"key_account": account},
			fields=["changed_on", "from_tier", "to_tier", "cause", "purchase_amount"],
			order_by="changed_on desc",
			limit=10,
		),
	}


def readable(doctype: str) -> bool:
	return frappe.has_permission(doctype, "read")
