"""The Joint Promotion workflow's states and actions.

Workflow State and Workflow Action Master records are shared by every app on the site ("Approved",
"Reject", ...), so the app does not ship them as fixtures, which would overwrite another app's style on
each migrate: it creates the ones that are missing and leaves existing ones as they are, and records
which it created, so that an uninstall removes those (when no other workflow names them) and no other.
The Workflow itself is a fixture."""

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

# site defaults (tabDefaultValue, parent "__default") naming what the app created
CREATED_STATES = "key_account_mgmt_created_workflow_states"
CREATED_ACTIONS = "key_account_mgmt_created_workflow_actions"


def ensure_promotion_workflow_masters() -> None:
	recorded = created_workflow_masters()
	states, actions = recorded or (set(), set())
	known = len(states) + len(actions)
	for state, style in PROMOTION_STATES.items():
		if not frappe.db.exists("Workflow State", state):
			frappe.get_doc(
				{"doctype": "Workflow State", "workflow_state_name": state, "style": style}
			).insert(ignore_permissions=True)
			states.add(state)
	for action in PROMOTION_ACTIONS:
		if not frappe.db.exists("Workflow Action Master", action):
			frappe.get_doc({"doctype": "Workflow Action Master", "workflow_action_name": action}).insert(
				ignore_permissions=True
			)
			actions.add(action)
	# A site that had the app before it kept this record has none: uninstall then falls back on names.
	installing = recorded is None and frappe.flags.in_install == "key_account_mgmt"
	if installing or len(states) + len(actions) > known:
		frappe.db.set_default(CREATED_STATES, frappe.as_json(sorted(states)))
		frappe.db.set_default(CREATED_ACTIONS, frappe.as_json(sorted(actions)))


def created_workflow_masters() -> tuple[set[str], set[str]] | None:
	"""The states and actions the app created; None on a site installed before it recorded them."""
	states, actions = frappe.db.get_default(CREATED_STATES), frappe.db.get_default(CREATED_ACTIONS)
	if states is None or actions is None:
		return None
	return set(frappe.parse_json(states)), set(frappe.parse_json(actions))


def forget_created_workflow_masters() -> None:
	for key in (CREATED_STATES, CREATED_ACTIONS):
		frappe.defaults.clear_default(key, parent="__default")
