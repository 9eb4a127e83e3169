"""What a DocType's JSON cannot declare, applied by that doctype's on_doctype_update: on install, and
whenever a migrate syncs the doctype (which is also when Frappe would set its columns back)."""

from collections.abc import Iterable

import frappe

# Frappe makes every Currency column DECIMAL(21,9): at most 999,999,999,999.99, which a window of
# purchases in a currency with large nominal amounts (IDR, VND, KRW) exceeds.
WIDE_AMOUNT = "decimal(30,9)"


def widen_amount_columns(doctype: str, columns: Iterable[str]) -> None:
	"""The doctype's amount columns as DECIMAL(30,9); one ALTER for those still narrower, none when all
	are wide already."""
	current = dict(
		frappe.db.sql(
			"""SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS
			WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = %s""",
			f"tab{doctype}",
		)
	)
	changes = [
		f"MODIFY `{column}` {WIDE_AMOUNT} NOT NULL DEFAULT 0"
		for column in columns
		if column in current and current[column].lower() != WIDE_AMOUNT
	]
	if changes:
		frappe.db.sql_ddl(f"ALTER TABLE `tab{doctype}` {', '.join(changes)}")
