// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Key Account Register"] = {
	filters: [
		key_account_mgmt.company_filter(),
		{ fieldname: "tier", label: __("Tier"), fieldtype: "Data" },
		{ fieldname: "account_manager", label: __("Account Manager"), fieldtype: "Link", options: "User" },
	],
	formatter: key_account_mgmt.report_formatter,
};
