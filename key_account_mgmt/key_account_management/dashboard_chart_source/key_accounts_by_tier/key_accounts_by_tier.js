frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Key Accounts by Tier"] = {
	method: "key_account_mgmt.desk.tiers.accounts_by_tier",
	filters: [],
};
