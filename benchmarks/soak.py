"""The reliability soak: the full variants of tests/test_reliability.py. Prints figures, asserts
nothing (failures are what it counts). Run it through dev/soak, which makes a dedicated site; from a
bench's sites folder it is:

    ../env/bin/python /path/to/benchmarks/soak.py SITE [--operations 2000] [--kills 12] ...

Phases, each on real submitted Purchase Invoices, each followed by the independent recomputation in
plain SQL (tests/reliability.py: every account's window amount, tiers and annual totals from the
invoices themselves) and the engine's own kam-verify:
  1. concurrent submitters: 16 processes × N submits on 3 accounts, then on 1 account;
  2. the random run: at least 2,000 operations (submit, cancel, return, amend, supplier moves, band
     changes, tier locks) by W processes side by side, each operation its own committed transaction;
  3. kill -9: processes submitting are killed with SIGKILL, half of them after the submit's writes
     and before its commit, half at a random moment; then the drafts they left are submitted;
  4. database restarts: the site is copied onto a second MariaDB server on 127.0.0.1, started by the
     script (never the main one), which is restarted (and once killed) while processes submit.
"""

import argparse
import os
import random
import signal
import sys
import time
from collections import Counter

import frappe

SEED_DEFAULT = 20261130


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("site")
	parser.add_argument("--processes", type=int, default=16, help="concurrent submitters")
	parser.add_argument("--submits", type=int, default=8, help="submits per concurrent submitter")
	parser.add_argument("--operations", type=int, default=2000, help="random operations in all")
	parser.add_argument("--random-workers", type=int, default=4, help="processes sharing the random run")
	parser.add_argument(
		"--random-minutes", type=float, default=0, help="stop the random run after this long (0: never)"
	)
	parser.add_argument("--kills", type=int, default=12)
	parser.add_argument("--restarts", type=int, default=3)
	parser.add_argument("--crashes", type=int, default=1, help="restarts after killing mariadbd")
	parser.add_argument("--seed", type=int, default=SEED_DEFAULT)
	parser.add_argument("--only", nargs="*", choices=["concurrent", "random", "kill", "restart"])
	args = parser.parse_args()

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		Soak(args).run()
	finally:
		frappe.destroy()


