frappe.ui.form.on("Supplier", {
	refresh(frm) {
		if (frm.doc.key_account) {
			frm.dashboard.add_indicator(
				__("Key Account {0}: {1}", [frm.doc.key_account, __(frm.doc.key_account_tier || "no tier")]),
				key_account_mgmt.tier_colour(frm.doc.key_account_tier)
			);
		}
	},
});
