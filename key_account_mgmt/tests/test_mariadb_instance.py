"""The throwaway MariaDB server the reliability and replica tests run on (tests/mariadb_instance.py)."""

import json
import os
import subprocess
import sys

import frappe

from key_account_mgmt.tests.mariadb_instance import (
	MariaDBInstance,
	MariaDBInstanceError,
	clone_site,
	drop_site_clone,
	free_port,
)
from key_account_mgmt.tests.utils import SiteTestCase


def count_on_site(site: str, sites_path: str, doctype: str) -> str:
	"""Connect to `site` in a process of its own, as a request would, and count a doctype's rows."""
	code = (
		"import frappe\n"
		f"frappe.init(site={site!r}, sites_path='.')\n"
		"frappe.connect()\n"
		f"print(frappe.db.sql('SELECT @@port')[0][0], frappe.db.count({doctype!r}))\n"
		"frappe.destroy()\n"
	)
	result = subprocess.run(
		[sys.executable, "-c", code], cwd=sites_path, capture_output=True, text=True, timeout=120
	)
	assert result.returncode == 0, result.stderr[-3000:]
	return result.stdout.strip().splitlines()[-1]


class TestMariaDBInstance(SiteTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.instance = MariaDBInstance(free_port())
		cls.addClassCleanup(cls.instance.cleanup)
		cls.instance.start()

	def test_it_has_the_settings_frappe_needs_and_roots_password_over_tcp(self):
		self.assertEqual(
			self.instance.sql("SELECT @@character_set_server, @@collation_server, @@port, @@bind_address"),
			f"utf8mb4\tutf8mb4_unicode_ci\t{self.instance.port}\t127.0.0.1",
		)

	def test_committed_rows_survive_a_restart_and_a_kill(self):
		self.instance.sql(
			"CREATE DATABASE IF NOT EXISTS survival; CREATE OR REPLACE TABLE survival.t (n INT)"
		)
		self.instance.sql("INSERT INTO survival.t VALUES (1)")
		self.instance.restart()
		self.instance.sql("INSERT INTO survival.t VALUES (2)")
		old_pid = self.instance.pid
		self.instance.kill()
		with self.assertRaises(ProcessLookupError):
			os.kill(old_pid, 0)
		self.instance.start()
		self.assertEqual(self.instance.sql("SELECT SUM(n) FROM survival.t"), "3")

	def test_a_second_server_on_the_same_port_is_refused_with_a_clear_error(self):
		other = MariaDBInstance(self.instance.port)
		self.addCleanup(other.cleanup)
		with self.assertRaisesRegex(MariaDBInstanceError, "is in use"):
			other.start()

	def test_a_cloned_site_runs_on_the_instance_with_its_own_database_and_leaves_nothing_when_dropped(self):
		site, sites_path = frappe.local.site, os.path.abspath(frappe.local.sites_path)
		clone = f"clone-{self.instance.port}.{site}"
		self.addCleanup(drop_site_clone, clone, self.instance, sites_path=sites_path)
		clone_site(site, clone, self.instance, sites_path=sites_path)

		config = json.loads(open(os.path.join(sites_path, clone, "site_config.json")).read())
		self.assertNotEqual(config["db_name"], frappe.conf.db_name)
		self.assertNotEqual(config["db_password"], frappe.conf.db_password)
		self.assertEqual(
			(config["db_host"], config["db_port"], config["allow_tests"]),
			("127.0.0.1", self.instance.port, True),
		)
		self.assertEqual(
			count_on_site(clone, sites_path, "DocType"), f"{self.instance.port} {frappe.db.count('DocType')}"
		)

		drop_site_clone(clone, self.instance, sites_path=sites_path)
		self.assertFalse(os.path.exists(os.path.join(sites_path, clone)))
		self.assertEqual(self.instance.sql(f"SHOW DATABASES LIKE '{config['db_name']}'"), "")

	def test_cleanup_removes_everything_it_wrote(self):
		instance = MariaDBInstance(free_port())
		self.addCleanup(instance.cleanup)
		instance.start()
		self.assertTrue((instance.datadir / "mysql").is_dir())
		instance.cleanup()
		self.assertFalse(instance.is_running())
		self.assertFalse(instance.base_dir.exists())
