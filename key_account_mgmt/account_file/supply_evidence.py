"""Qualification criterion 5 (Art. 4: "gives the company priority in supply") measured from the
Purchase Orders and Purchase Receipts of the account's suppliers.

Over a period, the order lines due in it (Purchase Order Item schedule date in the period, submitted
orders) give:
- fill rate: what ERPNext counts as received against each line (Purchase Order Item `received_qty`,
  the figure behind the order's `per_received`) over the quantity ordered;
- on-time rate: of the quantity received on those lines (submitted receipts, returns left out), the
  share whose receipt was posted on or before the line's schedule date;
- lead time: the average days from the order's date to each receipt row's posting date.
The peer figure is the same measures for every other supplier (in this account or not) over the lines
of the item groups the account's own lines belong to, in the same period.

The rule: met when the fill rate and the on-time rate reach the thresholds in Key Account Settings and
neither is below its peer figure (an account without peers in its item groups is compared with the
thresholds only). An account with no order line due in the period does not meet it."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import frappe
from frappe import _
from frappe.query_builder import Case
from frappe.query_builder.functions import Count, Sum
from frappe.utils import flt, getdate

from key_account_mgmt.analysis.queries import DateDiff, analysis_scope
from key_account_mgmt.jobs import refresh_measured_criterion
from key_account_mgmt.tiering.core import Window, rolling_twelve_months

DEFAULT_FILL_RATE = 95.0
DEFAULT_ON_TIME_RATE = 90.0
FIELDS = ("criterion_supply_priority_measured", "criterion_supply_priority_figures")


@dataclass
class Tally:
	"""Sums over order lines; the rates are worked out from them."""

	ordered: float = 0.0
	received: float = 0.0
	receipt_qty: float = 0.0
	on_time_qty: float = 0.0
	lead_days: float = 0.0
	receipt_rows: int = 0
	order_lines: int = 0

	def add(self, other: "Tally") -> None:
		for name in self.__dataclass_fields__:
			setattr(self, name, getattr(self, name) + getattr(other, name))

	@property
	def fill_rate(self) -> float | None:
		return round(100 * self.received / self.ordered, 1) if self.ordered else None

	@property
	def on_time_rate(self) -> float | None:
		return round(100 * self.on_time_qty / self.receipt_qty, 1) if self.receipt_qty else None

	@property
	def lead_time(self) -> float | None:
		return round(self.lead_days / self.receipt_rows, 1) if self.receipt_rows else None


@dataclass
class SupplyFigures:
	"""Every supplier's tallies per item group over one period."""

	window: Window
	by_supplier: dict[str, dict[str, Tally]] = field(default_factory=dict)

	def of(self, supplier: str, item_group: str | None) -> Tally:
		"""The tally of one supplier in one item group, started empty."""
		return self.by_supplier.setdefault(supplier, {}).setdefault(item_group or "", Tally())

	def tally(self, suppliers: set[str], item_groups: set[str] | None = None, exclude=False) -> Tally:
		total = Tally()
		for supplier, groups in self.by_supplier.items():
			if (supplier in suppliers) == exclude:
				continue
			for group, tally in groups.items():
				if item_groups is None or group in item_groups:
					total.add(tally)
		return total

	def item_groups(self, suppliers: set[str]) -> set[str]:
		return {group for supplier in suppliers for group in self.by_supplier.get(supplier, {})}


@dataclass(frozen=True)
class Thresholds:
	fill_rate: float
	on_time_rate: float


def thresholds() -> Thresholds:
	settings = frappe.get_cached_doc("Key Account Settings")
	return Thresholds(
		flt(settings.get("supply_fill_rate_percent")) or DEFAULT_FILL_RATE,
		flt(settings.get("supply_on_time_percent")) or DEFAULT_ON_TIME_RATE,
	)


def supply_figures(from_date: date, to_date: date, company: str | None = None) -> SupplyFigures:
	"""Two scans for every supplier at once: the order lines due in the period, and the receipts made
	against them."""
	scope = analysis_scope(company)
	order = frappe.qb.DocType("Purchase Order")
	line = frappe.qb.DocType("Purchase Order Item")
	figures = SupplyFigures(Window(getdate(from_date), getdate(to_date)))

	def lines_query():
		query = (
			frappe.qb.from_(line)
			.inner_join(order)
			.on(order.name == line.parent)
			.where(
				(line.parenttype == "Purchase Order")
				& (order.docstatus == 1)
				& line.schedule_date[figures.window.start : figures.window.end]
			)
		)
		if scope.companies:
			query = query.where(order.company.isin(scope.companies))
		return query

	ordered = (
		lines_query()
		.select(
			order.supplier,
			line.item_group,
			Sum(line.qty).as_("ordered"),
			Sum(line.received_qty).as_("received"),
			Count(line.name).as_("order_lines"),
		)
		.groupby(order.supplier, line.item_group)
		.run(as_dict=True)
	)
	for row in ordered:
		tally = figures.of(row.supplier, row.item_group)
		tally.ordered += flt(row.ordered)
		tally.received += flt(row.received)
		tally.order_lines += row.order_lines

	receipt = frappe.qb.DocType("Purchase Receipt")
	receipt_row = frappe.qb.DocType("Purchase Receipt Item")
	received = (
		lines_query()
		.inner_join(receipt_row)
		.on(receipt_row.purchase_order_item == line.name)
		.inner_join(receipt)
		.on(receipt.name == receipt_row.parent)
		.where((receipt.docstatus == 1) & (receipt.is_return == 0))
		.select(
			order.supplier,
			line.item_group,
			Sum(receipt_row.received_qty).as_("receipt_qty"),
			Sum(
				Case().when(receipt.posting_date <= line.schedule_date, receipt_row.received_qty).else_(0)
			).as_("on_time_qty"),
			Sum(DateDiff(receipt.posting_date, order.transaction_date)).as_("lead_days"),
			Count(receipt_row.name).as_("receipt_rows"),
		)
		.groupby(order.supplier, line.item_group)
		.run(as_dict=True)
	)
	for row in received:
		tally = figures.of(row.supplier, row.item_group)
		tally.receipt_qty += flt(row.receipt_qty)
		tally.on_time_qty += flt(row.on_time_qty)
		tally.lead_days += flt(row.lead_days)
		tally.receipt_rows += row.receipt_rows
	return figures


