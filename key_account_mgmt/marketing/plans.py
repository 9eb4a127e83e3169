"""Plan exchange (Art. 18.3(1)–(4)): which plans each account owes and is owed, period by period,
and which are late."""

from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate

FROM_ACCOUNT, TO_ACCOUNT = "From the Account", "To the Account"
YEARLY, QUARTERLY, MONTHLY = "Yearly", "Quarterly", "Monthly"
ALL_TIERS = ("Ordinary", "Partner", "Strategic")


@dataclass(frozen=True)
class PlanRule:
	plan_type: str
	direction: str
	every: str
	tiers: tuple[str, ...] = ALL_TIERS


# What Art. 18.3 asks: the year's plans at the start of the year, the quarter's at the start of each
# quarter, the short promotion plan each month (from the larger accounts only).
PLAN_RULES = (
	PlanRule("Annual Market Plan", FROM_ACCOUNT, YEARLY),
	PlanRule("Soft and Hard Advertising Plan", FROM_ACCOUNT, QUARTERLY),
	PlanRule("Short Promotion Plan", FROM_ACCOUNT, MONTHLY, ("Partner", "Strategic")),
	PlanRule("Annual Marketing Spend Plan", FROM_ACCOUNT, YEARLY),
	PlanRule("Quarterly Marketing Spend Plan", FROM_ACCOUNT, QUARTERLY, ("Partner", "Strategic")),
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
	created = 0
	for account in frappe.get_all("Key Account", filters={"tier": ("is", "set")}, fields=["name", "tier"]):
		for rule in PLAN_RULES:
			if account.tier not in rule.tiers:
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


def mark_overdue_plans(today: date | None = None) -> list[str]:
	"""Plans still expected after the grace period become Overdue; the account manager is told."""
	cutoff = add_days(getdate(today), -grace_days())
	overdue = frappe.get_all(
		"Key Account Plan",
		filters={"status": "Expected", "due_date": ("<", cutoff)},
		fields=["name", "key_account", "plan_type", "direction", "due_date"],
	)
	for plan in overdue:
		frappe.db.set_value("Key Account Plan", plan.name, "status", "Overdue")
		manager = frappe.db.get_value("Key Account", plan.key_account, "account_manager")
		if manager:
			frappe.get_doc(
				{
					"doctype": "Notification Log",
					"for_user": manager,
					"type": "Alert",
					"document_type": "Key Account Plan",
					"document_name": plan.name,
					"subject": _("{0}: {1} was due on {2} and is overdue.").format(
						plan.key_account, _(plan.plan_type), frappe.format(plan.due_date, "Date")
					),
				}
			).insert(ignore_permissions=True)
	return [plan.name for plan in overdue]


def run_plan_calendar() -> None:
	"""Scheduled daily."""
	create_expected_plans()
	mark_overdue_plans()
	frappe.db.commit()
