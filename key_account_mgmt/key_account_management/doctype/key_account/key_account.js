// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account", {
	onload(frm) {
		frappe.db.get_doc("Key Account Settings").then((settings) => {
			frm.set_df_property(
				"locked_tier",
				"options",
				(settings.tier_bands || []).map((band) => band.tier)
			);
		});
	},

	refresh(frm) {
		frm.set_query("supplier", "suppliers", () => ({ filters: { disabled: 0 } }));
		if (frm.is_new()) return;
		const tier = frm.doc.tier;
		frm.page.set_indicator(tier ? __(tier) : __("Not a key account"), key_account_mgmt.tier_colour(tier));
		if (frm.doc.tier_locked && frm.doc.computed_tier !== frm.doc.tier) {
			frm.dashboard.set_headline(
				__("Tier locked at {0}; its purchases give {1}.", [
					__(frm.doc.tier || "no tier"),
					__(frm.doc.computed_tier || "no tier"),
				])
			);
		}
	},
});
