// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account Monthly Report", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Regenerate From Sales"), () =>
			frappe
				.xcall(
					"key_account_mgmt.key_account_management.doctype.key_account_monthly_report.key_account_monthly_report.regenerate",
					{ name: frm.doc.name }
				)
				.then(() => frm.reload_doc())
		);
	},
});
