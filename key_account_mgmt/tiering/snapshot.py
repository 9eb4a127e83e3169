"""The engine's locks under MariaDB's snapshot isolation.

MariaDB 11.8 turns `innodb_snapshot_isolation` on by default (10.11 leaves it off). With it on, a
locking read, or a write, of a row that another transaction changed after this transaction's snapshot
(taken at its first plain read) fails with error 1020, "Record has changed since last read", and the
database rolls the whole transaction back. The engine's locks are such reads by design: they are where
a posting waits for the posting or the membership change before it, and must then read what that one
committed (persistence.py). Two remedies, one for each way the engine is reached:

- A posting runs inside ERPNext's submit, after its validation has read plenty: the engine takes its
  locks and, when the database refuses them, takes them again in the new transaction, the invoice's
  own row first. Nothing is lost when the refused transaction had written nothing yet.
- A key account's save takes its locks before Frappe reads the account: when this transaction has
  written nothing and holds none of the engine's locks, it begins afresh there, so that the save's
  snapshot is taken after its locks and the invoices it reads for a joining supplier are the ones
  committed before it.

Under the default of 10.11 (off) neither changes anything: error 1020 never comes, and a save does not
begin afresh."""

from collections.abc import Callable
from typing import TypeVar

import frappe
from frappe import _

RECORD_CHANGED = 1020
# Each attempt that fails was overtaken by a posting that committed: with N postings of one account at
# once, the last one needs at most N - 1 more attempts.
ATTEMPTS = 10

T = TypeVar("T")


def record_changed(error: BaseException | None) -> bool:
	"""Whether `error` is MariaDB's error 1020, however Frappe wrapped it (Frappe 16 raises
	QueryDeadlockError from it, Frappe 15 the driver's error itself)."""
	seen = set()
	while error is not None and id(error) not in seen:
		seen.add(id(error))
		args = getattr(error, "args", ())
		if args and args[0] == RECORD_CHANGED:
			return True
		if args and isinstance(args[0], BaseException):
			error = args[0]
		else:
			error = error.__cause__
	return False


def with_retaken_locks(take_locks: Callable[[], T], document=None) -> T:
	"""`take_locks()`, the engine's locking reads before it writes anything. When the database refuses
	one because the row changed since this transaction's snapshot, it has rolled the transaction back:
	if that had written nothing, `document`'s row (the invoice being posted) is locked again and must be
	as Frappe found it, and the locks are taken again, now in a new transaction whose snapshot is no
	older than the change. Otherwise the error stands, as Frappe reports a deadlock."""
	for attempt in range(1, ATTEMPTS + 1):
		written = frappe.db.transaction_writes
		try:
			return take_locks()
		except Exception as error:
			if not record_changed(error) or written or attempt == ATTEMPTS:
				raise
		if document is not None:
			lock_unchanged(document)
	raise AssertionError("unreachable")


def lock_unchanged(document) -> None:
	"""Lock `document`'s row, first thing in the new transaction, as Frappe's check_if_latest did in
	the one the database rolled back, and refuse to go on if someone changed it in between."""
	before = document.get_doc_before_save()
	if before is None:
		return  # a document being inserted: it has no row yet
	row = frappe.db.sql(
		f"SELECT modified, docstatus FROM `tab{document.doctype}` WHERE name = %s FOR UPDATE",
		document.name,
	)
	if not row or (str(row[0][0]), row[0][1]) != (str(before.modified), before.docstatus):
		message = _("{0} {1} has been changed since you opened it. Please reload it and try again.")
		frappe.throw(message.format(_(document.doctype), document.name), exc=frappe.TimestampMismatchError)


def snapshot_isolation() -> bool:
	"""Whether this connection's transactions refuse locking reads of rows changed after their snapshot
	(asked once per connection)."""
	value = getattr(frappe.db, "key_account_snapshot_isolation", None)
	if value is None:
		value = bool(frappe.db.sql("SELECT @@innodb_snapshot_isolation")[0][0])
		frappe.db.key_account_snapshot_isolation = value
	return value


def begin_before_locking() -> None:
	"""Begin a new transaction, so that the locks taken next come before its snapshot, when the
	database refuses locking reads of rows changed after a snapshot (see above) and nothing is lost:
	this transaction has written nothing, holds none of the engine's locks, and may end here (Frappe 16
	forbids ending one inside another document's hooks)."""
	if (
		frappe.db.transaction_writes
		or frappe.local.flags.get("key_account_locks_held")
		or getattr(frappe.db, "_disable_transaction_control", 0)
		or not snapshot_isolation()
	):
		return
	frappe.db.sql("ROLLBACK")


def note_locks_held() -> None:
	"""The engine took locks that its caller relies on: this transaction does not begin afresh (until it
	ends)."""
	if frappe.local.flags.get("key_account_locks_held"):
		return
	frappe.local.flags.key_account_locks_held = True
	frappe.db.after_commit.add(forget_locks)
	frappe.db.after_rollback.add(forget_locks)


def forget_locks() -> None:
	frappe.local.flags.key_account_locks_held = False
