"""The purchase ledger: one Key Account Purchase Entry per submitted Purchase Invoice of a key account's
supplier, keyed on the invoice, its amounts already in the threshold currency. Totals are always
summed from it, never incremented, and it can be rebuilt from the invoices at any time."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from key_account_mgmt.tiering.core import convert, to_decimal
from key_account_mgmt.tiering.settings import TieringSettings

LEDGER = "Key Account Purchase Entry"
RATE_PRECISION = Decimal("0.000000001")

LEDGER_FIELDS = (
	"name",
	"purchase_invoice",
	"supplier",
	"company",
	"posting_date",
	"fiscal_year",
	"is_return",
	"company_currency",
	"exchange_rate",
	"currency",
	"net_amount",
	"grand_amount",
	"creation",
	"modified",
	"owner",
	"modified_by",
	"docstatus",
)


class LedgerBuilder:
	"""Turns submitted invoices into ledger rows, remembering rates and fiscal years it looked up."""

	def __init__(self, settings: TieringSettings):
		self.settings = settings
		self._rates: dict[tuple[str, date], Decimal] = {}
		self._fiscal_years: dict[tuple[str, date], str | None] = {}
		self._company_currency: dict[str, str] = {}

	def row(self, invoice) -> tuple:
		posting_date = getdate(invoice.posting_date)
		company_currency = self.company_currency(invoice.company)
		rate = self.rate(company_currency, posting_date)
		now = now_datetime()
		user = frappe.session.user
		return (
			invoice.name,
			invoice.name,
			invoice.supplier,
			invoice.company,
			posting_date,
			self.fiscal_year(invoice.company, posting_date),
			1 if invoice.is_return else 0,
			company_currency,
			rate,
			self.settings.currency,
			convert(invoice.base_net_total, rate),
			convert(invoice.base_grand_total, rate),
			now,
			now,
			user,
			user,
			0,
		)

	def company_currency(self, company: str) -> str:
		if company not in self._company_currency:
			self._company_currency[company] = frappe.get_cached_value("Company", company, "default_currency")
		return self._company_currency[company]

	def rate(self, from_currency: str, posting_date: date) -> Decimal:
		key = (from_currency, posting_date)
		if key not in self._rates:
			self._rates[key] = exchange_rate(from_currency, self.settings.currency, posting_date)
		return self._rates[key]

	def fiscal_year(self, company: str, posting_date: date) -> str | None:
		from erpnext.accounts.utils import FiscalYearError, get_fiscal_year

		key = (company, posting_date)
		if key not in self._fiscal_years:
			try:
				self._fiscal_years[key] = get_fiscal_year(posting_date, company=company)[0]
			except FiscalYearError:
				self._fiscal_years[key] = None
		return self._fiscal_years[key]


def exchange_rate(from_currency: str, to_currency: str, posting_date: date) -> Decimal:
	"""The buying rate in force on the posting date: the latest Currency Exchange on or before it, or
	the inverse of the opposite pair. No rate refuses the posting; this app never guesses one."""
	if from_currency == to_currency:
		return Decimal(1)
	direct = latest_exchange_rate(from_currency, to_currency, posting_date)
	if direct:
		return direct.quantize(RATE_PRECISION)
	inverse = latest_exchange_rate(to_currency, from_currency, posting_date)
	if inverse:
		# to the precision the ledger stores, so that a rebuild or verify repeats the very same product
		return (Decimal(1) / inverse).quantize(RATE_PRECISION)
	frappe.throw(
		_(
			"No exchange rate from {0} to {1} on or before {2}. Key accounts are measured in {1}: add a "
			"Currency Exchange record for {0} to {1}, then post again."
		).format(from_currency, to_currency, frappe.format(posting_date, "Date")),
		title=_("Missing Exchange Rate"),
	)


def latest_exchange_rate(from_currency: str, to_currency: str, posting_date: date) -> Decimal | None:
	rows = frappe.get_all(
		"Currency Exchange",
		filters={
			"from_currency": from_currency,
			"to_currency": to_currency,
			"date": ("<=", posting_date),
			"for_buying": 1,
		},
		fields=["exchange_rate"],
		order_by="date desc",
		limit=1,
	)
	rate = to_decimal(rows[0].exchange_rate) if rows else Decimal(0)
	return rate if rate > 0 else None


def record_invoice(invoice, settings: TieringSettings) -> None:
	frappe.db.sql(
		f"INSERT INTO `tab{LEDGER}` ({', '.join(LEDGER_FIELDS)}) VALUES ({', '.join(['%s'] * len(LEDGER_FIELDS))})",
		LedgerBuilder(settings).row(invoice),
	)


def remove_invoice(invoice_name: str) -> None:
	frappe.db.sql(f"DELETE FROM `tab{LEDGER}` WHERE purchase_invoice = %s", invoice_name)


# Rebuilding reconciles the ledger with the invoices in SQL, because a site may hold millions of
# them: rates and fiscal years are looked up once per company and posting date, consecutive dates
# that share both become one range, and per range one DELETE removes rows that differ from their
# invoice and one INSERT … SELECT adds the missing ones. Rows that are right are left alone, so a
# recompute of a healthy ledger only reads. ROUND of the exact DECIMAL product, half away from zero,
# matches `core.convert` used on submit.

KEY_ACCOUNT_SUPPLIERS = (
	"INNER JOIN `tabKey Account Supplier` s ON s.supplier = pi.supplier AND s.parenttype = 'Key Account'"
)

LEDGER_COLUMNS = """(name, purchase_invoice, supplier, company, posting_date, fiscal_year, is_return,
	company_currency, exchange_rate, currency, net_amount, grand_amount, creation, modified, owner,
	modified_by, docstatus)"""

ROW_FROM_INVOICE = """pi.name, pi.name, pi.supplier, pi.company, pi.posting_date, %(fiscal_year)s, pi.is_return,
	%(company_currency)s, %(rate)s, %(currency)s, ROUND(pi.base_net_total * %(rate)s, 2),
	ROUND(pi.base_grand_total * %(rate)s, 2), %(now)s, %(now)s, %(user)s, %(user)s, 0"""

ROW_MATCHES_INVOICE = """e.supplier = pi.supplier AND e.company = pi.company AND e.posting_date = pi.posting_date
	AND e.is_return = pi.is_return AND e.fiscal_year <=> %(fiscal_year)s AND e.exchange_rate = %(rate)s
	AND e.currency = %(currency)s AND e.net_amount = ROUND(pi.base_net_total * %(rate)s, 2)
	AND e.grand_amount = ROUND(pi.base_grand_total * %(rate)s, 2)"""


@dataclass(frozen=True)
class RebuildRange:
	company: str
	first_date: date
	last_date: date
	rate: Decimal
	fiscal_year: str | None


@dataclass
class Reconciliation:
	removed: int = 0
	added: int = 0


def rebuild_for_suppliers(suppliers: Iterable[str] | None, settings: TieringSettings) -> Reconciliation:
	"""Make the ledger rows of `suppliers` (None: of every key account) exactly those of their
	submitted invoices. Every rate is found before anything is written, so a missing rate stops the
	rebuild with the ledger intact."""
	join = KEY_ACCOUNT_SUPPLIERS if suppliers is None else ""
	condition = "" if suppliers is None else "AND pi.supplier IN %(suppliers)s"
	values = {"suppliers": tuple(suppliers or ()) or ("",), "currency": settings.currency}
	ranges = rebuild_ranges(
		frappe.db.sql(
			f"""SELECT DISTINCT pi.company, pi.posting_date FROM `tabPurchase Invoice` pi {join}
			WHERE pi.docstatus = 1 {condition} ORDER BY pi.company, pi.posting_date""",
			values,
		),
		LedgerBuilder(settings),
	)
	result = Reconciliation(removed=remove_stale_rows(suppliers, values))
	values.update(now=now_datetime(), user=frappe.session.user)
	for part in ranges:
		values.update(
			company=part.company,
			first_date=part.first_date,
			last_date=part.last_date,
			fiscal_year=part.fiscal_year,
			company_currency=frappe.get_cached_value("Company", part.company, "default_currency"),
			rate=part.rate,
		)
		in_range = f"""pi.docstatus = 1 AND pi.company = %(company)s
			AND pi.posting_date BETWEEN %(first_date)s AND %(last_date)s {condition}"""
		frappe.db.sql(
			f"""DELETE e FROM `tab{LEDGER}` e INNER JOIN `tabPurchase Invoice` pi ON pi.name = e.purchase_invoice
			WHERE {in_range} AND NOT ({ROW_MATCHES_INVOICE})""",
			values,
		)
		result.removed += affected_rows()
		frappe.db.sql(
			f"""INSERT INTO `tab{LEDGER}` {LEDGER_COLUMNS}
			SELECT {ROW_FROM_INVOICE} FROM `tabPurchase Invoice` pi {join}
			LEFT JOIN `tab{LEDGER}` e ON e.name = pi.name
			WHERE {in_range} AND e.name IS NULL""",
			values,
		)
		result.added += affected_rows()
	return result


def affected_rows() -> int:
	return frappe.db.sql("SELECT ROW_COUNT()")[0][0]


def remove_stale_rows(suppliers: Iterable[str] | None, values: dict) -> int:
	"""Rows whose invoice is no longer submitted, or (for the whole ledger) whose supplier left every
	key account."""
	if suppliers is None:
		frappe.db.sql(
			f"""DELETE e FROM `tab{LEDGER}` e
			LEFT JOIN `tabPurchase Invoice` pi ON pi.name = e.purchase_invoice AND pi.docstatus = 1
			LEFT JOIN `tabKey Account Supplier` s ON s.supplier = e.supplier AND s.parenttype = 'Key Account'
			WHERE pi.name IS NULL OR s.name IS NULL"""
		)
	else:
		frappe.db.sql(
			f"""DELETE e FROM `tab{LEDGER}` e
			LEFT JOIN `tabPurchase Invoice` pi ON pi.name = e.purchase_invoice AND pi.docstatus = 1
			WHERE e.supplier IN %(suppliers)s AND pi.name IS NULL""",
			values,
		)
	return affected_rows()


def rebuild_ranges(company_dates: Iterable[tuple[str, date]], builder: LedgerBuilder) -> list[RebuildRange]:
	ranges: list[RebuildRange] = []
	for company, posting_date in company_dates:
		posting_date = getdate(posting_date)
		rate = builder.rate(builder.company_currency(company), posting_date)
		fiscal_year = builder.fiscal_year(company, posting_date)
		last = ranges[-1] if ranges else None
		if last and (last.company, last.rate, last.fiscal_year) == (company, rate, fiscal_year):
			ranges[-1] = RebuildRange(company, last.first_date, posting_date, rate, fiscal_year)
		else:
			ranges.append(RebuildRange(company, posting_date, posting_date, rate, fiscal_year))
	return ranges


def remove_suppliers(suppliers: Iterable[str]) -> None:
	suppliers = list(suppliers)
	if suppliers:
		frappe.db.delete(LEDGER, {"supplier": ("in", suppliers)})


def rebuild_all(settings: TieringSettings) -> Reconciliation:
	return rebuild_for_suppliers(None, settings)
