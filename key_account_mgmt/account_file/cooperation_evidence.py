"""Qualification criterion 4 (Art. 4: "cooperates well") measured from the app's own records of the
account over a period:
- plans sent on time: the Key Account Plans due from the account in the period, and of them those
  received on or before their due date (the Plan Exchange Status report's "days late" of 0);
- monthly reports answered: the Key Account Monthly Reports of the months in the period, and of them
  those where the account filled in at least one of its answers (competitors' sales, model mix, our
  share of the brand, model strengths, inventory and orders, requests and suggestions);
- negotiation frequency: the submitted Negotiation Logs held in the period, per quarter;
- joint promotions: those approved to run in the period, and of them those where the account bears a
  share of the cost. The records hold the agreed share, not whether it was paid, so promotions are
  shown and not part of the rule.

The rule: met when the share of plans sent on time and the share of monthly reports answered reach
the thresholds in Key Account Settings (each only when the period holds any), and the account held at
least the set number of negotiations per quarter."""

from collections import defaultdict
from datetime import date, timedelta

import frappe
from dateutil.relativedelta import relativedelta
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import flt, getdate

from key_account_mgmt.account_file.supply_evidence import percent
from key_account_mgmt.jobs import refresh_measured_criterion
from key_account_mgmt.marketing.promotions import APPROVED_STATES
from key_account_mgmt.tiering.core import Window, rolling_twelve_months

DEFAULT_PLANS_ON_TIME = 80.0
DEFAULT_REPORTS_ANSWERED = 80.0
DEFAULT_NEGOTIATIONS_PER_QUARTER = 1.0
ANSWERS = (
	"competitor_sales_view",
	"competitor_model_mix",
	"our_share_of_brand",
	"model_strengths",
	"inventory_and_orders",
	"requests_and_suggestions",
)
FIELDS = ("criterion_cooperates_well_measured", "criterion_cooperates_well_figures")


def thresholds() -> dict:
	settings = frappe.get_cached_doc("Key Account Settings")
	return {
		"plans_threshold": flt(settings.get("cooperation_plans_on_time_percent")) or DEFAULT_PLANS_ON_TIME,
		"reports_threshold": flt(settings.get("cooperation_reports_answered_percent"))
		or DEFAULT_REPORTS_ANSWERED,
		"negotiations_threshold": flt(settings.get("cooperation_negotiations_per_quarter"))
		or DEFAULT_NEGOTIATIONS_PER_QUARTER,
	}


def quarters(window: Window) -> float:
	"""The period's length in quarters: twelve months to any day are four, whichever day they start."""
	span = relativedelta(window.end + timedelta(days=1), window.start)
	return (span.years * 12 + span.months + span.days / 30) / 3


def cooperation_figures(window: Window) -> dict[str, dict]:
	"""Every account's counts over the period: one scan per kind of record."""
	start, end = window.start, window.end
	figures: dict[str, dict] = defaultdict(dict)

	plan = frappe.qb.DocType("Key Account Plan")
	for account, due, on_time in (
		frappe.qb.from_(plan)
		.select(
			plan.key_account,
			Count(plan.name),
			Sum(Case().when((plan.status == "Received") & (plan.received_on <= plan.due_date), 1).else_(0)),
		)
		.where((plan.direction == "From the Account") & plan.due_date[start:end])
		.groupby(plan.key_account)
		.run()
	):
		figures[account].update(plans_due=int(due), plans_on_time=int(flt(on_time)))

	report = frappe.qb.DocType("Key Account Monthly Report")
	answered = None
	for fieldname in ANSWERS:
		filled = report[fieldname].notnull() & (report[fieldname] != "")
		answered = filled if answered is None else answered | filled
	for account, reports, answers in (
		frappe.qb.from_(report)
		.select(report.key_account, Count(report.name), Sum(Case().when(answered, 1).else_(0)))
		.where(report.month[start:end])
		.groupby(report.key_account)
		.run()
	):
		figures[account].update(reports=int(reports), reports_answered=int(flt(answers)))

	log = frappe.qb.DocType("Key Account Negotiation Log")
	for account, held in (
		frappe.qb.from_(log)
		.select(log.key_account, Count(log.name))
		.where(
			(log.docstatus == 1)
			& (log.negotiation_datetime >= start)
			& (log.negotiation_datetime < frappe.utils.add_days(end, 1))
		)
		.groupby(log.key_account)
		.run()
	):
		figures[account]["negotiations"] = int(held)

	promotion = frappe.qb.DocType("Joint Promotion")
	for account, held, shared in (
		frappe.qb.from_(promotion)
		.select(
			promotion.key_account,
			Count(promotion.name),
			Sum(Case().when(promotion.account_share_percent > 0, 1).else_(0)),
		)
		.where(promotion.workflow_state.isin(APPROVED_STATES) & promotion.from_date[start:end])
		.groupby(promotion.key_account)
		.run()
	):
		figures[account].update(promotions=int(held), promotions_shared=int(flt(shared)))
	return figures


