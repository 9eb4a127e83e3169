// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Agent Contribution"] = {
	filters: [
		{ fieldname: "key_account", label: __("Key Account"), fieldtype: "Link", options: "Key Account", reqd: 1 },
		key_account_mgmt.company_filter(),
		...key_account_mgmt.period_filters(),
	],
	formatter: key_account_mgmt.report_formatter,
	// Opens on an account rather than on "Please set filters".
	onload: (report) => key_account_mgmt.default_key_account(report),
};
