"""Reliability machinery shared by the fast variants (tests/test_reliability.py) and the soak script
(benchmarks/soak.py):

- `independent_drift`: every key account's window amount, tiers and annual totals recomputed in plain
  SQL from the Purchase Invoices themselves, none of the engine's code, and compared with what is
  stored;
- `RandomRun`: a seeded random sequence of what users do (submit, cancel, return, amend, move a
  supplier between accounts, change the bands, lock a tier), each operation a transaction of its own;
- workers for separate OS processes, each with its own database connection as users' requests are,
  started from a fork server that has already imported Frappe (tens of processes start in seconds)."""

import multiprocessing
import os
import random
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.setup.company import COMPANY_NAME, FOREIGN_COMPANY_NAME
from key_account_mgmt.tests.concurrency import connect, failure_kind
from key_account_mgmt.tiering.snapshot import record_changed

MILLION = 1_000_000
CENT = Decimal("0.01")


# --- processes ---------------------------------------------------------------------------------------
def process_context():
	"""Processes forked from a server that imported Frappe and ERPNext once, with no connection open."""
	context = multiprocessing.get_context("forkserver")
	context.set_forkserver_preload(["frappe", "erpnext", "key_account_mgmt.tests.reliability"])
	return context


def is_deadlock(kind: str) -> bool:
	return kind.startswith("deadlock")


OUTAGE_KINDS = {"server gone away", "lost connection", "cannot connect", "server shutdown"}


def submit_and_hold(site: str, sites_path: str, name: str, holding, results) -> None:
	"""Submit, then leave the transaction open (everything written, every lock held, nothing
	committed) until the caller kills this process."""
	connect(site, sites_path)
	try:
		frappe.get_doc("Purchase Invoice", name).submit()
		holding.set()
		time.sleep(300)
		results.put((name, "not killed"))
	except Exception as error:
		results.put((name, failure_kind(error), repr(error)))
		holding.set()


def submit_until_killed(site: str, sites_path: str, names: list[str], started, results) -> None:
	"""Submit one invoice after the other; the caller kills this process at a moment of its choosing."""
	connect(site, sites_path)
	started.set()
	for name in names:
		try:
			frappe.get_doc("Purchase Invoice", name).submit()
			frappe.db.commit()
			results.put((name, "submitted"))
		except Exception as error:
			frappe.db.rollback()
			results.put((name, failure_kind(error), repr(error)))


def submit_through_outages(site: str, sites_path: str, names: list[str], barrier, results) -> None:
	"""Submit each invoice as a user would while the database server restarts: a submit that fails
	because the server went away is tried again (at most 20 times) once a connection works; one that
	committed before the connection dropped is not submitted twice. Every failure is reported."""
	connect(site, sites_path)
	barrier.wait(timeout=120)
	for name in names:
		for _attempt in range(20):
			try:
				invoice = frappe.get_doc("Purchase Invoice", name)
				if invoice.docstatus == 1:  # it committed before the connection dropped
					results.put((name, "submitted"))
					break
				invoice.submit()
				frappe.db.commit()
				results.put((name, "submitted"))
				break
			except Exception as error:
				kind = failure_kind(error)
				results.put((name, kind, repr(error)[:300]))
				if kind not in OUTAGE_KINDS:
					safe_rollback()
					break
				reconnect(site, sites_path)
	frappe.destroy()


def make_accounts(site: str, sites_path: str, layout: list[list[list[float]]], results) -> None:
	"""Key accounts with their suppliers and draft invoices, committed: `layout` lists per account its
	suppliers, per supplier the amounts of its drafts. Puts [(account, [[drafts of each supplier]])]."""
	from key_account_mgmt.tests.factories import KeyAccountFactory, PurchaseInvoiceFactory, SupplierFactory

	connect(site, sites_path)
	try:
		made = []
		for suppliers in layout:
			names = [committed(SupplierFactory).name for _ in suppliers]
			account = committed(KeyAccountFactory, supplier_names=names).name
			drafts = [
				[
					committed(PurchaseInvoiceFactory, supplier=name, amount=amount, submit=False).name
					for amount in amounts
				]
				for name, amounts in zip(names, suppliers, strict=True)
			]
			made.append((account, drafts))
		results.put(made)
	except Exception:
		results.put({"error": traceback.format_exc()})
	finally:
		frappe.destroy()