def rate(part: int, whole: int) -> float | None:
	return round(100 * part / whole, 1) if whole else None


def measure(counted: dict, window: Window, limits: dict) -> dict:
	"""Criterion 4 of one account from its counts: met or not, and its evidence as data."""
	plans_due, plans_on_time = counted.get("plans_due", 0), counted.get("plans_on_time", 0)
	reports, answered = counted.get("reports", 0), counted.get("reports_answered", 0)
	negotiations = counted.get("negotiations", 0)
	per_quarter = round(negotiations / quarters(window), 2)
	evidence = {
		"kind": "cooperation",
		"from": str(window.start),
		"to": str(window.end),
		"plans_due": plans_due,
		"plans_on_time": plans_on_time,
		"plans_on_time_rate": rate(plans_on_time, plans_due),
		"reports": reports,
		"reports_answered": answered,
		"reports_answered_rate": rate(answered, reports),
		"negotiations": negotiations,
		"negotiations_per_quarter": per_quarter,
		"promotions": counted.get("promotions", 0),
		"promotions_shared": counted.get("promotions_shared", 0),
		**limits,
	}
	met = bool(
		(not plans_due or evidence["plans_on_time_rate"] >= limits["plans_threshold"])
		and (not reports or evidence["reports_answered_rate"] >= limits["reports_threshold"])
		and per_quarter >= limits["negotiations_threshold"]
	)
	return {"met": int(met), "evidence": evidence}


def rule_text(evidence: dict) -> str:
	return _(
		"Met when at least {0}% of the plans due from it came on time and at least {1}% of its monthly"
		" reports were answered (each where any), and it held at least {2} negotiations a quarter."
	).format(
		evidence.get("plans_threshold"),
		evidence.get("reports_threshold"),
		evidence.get("negotiations_threshold"),
	)


def evidence_text(evidence: dict) -> str:
	period = _("{0} to {1}").format(
		frappe.format(evidence.get("from"), "Date"), frappe.format(evidence.get("to"), "Date")
	)
	return "\n".join(
		(
			_(
				"{0}: {1} of {2} plans due from it came on time ({3}); {4} of {5} monthly reports answered"
				" ({6})."
			).format(
				period,
				evidence.get("plans_on_time") or 0,
				evidence.get("plans_due") or 0,
				percent(evidence.get("plans_on_time_rate")),
				evidence.get("reports_answered") or 0,
				evidence.get("reports") or 0,
				percent(evidence.get("reports_answered_rate")),
			),
			_(
				"{0} negotiations submitted ({1} a quarter); {2} joint promotions approved, {3} with a share of"
				" the cost borne by the account (whether it was paid is not recorded)."
			).format(
				evidence.get("negotiations") or 0,
				evidence.get("negotiations_per_quarter") or 0,
				evidence.get("promotions") or 0,
				evidence.get("promotions_shared") or 0,
			),
			rule_text(evidence),
		)
	)


def refresh_cooperation_criterion(accounts: list[str] | None = None, today: date | None = None) -> list[str]:
	"""Criterion 4 of `accounts` (default: every key account) over the last twelve months; see
	jobs.refresh_measured_criterion. Returns the accounts that failed."""
	window = rolling_twelve_months(getdate(today))
	figures = cooperation_figures(window)
	limits = thresholds()
	return refresh_measured_criterion(
		accounts, "Cooperation", FIELDS, lambda name: measure(figures.get(name, {}), window, limits)
	)
