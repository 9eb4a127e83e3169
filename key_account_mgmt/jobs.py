"""Scheduled work done account by account: one account's failure is rolled back and logged, and the
others go on."""

from collections.abc import Callable, Iterable

import frappe

SAVEPOINT = "kam_each_account"


def for_each_account(accounts: Iterable[str], work: Callable[[str], object], job: str) -> list[str]:
	"""Run `work(account)` for every account inside its own savepoint. An account that fails has its
	writes undone and an Error Log (titled with `job` and the account); returns the accounts that
	failed."""
	failed = []
	for account in accounts:
		frappe.db.savepoint(SAVEPOINT)
		try:
			work(account)
		except Exception:
			frappe.db.rollback(save_point=SAVEPOINT)
			frappe.log_error(
				title=f"{job}: key account {account}",
				reference_doctype="Key Account",
				reference_name=account,
			)
			failed.append(account)
		else:
			frappe.db.release_savepoint(SAVEPOINT)
	return failed


def refresh_measured_criterion(
	accounts: Iterable[str] | None,
	job: str,
	fields: tuple[str, str],
	measure: Callable[[str], dict],
) -> list[str]:
	"""A measured qualification criterion (4, 5 or 6) of `accounts` (default: every key account):
	`measure(account)` gives {"met": 0|1, "evidence": {...}}, written to the account's two `fields`
	(measured tick, evidence as data) straight to the database under the account's row lock, without
	touching `modified` (a computed figure, not an edit of the form). One account that fails is rolled
	back and logged (see for_each_account) and the others go on. Returns the accounts that failed."""
	measured, figures = fields
	if accounts is None:
		accounts = frappe.get_all("Key Account", pluck="name", order_by="name")
	table = frappe.qb.DocType("Key Account")

	def refresh(name: str) -> None:
		# the account's row lock, as every engine write takes it
		frappe.qb.from_(table).select(table.name).where(table.name == name).for_update().run()
		result = measure(name)
		frappe.db.set_value(
			"Key Account",
			name,
			{measured: result["met"], figures: frappe.as_json(result["evidence"], indent=None)},
			update_modified=False,
		)

	return for_each_account(accounts, refresh, job)
