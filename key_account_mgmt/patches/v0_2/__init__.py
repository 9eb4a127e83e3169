"""Patches of release 0.2.0. They replace the thirteen lines of 0.1.0's patches.txt, six of which called
into live modules (`execute:`): each is now a module of its own that finds its work done on a site at
0.1.0 and returns at once, so upgrading from 0.1.0 costs a few reads."""

import frappe


def ran(patch_line: str) -> bool:
	"""Whether the site ran this line of an earlier patches.txt, or was installed with it (an install
	records every line as run). Frappe's Patch Log keys a patch on its exact line."""
	return bool(frappe.db.exists("Patch Log", {"patch": patch_line, "skipped": 0}))
