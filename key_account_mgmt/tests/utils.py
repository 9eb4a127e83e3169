import copy
import os
import unittest

import frappe


class SiteTestCase(unittest.TestCase):
	"""What Frappe's own base class (FrappeTestCase in 15, deprecated in 16 for IntegrationTestCase,
	which 15 lacks) does that these tests use, on a plain unittest.TestCase that both versions accept:
	the site is the one conftest.py connected to; what a class leaves uncommitted is rolled back, and
	the request's flags, messages and language are reset after it. No test records are generated."""

	maxDiff = 10_000

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.db.commit()  # what came before stays out of this class's rollback
		cls.addClassCleanup(restore_request_state, copy.deepcopy(frappe.local.flags))
		cls.addClassCleanup(frappe.db.rollback)


def restore_request_state(flags) -> None:
	frappe.local.flags = flags
	frappe.local.error_log = []
	frappe.local.message_log = []
	frappe.local.debug_log = []
	frappe.local.lang = "en"
	if hasattr(frappe.local, "request"):
		delattr(frappe.local, "request")


CLASS_RECORDS = "kam_class_records"


class KeyAccountTestCase(SiteTestCase):
	"""Each test runs as Administrator and leaves nothing behind: its writes are rolled back.

	What every test of a class only reads (users, sample records) can be made once for the class in
	`make_class_records`: each test then runs in a savepoint taken after them and is rolled back to it,
	and the records go with the class's own rollback. A test there must not commit (the savepoint would
	be gone, and the rollback to it fails the test). Worth it wherever a test makes users: on Frappe 15.12
	every User save (User.validate sets a system default) clears the whole site cache, doctype metadata
	included, which every later step then rebuilds."""

	@classmethod
	def make_class_records(cls):
		"""Records that every test of the class reads; made as Administrator before the first test."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.class_records = (
			cls.make_class_records.__func__ is not KeyAccountTestCase.make_class_records.__func__
		)
		if cls.class_records:
			# after the class's rollback, no cached document may still show what it undid
			cls.addClassCleanup(roll_back_class_records)
			frappe.set_user("Administrator")
			try:
				cls.make_class_records()
			finally:
				frappe.set_user("Administrator")

	def setUp(self):
		# a cleanup, unlike tearDown, also runs when a subclass's setUp fails half-way
		self.addCleanup(self.roll_back)
		if self.class_records:
			frappe.db.savepoint(CLASS_RECORDS)
			self.class_records_writes = frappe.db.transaction_writes
		frappe.set_user("Administrator")
		frappe.local.message_log = []

	def roll_back(self):
		if self.class_records:
			# as a full rollback does: nothing the test queued for a commit runs, and the caches of
			# what it wrote are cleared
			frappe.db.before_commit.reset()
			frappe.db.after_commit.reset()
			rollback_to_savepoint(CLASS_RECORDS, self.class_records_writes)
			frappe.db.after_rollback.run()
		else:
			frappe.db.rollback()
		frappe.set_user("Administrator")
		# Cached documents may hold what the rollback undid.
		frappe.clear_document_cache("Key Account Settings", "Key Account Settings")
		# Redis is not rolled back: the re-evaluation a settings save queued goes with the test.
		remove_queued_reevaluations()

	def account(self, name: str):
		return frappe.get_doc("Key Account", name)

	def messages(self) -> list[str]:
		return [frappe.parse_json(message).get("message", "") for message in frappe.local.message_log]


def rollback_to_savepoint(save_point: str, writes: int) -> None:
	"""Back to `save_point`, taken when this transaction had made `writes` writes, and Frappe's count of
	them set back to that. Frappe counts every statement that begins with ROLLBACK as a full rollback
	(the count goes to 0), yet what was written before the savepoint stays in the transaction. Under
	snapshot isolation a Key Account save begins afresh when the count says nothing was written
	(tiering/snapshot.py), which would roll those writes back, the savepoints with them."""
	frappe.db.rollback(save_point=save_point)
	frappe.db.transaction_writes = writes


def roll_back_class_records() -> None:
	frappe.db.rollback()
	frappe.clear_cache()


def set_tier_bands(bands: dict[str, float]) -> None:
	"""Puts `bands` ({tier: lower bound}) in Key Account Settings; the test's rollback restores the old ones."""
	settings = frappe.get_single("Key Account Settings")
	settings.set("tier_bands", [{"tier": tier, "lower_bound": bound} for tier, bound in bands.items()])
	settings.save()
	run_queued_reevaluation()


def run_queued_reevaluation() -> None:
	"""A settings change re-evaluates every account in a job on the long queue. Run what the job runs,
	now and in the test's transaction (the job itself commits each account), as the worker would after
	the save, and take the job out of the queue."""
	from key_account_mgmt.tiering.reevaluation import reevaluate_accounts

	for cause in remove_queued_reevaluations():
		reevaluate_accounts(cause, commit=False)


def remove_queued_reevaluations() -> list[str]:
	"""Takes this site's queued re-evaluations out of the long queue; returns their causes."""
	from frappe.utils.background_jobs import get_queue
	from rq.job import Job

	from key_account_mgmt.tiering.reevaluation import QUEUE, queued_jobs

	queue = get_queue(QUEUE)
	causes = []
	for job_id in queued_jobs():
		job = Job.fetch(job_id, connection=queue.connection)
		causes.append(job.kwargs["kwargs"]["cause"])
		queue.remove(job_id)
		job.delete()
	return causes


def running_in_ci() -> bool:
	"""Under CI nothing that proves the product may skip: a missing tool is a failure there."""
	return os.environ.get("CI", "").lower() not in ("", "0", "false")
