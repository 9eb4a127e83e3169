# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from key_account_mgmt.marketing.portal_grants import follow_contact_role, validate_website_user
from key_account_mgmt.write_guards import AppDocument


class KeyAccountPortalGrant(AppDocument, Document):
	"""Whether a Contact Role's website user may use the data-sharing portal: granted, withdrawn and
	moved by Key Account Managers only, each change in the grant's history."""

	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		contact: DF.Data | None
		contact_role: DF.Link
		full_name: DF.Data | None
		key_account: DF.Link | None
		portal_access: DF.Check
		portal_user: DF.Link | None

	# end: auto-generated types
	def validate(self):
		# The history is the log of who granted, withdrew or moved access: kept even where Frappe skips
		# versions (tests, data import).
		self.flags.ignore_version = False
		follow_contact_role(self)
		validate_website_user(self)
