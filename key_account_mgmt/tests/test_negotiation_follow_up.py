"""After a negotiation log is submitted: it shows on its account's timeline, its agreements are fixed
(status aside), and an amendment gives its open agreements ToDos of their own."""

import frappe
from frappe.desk.form.load import getdoc
from frappe.utils import add_days, getdate

from key_account_mgmt.tests.factories import (
	ContactRoleFactory,
	KeyAccountFactory,
	NegotiationLogFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase


class TestNegotiationFollowUp(KeyAccountTestCase):
	@classmethod
	def make_class_records(cls):
		cls.owner = UserFactory(roles_held=["Key Account User"]).name

	def setUp(self):
		super().setUp()
		self.account = KeyAccountFactory().name

	def log(self, subject="Rebates 2027", submit=True):
		return NegotiationLogFactory(
			key_account=self.account,
			subject=subject,
			theirs=[ContactRoleFactory(key_account=self.account).name],
			agreements=[
				{"agreement": "Rebate", "due_date": add_days(getdate(), 9), "responsible": self.owner}
			],
			submit=submit,
		)

	def timeline_as(self, user: str) -> str:
		frappe.set_user(user)
		try:
			getdoc("Key Account", self.account)
			return " ".join(item["content"] for item in frappe.response.docinfo.additional_timeline_content)
		finally:
			frappe.set_user("Administrator")

	def test_a_submitted_log_shows_on_the_accounts_timeline_a_draft_or_cancelled_one_does_not(self):
		submitted = self.log("Rebates 2027")
		draft = self.log("Draft talks", submit=False)
		cancelled = self.log("Called off")
		cancelled.cancel()
		timeline = self.timeline_as(self.owner)
		self.assertIn(submitted.name, timeline)
		self.assertIn("Rebates 2027", timeline)
		self.assertNotIn(draft.name, timeline)
		self.assertNotIn(cancelled.name, timeline)
		# finance reads the account, not its negotiations
		finance = UserFactory(roles_held=["Accounts User", "Purchase User"]).name
		self.assertNotIn(submitted.name, self.timeline_as(finance))

	def test_an_agreement_cannot_be_added_to_a_submitted_log(self):
		log = self.log()
		log.reload()
		log.append("agreements", {"agreement": "Slipped in later", "responsible": self.owner})
		self.assertRaisesRegex(frappe.ValidationError, "amend it instead", log.save)
		self.assertFalse(frappe.db.exists("ToDo", {"description": ("like", "%Slipped in later%")}))

	def test_an_amended_logs_open_agreements_get_their_own_todos(self):
		log = self.log()
		log.reload()
		cancelled_todo = log.agreements[0].todo
		log.cancel()
		amended = frappe.copy_doc(log)
		amended.update({"amended_from": log.name, "docstatus": 0})
		amended.insert()
		amended.submit()
		todo = amended.agreements[0].todo
		self.assertTrue(todo)
		self.assertNotEqual(todo, cancelled_todo)
		self.assertEqual(
			frappe.db.get_value("ToDo", todo, ["status", "reference_name"]), ("Open", amended.name)
		)
		self.assertEqual(frappe.db.get_value("ToDo", cancelled_todo, "status"), "Cancelled")
