"""The README's "Who may do what" table against what the app declares: every DocType's permission rows,
every report's roles and the promotion workflow's transitions. Reads files only, so it runs without a
site; tests/test_role_matrix.py then checks, as users holding each role set, that the desk does what
those declarations say.

Every row of the table must be mapped below, and every doctype (but child tables) and report of the app
must be named by a row: a doctype or report added tomorrow fails here until the README says who may
use it."""

import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULE = ROOT / "key_account_mgmt" / "key_account_management"
HEADING = "## Who may do what"

# The table's columns and the roles each stands for.
COLUMNS = {
	"Key Account Manager": ("Key Account Manager",),
	"Key Account User": ("Key Account User",),
	"Accounts / Purchase User and Manager": (
		"Accounts User",
		"Accounts Manager",
		"Purchase User",
		"Purchase Manager",
	),
	"System Manager": ("System Manager",),
}
ANYONE_ELSE = "anyone else"

# What each row of the table is about: ("doctype", name, permission level), ("report", name),
# ("workspace", name), or ("elsewhere", the test that checks it) for what no declaration says.
ROWS = {
	"Key Account (file, team, qualification)": [("doctype", "Key Account", 0)],
	"Tier lock fields": [("doctype", "Key Account", 1)],
	"Contact Role": [("doctype", "Key Account Contact Role", 0)],
	"Contact Profile (personality, hobbies)": [("doctype", "Key Account Contact Profile", 0)],
	"Negotiation Log": [("doctype", "Key Account Negotiation Log", 0)],
	"Joint Promotion": [("doctype", "Joint Promotion", 0)],
	"Key Account Plan, Monthly Report, Satisfaction Survey": [
		("doctype", "Key Account Plan", 0),
		("doctype", "Key Account Monthly Report", 0),
		("doctype", "Key Account Satisfaction Survey", 0),
	],
	"Satisfaction survey dimensions": [("doctype", "Key Account Satisfaction Dimension", 0)],
	"Portal access on a Contact Role (Key Account Portal Grant)": [
		("doctype", "Key Account Portal Grant", 0)
	],
	"Key Accounts workspace": [("workspace", "Key Accounts")],
	"Key Account Register, Tier Movement, Value, Development, Behaviour and Agent Contribution "
	"analyses, Tier Forecast": [
		("report", "Key Account Register"),
		("report", "Tier Movement"),
		("report", "Value Analysis"),
		("report", "Development Analysis"),
		("report", "Behaviour Analysis"),
		("report", "Agent Contribution"),
		("report", "Tier Forecast"),
	],
	"Key Account Candidates, Open Agreements, Plan Exchange Status, Satisfaction Analysis, "
	"Qualification Review": [
		("report", "Key Account Candidates"),
		("report", "Open Agreements"),
		("report", "Plan Exchange Status"),
		("report", "Satisfaction Analysis"),
		("report", "Qualification Review"),
	],
	"Key Account One-to-One print": [("elsewhere", "tests/test_print_formats.py")],
	"Key Account Settings (bands)": [("doctype", "Key Account Settings", 0)],
	"Tier Change log (`/app/key-account-tier-change`)": [("doctype", "Key Account Tier Change", 0)],
	"Purchase Entry ledger (`/app/key-account-purchase-entry`)": [
		("doctype", "Key Account Purchase Entry", 0)
	],
	"Purchase Month sums, Sales Summary": [
		("doctype", "Key Account Purchase Month", 0),
		("doctype", "Key Account Sales Summary", 0),
	],
}

# The words of a cell, as the rights they grant. "all" is every right the doctype has.
RIGHTS = {
	"nothing": set(),
	"read": {"read"},
	"edit": {"read", "write"},
	"create": {"read", "create"},
	"delete": {"read", "delete"},
	"submit": {"read", "submit"},
	"cancel": {"read", "cancel"},
	"amend": {"read", "amend"},
	"grant": {"read", "create", "write"},
	"withdraw": {"read", "write"},
	"move": {"read", "write"},
}
# The promotion workflow's actions, as the table words them after the rights.
ACTIONS = {
	"propose": "Propose",
	"approve": "Approve",
	"reject": "Reject",
	"start": "Start",
	"complete": "Complete",
	"evaluate": "Evaluate",
	"revise a rejected one": "Revise",
}


def table() -> dict[str, dict[str, str]]:
	"""The README's table: row label -> column -> cell."""
	text = (ROOT / "README.md").read_text(encoding="utf-8")
	section = text.split(HEADING, 1)[1].split("\n## ", 1)[0]
	lines = [line for line in section.splitlines() if line.startswith("|")]
	header = [cell.strip() for cell in lines[0].strip("|").split("|")]
	rows = {}
	for line in lines[2:]:
		cells = [cell.strip() for cell in line.strip("|").split("|")]
		rows[cells[0]] = dict(zip(header[1:], cells[1:], strict=True))
	return rows


def declarations(kind: str) -> dict[str, dict]:
	return {
		record["name"]: record
		for record in (
			json.loads(path.read_text(encoding="utf-8")) for path in MODULE.glob(f"{kind}/*/*.json")
		)
		if record.get("doctype") in {"DocType", "Report", "Workspace"}
	}


