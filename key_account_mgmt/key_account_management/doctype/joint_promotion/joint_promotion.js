// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

// Regions and stores come from ERPNext masters the key-account roles may not read: the app's searches
// read them on the user's behalf, and the server checks each value on save.
const PICKED_ON_BEHALF = {
	territories: ["Territory", "key_account_mgmt.api.pickers.promotion_territories"],
	warehouses: ["Warehouse", "key_account_mgmt.api.pickers.promotion_stores"],
};

frappe.ui.form.on("Joint Promotion", {
	setup(frm) {
		for (const [fieldname, [, query]] of Object.entries(PICKED_ON_BEHALF)) {
			frm.set_query(fieldname, () => ({ query }));
		}
	},

	refresh(frm) {
		key_account_mgmt.translate_values(frm, ["workflow_state"]);
		// the desk's own check of a picked value asks for read or select permission on the master
		for (const [fieldname, [master]] of Object.entries(PICKED_ON_BEHALF)) {
			if (!frappe.model.can_read(master)) {
				frm.set_df_property(fieldname, "ignore_link_validation", 1);
			}
		}
	},
});
