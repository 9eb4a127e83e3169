"""Live updates on the desk. A production bench puts a proxy in front of Frappe that sends /socket.io to
the bench's socket.io server on the desk's own address. dev/up serves the desk and socket.io on two
loopback ports with nothing in front, and says so in the site's config (`kam_socketio_direct`): the
desk's socket then connects to the socket.io port itself (key_account_mgmt.js)."""

import frappe


def extend_bootinfo(bootinfo) -> None:
	if frappe.conf.get("kam_socketio_direct"):
		bootinfo.kam_socketio_direct = 1
