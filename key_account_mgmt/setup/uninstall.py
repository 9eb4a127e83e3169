"""What an uninstall removes besides the app's own tables, which Frappe drops: every record of another
doctype that points at the app's doctypes, roles or workflow, found from the site's DocType metadata.

Frappe's `remove_app` drops the app's tables and deletes the records that carry its module (reports,
workspaces, print formats, number cards). It leaves everything else that names the app's documents:
the Joint Promotion workflow (active, for a doctype that no longer exists), its states and actions, the
three roles and who holds them, ToDos and Notification Logs whose reference can no longer be opened
(Frappe refuses to close a ToDo whose Reference Type does not exist), comments, versions, shares,
user permissions, customisations and the single's values. This module finds those records through
the links the metadata declares, so a doctype of Frappe or ERPNext that links to the app's records
tomorrow is covered without a change here:

- a Dynamic Link to one of the app's documents, or a Link to DocType naming one of the app's doctypes:
  a child row leaves its parent, any other record (a ToDo, a comment, a version, a custom field, the
  workflow) is deleted with its child rows;
- a Link to another of the app's records (a role, a report, a workspace, the workflow): a child row
  leaves its parent (who holds the role), a record that cannot be without it (a mandatory link: a
  permission for the role) is deleted, any other record keeps and its link is emptied (a user's
  default workspace);
- a single's value of such a Link (tabSingles);
- the tables keyed by doctype name without a declared link (Custom DocPerm, List View Settings,
  __UserSettings, the app's singles in tabSingles), and the app's scheduled jobs and patch log.

Workflow States and Action Masters are shared by every workflow of the site: those the app created
(setup/workflow.py records them) go only when no other workflow names them. Rows are removed with
plain SQL: the documents they point at are gone, so their own on_trash hooks could not run."""

import frappe

from key_account_mgmt.setup.workflow import (
	PROMOTION_ACTIONS,
	PROMOTION_STATES,
	created_workflow_masters,
	forget_created_workflow_masters,
)

MODULE = "Key Account Management"
APP = "key_account_mgmt"

# The doctypes whose rows Frappe itself removes with the app's DocTypes, and its record of what an
# uninstall deleted (restorable only with the app).
LEFT_TO_FRAPPE = {"DocType", "DocField", "DocPerm", "DocType Action", "DocType State", "Deleted Document"}

# What Frappe's own install creates on every site (frappe/utils/install.py): never the app's.
FRAPPE_WORKFLOW_STATES = {"Pending", "Approved", "Rejected"}
FRAPPE_WORKFLOW_ACTIONS = {"Approve", "Reject", "Review"}


def app_doctypes() -> list[str]:
	return frappe.get_all("DocType", filters={"module": MODULE}, pluck="name")


def app_roles() -> list[str]:
	"""The roles the app ships as fixtures (hooks.py), as the fixture's filter names them."""
	roles = []
	for fixture in frappe.get_hooks("fixtures", app_name=APP):
		if isinstance(fixture, dict) and fixture.get("dt") == "Role":
			for _field, _operator, names in fixture.get("filters", []):
				roles += names
	return [role for role in roles if frappe.db.exists("Role", role)]


def app_records() -> dict[str, set[str]]:
	"""The app's records by doctype: what a link from elsewhere must not be left pointing at."""
	doctypes = app_doctypes()
	records = {
		"DocType": set(doctypes),
		"Role": set(app_roles()),
		"Workflow": set(
			frappe.get_all("Workflow", filters={"document_type": ("in", doctypes or [""])}, pluck="name")
		),
		"Scheduled Job Type": set(
			frappe.get_all("Scheduled Job Type", filters={"method": ("like", f"{APP}.%")}, pluck="name")
		),
	}
	# the records that carry the app's module (Frappe deletes them after this hook, leaving links to them)
	for field in module_links():
		if field.parent not in records and has_table(field.parent) and not kind(field.parent).istable:
			names = frappe.get_all(field.parent, filters={field.fieldname: MODULE}, pluck="name")
			if names:
				records[field.parent] = set(names)
	return records


def module_links() -> list:
	return [
		field
		for field in link_fields()
		if field.options == "Module Def" and field.fieldtype == "Link" and field.parent not in LEFT_TO_FRAPPE
	]


