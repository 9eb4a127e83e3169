"""Reports and the One-to-One print read from a MariaDB replica when the site sets
`read_from_replica`; postings and tiers only ever touch the primary, so a replica that lags behind
changes what a report shows for a moment and never a tier.

The test builds what a production site has: a primary with a binary log and a real replica of it
(CHANGE MASTER TO, read-only), both MariaDB servers of its own, a copy of this test site on the
primary, and the site configured with `read_from_replica`, `replica_host` and `replica_db_port` (the
keys frappe.connect_replica reads in Frappe 15.12 and 15.74). Every request runs in a process of its
own, as a web request does."""

import multiprocessing
import os

import frappe

from key_account_mgmt.tests import replication
from key_account_mgmt.tests.mariadb_instance import (
	MariaDBInstance,
	clone_site,
	drop_site_clone,
	free_port,
)
from key_account_mgmt.tests.utils import SiteTestCase

MILLION = 1_000_000
SPAWN = multiprocessing.get_context("spawn")


class TestReadReplica(SiteTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.sites_path = os.path.abspath(frappe.local.sites_path)
		cls.primary = MariaDBInstance(free_port(), server_id=21, log_bin=True)
		cls.addClassCleanup(cls.primary.cleanup)
		cls.primary.start()
		cls.replica = MariaDBInstance(free_port(), server_id=22)
		cls.addClassCleanup(cls.replica.cleanup)
		cls.replica.start()
		replication.start_replication(cls.primary, cls.replica)

		cls.site = f"replica-{cls.primary.port}.{frappe.local.site}"
		cls.addClassCleanup(drop_site_clone, cls.site, cls.primary, sites_path=cls.sites_path)
		clone_site(frappe.local.site, cls.site, cls.primary, sites_path=cls.sites_path)
		config_file = os.path.join(cls.sites_path, cls.site, "site_config.json")
		config = frappe.parse_json(open(config_file).read())
		config.update(read_from_replica=1, replica_host="127.0.0.1", replica_db_port=cls.replica.port)
		with open(config_file, "w") as file:
			file.write(frappe.as_json(config))
		cls.db_name = config["db_name"]
		replication.wait_for_replica(cls.primary, cls.replica)

	def request(self, task: str, *arguments):
		results = SPAWN.Queue()
		process = SPAWN.Process(
			target=replication.request, args=(self.site, self.sites_path, task, arguments, results)
		)
		process.start()
		outcome = results.get(timeout=300)
		process.join(timeout=60)
		self.assertFalse(isinstance(outcome, str) and outcome.startswith("error"), outcome)
		return outcome

	def on_replica(self, statement: str) -> str:
		return self.replica.sql(statement, self.db_name)

	def test_reports_and_the_print_read_the_replica_and_postings_the_primary(self):
		supplier, account, manager = self.request("create_account", 8 * MILLION)
		replication.wait_for_replica(self.primary, self.replica)
		self.assertEqual(self.request("register_row", manager, account), ("Ordinary", 8 * MILLION))

		# The replica falls behind: it receives the primary's writes but applies none.
		self.replica.sql("STOP SLAVE SQL_THREAD")
		self.addCleanup(self.replica.sql, "START SLAVE SQL_THREAD")

		# A posting goes to the primary (the replica is read-only: a write there would fail) and moves
		# the tier at once, whatever the replica holds.
		self.assertEqual(self.request("post_invoice", supplier, 12 * MILLION), ("Partner", 20 * MILLION))
		self.assertEqual(
			self.primary.sql(f"SELECT tier FROM `tabKey Account` WHERE name = '{account}'", self.db_name),
			"Partner",
		)
		self.assertEqual(
			self.on_replica(f"SELECT tier FROM `tabKey Account` WHERE name = '{account}'"), "Ordinary"
		)

		# The report and the print's analyses come from the replica: still the old figures.
		self.assertEqual(self.request("register_row", manager, account), ("Ordinary", 8 * MILLION))
		stale = value_section(self.request("one_to_one_print", manager, account))
		self.assertIn("8,000,000", stale)
		self.assertNotIn("20,000,000", stale)

		# Once the replica has caught up, they show the posting.
		self.replica.sql("START SLAVE SQL_THREAD")
		replication.wait_for_replica(self.primary, self.replica)
		self.assertEqual(self.request("register_row", manager, account), ("Partner", 20 * MILLION))
		self.assertIn("20,000,000", value_section(self.request("one_to_one_print", manager, account)))


def value_section(html: str) -> str:
	"""The print's Value Analysis table: figures from one_to_one_figures, not from the document."""
	start = html.index("<h4>Value Analysis</h4>")
	return html[start : html.index("<h4>", start + 1)]
