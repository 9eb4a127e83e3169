"""Which Suppliers make up a key account, and what follows when that changes.

The Supplier row is where a membership change and a submit meet (see the lock order in
persistence.py): adding a supplier locks its row exclusively before anything is written, and writes
its `key_account` in the same transaction; a submit reads that column under a shared lock. Whichever
comes second therefore sees what the first committed: the submit finds the account, or the new
member's history, read with locking reads, includes the invoice."""

from collections.abc import Iterable

import frappe
from frappe import _

from key_account_mgmt.tiering import ledger, purchase_months
from key_account_mgmt.tiering.reconcile import Reconciler
from key_account_mgmt.tiering.settings import TieringSettings
from key_account_mgmt.tiering.snapshot import begin_before_locking, note_locks_held


def validate_suppliers(account: str, suppliers: list[str]) -> None:
	"""Each supplier once in the table, existing, and in no other key account. The suppliers' rows are
	locked here, so two managers claiming one supplier at once are served one after the other and the
	second is told it is taken."""
	seen = set()
	for supplier in suppliers:
		if supplier in seen:
			frappe.throw(
				_("Supplier {0} is listed twice.").format(frappe.bold(supplier)),
				title=_("Duplicate Supplier"),
			)
		seen.add(supplier)
	if not suppliers:
		return
	stamps = lock_suppliers(suppliers)
	for supplier in suppliers:
		if supplier not in stamps:
			frappe.throw(
				_("Supplier {0} does not exist.").format(frappe.bold(supplier)), title=_("Unknown Supplier")
			)
	claimed = {
		supplier: stamp
		for supplier, stamp in stamps.items()
		if stamp and stamp != account and frappe.db.exists("Key Account", stamp)
	}
	for row in frappe.get_all(
		"Key Account Supplier",
		filters={"supplier": ("in", suppliers), "parenttype": "Key Account", "parent": ("!=", account)},
		fields=["supplier", "parent"],
	):
		claimed.setdefault(row.supplier, row.parent)
	for supplier, other in sorted(claimed.items()):
		frappe.throw(
			_("Supplier {0} already belongs to key account {1}. Remove it there first.").format(
				frappe.bold(supplier), frappe.bold(other)
			),
			title=_("Supplier Already Claimed"),
		)


def lock_joining_suppliers(account: str, suppliers: list[str]) -> None:
	"""Before Frappe locks a saved account and its rows: lock the suppliers that join it. A supplier in
	no account is locked before the account (a submit of its invoice takes the same order), while the
	account's members are locked after it, in validate, as a submit of theirs does. Under snapshot
	isolation (MariaDB 11.8) the save begins afresh before that, when it may (snapshot.py): its snapshot
	then comes after these locks and the account's, and holds every invoice that a joining supplier's
	submit committed before them."""
	members = set(
		frappe.get_all(
			"Key Account Supplier", filters={"parent": account, "parenttype": "Key Account"}, pluck="supplier"
		)
	)
	begin_before_locking()
	lock_suppliers(set(suppliers) - members)


def lock_suppliers(suppliers: Iterable[str]) -> dict[str, str | None]:
	"""Lock the Supplier rows (in name order) and return each one's key account, as committed."""
	suppliers = tuple(sorted(set(suppliers)))
	if not suppliers:
		return {}
	note_locks_held()
	return dict(
		frappe.db.sql(
			"""SELECT name, key_account FROM `tabSupplier` FORCE INDEX (PRIMARY)
			WHERE name IN %s ORDER BY name FOR UPDATE""",
			(suppliers,),
		)
	)


def sync_membership(
	account: str, added: Iterable[str], removed: Iterable[str], settings: TieringSettings
) -> None:
	"""Added suppliers bring their purchase history into the ledger; removed ones take theirs away."""
	added = list(added)
	release(removed)
	if added:
		lock_suppliers(added)  # held since validate when saved through the form
		Reconciler(settings, added, lock=True).repair()
		update_suppliers(added, key_account=account)


def release(suppliers: Iterable[str]) -> None:
	suppliers = tuple(suppliers)
	if suppliers:
		ledger.remove_suppliers(suppliers)
		purchase_months.remove_suppliers(suppliers)
		update_suppliers(suppliers, key_account=None, key_account_tier=None)


def stamp_suppliers(account: str, tier: str | None) -> None:
	"""The Supplier form shows its key account's tier. The rows are written by primary key: an UPDATE
	by the `key_account` column would lock index gaps next to other accounts' suppliers."""
	suppliers = frappe.db.sql_list(
		"""SELECT supplier FROM `tabKey Account Supplier` FORCE INDEX (parent)
		WHERE parent = %s AND parenttype = 'Key Account' LOCK IN SHARE MODE""",
		account,
	)
	update_suppliers(suppliers, key_account_tier=tier)


def update_suppliers(suppliers: Iterable[str], **values) -> None:
	"""One row per statement, in name order: with an IN list the optimizer may scan a small Supplier
	table and lock every row of it."""
	assignments = ", ".join(f"`{column}` = %({column})s" for column in values)
	for supplier in sorted(set(suppliers)):
		frappe.db.sql(
			f"UPDATE `tabSupplier` SET {assignments} WHERE name = %(supplier)s",
			{**values, "supplier": supplier},
		)
