"""Amount columns of the key-account engine from DECIMAL(21,9) to DECIMAL(30,9), on existing sites."""

from key_account_mgmt.tiering.ledger import widen_amount_columns


def execute():
	widen_amount_columns()
