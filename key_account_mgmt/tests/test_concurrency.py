"""Concurrency and integrity of the tiering engine, with real processes that each hold their own
database connection (tests/concurrency.py), as users' requests do. What the processes do is
committed by design, and cleaned up afterwards: invoices are cancelled, as an ERP keeps them."""

import multiprocessing
import os
import time

import frappe

from key_account_mgmt.tests import concurrency
from key_account_mgmt.tests.factories import (
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.maintenance import verify_all

MILLION = 1_000_000
SPAWN = multiprocessing.get_context("spawn")


class CommittedDataTestCase(KeyAccountTestCase):
	"""Tracks the invoices and accounts it commits and removes them afterwards."""

	def setUp(self):
		super().setUp()
		self.invoices: list[str] = []
		self.accounts: list[str] = []
		self.addCleanup(self.remove_committed)

	def remove_committed(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		for name in self.invoices:
			invoice = frappe.get_doc("Purchase Invoice", name)
			if invoice.docstatus == 1:
				invoice.cancel()
		for name in self.accounts:
			if frappe.db.exists("Key Account", name):
				frappe.delete_doc("Key Account", name, force=True)
		frappe.db.commit()

	def draft_invoice(self, supplier: str, amount: float) -> str:
		name = PurchaseInvoiceFactory(supplier=supplier, amount=amount, submit=False).name
		self.invoices.append(name)
		return name

	def account_of(self, suppliers: list[str]) -> str:
		name = KeyAccountFactory(supplier_names=suppliers).name
		self.accounts.append(name)
		return name

	def site_args(self) -> tuple[str, str]:
		return frappe.local.site, os.path.abspath(frappe.local.sites_path)

	def run_workers(self, target, argument_lists: list[tuple], outcomes_each: list[int]) -> list[tuple]:
		barrier, results = SPAWN.Barrier(len(argument_lists)), SPAWN.Queue()
		workers = [
			SPAWN.Process(target=target, args=(*self.site_args(), *arguments, barrier, results))
			for arguments in argument_lists
		]
		for worker in workers:
			worker.start()
		outcomes = [results.get(timeout=300) for _ in range(sum(outcomes_each))]
		for worker in workers:
			worker.join(timeout=60)
		frappe.db.rollback()  # a fresh snapshot: see what the workers committed
		return outcomes

	def account_figures(self, account: str) -> tuple:
		return frappe.db.get_value("Key Account", account, ["tier", "purchase_amount"])


class TestConcurrentSubmits(CommittedDataTestCase):
	"""Several processes submit invoices of one account at the same instant."""

	WORKERS = 6

	def test_concurrent_submits_on_one_account_lose_nothing(self):
		suppliers = [SupplierFactory().name, SupplierFactory().name]
		account = self.account_of(suppliers)
		amounts = [MILLION * (index + 1) + 0.37 for index in range(self.WORKERS)]
		names = [self.draft_invoice(suppliers[index % 2], amount) for index, amount in enumerate(amounts)]
		frappe.db.commit()  # the workers must see them

		outcomes = self.run_workers(
			concurrency.submit_purchase_invoice, [(name,) for name in names], [1] * self.WORKERS
		)

		self.assertEqual(sorted(outcome[1] for outcome in outcomes), ["submitted"] * self.WORKERS, outcomes)
		self.assertEqual(
			frappe.db.count("Key Account Purchase Entry", {"supplier": ("in", suppliers)}), self.WORKERS
		)
		self.assertEqual(self.account_figures(account), ("Partner", round(sum(amounts), 2)))
		self.assertNotIn(account, [name for name, _stored, _expected in verify_all().accounts])

	def test_many_submitters_on_two_accounts_see_no_deadlock_and_exact_totals(self):
		"""8 processes, 4 submits each, on two accounts of two suppliers each; both accounts cross two
		bands on the way. Every submit succeeds at the first attempt (a deadlock would reach the
		user), and both totals are exact."""
		outcomes, expected = self.run_submitters(processes=8, submits=4, accounts=2)
		failed = [outcome for outcome in outcomes if outcome[1] != "submitted"]
		self.assertEqual(failed, [], f"{len(failed)} of {len(outcomes)} submits failed")
		for account, amount in expected.items():
			self.assertEqual(self.account_figures(account), ("Partner", round(amount, 2)), account)
		drift = verify_all()
		self.assertFalse({name for name, _s, _e in drift.accounts} & set(expected), drift.lines())

	def run_submitters(self, processes: int, submits: int, accounts: int) -> tuple[list, dict]:
		members = {}
		for _ in range(accounts):
			suppliers = [SupplierFactory().name, SupplierFactory().name]
			members[self.account_of(suppliers)] = suppliers
		names = list(members)
		plan: list[list[str]] = [[] for _ in range(processes)]
		expected = dict.fromkeys(members, 0.0)
		per_account = processes * submits / accounts
		for process in range(processes):
			for submit in range(submits):
				account = names[(process + submit) % accounts]
				supplier = members[account][process % 2]
				amount = round(24 * MILLION / per_account + process * 1000 + submit + 0.25, 2)
				plan[process].append(self.draft_invoice(supplier, amount))
				expected[account] += amount
		frappe.db.commit()
		outcomes = self.run_workers(
			concurrency.submit_purchase_invoices, [(names,) for names in plan], [submits] * processes
		)
		return outcomes, expected


class TestConcurrentClaims(CommittedDataTestCase):
	def test_two_managers_claiming_one_supplier_at_once_get_saved_and_already_claimed(self):
		first, second = self.account_of([SupplierFactory().name]), self.account_of([SupplierFactory().name])
		supplier = SupplierFactory().name
		frappe.db.commit()

		outcomes = dict(
			self.run_workers(concurrency.add_supplier, [(first, supplier), (second, supplier)], [1, 1])
		)

		self.assertEqual(sorted(outcomes.values())[-1], "saved", outcomes)
		refused = sorted(outcomes.values())[0]
		self.assertIn("already belongs to key account", refused, outcomes)
		winner = next(account for account, outcome in outcomes.items() if outcome == "saved")
		self.assertEqual(frappe.db.get_value("Supplier", supplier, "key_account"), winner)


class TestMembershipAndSubmitRace(CommittedDataTestCase):
	"""A supplier joins an account while its invoice is being submitted: either way round, the
	invoice ends up in the ledger at once (not only after the weekly repair)."""

	def start_old_transaction(self, task: str, argument):
		ready, go, results = SPAWN.Event(), SPAWN.Event(), SPAWN.Queue()
		worker = SPAWN.Process(
			target=concurrency.in_an_old_transaction,
			args=(*self.site_args(), task, argument, ready, go, results),
		)
		worker.start()
		self.assertTrue(ready.wait(timeout=120))
		return worker, go, results

	def setUp(self):
		super().setUp()
		self.supplier = SupplierFactory().name
		self.account = self.account_of([SupplierFactory().name])
		self.invoice = self.draft_invoice(self.supplier, 6 * MILLION)
		frappe.db.commit()

	def add_supplier_to_account(self):
		account = frappe.get_doc("Key Account", self.account)
		account.append("suppliers", {"supplier": self.supplier})
		account.save()
		frappe.db.commit()

	def test_a_submit_that_began_before_the_supplier_joined_is_counted(self):
		worker, go, results = self.start_old_transaction("submit", self.invoice)
		self.add_supplier_to_account()  # commits while the submit's transaction is open
		go.set()
		self.assertEqual(results.get(timeout=120), "submitted")
		worker.join(timeout=60)
		frappe.db.rollback()
		self.assertTrue(frappe.db.exists("Key Account Purchase Entry", self.invoice))
		self.assertEqual(self.account_figures(self.account), ("Ordinary", 6 * MILLION))

	def test_a_supplier_joining_in_a_transaction_older_than_the_submit_brings_the_invoice(self):
		frappe.db.sql("SELECT name FROM `tabPurchase Invoice` LIMIT 1")  # this transaction's snapshot
		barrier, results = SPAWN.Barrier(1), SPAWN.Queue()
		worker = SPAWN.Process(
			target=concurrency.submit_purchase_invoice,
			args=(*self.site_args(), self.invoice, barrier, results),
		)
		worker.start()
		self.assertEqual(results.get(timeout=120), (self.invoice, "submitted"))
		worker.join(timeout=60)
		self.add_supplier_to_account()  # in the transaction that began before the submit
		frappe.db.rollback()
		self.assertTrue(frappe.db.exists("Key Account Purchase Entry", self.invoice))
		self.assertEqual(self.account_figures(self.account), ("Ordinary", 6 * MILLION))
		self.assertFalse(verify_all().missing_entries)

	def test_a_submit_waiting_for_a_joining_supplier_is_counted_without_a_deadlock(self):
		"""A finance user's submit holds its draft invoice's row and waits for the supplier's lock,
		which a Key Account Manager's save of the joining account holds; the save reads the supplier's
		submitted invoices, which must not wait for that draft in turn."""
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		finance = UserFactory(roles_held=["Accounts User", "Purchase User"]).name
		frappe.db.commit()
		ready, go, joined = SPAWN.Event(), SPAWN.Event(), SPAWN.Queue()
		joiner = SPAWN.Process(
			target=concurrency.join_holding_the_supplier,
			args=(*self.site_args(), self.account, self.supplier, ready, go, joined, manager),
		)
		joiner.start()
		self.assertTrue(ready.wait(timeout=120))
		barrier, submitted = SPAWN.Barrier(1), SPAWN.Queue()
		submitter = SPAWN.Process(
			target=concurrency.submit_purchase_invoice,
			args=(*self.site_args(), self.invoice, barrier, submitted, finance),
		)
		submitter.start()
		self.wait_until_locked_by_another_transaction(self.invoice)
		go.set()

		self.assertEqual(joined.get(timeout=120), "saved")
		self.assertEqual(submitted.get(timeout=120), (self.invoice, "submitted"))
		for worker in (joiner, submitter):
			worker.join(timeout=60)
		frappe.db.rollback()
		self.assertEqual(self.account_figures(self.account), ("Ordinary", 6 * MILLION))
		self.assertEqual(frappe.db.get_value("Purchase Invoice", self.invoice, "key_account"), self.account)

	def wait_until_locked_by_another_transaction(self, invoice: str):
		"""Until a submit has taken the invoice's row (Frappe locks it before validating)."""
		for _attempt in range(600):
			try:
				frappe.db.sql(
					"SELECT name FROM `tabPurchase Invoice` WHERE name = %s FOR UPDATE NOWAIT", invoice
				)
			except Exception:
				frappe.db.rollback()
				return
			frappe.db.rollback()
			time.sleep(0.1)
		self.fail(f"no submit took {invoice} within a minute")


class TestBandsCannotBeStale(CommittedDataTestCase):
	"""A request whose transaction began before a band change reads the settings after it commits."""

	def setUp(self):
		super().setUp()
		settings = frappe.get_single("Key Account Settings")
		self.original_bands = [(row.tier, row.lower_bound) for row in settings.tier_bands]
		self.addCleanup(self.restore_bands)
		self.supplier = SupplierFactory().name
		self.account = self.account_of([self.supplier])
		self.invoice = self.draft_invoice(self.supplier, 12 * MILLION)
		frappe.db.commit()

	def set_bands(self, bands):
		settings = frappe.get_single("Key Account Settings")
		settings.tier_bands = []
		for tier, bound in bands:
			settings.append("tier_bands", {"tier": tier, "lower_bound": bound})
		settings.save()
		frappe.db.commit()

	def restore_bands(self):
		frappe.db.rollback()
		self.set_bands(self.original_bands)

	def test_a_posting_in_an_older_transaction_uses_the_new_bands_and_leaves_no_old_ones_behind(self):
		new_bands = [("Ordinary", 5 * MILLION), ("Partner", 10 * MILLION), ("Strategic", 50 * MILLION)]
		ready, go, results = SPAWN.Event(), SPAWN.Event(), SPAWN.Queue()
		worker = SPAWN.Process(
			target=concurrency.in_an_old_transaction,
			args=(*self.site_args(), "submit_and_read_bands", self.invoice, ready, go, results),
		)
		worker.start()
		self.assertTrue(ready.wait(timeout=120))
		self.set_bands(new_bands)  # commits while the worker's transaction is open
		go.set()
		seen = results.get(timeout=120)
		worker.join(timeout=60)
		frappe.db.rollback()

		self.assertEqual(seen, [(tier, float(bound)) for tier, bound in new_bands])
		self.assertEqual(self.account_figures(self.account), ("Partner", 12 * MILLION))
		# Later postings, kam-verify and kam-recompute read the bands in force, not a stale copy.
		from key_account_mgmt.tiering.settings import get_tiering_settings

		self.assertEqual([band.tier for band in get_tiering_settings().bands], [b[0] for b in new_bands])
		self.assertEqual(get_tiering_settings().bands[1].lower_bound, 10 * MILLION)
		self.assertFalse({name for name, _s, _e in verify_all().accounts} & {self.account})

	def test_a_band_change_waits_for_a_posting_that_holds_its_account(self):
		"""The lock order: a band change takes every account before the settings, so a posting that
		holds its account and then reads the bands finishes first instead of deadlocking with it."""
		ready, results = SPAWN.Event(), SPAWN.Queue()
		worker = SPAWN.Process(
			target=concurrency.hold_account_then_read_bands,
			args=(*self.site_args(), self.account, ready, results),
		)
		worker.start()
		self.assertTrue(ready.wait(timeout=120))
		self.set_bands([("Ordinary", 1 * MILLION), ("Partner", 2 * MILLION)])
		seen = results.get(timeout=120)
		worker.join(timeout=60)
		self.assertEqual(seen, [(tier, float(bound)) for tier, bound in self.original_bands])
		self.assertEqual(
			[(row.tier, row.lower_bound) for row in frappe.get_single("Key Account Settings").tier_bands],
			[("Ordinary", 1 * MILLION), ("Partner", 2 * MILLION)],
		)
