"""The Key Account Purchase Month sums, built once from the ledger (about 11 s at 1,000,000 invoices).
A site at 0.1.0 has them: its patches.txt built them, and postings have kept them since."""

from key_account_mgmt.patches.v0_2 import ran
from key_account_mgmt.tiering.purchase_months import recompute_suppliers

BUILT_AT_0_1 = (
	"execute:from key_account_mgmt.tiering.purchase_months import recompute_suppliers; "
	"recompute_suppliers(None) # 2026-11-30 monthly purchase sums"
)


def execute():
	if not ran(BUILT_AT_0_1):
		recompute_suppliers(None)
