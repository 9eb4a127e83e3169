// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Key Account Candidates"] = {
	filters: [key_account_mgmt.company_filter()],
	formatter(value, row, column, data, default_formatter) {
		if (column.fieldname === "create" && data && data.supplier) {
			return `<button class="btn btn-xs btn-primary kam-create-account" data-supplier="${encodeURIComponent(
				data.supplier
			)}">${__("Create Key Account")}</button>`;
		}
		return default_formatter(value, row, column, data);
	},
	onload(report) {
		report.page.wrapper.on("click", ".kam-create-account", (event) => {
			const supplier = decodeURIComponent($(event.currentTarget).attr("data-supplier"));
			frappe
				.xcall("key_account_mgmt.api.key_accounts.create_key_account_from_supplier", { supplier })
				.then((name) => frappe.set_route("Form", "Key Account", name));
		});
	},
};
