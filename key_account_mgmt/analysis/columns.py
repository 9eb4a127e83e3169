"""Report columns that many of the analyses show."""

from frappe import _


def key_account_column(width: int = 140) -> dict:
	return {
		"label": _("Key Account"),
		"fieldname": "key_account",
		"fieldtype": "Link",
		"options": "Key Account",
		"width": width,
	}
