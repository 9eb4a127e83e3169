"""Reconciling the purchase ledger with the submitted Purchase Invoices, for `kam-verify`,
`kam-recompute` and suppliers joining an account.

A site may hold millions of invoices, so this works in SQL and checks cheaply before it looks
closely: rates and fiscal years are looked up once per company and posting date (consecutive dates
that share both form one range), then per supplier a checksum of the invoices (count, converted
amounts, CRC32 of the names, returns, dates) is compared with the same checksum of its ledger rows.
Only suppliers whose checksums differ are compared row by row, each row against the rate recorded
in it. Amounts are ROUND of the exact DECIMAL product, half away from zero, as `core.convert` does on
submit."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import frappe
from frappe.utils import getdate, now_datetime

from key_account_mgmt.tiering import purchase_months
from key_account_mgmt.tiering.ledger import (
	INVOICE_SUPPLIER_INDEX,
	LEDGER,
	RATE_PRECISION,
	LedgerBuilder,
	checksum,
)
from key_account_mgmt.tiering.settings import TieringSettings

# Beyond this many suspect suppliers a scan of everything is cheaper than a long IN list.
MAX_SUSPECTS = 500

LEDGER_COLUMNS = """(name, purchase_invoice, supplier, company, posting_date, fiscal_year, is_return,
	company_currency, exchange_rate, currency, net_amount, grand_amount, creation, modified, owner,
	modified_by, docstatus)"""

ROW_FROM_INVOICE = """pi.name, pi.name, pi.supplier, pi.company, pi.posting_date, %(fiscal_year)s, pi.is_return,
	%(company_currency)s, %(rate)s, %(currency)s, ROUND(pi.base_net_total * %(rate)s, 2),
	ROUND(pi.base_grand_total * %(rate)s, 2), %(now)s, %(now)s, %(user)s, %(user)s, 0"""

# A posted invoice keeps the rate of its posting, recorded in its ledger row: a Currency Exchange
# entered later for an earlier date does not re-convert it, and is not drift. Only a missing row is
# converted afresh, at the rate in force now for its posting date.
ROW_MATCHES_INVOICE = """e.supplier = pi.supplier AND e.company = pi.company AND e.posting_date = pi.posting_date
	AND e.is_return = pi.is_return AND e.fiscal_year <=> %(fiscal_year)s AND e.exchange_rate > 0
	AND e.currency = %(currency)s AND e.company_currency = %(company_currency)s
	AND e.net_amount = ROUND(pi.base_net_total * e.exchange_rate, 2)
	AND e.grand_amount = ROUND(pi.base_grand_total * e.exchange_rate, 2)"""


@dataclass(frozen=True)
class PostingRange:
	company: str
	company_currency: str
	first_date: date
	last_date: date
	rate: Decimal
	fiscal_year: str | None


@dataclass
class LedgerDrift:
	missing: list[str] = field(default_factory=list)
	stale: list[str] = field(default_factory=list)
	wrong: list[str] = field(default_factory=list)


@dataclass
class Repair:
	removed: int = 0
	added: int = 0


class Reconciler:
	"""The ledger rows of `suppliers` (None: of every key account) against their submitted invoices.
	Every rate is found on construction, before anything is written: a missing rate stops a repair
	with the ledger intact."""

	def __init__(self, settings: TieringSettings, suppliers: Iterable[str] | None = None, lock: bool = False):
		self.settings = settings
		# A supplier joining an account reads its invoices with locking reads: they see an invoice
		# submitted after this transaction's snapshot was taken (see membership.py).
		self.locking = " LOCK IN SHARE MODE" if lock else ""
		self.every_account = suppliers is None
		self.values = {"suppliers": tuple(suppliers or ()) or ("",), "currency": settings.currency}
		self.invoices = self.invoice_source()
		self.ranges = self.posting_ranges()

	def invoice_source(self) -> str:
		"""The named suppliers' submitted invoices through the supplier and docstatus index: a locking
		read along the posting date index would lock every supplier's invoices of those days and deadlock
		with other accounts' submits, and one along the supplier index alone would wait for a draft being
		submitted (both seen in the soak when a supplier joined an account)."""
		if self.every_account:
			return "`tabPurchase Invoice` pi"
		for index in (INVOICE_SUPPLIER_INDEX, "supplier"):
			if frappe.db.has_index("tabPurchase Invoice", index):
				return f"`tabPurchase Invoice` pi FORCE INDEX (`{index}`)"
		return "`tabPurchase Invoice` pi"

	# what the invoices say

	@property
	def invoice_scope(self) -> str:
		if self.every_account:
			return "pi.supplier IN (SELECT supplier FROM `tabKey Account Supplier` WHERE parenttype = 'Key Account')"
		return "pi.supplier IN %(suppliers)s"

	@property
	def ledger_scope(self) -> str:
		return "1 = 1" if self.every_account else "e.supplier IN %(suppliers)s"

	def posting_ranges(self) -> list[PostingRange]:
		builder = LedgerBuilder(self.settings)
		ranges: list[PostingRange] = []
		for company, posting_date in frappe.db.sql(
			f"""SELECT DISTINCT pi.company, pi.posting_date FROM {self.invoices}
			WHERE pi.docstatus = 1 AND {self.invoice_scope} ORDER BY pi.company, pi.posting_date{self.locking}""",
			self.values,
		):
			posting_date = getdate(posting_date)
			currency = builder.company_currency(company)
			rate = builder.rate(currency, posting_date)
			fiscal_year = builder.fiscal_year(company, posting_date)
			last = ranges[-1] if ranges else None
			if last and (last.company, last.rate, last.fiscal_year) == (company, rate, fiscal_year):
				ranges[-1] = PostingRange(company, currency, last.first_date, posting_date, rate, fiscal_year)
			else:
				ranges.append(PostingRange(company, currency, posting_date, posting_date, rate, fiscal_year))
		return ranges

	def range_values(self, part: PostingRange) -> dict:
		return {
			**self.values,
			"company": part.company,
			"company_currency": part.company_currency,
			"first_date": part.first_date,
			"last_date": part.last_date,
			"fiscal_year": part.fiscal_year,
			"rate": part.rate,
		}

	def in_range(self, suspects: set[str] | None) -> str:
		condition = f"""pi.docstatus = 1 AND pi.company = %(company)s
			AND pi.posting_date BETWEEN %(first_date)s AND %(last_date)s AND {self.invoice_scope}"""
		return condition + (" AND pi.supplier IN %(suspects)s" if suspects else "")

	# the cheap check

	def suspects(self) -> set[str] | None:
		"""Suppliers whose ledger rows may differ from their invoices; None when too many to name (then
		everything is compared row by row)."""
		expected: dict[tuple, list[Decimal]] = {}
		for part in self.ranges:
			for supplier, *sums in frappe.db.sql(
				f"""SELECT pi.supplier, {
					checksum(
						"1",
						"ROUND(pi.base_net_total * %(rate)s, 2)",
						"ROUND(pi.base_grand_total * %(rate)s, 2)",
						"CRC32(pi.name)",
						"pi.is_return",
						"TO_DAYS(pi.posting_date)",
					)
				}
				FROM {self.invoices} WHERE {self.in_range(None)} GROUP BY pi.supplier{self.locking}""",
				self.range_values(part),
			):
				key = (supplier, part.company, part.fiscal_year, rate_key(part.rate), self.settings.currency)
				previous = expected.get(key, [Decimal(0)] * len(sums))
				expected[key] = [total + Decimal(value) for total, value in zip(previous, sums, strict=True)]
		actual = {
			(supplier, company, fiscal_year, rate_key(rate), currency): [Decimal(value) for value in sums]
			for supplier, company, fiscal_year, rate, currency, *sums in frappe.db.sql(
				f"""SELECT e.supplier, e.company, e.fiscal_year, CAST(e.exchange_rate AS CHAR), e.currency,
					{
					checksum(
						"1",
						"e.net_amount",
						"e.grand_amount",
						"CRC32(e.purchase_invoice)",
						"e.is_return",
						"TO_DAYS(e.posting_date)",
					)
				}
				FROM `tab{LEDGER}` e WHERE {self.ledger_scope}
				GROUP BY e.supplier, e.company, e.fiscal_year, e.exchange_rate, e.currency{self.locking}""",
				self.values,
			)
		}
		differing = {
			key[0] for key in expected.keys() | actual.keys() if expected.get(key) != actual.get(key)
		}
		return None if len(differing) > MAX_SUSPECTS else differing

	# the close look

	def drift(self, suspects: set[str] | None) -> LedgerDrift:
		if suspects == set():
			return LedgerDrift()
		values = {**self.values, "suspects": tuple(suspects or ())}
		drift = LedgerDrift(stale=self.stale_rows(suspects, values))
		for part in self.ranges:
			range_values = {**self.range_values(part), "suspects": values["suspects"]}
			drift.wrong += frappe.db.sql_list(
				f"""SELECT e.name FROM {self.invoices} INNER JOIN `tab{LEDGER}` e ON e.purchase_invoice = pi.name
				WHERE {self.in_range(suspects)} AND NOT ({ROW_MATCHES_INVOICE}){self.locking}""",
				range_values,
			)
			drift.missing += frappe.db.sql_list(
				f"""SELECT pi.name FROM {self.invoices} LEFT JOIN `tab{LEDGER}` e ON e.name = pi.name
				WHERE {self.in_range(suspects)} AND e.name IS NULL{self.locking}""",
				range_values,
			)
		return drift

	def stale_rows(self, suspects: set[str] | None, values: dict) -> list[str]:
		"""Rows no submitted invoice supports: whose invoice is not submitted (any more, or was never, as
		a row written for a draft), that name another supplier than their invoice or are not named after
		it (holding the name of another invoice's row), or whose supplier left every key account."""
		left_account = (
			"""OR NOT EXISTS (SELECT 1 FROM `tabKey Account Supplier` s
				WHERE s.supplier = e.supplier AND s.parenttype = 'Key Account')"""
			if self.every_account
			else ""
		)
		return frappe.db.sql_list(
			f"""SELECT e.name FROM `tab{LEDGER}` e
			LEFT JOIN `tabPurchase Invoice` pi ON pi.name = e.purchase_invoice AND pi.docstatus = 1
			WHERE {self.ledger_scope} {"AND e.supplier IN %(suspects)s" if suspects else ""}
				AND (pi.name IS NULL OR e.name <> e.purchase_invoice OR e.supplier <> pi.supplier {left_account})
				{self.locking}""",
			values,
		)

	def repair(self) -> Repair:
		"""Remove stale and wrong rows, then write every missing one afresh from its invoice; the monthly
		sums of the suppliers repaired are recomputed."""
		suspects = self.suspects()
		drift = self.drift(suspects)
		remove = sorted(set(drift.stale) | set(drift.wrong))
		for start in range(0, len(remove), 10_000):
			frappe.db.sql(
				f"DELETE FROM `tab{LEDGER}` WHERE name IN %s", (tuple(remove[start : start + 10_000]),)
			)
		repair = Repair(removed=len(remove))
		if drift.missing or remove:  # a stale row removed may have held the name another invoice's row needs
			now, user = now_datetime(), frappe.session.user
			for part in self.ranges:
				frappe.db.sql(
					f"""INSERT INTO `tab{LEDGER}` {LEDGER_COLUMNS}
					SELECT {ROW_FROM_INVOICE} FROM {self.invoices} LEFT JOIN `tab{LEDGER}` e ON e.name = pi.name
					WHERE {self.in_range(suspects)} AND e.name IS NULL""",
					{**self.range_values(part), "suspects": tuple(suspects or ()), "now": now, "user": user},
				)
				repair.added += frappe.db.sql("SELECT ROW_COUNT()")[0][0]
		if repair.removed or repair.added:
			purchase_months.recompute_suppliers(self.repaired_suppliers(suspects))
		return repair

	def repaired_suppliers(self, suspects: set[str] | None) -> Iterable[str] | None:
		if suspects is not None:
			return suspects
		return None if self.every_account else self.values["suppliers"]


def rate_key(rate) -> Decimal:
	return Decimal(str(rate)).quantize(RATE_PRECISION)
