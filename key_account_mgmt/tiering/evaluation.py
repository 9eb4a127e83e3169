"""Evaluating key accounts: sum the ledger per account, pick the tier with the pure core, write the
result onto the account and log every change of its effective tier.

Concurrency. One lock order for every writer, so that no two transactions wait for each other:

1. Key Account rows (SELECT … FOR UPDATE; several at once in name order). Frappe itself takes the
   row first when a Key Account form is saved, and a band change takes every row before the settings;
2. Supplier rows (a submit reads its supplier's account there, fresh, under a shared lock; adding a
   supplier to an account locks it exclusively in validate);
3. Key Account Settings (a shared locking read, see settings.py);
4. the account's own rows: ledger, annual totals, tier changes, the stamps on its suppliers.

Reads that must see the latest committed rows rather than the transaction's snapshot are locking
reads, and each follows one index range of the account's own rows (its suppliers' ledger rows, its
annual totals by name), so a submit never waits for another account's uncommitted rows. Two submits
for one account serialise on its row, and the second one's sum includes the first one's invoice."""

import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import add_days, fmt_money, getdate, now_datetime

from key_account_mgmt.tiering import core
from key_account_mgmt.tiering.ledger import LEDGER, LEDGER_INDEX
from key_account_mgmt.tiering.membership import stamp_suppliers
from key_account_mgmt.tiering.settings import FISCAL_YEAR, TieringSettings, get_tiering_settings


class Cause:
	PURCHASE_INVOICE = "Purchase Invoice"
	DAILY = "Daily Re-evaluation"
	BAND_CHANGE = "Band Change"
	SETTINGS_CHANGE = "Settings Change"
	MANUAL_LOCK = "Manual Lock"
	SUPPLIER_CHANGE = "Supplier Change"
	RECOMPUTE = "Recompute"


ACCOUNT_FIELDS = (
	"name",
	"account_name",
	"account_manager",
	"tier",
	"computed_tier",
	"tier_locked",
	"locked_tier",
	"last_evaluated",
)


@dataclass(frozen=True)
class Windows:
	"""The date ranges one evaluation sums: `current` (the rolling window, or the fiscal year to date)
	and, under the fiscal-year policy, `previous` (the last completed fiscal year)."""

	current: core.Window
	previous: core.Window | None
	current_fiscal_year: core.Window | None = None


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


def measurement_windows(settings: TieringSettings, today: date) -> Windows:
	if settings.window != FISCAL_YEAR:
		return Windows(core.rolling_twelve_months(today), None)
	current = fiscal_year_window(today)
	previous = fiscal_year_window(add_days(current.start, -1))
	return Windows(core.Window(current.start, today), previous, current)


def fiscal_year_window(day: date) -> core.Window:
	from erpnext.accounts.utils import get_fiscal_year

	_name, start, end = get_fiscal_year(day)[:3]
	return core.Window(getdate(start), getdate(end))


def evaluate(
	totals: AccountTotals, windows: Windows, settings: TieringSettings, today: date
) -> core.Evaluation:
	if windows.previous is None:
		return core.evaluate_rolling(totals.current, today, settings.bands)
	return core.evaluate_fiscal_years(
		totals.previous, windows.previous, totals.current, windows.current_fiscal_year, today, settings.bands
	)


def sum_ledger(
	settings: TieringSettings, windows: Windows, account: str | None = None, lock: bool = True
) -> dict[str, AccountTotals]:
	"""Totals per key account from the ledger in one aggregate query (one account, or all of them).
	For one account the locking read follows the covering index over that account's suppliers only."""
	amount = f"e.`{settings.amount_column}`"
	values = {"current_start": windows.current.start, "current_end": windows.current.end}
	previous = "0"
	if windows.previous:
		previous = f"SUM(CASE WHEN e.posting_date BETWEEN %(previous_start)s AND %(previous_end)s THEN {amount} ELSE 0 END)"
		values.update(previous_start=windows.previous.start, previous_end=windows.previous.end)
	if account:
		suppliers = account_suppliers(account, lock)
		if not suppliers:
			return {}
		values.update(account=account, suppliers=tuple(suppliers))
		account_column, group = "%(account)s", "e.fiscal_year"
		source = f"`tab{LEDGER}` e FORCE INDEX (`{LEDGER_INDEX}`)"
		conditions = ["e.supplier IN %(suppliers)s"]
	else:
		account_column, group = "s.parent", "s.parent, e.fiscal_year"
		source = f"`tab{LEDGER}` e INNER JOIN `tabKey Account Supplier` s ON s.supplier = e.supplier"
		conditions = ["s.parenttype = 'Key Account'"]
	if settings.companies:
		conditions.append("e.company IN %(companies)s")
		values["companies"] = settings.companies
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


