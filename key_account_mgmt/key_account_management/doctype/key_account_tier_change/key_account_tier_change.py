# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from frappe.model.naming import parse_naming_series

from key_account_mgmt.naming import ensure_series_row
from key_account_mgmt.write_guards import EngineRecord


class KeyAccountTierChange(EngineRecord):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		cause: DF.Literal[
			"Purchase Invoice",
			"Daily Re-evaluation",
			"Band Change",
			"Settings Change",
			"Manual Lock",
			"Supplier Change",
			"Recompute",
		]
		changed_by: DF.Link | None
		changed_on: DF.Datetime | None
		currency: DF.Link | None
		from_tier: DF.Data | None
		key_account: DF.Link
		purchase_amount: DF.Currency
		reference_doctype: DF.Link | None
		reference_name: DF.DynamicLink | None
		to_tier: DF.Data | None
		window_from: DF.Date | None
		window_to: DF.Date | None

	# end: auto-generated types
	def before_naming(self):
		# Logged inside postings: the year's first two must not deadlock in Frappe's naming (naming.py).
		ensure_series_row(parse_naming_series(self.meta.autoname.rsplit(".#", 1)[0]))


def on_doctype_update():
	from key_account_mgmt.tiering.ledger import widen_amount_columns

	widen_amount_columns(["Key Account Tier Change"])