def committed(factory, **values):
	"""One document per transaction, as one request makes it: processes that make test data side by
	side never hold one another's naming series for long. Under snapshot isolation (MariaDB 11.8),
	Frappe's naming is refused a series row that another process moved since this transaction's first
	read (error 1020, the transaction rolled back): the request is made again, as a user would. Each
	refusal means another process committed a document of the series meanwhile, and the processes make
	a few dozen: each one gets through within as many attempts."""
	attempts = 50
	for attempt in range(1, attempts + 1):
		try:
			document = factory(**values)
			frappe.db.commit()
			return document
		except Exception as error:
			if not record_changed(error) or attempt == attempts:
				raise
			frappe.db.rollback()


def name_tier_change_in_two_steps(site: str, sites_path: str, holding, release, results) -> None:
	"""A posting naming the year's first tier change, stopped half-way by the caller: the controller's
	before_naming has run and Frappe's getseries has read the year's series row FOR UPDATE (its first
	statement); on `release` getseries runs to its end, and the transaction commits. Under snapshot
	isolation a posting numbers it on a connection of its own (persistence.tier_change_name): both are
	let go together there."""
	from frappe.model.naming import getseries, parse_naming_series

	from key_account_mgmt.tiering.persistence import tier_change_name
	from key_account_mgmt.tiering.snapshot import snapshot_isolation

	connect(site, sites_path)
	try:
		if snapshot_isolation():
			# MariaDB 11.8: a posting numbers its tier change outside its transaction (tier_change_name)
			holding.set()
			release.wait(timeout=120)
			name = tier_change_name()
			frappe.db.commit()
			results.put((name, "named"))
			return
		change = frappe.new_doc("Key Account Tier Change")
		change.run_method("before_naming")
		key = parse_naming_series(change.meta.autoname.rsplit(".#", 1)[0])
		frappe.db.sql("SELECT `current` FROM `tabSeries` WHERE `name` = %s FOR UPDATE", key)
		holding.set()
		release.wait(timeout=120)
		name = key + getseries(key, 5)
		frappe.db.commit()
		results.put((name, "named"))
	except Exception as error:
		safe_rollback()
		results.put(("naming", failure_kind(error), repr(error)))
	finally:
		frappe.destroy()


def safe_rollback() -> None:
	try:
		frappe.db.rollback()
	except Exception:
		pass


def reconnect(site: str, sites_path: str, seconds: float = 120) -> None:
	"""A new connection, as the next request gets one, once the server answers again."""
	deadline = time.monotonic() + seconds
	while True:
		try:
			frappe.db.close()
		except Exception:
			pass
		try:
			frappe.connect(set_admin_as_user=True)
			frappe.db.sql("SELECT 1")
			return
		except Exception:
			if time.monotonic() > deadline:
				raise
			time.sleep(0.2)


def random_worker(
	site: str,
	sites_path: str,
	seed: int,
	accounts: list[str],
	suppliers: list[str],
	items: list[str],
	operations: int,
	seconds: float | None,
	results,
) -> None:
	"""One process of the soak's random run: `operations` committed operations (fewer if `seconds`
	run out first); puts its RunFigures."""
	connect(site, sites_path)
	try:
		run = RandomRun(seed, accounts, suppliers, items, commit=True)
		run.run(operations, deadline=time.monotonic() + seconds if seconds else None, progress=100)
		results.put(run.figures)
	except Exception:
		results.put(traceback.format_exc())
	finally:
		frappe.destroy()


