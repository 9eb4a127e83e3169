"""Workers for the concurrency tests: separate processes, each with its own database connection, as
users' requests are. Nothing here retries: an operation that fails is what a user would see fail."""

import frappe


def connect(site: str, sites_path: str, user: str = "Administrator") -> None:
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.set_user(user)


def submit_purchase_invoices(
	site: str, sites_path: str, invoice_names: list[str], barrier, results, user: str = "Administrator"
) -> None:
	"""Submit each invoice in its own transaction, right after the siblings are ready. No retries: each
	result is (name, "submitted") or (name, what the user was told, the error)."""
	connect(site, sites_path, user)
	try:
		barrier.wait(timeout=120)
		for name in invoice_names:
			try:
				frappe.get_doc("Purchase Invoice", name).submit()
				frappe.db.commit()
				results.put((name, "submitted"))
			except Exception as error:
				frappe.db.rollback()
				results.put((name, failure_kind(error), repr(error)))
	finally:
		frappe.destroy()


def submit_purchase_invoice(
	site: str, sites_path: str, invoice_name: str, barrier, results, user: str = "Administrator"
) -> None:
	submit_purchase_invoices(site, sites_path, [invoice_name], barrier, results, user)


def add_supplier(site: str, sites_path: str, account: str, supplier: str, barrier, results) -> None:
	"""A manager adds `supplier` to `account` and saves, at the same moment as a sibling."""
	connect(site, sites_path)
	try:
		doc = frappe.get_doc("Key Account", account)
		doc.append("suppliers", {"supplier": supplier})
		barrier.wait(timeout=120)
		try:
			doc.save()
			frappe.db.commit()
			results.put((account, "saved"))
		except Exception as error:
			frappe.db.rollback()
			results.put((account, f"{type(error).__name__}: {error}"))
	finally:
		frappe.destroy()


def in_an_old_transaction(site: str, sites_path: str, task: str, argument, ready, go, results) -> None:
	"""Begin a transaction and read (its snapshot is taken now), let the caller commit a change, then
	do `task` in that same transaction, as a request that began just before the change would."""
	connect(site, sites_path)
	try:
		frappe.db.sql("SELECT name FROM `tabKey Account` LIMIT 1")
		frappe.db.sql("SELECT doctype FROM `tabSingles` LIMIT 1")
		ready.set()
		go.wait(timeout=120)
		try:
			results.put(TASKS[task](argument))
			frappe.db.commit()
		except Exception as error:
			frappe.db.rollback()
			results.put(f"error: {error!r}")
	finally:
		frappe.destroy()


def hold_account_then_read_bands(site: str, sites_path: str, account: str, ready, results) -> None:
	"""Lock an account as a posting does, wait until a band change queues on that lock, then read the
	bands."""
	from key_account_mgmt.tiering.persistence import lock_accounts

	connect(site, sites_path)
	try:
		lock_accounts(account)
		ready.set()
		wait_until_another_connection_locks("tabKey Account")
		try:
			results.put(bands(None))
			frappe.db.commit()
		except Exception as error:
			frappe.db.rollback()
			results.put(f"error: {error!r}")
	finally:
		frappe.destroy()


def join_holding_the_supplier(
	site: str, sites_path: str, account: str, supplier: str, ready, go, results, user: str
) -> None:
	"""`user` adds `supplier` to `account`: the save's first lock, the supplier's, is taken, then the
	caller lets an invoice of that supplier start its submit before the save goes on."""
	from key_account_mgmt.tiering.membership import lock_suppliers

	connect(site, sites_path, user)
	try:
		doc = frappe.get_doc("Key Account", account)
		doc.append("suppliers", {"supplier": supplier})
		lock_suppliers([supplier])
		ready.set()
		go.wait(timeout=120)
		try:
			doc.save()
			frappe.db.commit()
			results.put("saved")
		except Exception as error:
			frappe.db.rollback()
			results.put(failure_kind(error))
	finally:
		frappe.destroy()


