# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from key_account_mgmt.account_file.contacts import (
	link_contact_to_account,
	validate_contact_belongs_to,
	validate_contact_may_be_taken,
	validate_reports_to,
	validate_unique_contact,
)
from key_account_mgmt.marketing.portal_grants import on_contact_role_trash, on_contact_role_update
from key_account_mgmt.write_guards import AppDocument


class KeyAccountContactRole(AppDocument, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		authority: DF.SmallText | None
		contact: DF.Link
		decision_power: DF.Literal["", "Decides", "Strong Influence", "Some Influence", "Informed Only"]
		email_id: DF.Data | None
		full_name: DF.Data | None
		key_account: DF.Link
		last_contact_date: DF.Date | None
		level: DF.Literal[
			"Buyer",
			"Purchasing Manager",
			"Purchasing Director",
			"Finance Director",
			"Sales Manager",
			"Distribution Manager",
			"General Manager",
			"Chairman",
			"Other",
		]
		mobile_no: DF.Data | None
		phone: DF.Data | None
		relationship_owner: DF.Link | None
		reports_to: DF.Link | None

	# end: auto-generated types
	def validate(self):
		validate_contact_belongs_to(self.key_account, self.contact)
		if self.is_new() or self.has_value_changed("contact") or self.has_value_changed("key_account"):
			validate_contact_may_be_taken(self.key_account, self.contact)
		validate_unique_contact(self.key_account, self.contact, self.name)
		validate_reports_to(self.key_account, self.name, self.reports_to)

	def on_update(self):
		link_contact_to_account(self.key_account, self.contact)
		on_contact_role_update(self)

	def on_trash(self):
		on_contact_role_trash(self)
		# The personal profile goes with its role, even when the one deleting may not read it.
		frappe.delete_doc(
			"Key Account Contact Profile", self.name, ignore_permissions=True, ignore_missing=True
		)