def check_site(site: str, sites_path: str, accounts: list[str] | None, draft: str | None, results) -> None:
	"""From a fresh process: the independent recomputation, the engine's own verify, and a new
	submit (the site is usable)."""
	connect(site, sites_path)
	try:
		from key_account_mgmt.tiering.maintenance import verify_all

		outcome = {}
		if draft:
			frappe.get_doc("Purchase Invoice", draft).submit()
			frappe.db.commit()
			outcome["submitted"] = draft
		outcome["drift"] = independent_drift(accounts=accounts)
		outcome["verify"] = verify_all().lines()
		outcome["docstatus"] = dict(frappe.db.sql("SELECT name, docstatus FROM `tabPurchase Invoice`"))
		outcome["figures"] = {
			name: (tier or None, float(amount))
			for name, tier, amount in frappe.db.sql(
				"SELECT name, tier, purchase_amount FROM `tabKey Account` WHERE name IN %s",
				[tuple(accounts or [""])],
			)
		}
		results.put(outcome)
	except Exception:
		results.put({"error": traceback.format_exc()})
	finally:
		frappe.destroy()


# --- the independent recomputation ---------------------------------------------------------------
def independent_drift(accounts: list[str] | None = None, today: date | None = None) -> list[str]:
	"""Each key account (all, or `accounts`) recomputed from the submitted Purchase Invoices with plain
	SQL and compared with what it stores: rolling twelve-month amount and window, computed and
	effective tier, annual totals (amount and count per fiscal year), and the ledger and supplier
	stamps. One line per difference; empty when there is none."""
	today = getdate(today)
	settings = dict(
		frappe.db.sql("SELECT field, value FROM `tabSingles` WHERE doctype = 'Key Account Settings'")
	)
	if (settings.get("measurement_window") or "Rolling 12 Months") != "Rolling 12 Months":
		raise ValueError("the independent recomputation knows only the rolling twelve-month window")
	currency = settings.get("threshold_currency") or "CNY"
	column = "base_grand_total" if settings.get("amount_basis") == "Grand Total" else "base_net_total"
	bands = sorted(
		(Decimal(str(bound)), tier)
		for tier, bound in frappe.db.sql(
			"SELECT tier, lower_bound FROM `tabKey Account Tier Band` WHERE parent = 'Key Account Settings'"
		)
	)
	companies = [
		row[0]
		for row in frappe.db.sql(
			"SELECT company FROM `tabKey Account Company` WHERE parent = 'Key Account Settings'"
		)
	]
	window_start = frappe.db.sql("SELECT DATE_ADD(DATE_SUB(%s, INTERVAL 1 YEAR), INTERVAL 1 DAY)", today)[0][
		0
	]
	scope = "AND s.parent IN %(accounts)s" if accounts else ""
	values = {"currency": currency, "start": window_start, "end": today, "accounts": tuple(accounts or ())}
	company_filter = ""
	if companies:
		company_filter, values["companies"] = "AND pi.company IN %(companies)s", tuple(companies)

	# The rate of the posting date: the latest buying rate on or before it, else the inverse pair.
	amount = f"""ROUND(pi.{column} * CASE WHEN c.default_currency = %(currency)s THEN 1 ELSE COALESCE(
		(SELECT NULLIF(CAST(x.exchange_rate AS DECIMAL(30, 9)), 0) FROM `tabCurrency Exchange` x
			WHERE x.from_currency = c.default_currency AND x.to_currency = %(currency)s AND x.for_buying = 1
			AND x.date <= pi.posting_date ORDER BY x.date DESC LIMIT 1),
		(SELECT ROUND(1.000000000000000000 / NULLIF(CAST(x.exchange_rate AS DECIMAL(30, 9)), 0), 9)
			FROM `tabCurrency Exchange` x
			WHERE x.from_currency = %(currency)s AND x.to_currency = c.default_currency AND x.for_buying = 1
			AND x.date <= pi.posting_date ORDER BY x.date DESC LIMIT 1)) END, 2)"""
	rows = frappe.db.sql(
		f"""SELECT s.parent, fy.name, SUM({amount}), COUNT(*),
			SUM(CASE WHEN pi.posting_date BETWEEN %(start)s AND %(end)s THEN {amount} ELSE 0 END)
		FROM `tabPurchase Invoice` pi
		JOIN `tabKey Account Supplier` s ON s.supplier = pi.supplier AND s.parenttype = 'Key Account'
		JOIN `tabCompany` c ON c.name = pi.company
		LEFT JOIN `tabFiscal Year` fy ON pi.posting_date BETWEEN fy.year_start_date AND fy.year_end_date
			AND fy.disabled = 0
		WHERE pi.docstatus = 1 {company_filter} {scope}
		GROUP BY s.parent, fy.name""",
		values,
	)
	window_amounts: Counter = Counter()
	annual: dict[str, dict[str, tuple[Decimal, int]]] = {}
	for account, fiscal_year, year_amount, count, in_window in rows:
		window_amounts[account] += Decimal(in_window)
		if fiscal_year:
			annual.setdefault(account, {})[fiscal_year] = (money(year_amount), int(count))

	stored = frappe.db.sql(
		f"""SELECT s.name, s.tier, s.computed_tier, s.purchase_amount, s.window_from, s.window_to, s.currency,
			s.tier_locked, s.locked_tier
		FROM `tabKey Account` s WHERE 1 = 1 {scope.replace("s.parent", "s.name")}""",
		values,
	)
	stored_annual: dict[str, dict[str, tuple[Decimal, int]]] = {}
	for account, fiscal_year, year_amount, count in frappe.db.sql(
		f"""SELECT s.parent, s.fiscal_year, s.purchase_amount, s.invoice_count
		FROM `tabKey Account Annual Total` s WHERE s.parenttype = 'Key Account' {scope}""",
		values,
	):
		stored_annual.setdefault(account, {})[fiscal_year] = (money(year_amount), int(count))

	lines = []
	for (
		account,
		tier,
		computed,
		purchase_amount,
		window_from,
		window_to,
		stored_currency,
		locked,
		locked_tier,
	) in stored:
		expected_amount = money(window_amounts[account])
		expected_computed = next((name for bound, name in reversed(bands) if expected_amount >= bound), None)
		expected_tier = locked_tier if locked and locked_tier else expected_computed
		checks = {
			"window amount": (money(purchase_amount), expected_amount),
			"computed tier": (computed or None, expected_computed),
			"tier": (tier or None, expected_tier),
			"window": ((getdate(window_from), getdate(window_to)), (getdate(window_start), today)),
			"currency": (stored_currency, currency),
			"annual totals": (stored_annual.get(account, {}), annual.get(account, {})),
		}
		for what, (found, expected) in checks.items():
			if found != expected:
				lines.append(f"{account}: {what} is {found}, the invoices give {expected}")
	return lines + ledger_drift(scope, values)