def link_fields() -> list:
	"""Every Link and Dynamic Link field of the site's doctypes, standard and custom."""
	fields = frappe.get_all(
		"DocField",
		filters={"fieldtype": ("in", ("Link", "Dynamic Link"))},
		fields=["parent", "fieldname", "fieldtype", "options", "reqd"],
	)
	fields += frappe.get_all(
		"Custom Field",
		filters={"fieldtype": ("in", ("Link", "Dynamic Link"))},
		fields=["dt as parent", "fieldname", "fieldtype", "options", "reqd"],
	)
	return fields


def remove_app_records() -> None:
	"""Called by before_uninstall, while the app's doctypes and records still exist."""
	frappe.flags.pop("kam_doctype_kinds", None)
	doctypes = app_doctypes()
	records = app_records()
	masters = created_workflow_masters()
	# files first: deleting one (with its file on disk) comments on the document it was attached to
	for doctype, links in sorted(
		references(records, set(doctypes)).items(), key=lambda item: item[0] != "File"
	):
		remove_references(doctype, links)
	for doctype, fields in single_references(records, set(doctypes)).items():
		for fieldname, values in fields.items():
			frappe.db.sql(
				"DELETE FROM `tabSingles` WHERE doctype = %s AND field = %s AND value IN %s",
				(doctype, fieldname, tuple(values)),
			)
	if doctypes:
		names = tuple(doctypes)
		frappe.db.sql("DELETE FROM `tabSingles` WHERE doctype IN %s", (names,))
		frappe.db.sql("DELETE FROM `__UserSettings` WHERE doctype IN %s", (names,))
		for table, column in (("Custom DocPerm", "parent"), ("List View Settings", "name")):
			if frappe.db.table_exists(table):
				frappe.db.sql(f"DELETE FROM `tab{table}` WHERE `{column}` IN %s", (names,))
	if records["Role"]:
		frappe.db.sql("DELETE FROM `tabRole` WHERE name IN %s", (tuple(records["Role"]),))
	if records["Scheduled Job Type"]:
		frappe.db.sql(
			"DELETE FROM `tabScheduled Job Type` WHERE name IN %s", (tuple(records["Scheduled Job Type"]),)
		)
	frappe.db.sql("DELETE FROM `tabPatch Log` WHERE patch LIKE %s", f"{APP}.%")
	remove_workflow_masters(masters)
	frappe.clear_cache()


def references(records: dict[str, set[str]], app_tables: set[str]) -> dict[str, list]:
	"""{doctype: [(field, SQL condition, values), ...]}: the rows of the tables outside the app that
	point at one of `records`."""
	result: dict[str, list] = {}
	for field in link_fields():
		if field.parent in app_tables or field.parent in LEFT_TO_FRAPPE or not has_table(field.parent):
			continue
		for condition, values in link_conditions(field, records):
			result.setdefault(field.parent, []).append((field, condition, values))
	return result


def link_conditions(field, records: dict[str, set[str]]) -> list[tuple[str, tuple]]:
	column = f"`{field.fieldname}`"
	if field.fieldtype == "Link":
		names = records.get(field.options)
		return [(f"{column} IN %s", (tuple(names),))] if names else []
	# Dynamic Link: the document type is in the field its options name; a link to a DocType itself
	# (a workspace's link to the app's list) has "DocType" there and the doctype's name in the field.
	type_column = f"`{field.options}`"
	result = [(f"{type_column} IN %s", (tuple(records["DocType"]),))] if records["DocType"] else []
	for doctype, names in records.items():
		result.append((f"{type_column} = %s AND {column} IN %s", (doctype, tuple(names))))
	return result


def single_references(records: dict[str, set[str]], app_tables: set[str]) -> dict[str, dict[str, set]]:
	result: dict[str, dict[str, set]] = {}
	for field in link_fields():
		if field.fieldtype != "Link" or field.parent in app_tables or not is_single(field.parent):
			continue
		if records.get(field.options):
			result.setdefault(field.parent, {})[field.fieldname] = records[field.options]
	return result


