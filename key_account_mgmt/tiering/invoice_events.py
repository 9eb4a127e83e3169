"""Purchase Invoice doc_events: the posting and its key account's new totals commit together."""

import frappe
from frappe import _

from key_account_mgmt.tiering import ledger
from key_account_mgmt.tiering.evaluation import (
	Cause,
	TierChange,
	evaluate_account,
	lock_accounts,
	tier_change_message,
)
from key_account_mgmt.tiering.settings import TieringSettings, get_tiering_settings


def key_account_of(supplier: str) -> str | None:
	return frappe.db.get_value(
		"Key Account Supplier", {"supplier": supplier, "parenttype": "Key Account"}, "parent"
	)


def on_submit(doc, method=None):
	account = key_account_of(doc.supplier)
	if not account:
		return
	settings = get_tiering_settings()
	# Lock first, then write the ledger row: see evaluation.py on why the order matters.
	lock_accounts(account)
	ledger.record_invoice(doc, settings)
	change = evaluate_account(account, Cause.PURCHASE_INVOICE, doc.doctype, doc.name, settings)
	tier = frappe.db.get_value("Key Account", account, "tier")
	doc.db_set({"key_account": account, "key_account_tier": tier}, update_modified=False)
	announce(change, settings)


def on_cancel(doc, method=None):
	account = key_account_of(doc.supplier)
	if not account:
		return
	settings = get_tiering_settings()
	lock_accounts(account)
	ledger.remove_invoice(doc.name)
	announce(evaluate_account(account, Cause.PURCHASE_INVOICE, doc.doctype, doc.name, settings), settings)


def announce(change: TierChange | None, settings: TieringSettings) -> None:
	"""The user who posted sees the tier change on the spot."""
	if change:
		frappe.msgprint(
			tier_change_message(change, settings),
			title=_("Key Account Tier Changed"),
			indicator="green" if change.to_tier else "orange",
			alert=False,
		)
