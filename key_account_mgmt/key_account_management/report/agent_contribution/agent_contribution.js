// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

// One account's agents: the report opens on the user's own account, or the one bought from most
// (desk/live.py), and runs only once it has an account, so it never shows "Please set filters" or
// throws "Filter missing" while its filters fill in.
frappe.query_reports["Agent Contribution"] = {
	filters: [
		{
			fieldname: "key_account",
			label: __("Key Account"),
			fieldtype: "Link",
			options: "Key Account",
			reqd: 1,
			default: frappe.boot.kam_default_key_account,
		},
		key_account_mgmt.company_filter(),
		...key_account_mgmt.period_filters(),
	].map((filter) =>
		Object.assign(filter, {
			on_change: (report) => {
				if (report.get_filter_value("key_account")) report.refresh();
			},
		})
	),
	formatter: key_account_mgmt.report_formatter,
	onload(report) {
		// the account in the filter's model (a link is checked before it is set) before the first run
		const filter = report.get_filter("key_account");
		const account = filter.get_value() || frappe.boot.kam_default_key_account;
		if (account) return filter.set_value(account);
	},
};
