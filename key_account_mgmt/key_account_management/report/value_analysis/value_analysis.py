# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from key_account_mgmt.analysis import value


def execute(filters: dict | None = None):
	return value.report(filters)