def lock_accounts(account: str | None = None) -> list[dict]:
	return read_accounts(account, lock=True)


def read_accounts(account: str | None = None, lock: bool = False) -> list[dict]:
	condition = "WHERE name = %(account)s" if account else ""
	return frappe.db.sql(
		f"SELECT {', '.join(f'`{name}`' for name in ACCOUNT_FIELDS)} FROM `tabKey Account` {condition} "
		f"ORDER BY name {'FOR UPDATE' if lock else ''}",
		{"account": account},
		as_dict=True,
	)


@dataclass(frozen=True)
class AccountResult:
	tier: str | None
	change: TierChange | None


def evaluate_account(
	account: str,
	cause: str,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
	settings: TieringSettings | None = None,
	today: date | None = None,
	locked_row: dict | None = None,
) -> AccountResult | None:
	"""Re-evaluate one account under its row lock (taken here unless the caller holds it already and
	passes the row it locked); returns the effective tier and its change, if any."""
	today = getdate(today)
	if locked_row is None:
		locked = lock_accounts(account)
		if not locked:
			return None
		locked_row = locked[0]
	settings = settings or get_tiering_settings()  # after the account: the lock order
	windows = measurement_windows(settings, today)
	totals = sum_ledger(settings, windows, account).get(account, AccountTotals())
	evaluation = evaluate(totals, windows, settings, today)
	change = apply_evaluation(
		locked_row, totals, evaluation, settings, cause, reference_doctype, reference_name
	)
	return AccountResult(effective_tier(locked_row, evaluation.tier), change)


def reevaluate_all(
	cause: str, settings: TieringSettings | None = None, today: date | None = None, rewrite: bool = False
) -> list[TierChange]:
	"""Every account in one aggregate pass; only accounts whose figures changed are written, or all of
	them with `rewrite`."""
	accounts = lock_accounts()
	settings = settings or get_tiering_settings()  # after the accounts: the lock order
	changes = []
	for outcome in outcomes(accounts, settings, getdate(today), lock=True):
		if rewrite or outcome.drifted:
			change = apply_evaluation(outcome.account, outcome.totals, outcome.evaluation, settings, cause)
			if change:
				changes.append(change)
	frappe.db.sql("UPDATE `tabKey Account` SET last_evaluated = %s", now_datetime())
	return changes


@dataclass(frozen=True)
class Outcome:
	account: dict
	totals: AccountTotals
	evaluation: core.Evaluation
	stored: tuple | None
	expected: tuple

	@property
	def drifted(self) -> bool:
		return self.stored != self.expected


def outcomes(accounts: list[dict], settings: TieringSettings, today: date, lock: bool) -> list[Outcome]:
	"""What each account's figures should be on `today`, beside what is stored."""
	windows = measurement_windows(settings, today)
	totals = sum_ledger(settings, windows, lock=lock)
	stored = stored_figures()
	result = []
	for account in accounts:
		account_totals = totals.get(account.name, AccountTotals())
		evaluation = evaluate(account_totals, windows, settings, today)
		expected = figures(account, evaluation, account_totals, settings)
		result.append(Outcome(account, account_totals, evaluation, stored.get(account.name), expected))
	return result


def reevaluate_all_accounts_daily() -> None:
	"""Scheduled daily on the long queue: invoices leave the rolling window as the days pass."""
	reevaluate_all(Cause.DAILY)
	frappe.db.commit()


def figures(
	account: dict, evaluation: core.Evaluation, totals: AccountTotals, settings: TieringSettings
) -> tuple:
	return (
		effective_tier(account, evaluation.tier) or "",
		evaluation.tier or "",
		evaluation.amount,
		evaluation.window.start,
		evaluation.window.end,
		settings.currency,
		tuple(sorted(totals.annual.items())),
	)


def stored_figures() -> dict[str, tuple]:
	annual: dict[str, list] = {}
	for row in frappe.db.sql(
		"SELECT parent, fiscal_year, purchase_amount, invoice_count FROM `tabKey Account Annual Total` "
		"WHERE parenttype = 'Key Account'",
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
			"SELECT name, tier, computed_tier, purchase_amount, window_from, window_to, currency FROM `tabKey Account`",
			as_dict=True,
		)
	}


def effective_tier(account: dict, computed_tier: str | None) -> str | None:
	return account.locked_tier if account.tier_locked and account.locked_tier else computed_tier


