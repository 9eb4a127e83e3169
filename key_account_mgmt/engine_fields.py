"""Figures only the tiering engine writes.

The engine writes them with plain SQL, which no form save or REST call goes through. A document save
therefore keeps whatever the database holds for them: a form loaded before an invoice moved the tier
cannot write the old tier back, and a forged request cannot invent a tier, an amount or a stamp."""

import frappe

# The stamps on a Supplier and on a submitted Purchase Invoice.
STAMP_FIELDS = ("key_account", "key_account_tier")


def keep_stored_values(doc, fields: tuple[str, ...]) -> None:
	"""Put back on `doc` what the database holds for `fields`; a new document gets them empty. The row
	is read under its lock, as a locking read sees what the engine committed a moment ago where a plain
	read could return the transaction's older snapshot (the save holds that lock already). A save has
	just read it so (Frappe's document before the save, loaded FOR UPDATE): that copy is used."""
	if doc.is_new():
		for field in fields:
			doc.set(field, None)
		return
	before = doc.get_doc_before_save()
	if before is not None:
		for field in fields:
			doc.set(field, before.get(field))
		return
	columns = ", ".join(f"`{field}`" for field in fields)
	stored = frappe.db.sql(
		f"SELECT {columns} FROM `tab{doc.doctype}` WHERE name = %s FOR UPDATE", doc.name, as_dict=True
	)
	values = stored[0] if stored else {}
	for field in fields:
		doc.set(field, values.get(field))


def leave_tables_alone(doc, tables: tuple[str, ...]) -> None:
	"""The save neither writes nor deletes rows of `tables`: they leave the document before Frappe syncs
	its child tables (`reload_tables` brings them back after), so the engine's rows stand as it wrote
	them, without this save locking them."""
	ignored = list(doc.flags.ignore_children_type or [])
	for table in tables:
		ignored.append(doc.meta.get_field(table).options)
		doc.set(table, [])
	doc.flags.ignore_children_type = ignored


def reload_tables(doc, tables: tuple[str, ...]) -> None:
	for table in tables:
		doc.set(table, stored_rows(doc, table))


def stored_rows(doc, table: str) -> list[dict]:
	return frappe.get_all(
		doc.meta.get_field(table).options,
		filters={"parent": doc.name, "parenttype": doc.doctype, "parentfield": table},
		fields=["*"],
		order_by="idx",
	)


def keep_stamps(doc, method=None) -> None:
	"""doc_event on Supplier (validate) and Purchase Invoice (validate, before_update_after_submit)."""
	keep_stored_values(doc, STAMP_FIELDS)