def remove_references(doctype: str, links: list) -> None:
	"""A child row leaves its parent. A record about one of the app's doctypes or documents (a Link to
	DocType, a Dynamic Link), or one that cannot be without the app's record it names (a mandatory
	link: a permission for the app's role), goes with its child rows; any other record stays and its
	link is emptied (a user's default workspace, a ToDo assigned to the app's role)."""
	columns = set(frappe.db.get_table_columns(doctype))
	# a field declared in the metadata without its column (a doctype not synced yet) is passed over
	links = [link for link in links if column_of(link[1]) <= columns]
	if kind(doctype).istable:
		delete_where(doctype, links)
		return
	deciding = [link for link in links if is_about(link[0])]
	for field, condition, values in links:
		if not is_about(field):
			frappe.db.sql(f"UPDATE `tab{doctype}` SET `{field.fieldname}` = NULL WHERE {condition}", values)
	names = (
		frappe.db.sql_list(f"SELECT name FROM `tab{doctype}` WHERE {where_of(deciding)}", values_of(deciding))
		if deciding
		else []
	)
	if doctype == "File":
		for name in names:  # so that the file on disk goes too
			frappe.delete_doc("File", name, force=True, ignore_permissions=True, delete_permanently=True)
		return
	for start in range(0, len(names), 1_000):
		part = tuple(names[start : start + 1_000])
		for child in child_doctypes(doctype):
			if has_table(child):
				frappe.db.sql(
					f"DELETE FROM `tab{child}` WHERE parenttype = %s AND parent IN %s", (doctype, part)
				)
		frappe.db.sql(f"DELETE FROM `tab{doctype}` WHERE name IN %s", (part,))


def is_about(field) -> bool:
	return field.fieldtype == "Dynamic Link" or field.options == "DocType" or bool(field.reqd)


def delete_where(doctype: str, links: list) -> None:
	if links:
		frappe.db.sql(f"DELETE FROM `tab{doctype}` WHERE {where_of(links)}", values_of(links))


def where_of(links: list) -> str:
	return " OR ".join(f"({condition})" for _field, condition, _values in links)


def values_of(links: list) -> tuple:
	return tuple(value for _field, _condition, values in links for value in values)


def child_doctypes(doctype: str) -> set[str]:
	return set(
		frappe.get_all(
			"DocField",
			filters={"parent": doctype, "fieldtype": ("in", frappe.model.table_fields)},
			pluck="options",
		)
	) | set(
		frappe.get_all(
			"Custom Field",
			filters={"dt": doctype, "fieldtype": ("in", frappe.model.table_fields)},
			pluck="options",
		)
	)


def column_of(condition: str) -> set[str]:
	return {part.split("`")[1] for part in condition.split(" AND ") if "`" in part}


def kind(doctype: str) -> frappe._dict:
	"""issingle, istable and is_virtual of every doctype, read once."""
	if "kam_doctype_kinds" not in frappe.flags:
		frappe.flags.kam_doctype_kinds = {
			row.name: row
			for row in frappe.get_all("DocType", fields=["name", "issingle", "istable", "is_virtual"])
		}
	return frappe.flags.kam_doctype_kinds.get(doctype) or frappe._dict(issingle=1)


def has_table(doctype: str) -> bool:
	row = kind(doctype)
	return not (row.issingle or row.is_virtual) and frappe.db.table_exists(doctype)


def is_single(doctype: str) -> bool:
	return bool(kind(doctype).issingle) and not kind(doctype).is_virtual


def remove_workflow_masters(created: tuple[set[str], set[str]] | None) -> None:
	"""The states and actions the app created, unless another workflow names them."""
	if created is None:  # installed before the app recorded them: its own names, less Frappe's
		states = set(PROMOTION_STATES) - FRAPPE_WORKFLOW_STATES
		actions = set(PROMOTION_ACTIONS) - FRAPPE_WORKFLOW_ACTIONS
	else:
		states, actions = created
	used_states = set(frappe.get_all("Workflow Document State", pluck="state"))
	for field in ("state", "next_state"):
		used_states |= set(frappe.get_all("Workflow Transition", pluck=field))
	used_actions = set(frappe.get_all("Workflow Transition", pluck="action"))
	for doctype, names in (
		("Workflow State", states - used_states),
		("Workflow Action Master", actions - used_actions),
	):
		if names:
			frappe.db.sql(f"DELETE FROM `tab{doctype}` WHERE name IN %s", (tuple(names),))
	forget_created_workflow_masters()
