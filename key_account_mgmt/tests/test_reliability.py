"""The reliability suite's fast variants (issue 12); benchmarks/soak.py runs the full ones and prints
figures. Real processes, real submitted Purchase Invoices, a real second MariaDB server; every check
of the totals is the independent recomputation in plain SQL (tests/reliability.py), not the engine's.

The tests with processes run on a copy of the test site on a MariaDB server of their own
(tests/mariadb_instance.py): the processes commit, and that server may be killed and restarted,
which the main server on 3306 never is. The random run needs no processes: it runs in the test
site, each operation in a savepoint, and the test's rollback removes it."""

import os
import signal
import time

import frappe

from key_account_mgmt.tests import concurrency, reliability
from key_account_mgmt.tests.factories import KeyAccountFactory, SupplierFactory, UserFactory
from key_account_mgmt.tests.mariadb_instance import MariaDBInstance, clone_site, drop_site_clone, free_port
from key_account_mgmt.tests.utils import KeyAccountTestCase

MILLION = reliability.MILLION
PROCESSES = reliability.process_context()


def random_operations() -> int:
	return int(os.environ.get("KAM_RELIABILITY_OPERATIONS") or 200)


class TestRandomizedRun(KeyAccountTestCase):
	"""Hundreds of operations in a seeded random order; the independent recomputation after every 60
	and at the end."""

	def test_a_random_run_leaves_no_drift(self):
		seed = reliability.seed_from_environment()
		context = f"seed {seed} (repeat with KAM_RELIABILITY_SEED={seed})"
		accounts, suppliers, item = reliability.prepare(accounts=4, suppliers_per_account=2, free_suppliers=3)
		run = reliability.RandomRun(seed, accounts, suppliers, item, commit=False)
		total = random_operations()
		while run.figures.operations < total:
			run.run(min(60, total - run.figures.operations))
			drift = reliability.independent_drift(accounts=accounts)
			self.assertEqual(
				drift,
				[],
				f"{context}: drift after operation {run.figures.operations}; the last ones:\n"
				+ "\n".join(run.log[-10:] + drift),
			)
		self.assertEqual(dict(run.figures.failures), {}, f"{context}: {run.figures.examples}")
		self.assertGreaterEqual(len(run.figures.done), 8, f"{context}: {run.figures.done}")


class TestLockedTierAfterABandChange(KeyAccountTestCase):
	"""Found by the random run: a band change that took away the tier an account was locked at made
	every later save of that account fail with "Locked tier must be one of …"."""

	def test_a_manager_still_edits_an_account_locked_at_a_tier_the_bands_no_longer_have(self):
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		account = KeyAccountFactory(
			tier_locked=1, locked_tier="Strategic", lock_reason="Group agreement"
		).name
		supplier = SupplierFactory().name
		frappe.set_user(manager)
		settings = frappe.get_doc("Key Account Settings")
		settings.tier_bands = settings.tier_bands[:2]  # Ordinary and Partner
		settings.save()
		reliability.run_settings_reevaluation(commit=False)

		doc = frappe.get_doc("Key Account", account)
		doc.append("suppliers", {"supplier": supplier})
		doc.save()

		self.assertEqual(len(frappe.get_doc("Key Account", account).suppliers), 2)
		self.assertEqual(frappe.db.get_value("Key Account", account, "tier"), "Strategic")
		doc.locked_tier = "Ordinary"
		doc.save()
		doc.locked_tier = "Strategic"
		with self.assertRaisesRegex(frappe.ValidationError, "Locked tier must be one of Ordinary, Partner"):
			doc.save()


