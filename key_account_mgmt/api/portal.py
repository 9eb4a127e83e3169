"""The data-sharing portal's API: a contact's website user reads its own account's data only."""

import frappe
from frappe import _

from key_account_mgmt import inputs
from key_account_mgmt.marketing.portal_access import check_portal_access
from key_account_mgmt.marketing.sharing import portal_data


@frappe.whitelist(methods=["POST"])
def get_portal_data(account: str | None = None) -> dict:
	account = inputs.name(account, _("Key Account"), required=False)
	return portal_data(check_portal_access(frappe.session.user, account))
