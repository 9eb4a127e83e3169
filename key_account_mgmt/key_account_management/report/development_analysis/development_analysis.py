# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from key_account_mgmt.analysis import development


def execute(filters: dict | None = None):
	return development.report(filters)
