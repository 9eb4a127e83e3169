"""The yearly Qualification Review (Art. 4 and 5): every key account's six criteria as last recorded or
computed, its tier now and a year ago, and what the evidence no longer supports; then the suppliers
in no account whose purchases would make them key accounts."""

import json
from datetime import date

import frappe
from frappe import _
from frappe.utils import get_fullname, getdate

from key_account_mgmt.account_file import launch_evidence, supply_evidence
from key_account_mgmt.account_file.qualification import stored_evidence
from key_account_mgmt.tiering.core import one_year_before

JUDGED = ("criterion_known_brand", "criterion_cooperates_well", "criterion_first_launch")
ACCOUNT_FIELDS = (
	"name",
	"tier",
	"computed_tier",
	"tier_locked",
	"owner",
	"creation",
	"criterion_known_brand",
	"criterion_top_ten_brand",
	"criterion_large_share",
	"criterion_cooperates_well",
	"criterion_cooperates_well_measured",
	"criterion_cooperates_well_figures",
	"criterion_supply_priority",
	"criterion_supply_priority_measured",
	"criterion_supply_priority_figures",
	"criterion_first_launch",
	"criterion_first_launch_measured",
	"criterion_first_launch_figures",
)


def tiers_on(day: date, accounts: list[str]) -> dict[str, str | None]:
	"""Each account's tier at the end of `day`, from its Key Account Tier Changes: the tier of the last
	change on or before it, else the tier the first later change started from. An account with no change
	is not in the result."""
	change = frappe.qb.DocType("Key Account Tier Change")
	rows = (
		frappe.qb.from_(change)
		.select(change.key_account, change.from_tier, change.to_tier, change.changed_on)
		.where(change.key_account.isin(accounts))
		.orderby(change.changed_on)
		.orderby(change.creation)
		.run(as_dict=True)
		if accounts
		else []
	)
	tiers: dict[str, str | None] = {}
	settled: set[str] = set()
	for row in rows:
		if getdate(row.changed_on) <= day:
			tiers[row.key_account] = row.to_tier or None
			settled.add(row.key_account)
		elif row.key_account not in settled:
			tiers[row.key_account] = row.from_tier or None
			settled.add(row.key_account)
	return tiers


def known_brand_decisions(accounts: list[str]) -> dict[str, tuple[str, str]]:
	"""Who last changed criterion 1 and when, from the account's tracked changes (Version)."""
	version = frappe.qb.DocType("Version")
	rows = (
		frappe.qb.from_(version)
		.select(version.docname, version.owner, version.creation, version.data)
		.where(
			(version.ref_doctype == "Key Account")
			& version.docname.isin(accounts)
			& version.data.like('%"criterion_known_brand"%')
		)
		.orderby(version.creation)
		.run(as_dict=True)
		if accounts
		else []
	)
	decisions = {}
	for row in rows:
		try:
			changed = json.loads(row.data or "{}").get("changed") or []
		except ValueError:
			continue
		if any(entry and entry[0] == "criterion_known_brand" for entry in changed):
			decisions[row.docname] = (row.owner, row.creation)
	return decisions


def state(met) -> str:
	return _("Met") if met else _("Not met")


def judged(met) -> str:
	return _("Met (judgement)") if met else _("Not met (judgement)")


# The criteria the daily job measures: number, the tick a person sets, the job's tick, its evidence.
MEASURED = (
	(
		"4",
		"criterion_cooperates_well",
		"criterion_cooperates_well_measured",
		"criterion_cooperates_well_figures",
	),
	(
		"5",
		"criterion_supply_priority",
		"criterion_supply_priority_measured",
		"criterion_supply_priority_figures",
	),
	("6", "criterion_first_launch", "criterion_first_launch_measured", "criterion_first_launch_figures"),
)


def unsupported_ticks() -> dict[str, str]:
	"""For each measured criterion: what the review says when a person ticked it and the job did not."""
	return {
		"4": _("Criterion 4 is ticked, but its plans, reports and negotiations do not support it."),
		"5": _("Criterion 5 is ticked, but its orders and receipts do not support it."),
		"6": _("Criterion 6 is ticked, but its new items' orders and sales do not support it."),
	}


def measured_state(met, evidence: dict) -> str:
	return state(met) if evidence else _("Not computed")


def cooperation_columns(met, evidence: dict) -> dict:
	return {
		"criterion_4_measured": measured_state(met, evidence),
		"plans_on_time_rate": evidence.get("plans_on_time_rate"),
		"reports_answered_rate": evidence.get("reports_answered_rate"),
		"negotiations_per_quarter": evidence.get("negotiations_per_quarter"),
	}


