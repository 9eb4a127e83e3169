"""Who may write the app's documents at all, whatever path the request takes.

Frappe lets a user who may write a parent write its child rows on their own (REST, `frappe.client`,
savedocs, bulk update, Data Import), and lets anyone with the right role insert, rename or merge any
document of a doctype. Three kinds of the app's documents must not be written so:

- a child row changes only through its parent's save, under the parent's validation, workflow,
  docstatus and the engine's locks (`ChildRow`);
- what the engine computes (tier changes, the purchase ledger, monthly and sales sums) is written by
  the engine only, for every user, Administrator included (`EngineRecord`);
- nothing of the app is renamed or merged: the engine's rows, the tier history and the portal refer
  to documents by name (`AppDocument`);
- no number is saved that its column cannot hold: an amount of 1e18 is refused with a message naming
  the field, not a raw database error (`AppDocument`).

Each is a controller base class, so the refusal runs whatever path reaches the document.
"""

import math
import re
from contextlib import contextmanager
from functools import lru_cache

import frappe
from frappe import _
from frappe.model import display_fieldtypes, table_fields
from frappe.model.document import Document


class ChildRowWriteError(frappe.PermissionError):
	pass


class EngineRecordWriteError(frappe.PermissionError):
	pass


class RenameRefusedError(frappe.PermissionError):
	pass


class NumberOutOfRangeError(frappe.ValidationError):
	"""A number its database column cannot hold: HTTP 417, like every ValidationError."""


class AppDocument:
	"""Every document of the app: never renamed or merged, and its computed fields (read-only in the
	DocType and not fetched from a link) kept as stored on a user's save: the app's own code computes
	them, in the controller's validate or inside `engine_writes`."""

	def before_validate(self):
		if writing_as_engine():
			return
		from key_account_mgmt.engine_fields import keep_stored_values, leave_tables_alone

		fields, tables = computed_fields(self.meta)
		keep_stored_values(self, fields)
		if not tables:
			return
		# a document inserted from a dict (REST, frappe.client.insert) is not marked new: it is in_insert
		if self.is_new() or self.flags.in_insert:
			for table in tables:
				self.set(table, [])
		else:
			leave_tables_alone(self, tables)
			self.flags.reload_computed_tables = tables

	def on_change(self):
		tables = self.flags.pop("reload_computed_tables", None)
		if tables:
			from key_account_mgmt.engine_fields import reload_tables

			reload_tables(self, tables)

	def _validate_length(self):
		"""Frappe's check of what the columns hold (text length, whole numbers) runs here, for the
		document and each of its rows, after the controller's validate and before anything is written:
		the numbers the user sent and those the app computed from them are checked with it."""
		refuse_numbers_beyond_their_columns(self)
		super()._validate_length()

	def before_rename(self, old_name, new_name, merge=False):
		frappe.throw(
			_("{0} {1} keeps the name it was created with: the app's records refer to it by name.").format(
				_(self.doctype), frappe.bold(old_name)
			),
			RenameRefusedError,
			title=_("Not Renamed"),
		)


class ChildRow(AppDocument, Document):
	"""A row of one of the app's tables. Frappe runs a child's own controller only when the row is
	written on its own: a parent's save writes its rows without it."""

	def before_insert(self):
		self.refuse_direct_write()

	def validate(self):
		self.refuse_direct_write()

	def on_trash(self):
		self.refuse_direct_write()

	def refuse_direct_write(self):
		parent = self.parenttype or frappe.get_meta(self.doctype).get("parent") or _("its document")
		frappe.throw(
			_("{0} rows change only through their {1}: open it and save it there.").format(
				_(self.doctype), _(parent)
			),
			ChildRowWriteError,
			title=_("Not Permitted"),
		)


class EngineRecord(AppDocument, Document):
	"""A record the tiering engine or the sales summary computes from posted documents. The engine
	writes most of them with SQL; what it inserts as a document, it inserts inside `engine_writes`."""

	def before_insert(self):
		if not writing_as_engine():
			self.refuse_write()

	def validate(self):
		if not (self.is_new() and writing_as_engine()):
			self.refuse_write()

	def on_trash(self):
		self.refuse_write()

	def refuse_write(self):
		frappe.throw(
			_("{0} is computed from posted documents and cannot be written by hand.").format(_(self.doctype)),
			EngineRecordWriteError,
			title=_("Not Permitted"),
		)


def refuse_numbers_beyond_their_columns(doc) -> None:
	"""Every number of `doc` (a document or a row) inside what its column holds: a DECIMAL(21,9) holds
	less than 10^12 either way, an INT less than 2^31. A Single's values (kept as text) are held to the
	same bounds, as a figure of that type is anywhere else."""
	if frappe.flags.in_install:
		return
	for df in doc.meta.fields:
		limit = column_limit(df.fieldtype, df.precision, df.length)
		value = doc.get(df.fieldname)
		if limit is None or value is None or value == "":
			continue
		number = frappe.utils.flt(value)
		if math.isfinite(number) and abs(number) < limit:
			continue
		reference = (
			_("{0}, Row {1}").format(_(doc.doctype), doc.idx) if doc.get("parentfield") else _(doc.doctype)
		)
		frappe.throw(
			_("{0}: {1} must be greater than -{2} and less than {2}.").format(
				reference, frappe.bold(_(df.label or df.fieldname)), frappe.format(limit, "Int")
			),
			NumberOutOfRangeError,
			title=_("Invalid Number"),
		)


@lru_cache(maxsize=64)
def column_limit(fieldtype: str, precision, length) -> int | None:
	"""What a numeric field's column holds, in absolute value (exclusive); None for other fields."""
	from frappe.database.schema import get_definition

	if fieldtype == "Check":
		return None
	definition = get_definition(fieldtype, precision=precision, length=length) or ""
	match = re.fullmatch(r"(decimal|int|bigint|smallint)(?:\((\d+)(?:,\s*(\d+))?\))?", definition.lower())
	if not match:
		return None
	kind, digits, scale = match.groups()
	if kind == "decimal":
		return 10 ** (int(digits or 10) - int(scale or 0))
	return {"smallint": 2**15, "int": 2**31, "bigint": 2**63}[kind]


NOT_COMPUTED = ("workflow_state", "amended_from", "naming_series")


def computed_fields(meta) -> tuple[tuple[str, ...], tuple[str, ...]]:
	"""The read-only fields and tables of `meta` that no link fetches: what only the app computes."""
	fields, tables = [], []
	for df in meta.fields:
		if (
			not df.read_only
			or df.fetch_from
			or df.fieldname in NOT_COMPUTED
			or df.fieldtype in display_fieldtypes
		):
			continue
		(tables if df.fieldtype in table_fields else fields).append(df.fieldname)
	return tuple(fields), tuple(tables)


@contextmanager
def engine_writes():
	"""The engine's own inserts of `EngineRecord` documents. Held on `frappe.local`, which no request
	can set."""
	previous = getattr(frappe.local, "key_account_engine_writes", False)
	frappe.local.key_account_engine_writes = True
	try:
		yield
	finally:
		frappe.local.key_account_engine_writes = previous


def writing_as_engine() -> bool:
	return getattr(frappe.local, "key_account_engine_writes", False)
