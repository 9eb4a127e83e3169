"""The key account's timeline: its submitted negotiation logs (Art. 17.1), each at its meeting time.

Frappe's own timeline shows only what happened to the account document itself; the logs are separate
documents, so they come in through the `additional_timeline_content` hook, read when the form opens
(a cancelled log drops out)."""

import frappe
from frappe import _
from frappe.utils import escape_html, get_link_to_form

LOG = "Key Account Negotiation Log"


def negotiation_logs(doctype: str, docname: str) -> list[dict]:
	if not frappe.has_permission(LOG, "read"):
		return []
	return [
		{
			"icon": "users",
			"is_card": False,
			"creation": log.negotiation_datetime,
			"content": _("Negotiation {0}: {1} ({2})").format(
				get_link_to_form(LOG, log.name),
				escape_html(log.subject),
				escape_html(log.place_or_channel or ""),
			),
		}
		for log in frappe.get_list(
			LOG,
			filters={"key_account": docname, "docstatus": 1},
			fields=["name", "subject", "place_or_channel", "negotiation_datetime"],
			order_by="negotiation_datetime desc",
		)
	]
