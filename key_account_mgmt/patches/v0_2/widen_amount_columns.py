"""The app's amount columns from Frappe's DECIMAL(21,9) to DECIMAL(30,9) on a site that has them
narrower (setup/schema.py; from then on each doctype's on_doctype_update keeps them wide)."""

from key_account_mgmt.analysis.sales_summary import AMOUNT_COLUMNS, SUMMARY
from key_account_mgmt.setup.schema import widen_amount_columns
from key_account_mgmt.tiering.ledger import WIDE_AMOUNT_COLUMNS


def execute():
	for doctype, columns in {**WIDE_AMOUNT_COLUMNS, SUMMARY: AMOUNT_COLUMNS}.items():
		widen_amount_columns(doctype, columns)
