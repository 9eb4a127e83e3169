"""The Joint Promotion workflow's states and actions.

Workflow State and Workflow Action Master records are shared by every app on the site ("Approved",
"Reject", ...), so the app does not ship them as fixtures, which would overwrite another app's style on
each migrate: it creates the ones that are missing and leaves existing ones as they are. The Workflow
itself is a fixture."""

import frappe

PROMOTION_STATES = {
	"Draft": "Inverse",
	"Proposed": "Warning",
	"Rejected": "Danger",
	"Approved": "Success",
	"Running": "Primary",
	"Completed": "Info",
	"Evaluated": "Success",
}
PROMOTION_ACTIONS = ("Propose", "Approve", "Reject", "Revise", "Start", "Complete", "Evaluate")


def ensure_promotion_workflow_masters() -> None:
	for state, style in PROMOTION_STATES.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
	for action in PROMOTION_ACTIONS:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
