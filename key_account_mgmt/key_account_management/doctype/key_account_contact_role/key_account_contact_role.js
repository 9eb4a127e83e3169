// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Contact Role", {
	setup(frm) {
		frm.set_query("reports_to", (doc) => ({
			filters: { key_account: doc.key_account, name: ["!=", doc.name] },
		}));
		// This account's contacts only, read on the user's behalf: the key-account roles may read only
		// the contacts they created, so the desk's own check would refuse the others; the server checks
		// the contact and fills its name, phone and e-mail on save.
		frm.set_query("contact", (doc) => ({
			query: "key_account_mgmt.api.pickers.account_contacts",
			filters: { key_account: doc.key_account },
		}));
	},

	refresh(frm) {
		frm.set_df_property("contact", "ignore_link_validation", 1);
		// Personal data lives in its own doctype, which only Key Account Managers may read.
		if (frm.is_new() || !frappe.model.can_read("Key Account Contact Profile")) return;
		frm.add_custom_button(__("Personality and Hobbies"), () =>
			frappe.db.exists("Key Account Contact Profile", frm.doc.name).then((exists) =>
				exists
					? frappe.set_route("Form", "Key Account Contact Profile", frm.doc.name)
					: frappe.new_doc("Key Account Contact Profile", { contact_role: frm.doc.name })
			)
		);
	},
});
