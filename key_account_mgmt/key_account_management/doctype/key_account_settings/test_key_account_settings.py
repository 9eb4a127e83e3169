# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import json
import multiprocessing

import frappe
from frappe.realtime import get_doc_room
from frappe.utils import get_datetime, getdate
from frappe.utils.background_jobs import get_queue, get_redis_connection_without_auth
from rq.job import Job
from rq.registry import StartedJobRegistry

from key_account_mgmt.tests import concurrency
from key_account_mgmt.tests.factories import (
	ItemFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
	currency_exchange,
)
from key_account_mgmt.tests.test_concurrency import CommittedDataTestCase
from key_account_mgmt.tests.utils import (
	KeyAccountTestCase,
	remove_queued_reevaluations,
	run_queued_reevaluation,
)
from key_account_mgmt.tiering.evaluation import Cause
from key_account_mgmt.tiering.maintenance import verify_all
from key_account_mgmt.tiering.reevaluation import (
	METHOD,
	QUEUE,
	queued_jobs,
	reevaluate_accounts,
	reevaluation_status,
)

MILLION = 1_000_000


class TestTierBands(KeyAccountTestCase):
	def settings_with_bands(self, *bands):
		settings = frappe.get_single("Key Account Settings")
		settings.tier_bands = []
		for tier, bound in bands:
			settings.append("tier_bands", {"tier": tier, "lower_bound": bound})
		return settings

	def test_bands_out_of_order_are_refused_with_the_row(self):
		settings = self.settings_with_bands(("Ordinary", 5 * MILLION), ("Partner", 5 * MILLION))
		self.assertRaisesRegex(frappe.ValidationError, "Partner.*in row 2 must start above", settings.save)

	def test_a_band_without_a_positive_bound_is_refused(self):
		settings = self.settings_with_bands(("Ordinary", 0))
		self.assertRaisesRegex(frappe.ValidationError, "needs a lower bound above zero", settings.save)

	def test_a_band_named_twice_is_refused(self):
		settings = self.settings_with_bands(("Ordinary", 5 * MILLION), ("ordinary", 9 * MILLION))
		self.assertRaisesRegex(frappe.ValidationError, "is named twice", settings.save)

	def test_no_bands_is_refused(self):
		settings = self.settings_with_bands()
		self.assertRaises(frappe.ValidationError, settings.save)

	def test_editing_bands_reevaluates_every_account_and_logs_it(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		PurchaseInvoiceFactory(supplier=supplier, amount=18 * MILLION)
		self.assertEqual(frappe.db.get_value("Key Account", account, "tier"), "Ordinary")
		self.settings_with_bands(
			("Ordinary", 5 * MILLION), ("Partner", 15 * MILLION), ("Strategic", 50 * MILLION)
		).save()
		run_queued_reevaluation()
		self.assertEqual(frappe.db.get_value("Key Account", account, "tier"), "Partner")
		change = frappe.get_last_doc("Key Account Tier Change", filters={"key_account": account})
		self.assertEqual(
			(change.from_tier, change.to_tier, change.cause), ("Ordinary", "Partner", Cause.BAND_CHANGE)
		)
		self.assertEqual(frappe.db.get_value("Supplier", supplier, "key_account_tier"), "Partner")

	def test_the_reevaluation_writes_only_the_accounts_whose_figures_change(self):
		stays, moves = SupplierFactory().name, SupplierFactory().name
		unchanged = KeyAccountFactory(supplier_names=[stays]).name
		changed = KeyAccountFactory(supplier_names=[moves]).name
		PurchaseInvoiceFactory(supplier=stays, amount=6 * MILLION)
		PurchaseInvoiceFactory(supplier=moves, amount=18 * MILLION)
		long_ago = "2000-01-01 00:00:00"
		for account in (unchanged, changed):
			frappe.db.sql(
				"UPDATE `tabKey Account` SET last_evaluated = %s WHERE name = %s", (long_ago, account)
			)
		self.settings_with_bands(
			("Ordinary", 5 * MILLION), ("Partner", 15 * MILLION), ("Strategic", 50 * MILLION)
		).save()
		run_queued_reevaluation()
		self.assertEqual(
			frappe.db.get_value("Key Account", unchanged, ["tier", "last_evaluated"]),
			("Ordinary", get_datetime(long_ago)),
		)
		tier, evaluated = frappe.db.get_value("Key Account", changed, ["tier", "last_evaluated"])
		self.assertEqual(tier, "Partner")
		self.assertGreater(evaluated, get_datetime(long_ago))

	def test_a_new_threshold_currency_reconverts_every_purchase(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		PurchaseInvoiceFactory(supplier=supplier, amount=7 * MILLION)
		currency_exchange("USD", "CNY", 7.0, "2000-01-01")
		settings = self.settings_with_bands(("Ordinary", 700_000), ("Partner", 2 * MILLION))
		settings.threshold_currency = "USD"
		settings.save()
		run_queued_reevaluation()
		self.assertEqual(
			frappe.db.get_value("Key Account", account, ["tier", "purchase_amount", "currency"]),
			("Ordinary", 1 * MILLION, "USD"),
		)

	def test_a_posting_before_the_background_job_converts_its_own_account_first(self):
		"""The Save only queues the conversion; a posting that reaches an account before the job never
		sums yuan and dollars together."""
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		finance = UserFactory(roles_held=["Accounts User", "Purchase User"]).name
		posting, waiting = SupplierFactory().name, SupplierFactory().name
		posted_to = KeyAccountFactory(supplier_names=[posting]).name
		left_to_the_job = KeyAccountFactory(supplier_names=[waiting]).name
		PurchaseInvoiceFactory(supplier=posting, amount=7 * MILLION)
		PurchaseInvoiceFactory(supplier=waiting, amount=7 * MILLION)
		currency_exchange("USD", "CNY", 7.0, "2000-01-01")
		item = ItemFactory().name

		frappe.set_user(manager)
		settings = self.settings_with_bands(("Ordinary", 700_000), ("Partner", 2 * MILLION))
		settings.threshold_currency = "USD"
		settings.save()
		self.assertEqual(
			frappe.db.get_value("Key Account", left_to_the_job, ["purchase_amount", "currency"]),
			(7 * MILLION, "CNY"),
		)

		frappe.set_user(finance)
		PurchaseInvoiceFactory(supplier=posting, item=item, amount=7 * MILLION)
		self.assertEqual(
			frappe.db.get_value("Key Account", posted_to, ["tier", "purchase_amount", "currency"]),
			("Partner", 2 * MILLION, "USD"),
		)

		frappe.set_user("Administrator")  # the worker
		run_queued_reevaluation()
		self.assertEqual(
			frappe.db.get_value("Key Account", left_to_the_job, ["tier", "purchase_amount", "currency"]),
			("Ordinary", 1 * MILLION, "USD"),
		)
		self.assertEqual(
			frappe.db.get_value("Key Account", posted_to, ["tier", "purchase_amount"]),
			("Partner", 2 * MILLION),
		)
		self.assertFalse(verify_all())

	def test_only_key_account_managers_and_admins_edit_bands(self):
		clerk = UserFactory(roles_held=["Key Account User", "Accounts Manager"]).name
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		frappe.set_user(clerk)
		settings = self.settings_with_bands(("Ordinary", 1 * MILLION))
		self.assertRaises(frappe.PermissionError, settings.save)
		frappe.set_user(manager)
		self.settings_with_bands(("Ordinary", 1 * MILLION)).save()
		self.assertEqual(frappe.get_single("Key Account Settings").tier_bands[0].lower_bound, 1 * MILLION)

	def test_counting_only_some_companies(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		PurchaseInvoiceFactory(supplier=supplier, amount=6 * MILLION)
		settings = frappe.get_single("Key Account Settings")
		settings.append("companies", {"company": "KAM Global Sourcing"})
		settings.save()
		run_queued_reevaluation()
		self.assertEqual(frappe.db.get_value("Key Account", account, ["tier", "purchase_amount"]), (None, 0))
		self.assertEqual(getdate(frappe.db.get_value("Key Account", account, "window_to")), getdate())

	def test_the_form_learns_that_a_reevaluation_waits(self):
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		reader = UserFactory(roles_held=["Key Account User"]).name
		stranger = UserFactory(roles_held=["Stock User"]).name
		remove_queued_reevaluations()
		frappe.set_user(reader)
		self.assertEqual(reevaluation_status(), {"queued": 0, "running": 0})
		frappe.set_user(manager)
		self.settings_with_bands(("Ordinary", 1 * MILLION)).save()
		frappe.set_user(reader)
		self.assertEqual(reevaluation_status(), {"queued": 1, "running": 0})
		frappe.set_user(stranger)
		self.assertRaises(frappe.PermissionError, reevaluation_status)

	def test_a_save_while_the_job_runs_queues_another(self):
		"""The running job may have passed some accounts with the old bands: a save then queues a new
		job (Frappe's `deduplicate` would not, as it skips started jobs too)."""
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		remove_queued_reevaluations()
		frappe.set_user(manager)
		self.settings_with_bands(("Ordinary", 1 * MILLION)).save()
		[running] = queued_jobs()
		self.start_as_a_worker_would(running)

		self.settings_with_bands(("Ordinary", 2 * MILLION)).save()

		waiting = queued_jobs()
		self.assertEqual(len(waiting), 1)
		self.assertNotEqual(waiting, [running])
		self.assertEqual(reevaluation_status(), {"queued": 1, "running": 1})

	def start_as_a_worker_would(self, job_id: str) -> None:
		"""Take the job off the queue into the started registry, as a worker does before it runs it:
		RQ 1 (Frappe 15) registers the job; RQ 2 (Frappe 16) registers an execution of it, and its
		registry refuses `add`."""
		queue = get_queue(QUEUE)
		job = Job.fetch(job_id, connection=queue.connection)
		queue.remove(job_id)
		self.addCleanup(job.delete)
		registry = StartedJobRegistry(queue=queue)
		if not hasattr(registry, "add_execution"):
			registry.add(job, ttl=60)
			self.addCleanup(registry.remove, job)
			return
		from rq.executions import Execution

		with queue.connection.pipeline() as pipeline:
			execution = Execution.create(job, ttl=60, pipeline=pipeline)
			pipeline.execute()
		self.addCleanup(end_execution, execution, job, queue.connection)


def end_execution(execution, job, connection) -> None:
	with connection.pipeline() as pipeline:
		execution.delete(job=job, pipeline=pipeline)
		pipeline.execute()


class TestReevaluationInTheBackground(CommittedDataTestCase):
	"""A band change saves at once and queues one job on the long queue; that job, run as an RQ worker
	runs it, re-evaluates every account and reports its progress to the settings form. What the job
	does is committed, so the test commits its data and removes it afterwards."""

	def setUp(self):
		super().setUp()
		self.original_bands = [
			(row.tier, row.lower_bound) for row in frappe.get_single("Key Account Settings").tier_bands
		]
		self.addCleanup(self.restore_bands)
		remove_queued_reevaluations()
		self.supplier = SupplierFactory().name
		self.account = self.account_of([self.supplier])
		self.invoices.append(PurchaseInvoiceFactory(supplier=self.supplier, amount=18 * MILLION).name)
		self.manager = UserFactory(roles_held=["Key Account Manager"]).name
		frappe.db.commit()

	def restore_bands(self):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		save_bands(self.original_bands)
		for cause in remove_queued_reevaluations():
			reevaluate_accounts(cause, commit=True)

	def test_saving_bands_queues_one_job_that_reevaluates_every_account(self):
		frappe.set_user(self.manager)
		save_bands([("Ordinary", 5 * MILLION), ("Partner", 15 * MILLION), ("Strategic", 50 * MILLION)])
		save_bands([("Ordinary", 5 * MILLION), ("Partner", 16 * MILLION), ("Strategic", 50 * MILLION)])

		# Both saves returned without re-evaluating; one job waits on the long queue for both.
		self.assertEqual(frappe.db.get_value("Key Account", self.account, "tier"), "Ordinary")
		self.assertTrue(any("in the background" in message for message in self.messages()))
		[job_id] = queued_jobs()
		job = Job.fetch(job_id, connection=get_queue(QUEUE).connection)
		self.assertEqual(job.origin, get_queue(QUEUE).name)
		self.assertEqual(
			(job.kwargs["method"], job.kwargs["kwargs"], job.kwargs["user"]),
			(METHOD, {"cause": Cause.BAND_CHANGE}, self.manager),
		)

		progress = self.progress_published_while(lambda: self.perform(job_id))

		self.assertEqual(frappe.db.get_value("Key Account", self.account, "tier"), "Partner")
		change = frappe.get_last_doc("Key Account Tier Change", filters={"key_account": self.account})
		self.assertEqual(
			(change.from_tier, change.to_tier, change.cause, change.changed_by),
			("Ordinary", "Partner", Cause.BAND_CHANGE, self.manager),
		)
		self.assertEqual(frappe.db.get_value("Supplier", self.supplier, "key_account_tier"), "Partner")
		self.assertTrue(progress)
		self.assertEqual(progress[-1]["percent"], 100)
		self.assertIn("changed tier", progress[-1]["description"])

	def perform(self, job_id: str) -> None:
		get_queue(QUEUE).remove(job_id)  # dequeued, as a worker takes it
		results = multiprocessing.get_context("spawn").Queue()
		worker = multiprocessing.get_context("spawn").Process(
			target=concurrency.perform_job, args=(*self.site_args(), job_id, results)
		)
		worker.start()
		self.assertEqual(results.get(timeout=300), "performed")
		worker.join(timeout=60)
		frappe.db.rollback()  # a fresh snapshot: see what the job committed

	def progress_published_while(self, run) -> list[dict]:
		"""The progress events for the settings form's room, as Frappe's socket.io server receives them."""
		pubsub = get_redis_connection_without_auth().pubsub()
		pubsub.subscribe("events")
		try:
			run()
			events = []
			while message := pubsub.get_message(timeout=1):
				if message["type"] != "message":
					continue
				event = json.loads(message["data"])
				if event["namespace"] == frappe.local.site and event["event"] == "progress":
					events.append(event)
		finally:
			pubsub.close()
		room = get_doc_room("Key Account Settings", "Key Account Settings")
		return [event["message"] for event in events if event["room"] == room]


def save_bands(bands) -> None:
	settings = frappe.get_single("Key Account Settings")
	settings.tier_bands = []
	for tier, bound in bands:
		settings.append("tier_bands", {"tier": tier, "lower_bound": bound})
	settings.save()
	frappe.db.commit()
