frappe.provide("key_account_mgmt");

// Colours follow the tier's rank: the first band is blue, the next green, the top band purple.
key_account_mgmt.tier_colour = function (tier) {
	return { Ordinary: "blue", Partner: "green", Strategic: "purple" }[tier] || (tier ? "cyan" : "gray");
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
