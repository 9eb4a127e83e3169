// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Negotiation Log", {
	setup(frm) {
		frm.set_query("contact_role", "their_participants", (doc) => ({
			filters: { key_account: doc.key_account },
		}));
	},
	refresh(frm) {
		// a counterpart's level is the contact role's (fetched as text): shown in the reader's language
		key_account_mgmt.translate_grid_values(frm, "their_participants", ["level"]);
	},
});
