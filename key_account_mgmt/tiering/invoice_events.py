"""Purchase Invoice doc_events: the posting and its key account's new totals commit together."""

import frappe
from frappe import _

from key_account_mgmt.tiering import ledger, purchase_months
from key_account_mgmt.tiering.evaluation import Cause, evaluate_account
from key_account_mgmt.tiering.notification import tier_change_message
from key_account_mgmt.tiering.persistence import TierChange, lock_accounts
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


def lock_supplier_account(supplier: str) -> dict | None:
	"""Lock the supplier's key account row, then the Supplier row (the lock order, see persistence.py).
	The account is first looked up in this transaction's snapshot, then confirmed by the Supplier row,
	read under its lock as last committed: a supplier that joined or left an account since this
	transaction began is seen as it is now. None when the supplier is in no (existing) account."""
	guess = key_account_of(supplier)
	locked = lock_accounts(guess) if guess else []
	current = frappe.db.sql(
		"SELECT key_account FROM `tabSupplier` WHERE name = %s LOCK IN SHARE MODE", supplier
	)
	current = current[0][0] if current else None
	if not current:
		return None
	if current != guess:  # it joined (or moved) after this transaction's snapshot
		locked = lock_accounts(current)
	return locked[0] if locked else None


def update_key_account(invoice, posted: bool) -> None:
	locked_row = lock_supplier_account(invoice.supplier)
	if not locked_row:
		return
	account = locked_row.name
	settings = get_tiering_settings()
	# Lock first, then write the ledger row: see persistence.py on why the order matters.
	if posted:
		ledger.record_invoice(invoice, settings)
		purchase_months.recompute_month(invoice.supplier, invoice.company, invoice.posting_date)
		vanishing = set()  # a submit adds to its year; no year can drop to nothing
	else:
		removed = ledger.remove_invoice(invoice.name)
		for entry in removed:
			purchase_months.recompute_month(entry.supplier, entry.company, entry.posting_date)
			purchase_months.remove_empty(entry.supplier, entry.company, entry.posting_date)
		vanishing = {entry.fiscal_year for entry in removed if entry.fiscal_year}
	result = evaluate_account(
		account,
		Cause.PURCHASE_INVOICE,
		invoice.doctype,
		invoice.name,
		settings,
		locked_row=locked_row,
		vanishing_years=vanishing,
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
