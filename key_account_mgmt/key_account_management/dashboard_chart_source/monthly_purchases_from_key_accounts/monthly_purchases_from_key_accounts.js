frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Monthly Purchases from Key Accounts"] = {
	method: "key_account_mgmt.desk.charts.monthly_purchases",
	filters: [],
};
