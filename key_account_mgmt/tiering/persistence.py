"""What the engine reads and writes in the database: the account rows it locks, the ledger sums it
reads under those locks, and the figures, annual totals and tier-change rows it writes.

Concurrency. One lock order for every writer, so that no two transactions wait for each other:

1. Key Account rows (SELECT … FOR UPDATE; several at once in name order). Frappe itself takes the
   row first when a Key Account form is saved, and a band change takes every row before the settings;
2. Supplier rows (a submit reads its supplier's account there, fresh, locked in the statement that
   locks its account, invoice_events.py; adding a supplier to an account locks it exclusively in
   validate);
3. Key Account Settings (a shared locking read, see settings.py);
4. the account's own rows: ledger, its suppliers' monthly sums, annual totals, tier changes, the
   stamps on its suppliers.

Reads that must see the latest committed rows rather than the transaction's snapshot are locking
reads, and each follows one index range of the account's own rows (its suppliers' ledger rows, its
annual totals by name), so a submit never waits for another account's uncommitted rows. Two submits
for one account serialise on its row, and the second one's sum includes the first one's invoice."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import frappe
from frappe.utils import getdate, now_datetime

from key_account_mgmt.tiering import core
from key_account_mgmt.tiering.ledger import LEDGER, LEDGER_INDEX
from key_account_mgmt.tiering.settings import TieringSettings
from key_account_mgmt.tiering.snapshot import begin_before_locking, snapshot_isolation
from key_account_mgmt.tiering.windows import Windows
from key_account_mgmt.write_guards import engine_writes

ACCOUNT_FIELDS = (
	"name",
	"account_name",
	"account_manager",
	"tier",
	"computed_tier",
	"tier_locked",
	"locked_tier",
	"last_evaluated",
	"currency",
)


@dataclass
class AccountTotals:
	current: Decimal = Decimal(0)
	previous: Decimal = Decimal(0)
	annual: dict[str, tuple[Decimal, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class TierChange:
	account: str
	from_tier: str | None
	to_tier: str | None
	evaluation: core.Evaluation


def lock_accounts(account: str | None = None) -> list[dict]:
	"""One account's row, or every account's: a band change takes them all first thing in its save (the
	lock order), and under snapshot isolation begins afresh before, when it may (snapshot.py)."""
	if account is None:
		begin_before_locking()
	return read_accounts(account, lock=True)


def read_accounts(account: str | None = None, lock: bool = False) -> list[dict]:
	condition = "WHERE name = %(account)s" if account else ""
	return frappe.db.sql(
		f"SELECT {', '.join(f'`{name}`' for name in ACCOUNT_FIELDS)} FROM `tabKey Account` {condition} "
		f"ORDER BY name {'FOR UPDATE' if lock else ''}",
		{"account": account},
		as_dict=True,
	)


def sum_ledger(
	settings: TieringSettings,
	windows: Windows,
	account: str | None = None,
	lock: bool = True,
	since: date | None = None,
) -> dict[str, AccountTotals]:
	"""Totals per key account from the ledger in one aggregate query (one account, or all of them).
	For one account the locking read follows the covering index over that account's suppliers only.
	`since`: only the entries posted on or after that day (a posting's read, bounded to its windows and
	its fiscal year); the annual totals of years that began before it are then partial."""
	# Raw SQL: a shared locking read along a forced index, neither of which frappe.qb can express.
	amount = f"e.`{settings.amount_column}`"
	values = {"current_start": windows.current.start, "current_end": windows.current.end}
	previous = "0"
	if windows.previous:
		previous = f"SUM(CASE WHEN e.posting_date BETWEEN %(previous_start)s AND %(previous_end)s THEN {amount} ELSE 0 END)"
		values.update(previous_start=windows.previous.start, previous_end=windows.previous.end)
	if account:
		# the account's suppliers along its own range of the parent index, then each one's ledger rows
		# along the covering index: one statement, both read as committed under the lock
		values["account"] = account
		account_column, group = "%(account)s", "e.fiscal_year"
		source = f"""`tabKey Account Supplier` s FORCE INDEX (parent)
			STRAIGHT_JOIN `tab{LEDGER}` e FORCE INDEX (`{LEDGER_INDEX}`) ON e.supplier = s.supplier"""
		conditions = ["s.parent = %(account)s", "s.parenttype = 'Key Account'"]
	else:
		account_column, group = "s.parent", "s.parent, e.fiscal_year"
		source = f"`tab{LEDGER}` e INNER JOIN `tabKey Account Supplier` s ON s.supplier = e.supplier"
		conditions = ["s.parenttype = 'Key Account'"]
	if settings.companies:
		conditions.append("e.company IN %(companies)s")
		values["companies"] = settings.companies
	if since:
		conditions.append("e.posting_date >= %(since)s")
		values["since"] = since
	rows = frappe.db.sql(
		f"""
		SELECT {account_column} AS account, e.fiscal_year, SUM({amount}) AS amount, COUNT(*) AS invoices,
			SUM(CASE WHEN e.posting_date BETWEEN %(current_start)s AND %(current_end)s THEN {amount} ELSE 0 END)
				AS current_amount,
			{previous} AS previous_amount
		FROM {source}
		WHERE {" AND ".join(conditions)}
		GROUP BY {group}
		{"LOCK IN SHARE MODE" if lock else ""}
		""",
		values,
		as_dict=True,
	)
	totals: dict[str, AccountTotals] = {}
	for row in rows:
		account_totals = totals.setdefault(row.account, AccountTotals())
		account_totals.current += core.to_decimal(row.current_amount)
		account_totals.previous += core.to_decimal(row.previous_amount)
		if row.fiscal_year:
			account_totals.annual[row.fiscal_year] = (core.round_money(row.amount), int(row.invoices))
	return totals


def account_suppliers(account: str, lock: bool = True) -> list[str]:
	"""The account's suppliers, read along its own range of the child table's parent index."""
	return frappe.db.sql_list(
		f"""SELECT supplier FROM `tabKey Account Supplier` FORCE INDEX (parent)
		WHERE parent = %s AND parenttype = 'Key Account' {"LOCK IN SHARE MODE" if lock else ""}""",
		account,
	)


def stored_figures(account: str | None = None) -> dict[str, tuple]:
	"""The figures of every account (or of one) as stored, in the shape of `evaluation.figures`."""
	annual: dict[str, list] = {}
	for row in frappe.db.sql(
		"SELECT parent, fiscal_year, purchase_amount, invoice_count FROM `tabKey Account Annual Total` "
		f"WHERE parenttype = 'Key Account' {'AND parent = %(account)s' if account else ''}",
		{"account": account},
		as_dict=True,
	):
		annual.setdefault(row.parent, []).append(
			(row.fiscal_year, (core.round_money(row.purchase_amount), int(row.invoice_count)))
		)
	return {
		row.name: (
			row.tier or "",
			row.computed_tier or "",
			core.round_money(row.purchase_amount),
			getdate(row.window_from) if row.window_from else None,
			getdate(row.window_to) if row.window_to else None,
			row.currency,
			tuple(sorted(annual.get(row.name, []))),
		)
		for row in frappe.db.sql(
			"SELECT name, tier, computed_tier, purchase_amount, window_from, window_to, currency "
			f"FROM `tabKey Account` {'WHERE name = %(account)s' if account else ''}",
			{"account": account},
			as_dict=True,
		)
	}


def account_figures(tier: str | None, evaluation: core.Evaluation, settings: TieringSettings) -> dict:
	"""The account's computed columns as an evaluation writes them. `modified` is not among them, so
	that a user editing the account's form is not told it changed under them."""
	return {
		"tier": tier,
		"computed_tier": evaluation.tier,
		"purchase_amount": evaluation.amount,
		"currency": settings.currency,
		"window_from": evaluation.window.start,
		"window_to": evaluation.window.end,
		"last_evaluated": now_datetime(),
	}


