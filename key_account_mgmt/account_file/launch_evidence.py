"""Qualification criterion 6 (Art. 4: "first launch / new products on our shelves first") measured from
the Purchase Orders, Purchase Receipts and Sales Invoices of the account's suppliers' new items.

Over a period:
- the account's new items are the Items whose first submitted Purchase Order (of any supplier, up to
  the end of the period) falls in the period and is an order to one of the account's suppliers;
- for each, the days from that first order to its first receipt (submitted Purchase Receipt, returns
  left out) and to its first sale (submitted Sales Invoice, returns left out) by us, up to the end of
  the period;
- the medians of those days over the items received and sold.
The peer figure is the same measures for the new items of every other supplier (in this account or
not) in the item groups of the account's new items, in the same period.

The rule: met when the account launched at least the number of new items in Key Account Settings and
its median days from first order to first sale is not above its peers' (an account whose item groups
have no other new items is compared with the count only). An account with no new item sold does not
meet it. Neither Key Account Plans nor Negotiation Logs record a launch date, so none is compared."""

from dataclasses import dataclass, field
from datetime import date
from statistics import median

import frappe
from frappe import _
from frappe.query_builder.functions import Max, Min
from frappe.utils import cint, getdate

from key_account_mgmt.account_file.supply_evidence import account_suppliers, days
from key_account_mgmt.analysis.queries import analysis_scope
from key_account_mgmt.jobs import refresh_measured_criterion
from key_account_mgmt.tiering.core import Window, rolling_twelve_months

DEFAULT_MIN_NEW_ITEMS = 1
LISTED_ITEMS = 10
FIELDS = ("criterion_first_launch_measured", "criterion_first_launch_figures")


@dataclass
class NewItem:
	item_group: str
	suppliers: set[str]
	first_order: date
	first_receipt: date | None = None
	first_sale: date | None = None

	@property
	def days_to_receipt(self) -> int | None:
		return (self.first_receipt - self.first_order).days if self.first_receipt else None

	@property
	def days_to_sale(self) -> int | None:
		return (self.first_sale - self.first_order).days if self.first_sale else None


@dataclass
class LaunchFigures:
	"""Every item first ordered in the period, with its first receipt and first sale."""

	window: Window
	items: dict[str, NewItem] = field(default_factory=dict)

	def of(self, suppliers: set[str]) -> dict[str, NewItem]:
		return {code: item for code, item in self.items.items() if item.suppliers & suppliers}

	def peers_of(self, suppliers: set[str], item_groups: set[str]) -> dict[str, NewItem]:
		return {
			code: item
			for code, item in self.items.items()
			if item.item_group in item_groups and not item.suppliers & suppliers
		}


def middle(values: list[int]) -> float | None:
	return round(float(median(values)), 1) if values else None


def launch_figures(from_date: date, to_date: date, company: str | None = None) -> LaunchFigures:
	"""Three scans for every supplier at once: each item's first order (and who got it), then the first
	receipt and the first sale of the items first ordered in the period."""
	scope = analysis_scope(company)
	figures = LaunchFigures(Window(getdate(from_date), getdate(to_date)))
	start, end = figures.window.start, figures.window.end

	order = frappe.qb.DocType("Purchase Order")
	line = frappe.qb.DocType("Purchase Order Item")
	query = (
		frappe.qb.from_(line)
		.inner_join(order)
		.on(order.name == line.parent)
		.where(
			(line.parenttype == "Purchase Order") & (order.docstatus == 1) & (order.transaction_date <= end)
		)
		.select(
			line.item_code,
			order.supplier,
			Min(order.transaction_date).as_("first_order"),
			Max(line.item_group).as_("item_group"),
		)
		.groupby(line.item_code, order.supplier)
	)
	if scope.companies:
		query = query.where(order.company.isin(scope.companies))
	first: dict[str, list] = {}
	for row in query.run(as_dict=True):
		day = getdate(row.first_order)
		known = first.get(row.item_code)
		if known is None or day < known[0]:
			first[row.item_code] = [day, {row.supplier}, row.item_group or ""]
		elif day == known[0]:
			known[1].add(row.supplier)
	for code, (day, suppliers, group) in first.items():
		if day >= start:
			figures.items[code] = NewItem(group, suppliers, day)
	if not figures.items:
		return figures

	def firsts(parent_doctype: str, child_doctype: str) -> dict[str, date]:
		parent = frappe.qb.DocType(parent_doctype)
		child = frappe.qb.DocType(child_doctype)
		query = (
			frappe.qb.from_(child)
			.inner_join(parent)
			.on(parent.name == child.parent)
			.where(
				(child.parenttype == parent_doctype)
				& (parent.docstatus == 1)
				& (parent.is_return == 0)
				& parent.posting_date[start:end]
				& child.item_code.isin(list(figures.items))
			)
			.select(child.item_code, Min(parent.posting_date).as_("first"))
			.groupby(child.item_code)
		)
		if scope.companies:
			query = query.where(parent.company.isin(scope.companies))
		return {row.item_code: getdate(row.first) for row in query.run(as_dict=True)}

	for code, day in firsts("Purchase Receipt", "Purchase Receipt Item").items():
		figures.items[code].first_receipt = day
	for code, day in firsts("Sales Invoice", "Sales Invoice Item").items():
		figures.items[code].first_sale = day
	return figures


