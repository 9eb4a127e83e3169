// Added to Frappe's print page (hooks.py page_js): its Print Format picker names the formats in the
// reader's language ("大客户一对一分析", not "Key Account One-to-One"), in the box and in the list it
// offers. Frappe 15.74 and 16 translate a Link's value only for doctypes marked translated, which Print
// Format is not. The picker shows the translated name; the print view still reads the format's own
// name, which is what it prints with. Frappe appends this to the page's script, after its translations
// (Frappe 15.12 ends those without a semicolon): hence the leading one.
;(function () {
	const PrintView = frappe.ui.form.PrintView;
	if (!PrintView || PrintView.prototype.kam_names_formats_translated) return;
	const setup_sidebar = PrintView.prototype.setup_sidebar;

	PrintView.prototype.setup_sidebar = function () {
		const add_sidebar_item = this.add_sidebar_item;
		const controls = {};
		this.add_sidebar_item = function (df, ...rest) {
			const control = add_sidebar_item.call(this, df, ...rest);
			controls[df.fieldname] = control;
			return control;
		};
		try {
			setup_sidebar.call(this);
		} finally {
			delete this.add_sidebar_item;
		}
		const control = controls.print_format;
		if (control && control.$input && this.print_format_selector === control.$input) {
			this.print_format_selector = translated_picker(control, () => this.frm && this.frm.doctype);
		}
	};
	PrintView.prototype.kam_names_formats_translated = true;

	// The picker's input, as the print view uses it (val, empty), showing names translated.
	function translated_picker(control, doctype) {
		control.is_translatable = () => true;
		const $input = control.$input;
		const name_of = (shown) => {
			if (!shown) return shown;
			const mapped = control.title_value_map && control.title_value_map[shown];
			if (mapped) return mapped;
			const names = ["Standard", ...frappe.meta.get_print_formats(doctype() || "")];
			return names.find((name) => __(name) === shown) || shown;
		};
		return new Proxy($input, {
			get(target, property) {
				if (property === "val") {
					return function (...value) {
						if (!value.length) return name_of(target.val());
						const name = value[0];
						const shown = name ? __(name) : name;
						control.title_value_map = control.title_value_map || {};
						if (name) control.title_value_map[shown] = name;
						target.val(shown);
						return this;
					};
				}
				const member = target[property];
				return typeof member === "function" ? member.bind(target) : member;
			},
		});
	}
})();