def ledger_drift(scope: str, values: dict) -> list[str]:
	"""The ledger and the stamps against the invoices and the memberships, in plain SQL."""
	lines = []
	for (name,) in frappe.db.sql(
		f"""SELECT pi.name FROM `tabPurchase Invoice` pi
		JOIN `tabKey Account Supplier` s ON s.supplier = pi.supplier AND s.parenttype = 'Key Account'
		LEFT JOIN `tabKey Account Purchase Entry` e ON e.purchase_invoice = pi.name
		WHERE pi.docstatus = 1 AND e.name IS NULL {scope}""",
		values,
	):
		lines.append(f"submitted invoice {name} has no ledger row")
	for name, docstatus in frappe.db.sql(
		f"""SELECT e.purchase_invoice, pi.docstatus FROM `tabKey Account Purchase Entry` e
		LEFT JOIN `tabPurchase Invoice` pi ON pi.name = e.purchase_invoice
		LEFT JOIN `tabKey Account Supplier` s ON s.supplier = e.supplier AND s.parenttype = 'Key Account'
		WHERE (pi.docstatus IS NULL OR pi.docstatus != 1 OR s.parent IS NULL OR pi.supplier != e.supplier)
		{scope.replace("s.parent IN", "(s.parent IS NULL OR s.parent IN") + ")" if scope else ""}""",
		values,
	):
		lines.append(f"ledger row of invoice {name} (docstatus {docstatus}) should not exist")
	for supplier, stamped, member_of in frappe.db.sql(
		f"""SELECT sup.name, sup.key_account, s.parent FROM `tabSupplier` sup
		LEFT JOIN `tabKey Account Supplier` s ON s.supplier = sup.name AND s.parenttype = 'Key Account'
		WHERE IFNULL(sup.key_account, '') != IFNULL(s.parent, '')
		{"AND (s.parent IN %(accounts)s OR sup.key_account IN %(accounts)s)" if scope else ""}""",
		values,
	):
		lines.append(f"supplier {supplier} is stamped {stamped!r} but belongs to {member_of!r}")
	return lines


