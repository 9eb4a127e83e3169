// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Plan", {
	refresh(frm) {
		if (frm.is_new()) return;
		// The title is the plan type, an option: show it in the reader's language.
		frm.page.set_title(__(frm.doc.plan_type));
		const [label, colour] = key_account_mgmt.plan_indicator(frm.doc);
		frm.page.set_indicator(label, colour);
	},
});
