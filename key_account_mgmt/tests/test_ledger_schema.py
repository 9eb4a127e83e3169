"""Indexes later ones replaced are dropped once, by a patch; each doctype keeps its current ones."""

import frappe

from key_account_mgmt.patches.v0_2 import drop_superseded_indexes
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.ledger import LEDGER, LEDGER_INDEX


class TestLedgerIndexes(KeyAccountTestCase):
	def test_the_patch_drops_the_superseded_indexes_and_keeps_the_covering_one(self):
		table = f"tab{LEDGER}"
		first, second = drop_superseded_indexes.SUPERSEDED[LEDGER]
		frappe.db.sql_ddl(f"ALTER TABLE `{table}` ADD INDEX `{first}` (supplier, posting_date)")
		frappe.db.sql_ddl(
			f"ALTER TABLE `{table}` ADD INDEX `{second}` "
			"(supplier, posting_date, fiscal_year, company, net_amount, grand_amount)"
		)
		self.addCleanup(drop_superseded_indexes.execute)

		drop_superseded_indexes.execute()

		self.assertFalse(frappe.db.has_index(table, first))
		self.assertFalse(frappe.db.has_index(table, second))
		self.assertTrue(frappe.db.has_index(table, LEDGER_INDEX))
		drop_superseded_indexes.execute()  # a second run finds nothing to do
