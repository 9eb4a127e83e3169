"""The purchase ledger: one Key Account Purchase Entry per submitted Purchase Invoice of a key account's
supplier, keyed on the invoice, its amounts already in the threshold currency. Totals are always
summed from it, never incremented, and it can be rebuilt from the invoices at any time."""

from collections.abc import Iterable
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
		return direct
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


def insert_rows(rows: Iterable[tuple]) -> None:
	frappe.db.bulk_insert(LEDGER, LEDGER_FIELDS, list(rows))


def record_invoice(invoice, settings: TieringSettings) -> None:
	insert_rows([LedgerBuilder(settings).row(invoice)])


def remove_invoice(invoice_name: str) -> None:
	frappe.db.delete(LEDGER, {"purchase_invoice": invoice_name})


# Rebuilding works in SQL, one INSERT … SELECT per company and posting date, because a site may hold
# millions of invoices; rates and fiscal years are looked up once per such group, and rounding
# (ROUND of an exact DECIMAL product, half away from zero) matches `core.convert` used on submit.

SUPPLIER_SCOPE = {
	"all": "pi.supplier IN (SELECT supplier FROM `tabKey Account Supplier` WHERE parenttype = 'Key Account')",
	"some": "pi.supplier IN %(suppliers)s",
}


def rebuild_for_suppliers(suppliers: Iterable[str] | None, settings: TieringSettings) -> int:
	"""Replace the ledger rows of `suppliers` (None: every key account's) with rows made afresh from
	their submitted invoices. Every rate is found before anything is removed, so a missing rate stops
	the rebuild with the ledger intact."""
	scope = SUPPLIER_SCOPE["all" if suppliers is None else "some"]
	values = {"suppliers": tuple(suppliers or ()) or ("",)}
	groups = frappe.db.sql(
		f"""SELECT pi.company, pi.posting_date FROM `tabPurchase Invoice` pi
		WHERE pi.docstatus = 1 AND {scope} GROUP BY pi.company, pi.posting_date""",
		values,
		as_dict=True,
	)
	builder = LedgerBuilder(settings)
	plan = [
		(
			group,
			builder.rate(builder.company_currency(group.company), getdate(group.posting_date)),
			builder.fiscal_year(group.company, getdate(group.posting_date)),
		)
		for group in groups
	]
	if suppliers is None:
		frappe.db.delete(LEDGER)
	else:
		remove_suppliers(values["suppliers"])
	now, user = now_datetime(), frappe.session.user
	for group, rate, fiscal_year in plan:
		frappe.db.sql(
			f"""INSERT INTO `tab{LEDGER}` (name, purchase_invoice, supplier, company, posting_date, fiscal_year,
				is_return, company_currency, exchange_rate, currency, net_amount, grand_amount,
				creation, modified, owner, modified_by, docstatus)
			SELECT pi.name, pi.name, pi.supplier, pi.company, pi.posting_date, %(fiscal_year)s,
				pi.is_return, %(company_currency)s, %(rate)s, %(currency)s,
				ROUND(pi.base_net_total * %(rate)s, 2), ROUND(pi.base_grand_total * %(rate)s, 2),
				%(now)s, %(now)s, %(user)s, %(user)s, 0
			FROM `tabPurchase Invoice` pi
			WHERE pi.docstatus = 1 AND pi.company = %(company)s AND pi.posting_date = %(posting_date)s AND {scope}""",
			{
				**values,
				"company": group.company,
				"posting_date": group.posting_date,
				"fiscal_year": fiscal_year,
				"company_currency": builder.company_currency(group.company),
				"rate": rate,
				"currency": settings.currency,
				"now": now,
				"user": user,
			},
		)
	return (
		frappe.db.count(LEDGER)
		if suppliers is None
		else frappe.db.count(LEDGER, {"supplier": ("in", values["suppliers"])})
	)


def remove_suppliers(suppliers: Iterable[str]) -> None:
	suppliers = list(suppliers)
	if suppliers:
		frappe.db.delete(LEDGER, {"supplier": ("in", suppliers)})


def rebuild_all(settings: TieringSettings) -> int:
	return rebuild_for_suppliers(None, settings)
