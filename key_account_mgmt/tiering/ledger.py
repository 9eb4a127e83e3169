"""The purchase ledger: one Key Account Purchase Entry per submitted Purchase Invoice of a key account's
supplier, keyed on the invoice, its amounts already in the threshold currency. Totals are always
summed from it, never incremented, and it can be rebuilt from the invoices at any time."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime

from key_account_mgmt.setup import schema
from key_account_mgmt.tiering.core import convert, to_decimal
from key_account_mgmt.tiering.settings import TieringSettings

LEDGER = "Key Account Purchase Entry"
RATE_PRECISION = Decimal("0.000000001")

# Window sums read a supplier's entries by posting date; with the amounts in the index they never
# touch the table rows, and an account's locking read stays within its own suppliers' index ranges.
# The analyses that tell invoices from debit notes read `is_return` from it too.
LEDGER_INDEX = "supplier_posting_date_amounts_returns"
LEDGER_INDEX_COLUMNS = [
	"supplier",
	"posting_date",
	"fiscal_year",
	"company",
	"net_amount",
	"grand_amount",
	"is_return",
]
# The analyses read the days around a period's whole months (the rest comes from the monthly sums,
# purchase_months.py) by date: a few days of every supplier without reading each supplier's range.
# Only the analyses read along it; the engine's locking reads keep to LEDGER_INDEX.
LEDGER_DATE_INDEX = "posting_date_supplier_amounts"
LEDGER_DATE_INDEX_COLUMNS = ["posting_date", "supplier", "company", "net_amount", "grand_amount", "is_return"]

# What a joining supplier's locking read of its submitted invoices goes along (Reconciler.invoice_source).
INVOICE_SUPPLIER_INDEX = "key_account_supplier_docstatus"
INVOICE_SUPPLIER_INDEX_COLUMNS = ["supplier", "docstatus"]

# The engine's amount columns, wider than Frappe's (setup/schema.py), by each doctype's on_doctype_update.
WIDE_AMOUNT_COLUMNS = {
	"Key Account": ("purchase_amount",),
	"Key Account Annual Total": ("purchase_amount",),
	"Key Account Purchase Entry": ("net_amount", "grand_amount"),
	"Key Account Purchase Month": ("net_amount", "grand_amount", "return_net_amount", "return_grand_amount"),
	"Key Account Tier Change": ("purchase_amount",),
}

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


def record_invoice(invoice, settings: TieringSettings) -> str | None:
	"""Writes the invoice's entry; returns the entry's fiscal year."""
	row = LedgerBuilder(settings).row(invoice)
	frappe.db.sql(
		f"INSERT INTO `tab{LEDGER}` ({', '.join(LEDGER_FIELDS)}) VALUES ({', '.join(['%s'] * len(LEDGER_FIELDS))})",
		row,
	)
	return row[LEDGER_FIELDS.index("fiscal_year")]


def remove_invoice(invoice_name: str) -> list[frappe._dict]:
	"""Removes the invoice's row; returns what it was (supplier, company, posting date, fiscal year), or
	nothing when it had none."""
	return frappe.db.sql(
		f"""DELETE FROM `tab{LEDGER}` WHERE purchase_invoice = %s
		RETURNING supplier, company, posting_date, fiscal_year""",
		invoice_name,
		as_dict=True,
	)


def remove_suppliers(suppliers: Iterable[str]) -> None:
	suppliers = list(suppliers)
	if suppliers:
		frappe.db.delete(LEDGER, {"supplier": ("in", suppliers)})


def checksum(*expressions: str) -> str:
	"""Exact sums, read as text: frappe reads DECIMAL as float."""
	return ", ".join(f"CAST(SUM({expression}) AS CHAR)" for expression in expressions)


def add_ledger_index() -> None:
	frappe.db.add_index(LEDGER, LEDGER_INDEX_COLUMNS, LEDGER_INDEX)
	frappe.db.add_index(LEDGER, LEDGER_DATE_INDEX_COLUMNS, LEDGER_DATE_INDEX)


def add_invoice_supplier_index() -> None:
	frappe.db.add_index("Purchase Invoice", INVOICE_SUPPLIER_INDEX_COLUMNS, INVOICE_SUPPLIER_INDEX)


def widen_amount_columns(doctypes: Iterable[str] = tuple(WIDE_AMOUNT_COLUMNS)) -> None:
	for doctype in doctypes:
		schema.widen_amount_columns(doctype, WIDE_AMOUNT_COLUMNS[doctype])
