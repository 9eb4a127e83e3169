# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from key_account_mgmt.write_guards import AppDocument


class KeyAccountSatisfactionDimension(AppDocument, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		dimension_name: DF.Data
	# end: auto-generated types
	pass
