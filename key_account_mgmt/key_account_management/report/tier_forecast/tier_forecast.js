// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.query_reports["Tier Forecast"] = {
	filters: [
		{ fieldname: "what_if_ordinary", label: __("What-if: Ordinary From"), fieldtype: "Currency" },
		{ fieldname: "what_if_partner", label: __("What-if: Partner From"), fieldtype: "Currency" },
		{ fieldname: "what_if_strategic", label: __("What-if: Strategic From"), fieldtype: "Currency" },
	],
	onload(report) {
		// Start the what-if from the bands in force; the user types other bounds over them.
		frappe.db.get_doc("Key Account Settings").then((settings) => {
			for (const band of settings.tier_bands || []) {
				const filter = report.get_filter(`what_if_${band.tier.toLowerCase()}`);
				if (filter && !filter.get_value()) filter.set_value(band.lower_bound);
			}
		});
	},
};
