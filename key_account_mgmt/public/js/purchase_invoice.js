frappe.ui.form.on("Purchase Invoice", {
	refresh(frm) {
		if (frm.doc.docstatus === 1) {
			key_account_mgmt.show_key_account(frm);
		}
	},
});
