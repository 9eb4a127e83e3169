// Copyright (c) 2026, Key Account Mgmt Developers and contributors
// For license information, please see license.txt

frappe.views.calendar["Joint Promotion"] = {
	field_map: { start: "from_date", end: "to_date", id: "name", title: "title", allDay: "allDay" },
	filters: [{ fieldtype: "Link", fieldname: "key_account", options: "Key Account", label: __("Key Account") }],
	get_events_method: "frappe.desk.calendar.get_events",
};
