// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Key Account", {
	onload(frm) {
		frappe.db.get_doc("Key Account Settings").then((settings) => {
			frm.set_df_property(
				"locked_tier",
				"options",
				(settings.tier_bands || []).map((band) => band.tier)
			);
		});
	},

	refresh(frm) {
		frappe.dynamic_link = { doc: frm.doc, fieldname: "name", doctype: "Key Account" };
		frm.set_query("supplier", "suppliers", () => ({ filters: { disabled: 0 } }));
		if (frm.is_new()) {
			frappe.contacts.clear_address_and_contact(frm);
			return;
		}
		frappe.contacts.render_address_and_contact(frm);
		render_stock(frm);
		key_account_mgmt.translate_values(frm, ["tier", "computed_tier"]);
		show_evidence(frm);

		const tier = frm.doc.tier;
		frm.page.set_indicator(tier ? __(tier) : __("Not a key account"), key_account_mgmt.tier_colour(tier));
		if (frm.doc.tier_locked && frm.doc.computed_tier !== frm.doc.tier) {
			frm.dashboard.set_headline(
				__("Tier locked at {0}; its purchases give {1}.", [
					__(frm.doc.tier || "no tier"),
					__(frm.doc.computed_tier || "no tier"),
				])
			);
		}
		add_actions(frm);
	},
});

// Only what the user may do: finance reads the account and would get 403 from these.
function add_actions(frm) {
	if (frm.has_perm("write")) {
		frm.add_custom_button(__("Refresh Qualification"), () =>
			frappe
				.xcall("key_account_mgmt.key_account_management.doctype.key_account.key_account.refresh_qualification", {
					name: frm.doc.name,
				})
				.then(() => frm.reload_doc())
		);
	}
	if (frappe.model.can_create("Key Account Negotiation Log")) {
		frm.add_custom_button(
			__("Negotiation Log"),
			() => frappe.new_doc("Key Account Negotiation Log", { key_account: frm.doc.name }),
			__("Create")
		);
	}
	if (frappe.model.can_create("Key Account Contact Role")) {
		frm.add_custom_button(
			__("Contact Role"),
			() => frappe.new_doc("Key Account Contact Role", { key_account: frm.doc.name }),
			__("Create")
		);
	}
}

// Computed evidence is stored as data; the server renders it in the reader's language on load.
function show_evidence(frm) {
	const texts = (frm.doc.__onload && frm.doc.__onload.evidence) || {};
	Object.keys(texts).forEach((fieldname) => {
		const field = frm.fields_dict[fieldname];
		if (!field) return;
		field.df.formatter = () => frappe.utils.escape_html(texts[fieldname]).replace(/\n/g, "<br>");
		frm.refresh_field(fieldname);
	});
}

function render_stock(frm) {
	const rows = (frm.doc.__onload && frm.doc.__onload.stock_by_warehouse) || [];
	if (!rows.length) {
		frm.get_field("stock_html").$wrapper.html(
			`<p class="text-muted">${__("No stock of this account's brand.")}</p>`
		);
		return;
	}
	const body = rows
		.map(
			(row) => `<tr>
				<td>${frappe.utils.escape_html(row.warehouse)}</td>
				<td class="text-right">${format_number(row.actual_qty)}</td>
				<td class="text-right">${format_number(row.ordered_qty)}</td>
				<td class="text-right">${format_number(row.reserved_qty)}</td>
				<td class="text-right">${format_currency(row.stock_value)}</td>
			</tr>`
		)
		.join("");
	frm.get_field("stock_html").$wrapper.html(`<table class="table table-bordered">
		<thead><tr>
			<th>${__("Warehouse")}</th><th class="text-right">${__("In Stock")}</th>
			<th class="text-right">${__("Ordered")}</th><th class="text-right">${__("Reserved")}</th>
			<th class="text-right">${__("Stock Value")}</th>
		</tr></thead><tbody>${body}</tbody></table>`);
}
