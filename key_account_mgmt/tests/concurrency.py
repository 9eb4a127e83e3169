"""Worker for the concurrency test: a separate process with its own database connection submits
one Purchase Invoice at the same moment as its siblings."""

import frappe


def submit_purchase_invoice(site: str, sites_path: str, invoice_name: str, barrier, results) -> None:
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		barrier.wait(timeout=60)
		for attempt in range(5):
			try:
				frappe.get_doc("Purchase Invoice", invoice_name).submit()
				frappe.db.commit()
				results.put((invoice_name, "submitted", attempt))
				return
			except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
				# What a user would do on "deadlock, try again": the posting is retried as a whole.
				frappe.db.rollback()
		results.put((invoice_name, "gave up", 5))
	except Exception as error:
		frappe.db.rollback()
		results.put((invoice_name, f"error: {error!r}", 0))
	finally:
		frappe.destroy()