def money(value) -> Decimal:
	return Decimal(str(value or 0)).quantize(CENT, rounding=ROUND_HALF_UP)


# --- the random run ------------------------------------------------------------------------------
BAND_SETS = (
	(("Ordinary", 5 * MILLION), ("Partner", 20 * MILLION), ("Strategic", 50 * MILLION)),
	(("Ordinary", 3 * MILLION), ("Partner", 12 * MILLION), ("Strategic", 30 * MILLION)),
	(("Ordinary", 8 * MILLION), ("Partner", 25 * MILLION)),
	(("Ordinary", 1 * MILLION), ("Partner", 10 * MILLION), ("Strategic", 18 * MILLION)),
)

WEIGHTS = {
	"submit": 40,
	"cancel": 9,
	"return_": 10,
	"amend": 8,
	"move_supplier": 14,
	"band_change": 5,
	"tier_lock": 8,
	"foreign_submit": 6,
}


@dataclass
class RunFigures:
	done: Counter = field(default_factory=Counter)
	failures: Counter = field(default_factory=Counter)
	examples: dict = field(default_factory=dict)
	seconds: float = 0.0

	@property
	def operations(self) -> int:
		return sum(self.done.values()) + sum(self.failures.values())

	def merge(self, other: "RunFigures") -> None:
		self.done.update(other.done)
		self.failures.update(other.failures)
		for key, example in other.examples.items():
			self.examples.setdefault(key, example)


