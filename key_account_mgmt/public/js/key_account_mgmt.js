frappe.provide("key_account_mgmt");

// One colour per band rank, lowest band first, as key_account_mgmt/desk/tiers.py defines them.
key_account_mgmt.tier_colour = function (tier) {
	const tiers = frappe.boot.key_account_tiers || { bands: [], colours: [], no_tier: "gray" };
	const rank = tiers.bands.indexOf(tier);
	return rank >= 0 ? tiers.colours[rank] : tiers.no_tier;
};

// Tier names are band names from the settings (data): translate them wherever they are shown.
key_account_mgmt.tier_label = function (tier) {
	return tier ? __(tier) : "";
};

// Read-only fields whose values are names kept as data (tiers, workflow states) show them translated.
key_account_mgmt.translate_values = function (frm, fieldnames) {
	fieldnames.forEach((fieldname) => {
		const field = frm.fields_dict[fieldname];
		if (field) {
			field.df.formatter = (value) => frappe.utils.escape_html(value ? __(value) : "");
			frm.refresh_field(fieldname);
		}
	});
};

// The supplier's account and tier above the form's tabs: the dashboard sits in the Connections tab.
key_account_mgmt.show_key_account = function (frm) {
	key_account_mgmt.translate_values(frm, ["key_account_tier"]);
	if (!frm.doc.key_account) return;
	const tier = frm.doc.key_account_tier ? __(frm.doc.key_account_tier) : __("no tier");
	const text = __("Key Account {0}: {1}", [frm.doc.key_account, tier]);
	const colour = key_account_mgmt.tier_colour(frm.doc.key_account_tier);
	frm.dashboard.set_headline(
		`<span class="indicator-pill ${colour}">${frappe.utils.escape_html(text)}</span>`
	);
};

// The company filter of the analyses that sum invoices: the user's default company to start with, for
// a user who may pick a company. Frappe refuses a report whose link filter names a record the user may
// neither read nor select (Frappe 16 checks the desk's filters too), so a role that may not pick a
// company starts without one: the report covers the Companies That Count.
key_account_mgmt.company_filter = function () {
	const may_pick = frappe.model.can_read("Company") || frappe.model.can_select("Company");
	return {
		fieldname: "company",
		label: __("Company"),
		fieldtype: "Link",
		options: "Company",
		default: may_pick ? frappe.defaults.get_user_default("Company") : "",
	};
};

// The period filters most key-account reports share: the twelve months ending today by default.
key_account_mgmt.period_filters = function () {
	return [
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_days(frappe.datetime.add_months(frappe.datetime.get_today(), -12), 1),
			reqd: 1,
		},
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.get_today(), reqd: 1 },
	];
};

// A plan's state as one indicator, in the list and on the form: received on time green, received
// late orange, overdue red, still expected blue.
key_account_mgmt.plan_indicator = function (doc) {
	if (doc.status === "Received") {
		const late = doc.received_on && doc.due_date && doc.received_on > doc.due_date;
		return late ? [__("Received Late"), "orange", "status,=,Received"] : [__("Received"), "green", "status,=,Received"];
	}
	if (doc.status === "Overdue") return [__("Overdue"), "red", "status,=,Overdue"];
	return [__(doc.status || "Expected"), "blue", `status,=,${doc.status || "Expected"}`];
};

// The analyses' cells: a share of a whole (a Float column the total row adds up, `percent_of_whole`)
// shows "%" like the rates beside it, and a column without a total (a rate, a growth, a cumulative
// share) leaves the total row's cell blank instead of Frappe's "0%".
key_account_mgmt.report_formatter = function (value, row, column, data, default_formatter) {
	// the datatable's total row has no data object
	if (!data && column.disable_total && (value === "" || value === null || value === undefined)) {
		return "";
	}
	const formatted = default_formatter(value, row, column, data);
	if (column.percent_of_whole && value !== "" && value !== null && value !== undefined) {
		// inside the number's right-aligned block, not on a line of its own after it
		return /<\/div>\s*$/.test(formatted) ? formatted.replace(/<\/div>\s*$/, "%</div>") : `${formatted}%`;
	}
	return formatted;
};

// A report filter that holds a value from the start shows its label above the value: the desk shows
// a filter's label only as the placeholder of an empty input.
key_account_mgmt.label_filter = function (filter, label) {
	filter.df.label = label;
	filter.df.placeholder = label;
	if (filter.$input) filter.$input.attr("placeholder", label);
	$(filter.wrapper).attr("title", label).attr("data-original-title", label);
	let $label = $(filter.wrapper).find(".kam-filter-label");
	if (!$label.length) {
		$label = $('<div class="kam-filter-label text-muted small text-truncate"></div>').prependTo(filter.wrapper);
	}
	$label.text(label);
};

