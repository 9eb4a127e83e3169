"""The portal grant leaves the Contact Role's table, where list filters on it answered users who may not
read it, for a Key Account Portal Grant each. A grant whose user is no longer its contact's is moved
over withdrawn, for a Key Account Manager to grant again. Nothing to do where the columns are gone."""

import frappe

ROLE = "Key Account Contact Role"
GRANT = "Key Account Portal Grant"
PORTAL_COLUMNS = ("portal_access", "portal_user")


def execute():
	columns = [column for column in PORTAL_COLUMNS if frappe.db.has_column(ROLE, column)]
	if len(columns) == len(PORTAL_COLUMNS):
		for row in frappe.db.sql(
			f"SELECT name, contact, portal_user FROM `tab{ROLE}` WHERE portal_access = 1", as_dict=True
		):
			if frappe.db.exists(GRANT, row.name):
				continue
			user = frappe.db.get_value("Contact", row.contact, "user") if row.contact else None
			frappe.get_doc(
				{
					"doctype": GRANT,
					"contact_role": row.name,
					"portal_access": int(bool(user) and row.portal_user == user),
				}
			).insert(ignore_permissions=True)
	if columns:
		frappe.db.sql_ddl(
			f"ALTER TABLE `tab{ROLE}` {', '.join(f'DROP COLUMN `{column}`' for column in columns)}"
		)
