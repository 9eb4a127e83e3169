# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from key_account_mgmt.write_guards import ChildRow


class KeyAccountAgreement(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		agreement: DF.SmallText
		due_date: DF.Date | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		responsible: DF.Link | None
		status: DF.Literal["Open", "Done", "Cancelled"]
		todo: DF.Link | None
		value: DF.Currency
	# end: auto-generated types
	pass