class TestOnASecondServer(KeyAccountTestCase):
	"""Processes submitting on a copy of the test site, on a MariaDB server this class starts."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sites_path = os.path.abspath(frappe.local.sites_path)
		cls.instance = MariaDBInstance(free_port())
		cls.addClassCleanup(cls.instance.cleanup)
		cls.instance.start()
		cls.clone = f"reliability-{cls.instance.port}.{frappe.local.site}"
		cls.addClassCleanup(drop_site_clone, cls.clone, cls.instance, sites_path=cls.sites_path)
		clone_site(frappe.local.site, cls.clone, cls.instance, sites_path=cls.sites_path)
		cls.clone_db = frappe.parse_json(
			open(os.path.join(cls.sites_path, cls.clone, "site_config.json")).read()
		).db_name

	def run_process(self, target, *args):
		process = PROCESSES.Process(target=target, args=(self.clone, self.sites_path, *args))
		process.start()
		self.addCleanup(stop_process, process)
		return process

	def make_accounts(self, layout: list[list[list[float]]]) -> list[tuple[str, list[list[str]]]]:
		"""Accounts, suppliers and drafts on the copy (see reliability.make_accounts), one process per
		account at once."""
		queues = [PROCESSES.Queue() for _ in layout]
		for suppliers, results in zip(layout, queues, strict=True):
			self.run_process(reliability.make_accounts, [suppliers], results)
		made = []
		for results in queues:
			outcome = results.get(timeout=300)
			self.assertNotIn("error", outcome, outcome)
			made += outcome
		return made

	def check(self, accounts: list[str], draft: str | None = None) -> dict:
		"""The independent recomputation and kam-verify on the copy, after submitting `draft` there."""
		results = PROCESSES.Queue()
		self.run_process(reliability.check_site, accounts, draft, results)
		outcome = results.get(timeout=300)
		self.assertNotIn("error", outcome, outcome.get("error"))
		self.assertEqual((outcome["drift"], outcome["verify"]), ([], []))
		return outcome

	def submit_at_once(self, plan: list[list[str]]) -> list[tuple]:
		barrier, results = PROCESSES.Barrier(len(plan)), PROCESSES.Queue()
		for names in plan:
			self.run_process(concurrency.submit_purchase_invoices, names, barrier, results)
		return [results.get(timeout=300) for _ in range(sum(len(names) for names in plan))]

	def test_sixteen_processes_on_three_accounts_see_no_deadlock_and_totals_stay_exact(self):
		"""16 processes submit at the same instant on 3 accounts of 2 suppliers: most post to an account
		that others post to at that moment, and each account crosses two bands. On the first day of a
		year, so that the postings also log the year's first tier changes together."""
		self.start_a_new_year()
		# process p posts to account p % 3, with supplier p % 2 of it
		layout = [[[], []] for _ in range(3)]
		for process in range(16):
			layout[process % 3][process % 2].append(4 * MILLION + process * 1000 + 0.37)
		made = self.make_accounts(layout)
		drafts = {
			(account, supplier): list(names)
			for account, (_name, per_supplier) in enumerate(made)
			for supplier, names in enumerate(per_supplier)
		}

		outcomes = self.submit_at_once([[drafts[(p % 3, p % 2)].pop(0)] for p in range(16)])

		failed = [outcome for outcome in outcomes if outcome[1] != "submitted"]
		self.assertEqual(failed, [], f"{len(failed)} of 16 submits failed")
		accounts = [account for account, _drafts in made]
		figures = self.check(accounts)["figures"]
		for account, suppliers in zip(accounts, layout, strict=True):
			expected = round(sum(amount for amounts in suppliers for amount in amounts), 2)
			self.assertEqual(figures[account], ("Partner", expected), account)

	def start_a_new_year(self):
		"""As on 1 January: no tier change is named after the current year yet."""
		year = frappe.utils.getdate().year
		self.instance.sql(
			f"DELETE FROM `tabKey Account Tier Change` WHERE name LIKE 'KATC-{year}-%';"
			f"DELETE FROM `tabSeries` WHERE name = 'KATC-{year}-';",
			database=self.clone_db,
		)

	def test_two_postings_naming_the_years_first_tier_change_at_once_see_no_deadlock(self):
		"""Frappe's getseries reads the series row FOR UPDATE, then inserts it when missing. Two postings
		that both read the missing row of the new year before either inserted it held gap locks that
		each one's INSERT waits for: one of them got "Deadlock found". Both are stopped right after
		that read here, then let go together."""
		self.start_a_new_year()
		holding, release, results = (
			[PROCESSES.Event(), PROCESSES.Event()],
			PROCESSES.Event(),
			PROCESSES.Queue(),
		)
		self.run_process(reliability.name_tier_change_in_two_steps, holding[0], release, results)
		self.assertTrue(holding[0].wait(timeout=120))
		self.run_process(reliability.name_tier_change_in_two_steps, holding[1], release, results)
		holding[1].wait(timeout=5)  # it gets there only when the read takes no lock on the row itself
		release.set()
		outcomes = [results.get(timeout=120) for _ in range(2)]

		self.assertEqual([outcome[1] for outcome in outcomes], ["named", "named"], outcomes)
		year = frappe.utils.getdate().year
		self.assertEqual(
			sorted(name for name, _named in outcomes), [f"KATC-{year}-00001", f"KATC-{year}-00002"]
		)

	def test_a_submit_killed_with_its_transaction_open_leaves_exact_totals_and_a_usable_site(self):
		"""A process submits and is killed with SIGKILL before it commits, holding the account's lock;
		a second process already waits to post to the same account. The server rolls the dead one
		back: the waiting submit goes through, the killed invoice is still a draft that the next user
		submits, and the totals are exact."""
		[(account, [[killed, waiting]])] = self.make_accounts([[[12 * MILLION, 9 * MILLION + 0.5]]])

		holding, results = PROCESSES.Event(), PROCESSES.Queue()
		victim = self.run_process(reliability.submit_and_hold, killed, holding, results)
		self.assertTrue(holding.wait(timeout=120), "the submit did not get as far as holding its locks")
		barrier = PROCESSES.Barrier(2)
		self.run_process(concurrency.submit_purchase_invoices, [waiting], barrier, results)
		barrier.wait(timeout=120)
		time.sleep(2)  # the second submit runs into the first one's locks
		self.assertTrue(results.empty(), "the second submit did not wait for the first one's locks")
		os.kill(victim.pid, signal.SIGKILL)
		victim.join(timeout=30)
		self.assertEqual(victim.exitcode, -signal.SIGKILL)

		self.assertEqual(results.get(timeout=120), (waiting, "submitted"))
		outcome = self.check([account])
		self.assertEqual(outcome["docstatus"][killed], 0)
		self.assertEqual(outcome["figures"][account], ("Ordinary", 9 * MILLION + 0.5))
		outcome = self.check([account], draft=killed)
		self.assertEqual(outcome["figures"][account], ("Partner", 21 * MILLION + 0.5))

	def test_submits_through_a_database_restart_leave_exact_totals_and_a_usable_site(self):
		"""4 processes submit 16 invoices on 2 accounts; the server restarts after the first few. A
		submit that lost its connection fails, and its user submits again once the server is back."""
		made = self.make_accounts([[[1.5 * MILLION + index for index in range(4)]] * 2] * 2 + [[[1000.25]]])
		accounts = [account for account, _drafts in made]
		drafts = [name for _account, per_supplier in made[:2] for names in per_supplier for name in names]
		extra = made[2][1][0][0]

		barrier, results = PROCESSES.Barrier(5), PROCESSES.Queue()
		workers = [
			self.run_process(reliability.submit_through_outages, drafts[index::4], barrier, results)
			for index in range(4)
		]
		barrier.wait(timeout=120)
		outcomes, submitted = [], set()
		while len(submitted) < 3:  # the submits are under way
			outcomes.append(results.get(timeout=300))
			submitted |= {outcomes[-1][0]} if outcomes[-1][1] == "submitted" else set()
		self.instance.restart()
		while len(submitted) < len(drafts):
			outcomes.append(results.get(timeout=300))
			submitted |= {outcomes[-1][0]} if outcomes[-1][1] == "submitted" else set()
		for worker in workers:
			worker.join(timeout=60)

		failures = [outcome for outcome in outcomes if outcome[1] != "submitted"]
		self.assertTrue(failures, "no submit ran into the restart")
		self.assertEqual({failure[1] for failure in failures} - reliability.OUTAGE_KINDS, set(), failures)
		outcome = self.check(accounts, draft=extra)
		self.assertEqual({outcome["docstatus"][name] for name in [*drafts, extra]}, {1})


def stop_process(process) -> None:
	if process.is_alive():
		process.kill()
	process.join(timeout=30)
