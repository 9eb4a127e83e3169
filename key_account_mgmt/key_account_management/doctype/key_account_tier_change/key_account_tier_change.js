// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Tier Change", {
	refresh(frm) {
		key_account_mgmt.translate_values(frm, ["from_tier", "to_tier"]);
	},
});
