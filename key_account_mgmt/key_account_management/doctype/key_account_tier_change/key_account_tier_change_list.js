frappe.listview_settings["Key Account Tier Change"] = {
	formatters: {
		from_tier: (value) => frappe.utils.escape_html(key_account_mgmt.tier_label(value)),
		to_tier: (value) => frappe.utils.escape_html(key_account_mgmt.tier_label(value)),
	},
};