class RandomRun:
	"""What users do, chosen at random from `seed`, on `accounts` and `suppliers` (a supplier may be
	in one of the accounts or in none). Each operation is a transaction of its own: committed with
	`commit=True`, else a savepoint (so a test's rollback removes the whole run). An operation that
	fails is rolled back and counted by kind: what its user would have seen."""

	def __init__(
		self, seed: int, accounts: list[str], suppliers: list[str], item: str | list[str], *, commit: bool
	):
		self.seed = seed
		self.random = random.Random(seed)
		self.accounts = list(accounts)
		self.suppliers = list(suppliers)
		self.items = [item] if isinstance(item, str) else list(item)
		self.commit = commit
		self.today = getdate()
		self.open: dict[str, float] = {}  # submitted invoices that may be cancelled, returned or amended
		self.returns: dict[str, str] = {}  # invoice -> its submitted debit note
		self.figures = RunFigures()
		self.log: list[str] = []
		self.amount_scale = 1.0

	def run(self, operations: int, *, deadline: float | None = None, progress: int = 0) -> RunFigures:
		"""`operations` more, or fewer if time.monotonic() passes `deadline`; a line every `progress`."""
		started = time.perf_counter()
		kinds, weights = zip(*WEIGHTS.items(), strict=True)
		for done in range(1, operations + 1):
			if deadline and time.monotonic() > deadline:
				break
			self.step(self.random.choices(kinds, weights)[0])
			if progress and done % progress == 0:
				print(f"random run {self.seed}: {done} operations, {dict(self.figures.failures)}", flush=True)
		self.figures.seconds += time.perf_counter() - started
		return self.figures

	def step(self, kind: str) -> None:
		operation = getattr(self, kind)
		self.begin()
		try:
			done = operation()
			self.end()
		except Exception as error:
			self.abort()
			failure = (kind, failure_kind(error))
			self.figures.failures[failure] += 1
			self.figures.examples.setdefault(failure, f"{error!r}"[:500])
			self.log.append(f"{kind}: FAILED {error!r}"[:300])
			return
		self.figures.done[done] += 1
		self.log.append(done)

	def begin(self) -> None:
		if not self.commit:
			frappe.db.savepoint("reliability_step")

	def end(self) -> None:
		if self.commit:
			frappe.db.commit()
		else:
			frappe.db.release_savepoint("reliability_step")

	def abort(self) -> None:
		if self.commit:
			frappe.db.rollback()
		else:
			frappe.db.rollback(save_point="reliability_step")
		frappe.local.message_log = []

	# --- operations: each returns what it did ----------------------------------------------------
	def submit(self, company: str = COMPANY_NAME) -> str:
		amount = self.amount()
		invoice = self.new_invoice(self.random.choice(self.suppliers), amount, company)
		invoice.submit()
		self.open[invoice.name] = amount
		return "submit"

	def foreign_submit(self) -> str:
		self.submit(FOREIGN_COMPANY_NAME)
		return "submit in USD"

	def cancel(self) -> str:
		if self.returns and self.random.random() < 0.3:
			invoice = self.random.choice(sorted(self.returns))
			frappe.get_doc("Purchase Invoice", self.returns.pop(invoice)).cancel()
			return "cancel a debit note"
		name = self.pick_open()
		if not name:
			return self.submit()
		frappe.get_doc("Purchase Invoice", name).cancel()
		del self.open[name]
		return "cancel"

	def return_(self) -> str:
		name = self.pick_open()
		if not name:
			return self.submit()
		from key_account_mgmt.tests.factories import make_debit_note

		invoice = frappe.get_doc("Purchase Invoice", name)
		part = round(self.open[name] * self.random.uniform(0.05, 1.0), 2)
		self.returns[name] = make_debit_note(invoice, amount=part).name
		return "return"

	def amend(self) -> str:
		name = self.pick_open()
		if not name:
			return self.submit()
		invoice = frappe.get_doc("Purchase Invoice", name)
		invoice.cancel()
		amended = frappe.copy_doc(invoice)
		amended.amended_from = invoice.name
		amended.docstatus = 0
		amount = self.amount()
		amended.items[0].rate = amount
		amended.insert()
		amended.submit()
		del self.open[name]
		self.open[amended.name] = amount
		return "amend"

	def move_supplier(self) -> str:
		"""A supplier leaves its account for another one or for none, or joins one; an account keeps
		at least one supplier in this run."""
		members = Counter(
			frappe.db.sql_list(
				"SELECT parent FROM `tabKey Account Supplier` WHERE parenttype = 'Key Account' AND parent IN %s",
				[tuple(self.accounts)],
			)
		)
		current_of = dict(
			frappe.db.sql(
				"SELECT name, key_account FROM `tabSupplier` WHERE name IN %s", [tuple(self.suppliers)]
			)
		)
		movable = sorted(s for s in self.suppliers if not current_of.get(s) or members[current_of[s]] > 1)
		supplier = self.random.choice(movable)
		current = current_of.get(supplier)
		target = self.random.choice([a for a in self.accounts if a != current] + ([None] if current else []))
		if current:
			account = frappe.get_doc("Key Account", current)
			account.suppliers = [row for row in account.suppliers if row.supplier != supplier]
			account.save()
			if target and self.commit:
				frappe.db.commit()  # two saves are two requests: one transaction would lock two accounts
		if target:
			account = frappe.get_doc("Key Account", target)
			account.append("suppliers", {"supplier": supplier})
			account.save()
		return "move supplier" if current and target else ("supplier joins" if target else "supplier leaves")

	def band_change(self) -> str:
		settings = frappe.get_doc("Key Account Settings")
		current = tuple((row.tier, int(row.lower_bound)) for row in settings.tier_bands)
		bands = self.random.choice([bands for bands in BAND_SETS if bands != current])
		settings.tier_bands = []
		for tier, bound in bands:
			settings.append("tier_bands", {"tier": tier, "lower_bound": bound})
		settings.save()
		if self.commit:
			frappe.db.commit()  # the job starts after the save has committed
		run_settings_reevaluation(self.commit)
		return "band change"

	def tier_lock(self) -> str:
		account = frappe.get_doc("Key Account", self.random.choice(self.accounts))
		tiers = [row.tier for row in frappe.get_doc("Key Account Settings").tier_bands]
		if account.tier_locked and self.random.random() < 0.6:
			account.tier_locked = 0
			done = "tier unlock"
		else:
			account.tier_locked = 1
			account.locked_tier = self.random.choice(tiers)
			account.lock_reason = "Agreed in the annual review"
			done = "tier lock"
		account.save()
		return done

	# --- helpers ---------------------------------------------------------------------------------
	def amount(self) -> float:
		return round(self.random.uniform(0.05, 3.0) * MILLION * self.amount_scale, 2)

	def new_invoice(self, supplier: str, amount: float, company: str):
		from key_account_mgmt.tests.factories import PurchaseInvoiceFactory

		posting_date = add_days(self.today, -self.random.randint(0, 700))
		return PurchaseInvoiceFactory(
			supplier=supplier,
			amount=amount,
			item=self.random.choice(self.items),
			company=company,
			posting_date=posting_date,
			submit=False,
		)

	def pick_open(self) -> str | None:
		candidates = sorted(name for name in self.open if name not in self.returns)
		return self.random.choice(candidates) if candidates else None


