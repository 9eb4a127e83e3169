"""Re-evaluating every key account after a band or settings change, in the background on the long
queue, so that the Save request returns at once; the settings form shows the job's progress.

Each account is evaluated under its own row lock, reading the settings afresh after it (the lock
order, see persistence.py), and committed on its own: postings wait for at most one account, and a
posting during the job evaluates its own account with the bands in force. After a change of the
threshold currency, each account's ledger rows are converted under its lock before it is evaluated
(evaluation.convert_ledger), here or by whichever posting reaches the account first.

One queued job is enough: a save finds the job still waiting in the queue and enqueues nothing, as
that job has not read the settings yet. The save holds every account's row until it commits
(key_account_settings.py), so even a job that leaves the queue at that moment evaluates each account
with the saved settings. A job that has already started may have passed some accounts, so a save
then enqueues a new one. Frappe's `deduplicate` skips started jobs too, which would lose that change."""

import frappe
from frappe import _
from frappe.utils.background_jobs import create_job_id, get_queue
from rq.registry import StartedJobRegistry

from key_account_mgmt.jobs import for_each_account
from key_account_mgmt.tiering.evaluation import evaluate_account

QUEUE = "long"
JOB = "key_account_reevaluation"
METHOD = "key_account_mgmt.tiering.reevaluation.reevaluate_every_account"
SETTINGS = "Key Account Settings"
PROGRESS_STEPS = 50


def job_prefix(cause: str | None = None) -> str:
	"""The start of the ids Frappe gives these jobs. `frappe.enqueue` passes `job_id` through
	`create_job_id`, which puts the site in front (`site::id` in Frappe 15, `site||id` in Frappe 16,
	which also writes every `:` of the id as `|`): asked for the prefix, it answers in step with the
	version. `cause` keeps a band change and a currency change apart, so each is logged with its own
	cause."""
	return create_job_id(f"{JOB}::{frappe.scrub(cause)}::" if cause else f"{JOB}::")


def queued_jobs(cause: str | None = None) -> list[str]:
	prefix = job_prefix(cause)
	return [job_id for job_id in get_queue(QUEUE).get_job_ids() if job_id.startswith(prefix)]


def started_jobs() -> list[str]:
	prefix = job_prefix()
	registry = StartedJobRegistry(queue=get_queue(QUEUE))
	return [job_id for job_id in registry.get_job_ids() if job_id.startswith(prefix)]


def enqueue_reevaluation(cause: str) -> bool:
	"""Queue one re-evaluation of every account, unless one for the same cause still waits in the
	queue; returns whether it queued one."""
	if queued_jobs(cause):
		return False
	frappe.enqueue(
		METHOD,
		queue=QUEUE,
		job_id=f"{JOB}::{frappe.scrub(cause)}::{frappe.generate_hash(length=10)}",
		cause=cause,
	)
	return True


def reevaluate_every_account(cause: str) -> None:
	"""The job: every account, each committed on its own."""
	reevaluate_accounts(cause, commit=True)


def reevaluate_accounts(cause: str, commit: bool) -> dict:
	"""Every account under its own lock, one at a time; an account that fails is rolled back and gets
	an Error Log, and the others go on. Progress goes to whoever has the settings form open."""
	accounts = frappe.get_all("Key Account", pluck="name", order_by="name")
	outcome = {"accounts": len(accounts), "changed": 0, "failed": []}
	step = max(1, len(accounts) // PROGRESS_STEPS)

	def evaluate(account: str) -> None:
		result = evaluate_account(account, cause, rewrite=False)
		if result and result.change:
			outcome["changed"] += 1

	for done, account in enumerate(accounts, start=1):
		outcome["failed"] += for_each_account([account], evaluate, "Re-evaluation")
		if commit:
			frappe.db.commit()
		if done % step == 0 or done == len(accounts):
			publish_progress(done, outcome)
	if not accounts:
		publish_progress(0, outcome)
	return outcome


def publish_progress(done: int, outcome: dict) -> None:
	total = outcome["accounts"]
	if done < total:
		description = _("{0} of {1} key accounts re-evaluated").format(done, total)
	else:
		description = _("{0} key accounts re-evaluated, {1} changed tier").format(total, outcome["changed"])
	frappe.publish_progress(
		100 if not total else done * 100 / total,
		title=_("Re-evaluating Key Accounts"),
		doctype=SETTINGS,
		docname=SETTINGS,
		description=description,
	)


@frappe.whitelist()
def reevaluation_status() -> dict:
	"""Whether a re-evaluation waits in the queue or runs, for the settings form."""
	frappe.has_permission(SETTINGS, "read", throw=True)
	return {"queued": len(queued_jobs()), "running": len(started_jobs())}
