# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from key_account_mgmt.analysis import agent_contribution


def execute(filters: dict | None = None):
	return agent_contribution.report(filters)
