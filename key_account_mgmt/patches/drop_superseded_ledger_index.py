"""The ledger's earlier indexes, superseded by the covering index the engine and the analyses read
(tiering/ledger.py, LEDGER_INDEX), are dropped once on existing sites: first (supplier, posting date),
then the covering index without `is_return`."""

import frappe

from key_account_mgmt.tiering.ledger import LEDGER

SUPERSEDED_INDEXES = ("supplier_posting_date", "supplier_posting_date_amounts")


def execute():
	for index in SUPERSEDED_INDEXES:
		if frappe.db.has_index(f"tab{LEDGER}", index):
			frappe.db.sql_ddl(f"ALTER TABLE `tab{LEDGER}` DROP INDEX `{index}`")
