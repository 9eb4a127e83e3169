// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Tier Forecast"] = {
	filters: [
		{ fieldname: "what_if_ordinary", label: __("What-if: Ordinary From"), fieldtype: "Currency" },
		{ fieldname: "what_if_partner", label: __("What-if: Partner From"), fieldtype: "Currency" },
		{ fieldname: "what_if_strategic", label: __("What-if: Strategic From"), fieldtype: "Currency" },
	],
};
