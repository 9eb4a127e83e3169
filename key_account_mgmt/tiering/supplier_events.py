"""Supplier doc_events: ERPNext's Rename with "Merge with existing" moves every link of the merged
Supplier onto the target, its key account membership and ledger rows included, but not the target's
own history into the account, nor the account's stamp onto the target."""

import frappe
from frappe import _

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
	if not merge:
		return
	account = key_account_of(new)
	if not account:
		return  # neither supplier was in a key account
	locked = lock_accounts(account)
	if not locked:
		return
	lock_suppliers([new])
	settings = get_tiering_settings()
	# The merged supplier's invoices (or the target's own, if it was the one outside) join the ledger.
	Reconciler(settings, [new], lock=True).repair()
	update_suppliers([new], key_account=account)
	result = evaluate_account(account, Cause.SUPPLIER_CHANGE, "Supplier", new, settings, locked_row=locked[0])
	stamp_suppliers(account, result.tier)
