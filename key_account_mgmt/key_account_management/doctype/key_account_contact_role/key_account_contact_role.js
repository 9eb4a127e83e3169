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
		if (frm.is_new()) return;
		// Personal data and portal grants live in doctypes of their own, which only Key Account
		// Managers may read.
		open_or_create(frm, "Key Account Contact Profile", __("Personality and Hobbies"));
		open_or_create(frm, "Key Account Portal Grant", __("Portal Access"));
		if (frappe.model.can_read("Key Account Portal Grant")) {
			frappe.db
				.get_value("Key Account Portal Grant", frm.doc.name, ["portal_access", "portal_user"])
				.then(({ message }) => {
					if (message && message.portal_access) {
						frm.dashboard.set_headline(
							__("{0} may use the data-sharing portal.", [
								frappe.utils.escape_html(message.portal_user).bold(),
							])
						);
					}
				});
		}
	},
});

function open_or_create(frm, doctype, label) {
	if (!frappe.model.can_read(doctype)) return;
	frm.add_custom_button(label, () =>
		frappe.db
			.exists(doctype, frm.doc.name)
			.then((exists) =>
				exists
					? frappe.set_route("Form", doctype, frm.doc.name)
					: frappe.new_doc(doctype, { contact_role: frm.doc.name })
			)
	);
}
