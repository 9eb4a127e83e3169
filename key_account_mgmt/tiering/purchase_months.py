"""The purchase ledger summed per supplier, company and calendar month (Key Account Purchase Month), for
the analyses: a year of a national retailer's ledger is then about 120,000 monthly rows instead of
470,000 entries, and the days of a period's partial months are read from the ledger itself.

Every row is recomputed from the ledger entries it sums, never incremented. A posting recomputes its
invoice's month after writing or removing the entry, under the key account's row lock that already
orders every change to that supplier's entries (persistence.py); the statement's read of the ledger is
a locking read, so it sees the entries other postings committed after this transaction's snapshot. A
repair of the ledger recomputes every month of the suppliers it repaired, and `kam-verify` compares
the whole summary with the ledger."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import frappe
from frappe.utils import get_first_day, get_last_day

from key_account_mgmt.tiering.ledger import LEDGER, LEDGER_INDEX, checksum, widen_amount_columns

MONTHS = "Key Account Purchase Month"

# what each ledger entry adds to its month's columns
ENTRY_VALUES = {
	"net_amount": "e.net_amount",
	"grand_amount": "e.grand_amount",
	"return_net_amount": "IF(e.is_return, e.net_amount, 0)",
	"return_grand_amount": "IF(e.is_return, e.grand_amount, 0)",
	"invoices": "e.is_return = 0",
	"debit_notes": "e.is_return = 1",
}
SUM_COLUMNS = tuple(ENTRY_VALUES)
COLUMNS = f"name, supplier, company, month_start, currency, {', '.join(SUM_COLUMNS)}, creation, modified, owner, modified_by, docstatus"
VALUES = ", ".join(f"IFNULL(SUM({value}), 0)" for value in ENTRY_VALUES.values())
STAMP = "NOW(6), NOW(6), 'Administrator', 'Administrator', 0"
MONTH_OF = "DATE_SUB(e.posting_date, INTERVAL DAYOFMONTH(e.posting_date) - 1 DAY)"
# What the analyses read, without a row lookup: one supplier's months, or every supplier's months of
# a period, in supplier order, so that the sums per supplier need no temporary table (six times faster
# than reading the period's months in date order and sorting them by supplier).
SUMS_INDEX = "supplier_month_sums"
SUMS_INDEX_COLUMNS = ["supplier", "month_start", "company", *SUM_COLUMNS]

# One supplier's month of one company; an emptied month keeps a row of zeros until `remove_empty`.
RECOMPUTE_MONTH = f"""
INSERT INTO `tab{MONTHS}` ({COLUMNS})
SELECT SHA1(CONCAT_WS('|', %(supplier)s, %(company)s, %(month_start)s)), %(supplier)s, %(company)s,
	%(month_start)s, MAX(e.currency), {VALUES}, {STAMP}
FROM `tab{LEDGER}` e FORCE INDEX (`{LEDGER_INDEX}`)
WHERE e.supplier = %(supplier)s AND e.posting_date BETWEEN %(month_start)s AND %(month_end)s
	AND e.company = %(company)s
ON DUPLICATE KEY UPDATE currency = VALUES(currency),
	{", ".join(f"{column} = VALUES({column})" for column in SUM_COLUMNS)}, modified = VALUES(modified)
"""

# Every month of the named suppliers (every supplier when `suppliers` is NULL), after their rows went.
RECOMPUTE_SUPPLIERS = f"""
INSERT INTO `tab{MONTHS}` ({COLUMNS})
SELECT SHA1(CONCAT_WS('|', e.supplier, e.company, {MONTH_OF})), e.supplier, e.company, {MONTH_OF},
	MAX(e.currency), {VALUES}, {STAMP}
