# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from key_account_mgmt.write_guards import ChildRow


class JointPromotionWarehouse(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		warehouse: DF.Link
	# end: auto-generated types
	pass
