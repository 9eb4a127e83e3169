# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils import add_days, getdate, now_datetime

from key_account_mgmt.key_account_management.report.open_agreements.open_agreements import execute
from key_account_mgmt.tests.factories import (
	ContactRoleFactory,
	KeyAccountFactory,
	NegotiationLogFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase


class TestNegotiationLog(KeyAccountTestCase):
	@classmethod
	def make_class_records(cls):
		cls.owner = UserFactory(roles_held=["Key Account User"]).name

	def setUp(self):
		super().setUp()
		self.account = KeyAccountFactory(account_name="Gree Test").name
		self.buyer = ContactRoleFactory(key_account=self.account, level="Purchasing Director").name

	def agreement(self, text, due_in_days, **extra):
		return {
			"agreement": text,
			"due_date": add_days(getdate(), due_in_days),
			"responsible": self.owner,
			**extra,
		}

	def test_submitting_freezes_the_log_and_turns_open_agreements_into_todos(self):
		log = NegotiationLogFactory(
			key_account=self.account,
			theirs=[self.buyer],
			agreements=[
				self.agreement("Extra 2% rebate on split ACs", 30, value=400_000),
				self.agreement("Joint launch of the 2027 range", 60),
				self.agreement("Already settled", 10, status="Done"),
			],
			submit=True,
		)
		todos = frappe.get_all(
			"ToDo",
			filters={"reference_type": log.doctype, "reference_name": log.name},
			fields=["allocated_to", "description", "date", "status"],
			order_by="date",
		)
		self.assertEqual([(t.allocated_to, t.status) for t in todos], [(self.owner, "Open")] * 2)
		self.assertIn("Extra 2% rebate on split ACs", todos[0].description)
		self.assertEqual(getdate(todos[0].date), add_days(getdate(), 30))
		self.assertEqual(
			getdate(frappe.db.get_value("Key Account Contact Role", self.buyer, "last_contact_date")),
			getdate(),
		)
		log.reload()
		log.summary = "rewritten after the fact"
		self.assertRaises(frappe.UpdateAfterSubmitError, log.save)

	def test_an_agreement_marked_done_closes_its_todo_and_cancelling_cancels_the_rest(self):
		log = NegotiationLogFactory(
			key_account=self.account,
			theirs=[self.buyer],
			agreements=[
				self.agreement("Deliver the display units", 5),
				self.agreement("Training for staff", 20),
			],
			submit=True,
		)
		log.reload()
		log.agreements[0].status = "Done"
		log.save()
		self.assertEqual(frappe.db.get_value("ToDo", log.agreements[0].todo, "status"), "Closed")
		log.cancel()
		self.assertEqual(frappe.db.get_value("ToDo", log.agreements[1].todo, "status"), "Cancelled")

	def test_the_log_shows_on_the_accounts_timeline(self):
		self.assertEqual(frappe.get_meta("Key Account Negotiation Log").timeline_field, "key_account")

	def test_a_negotiation_without_participants_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Name who took part"):
			NegotiationLogFactory(key_account=self.account, theirs=[])
		with self.assertRaisesRegex(frappe.ValidationError, "Name who took part"):
			NegotiationLogFactory(key_account=self.account, theirs=[self.buyer], ours=[])

	def test_a_contact_of_another_account_is_refused(self):
		outsider = ContactRoleFactory().name
		with self.assertRaisesRegex(frappe.ValidationError, "is a contact of key account"):
			NegotiationLogFactory(key_account=self.account, theirs=[self.buyer, outsider])

	def test_an_agreement_due_before_the_meeting_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "before the meeting"):
			NegotiationLogFactory(
				key_account=self.account, theirs=[self.buyer], agreements=[self.agreement("Too late", -1)]
			)

	def test_open_agreements_report_lists_open_and_overdue_ones_by_account_and_owner(self):
		log = NegotiationLogFactory(
			key_account=self.account,
			theirs=[self.buyer],
			negotiation_datetime=add_days(now_datetime(), -20).replace(microsecond=0),
			agreements=[
				self.agreement("Overdue price list", -5),
				self.agreement("Upcoming promotion plan", 10),
				self.agreement("Finished", -3, status="Done"),
			],
			submit=True,
		)
		_columns, rows = execute({"key_account": self.account})
		owner = frappe.utils.get_fullname(self.owner)  # the report names people, not e-mails
		self.assertEqual(
			[(row.agreement, row.responsible, row.days_overdue, row.negotiation_log) for row in rows],
			[
				("Overdue price list", owner, 5, log.name),
				("Upcoming promotion plan", owner, 0, log.name),
			],
		)
		_columns, overdue = execute({"key_account": self.account, "overdue_only": 1})
		self.assertEqual([row.agreement for row in overdue], ["Overdue price list"])

	def test_key_account_users_keep_logs_and_others_cannot(self):
		frappe.set_user(self.owner)
		log = NegotiationLogFactory(
			key_account=self.account, theirs=[self.buyer], ours=[self.owner], submit=True
		)
		self.assertEqual(log.docstatus, 1)
		frappe.set_user("Administrator")
		outsider = UserFactory(roles_held=["Accounts User"]).name
		frappe.set_user(outsider)
		self.assertRaises(
			frappe.PermissionError,
			NegotiationLogFactory,
			key_account=self.account,
			theirs=[self.buyer],
			ours=[outsider],
		)
