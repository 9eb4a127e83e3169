# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from key_account_mgmt.analysis import behaviour


def execute(filters: dict | None = None):
	return behaviour.report(filters)
