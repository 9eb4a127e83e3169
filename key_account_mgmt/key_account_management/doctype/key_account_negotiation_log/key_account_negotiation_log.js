// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Negotiation Log", {
	setup(frm) {
		frm.set_query("contact_role", "their_participants", (doc) => ({
			filters: { key_account: doc.key_account },
		}));
	},
});
