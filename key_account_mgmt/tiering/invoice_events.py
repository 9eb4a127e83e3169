"""Purchase Invoice doc_events: the posting and its key account's new totals commit together."""

import frappe
from frappe import _

from key_account_mgmt.tiering import ledger, purchase_months
from key_account_mgmt.tiering.evaluation import Cause, PostingScope, convert_ledger, evaluate_account
from key_account_mgmt.tiering.notification import tier_change_message
from key_account_mgmt.tiering.persistence import ACCOUNT_FIELDS, TierChange, lock_accounts
from key_account_mgmt.tiering.settings import TieringSettings, get_tiering_settings
from key_account_mgmt.tiering.snapshot import snapshot_isolation, with_retaken_locks


def key_account_of(supplier: str) -> str | None:
	rows = frappe.db.sql(
		"SELECT parent FROM `tabKey Account Supplier` WHERE supplier = %s AND parenttype = 'Key Account'",
		supplier,
	)
	return rows[0][0] if rows else None


def before_validate(doc, method=None):
	"""Under snapshot isolation (MariaDB 11.8's default) a submit takes its locks here, before ERPNext's
	validation writes anything, so that the database refusing them can be answered by taking them again
	(snapshot.py); before_submit goes on with them. Without it they are taken in before_submit, as the
	posting's cost was measured."""
	if getattr(doc, "_action", None) == "submit" and snapshot_isolation():
		doc.flags.key_account_posting_locks = (take_posting_locks(doc),)


def before_submit(doc, method=None):
	update_key_account(doc, posted=True)


def before_cancel(doc, method=None):
	update_key_account(doc, posted=False)


# The supplier's account as this transaction's snapshot sees it (the subquery, a plain read), then
# that account's row and the Supplier row, both locked and read as last committed, in the lock order
# of persistence.py: the account first (STRAIGHT_JOIN), then the supplier.
LOCK_SUPPLIER_ACCOUNT = f"""
SELECT {", ".join(f"ka.`{field}`" for field in ACCOUNT_FIELDS)}, sup.key_account AS supplier_account
FROM `tabKey Account` ka STRAIGHT_JOIN `tabSupplier` sup ON sup.name = %(supplier)s
WHERE ka.name = (
	SELECT parent FROM `tabKey Account Supplier` WHERE supplier = %(supplier)s AND parenttype = 'Key Account'
)
FOR UPDATE"""


def lock_supplier_account(supplier: str) -> dict | None:
	"""Lock the supplier's key account row, then the Supplier row (the lock order, see persistence.py),
	in one statement when the supplier has not moved since this transaction's snapshot. A supplier that
	joined or left an account since is seen as it is now, from the Supplier row read under its lock.
	None when the supplier is in no (existing) account."""
	rows = frappe.db.sql(LOCK_SUPPLIER_ACCOUNT, {"supplier": supplier}, as_dict=True)
	if rows:
		account = rows[0]
		current = account.pop("supplier_account")
		if current == account.name:
			return account
	else:  # in no account as the snapshot sees it: it may have joined one since
		current = frappe.db.sql(
			"SELECT key_account FROM `tabSupplier` WHERE name = %s LOCK IN SHARE MODE", supplier
		)
		current = current[0][0] if current else None
	locked = lock_accounts(current) if current else []
	return locked[0] if locked else None


def lock_posting(supplier: str) -> tuple[dict, TieringSettings] | None:
	"""The posting's locks, before it writes anything: its account, its supplier, then the settings
	(read under a shared lock, after the account: the lock order)."""
	locked_row = lock_supplier_account(supplier)
	return (locked_row, get_tiering_settings()) if locked_row else None


def take_posting_locks(invoice) -> tuple[dict, TieringSettings] | None:
	"""Taken again in a new transaction when the database refuses them (MariaDB 11.8, see snapshot.py).
	The new transaction locks the account the refused attempt found before anything else (a locking
	read takes no snapshot), so that its snapshot, taken at its next plain read, comes after that lock:
	no posting can change the account in between, and the database does not refuse it again, however
	many postings of the account queue before it (unless the supplier left the account meanwhile)."""
	found: list[str | None] = []

	def lock() -> tuple[dict, TieringSettings] | None:
		if found and found[-1]:
			lock_accounts(found[-1])
		if snapshot_isolation():
			found.append(key_account_of(invoice.supplier))
		return lock_posting(invoice.supplier)

	return with_retaken_locks(lock, document=invoice)


def update_key_account(invoice, posted: bool) -> None:
	early = invoice.flags.pop("key_account_posting_locks", None)  # this submit's, from before_validate
	locked = early[0] if early and posted else take_posting_locks(invoice)
	if not locked:
		return
	locked_row, settings = locked
	account = locked_row.name
	# Before this invoice's own entry is written or removed: the conversion rebuilds the account's
	# entries from the invoices as the database holds them, where this one is not submitted yet (or
	# not cancelled yet), since these hooks run before the invoice's row is written.
	converted = convert_ledger([locked_row], settings)
	# Lock first, then write the ledger row: see persistence.py on why the order matters.
	if posted:
		fiscal_year = ledger.record_invoice(invoice, settings)
		purchase_months.recompute_month(invoice.supplier, invoice.company, invoice.posting_date)
		changed = [(fiscal_year, 1)]
	else:
		removed = ledger.remove_invoice(invoice.name)
		for entry in removed:
			purchase_months.recompute_month(entry.supplier, entry.company, entry.posting_date)
			purchase_months.remove_empty(entry.supplier, entry.company, entry.posting_date)
		changed = [(entry.fiscal_year, -1) for entry in removed]
	# only a cancel can leave a year without entries; a submit adds to its year
	vanishing = {fiscal_year for fiscal_year, change in changed if fiscal_year and change < 0}
	# A new threshold currency rewrites every year's row: no bounded posting then.
	bounded = len(changed) == 1 and changed[0][0] and not converted
	result = evaluate_account(
		account,
		Cause.PURCHASE_INVOICE,
		invoice.doctype,
		invoice.name,
		settings,
		locked_row=locked_row,
		vanishing_years=vanishing,
		posting=PostingScope(*changed[0]) if bounded else None,
	)
	if posted:
		# Finance filters invoices by the tier their posting left the account in. Set before the submit
		# writes the invoice's row, so the stamp costs no statement of its own.
		invoice.key_account, invoice.key_account_tier = account, result.tier
	announce(result.change, settings)


def announce(change: TierChange | None, settings: TieringSettings) -> None:
	"""The user who posted sees the tier change on the spot."""
	if change:
		frappe.msgprint(
			tier_change_message(change, settings),
			title=_("Key Account Tier Changed"),
			indicator="green" if change.to_tier else "orange",
			alert=False,
		)
