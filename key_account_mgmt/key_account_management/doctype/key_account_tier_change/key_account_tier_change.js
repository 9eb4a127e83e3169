// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Tier Change", {
	refresh(frm) {
		// the reference is a document type ("Purchase Invoice"): its name in the reader's language
		key_account_mgmt.translate_values(frm, ["from_tier", "to_tier", "reference_doctype"]);
	},
});
