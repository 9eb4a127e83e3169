"""Plan exchange (Art. 18.3(1)–(4)): which plans each account owes and is owed, period by period,
and which are late."""

from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate

from key_account_mgmt.jobs import for_each_account
from key_account_mgmt.language import in_language, user_language
from key_account_mgmt.tiering.core import tier_rank
from key_account_mgmt.tiering.settings import get_tiering_settings

FROM_ACCOUNT, TO_ACCOUNT = "From the Account", "To the Account"
YEARLY, QUARTERLY, MONTHLY = "Yearly", "Quarterly", "Monthly"


@dataclass(frozen=True)
class PlanRule:
	plan_type: str
	direction: str
	every: str
	# The rank of the lowest band that owes the plan: 1 is every key account, 2 the bands above the
	# lowest (Partner and Strategic under the default bands). Ranks, not names, so renamed bands keep
	# their plans.
	from_rank: int = 1


# What Art. 18.3 asks: the year's plans at the start of the year, the quarter's at the start of each
# quarter, the short promotion plan each month (from the larger accounts only).
PLAN_RULES = (
	PlanRule("Annual Market Plan", FROM_ACCOUNT, YEARLY),
	PlanRule("Soft and Hard Advertising Plan", FROM_ACCOUNT, QUARTERLY),
	PlanRule("Short Promotion Plan", FROM_ACCOUNT, MONTHLY, from_rank=2),
	PlanRule("Annual Marketing Spend Plan", FROM_ACCOUNT, YEARLY),
	PlanRule("Quarterly Marketing Spend Plan", FROM_ACCOUNT, QUARTERLY, from_rank=2),
	PlanRule("Annual Brand Sales Plan", FROM_ACCOUNT, YEARLY),
	PlanRule("Major Events Plan", TO_ACCOUNT, YEARLY),
	PlanRule("Seasonal Promotion Schedule", TO_ACCOUNT, QUARTERLY),
)


def period_start(every: str, day: date) -> date:
	if every == YEARLY:
		return date(day.year, 1, 1)
	if every == QUARTERLY:
		return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
	return date(day.year, day.month, 1)


def grace_days() -> int:
	return cint(frappe.db.get_single_value("Key Account Settings", "plan_grace_days")) or 10


def create_expected_plans(today: date | None = None) -> int:
	"""Each key account's plan records for the periods that have begun; run daily, idempotent."""
	today = getdate(today)
	bands = get_tiering_settings().bands
	return sum(
		create_account_plans(account, tier_rank(account.tier, bands), today)
		for account in frappe.get_all("Key Account", filters={"tier": ("is", "set")}, fields=["name", "tier"])
	)


def create_account_plans(account, rank: int, today: date) -> int:
	created = 0
	for rule in PLAN_RULES:
		if not rank or rank < rule.from_rank:
			continue
		start = period_start(rule.every, today)
		if frappe.db.exists(
			"Key Account Plan",
			{"key_account": account.name, "plan_type": rule.plan_type, "period_start": start},
		):
			continue
		frappe.get_doc(
			{
				"doctype": "Key Account Plan",
				"key_account": account.name,
				"plan_type": rule.plan_type,
				"direction": rule.direction,
				"period_start": start,
				"due_date": start,
				"status": "Expected",
			}
		).insert(ignore_permissions=True)
		created += 1
	return created


def overdue_plans(today: date | None = None) -> list[dict]:
	cutoff = add_days(getdate(today), -grace_days())
	return frappe.get_all(
		"Key Account Plan",
		filters={"status": "Expected", "due_date": ("<", cutoff)},
		fields=["name", "key_account", "plan_type", "direction", "due_date"],
		order_by="key_account, due_date",
	)


def mark_overdue_plans(today: date | None = None) -> list[str]:
	"""Plans still expected after the grace period become Overdue; the account manager is told."""
	overdue = overdue_plans(today)
	for plan in overdue:
		mark_overdue(plan)
	return [plan.name for plan in overdue]


def mark_overdue(plan) -> None:
	frappe.db.set_value("Key Account Plan", plan.name, "status", "Overdue")
	manager = frappe.db.get_value("Key Account", plan.key_account, "account_manager")
	if not manager:
		return
	with in_language(user_language(manager)):  # the manager's language, not the job's
		subject = _("{0}: {1} was due on {2} and is overdue.").format(
			plan.key_account, _(plan.plan_type), frappe.format(plan.due_date, "Date")
		)
	frappe.get_doc(
		{
			"doctype": "Notification Log",
			"for_user": manager,
			"type": "Alert",
			"document_type": "Key Account Plan",
			"document_name": plan.name,
			"subject": subject,
		}
	).insert(ignore_permissions=True)


def plan_calendar(today: date | None = None) -> list[str]:
	"""Each account's expected plans created and its late ones marked, account by account: one that
	fails is rolled back and logged, the others go on. Returns the accounts that failed."""
	today = getdate(today)
	bands = get_tiering_settings().bands
	accounts = {
		account.name: account
		for account in frappe.get_all("Key Account", fields=["name", "tier"], order_by="name")
	}
	overdue: dict[str, list] = {}
	for plan in overdue_plans(today):
		overdue.setdefault(plan.key_account, []).append(plan)

	def run(name: str) -> None:
		account = accounts[name]
		if account.tier:
			create_account_plans(account, tier_rank(account.tier, bands), today)
		for plan in overdue.get(name, []):
			mark_overdue(plan)

	return for_each_account(accounts, run, "Plan calendar")


def run_plan_calendar() -> None:
	"""Scheduled daily."""
	plan_calendar()
	frappe.db.commit()
