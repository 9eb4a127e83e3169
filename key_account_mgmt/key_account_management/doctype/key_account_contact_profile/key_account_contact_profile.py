# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from key_account_mgmt.write_guards import AppDocument


class KeyAccountContactProfile(AppDocument, Document):
	"""Personality and hobbies of a Contact Role's person, apart from the role: only those who may read
	this doctype see them, in the form, its history, lists, filters, reports and exports alike."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact_role: DF.Link
		full_name: DF.Data | None
		hobbies: DF.SmallText | None
		key_account: DF.Link | None
		personality: DF.SmallText | None

	# end: auto-generated types
	pass