def min_new_items() -> int:
	settings = frappe.get_cached_doc("Key Account Settings")
	return cint(settings.get("first_launch_min_new_items")) or DEFAULT_MIN_NEW_ITEMS


def summary(items: dict[str, NewItem]) -> dict:
	to_receipt = [item.days_to_receipt for item in items.values() if item.days_to_receipt is not None]
	to_sale = [item.days_to_sale for item in items.values() if item.days_to_sale is not None]
	return {
		"new_items": len(items),
		"received_items": len(to_receipt),
		"sold_items": len(to_sale),
		"median_days_to_receipt": middle(to_receipt),
		"median_days_to_sale": middle(to_sale),
	}


def measure(suppliers: set[str], figures: LaunchFigures, minimum: int) -> dict:
	"""Criterion 6 for a set of suppliers: met or not, and its evidence as data."""
	own = figures.of(suppliers)
	peers = figures.peers_of(suppliers, {item.item_group for item in own.values()})
	mine, theirs = summary(own), summary(peers)
	evidence = {
		"kind": "first_launch",
		"from": str(figures.window.start),
		"to": str(figures.window.end),
		**mine,
		"items": sorted(own)[:LISTED_ITEMS],
		**{f"peer_{key}": value for key, value in theirs.items()},
		"min_new_items": minimum,
	}
	met = bool(
		mine["new_items"] >= minimum
		and mine["median_days_to_sale"] is not None
		and (
			theirs["median_days_to_sale"] is None
			or mine["median_days_to_sale"] <= theirs["median_days_to_sale"]
		)
	)
	return {"met": int(met), "evidence": evidence}


def rule_text(evidence: dict) -> str:
	return _(
		"Met when at least {0} new items were first ordered from its suppliers and their median days from first"
		" order to first sale is not above that of the other suppliers' new items in the same item groups."
	).format(evidence.get("min_new_items"))


def evidence_text(evidence: dict) -> str:
	period = _("{0} to {1}").format(
		frappe.format(evidence.get("from"), "Date"), frappe.format(evidence.get("to"), "Date")
	)
	if not evidence.get("new_items"):
		return (
			_("No item was first ordered from its suppliers {0}.").format(period) + "\n" + rule_text(evidence)
		)
	return "\n".join(
		(
			_(
				"{0} new items first ordered {1} ({2}): {3} received, median {4} after the first order; {5}"
				" sold, median {6}."
			).format(
				evidence["new_items"],
				period,
				", ".join(evidence.get("items") or []),
				evidence.get("received_items") or 0,
				days(evidence.get("median_days_to_receipt")),
				evidence.get("sold_items") or 0,
				days(evidence.get("median_days_to_sale")),
			),
			_(
				"Other suppliers' new items in the same item groups ({0}): median {1} to receipt, {2} to"
				" first sale."
			).format(
				evidence.get("peer_new_items") or 0,
				days(evidence.get("peer_median_days_to_receipt")),
				days(evidence.get("peer_median_days_to_sale")),
			),
			rule_text(evidence),
		)
	)


def refresh_launch_criterion(accounts: list[str] | None = None, today: date | None = None) -> list[str]:
	"""Criterion 6 of `accounts` (default: every key account) over the last twelve months; see
	jobs.refresh_measured_criterion. Returns the accounts that failed."""
	window = rolling_twelve_months(getdate(today))
	figures = launch_figures(window.start, window.end)
	minimum = min_new_items()
	members = account_suppliers()
	return refresh_measured_criterion(
		accounts, "First Launch", FIELDS, lambda name: measure(members.get(name, set()), figures, minimum)
	)
