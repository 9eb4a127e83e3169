frappe.listview_settings["Key Account Plan"] = {
	add_fields: ["status", "received_on", "due_date", "plan_type"],
	has_indicator_for_draft: true,
	get_indicator: (doc) => key_account_mgmt.plan_indicator(doc),
	formatters: {
		plan_type: (value) => frappe.utils.escape_html(__(value || "")),
	},
};
