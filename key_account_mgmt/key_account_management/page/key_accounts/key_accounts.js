// Shown only to a user the Key Accounts workspace is not for: the desk opens the workspace for the others.
frappe.pages["key-accounts"].on_page_load = function (wrapper) {
	const page = frappe.ui.make_app_page({ parent: wrapper, title: __("Key Accounts"), single_column: true });
	$(frappe.render_template("key_accounts", {})).appendTo(page.main);
};
