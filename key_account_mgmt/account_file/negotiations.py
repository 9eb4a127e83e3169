"""Negotiation logs (Art. 17.1–2): who met, what was agreed, and the follow-up each agreement needs."""

import frappe
from frappe import _
from frappe.utils import get_datetime, getdate

from key_account_mgmt.language import in_language, user_language

CLOSED_TODO_STATUS = {"Done": "Closed", "Cancelled": "Cancelled"}


def validate_participants(log) -> None:
	if not log.our_participants or not log.their_participants:
		frappe.throw(
			_("Name who took part: at least one of our people and one of the account's contacts."),
			title=_("Participants Missing"),
		)


def validate_counterparts_belong_to_account(log) -> None:
	for row in log.their_participants:
		account = frappe.db.get_value("Key Account Contact Role", row.contact_role, "key_account")
		if account != log.key_account:
			frappe.throw(
				_("Row {0}: {1} is a contact of key account {2}, not of {3}.").format(
					row.idx,
					row.contact_name or row.contact_role,
					frappe.bold(account),
					frappe.bold(log.key_account),
				),
				title=_("Contact of Another Account"),
			)


def validate_agreement_dates(log) -> None:
	meeting_day = getdate(log.negotiation_datetime)
	for row in log.agreements:
		if row.due_date and getdate(row.due_date) < meeting_day:
			frappe.throw(
				_("Agreement in row {0} is due on {1}, before the meeting on {2}.").format(
					row.idx, frappe.format(row.due_date, "Date"), frappe.format(meeting_day, "Date")
				),
				title=_("Agreement Due Before the Meeting"),
			)


def clear_todo_links(log) -> None:
	"""A draft has no ToDos: the app creates them on submit and links each row to its own."""
	for row in log.agreements:
		row.todo = None


def refuse_agreement_rows_after_submit(log) -> None:
	"""A submitted log's agreements change status only: adding or removing one needs an amendment."""
	stored = set(
		frappe.get_all(
			"Key Account Agreement",
			filters={"parent": log.name, "parenttype": log.doctype, "parentfield": "agreements"},
			pluck="name",
		)
	)
	if {row.name for row in log.agreements} != stored:
		frappe.throw(
			_("Agreements cannot be added to or removed from a submitted negotiation log; amend it instead."),
			title=_("Log Submitted"),
		)


def keep_todo_links(log) -> None:
	"""After submit each row keeps the ToDo the app linked it to; a new row has none yet."""
	stored = dict(
		frappe.get_all(
			"Key Account Agreement",
			filters={"parent": log.name, "parenttype": log.doctype, "parentfield": "agreements"},
			fields=["name", "todo"],
			as_list=True,
		)
	)
	for row in log.agreements:
		row.todo = stored.get(row.name)


def create_agreement_todos(log) -> None:
	"""Each open agreement with an owner becomes a ToDo assigned to that owner."""
	for row in log.agreements:
		if row.status != "Open" or not row.responsible or row.todo:
			continue
		# in the owner's language: the ToDo is theirs, not the language of whoever submitted the log
		with in_language(user_language(row.responsible)):
			description = _("Agreement with {0}: {1}").format(log.key_account, row.agreement)
		todo = frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": row.responsible,
				"description": description,
				"date": row.due_date,
				"reference_type": log.doctype,
				"reference_name": log.name,
				"assigned_by": frappe.session.user,
			}
		).insert(ignore_permissions=True)
		row.db_set("todo", todo.name)


def close_agreement_todos(log, cancelled: bool = False) -> None:
	"""Closes only ToDos this log created: one that refers to anything else is left alone."""
	for row in log.agreements:
		if not row.todo:
			continue
		status = "Cancelled" if cancelled else CLOSED_TODO_STATUS.get(row.status)
		if not status:
			continue
		todo = frappe.db.get_value(
			"ToDo", row.todo, ["status", "reference_type", "reference_name"], as_dict=True
		)
		if (
			todo
			and todo.status == "Open"
			and (todo.reference_type, todo.reference_name)
			== (
				log.doctype,
				log.name,
			)
		):
			frappe.db.set_value("ToDo", row.todo, "status", status)


def update_last_contact_dates(log) -> None:
	day = getdate(get_datetime(log.negotiation_datetime))
	for row in log.their_participants:
		last = frappe.db.get_value("Key Account Contact Role", row.contact_role, "last_contact_date")
		if not last or getdate(last) < day:
			frappe.db.set_value("Key Account Contact Role", row.contact_role, "last_contact_date", day)
