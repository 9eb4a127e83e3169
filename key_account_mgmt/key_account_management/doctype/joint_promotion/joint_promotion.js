// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Joint Promotion", {
	setup(frm) {
		// Regions and stores come from ERPNext masters the key-account roles may not read: the app's
		// searches read them on the user's behalf, and the server checks each value on save.
		pick_on_behalf(frm, "territories", "Territory", "key_account_mgmt.api.pickers.promotion_territories");
		pick_on_behalf(frm, "warehouses", "Warehouse", "key_account_mgmt.api.pickers.promotion_stores");
	},
});

function pick_on_behalf(frm, fieldname, master, query) {
	frm.set_query(fieldname, () => ({ query }));
	if (!frappe.model.can_read(master)) {
		frm.fields_dict[fieldname].df.ignore_link_validation = 1;
	}
}