class Soak:
	def __init__(self, args):
		from key_account_mgmt.tests import concurrency, reliability

		self.args = args
		self.concurrency = concurrency
		self.reliability = reliability
		self.processes = reliability.process_context()
		self.site, self.sites_path = frappe.local.site, os.path.abspath(frappe.local.sites_path)
		self.rng = random.Random(args.seed)
		self.rows: list[tuple[str, str]] = []

	def run(self) -> None:
		from key_account_mgmt.setup.company import before_tests

		before_tests()  # the companies, fiscal years and defaults the factories need
		frappe.db.commit()
		self.reliability.default_bands()
		frappe.db.commit()
		started = time.perf_counter()
		phases = self.args.only or ["concurrent", "random", "kill", "restart"]
		for phase in phases:
			getattr(self, f"phase_{phase}")()
		self.figure("total time", f"{time.perf_counter() - started:.0f} s")
		print("\nfigures")
		width = max(len(name) for name, _value in self.rows)
		for name, value in self.rows:
			print(f"  {name:<{width}}  {value}")

	# --- output ---------------------------------------------------------------------------------------
	def figure(self, name: str, value) -> None:
		self.rows.append((name, str(value)))
		print(f"{name}: {value}", flush=True)

	def drift(self, label: str, site: str | None = None) -> None:
		"""The independent recomputation and kam-verify, from a fresh process on `site`."""
		results = self.processes.Queue()
		self.start(self.reliability.check_site, None, None, results, site=site)
		outcome = results.get(timeout=1800)
		if "error" in outcome:
			self.figure(f"{label}: check failed", outcome["error"].splitlines()[-1])
			return
		self.figure(
			f"{label}: drift found (independent SQL / kam-verify)",
			f"{len(outcome['drift'])} / {len(outcome['verify'])}",
		)
		for line in (outcome["drift"] + outcome["verify"])[:20]:
			print(f"    {line}")

	def deadlocks(self, kinds: Counter) -> str:
		"""How many failures were deadlocks, and how many of those in this app's own statements."""
		total = sum(count for kind, count in kinds.items() if self.reliability.is_deadlock(kind))
		ours = sum(
			count
			for kind, count in kinds.items()
			if self.reliability.is_deadlock(kind) and "key_account_mgmt" in kind
		)
		return f"{total} ({ours} in this app's statements)"

	def start(self, target, *args, site: str | None = None):
		process = self.processes.Process(target=target, args=(site or self.site, self.sites_path, *args))
		process.start()
		return process

	# --- 1. concurrent submitters -------------------------------------------------------------------
	def phase_concurrent(self) -> None:
		for accounts in (3, 1):
			self.concurrent_round(accounts)
		self.drift("concurrent submitters")

	def concurrent_round(self, accounts: int) -> None:
		from key_account_mgmt.tests.factories import (
			KeyAccountFactory,
			PurchaseInvoiceFactory,
			SupplierFactory,
		)

		processes, submits = self.args.processes, self.args.submits
		members = {}
		for _ in range(accounts):
			suppliers = [SupplierFactory().name, SupplierFactory().name]
			members[KeyAccountFactory(supplier_names=suppliers).name] = suppliers
		names = list(members)
		plan = [
			[
				PurchaseInvoiceFactory(
					supplier=members[names[(process + submit) % accounts]][process % 2],
					amount=round(self.rng.uniform(0.5, 4) * 1_000_000, 2),
					submit=False,
				).name
				for submit in range(submits)
			]
			for process in range(processes)
		]
		frappe.db.commit()
		barrier, results = self.processes.Barrier(processes), self.processes.Queue()
		started = time.perf_counter()
		workers = [
			self.start(self.concurrency.submit_purchase_invoices, names, barrier, results) for names in plan
		]
		outcomes = [results.get(timeout=1800) for _ in range(processes * submits)]
		seconds = time.perf_counter() - started
		for worker in workers:
			worker.join(timeout=60)
		kinds = Counter(outcome[1] for outcome in outcomes)
		failed = processes * submits - kinds["submitted"]
		deadlocks = self.deadlocks(kinds)
		label = (
			f"{processes} processes × {submits} submits on {accounts} account{'s' if accounts > 1 else ''}"
		)
		self.figure(
			label,
			f"{failed} of {processes * submits} failed {dict(kinds - Counter(submitted=kinds['submitted']))}, deadlocks seen by users {deadlocks}, {seconds:.1f} s",
		)

	# --- 2. the random run --------------------------------------------------------------------------
	def phase_random(self) -> None:
		from key_account_mgmt.tests.factories import ItemFactory, KeyAccountFactory, SupplierFactory

		workers = self.args.random_workers
		accounts = [KeyAccountFactory(supplier_names=[SupplierFactory().name]).name for _ in range(8)]
		items = [ItemFactory().name for _ in range(6)]
		own_suppliers = [[SupplierFactory().name for _ in range(4)] for _ in range(workers)]
		frappe.db.commit()
		self.reliability.prepare(accounts=0, suppliers_per_account=0, free_suppliers=0)  # the USD rates
		frappe.db.commit()
		results = self.processes.Queue()
		started = time.perf_counter()
		per_worker = -(-self.args.operations // workers)
		processes = [
			self.start(
				self.reliability.random_worker,
				self.args.seed + index,
				accounts,
				own_suppliers[index],
				items,
				per_worker,
				self.args.random_minutes * 60 if self.args.random_minutes else None,
				results,
			)
			for index in range(workers)
		]
		figures = self.reliability.RunFigures()
		for _ in processes:
			outcome = results.get(timeout=7200)
			if isinstance(outcome, str):
				print(outcome)
				continue
			figures.merge(outcome)
		seconds = time.perf_counter() - started
		for process in processes:
			process.join(timeout=60)
		# Two workers saving one account form at once: Frappe asks the second to reload, as it would a user.
		refused = sum(
			count for (_kind, error), count in figures.failures.items() if error == "TimestampMismatchError"
		)
		failures = Counter(
			{
				f"{kind}: {error}": count
				for (kind, error), count in figures.failures.items()
				if error != "TimestampMismatchError"
			}
		)
		self.figure(
			f"random run, {workers} processes, seed {self.args.seed}",
			f"{figures.operations} operations in {seconds:.0f} s; done {dict(figures.done)}",
		)
		errors = Counter()
		for (_kind, error), count in figures.failures.items():
			errors[error] += count
		deadlocks = self.deadlocks(errors)
		self.figure("random run: concurrent edits of one form, the second asked to reload", refused)
		self.figure("random run: failures by kind", f"{sum(failures.values())} {dict(failures)}")
		self.figure("random run: deadlocks seen by users", deadlocks)
		for (kind, error), example in list(figures.examples.items())[:10]:
			print(f"    {kind} / {error}: {example[:200]}")
		self.drift("random run")

	# --- 3. kill -9 ---------------------------------------------------------------------------------
	def phase_kill(self) -> None:
		from key_account_mgmt.tests.factories import (
			KeyAccountFactory,
			PurchaseInvoiceFactory,
			SupplierFactory,
		)

		suppliers = [SupplierFactory().name, SupplierFactory().name]
		KeyAccountFactory(supplier_names=suppliers)
		frappe.db.commit()
		left, committed, rolled_back, started = [], 0, 0, time.perf_counter()
		finished_first = 0
		for cycle in range(self.args.kills):
			drafts = [
				PurchaseInvoiceFactory(
					supplier=self.rng.choice(suppliers),
					amount=round(self.rng.uniform(0.2, 2) * 1_000_000, 2),
					submit=False,
				).name
				# enough for the random moment to fall inside the run on a quiet machine too
				for _ in range(4 if cycle % 2 == 0 else 16)
			]
			frappe.db.commit()
			results = self.processes.Queue()
			if cycle % 2 == 0:  # after the submit's writes, before its commit
				holding = self.processes.Event()
				victim = self.start(self.reliability.submit_and_hold, drafts[0], holding, results)
				holding.wait(timeout=300)
			else:  # at a random moment of a run of submits
				running = self.processes.Event()
				victim = self.start(self.reliability.submit_until_killed, drafts, running, results)
				running.wait(timeout=300)
				time.sleep(self.rng.uniform(0.3, 2.5))
			try:
				os.kill(victim.pid, signal.SIGKILL)
			except ProcessLookupError:
				finished_first += 1  # it submitted every draft before the moment came
			victim.join(timeout=60)
			done = set()
			while not results.empty():
				outcome = results.get()
				if outcome[1] == "submitted":
					done.add(outcome[0])
			frappe.db.rollback()
			statuses = dict(
				frappe.db.sql(
					"SELECT name, docstatus FROM `tabPurchase Invoice` WHERE name IN %s", [tuple(drafts)]
				)
			)
			committed += sum(1 for name in drafts if statuses[name] == 1)
			rolled_back += 1 if any(statuses[name] == 0 for name in drafts) else 0
			left += [name for name in drafts if statuses[name] == 0]
		self.figure(
			f"kill -9 of a submitting process × {self.args.kills}",
			f"{committed} invoices committed before the kill, {len(left)} left as drafts ({rolled_back} kills "
			f"rolled back a submit in flight, {finished_first} came too late), "
			f"{time.perf_counter() - started:.0f} s",
		)
		self.drift("after the kills")
		barrier, results = self.processes.Barrier(1), self.processes.Queue()
		self.start(self.concurrency.submit_purchase_invoices, left, barrier, results)
		outcomes = [results.get(timeout=1800) for _ in left]
		kinds = Counter(outcome[1] for outcome in outcomes)
		self.figure("the drafts the killed processes left, submitted afterwards", dict(kinds))
		self.drift("after submitting them")

	# --- 4. database restarts -----------------------------------------------------------------------
	def phase_restart(self) -> None:
		from key_account_mgmt.tests.mariadb_instance import (
			MariaDBInstance,
			clone_site,
			drop_site_clone,
			free_port,
		)

		instance = MariaDBInstance(free_port())
		clone = f"soak-{instance.port}.{self.site}"
		try:
			instance.start()
			started = time.perf_counter()
			clone_site(self.site, clone, instance, sites_path=self.sites_path)
			self.figure("copy of the site onto the second server", f"{time.perf_counter() - started:.0f} s")
			kinds, submits, started = Counter(), 0, time.perf_counter()
			cycles = ["restart"] * self.args.restarts + ["kill mariadbd"] * self.args.crashes
			for cycle in cycles:
				results = self.processes.Queue()
				self.start(
					self.reliability.make_accounts,
					[[[round(self.rng.uniform(0.5, 3) * 1_000_000, 2) for _ in range(6)]] * 2] * 2,
					results,
					site=clone,
				)
				made = results.get(timeout=1800)
				drafts = [name for _account, per_supplier in made for names in per_supplier for name in names]
				barrier, results = self.processes.Barrier(5), self.processes.Queue()
				workers = [
					self.start(
						self.reliability.submit_through_outages,
						drafts[index::4],
						barrier,
						results,
						site=clone,
					)
					for index in range(4)
				]
				barrier.wait(timeout=300)
				submitted = set()
				while len(submitted) < self.rng.randint(2, 8):
					outcome = results.get(timeout=1800)
					kinds[outcome[1]] += 1
					submitted |= {outcome[0]} if outcome[1] == "submitted" else set()
				if cycle == "restart":
					instance.restart()
				else:
					instance.kill()
					instance.start()
				while len(submitted) < len(drafts):
					outcome = results.get(timeout=1800)
					kinds[outcome[1]] += 1
					submitted |= {outcome[0]} if outcome[1] == "submitted" else set()
				for worker in workers:
					worker.join(timeout=60)
				submits += len(drafts)
			failures = kinds - Counter(submitted=kinds["submitted"])
			self.figure(
				f"database restarts × {self.args.restarts}, mariadbd killed × {self.args.crashes}",
				f"{submits} invoices submitted; failures users saw (then submitted again) {dict(failures)}, "
				f"deadlocks {self.deadlocks(kinds)}, {time.perf_counter() - started:.0f} s",
			)
			self.drift("after the restarts", site=clone)
		finally:
			drop_site_clone(clone, instance, sites_path=self.sites_path)
			instance.cleanup()


if __name__ == "__main__":
	sys.exit(main())
