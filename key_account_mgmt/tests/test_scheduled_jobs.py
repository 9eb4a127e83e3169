"""The engine's scheduled jobs on the long queue, with several workers: Frappe's scheduler queues each
job type once (a job id per method, checked before queueing), and two runs that meet anyway are made
safe by the account row locks: the second waits for the first and finds nothing left to do."""

import frappe
from frappe.utils.background_jobs import create_job_id, get_queue
from rq.job import Job

from key_account_mgmt.tests import concurrency
from key_account_mgmt.tests.factories import PurchaseInvoiceFactory, SupplierFactory
from key_account_mgmt.tests.test_concurrency import CommittedDataTestCase
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.evaluation import Cause

MILLION = 1_000_000
DAILY = "key_account_mgmt.tiering.evaluation.reevaluate_all_accounts_daily"
WEEKLY = "key_account_mgmt.tiering.maintenance.reconcile_weekly"


class TestEngineJobsOnTheLongQueue(KeyAccountTestCase):
	def test_the_daily_reevaluation_and_the_weekly_repair_run_on_the_long_queue(self):
		for method in (DAILY, WEEKLY):
			job_type = frappe.get_doc("Scheduled Job Type", {"method": method})
			self.assertEqual(job_type.get_queue_name(), "long", method)

	def test_the_scheduler_queues_a_job_type_once_until_it_has_run(self):
		job_type = frappe.get_doc("Scheduled Job Type", {"method": DAILY})
		queue = get_queue("long")
		job_id = create_job_id(job_type.rq_job_id)  # the site's prefix differs between 15 and 16
		self.addCleanup(remove_job, queue, job_id)
		remove_job(queue, job_id)

		self.assertTrue(job_type.enqueue(force=True))
		self.assertFalse(job_type.enqueue(force=True))  # another tick, or another machine's scheduler
		self.assertEqual(queue.get_job_ids().count(job_id), 1)


def remove_job(queue, job_id: str) -> None:
	queue.remove(job_id)
	if Job.exists(job_id, connection=queue.connection):
		Job.fetch(job_id, connection=queue.connection).delete()


class TestTwoDailyRunsAtOnce(CommittedDataTestCase):
	def test_two_workers_running_the_daily_job_at_once_change_and_log_a_tier_once(self):
		supplier = SupplierFactory().name
		account = self.account_of([supplier])
		self.invoices.append(PurchaseInvoiceFactory(supplier=supplier, amount=8 * MILLION).name)
		# what a day's passing does: the stored tier no longer what the purchases give
		frappe.db.sql(
			"UPDATE `tabKey Account` SET tier = 'Partner', computed_tier = 'Partner' WHERE name = %s", account
		)
		frappe.db.commit()

		outcomes = self.run_workers(
			concurrency.run_scheduled_method, [(DAILY,), (DAILY,)], outcomes_each=[1, 1]
		)

		self.assertEqual(outcomes, ["done", "done"])
		self.assertEqual(self.account_figures(account), ("Ordinary", 8 * MILLION))
		changes = frappe.get_all(
			"Key Account Tier Change",
			filters={"key_account": account, "cause": Cause.DAILY},
			fields=["from_tier", "to_tier"],
		)
		self.assertEqual(changes, [{"from_tier": "Partner", "to_tier": "Ordinary"}])
