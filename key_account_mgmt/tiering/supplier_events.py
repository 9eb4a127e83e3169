"""Supplier doc_events: ERPNext's Rename with "Merge with existing" moves every link of the merged
Supplier onto the target, its key account membership and ledger rows included, but not the target's
own history into the account, nor the account's stamp onto the target."""

import frappe
from frappe import _

from key_account_mgmt.tiering import purchase_months
from key_account_mgmt.tiering.evaluation import Cause, evaluate_account
from key_account_mgmt.tiering.invoice_events import key_account_of
from key_account_mgmt.tiering.membership import lock_suppliers, stamp_suppliers, update_suppliers
from key_account_mgmt.tiering.persistence import lock_accounts
from key_account_mgmt.tiering.reconcile import Reconciler
from key_account_mgmt.tiering.settings import get_tiering_settings


def before_rename(doc, method=None, old: str | None = None, new: str | None = None, merge: bool = False):
	if not merge:
		return  # a plain rename: the links follow the new name, nothing else changes
	source, target = key_account_of(old), key_account_of(new)
	if source and target and source != target:
		frappe.throw(
			_(
				"Supplier {0} belongs to key account {1} and Supplier {2} to key account {3}. Remove one of "
				"them from its key account before merging them."
			).format(frappe.bold(old), frappe.bold(source), frappe.bold(new), frappe.bold(target)),
			title=_("Suppliers in Two Key Accounts"),
		)
	if source and source == target:
		# Both in one account: after the merge the account would list the target twice.
		frappe.db.sql(
			"""DELETE FROM `tabKey Account Supplier`
			WHERE parent = %s AND parenttype = 'Key Account' AND supplier = %s""",
			(source, old),
		)


def after_rename(doc, method=None, old: str | None = None, new: str | None = None, merge: bool = False):
	account = key_account_of(new)
	locked = lock_accounts(account) if account else []
	if merge and locked:
		bring_history_into_account(new, locked[0])
	# The monthly purchase sums are named by their supplier: the renamed (or merged) ones anew.
	purchase_months.recompute_suppliers([new])


def bring_history_into_account(supplier: str, locked_account: dict) -> None:
	account = locked_account.name
	lock_suppliers([supplier])
	settings = get_tiering_settings()
	# The merged supplier's invoices (or the target's own, if it was the one outside) join the ledger.
	Reconciler(settings, [supplier], lock=True).repair()
	update_suppliers([supplier], key_account=account)
	result = evaluate_account(
		account, Cause.SUPPLIER_CHANGE, "Supplier", supplier, settings, locked_row=locked_account
	)
	stamp_suppliers(account, result.tier)
