"""The sums every analysis is built from, in one place, with one company rule and one currency rule.

Company: the company the user chose, which must be one of the Companies That Count (Key Account
Settings); without a choice, the companies that count; when the settings list none, every company.
Currency: the settings' threshold currency, as the engine measures. Purchases of key accounts come
from the ledger, already converted at each invoice's posting date; everything read from invoices
(sales, gross profit, all procurement) is converted the same way: from the company's currency at the
rate of the posting date. Where the company's currency is the threshold currency there is nothing to
convert, so those rows are summed by the database without the posting date (see `conversion_day`)."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import frappe
from frappe import _
from frappe.query_builder import Case, Criterion, CustomFunction
from frappe.query_builder.functions import Avg, Coalesce, Concat, Extract, GroupConcat, Sum
from frappe.utils import getdate
from pypika.enums import DatePart

from key_account_mgmt.analysis.figures import last_day_of_month
from key_account_mgmt.analysis.sales_summary import (
	BRAND_MONTH,
	DAY,
	MONTH,
	SUMMARY,
	temporary_tables_in_memory,
)
from key_account_mgmt.tiering.core import to_decimal
from key_account_mgmt.tiering.ledger import LEDGER, LedgerBuilder
from key_account_mgmt.tiering.purchase_months import MONTHS
from key_account_mgmt.tiering.settings import TieringSettings, get_tiering_settings

DateDiff = CustomFunction("DATEDIFF", ["end_date", "start_date"])
MAX_PACKED_LENGTH = (
	4_294_967_295  # GROUP_CONCAT's own limit; the default of 1 MB would cut a large account short
)


@dataclass(frozen=True)
class Scope:
	settings: TieringSettings
	companies: tuple[str, ...]  # empty: every company

	@property
	def amount_field(self) -> str:
		return self.settings.amount_column

	@property
	def invoice_total_field(self) -> str:
		"""The Purchase Invoice total the amount basis names, in company currency."""
		return "base_net_total" if self.settings.amount_column == "net_amount" else "base_grand_total"


def analysis_scope(company: str | None = None, settings: TieringSettings | None = None) -> Scope:
	settings = settings or get_tiering_settings()
	if not company:
		return Scope(settings, settings.companies)
	if settings.companies and company not in settings.companies:
		frappe.throw(
			_("Company {0} is not one of the Companies That Count in Key Account Settings.").format(
				frappe.bold(company)
			),
			title=_("Company Does Not Count"),
		)
	return Scope(settings, (company,))


# Purchases from the ledger (already in the threshold currency)
# --------------------------------------------------------------


def ledger_query(scope: Scope, from_date: date, to_date: date, account: str | None = None):
	"""Ledger rows in the period joined to the key account of their supplier; returns the query and
	both tables."""
	entry = frappe.qb.DocType(LEDGER)
	member = frappe.qb.DocType("Key Account Supplier")
	query = (
		frappe.qb.from_(entry)
		.inner_join(member)
		.on((member.supplier == entry.supplier) & (member.parenttype == "Key Account"))
		.where(entry.posting_date[from_date:to_date])
	)
	if scope.companies:
		query = query.where(entry.company.isin(scope.companies))
	if account:
		query = query.where(member.parent == account)
	return query, entry, member


def purchases_by_account(scope: Scope, from_date: date, to_date: date) -> dict[str, float]:
	return purchases_by_account_in_periods(scope, [(from_date, to_date)])[0]


@dataclass(frozen=True)
class PeriodParts:
	"""A period as the whole calendar months the monthly sums hold (first and last month's first day),
	and the days before and after them, which only the ledger and the daily sales rows hold."""

	months: tuple[date, date] | None
	days: tuple[tuple[date, date], ...]


def period_parts(from_date: date, to_date: date) -> PeriodParts:
	"""Each range of days lies within one calendar month."""
	first, last = whole_months(from_date, to_date)
	if first is None:
		if (from_date.year, from_date.month) == (to_date.year, to_date.month):
			return PeriodParts(None, ((from_date, to_date),))
		return PeriodParts(None, ((from_date, last_day_of(from_date)), (to_date.replace(day=1), to_date)))
	days = []
	if from_date < first:
		days.append((from_date, first - timedelta(days=1)))
	if to_date > last_day_of(last):
		days.append((last_day_of(last) + timedelta(days=1), to_date))
	return PeriodParts((first, last), tuple(days))


def purchases_by_account_in_periods(
	scope: Scope, periods: list[tuple[date, date]], account: str | None = None
) -> list[dict[str, float]]:
	"""{account: purchases} for each period (of one account, when given): the whole months of every
	period from the monthly sums in one pass, the days around them from the ledger in another."""
	parts = [period_parts(start, end) for start, end in periods]
	month = frappe.qb.DocType(MONTHS)
	entry = frappe.qb.DocType(LEDGER)
	from_months = sums_by_account(
		scope,
		month,
		month.month_start,
		month[scope.amount_field],
		[[p.months] if p.months else [] for p in parts],
		account,
	)
	from_days = sums_by_account(
		scope, entry, entry.posting_date, entry[scope.amount_field], [list(p.days) for p in parts], account
	)
	result: list[dict[str, float]] = []
	for months, days in zip(from_months, from_days, strict=True):
		by_account = {
			name: months.get(name, 0.0) + days.get(name, 0.0) for name in months.keys() | days.keys()
		}
		result.append({name: value for name, value in by_account.items() if value})
	return result


def sums_by_account(
	scope: Scope, source, day, amount, periods: list[list[tuple[date, date]]], account: str | None = None
) -> list[dict[str, float]]:
	"""{account: sum of `amount`} for each period, a period being date ranges of the `day` column of
	`source` (the ledger or the monthly sums). Summed per supplier first, then per account: joining
	every row to its account made the database sort hundreds of thousands of rows by account."""
	ranges = [period_range for period in periods for period_range in period]
	if not ranges:
		return [{} for _ in periods]
	member = frappe.qb.DocType("Key Account Supplier")

	def within(period_ranges):
		return Criterion.any([day[start:end] for start, end in period_ranges])

	counted = [index for index, period in enumerate(periods) if period]
	by_supplier = (
		frappe.qb.from_(source)
		.select(
			source.supplier,
			*(
				Sum(Case().when(within(periods[index]), amount).else_(0)).as_(f"p{index}")
				for index in counted
			),
		)
		.where(day[min(start for start, _end in ranges) : max(end for _start, end in ranges)])
		.where(within(ranges))
		.groupby(source.supplier)
	)
	if scope.companies:
		by_supplier = by_supplier.where(source.company.isin(scope.companies))
	if account:
		by_supplier = by_supplier.where(
			source.supplier.isin(
				frappe.qb.from_(member)
				.select(member.supplier)
				.where((member.parent == account) & (member.parenttype == "Key Account"))
			)
		)
	grouped = by_supplier.as_("by_supplier")
	query = (
		frappe.qb.from_(grouped)
		.inner_join(member)
		.on((member.supplier == grouped.supplier) & (member.parenttype == "Key Account"))
		.select(member.parent, *(Sum(grouped[f"p{index}"]) for index in counted))
		.groupby(member.parent)
	)
	result: list[dict[str, float]] = [{} for _ in periods]
	for name, *amounts in query.run():
		for index, value in zip(counted, amounts, strict=True):
			if value:
				result[index][name] = float(value)
	return result


def daily_purchases(
	scope: Scope, from_date: date, to_date: date, account: str | None = None
) -> dict[str, dict[date, float]]:
	"""{account: {posting date: purchases}}. The database returns one row per account, its ledger rows
	packed into one text ("day number:amount,…"), summed by day here: grouping a national retailer's
	year by account and day made the database build a temporary table of hundreds of thousands of
	groups, several times slower than grouping by account alone."""
	query, entry, member = ledger_query(scope, from_date, to_date, account)
	packed = GroupConcat(Concat(DateDiff(entry.posting_date, from_date), ":", entry[scope.amount_field]))
	dates = [from_date + timedelta(days=offset) for offset in range((to_date - from_date).days + 1)]
	result: dict[str, dict[date, float]] = {}
	for name, pairs in packed_rows(query.select(member.parent, packed).groupby(member.parent)):
		days = result.setdefault(name, {})
		for offset, amount in pairs:
			day = dates[int(offset)]
			days[day] = days.get(day, 0.0) + float(amount)
	return result


def packed_rows(query):
	"""(name, [(key, amount), …]) for each row of a query that selects a name and a GROUP_CONCAT of
	"key:amount" texts."""
	frappe.db.sql(f"SET SESSION group_concat_max_len = {MAX_PACKED_LENGTH}")
	for name, text in query.run():
		parts = text.replace(",", ":").split(":") if text else []
		yield name, zip(parts[::2], parts[1::2], strict=True)


def monthly_purchases(
	scope: Scope, from_date: date, to_date: date, account: str | None = None
) -> dict[tuple[str, int, int], float]:
	"""{(account, year, month): purchases}: whole months from the monthly sums, the days of a month the
	period cuts from the ledger. The database returns one row per account, its months packed into one
	text ("yyyymm:amount,…"): grouping by account and month made it sort a year of every supplier's
	months into a temporary table, three times slower."""
	parts = period_parts(from_date, to_date)
	result: dict[tuple[str, int, int], float] = {}
	if parts.months:
		month = frappe.qb.DocType(MONTHS)
		member = frappe.qb.DocType("Key Account Supplier")
		year_month = Extract(DatePart.year, month.month_start) * 100 + Extract(
			DatePart.month, month.month_start
		)
		packed = GroupConcat(Concat(year_month, ":", month[scope.amount_field]))
		query = (
			frappe.qb.from_(month)
			.inner_join(member)
			.on((member.supplier == month.supplier) & (member.parenttype == "Key Account"))
			.where(month.month_start[parts.months[0] : parts.months[1]])
			.select(member.parent, packed)
			.groupby(member.parent)
		)
		if scope.companies:
			query = query.where(month.company.isin(scope.companies))
		if account:
			query = query.where(member.parent == account)
		for name, pairs in packed_rows(query):
			for month_number, amount in pairs:
				key = (name, int(month_number[:4]), int(month_number[4:]))
				result[key] = result.get(key, 0.0) + float(amount)
	entry = frappe.qb.DocType(LEDGER)
	days = sums_by_account(
		scope, entry, entry.posting_date, entry[scope.amount_field], [[days] for days in parts.days], account
	)
	for (start, _end), by_account in zip(parts.days, days, strict=True):
		for name, amount in by_account.items():
			key = (name, start.year, start.month)
			result[key] = result.get(key, 0.0) + amount
	return result


def purchases_by_supplier(scope: Scope, account: str, from_date: date, to_date: date) -> dict[str, float]:
	"""Every supplier of the account with its purchases in the period (0 for none)."""
	query, entry, _member = ledger_query(scope, from_date, to_date, account)
	bought = dict(query.select(entry.supplier, Sum(entry[scope.amount_field])).groupby(entry.supplier).run())
	suppliers = frappe.get_all(
		"Key Account Supplier",
		filters={"parent": account, "parenttype": "Key Account"},
		pluck="supplier",
		order_by="idx",
	)
	return {supplier: float(bought.get(supplier) or 0) for supplier in suppliers}


@dataclass(frozen=True)
class InvoiceCounts:
	invoices: int
	bought: float
	returned: float


def invoice_counts(
	scope: Scope, from_date: date, to_date: date, account: str | None = None
) -> dict[str, InvoiceCounts]:
	"""Per account: invoices (not returns), what they bought, and what debit notes took back."""
	query, entry, member = ledger_query(scope, from_date, to_date, account)
	amount = entry[scope.amount_field]
	rows = (
		query.select(
			member.parent,
			Sum(Case().when(entry.is_return == 0, 1).else_(0)),
			Sum(Case().when(entry.is_return == 0, amount).else_(0)),
			Sum(Case().when(entry.is_return == 1, amount).else_(0)),
		)
		.groupby(member.parent)
		.run()
	)
	return {
		name: InvoiceCounts(int(count or 0), float(bought or 0), -float(returned or 0))
		for name, count, bought, returned in rows
	}


# Purchase Invoices (for what the ledger does not hold: items, orders, suppliers in no account)
# ----------------------------------------------------------------------------------------------


def purchase_invoice_query(scope: Scope, from_date: date, to_date: date):
	invoice = frappe.qb.DocType("Purchase Invoice")
	query = (
		frappe.qb.from_(invoice).where(invoice.docstatus == 1).where(invoice.posting_date[from_date:to_date])
	)
	if scope.companies:
		query = query.where(invoice.company.isin(scope.companies))
	return query, invoice


def purchase_invoice_items_query(scope: Scope, from_date: date, to_date: date):
	"""Rows of submitted Purchase Invoices in the period; returns the query, the invoice and the row."""
	query, invoice = purchase_invoice_query(scope, from_date, to_date)
	row = frappe.qb.DocType("Purchase Invoice Item")
	query = query.inner_join(row).on((row.parent == invoice.name) & (row.parenttype == "Purchase Invoice"))
	return query, invoice, row


def account_invoice_items(
	scope: Scope, from_date: date, to_date: date, account: str | None = None
) -> list[frappe._dict]:
	"""Rows of submitted Purchase Invoices of key accounts' suppliers, oldest first: account, supplier,
	item_code, stock_qty, base_rate, is_return."""
	query, invoice, row = purchase_invoice_items_query(scope, from_date, to_date)
	member = frappe.qb.DocType("Key Account Supplier")
	query = (
		query.inner_join(member)
		.on((member.supplier == invoice.supplier) & (member.parenttype == "Key Account"))
		.select(
			member.parent.as_("account"),
			invoice.supplier,
			row.item_code,
			row.stock_qty,
			row.base_rate,
			invoice.is_return,
		)
		.orderby(invoice.posting_date)
		.orderby(invoice.posting_time)
		.orderby(invoice.name)
		.orderby(row.idx)
	)
	if account:
		query = query.where(member.parent == account)
	return query.run(as_dict=True)


def order_to_invoice_days(
	scope: Scope, from_date: date, to_date: date, account: str | None = None
) -> dict[str, float]:
	"""Per account, the average days from a Purchase Order to an invoice (not a return) made from it."""
	query, invoice, row = purchase_invoice_items_query(scope, from_date, to_date)
	order = frappe.qb.DocType("Purchase Order")
	pairs = (
		query.inner_join(order)
		.on(order.name == row.purchase_order)
		.where(invoice.is_return == 0)
		.select(
			invoice.name,
			invoice.supplier,
			order.name.as_("purchase_order"),
			DateDiff(invoice.posting_date, order.transaction_date).as_("days"),
		)
		.distinct()
	)
	member = frappe.qb.DocType("Key Account Supplier")
	pair = pairs.as_("pairs")
	query = (
		frappe.qb.from_(pair)
		.inner_join(member)
		.on((member.supplier == pair.supplier) & (member.parenttype == "Key Account"))
		.select(member.parent, Avg(pair.days))
		.groupby(member.parent)
	)
	if account:
		query = query.where(member.parent == account)
	return {name: float(days) for name, days in query.run() if days is not None}


def total_procurement(
	scope: Scope, from_date: date, to_date: date, by_account: dict[str, float] | None = None
) -> float:
	"""Every submitted Purchase Invoice in the period, key account or not: the key accounts' from the
	ledger (`by_account`, when the caller has already summed the period), the rest from the invoices of
	the suppliers in no account."""
	if by_account is None:
		by_account = purchases_by_account(scope, from_date, to_date)
	outside = supplier_purchases_outside_accounts(scope, from_date, to_date)
	return sum(by_account.values()) + sum(amount for _name, amount in outside.values())


def supplier_purchases_outside_accounts(
	scope: Scope, from_date: date, to_date: date
) -> dict[str, tuple[str, float]]:
	"""{supplier: (supplier name, purchases)} of suppliers in no key account. Read from those suppliers
	onwards, each one's invoices by its own index range: at a national retailer most of a year's
	invoices are key accounts' and are never read here."""
	suppliers = frappe.qb.DocType("Supplier")
	invoice = frappe.qb.DocType("Purchase Invoice")
	company = frappe.qb.DocType("Company")
	member = frappe.qb.DocType("Key Account Supplier")
	day = conversion_day(scope, company.default_currency, invoice.posting_date)
	query = (
		frappe.qb.from_(suppliers)
		.inner_join(invoice)
		.on(invoice.supplier == suppliers.name)
		.inner_join(company)
		.on(company.name == invoice.company)
		.where(
			suppliers.name.notin(
				frappe.qb.from_(member).select(member.supplier).where(member.parenttype == "Key Account")
			)
		)
		.where(invoice.docstatus == 1)
		.where(invoice.posting_date[from_date:to_date])
	)
	if scope.companies:
		query = query.where(invoice.company.isin(scope.companies))
	rows = (
		query.select(
			invoice.supplier,
			invoice.supplier_name,
			company.default_currency,
			day,
			Sum(invoice[scope.invoice_total_field]),
		)
		.groupby(invoice.supplier, invoice.supplier_name, company.default_currency, day)
		.run()
	)
	converter = Converter(scope.settings)
	totals: dict[str, Decimal] = {}
	names: dict[str, str] = {}
	for supplier, supplier_name, currency, day, amount in rows:
		totals[supplier] = totals.get(supplier, Decimal(0)) + converter(currency, day, amount)
		names[supplier] = supplier_name
	return {supplier: (names[supplier], float(amount)) for supplier, amount in totals.items()}


# Sales from submitted Sales Invoices
# -----------------------------------


@dataclass
class SalesFigures:
	amount: float = 0.0
	qty: float = 0.0
	profit: float = 0.0


SALES_GROUPS = ("brand", "item_code", "item_group", "territory", "month")
# A year of every brand's sales by month is about 30,000 groups: grouped in memory in half the time
# MariaDB's default 16 MB allows.
SALES_GROUPING_MEMORY = 64 * 1024 * 1024


def sales(
	scope: Scope,
	from_date: date,
	to_date: date,
	by: Iterable[str] = (),
	brand: str | None = None,
	items: Iterable[str] | None = None,
	territories: Iterable[str] | None = None,
	branded_only: bool = True,
) -> dict[tuple, SalesFigures]:
	"""Net sales, quantity and gross profit (net sales less the cost ERPNext booked on the row), in the
	threshold currency, keyed by the values of `by` (brand, item_code, item_group, territory, and month
	as (year, month)) in that order. Rows without a brand are left out when grouping by brand unless
	`branded_only` is false. Read from the sales summary, or from the invoice rows when items are
	asked for (the summary does not keep them)."""
	by = tuple(by)
	if items is None and "item_code" not in by:
		query = summary_sales_query(scope, from_date, to_date, by, brand, territories, branded_only)
	else:
		query = invoice_sales_query(scope, from_date, to_date, by, brand, items, territories, branded_only)
	with temporary_tables_in_memory(SALES_GROUPING_MEMORY):
		rows = query.run()
	return sum_sales(rows, by, Converter(scope.settings))


def sum_sales(rows, by: tuple[str, ...], converter: "Converter") -> dict[tuple, SalesFigures]:
	"""The query's rows (the grouped columns, then currency, conversion day, amount, quantity and
	profit) summed per key. A year of every brand by month is some 30,000 rows: the key is built by a
	function made once, and only amounts in another currency go through the converter."""
	key_of = sales_key(by)
	figures_start = len(dimensions(by)) + (2 if "month" in by else 0)
	threshold_currency = converter.currency
	totals: dict[tuple, list] = {}
	for row in rows:
		key = key_of(row)
		currency, day, amount, qty, profit = row[figures_start:]
		if currency == threshold_currency:
			amount, profit = to_decimal(amount), to_decimal(profit)
		else:
			amount, profit = converter(currency, day, amount), converter(currency, day, profit)
		figures = totals.get(key)
		if figures is None:
			totals[key] = [amount, to_decimal(qty), profit]
		else:
			figures[0] += amount
			figures[1] += to_decimal(qty)
			figures[2] += profit
	return {
		key: SalesFigures(float(amount), float(qty), float(profit))
		for key, (amount, qty, profit) in totals.items()
	}


def sales_key(by: tuple[str, ...]):
	"""A row's key in the order of `by`: each dimension's value (None for an empty one), and the month
	as (year, month) from the two columns that follow the dimensions."""
	names = dimensions(by)
	month_at = len(names)

	def part(name: str):
		if name == "month":
			return lambda row: (int(row[month_at]), int(row[month_at + 1]))
		index = names.index(name)
		return lambda row: row[index] or None

	parts = [part(name) for name in by]
	if len(parts) == 1:
		only = parts[0]
		return lambda row: (only(row),)
	if len(parts) == 2:
		first, second = parts
		return lambda row: (first(row), second(row))
	return lambda row: tuple(part(row) for part in parts)


def dimensions(by: tuple[str, ...]) -> list[str]:
	return [name for name in by if name != "month"]


def grouped_columns(by: tuple[str, ...], columns: dict, posting_date) -> list:
	grouped = [columns[name] for name in dimensions(by)]
	if "month" in by:
		grouped += [Extract(DatePart.year, posting_date), Extract(DatePart.month, posting_date)]
	return grouped


def invoice_sales_query(scope, from_date, to_date, by, brand, items, territories, branded_only):
	invoice = frappe.qb.DocType("Sales Invoice")
	row = frappe.qb.DocType("Sales Invoice Item")
	company = frappe.qb.DocType("Company")
	columns = {
		"brand": row.brand,
		"item_code": row.item_code,
		"item_group": row.item_group,
		"territory": invoice.territory,
	}
	grouped = grouped_columns(by, columns, invoice.posting_date)
	day = conversion_day(scope, company.default_currency, invoice.posting_date)
	query = (
		frappe.qb.from_(row)
		.inner_join(invoice)
		.on((invoice.name == row.parent) & (row.parenttype == "Sales Invoice"))
		.inner_join(company)
		.on(company.name == invoice.company)
		.where(invoice.docstatus == 1)
		.where(invoice.posting_date[from_date:to_date])
		.select(
			*grouped,
			company.default_currency,
			day,
			Sum(row.base_net_amount),
			Sum(row.stock_qty),
			Sum(row.base_net_amount - Coalesce(row.incoming_rate, 0) * Coalesce(row.stock_qty, 0)),
		)
		.groupby(*grouped, company.default_currency, day)
	)
	if scope.companies:
		query = query.where(invoice.company.isin(scope.companies))
	if "brand" in by and branded_only:
		query = query.where(Coalesce(row.brand, "") != "")
	if brand is not None:
		query = query.where(row.brand == brand)
	if items is not None:
		query = query.where(row.item_code.isin(tuple(items) or ("",)))
	if territories is not None:
		query = query.where(invoice.territory.isin(tuple(territories) or ("",)))
	return query


def summary_sales_query(scope, from_date, to_date, by, brand, territories, branded_only):
	"""The same sums from the sales summary: whole months from its monthly rows (per brand alone where
	neither item group nor territory matters), the days before the first and after the last whole month
	from its daily rows, and every day from the daily rows of a company whose currency is converted (a
	month holds days of different rates)."""
	summary = frappe.qb.DocType(SUMMARY)
	company = frappe.qb.DocType("Company")
	columns = {"brand": summary.brand, "item_group": summary.item_group, "territory": summary.territory}
	grouped = grouped_columns(by, columns, summary.period_start)
	day = conversion_day(scope, company.default_currency, summary.period_start)
	parts = period_parts(from_date, to_date)
	days = (summary.period == DAY) & summary.period_start[from_date:to_date]
	if parts.months is None:
		period = days
	else:
		converted = converted_companies(scope)
		month_kind = BRAND_MONTH if set(by) <= {"brand", "month"} and territories is None else MONTH
		months = (summary.period == month_kind) & summary.period_start[parts.months[0] : parts.months[1]]
		if converted:
			months &= summary.company.notin(converted)
		period = months
		for start, end in parts.days:
			period |= (summary.period == DAY) & summary.period_start[start:end]
		if converted:
			period |= days & summary.company.isin(converted)
	query = (
		frappe.qb.from_(summary)
		.inner_join(company)
		.on(company.name == summary.company)
		.where(period)
		.select(
			*grouped,
			company.default_currency,
			day,
			Sum(summary.net_amount),
			Sum(summary.stock_qty),
			Sum(summary.net_amount - summary.cost),
		)
		.groupby(*grouped, company.default_currency, day)
		# a key whose invoices were all cancelled is no key, as it is none among the invoice rows
		.having(Sum(summary.invoice_rows) > 0)
	)
	if scope.companies:
		query = query.where(summary.company.isin(scope.companies))
	if "brand" in by and branded_only:
		query = query.where(summary.brand != "")
	if brand is not None:
		query = query.where(summary.brand == brand)
	if territories is not None:
		query = query.where(summary.territory.isin(tuple(territories) or ("",)))
	return query


def converted_companies(scope: Scope) -> tuple[str, ...]:
	"""The companies in scope whose currency is not the threshold currency."""
	filters = {"default_currency": ("!=", scope.settings.currency)}
	if scope.companies:
		filters["name"] = ("in", scope.companies)
	return tuple(frappe.get_all("Company", filters=filters, pluck="name", order_by="name"))


def whole_months(from_date: date, to_date: date) -> tuple[date | None, date | None]:
	"""The first days of the first and the last calendar month that lie wholly in the period; (None,
	None) when none does."""
	first = from_date if from_date.day == 1 else last_day_of(from_date) + timedelta(days=1)
	last = to_date.replace(day=1)
	if to_date != last_day_of(to_date):
		last = (last - timedelta(days=1)).replace(day=1)
	return (first, last) if first <= last else (None, None)


def last_day_of(day: date) -> date:
	return last_day_of_month(day.year, day.month)


def conversion_day(scope: Scope, currency, posting_date):
	"""What sums of company-currency amounts are grouped by besides their currency: the posting date
	where the company's currency is not the threshold currency (each day is converted at its own
	rate), nothing (NULL) where it is. A national retailer's sales then reach Python as one row per
	brand (and month) instead of one per brand and day."""
	return Case().when(currency == scope.settings.currency, None).else_(posting_date)


class Converter:
	"""Company-currency amounts into the threshold currency at the posting date's rate (the engine's
	rule: the latest Currency Exchange on or before it; a missing rate is refused with its pair).
	Amounts already in the threshold currency come without a day (`conversion_day`) and stay as they are."""

	def __init__(self, settings: TieringSettings):
		self.builder = LedgerBuilder(settings)
		self.currency = settings.currency

	def __call__(self, currency: str, day, amount) -> Decimal:
		amount = to_decimal(amount)
		if currency == self.builder.settings.currency:
			return amount
		return amount * self.builder.rate(currency, getdate(day))