def assignments(values: dict, alias: str) -> str:
	return ", ".join(f"{alias}.`{column}` = %({column})s" for column in values)


def write_account_figures(
	account: str, tier: str | None, evaluation: core.Evaluation, settings: TieringSettings
) -> None:
	# Plain SQL on this path: it runs inside every Purchase Invoice submit.
	values = account_figures(tier, evaluation, settings)
	frappe.db.sql(
		f"UPDATE `tabKey Account` ka SET {assignments(values, 'ka')} WHERE ka.name = %(account)s",
		{**values, "account": account},
	)


def write_figures_and_year(
	account: str,
	tier: str | None,
	evaluation: core.Evaluation,
	settings: TieringSettings,
	fiscal_year: str,
	total: tuple[Decimal, int],
) -> None:
	"""A posting's writes in one statement: the account's figures and the annual total of the one fiscal
	year it changed, that year's row by primary key; the other years' rows and their order stand. The
	caller knows the row exists (the year had entries before the posting and keeps some). Were it missing
	all the same, the account is still written, and the daily re-evaluation writes the year's row."""
	amount, count = total
	values = account_figures(tier, evaluation, settings)
	frappe.db.sql(
		f"""UPDATE `tabKey Account` ka
		LEFT JOIN `tabKey Account Annual Total` t ON t.name = %(annual_total)s
		SET {assignments(values, "ka")}, t.purchase_amount = %(year_amount)s,
			t.invoice_count = %(year_count)s, t.currency = %(currency)s, t.modified = %(last_evaluated)s
		WHERE ka.name = %(account)s""",
		{
			**values,
			"account": account,
			"annual_total": annual_total_name(account, fiscal_year),
			"year_amount": amount,
			"year_count": count,
		},
	)


