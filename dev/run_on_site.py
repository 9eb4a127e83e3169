"""Run a function of this app on a site with the bench's Python, committing when it returns:

    cd $KAM_BENCH/sites && ../env/bin/python /path/to/dev/run_on_site.py SITE module.function [args...]

Unlike `bench execute`, it works before the app is installed on the site (for the cached ERPNext base)."""

import importlib
import sys

import frappe


def main(site: str, dotted: str, *args: str) -> None:
	module, _, function = dotted.rpartition(".")
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	try:
		result = getattr(importlib.import_module(module), function)(*args)
		frappe.db.commit()
		if result is not None:
			print(result)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main(*sys.argv[1:])
