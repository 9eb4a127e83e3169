"""The ledger's first index (supplier, posting date) is superseded by the covering index the engine
reads (tiering/ledger.py, LEDGER_INDEX); existing sites drop it once."""

import frappe

from key_account_mgmt.tiering.ledger import LEDGER

SUPERSEDED_INDEX = "supplier_posting_date"


def execute():
	if frappe.db.has_index(f"tab{LEDGER}", SUPERSEDED_INDEX):
		frappe.db.sql_ddl(f"ALTER TABLE `tab{LEDGER}` DROP INDEX `{SUPERSEDED_INDEX}`")