def mark_all_evaluated() -> None:
	frappe.db.sql("UPDATE `tabKey Account` SET last_evaluated = %s", now_datetime())


def write_annual_totals(
	account: str, totals: AccountTotals, currency: str, vanishing_years: set[str] | None = None
) -> None:
	"""One row per (account, fiscal year), named after both, written in place by primary key.

	Every statement touches existing rows by primary key only, so it takes no gap locks that another
	account's rows could run into (deleting by the parent column locked the index gaps next to the
	account's rows, and two submits on different accounts deadlocked). Without `vanishing_years`,
	every fiscal year of the site is upserted (zero where the account bought nothing) and the zero
	rows are then deleted one by one by name. A posting passes the only years it can empty (a cancel:
	its invoice's year; a submit: none): only the years with purchases are upserted, and a vanishing
	year's row is deleted. Inserting and deleting the empty years' rows on every posting left
	delete-marked records behind, whose next-key locks deadlocked submits with supplier moves."""
	now = now_datetime()
	if vanishing_years is None:
		fiscal_years = set(totals.annual) | set(frappe.db.sql_list("SELECT name FROM `tabFiscal Year`"))
		emptied = fiscal_years - set(totals.annual)
	else:
		# the vanishing years' rows exist: they are deleted as they are, without being written first
		fiscal_years = set(totals.annual)
		emptied = set(vanishing_years) - fiscal_years
	present = sorted(totals.annual, reverse=True)
	rows = []
	for fiscal_year in sorted(fiscal_years, reverse=True):
		amount, count = totals.annual.get(fiscal_year, (0, 0))
		idx = present.index(fiscal_year) + 1 if fiscal_year in totals.annual else 0
		rows.append(
			(
				annual_total_name(account, fiscal_year),
				account,
				idx,
				fiscal_year,
				amount,
				count,
				currency,
				now,
				now,
			)
		)
	if rows:
		frappe.db.sql(
			"""INSERT INTO `tabKey Account Annual Total` (name, parent, parenttype, parentfield, idx, fiscal_year,
				purchase_amount, invoice_count, currency, creation, modified)
			VALUES """
			+ ", ".join(["(%s, %s, 'Key Account', 'annual_totals', %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
			+ """ ON DUPLICATE KEY UPDATE idx = VALUES(idx), purchase_amount = VALUES(purchase_amount),
				invoice_count = VALUES(invoice_count), currency = VALUES(currency), modified = VALUES(modified)""",
			[value for row in rows for value in row],
		)
	for name in sorted(annual_total_name(account, fiscal_year) for fiscal_year in emptied):
		# one row per statement: with an IN list the optimizer may scan a small table and lock it all
		frappe.db.sql("DELETE FROM `tabKey Account Annual Total` WHERE name = %s", name)


def tier_change_name() -> str | None:
	"""Under snapshot isolation (MariaDB 11.8), the Tier Change's name from its naming series, numbered
	outside the posting (naming.take_number_committed): two postings of different accounts that both
	change a tier would otherwise meet on the series row, and the later one be refused. None otherwise,
	or when the year's row cannot be made outside the posting: Frappe names it in the transaction."""
	if not snapshot_isolation():
		return None
	from frappe.model.naming import parse_naming_series

	from key_account_mgmt.naming import take_number_committed

	autoname = frappe.get_meta("Key Account Tier Change").autoname  # KATC-.YYYY.-.#####
	key = parse_naming_series(autoname.split(".#", 1)[0])
	number = take_number_committed(key)
	return None if number is None else f"{key}{number:0{autoname.count('#')}d}"


def annual_total_name(account: str, fiscal_year: str) -> str:
	"""The same name for the same account and year, on every site and in SQL (see the patch)."""
	return hashlib.sha1(f"{account}\x00{fiscal_year}".encode()).hexdigest()[:20]


def log_tier_change(
	account: dict,
	change: TierChange,
	settings: TieringSettings,
	cause: str,
	reference_doctype: str | None,
	reference_name: str | None,
) -> None:
	change_log = frappe.get_doc(
		{
			"doctype": "Key Account Tier Change",
			"key_account": account.name,
			"from_tier": change.from_tier,
			"to_tier": change.to_tier,
			"cause": cause,
			"purchase_amount": change.evaluation.amount,
			"currency": settings.currency,
			"window_from": change.evaluation.window.start,
			"window_to": change.evaluation.window.end,
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"changed_by": frappe.session.user,
			"changed_on": now_datetime(),
		}
	)
	with engine_writes():
		change_log.insert(ignore_permissions=True, set_name=tier_change_name())
