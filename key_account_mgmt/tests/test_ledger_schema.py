"""The ledger's index the covering index superseded is dropped once, by a patch."""

import frappe

from key_account_mgmt.patches import drop_superseded_ledger_index
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.ledger import LEDGER, LEDGER_INDEX


class TestLedgerIndexes(KeyAccountTestCase):
	def test_the_patch_drops_the_superseded_indexes_and_keeps_the_covering_one(self):
		table = f"tab{LEDGER}"
		first, second = drop_superseded_ledger_index.SUPERSEDED_INDEXES
		frappe.db.sql_ddl(f"ALTER TABLE `{table}` ADD INDEX `{first}` (supplier, posting_date)")
		frappe.db.sql_ddl(
			f"ALTER TABLE `{table}` ADD INDEX `{second}` "
			"(supplier, posting_date, fiscal_year, company, net_amount, grand_amount)"
		)
		self.addCleanup(drop_superseded_ledger_index.execute)

		drop_superseded_ledger_index.execute()

		self.assertFalse(frappe.db.has_index(table, first))
		self.assertFalse(frappe.db.has_index(table, second))
		self.assertTrue(frappe.db.has_index(table, LEDGER_INDEX))
		drop_superseded_ledger_index.execute()  # a second run finds nothing to do
