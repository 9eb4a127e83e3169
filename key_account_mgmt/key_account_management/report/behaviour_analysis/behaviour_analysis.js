// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Behaviour Analysis"] = {
	filters: [
		key_account_mgmt.company_filter(),
		...key_account_mgmt.period_filters(),
		{ fieldname: "key_account", label: __("Key Account"), fieldtype: "Link", options: "Key Account" },
	],
	formatter: key_account_mgmt.report_formatter,
};
