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
