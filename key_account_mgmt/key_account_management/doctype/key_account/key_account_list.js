frappe.listview_settings["Key Account"] = {
	add_fields: ["tier", "tier_locked"],
	get_indicator(doc) {
		const tier = doc.tier;
		return [tier ? __(tier) : __("Not a key account"), key_account_mgmt.tier_colour(tier), `tier,=,${tier || ""}`];
	},
	formatters: {
		tier: (value) => frappe.utils.escape_html(key_account_mgmt.tier_label(value)),
	},
};