// The same in a table's rows: names kept as data (tiers, contact levels) shown in the reader's
// language in the grid; the edited value stays the stored name.
key_account_mgmt.translate_grid_values = function (frm, table, fieldnames) {
	const grid = frm.fields_dict[table] && frm.fields_dict[table].grid;
	if (!grid) return;
	fieldnames.forEach((fieldname) => {
		grid.update_docfield_property(fieldname, "formatter", (value) =>
			frappe.utils.escape_html(value ? __(value) : "")
		);
	});
	grid.refresh();
};

// The form timeline's "changed X from A to B" for the app's documents: values that are names kept as
// data or options (select options, tiers, workflow states, contact levels) in the reader's language,
// and no line for a link to an internal record (an agreement's ToDo id). Frappe builds those lines
// from the Version's raw values; its timeline is reached through the open form's instance.
key_account_mgmt.TRANSLATED_VALUE_FIELDS = [
	"tier",
	"computed_tier",
	"locked_tier",
	"from_tier",
	"to_tier",
	"workflow_state",
	"level",
];
key_account_mgmt.INTERNAL_LINKS = ["ToDo"];

key_account_mgmt.version_in_reader_language = function (version, doctype) {
	let data;
	try {
		data = JSON.parse(version.data);
	} catch (e) {
		return version;
	}
	const shown = (child_doctype) => (change) => {
		const df = frappe.meta.get_docfield(child_doctype, change[0]);
		return !(df && df.fieldtype === "Link" && key_account_mgmt.INTERNAL_LINKS.includes(df.options));
	};
	const translate = (child_doctype) => (change) => {
		const df = frappe.meta.get_docfield(child_doctype, change[0]);
		const by_value =
			df &&
			(["Select", "Autocomplete"].includes(df.fieldtype) ||
				key_account_mgmt.TRANSLATED_VALUE_FIELDS.includes(df.fieldname));
		if (!by_value) return change;
		return [change[0], ...change.slice(1).map((value) => (typeof value === "string" && value ? __(value) : value))];
	};
	if (data.changed) data.changed = data.changed.filter(shown(doctype)).map(translate(doctype));
	if (data.row_changed) {
		data.row_changed = data.row_changed
			.map((row) => {
				const table = frappe.meta.get_docfield(doctype, row[0]);
				const child = table && table.options;
				if (!child) return row;
				return [row[0], row[1], row[2], (row[3] || []).filter(shown(child)).map(translate(child))];
			})
			.filter((row) => (row[3] || []).length);
	}
	return Object.assign({}, version, { data: JSON.stringify(data) });
};

$(document).on("form-refresh", (event, frm) => {
	if (!frm || !frm.timeline || !frm.meta || frm.meta.module !== "Key Account Management") return;
	const timeline = Object.getPrototypeOf(frm.timeline);
	if (!timeline || timeline.kam_translates_values || !timeline.get_version_timeline_contents) return;
	const original = timeline.get_version_timeline_contents;
	timeline.get_version_timeline_contents = function () {
		if (!this.frm || !this.frm.meta || this.frm.meta.module !== "Key Account Management") {
			return original.call(this);
		}
		const doc_info = this.doc_info || this.frm.get_docinfo() || {};
		const versions = doc_info.versions;
		doc_info.versions = (versions || []).map((version) =>
			key_account_mgmt.version_in_reader_language(version, this.frm.doctype)
		);
		try {
			return original.call(this);
		} finally {
			doc_info.versions = versions;
		}
	};
	timeline.kam_translates_values = true;
	frm.timeline.refresh();
});

// dev/up's desk has no proxy in front to send /socket.io to the bench's socket.io server: the socket
// connects to that server's port on the same host (desk/live.py).
if (frappe.boot && frappe.boot.kam_socketio_direct && frappe.boot.socketio_port && frappe.realtime) {
	frappe.realtime.get_host = function () {
		const { protocol, hostname } = window.location;
		return `${protocol}//${hostname}:${frappe.boot.socketio_port}/${frappe.boot.sitename}`;
	};
}

// Frappe 16's form asks the server, before each workflow action, whether the workflow wants it
// confirmed, and only a System Manager may read a Workflow: every other user is told "No permission for
// Workflow" and cannot act (frappe/frappe#34991). Answer from the workflow the form has already loaded,
// as Frappe's own fix does (frappe/frappe#36955); Frappe 15 never asks.
(function () {
	const get_value = frappe.db.get_value;
	frappe.db.get_value = function (doctype, filters, fieldname, callback, ...rest) {
		const workflow =
			doctype === "Workflow" &&
			fieldname === "enable_action_confirmation" &&
			frappe.workflow?.workflows?.[filters?.document_type];
		if (!workflow) {
			return get_value.call(this, doctype, filters, fieldname, callback, ...rest);
		}
		const answer = {
			message: { enable_action_confirmation: workflow.enable_action_confirmation || 0 },
		};
		callback && callback(answer.message);
		return Promise.resolve(answer);
	};
})();
