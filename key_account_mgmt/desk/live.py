"""What the desk's scripts need at boot besides the tiers (desk/tiers.py).

- Live updates. A production bench puts a proxy in front of Frappe that sends /socket.io to the bench's
  socket.io server on the desk's own address. dev/up serves the desk and socket.io on two loopback
  ports with nothing in front, and says so in the site's config (`kam_socketio_direct`): the desk's
  socket then connects to the socket.io port itself (key_account_mgmt.js).
- The account a one-account analysis opens on (Agent Contribution): the user's own account, else the
  one bought from most, among those the user may read. Known at boot, so the report's filter has it
  before the report first runs."""

import frappe


def extend_bootinfo(bootinfo) -> None:
	if frappe.conf.get("kam_socketio_direct"):
		bootinfo.kam_socketio_direct = 1
	bootinfo.kam_default_key_account = default_key_account()


def default_key_account() -> str | None:
	if frappe.session.user == "Guest" or not frappe.has_permission("Key Account", "read"):
		return None
	for filters in ({"account_manager": frappe.session.user}, {}):
		accounts = frappe.get_list(
			"Key Account", filters=filters, pluck="name", order_by="purchase_amount desc", limit=1
		)
		if accounts:
			return accounts[0]
	return None
