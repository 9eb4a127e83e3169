# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from key_account_mgmt.write_guards import EngineRecord


class KeyAccountPurchaseMonth(EngineRecord):
	# begin: auto-generated types
	# end: auto-generated types
	pass


def on_doctype_update():
	from key_account_mgmt.tiering.purchase_months import add_indexes

	add_indexes()
