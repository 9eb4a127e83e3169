"""Recompute and verify: the engine's answer to "are the stored totals right?"."""

import time
from dataclasses import dataclass, field

import frappe
from frappe.utils import getdate

from key_account_mgmt.tiering import ledger, purchase_months
from key_account_mgmt.tiering.evaluation import Cause, outcomes, reevaluate_all
from key_account_mgmt.tiering.persistence import annual_total_name, lock_accounts, read_accounts, sum_ledger
from key_account_mgmt.tiering.reconcile import Reconciler
from key_account_mgmt.tiering.settings import get_tiering_settings
from key_account_mgmt.tiering.windows import measurement_windows


@dataclass
class RecomputeReport:
	accounts: int
	ledger_entries: int
	repaired_entries: int
	tier_changes: int
	seconds: float
	repaired_months: int = 0
	removed_annual_totals: int = 0

	def summary(self) -> str:
		return (
			f"Recomputed {self.accounts} key accounts from {self.ledger_entries} submitted invoices "
			f"({self.repaired_entries} ledger entries repaired, {self.repaired_months} suppliers' monthly "
			f"sums rewritten, {self.removed_annual_totals} annual totals without purchases removed) in "
			f"{self.seconds:.2f} s; {self.tier_changes} changed tier."
		)


def recompute_all(rebuild_ledger: bool = True) -> RecomputeReport:
	"""Everything the engine derives, afresh from the posted documents, whatever is stored: the ledger
	from the submitted invoices (rows no submitted invoice supports go, missing or wrong ones are
	written from their invoice), the monthly sums from the ledger, then every account's figures and
	annual totals from the ledger (a year's row the ledger does not support goes). Under the engine's
	locks in its order (persistence.py): every account, then the settings, then the accounts' own rows.
	`rebuild_ledger` is kept for callers of the old signature: the ledger is always reconciled."""
	started = time.perf_counter()
	lock_accounts()
	settings = get_tiering_settings()
	repair = Reconciler(settings).repair()
	drifted = purchase_months.drifted_suppliers()
	if drifted:
		purchase_months.recompute_suppliers(drifted)
	# before the rewrite: a forged row holding a year's name under another account is rewritten after
	removed = unsupported_annual_totals(settings, lock=True)
	for name in removed:
		frappe.db.sql("DELETE FROM `tabKey Account Annual Total` WHERE name = %s", name)
	changes = reevaluate_all(Cause.RECOMPUTE, settings, rewrite=True)
	return RecomputeReport(
		accounts=frappe.db.count("Key Account"),
		ledger_entries=frappe.db.count(ledger.LEDGER),
		repaired_entries=repair.removed + repair.added,
		tier_changes=len(changes),
		seconds=time.perf_counter() - started,
		repaired_months=len(drifted),
		removed_annual_totals=len(removed),
	)


def unsupported_annual_totals(settings, lock: bool) -> list[str]:
	"""Rows of annual totals the ledger does not support: a year in which the account bought nothing, a
	row under another name than the engine gives its account and year (later postings would not find
	it), or one that belongs to no account."""
	totals = sum_ledger(settings, measurement_windows(settings, getdate()), lock=lock)
	expected = {
		annual_total_name(account, fiscal_year): (account, fiscal_year)
		for account, account_totals in totals.items()
		for fiscal_year in account_totals.annual
	}
	return [
		row.name
		for row in frappe.db.sql(
			"""SELECT name, parent, parenttype, parentfield, fiscal_year
			FROM `tabKey Account Annual Total` ORDER BY name""",
			as_dict=True,
		)
		if expected.get(row.name) != (row.parent, row.fiscal_year)
		or (row.parenttype, row.parentfield) != ("Key Account", "annual_totals")
	]


def reconcile_weekly() -> None:
	"""Scheduled weekly on the long queue: a safety net that repairs the ledger from the invoices (for
	instance an invoice posted at the very moment its supplier joined an account) and re-evaluates."""
	recompute_all()
	frappe.db.commit()


@dataclass
class Drift:
	missing_entries: list[str] = field(default_factory=list)
	stale_entries: list[str] = field(default_factory=list)
	wrong_entries: list[str] = field(default_factory=list)
	monthly_sums: list[str] = field(default_factory=list)
	annual_totals: list[str] = field(default_factory=list)
	accounts: list[tuple[str, tuple | None, tuple]] = field(default_factory=list)

	def __bool__(self) -> bool:
		return bool(
			self.missing_entries
			or self.stale_entries
			or self.wrong_entries
			or self.monthly_sums
			or self.annual_totals
			or self.accounts
		)

	def lines(self) -> list[str]:
		lines = [f"invoice missing from the ledger: {name}" for name in self.missing_entries]
		lines += [
			f"ledger entry without a submitted invoice of a key account: {name}"
			for name in self.stale_entries
		]
		lines += [f"ledger entry that differs from its invoice: {name}" for name in self.wrong_entries]
		lines += [f"monthly purchase sums that differ from the ledger: {name}" for name in self.monthly_sums]
		lines += [f"annual total without the purchases it states: {name}" for name in self.annual_totals]
		lines += [
			f"key account {name}: stored {stored} but recomputed {expected}"
			for name, stored, expected in self.accounts
		]
		return lines

	def summary(self) -> str:
		if not self:
			return "No drift: every key account's stored totals match a recomputation."
		return (
			f"DRIFT: {len(self.accounts)} key accounts, {len(self.missing_entries)} missing, "
			f"{len(self.stale_entries)} stale and {len(self.wrong_entries)} wrong ledger entries, "
			f"{len(self.monthly_sums)} suppliers' monthly sums, {len(self.annual_totals)} annual totals."
		)


def verify_all() -> Drift:
	settings = get_tiering_settings()
	reconciler = Reconciler(settings)
	ledger_drift = reconciler.drift(reconciler.suspects())
	drift = Drift(
		missing_entries=ledger_drift.missing,
		stale_entries=ledger_drift.stale,
		wrong_entries=ledger_drift.wrong,
		monthly_sums=purchase_months.drifted_suppliers(),
		annual_totals=unsupported_annual_totals(settings, lock=False),
	)
	# Each account is checked as of the day it was last evaluated, so a daily job that has not run yet
	# today is not reported as drift.
	by_day: dict = {}
	for account in read_accounts():
		by_day.setdefault(getdate(account.last_evaluated), []).append(account)
	for day, accounts in by_day.items():
		for outcome in outcomes(accounts, settings, day, lock=False):
			if outcome.drifted:
				drift.accounts.append((outcome.account.name, outcome.stored, outcome.expected))
	return drift
