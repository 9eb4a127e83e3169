frappe.provide("key_account_mgmt");

// One colour per band rank, lowest band first, as key_account_mgmt/desk/tiers.py defines them.
key_account_mgmt.tier_colour = function (tier) {
	const tiers = frappe.boot.key_account_tiers || { bands: [], colours: [], no_tier: "gray" };
	const rank = tiers.bands.indexOf(tier);
	return rank >= 0 ? tiers.colours[rank] : tiers.no_tier;
};

// Tier names are band names from the settings (data): translate them wherever they are shown.
key_account_mgmt.tier_label = function (tier) {
	return tier ? __(tier) : "";
};

// Read-only fields whose values are names kept as data (tiers, workflow states) show them translated.
key_account_mgmt.translate_values = function (frm, fieldnames) {
	fieldnames.forEach((fieldname) => {
		const field = frm.fields_dict[fieldname];
		if (field) {
			field.df.formatter = (value) => frappe.utils.escape_html(value ? __(value) : "");
			frm.refresh_field(fieldname);
		}
	});
};

// The supplier's account and tier above the form's tabs: the dashboard sits in the Connections tab.
key_account_mgmt.show_key_account = function (frm) {
	key_account_mgmt.translate_values(frm, ["key_account_tier"]);
	if (!frm.doc.key_account) return;
	const tier = frm.doc.key_account_tier ? __(frm.doc.key_account_tier) : __("no tier");
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

// A plan's state as one indicator, in the list and on the form: received on time green, received
// late orange, overdue red, still expected blue.
key_account_mgmt.plan_indicator = function (doc) {
	if (doc.status === "Received") {
		const late = doc.received_on && doc.due_date && doc.received_on > doc.due_date;
		return late ? [__("Received Late"), "orange", "status,=,Received"] : [__("Received"), "green", "status,=,Received"];
	}
	if (doc.status === "Overdue") return [__("Overdue"), "red", "status,=,Overdue"];
	return [__(doc.status || "Expected"), "blue", `status,=,${doc.status || "Expected"}`];
};
