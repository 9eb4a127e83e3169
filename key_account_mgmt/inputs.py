"""What a request sends, parsed once: every whitelisted method and every report filter of the app reads
its arguments through these functions before any query runs.

Each function takes the raw value (as HTTP, a script or the desk sent it), checks its type and size and
returns it typed; anything else is refused with InvalidInput, a ValidationError (HTTP 417) whose
translatable message names the argument and repeats at most a short excerpt of what was sent. So a
wrong type, an impossible date, a page beyond reach or a 10 MB string gets a clear answer at once, never
a 500, a raw database error, a long-running request or an Error Log holding the input."""

import functools
import json
import math
import re
from datetime import date, datetime

import frappe
from frappe import _
from frappe.utils import escape_html

# Frappe's `name` column, and what a search box or a filter may hold
MAX_NAME = 140
MAX_TEXT = 140
# a JSON argument (filters, options) as text
MAX_JSON = 10_000
# pages of a picker or list
MAX_START = 100_000
MAX_PAGE_LEN = 500
# what a message repeats of a refused value
EXCERPT = 30
EARLIEST, LATEST = date(1900, 1, 1), date(2999, 12, 31)

ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?")
INTEGER = re.compile(r"[+-]?\d{1,15}")
FIELDNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
NUMBER = re.compile(r"[+-]?(\d{1,30}(\.\d{0,12})?|\.\d{1,12})([eE][+-]?\d{1,3})?")


class InvalidInput(frappe.ValidationError):
	"""An argument the app cannot take: HTTP 417, like every ValidationError."""


def refuse(message: str) -> None:
	frappe.throw(message, InvalidInput, title=_("Invalid Input"))


def excerpt(value) -> str:
	"""The start of a refused value, escaped, for a message: never the whole of a large input."""
	text = value if isinstance(value, str) else type(value).__name__
	shown = text[:EXCERPT] + ("…" if len(text) > EXCERPT else "")
	return escape_html(shown.encode("utf-8", "replace").decode("utf-8"))


def label_of(label: str) -> str:
	"""The argument's name as the user knows it (callers pass it translated)."""
	return frappe.bold(escape_html(label))


def text(value, label: str, *, max_length: int = MAX_TEXT, required: bool = False) -> str | None:
	"""A single line of text of at most `max_length` characters; None when empty (unless required)."""
	if value is None or value == "":
		if required:
			refuse(_("{0} is required.").format(label_of(label)))
		return None
	if not isinstance(value, str):
		refuse(_("{0} must be text, not {1}.").format(label_of(label), excerpt(value)))
	if len(value) > max_length:
		refuse(
			_("{0} may have at most {1} characters; {2} were sent.").format(
				label_of(label), max_length, len(value)
			)
		)
	if any(ord(char) < 32 for char in value):
		refuse(_("{0} may not hold control characters.").format(label_of(label)))
	try:
		value.encode("utf-8")
	except UnicodeEncodeError:
		refuse(_("{0} is not valid text.").format(label_of(label)))
	return value


def name(value, label: str, *, required: bool = True) -> str | None:
	"""A document name (Frappe's names have at most 140 characters)."""
	return text(value, label, max_length=MAX_NAME, required=required)


def integer(value, label: str, *, minimum: int, maximum: int, default: int | None = None) -> int | None:
	"""A whole number from `minimum` to `maximum`; `default` when empty."""
	if value is None or value == "":
		return default
	if isinstance(value, bool) or not isinstance(value, int | str | float):
		refuse(_("{0} must be a whole number, not {1}.").format(label_of(label), excerpt(value)))
	if isinstance(value, float):
		if not value.is_integer():
			refuse(_("{0} must be a whole number, not {1}.").format(label_of(label), excerpt(str(value))))
		value = int(value)
	elif isinstance(value, str):
		if not INTEGER.fullmatch(value.strip()):
			refuse(_("{0} must be a whole number, not {1}.").format(label_of(label), excerpt(value)))
		value = int(value.strip())
	if not minimum <= value <= maximum:
		refuse(_("{0} must be from {1} to {2}.").format(label_of(label), minimum, maximum))
	return value


def number(value, label: str, *, minimum: float | None = None, maximum: float | None = None) -> float | None:
	"""A finite number within the bounds given; None when empty."""
	if value is None or value == "":
		return None
	if isinstance(value, bool) or not isinstance(value, int | float | str):
		refuse(_("{0} must be a number, not {1}.").format(label_of(label), excerpt(value)))
	if isinstance(value, str):
		if not NUMBER.fullmatch(value.strip()):
			refuse(_("{0} must be a number, not {1}.").format(label_of(label), excerpt(value)))
		value = float(value.strip())
	if isinstance(value, int) and abs(value) > 10**30:
		refuse(_("{0} must be a finite number.").format(label_of(label)))
	value = float(value)
	if not math.isfinite(value):
		refuse(_("{0} must be a finite number.").format(label_of(label)))
	if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
		refuse(
			_("{0} must be from {1} to {2}.").format(
				label_of(label),
				"-∞" if minimum is None else frappe.format(minimum, "Float"),
				"∞" if maximum is None else frappe.format(maximum, "Float"),
			)
		)
	return value


