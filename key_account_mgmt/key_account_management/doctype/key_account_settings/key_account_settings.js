// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

// A band or settings change re-evaluates every key account in a background job; the form says so
// while it waits or runs, and Frappe's progress dialog follows the job (frappe.publish_progress).
frappe.ui.form.on("Key Account Settings", {
	setup(frm) {
		// A Key Account Manager may not read ERPNext's Currency or Company: the app searches them on
		// its behalf (api/pickers.py), and the save checks the values instead of the picker.
		frm.set_query("threshold_currency", () => ({
			query: "key_account_mgmt.api.pickers.settings_currencies",
		}));
		frm.set_query("companies", () => ({ query: "key_account_mgmt.api.pickers.settings_companies" }));
	},
	refresh(frm) {
		if (!frappe.model.can_read("Currency")) frm.get_field("threshold_currency").df.ignore_link_validation = 1;
		if (!frappe.model.can_read("Company")) frm.get_field("companies").df.ignore_link_validation = 1;
		key_account_mgmt.translate_grid_values(frm, "tier_bands", ["tier"]);
		show_reevaluation_status(frm);
		if (!frm.reevaluation_listener) {
			frm.reevaluation_listener = (data) => {
				if (data && data.title === __("Re-evaluating Key Accounts") && flt(data.percent) >= 100) {
					show_reevaluation_status(frm);
				}
			};
			frappe.realtime.on("progress", frm.reevaluation_listener);
		}
	},
	after_save(frm) {
		show_reevaluation_status(frm);
	},
});

function show_reevaluation_status(frm) {
	frappe
		.call({
			method: "key_account_mgmt.tiering.reevaluation.reevaluation_status",
			type: "GET",
		})
		.then(({ message }) => {
			frm.set_intro("");
			if (message && message.running) {
				frm.set_intro(
					__("Key accounts are being re-evaluated with these settings in the background."),
					"blue"
				);
			} else if (message && message.queued) {
				frm.set_intro(
					__("A re-evaluation of every key account with these settings is waiting to run."),
					"blue"
				);
			}
		});
}
