"""Evaluating key accounts: sum the ledger per account, pick the tier with the pure core, write the
result onto the account and log and announce every change of its effective tier.

The period an evaluation covers is in windows.py, what it reads and writes (and the lock order every
writer follows) in persistence.py, who hears of a tier change in notification.py."""

from dataclasses import dataclass
from datetime import date

import frappe
from frappe.utils import getdate

from key_account_mgmt.tiering import core
from key_account_mgmt.tiering.membership import stamp_suppliers
from key_account_mgmt.tiering.notification import notify_tier_change
from key_account_mgmt.tiering.persistence import (
	AccountTotals,
	TierChange,
	account_suppliers,
	lock_accounts,
	log_tier_change,
	mark_all_evaluated,
	stored_figures,
	sum_ledger,
	write_account_figures,
	write_annual_totals,
	write_figures_and_year,
)
from key_account_mgmt.tiering.reconcile import Reconciler
from key_account_mgmt.tiering.settings import TieringSettings, get_tiering_settings
from key_account_mgmt.tiering.windows import Windows, measurement_windows


class Cause:
	PURCHASE_INVOICE = "Purchase Invoice"
	DAILY = "Daily Re-evaluation"
	BAND_CHANGE = "Band Change"
	SETTINGS_CHANGE = "Settings Change"
	MANUAL_LOCK = "Manual Lock"
	SUPPLIER_CHANGE = "Supplier Change"
	RECOMPUTE = "Recompute"


def evaluate(
	totals: AccountTotals, windows: Windows, settings: TieringSettings, today: date
) -> core.Evaluation:
	if windows.previous is None:
		return core.evaluate_rolling(totals.current, today, settings.bands)
	return core.evaluate_fiscal_years(
		totals.previous, windows.previous, totals.current, windows.current_fiscal_year, today, settings.bands
	)


@dataclass(frozen=True)
class PostingScope:
	"""What one invoice's posting changed: its ledger entry's fiscal year, by one entry more (`change`
	+1, a submit) or less (-1, a cancel). An account's history grows by the year, a posting's work need
	not: it sums only its windows and that year, and writes only that year's annual total."""

	fiscal_year: str
	change: int


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
	rewrite: bool = True,
	vanishing_years: set[str] | None = None,
	posting: PostingScope | None = None,
) -> AccountResult | None:
	"""Re-evaluate one account under its row lock (taken here unless the caller holds it already and
	passes the row it locked); returns the effective tier and its change, if any. Without `rewrite`,
	an account whose stored figures are already right is not written. `vanishing_years`: see
	`write_annual_totals`; `posting`: see `PostingScope`."""
	today = getdate(today)
	if locked_row is None:
		locked = lock_accounts(account)
		if not locked:
			return None
		locked_row = locked[0]
	settings = settings or get_tiering_settings()  # after the account: the lock order
	convert_ledger([locked_row], settings)
	windows = measurement_windows(settings, today)
	bounded = posting and posting_totals(account, settings, windows, posting)
	totals = bounded or sum_ledger(settings, windows, account).get(account, AccountTotals())
	evaluation = evaluate(totals, windows, settings, today)
	tier = effective_tier(locked_row, evaluation.tier)
	if bounded:
		year_total = totals.annual[posting.fiscal_year]
		write_figures_and_year(account, tier, evaluation, settings, posting.fiscal_year, year_total)
		change = record_tier_change(
			locked_row, tier, evaluation, settings, cause, reference_doctype, reference_name
		)
		return AccountResult(tier, change)
	if not rewrite and stored_figures(account).get(account) == figures(
		locked_row, evaluation, totals, settings
	):
		return AccountResult(tier, None)
	change = apply_evaluation(
		locked_row, totals, evaluation, settings, cause, reference_doctype, reference_name, vanishing_years
	)
	return AccountResult(tier, change)


def posting_totals(
	account: str, settings: TieringSettings, windows: Windows, posting: PostingScope
) -> AccountTotals | None:
	"""The account's totals from the entries of its windows and of the posting's fiscal year only, with
	that one year's total; None when the year's row of annual totals appears or goes with this posting
	(the year's first entry, or its last one cancelled): then every year is summed and written, in order."""
	year_start = getdate(frappe.get_cached_value("Fiscal Year", posting.fiscal_year, "year_start_date"))
	windows_start = min(window.start for window in (windows.current, windows.previous) if window)
	totals = sum_ledger(settings, windows, account, since=min(year_start, windows_start))
	totals = totals.get(account, AccountTotals())
	year_total = totals.annual.get(posting.fiscal_year)
	if not year_total or year_total[1] - posting.change < 1:
		return None
	return AccountTotals(totals.current, totals.previous, {posting.fiscal_year: year_total})


def reevaluate_all(
	cause: str, settings: TieringSettings | None = None, today: date | None = None, rewrite: bool = False
) -> list[TierChange]:
	"""Every account in one aggregate pass; only accounts whose figures changed are written, or all of
	them with `rewrite`."""
	accounts = lock_accounts()
	settings = settings or get_tiering_settings()  # after the accounts: the lock order
	convert_ledger(accounts, settings)
	changes = []
	for outcome in outcomes(accounts, settings, getdate(today), lock=True):
		if rewrite or outcome.drifted:
			change = apply_evaluation(outcome.account, outcome.totals, outcome.evaluation, settings, cause)
			if change:
				changes.append(change)
	mark_all_evaluated()
	return changes


def convert_ledger(locked_accounts: list[dict], settings: TieringSettings) -> bool:
	"""After a change of the threshold currency, an account's ledger rows are still in the currency its
	figures were last written in: they are converted, under the account's lock, before anything sums
	them. The background re-evaluation reaches every account; a posting or a supplier change that
	reaches an account first converts it then. The Save of the settings only queues that job.
	The locked rows are marked converted: their figures are rewritten in the new currency after. True
	when an account was converted."""
	stale = [account for account in locked_accounts if account.currency != settings.currency]
	suppliers = [supplier for account in stale for supplier in account_suppliers(account.name)]
	if suppliers:
		Reconciler(settings, suppliers, lock=True).repair()
	for account in stale:
		account.currency = settings.currency
	return bool(stale)


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
	"""What the account's stored figures should be, in the shape of `persistence.stored_figures`."""
	return (
		effective_tier(account, evaluation.tier) or "",
		evaluation.tier or "",
		evaluation.amount,
		evaluation.window.start,
		evaluation.window.end,
		settings.currency,
		tuple(sorted(totals.annual.items())),
	)


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
	vanishing_years: set[str] | None = None,
) -> TierChange | None:
	tier = effective_tier(account, evaluation.tier)
	write_account_figures(account.name, tier, evaluation, settings)
	write_annual_totals(account.name, totals, settings.currency, vanishing_years)
	return record_tier_change(account, tier, evaluation, settings, cause, reference_doctype, reference_name)


def record_tier_change(
	account: dict,
	tier: str | None,
	evaluation: core.Evaluation,
	settings: TieringSettings,
	cause: str,
	reference_doctype: str | None = None,
	reference_name: str | None = None,
) -> TierChange | None:
	"""After the figures are written: a change of the effective tier is stamped on the suppliers, logged
	and notified."""
	if (account.tier or None) == (tier or None):
		return None
	stamp_suppliers(account.name, tier)
	change = TierChange(account.name, account.tier or None, tier, evaluation)
	log_tier_change(account, change, settings, cause, reference_doctype, reference_name)
	notify_tier_change(account, change, settings)
	return change