def apply_evaluation(
	account: dict,
	totals: AccountTotals,
	evaluation: core.Evaluation,
	settings: TieringSettings,
	cause: str,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
) -> TierChange | None:
	tier = effective_tier(account, evaluation.tier)
	# Plain SQL on this path: it runs inside every Purchase Invoice submit. `modified` stays, so that
	# a user editing the account's form is not told it changed under them.
	frappe.db.sql(
		"""UPDATE `tabKey Account` SET tier = %s, computed_tier = %s, purchase_amount = %s, currency = %s,
			window_from = %s, window_to = %s, last_evaluated = %s WHERE name = %s""",
		(
			tier,
			evaluation.tier,
			evaluation.amount,
			settings.currency,
			evaluation.window.start,
			evaluation.window.end,
			now_datetime(),
			account.name,
		),
	)
	write_annual_totals(account.name, totals, settings.currency)
	if (account.tier or None) == (tier or None):
		return None
	stamp_suppliers(account.name, tier)
	change = TierChange(account.name, account.tier or None, tier, evaluation)
	log_tier_change(account, change, settings, cause, reference_doctype, reference_name)
	return change


def write_annual_totals(account: str, totals: AccountTotals, currency: str) -> None:
	"""One row per (account, fiscal year), named after both, written in place by primary key.

	Every fiscal year of the site is upserted (zero where the account bought nothing) and the zero rows
	are then deleted one by one by name: each statement touches existing rows by primary key only, so
	it takes no gap locks that another account's rows could run into. Deleting by the parent column instead locked
	the index gaps next to the account's rows, and two submits on different accounts deadlocked."""
	now = now_datetime()
	fiscal_years = set(totals.annual) | set(frappe.db.sql_list("SELECT name FROM `tabFiscal Year`"))
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
	frappe.db.sql(
		"""INSERT INTO `tabKey Account Annual Total` (name, parent, parenttype, parentfield, idx, fiscal_year,
			purchase_amount, invoice_count, currency, creation, modified)
		VALUES """
		+ ", ".join(["(%s, %s, 'Key Account', 'annual_totals', %s, %s, %s, %s, %s, %s, %s)"] * len(rows))
		+ """ ON DUPLICATE KEY UPDATE idx = VALUES(idx), purchase_amount = VALUES(purchase_amount),
			invoice_count = VALUES(invoice_count), currency = VALUES(currency), modified = VALUES(modified)""",
		[value for row in rows for value in row],
	)
	for name in sorted(row[0] for row in rows if row[3] not in totals.annual):
		# one row per statement: with an IN list the optimizer may scan a small table and lock it all
		frappe.db.sql("DELETE FROM `tabKey Account Annual Total` WHERE name = %s", name)


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
	frappe.get_doc(
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
	).insert(ignore_permissions=True)
	notify_tier_change(account, change, settings)


def tier_change_message(change: TierChange, settings: TieringSettings) -> str:
	"""'Midea: Ordinary → Partner, rolling 12-month purchases 20,150,000 CNY'"""
	no_tier = _("no tier")
	window = (
		_("rolling 12-month purchases")
		if settings.window != FISCAL_YEAR
		else _("fiscal-year purchases ({0} to {1})").format(
			frappe.format(change.evaluation.window.start, "Date"),
			frappe.format(change.evaluation.window.end, "Date"),
		)
	)
	return _("{0}: {1} → {2}, {3} {4} {5}").format(
		change.account,
		_(change.from_tier) if change.from_tier else no_tier,
		_(change.to_tier) if change.to_tier else no_tier,
		window,
		fmt_money(change.evaluation.amount, precision=0),
		settings.currency,
	)


def notify_tier_change(account: dict, change: TierChange, settings: TieringSettings) -> None:
	"""A desk notification for the account manager and every Key Account Manager, sent after commit."""
	users = set(
		frappe.get_all(
			"Has Role", filters={"role": "Key Account Manager", "parenttype": "User"}, pluck="parent"
		)
	)
	if account.account_manager:
		users.add(account.account_manager)
	users.discard("Administrator")
	if not users:
		return
	frappe.enqueue(
		"frappe.desk.doctype.notification_log.notification_log.make_notification_logs",
		doc=frappe._dict(
			type="Alert",
			document_type="Key Account",
			document_name=account.name,
			subject=tier_change_message(change, settings),
			from_user=frappe.session.user,
		),
		users=sorted(users),
		now=frappe.flags.in_test,
		enqueue_after_commit=True,
	)
