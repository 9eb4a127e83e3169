frappe.provide("key_account_mgmt");

// Colours follow the tier's rank: the first band is blue, the next green, the top band purple.
key_account_mgmt.tier_colour = function (tier) {
	return { Ordinary: "blue", Partner: "green", Strategic: "purple" }[tier] || (tier ? "cyan" : "gray");
};
