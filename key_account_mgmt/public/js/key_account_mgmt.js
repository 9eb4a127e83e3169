frappe.provide("key_account_mgmt");

// Colours follow the tier's rank: the first band is blue, the next green, the top band purple.
key_account_mgmt.tier_colour = function (tier) {
	return { Ordinary: "blue", Partner: "green", Strategic: "purple" }[tier] || (tier ? "cyan" : "gray");
};

// The supplier's account and tier above the form's tabs: the dashboard sits in the Connections tab.
key_account_mgmt.show_key_account = function (frm) {
	if (!frm.doc.key_account) return;
	const tier = __(frm.doc.key_account_tier || "no tier");
	const text = __("Key Account {0}: {1}", [frm.doc.key_account, tier]);
	const colour = key_account_mgmt.tier_colour(frm.doc.key_account_tier);
	frm.dashboard.set_headline(
		`<span class="indicator-pill ${colour}">${frappe.utils.escape_html(text)}</span>`
	);
};

// The company filter of the analyses that sum invoices: the user's default company to start with.
key_account_mgmt.company_filter = function () {
	return {
		fieldname: "company",
		label: __("Company"),
		fieldtype: "Link",
		options: "Company",
		default: frappe.defaults.get_user_default("Company"),
	};
};

// The period filters most key-account reports share: the twelve months ending today by default.
key_account_mgmt.period_filters = function () {
	return [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.add_months(frappe.datetime.get_today(), -12), 1),
			reqd: 1,
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
	];
};
