// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

// One what-if bound per band, by rank (what_if_1 is the lowest band); the labels name the bands in force.
const KAM_WHAT_IF_BANDS = 6;

frappe.query_reports["Tier Forecast"] = {
	filters: Array.from({ length: KAM_WHAT_IF_BANDS }, (_, index) => ({
		fieldname: `what_if_${index + 1}`,
		label: __("What-if: Band {0} From", [index + 1]),
		fieldtype: "Currency",
		hidden: 1,
	})),
	onload(report) {
		// Start the what-if from the bands in force; the user types other bounds over them.
		frappe.db.get_doc("Key Account Settings").then((settings) => {
			const bands = (settings.tier_bands || []).slice().sort((a, b) => a.lower_bound - b.lower_bound);
			bands.slice(0, KAM_WHAT_IF_BANDS).forEach((band, index) => {
				const filter = report.get_filter(`what_if_${index + 1}`);
				if (!filter) return;
				filter.df.hidden = 0;
				filter.refresh();
				key_account_mgmt.label_filter(filter, __("What-if: {0} From", [__(band.tier)]));
				if (!filter.get_value()) filter.set_value(band.lower_bound);
			});
		});
	},
};