FROM `tab{LEDGER}` e
WHERE {{scope}}
GROUP BY e.supplier, e.company, {MONTH_OF}
"""


def recompute_month(supplier: str, company: str, posting_date: date) -> None:
	month_start = get_first_day(posting_date)
	frappe.db.sql(
		RECOMPUTE_MONTH,
		{
			"supplier": supplier,
			"company": company,
			"month_start": month_start,
			"month_end": get_last_day(month_start),
		},
	)


def remove_empty(supplier: str, company: str, posting_date: date) -> None:
	"""A cancel that took a month's last entry leaves no row for it."""
	frappe.db.sql(
		f"""DELETE FROM `tab{MONTHS}` WHERE name = SHA1(CONCAT_WS('|', %s, %s, %s))
		AND invoices = 0 AND debit_notes = 0""",
		(supplier, company, get_first_day(posting_date)),
	)


def recompute_suppliers(suppliers: Iterable[str] | None) -> None:
	"""Every month of the suppliers (None: of every supplier) afresh from the ledger."""
	if suppliers is None:
		frappe.db.delete(MONTHS)
		frappe.db.sql(RECOMPUTE_SUPPLIERS.format(scope="1 = 1"))
		return
	suppliers = tuple(suppliers)
	for start in range(0, len(suppliers), 1_000):
		part = suppliers[start : start + 1_000]
		frappe.db.sql(f"DELETE FROM `tab{MONTHS}` WHERE supplier IN %s", (part,))
		frappe.db.sql(RECOMPUTE_SUPPLIERS.format(scope="e.supplier IN %(suppliers)s"), {"suppliers": part})


def remove_suppliers(suppliers: Iterable[str]) -> None:
	suppliers = tuple(suppliers)
	if suppliers:
		frappe.db.sql(f"DELETE FROM `tab{MONTHS}` WHERE supplier IN %s", (suppliers,))


# Per supplier, the same checksums from both sides: the sums, and the sums weighted by the month and by
# the company, so that an amount counted in the wrong month or company shows as well as a wrong one.
LEDGER_CHECKS = (
	*ENTRY_VALUES.values(),
	f"TO_DAYS({MONTH_OF}) * e.net_amount",
	f"TO_DAYS({MONTH_OF})",
	"CRC32(e.company) * e.net_amount",
	"CRC32(e.company)",
)
MONTH_CHECKS = (
	*(f"m.{column}" for column in SUM_COLUMNS),
	"TO_DAYS(m.month_start) * m.net_amount",
	"TO_DAYS(m.month_start) * (m.invoices + m.debit_notes)",
	"CRC32(m.company) * m.net_amount",
	"CRC32(m.company) * (m.invoices + m.debit_notes)",
)


def drifted_suppliers() -> list[str]:
	"""Suppliers whose monthly rows differ from their ledger entries (rows of zeros count as none), or
	whose rows are not named after their supplier, company and month (a recomputation would then write
	a second row). Both sides are summed per supplier along their covering indexes."""
	from_ledger = {
		supplier: sums
		for supplier, *sums in frappe.db.sql(
			f"""SELECT e.supplier, {checksum(*LEDGER_CHECKS)}
			FROM `tab{LEDGER}` e FORCE INDEX (`{LEDGER_INDEX}`) GROUP BY e.supplier"""
		)
	}
	from_months = {}
	misnamed = set()
	for supplier, wrong_names, *sums in frappe.db.sql(
		f"""SELECT m.supplier, SUM(m.name <> SHA1(CONCAT_WS('|', m.supplier, m.company, m.month_start))),
			{checksum(*MONTH_CHECKS)}
		FROM `tab{MONTHS}` m FORCE INDEX (`{SUMS_INDEX}`) GROUP BY m.supplier"""
	):
		from_months[supplier] = sums
		if wrong_names:
			misnamed.add(supplier)
	zero = [Decimal(0)] * len(LEDGER_CHECKS)
	differing = {
		supplier
		for supplier in from_ledger.keys() | from_months.keys()
		if as_numbers(from_ledger.get(supplier), zero) != as_numbers(from_months.get(supplier), zero)
	}
	return sorted(differing | misnamed)


def as_numbers(sums: list | None, zero: list[Decimal]) -> list[Decimal]:
	return [Decimal(value or 0) for value in sums] if sums else zero


def add_indexes() -> None:
	frappe.db.add_index(MONTHS, SUMS_INDEX_COLUMNS, SUMS_INDEX)
	widen_amount_columns([MONTHS])
