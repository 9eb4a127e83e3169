"""Frappe shows a document's versions to everyone who may read the document: versions of Contact Roles
recorded before the app kept personality, hobbies and portal access out of them lose those changes
(the app's Version hook does the same for every new version). A version already clean is not written."""

import frappe

from key_account_mgmt.account_file.contacts import (
	HISTORY_WITHOUT_RESTRICTED_FIELDS,
	keep_restricted_fields_out_of_history,
)


def execute():
	for version in frappe.get_all(
		"Version",
		filters={"ref_doctype": ("in", HISTORY_WITHOUT_RESTRICTED_FIELDS)},
		fields=["name", "ref_doctype", "data"],
	):
		recorded = version.data
		keep_restricted_fields_out_of_history(version)
		if version.data != recorded:
			frappe.db.set_value("Version", version.name, "data", version.data, update_modified=False)
