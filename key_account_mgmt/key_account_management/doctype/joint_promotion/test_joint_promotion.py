"""The Joint Promotion workflow as the people who hold its roles use it."""

import frappe
from frappe.model.workflow import WorkflowTransitionError, apply_workflow
from frappe.utils import add_days, getdate

from key_account_mgmt.setup.workflow import ensure_promotion_workflow_masters
from key_account_mgmt.tests.factories import KeyAccountFactory, UserFactory
from key_account_mgmt.tests.utils import KeyAccountTestCase

KAU, KAM = "Key Account User", "Key Account Manager"


def form_is_editable(promotion, user: str) -> bool:
	"""The desk's rule (frappe.workflow.is_read_only): a saved document is editable by a user holding
	one of the roles its current state allows to edit."""
	allowed = frappe.get_all(
		"Workflow Document State",
		filters={"parent": "Joint Promotion", "state": promotion.workflow_state},
		pluck="allow_edit",
	)
	return bool(set(allowed) & set(frappe.get_roles(user)))


class TestPromotionWorkflow(KeyAccountTestCase):
	@classmethod
	def make_class_records(cls):
		cls.clerk = UserFactory(roles_held=[KAU]).name
		cls.manager = UserFactory(roles_held=[KAM]).name

	def setUp(self):
		super().setUp()
		self.account = KeyAccountFactory().name

	def promotion(self, user: str):
		frappe.set_user(user)
		today = getdate()
		promotion = frappe.get_doc(
			{
				"doctype": "Joint Promotion",
				"title": "Autumn washing machines",
				"key_account": self.account,
				"cooperation_form": "On-Site Promotion",
				"from_date": today,
				"to_date": add_days(today, 9),
				"total_budget": 200_000,
				"our_share_percent": 50,
				"account_share_percent": 50,
			}
		).insert()
		frappe.set_user("Administrator")
		return promotion

	def act(self, user: str, promotion, action: str):
		frappe.set_user(user)
		try:
			return apply_workflow(frappe.get_doc("Joint Promotion", promotion.name), action)
		finally:
			frappe.set_user("Administrator")

	def test_a_manager_keeps_editing_the_draft_they_saved(self):
		promotion = self.promotion(self.manager)
		self.assertEqual(promotion.workflow_state, "Draft")
		self.assertTrue(form_is_editable(promotion, self.manager))
		self.assertTrue(form_is_editable(promotion, self.clerk))

	def test_a_user_proposes_and_a_manager_approves(self):
		promotion = self.act(self.clerk, self.promotion(self.clerk), "Propose")
		self.assertEqual(promotion.workflow_state, "Proposed")
		self.assertRaises(WorkflowTransitionError, self.act, self.clerk, promotion, "Approve")
		promotion = self.act(self.manager, promotion, "Approve")
		self.assertEqual(promotion.workflow_state, "Approved")

	def test_a_rejected_promotion_stays_rejected_until_its_proposer_revises_it(self):
		promotion = self.act(self.clerk, self.promotion(self.clerk), "Propose")
		self.assertRaises(WorkflowTransitionError, self.act, self.clerk, promotion, "Reject")
		promotion = self.act(self.manager, promotion, "Reject")
		self.assertEqual((promotion.workflow_state, promotion.docstatus), ("Rejected", 0))
		self.assertTrue(form_is_editable(promotion, self.clerk))
		self.assertRaises(WorkflowTransitionError, self.act, self.clerk, promotion, "Approve")
		promotion = self.act(self.clerk, promotion, "Revise")
		self.assertEqual(promotion.workflow_state, "Draft")
		self.assertEqual(self.act(self.clerk, promotion, "Propose").workflow_state, "Proposed")


class TestSharedWorkflowMasters(KeyAccountTestCase):
	def test_the_app_ships_no_workflow_states_or_actions_other_apps_use(self):
		shipped = {fixture["dt"] for fixture in frappe.get_hooks("fixtures", app_name="key_account_mgmt")}
		self.assertEqual(shipped, {"Role", "Workflow"})

	def test_missing_states_and_actions_are_created_and_existing_ones_left_alone(self):
		frappe.db.set_value("Workflow State", "Approved", "style", "Primary")
		frappe.delete_doc("Workflow Action Master", "Revise", force=True)
		ensure_promotion_workflow_masters()
		self.assertEqual(frappe.db.get_value("Workflow State", "Approved", "style"), "Primary")
		self.assertTrue(frappe.db.exists("Workflow Action Master", "Revise"))
		self.assertEqual(frappe.db.get_value("Workflow State", "Rejected", "style"), "Danger")
