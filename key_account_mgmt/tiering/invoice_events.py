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
	rows = frappe.db.sql(
		"SELECT parent FROM `tabKey Account Supplier` WHERE supplier = %s AND parenttype = 'Key Account'",
		supplier,
	)
	return rows[0][0] if rows else None


def on_submit(doc, method=None):
	update_key_account(doc, posted=True)


def on_cancel(doc, method=None):
	update_key_account(doc, posted=False)


def update_key_account(invoice, posted: bool) -> None:
	account = key_account_of(invoice.supplier)
	if not account:
		return
	settings = get_tiering_settings()
	# Lock first, then write the ledger row: see evaluation.py on why the order matters.
	locked = lock_accounts(account)
	if not locked:  # the account was deleted since the supplier was looked up
		return
	locked_row = locked[0]
	if posted:
		ledger.record_invoice(invoice, settings)
	else:
		ledger.remove_invoice(invoice.name)
	result = evaluate_account(
		account, Cause.PURCHASE_INVOICE, invoice.doctype, invoice.name, settings, locked_row=locked_row
	)
	if posted:
		# Finance filters invoices by the tier their posting left the account in.
		frappe.db.sql(
			"UPDATE `tabPurchase Invoice` SET key_account = %s, key_account_tier = %s WHERE name = %s",
			(account, result.tier, invoice.name),
		)
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
