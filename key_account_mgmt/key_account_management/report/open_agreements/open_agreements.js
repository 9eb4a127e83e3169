// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Open Agreements"] = {
	filters: [
		{ fieldname: "key_account", label: __("Key Account"), fieldtype: "Link", options: "Key Account" },
		{ fieldname: "responsible", label: __("Owner"), fieldtype: "Link", options: "User" },
		{ fieldname: "overdue_only", label: __("Overdue Only"), fieldtype: "Check" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "days_overdue" && data && data.days_overdue > 0) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