def supply_columns(met, evidence: dict) -> dict:
	return {
		"criterion_5": measured_state(met, evidence),
		"fill_rate": evidence.get("fill_rate"),
		"on_time_rate": evidence.get("on_time_rate"),
		"peer_fill_rate": evidence.get("peer_fill_rate"),
		"peer_on_time_rate": evidence.get("peer_on_time_rate"),
	}


def launch_columns(met, evidence: dict) -> dict:
	return {
		"criterion_6_measured": measured_state(met, evidence),
		"new_items": evidence.get("new_items"),
		"median_days_to_sale": evidence.get("median_days_to_sale"),
		"peer_median_days_to_sale": evidence.get("peer_median_days_to_sale"),
	}


def account_rows(today: date) -> list[dict]:
	accounts = frappe.get_all(
		"Key Account",
		fields=list(ACCOUNT_FIELDS),
		order_by="name",
	)
	names = [account.name for account in accounts]
	year_ago = one_year_before(today)
	before = tiers_on(year_ago, names)
	decisions = known_brand_decisions(names)
	unsupported = unsupported_ticks()
	rows = []
	for account in accounts:
		evidence = {
			number: stored_evidence(account.get(figures)) for number, _ticked, _measured, figures in MEASURED
		}
		measured = {number: account.get(fieldname) for number, _ticked, fieldname, _figures in MEASURED}
		who, when = decisions.get(account.name, (account.owner, account.creation))
		flags = []
		if account.tier and not account.computed_tier:
			flags.append(_("Its purchases no longer reach a key-account tier."))
		elif account.tier_locked and account.computed_tier != account.tier:
			flags.append(
				_("Tier locked at {0}; its purchases give {1}.").format(
					_(account.tier or "no tier"), _(account.computed_tier or "no tier")
				)
			)
		computed = {"2": account.criterion_top_ten_brand, "3": account.criterion_large_share, **measured}
		unmet = [number for number, met in sorted(computed.items()) if not met]
		if account.tier and unmet:
			flags.append(_("Computed criteria not met: {0}.").format(", ".join(unmet)))
		flags.extend(
			unsupported[number]
			for number, ticked, _measured, _figures in MEASURED
			if account.get(ticked) and evidence[number] and not measured[number]
		)
		rows.append(
			{
				"key_account": account.name,
				"tier": _(account.tier) if account.tier else "",
				"tier_year_ago": _(before.get(account.name, account.tier) or "") or "",
				"criterion_1": judged(account.criterion_known_brand),
				"criterion_1_by": get_fullname(who) if who else "",
				"criterion_1_on": when,
				"criterion_2": state(account.criterion_top_ten_brand),
				"criterion_3": state(account.criterion_large_share),
				"criterion_4": judged(account.criterion_cooperates_well),
				**cooperation_columns(measured["4"], evidence["4"]),
				**supply_columns(measured["5"], evidence["5"]),
				"criterion_6": judged(account.criterion_first_launch),
				**launch_columns(measured["6"], evidence["6"]),
				"flags": " ".join(flags),
			}
		)
	return rows


def candidate_rows(today: date) -> list[dict]:
	"""Suppliers in no account whose purchases reach a tier (the Key Account Candidates), with their
	supply measured as an account's would be."""
	from key_account_mgmt.key_account_management.report.key_account_candidates.key_account_candidates import (
		rows as candidates,
	)
	from key_account_mgmt.tiering.core import rolling_twelve_months

	found = candidates()
	if not found:
		return []
	window = rolling_twelve_months(today)
	figures = supply_evidence.supply_figures(window.start, window.end)
	limits = supply_evidence.thresholds()
	launches = launch_evidence.launch_figures(window.start, window.end)
	minimum = launch_evidence.min_new_items()
	rows = []
	for candidate in found:
		measured = supply_evidence.measure({candidate["supplier"]}, figures, limits)
		evidence = measured["evidence"]
		launch = launch_evidence.measure({candidate["supplier"]}, launches, minimum)
		rows.append(
			{
				"supplier": candidate["supplier"],
				"tier": candidate["tier"],
				**supply_columns(measured["met"], evidence),
				**launch_columns(launch["met"], launch["evidence"]),
				"flags": _("In no key account: its purchases of the last twelve months reach {0}.").format(
					candidate["tier"]
				),
			}
		)
	return rows


def review(today: date | None = None) -> list[dict]:
	today = getdate(today)
	return account_rows(today) + candidate_rows(today)
