"""Which Suppliers make up a key account, and what follows when that changes."""

from collections.abc import Iterable

import frappe
from frappe import _

from key_account_mgmt.tiering import ledger
from key_account_mgmt.tiering.reconcile import Reconciler
from key_account_mgmt.tiering.settings import TieringSettings


def validate_suppliers(account: str, suppliers: list[str]) -> None:
	"""Each supplier once in the table, and in no other key account."""
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
	claimed = frappe.get_all(
		"Key Account Supplier",
		filters={"supplier": ("in", suppliers), "parenttype": "Key Account", "parent": ("!=", account)},
		fields=["supplier", "parent"],
	)
	for row in claimed:
		frappe.throw(
			_("Supplier {0} already belongs to key account {1}. Remove it there first.").format(
				frappe.bold(row.supplier), frappe.bold(row.parent)
			),
			title=_("Supplier Already Claimed"),
		)


def sync_membership(
	account: str, added: Iterable[str], removed: Iterable[str], settings: TieringSettings
) -> None:
	"""Added suppliers bring their purchase history into the ledger; removed ones take theirs away."""
	added = list(added)
	release(removed)
	if added:
		Reconciler(settings, added).repair()
		frappe.db.sql("UPDATE `tabSupplier` SET key_account = %s WHERE name IN %s", (account, tuple(added)))


def release(suppliers: Iterable[str]) -> None:
	suppliers = tuple(suppliers)
	if suppliers:
		ledger.remove_suppliers(suppliers)
		frappe.db.sql(
			"UPDATE `tabSupplier` SET key_account = NULL, key_account_tier = NULL WHERE name IN %s",
			(suppliers,),
		)


def stamp_suppliers(account: str, tier: str | None) -> None:
	"""The Supplier form shows its key account's tier."""
	frappe.db.sql("UPDATE `tabSupplier` SET key_account_tier = %s WHERE key_account = %s", (tier, account))