def run_settings_reevaluation(commit: bool) -> None:
	"""A settings change queues the re-evaluation of every account on the long queue: take it out of
	the queue and run it now, as the worker would right after the save (committing each account when
	`commit`)."""
	from key_account_mgmt.tests.utils import remove_queued_reevaluations
	from key_account_mgmt.tiering.reevaluation import reevaluate_accounts

	for cause in remove_queued_reevaluations():
		reevaluate_accounts(cause, commit=commit)


def prepare(accounts: int, suppliers_per_account: int, free_suppliers: int) -> tuple[list, list, str]:
	"""Key accounts with their suppliers, suppliers in no account, one item, and buying rates from USD
	for the foreign company's invoices (one of them in force from some day inside the run's dates)."""
	from key_account_mgmt.tests.factories import (
		ItemFactory,
		KeyAccountFactory,
		SupplierFactory,
		currency_exchange,
	)

	suppliers, names = [], []
	for _ in range(accounts):
		members = [SupplierFactory().name for _ in range(suppliers_per_account)]
		names.append(KeyAccountFactory(supplier_names=members).name)
		suppliers += members
	suppliers += [SupplierFactory().name for _ in range(free_suppliers)]
	today = getdate()
	for days_back, rate in ((1200, 7.1234), (300, 7.2571)):
		on = add_days(today, -days_back)
		if not frappe.db.exists(
			"Currency Exchange", {"from_currency": "USD", "to_currency": "CNY", "date": on}
		):
			currency_exchange("USD", "CNY", rate, on)
	return names, suppliers, ItemFactory().name


def default_bands() -> None:
	settings = frappe.get_doc("Key Account Settings")
	settings.tier_bands = []
	for tier, bound in BAND_SETS[0]:
		settings.append("tier_bands", {"tier": tier, "lower_bound": bound})
	settings.save()
	frappe.db.commit()
	run_settings_reevaluation(commit=True)


def seed_from_environment() -> int:
	"""KAM_RELIABILITY_SEED repeats a run; otherwise a fresh seed, printed with any failure."""
	value = os.environ.get("KAM_RELIABILITY_SEED")
	return int(value) if value else random.SystemRandom().randrange(1, 10**9)
