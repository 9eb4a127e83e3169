// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Qualification Review"] = {
	filters: [],
	formatter(value, row, column, data, default_formatter) {
		const shown = default_formatter(value, row, column, data);
		if (column.fieldname === "flags" && data && data.flags) {
			return `<span class="text-danger">${shown}</span>`;
		}
		return shown;
	},
};
