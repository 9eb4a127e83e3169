# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt


from key_account_mgmt.write_guards import EngineRecord


class KeyAccountPurchaseEntry(EngineRecord):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		company: DF.Link
		company_currency: DF.Link | None
		currency: DF.Link | None
		exchange_rate: DF.Float
		fiscal_year: DF.Link | None
		grand_amount: DF.Currency
		is_return: DF.Check
		net_amount: DF.Currency
		posting_date: DF.Date
		purchase_invoice: DF.Link
		supplier: DF.Link

	# end: auto-generated types


def on_doctype_update():
	from key_account_mgmt.tiering.ledger import (
		LEDGER,
		add_invoice_supplier_index,
		add_ledger_index,
		widen_amount_columns,
	)

	add_ledger_index()
	add_invoice_supplier_index()  # a joining supplier's invoices are read along it (membership.py)
	widen_amount_columns([LEDGER])
