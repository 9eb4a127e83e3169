"""Indexes that later ones replaced (each doctype's on_doctype_update adds the current ones): the
ledger's (supplier, posting date) and its covering index without `is_return`, the sales summary's first
two range indexes. Only those a site still has are dropped."""

import frappe

SUPERSEDED = {
	"Key Account Purchase Entry": ("supplier_posting_date", "supplier_posting_date_amounts"),
	"Key Account Sales Summary": ("period_start_company", "period_start_covering"),
}


def execute():
	for doctype, indexes in SUPERSEDED.items():
		present = [index for index in indexes if frappe.db.has_index(f"tab{doctype}", index)]
		if present:
			frappe.db.sql_ddl(
				f"ALTER TABLE `tab{doctype}` {', '.join(f'DROP INDEX `{index}`' for index in present)}"
			)
