// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Development Analysis"] = {
	filters: [
		key_account_mgmt.company_filter(),
		...key_account_mgmt.period_filters(),
		{ fieldname: "measure", label: __("Measure"), fieldtype: "Select", options: ["", "Purchases", "Sales"] },
		{ fieldname: "key_account", label: __("Key Account"), fieldtype: "Link", options: "Key Account" },
		{ fieldname: "tier", label: __("Tier"), fieldtype: "Data" },
		{ fieldname: "account_manager", label: __("Account Manager"), fieldtype: "Link", options: "User" },
	],
	formatter: key_account_mgmt.report_formatter,
};
