# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from key_account_mgmt.write_guards import ChildRow


class KeyAccountSatisfactionScore(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		comment: DF.SmallText | None
		dimension: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		score: DF.Int
	# end: auto-generated types
	pass
