"""Recompute and verify: the engine's answer to "are the stored totals right?"."""

import time
from dataclasses import dataclass, field

import frappe
from frappe.utils import getdate

from key_account_mgmt.tiering import ledger, purchase_months
from key_account_mgmt.tiering.evaluation import Cause, outcomes, reevaluate_all
from key_account_mgmt.tiering.persistence import lock_accounts, read_accounts
from key_account_mgmt.tiering.reconcile import Reconciler, Repair
from key_account_mgmt.tiering.settings import get_tiering_settings


@dataclass
class RecomputeReport:
	accounts: int
	ledger_entries: int
	repaired_entries: int
	tier_changes: int
	seconds: float

	def summary(self) -> str:
		return (
			f"Recomputed {self.accounts} key accounts from {self.ledger_entries} submitted invoices "
			f"({self.repaired_entries} ledger entries repaired) in {self.seconds:.2f} s; "
			f"{self.tier_changes} changed tier."
		)


def recompute_all(rebuild_ledger: bool = False) -> RecomputeReport:
	"""Recompute every account's totals and tier from the ledger and write them all, whatever is
	stored; with `rebuild_ledger`, first reconcile the ledger itself with the submitted invoices."""
	started = time.perf_counter()
	lock_accounts()  # the lock order (persistence.py): every account, then the settings, then the ledger
	settings = get_tiering_settings()
	repair = Reconciler(settings).repair() if rebuild_ledger else Repair()
	if rebuild_ledger:
		drifted = purchase_months.drifted_suppliers()
		if drifted:
			purchase_months.recompute_suppliers(drifted)
	changes = reevaluate_all(Cause.RECOMPUTE, settings, rewrite=True)
	return RecomputeReport(
		accounts=frappe.db.count("Key Account"),
		ledger_entries=frappe.db.count(ledger.LEDGER),
		repaired_entries=repair.removed + repair.added,
		tier_changes=len(changes),
		seconds=time.perf_counter() - started,
	)


def reconcile_weekly() -> None:
	"""Scheduled weekly on the long queue: a safety net that repairs the ledger from the invoices (for
	instance an invoice posted at the very moment its supplier joined an account) and re-evaluates."""
	recompute_all(rebuild_ledger=True)
	frappe.db.commit()


@dataclass
class Drift:
	missing_entries: list[str] = field(default_factory=list)
	stale_entries: list[str] = field(default_factory=list)
	wrong_entries: list[str] = field(default_factory=list)
	monthly_sums: list[str] = field(default_factory=list)
	accounts: list[tuple[str, tuple | None, tuple]] = field(default_factory=list)

	def __bool__(self) -> bool:
		return bool(
			self.missing_entries
			or self.stale_entries
			or self.wrong_entries
			or self.monthly_sums
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
			f"{len(self.monthly_sums)} suppliers' monthly sums."
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
