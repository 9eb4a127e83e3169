// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Plan Exchange Status"] = {
	filters: [
		{ fieldname: "key_account", label: __("Key Account"), fieldtype: "Link", options: "Key Account" },
		{ fieldname: "status", label: __("Status"), fieldtype: "Select", options: ["", "Expected", "Received", "Overdue"] },
	],
};
