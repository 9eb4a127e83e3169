# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from key_account_mgmt.write_guards import EngineRecord


class KeyAccountSalesSummary(EngineRecord):
	pass


def on_doctype_update():
	from key_account_mgmt.analysis.sales_summary import add_indexes

	add_indexes()