def account_suppliers() -> dict[str, set[str]]:
	member = frappe.qb.DocType("Key Account Supplier")
	suppliers = defaultdict(set)
	for account, supplier in (
		frappe.qb.from_(member)
		.select(member.parent, member.supplier)
		.where(member.parenttype == "Key Account")
		.run()
	):
		suppliers[account].add(supplier)
	return suppliers


def measure(suppliers: set[str], figures: SupplyFigures, limits: Thresholds) -> dict:
	"""Criterion 5 for a set of suppliers: met or not, and its evidence as data."""
	own = figures.tally(suppliers)
	groups = figures.item_groups(suppliers)
	peers = figures.tally(suppliers, groups, exclude=True)
	evidence = {
		"kind": "supply",
		"from": str(figures.window.start),
		"to": str(figures.window.end),
		"order_lines": own.order_lines,
		"fill_rate": own.fill_rate,
		"on_time_rate": own.on_time_rate,
		"lead_time": own.lead_time,
		"peer_order_lines": peers.order_lines,
		"peer_fill_rate": peers.fill_rate,
		"peer_on_time_rate": peers.on_time_rate,
		"peer_lead_time": peers.lead_time,
		"fill_threshold": limits.fill_rate,
		"on_time_threshold": limits.on_time_rate,
	}
	met = bool(
		own.order_lines
		and own.fill_rate is not None
		and own.on_time_rate is not None
		and own.fill_rate >= limits.fill_rate
		and own.on_time_rate >= limits.on_time_rate
		and (peers.fill_rate is None or own.fill_rate >= peers.fill_rate)
		and (peers.on_time_rate is None or own.on_time_rate >= peers.on_time_rate)
	)
	return {"met": int(met), "evidence": evidence}


def rule_text(evidence: dict) -> str:
	return _(
		"Met when the fill rate is at least {0}% and the on-time rate at least {1}%, and neither is below"
		" the other suppliers of the same item groups."
	).format(evidence.get("fill_threshold"), evidence.get("on_time_threshold"))


def percent(value) -> str:
	return _("n/a") if value is None else f"{value}%"


def days(value) -> str:
	return _("n/a") if value is None else _("{0} days").format(value)


def evidence_text(evidence: dict) -> str:
	period = _("{0} to {1}").format(
		frappe.format(evidence.get("from"), "Date"), frappe.format(evidence.get("to"), "Date")
	)
	if not evidence.get("order_lines"):
		return (
			_("No purchase order lines of its suppliers were due {0}.").format(period)
			+ "\n"
			+ rule_text(evidence)
		)
	return "\n".join(
		(
			_("{0} order lines due {1}: fill rate {2}, on time {3}, lead time {4}.").format(
				evidence["order_lines"],
				period,
				percent(evidence.get("fill_rate")),
				percent(evidence.get("on_time_rate")),
				days(evidence.get("lead_time")),
			),
			_(
				"Other suppliers of the same item groups ({0} lines): fill rate {1}, on time {2}, lead time {3}."
			).format(
				evidence.get("peer_order_lines") or 0,
				percent(evidence.get("peer_fill_rate")),
				percent(evidence.get("peer_on_time_rate")),
				days(evidence.get("peer_lead_time")),
			),
			rule_text(evidence),
		)
	)


def refresh_supply_criterion(accounts: list[str] | None = None, today: date | None = None) -> list[str]:
	"""Criterion 5 of `accounts` (default: every key account) over the last twelve months; see
	jobs.refresh_measured_criterion. Returns the accounts that failed."""
	window = rolling_twelve_months(getdate(today))
	figures = supply_figures(window.start, window.end)
	limits = thresholds()
	members = account_suppliers()
	return refresh_measured_criterion(
		accounts, "Supply Priority", FIELDS, lambda name: measure(members.get(name, set()), figures, limits)
	)
