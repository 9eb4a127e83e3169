// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Contact Role", {
	setup(frm) {
		frm.set_query("reports_to", (doc) => ({
			filters: { key_account: doc.key_account, name: ["!=", doc.name] },
		}));
	},
});