def run_scheduled_method(site: str, sites_path: str, method: str, barrier, results) -> None:
	"""Run a scheduler_events method as a worker's run_scheduled_job does, at the same moment as a
	sibling (two workers on two machines picking up the same day's run)."""
	connect(site, sites_path)
	try:
		barrier.wait(timeout=120)
		try:
			frappe.get_attr(method)()
			frappe.db.commit()
			results.put("done")
		except Exception as error:
			frappe.db.rollback()
			results.put(f"error: {error!r}")
	finally:
		frappe.destroy()


def perform_job(site: str, sites_path: str, job_id: str, results) -> None:
	"""Run one job taken off a Frappe queue as an RQ worker runs it: `Job.perform()`, which calls
	Frappe's execute_job (connect to the site as the user who queued it, run, commit)."""
	import os

	from frappe.utils.background_jobs import get_redis_conn
	from rq.job import Job

	os.chdir(sites_path)  # execute_job initialises the site from the working directory
	frappe.init(site=site, sites_path=sites_path)
	job = Job.fetch(job_id, connection=get_redis_conn())
	frappe.destroy()
	try:
		job.perform()
		results.put("performed")
	except Exception as error:
		results.put(f"error: {error!r}")


def submit(invoice_name: str) -> str:
	frappe.get_doc("Purchase Invoice", invoice_name).submit()
	return "submitted"


def bands(_argument) -> list:
	from key_account_mgmt.tiering.settings import get_tiering_settings

	return [(band.tier, float(band.lower_bound)) for band in get_tiering_settings().bands]


def submit_and_read_bands(invoice_name: str) -> list:
	submit(invoice_name)
	return bands(None)


TASKS = {"submit": submit, "bands": bands, "submit_and_read_bands": submit_and_read_bands}


def failure_kind(error: BaseException) -> str:
	"""What a user would be told, in a few words: deadlocks, lock timeouts and lost connections by
	their MariaDB error, anything else by its class."""
	cause = (
		error.__cause__ or error
	)  # Frappe wraps the driver's error (QueryDeadlockError, QueryTimeoutError)
	args = getattr(cause, "args", ())
	code = args[0] if args and isinstance(args[0], int) else None
	kinds = {
		1213: "deadlock",
		1205: "lock wait timeout",
		2006: "server gone away",
		2013: "lost connection",
		2003: "cannot connect",
		1053: "server shutdown",
		1927: "connection killed",
	}
	kind = kinds.get(code) or ("deadlock" if "Deadlock found" in str(error) else type(error).__name__)
	if kind in ("deadlock", "lock wait timeout"):
		return f"{kind} in {statement_origin(error)}"
	return kind


def statement_origin(error: BaseException) -> str:
	"""The code that ran the statement: this app's innermost function if the app ran it, else
	ERPNext's (or Frappe's) innermost one outside the database layer."""
	frames = []
	traceback_ = error.__traceback__
	while traceback_:
		frames.append(traceback_.tb_frame)
		traceback_ = traceback_.tb_next
	for marker in ("/key_account_mgmt/", "/erpnext/", "/frappe/"):
		for frame in reversed(frames):
			path = frame.f_code.co_filename
			if marker in path and "/tests/" not in path and "/frappe/database/" not in path:
				if "/query_builder/" in path:
					continue
				module = frame.f_globals.get("__name__", path)
				return f"{module}.{frame.f_code.co_name}"
	return "?"


def wait_until_another_connection_locks(table: str, timeout: float = 120) -> None:
	"""Poll until another connection of this site runs a locking read of `table` (it waits on a lock
	this one holds). A user sees the processlist rows of their own connections without privileges."""
	import time

	deadline = time.monotonic() + timeout
	while time.monotonic() < deadline:
		waiting = frappe.db.sql(
			"SELECT COUNT(*) FROM information_schema.PROCESSLIST"
			" WHERE ID != CONNECTION_ID() AND INFO LIKE %s AND INFO LIKE %s",
			(f"%`{table}`%", "%FOR UPDATE%"),
		)[0][0]
		if waiting:
			return
		time.sleep(0.05)
	raise TimeoutError(f"no other connection locked {table} within {timeout} s")
