// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

const KAM_PICKERS = "key_account_mgmt.api.pickers.";

frappe.ui.form.on("Key Account", {
	setup(frm) {
		// Key-account staff may not read ERPNext's Supplier or Brand: the app searches and checks the
		// picked value for them (api/pickers.py) instead of Frappe's link check, which would refuse them.
		frm.set_query("supplier", "suppliers", () => ({
			query: KAM_PICKERS + "account_suppliers",
			filters: { key_account: frm.is_new() ? "" : frm.doc.name },
		}));
		frm.set_query("brand", () => ({ query: KAM_PICKERS + "account_brands" }));
	},

	refresh(frm) {
		frappe.dynamic_link = { doc: frm.doc, fieldname: "name", doctype: "Key Account" };
		frm.kam_checks_supplier = !frappe.model.can_read("Supplier");
		frm.kam_checks_brand = !frappe.model.can_read("Brand");
		if (frm.kam_checks_supplier) {
			frm.fields_dict.suppliers.grid.update_docfield_property("supplier", "ignore_link_validation", 1);
		}
		if (frm.kam_checks_brand) {
			frm.get_field("brand").df.ignore_link_validation = 1;
		}
		set_tier_options(frm);
		// A locked tier keeps its section open: the lock is what a reader must see first.
		if (frm.doc.tier_locked && frm.fields_dict.lock_section) {
			frm.fields_dict.lock_section.collapse(false);
		}
		if (frm.is_new()) {
			frappe.contacts.clear_address_and_contact(frm);
			return;
		}
		frappe.contacts.render_address_and_contact(frm);
		point_contact_pencils(frm);
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

	tier_locked(frm) {
		set_tier_options(frm);
	},

	brand(frm) {
		if (!frm.doc.brand || !frm.kam_checks_brand) return;
		frappe
			.xcall(KAM_PICKERS + "account_brand", { brand: frm.doc.brand })
			.catch(() => frm.set_value("brand", ""));
	},
});

frappe.ui.form.on("Key Account Supplier", {
	supplier(frm, cdt, cdn) {
		const row = locals[cdt][cdn];
		if (!row.supplier || !frm.kam_checks_supplier) return;
		frappe
			.xcall(KAM_PICKERS + "account_supplier", {
				supplier: row.supplier,
				key_account: frm.is_new() ? null : frm.doc.name,
			})
			.then((found) => frappe.model.set_value(cdt, cdn, "supplier_name", found.supplier_name))
			.catch(() => frappe.model.set_value(cdt, cdn, "supplier", ""));
	},
});

// The Locked Tier picker offers the bands in force, by name in the reader's language.
function set_tier_options(frm) {
	const field = frm.get_field("locked_tier");
	if (!field) return;
	const bands = (frappe.boot.key_account_tiers && frappe.boot.key_account_tiers.bands) || [];
	const options = bands.map((band) => ({ value: band, label: __(band) }));
	field.df.options = options;
	if (field.set_data) field.set_data(options);
}

// A contact card's pencil opens what the reader may edit: the Contact itself, or else the contact's
// role in this account; with neither, no pencil (it would only answer "Not permitted").
function point_contact_pencils(frm) {
	const contacts = (frm.doc.__onload && frm.doc.__onload.contact_list) || [];
	// each contact's card: .address-box in Frappe 15, .contact-box in 16
	const $cards = frm.get_field("contact_html").$wrapper.find(".address-box, .contact-box");
	contacts.forEach((contact, index) => {
		if (contact.may_edit !== false) return;
		const $pencil = $cards.eq(index).find(".edit-btn");
		if (contact.contact_role) {
			$pencil.attr("href", frappe.utils.get_form_link("Key Account Contact Role", contact.contact_role));
		} else {
			$pencil.remove();
		}
	});
}

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
