# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from key_account_mgmt.write_guards import ChildRow


class KeyAccountAnnualTotal(ChildRow):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		currency: DF.Link | None
		fiscal_year: DF.Link | None
		invoice_count: DF.Int
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		purchase_amount: DF.Currency
	# end: auto-generated types
	pass


def on_doctype_update():
	from key_account_mgmt.tiering.ledger import widen_amount_columns

	widen_amount_columns(["Key Account Annual Total"])
