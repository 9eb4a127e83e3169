"""Annual Total rows are named after their account and fiscal year and written in place; rows written
with random names are renamed, and a second row of one account's year is deleted."""

import frappe

from key_account_mgmt.tiering.persistence import annual_total_name


def execute():
	for name, parent, fiscal_year in frappe.db.sql(
		"SELECT name, parent, fiscal_year FROM `tabKey Account Annual Total` WHERE parenttype = 'Key Account'"
	):
		new_name = annual_total_name(parent, fiscal_year or "")
		if new_name == name:
			continue
		if frappe.db.exists("Key Account Annual Total", new_name):  # a duplicate year: keep one row
			frappe.db.delete("Key Account Annual Total", {"name": name})
		else:
			frappe.db.sql(
				"UPDATE `tabKey Account Annual Total` SET name = %s WHERE name = %s", (new_name, name)
			)