DOCTYPES = declarations("doctype")
REPORTS = declarations("report")
WORKSPACES = declarations("workspace")
WORKFLOWS = {
	workflow["document_type"]: workflow
	for workflow in json.loads((ROOT / "key_account_mgmt" / "fixtures" / "workflow.json").read_text())
}
EVERY_RIGHT = ("read", "write", "create", "delete", "submit", "cancel", "amend")
SUBMITTABLE_RIGHTS = {"submit", "cancel", "amend"}


def words(cell: str) -> list[str]:
	"""A cell's words without its explanations in brackets, e.g. "incl." and "(the analyses read them)"."""
	cell = re.sub(r"\([^)]*\)", "", cell).replace("incl.", "")
	return [word.strip() for word in re.split(r",|;", cell) if word.strip()]


def rights_said(cell: str, doctype: dict) -> tuple[set[str], set[str] | None]:
	"""The rights a doc cell grants, and the workflow actions it names (None: "all", every action)."""
	said = words(cell)
	rights = set()
	if "all" in said:
		rights = {
			right for right in EVERY_RIGHT if doctype.get("is_submittable") or right not in SUBMITTABLE_RIGHTS
		}
	actions = {ACTIONS[word] for word in said if word in ACTIONS}
	for word in said:
		if word != "all" and word not in ACTIONS:
			assert word in RIGHTS, f"the table's word {word!r} means nothing here"
			rights |= RIGHTS[word]
	return rights, (None if "all" in said else actions)


def rights_declared(doctype: dict, roles: tuple[str, ...], level: int) -> dict[str, set[str]]:
	declared = {role: set() for role in roles}
	for row in doctype.get("permissions", []):
		if row["role"] in declared and row.get("permlevel", 0) == level:
			declared[row["role"]] |= {right for right in EVERY_RIGHT if row.get(right)}
	if doctype.get("issingle"):
		# a single has one record: creating it is editing it
		for rights in declared.values():
			rights.discard("create")
	return declared


def actions_declared(doctype: str, role: str) -> set[str]:
	workflow = WORKFLOWS.get(doctype)
	if not workflow:
		return set()
	return {step["action"] for step in workflow["transitions"] if step["allowed"] == role}


def yes_or_no(cell: str) -> bool:
	first = words(cell)[0]
	assert first in {"yes", "no"}, f"{cell!r}: a report or workspace cell starts with yes or no"
	return first == "yes"


def test_the_table_names_every_doctype_and_report_and_each_row_is_mapped():
	rows = table()
	assert set(rows) == set(ROWS), (
		f"README rows not mapped here: {sorted(set(rows) - set(ROWS))}; "
		f"mapped rows gone from the README: {sorted(set(ROWS) - set(rows))}"
	)
	named = {(kind, what[0]) for subjects in ROWS.values() for kind, *what in subjects}
	parents = {name for name, doctype in DOCTYPES.items() if not doctype.get("istable")}
	assert {name for kind, name in named if kind == "doctype"} == parents
	assert {name for kind, name in named if kind == "report"} == set(REPORTS)
	assert {name for kind, name in named if kind == "workspace"} == set(WORKSPACES)
	for row in rows.values():
		assert set(row) == set(COLUMNS) | {ANYONE_ELSE}


def test_each_doctype_row_is_what_its_permissions_and_workflow_declare():
	problems, checked = [], 0
	for label, row in table().items():
		for kind, *what in ROWS[label]:
			if kind != "doctype":
				continue
			name, level = what
			doctype = DOCTYPES[name]
			for column, roles in COLUMNS.items():
				said, actions = rights_said(row[column], doctype)
				for role, declared in rights_declared(doctype, roles, level).items():
					checked += 1
					if declared != said:
						problems.append(
							f"{label} / {role}: README {sorted(said)}, declared {sorted(declared)}"
						)
					if level == 0 and name in WORKFLOWS and said:
						every = {step["action"] for step in WORKFLOWS[name]["transitions"]}
						expected = every if actions is None else actions
						if actions_declared(name, role) != expected:
							problems.append(
								f"{label} / {role}: README actions {sorted(expected)}, "
								f"workflow {sorted(actions_declared(name, role))}"
							)
			others = {permission["role"] for permission in doctype.get("permissions", [])} - {
				role for roles in COLUMNS.values() for role in roles
			}
			if words(row[ANYONE_ELSE]) != ["nothing"] or others:
				problems.append(
					f"{label}: anyone else gets {row[ANYONE_ELSE]!r}; declared for {sorted(others)}"
				)
	assert checked > 50
	assert problems == [], "\n".join(problems)


def test_each_report_and_workspace_row_is_what_their_roles_declare():
	problems = []
	for label, row in table().items():
		for kind, *what in ROWS[label]:
			if kind not in {"report", "workspace"}:
				continue
			record = (REPORTS if kind == "report" else WORKSPACES)[what[0]]
			allowed = {role["role"] for role in record.get("roles", [])}
			for column, roles in COLUMNS.items():
				for role in roles:
					if (role in allowed) != yes_or_no(row[column]):
						problems.append(
							f"{what[0]} / {role}: README {row[column]!r}, declared {sorted(allowed)}"
						)
			others = allowed - {role for roles in COLUMNS.values() for role in roles}
			if yes_or_no(row[ANYONE_ELSE]) or others:
				problems.append(
					f"{what[0]}: anyone else gets {row[ANYONE_ELSE]!r}; declared for {sorted(others)}"
				)
	assert problems == [], "\n".join(problems)
