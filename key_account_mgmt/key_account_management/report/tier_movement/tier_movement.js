// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Tier Movement"] = {
	filters: [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(),
			reqd: 1,
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
		{ fieldname: "key_account", label: __("Key Account"), fieldtype: "Link", options: "Key Account" },
		{ fieldname: "direction", label: __("Direction"), fieldtype: "Select", options: "\nUpgrade\nDowngrade" },
	],
	formatter(value, row, column, data, default_formatter) {
		// the reference's document type stays the name its Dynamic Link column opens, shown translated
		if (column.fieldname === "reference_doctype" && data) {
			return frappe.utils.escape_html(value ? __(value) : "");
		}
		value = default_formatter(value, row, column, data);
		if (column.fieldname === "direction" && data) {
			value = `<span class="indicator-pill ${data.direction === __("Upgrade") ? "green" : "red"}">${value}</span>`;
		}
		return value;
	},
};
