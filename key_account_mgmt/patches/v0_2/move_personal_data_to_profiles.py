"""Personality and hobbies leave the Contact Role's table, where list filters on them answered users
who may not read them, for a Key Account Contact Profile each, which only Key Account Managers read.
Nothing to do where the columns are gone."""

import frappe

ROLE = "Key Account Contact Role"
PROFILE = "Key Account Contact Profile"
PERSONAL_COLUMNS = ("personality", "hobbies")


def execute():
	columns = [column for column in PERSONAL_COLUMNS if frappe.db.has_column(ROLE, column)]
	if not columns:
		return
	select = ", ".join(f"`{column}`" for column in columns)
	for row in frappe.db.sql(f"SELECT name, {select} FROM `tab{ROLE}`", as_dict=True):
		if any(row[column] for column in columns) and not frappe.db.exists(PROFILE, row.name):
			frappe.get_doc(
				{"doctype": PROFILE, "contact_role": row.name, **{column: row[column] for column in columns}}
			).insert(ignore_permissions=True)
	frappe.db.sql_ddl(f"ALTER TABLE `tab{ROLE}` {', '.join(f'DROP COLUMN `{column}`' for column in columns)}")