def day(value, label: str, *, earliest: date = EARLIEST, latest: date = LATEST) -> date | None:
	"""A date (YYYY-MM-DD, as the desk sends it) from `earliest` to `latest`; None when empty."""
	if value is None or value == "":
		return None
	if isinstance(value, datetime):
		value = value.date()
	if not isinstance(value, date):
		match = ISO_DATE.fullmatch(value.strip()) if isinstance(value, str) and len(value) <= 32 else None
		try:
			value = date(*(int(part) for part in match.groups())) if match else None
		except ValueError:
			value = None
	if value is None or not earliest <= value <= latest:
		refuse(
			_("{0} must be a date between {1} and {2}.").format(
				label_of(label), earliest.isoformat(), latest.isoformat()
			)
		)
	return value


def json_value(value, label: str, *, kind: type = dict, max_length: int = MAX_JSON):
	"""A JSON object (or list, by `kind`) given as text or already parsed; None when empty."""
	if value is None or value == "":
		return None
	if isinstance(value, str):
		if len(value) > max_length:
			refuse(
				_("{0} may have at most {1} characters; {2} were sent.").format(
					label_of(label), max_length, len(value)
				)
			)
		try:
			value = json.loads(value)
		except (ValueError, RecursionError):
			refuse(_("{0} must be JSON, not {1}.").format(label_of(label), excerpt(value)))
	elif isinstance(value, dict | list):
		try:
			size = len(json.dumps(value, default=str))
		except (ValueError, TypeError, RecursionError):
			size = max_length + 1
		if size > max_length:
			refuse(_("{0} may have at most {1} characters.").format(label_of(label), max_length))
	if not isinstance(value, kind):
		expected = _("names and values") if kind is dict else _("a list")
		refuse(_("{0} must be given as {1}.").format(label_of(label), expected))
	return value


def scalar_map(value, label: str, *, max_keys: int = 50, max_length: int = MAX_TEXT) -> frappe._dict:
	"""A JSON object whose values are single values: text of at most `max_length` characters or
	finite numbers (report filters, picker filters)."""
	mapping = json_value(value, label, kind=dict, max_length=max(MAX_JSON, 50 * max_length)) or {}
	if len(mapping) > max_keys:
		refuse(_("{0} may have at most {1} entries.").format(label_of(label), max_keys))
	checked = frappe._dict()
	for key, item in mapping.items():
		if len(key) > 64:
			refuse(
				_("{0} has an entry named {1}, which it does not take.").format(label_of(label), excerpt(key))
			)
		if isinstance(item, list | tuple | set | dict):
			refuse(_("Filter {0} takes a single value.").format(frappe.bold(escape_html(key))))
		if isinstance(item, float) and not math.isfinite(item):
			refuse(_("Filter {0} must be a finite number.").format(frappe.bold(escape_html(key))))
		if isinstance(item, int) and not isinstance(item, bool) and abs(item) > 10**30:
			refuse(_("Filter {0} must be a finite number.").format(frappe.bold(escape_html(key))))
		if isinstance(item, str):
			text(item, _(frappe.unscrub(key)), max_length=max_length)
			if not finite_text(item):
				refuse(_("Filter {0} must be a finite number.").format(frappe.bold(escape_html(key))))
		checked[key] = item
	return checked


def finite_text(value: str) -> bool:
	"""False for text that reads as an infinite or undefined number ("inf", "NaN", "1e999")."""
	try:
		return math.isfinite(float(value))
	except ValueError:
		return True  # not a number at all: text is fine


def page(start, page_len) -> tuple[int, int]:
	"""The first row and the number of rows of a page (a picker's or a list's)."""
	return (
		integer(start, _("Start"), minimum=0, maximum=MAX_START, default=0),
		integer(page_len, _("Page Length"), minimum=1, maximum=MAX_PAGE_LEN, default=20),
	)


def search_inputs(query):
	"""In place of frappe.validate_and_sanitize_search_inputs on a Link field's custom query: the
	arguments Frappe's search passes (document type, text, search field, page, filters) parsed before the
	query runs, each of them optional."""

	@functools.wraps(query)
	def parsed(doctype=None, txt=None, searchfield=None, start=None, page_len=None, filters=None, **kwargs):
		doctype = name(doctype, _("Document Type"), required=False)
		txt = text(txt, _("Search Text")) or ""
		searchfield = text(searchfield, _("Search Field"), max_length=64)
		if searchfield and not FIELDNAME.fullmatch(searchfield):
			refuse(
				_("{0} must be a field name, not {1}.").format(
					label_of(_("Search Field")), excerpt(searchfield)
				)
			)
		start, page_len = page(start, page_len)
		filters = scalar_map(filters or None, _("Filters"))
		if doctype and not frappe.db.exists("DocType", doctype):
			return []
		return query(
			doctype=doctype,
			txt=txt,
			searchfield=searchfield,
			start=start,
			page_len=page_len,
			filters=filters,
			**kwargs,
		)

	return parsed
