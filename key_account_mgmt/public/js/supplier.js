frappe.ui.form.on("Supplier", {
	refresh(frm) {
		key_account_mgmt.show_key_account(frm);
	},
});
