"""A MariaDB primary and a real replica of it (binary log, CHANGE MASTER TO) on servers of a test's
own (tests/mariadb_instance.py), and the requests the replica test makes to a site on them: each in a
process of its own with its own connections, as a web request is."""

import subprocess
import time

import frappe

from key_account_mgmt.tests.mariadb_instance import MariaDBInstance, MariaDBInstanceError

REPLICATION_USER = "kam_replication"
REPLICATION_PASSWORD = "kam-replication"
CATCH_UP_SECONDS = 120


def start_replication(primary: MariaDBInstance, replica: MariaDBInstance) -> None:
	"""Make `replica` replicate everything `primary` writes from now on, read-only for every user but
	the replication thread (and root)."""
	primary.sql(
		f"CREATE USER IF NOT EXISTS '{REPLICATION_USER}'@'%' IDENTIFIED BY '{REPLICATION_PASSWORD}';"
		f"GRANT REPLICATION SLAVE ON *.* TO '{REPLICATION_USER}'@'%';"
	)
	log_file, position = binlog_position(primary)
	replica.sql(
		f"""CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = {primary.port},
			MASTER_USER = '{REPLICATION_USER}', MASTER_PASSWORD = '{REPLICATION_PASSWORD}',
			MASTER_LOG_FILE = '{log_file}', MASTER_LOG_POS = {position}, MASTER_USE_GTID = no;
		SET GLOBAL read_only = ON;
		START SLAVE;"""
	)


def binlog_position(primary: MariaDBInstance) -> tuple[str, int]:
	log_file, position, *_ = primary.sql("SHOW MASTER STATUS").split("\t")
	return log_file, int(position)


def replica_status(replica: MariaDBInstance) -> dict:
	"""SHOW SLAVE STATUS by column name (MariaDBInstance.sql leaves the names out)."""
	result = subprocess.run(
		[*replica.client_command(), "--batch"],
		input="SHOW SLAVE STATUS",
		capture_output=True,
		text=True,
		timeout=60,
	)
	if result.returncode != 0:
		raise MariaDBInstanceError(f"SHOW SLAVE STATUS on port {replica.port}: {result.stderr.strip()}")
	header, values = result.stdout.rstrip("\n").split("\n")[:2]
	return dict(zip(header.split("\t"), values.split("\t"), strict=False))


def wait_for_replica(primary: MariaDBInstance, replica: MariaDBInstance) -> None:
	"""Until the replica has applied everything the primary has written so far."""
	log_file, position = binlog_position(primary)
	deadline = time.monotonic() + CATCH_UP_SECONDS
	while time.monotonic() < deadline:
		status = replica_status(replica)
		if status.get("Last_SQL_Error") or status.get("Last_IO_Error"):
			raise MariaDBInstanceError(
				f"replication stopped: {status.get('Last_SQL_Error') or status.get('Last_IO_Error')}"
			)
		if (status.get("Relay_Master_Log_File"), int(status.get("Exec_Master_Log_Pos") or 0)) >= (
			log_file,
			position,
		):
			return
		time.sleep(0.2)
	raise MariaDBInstanceError(f"the replica did not reach {log_file}:{position} in {CATCH_UP_SECONDS} s")


# --- requests, each in a process of its own ---------------------------------------------------------
def request(site: str, sites_path: str, task: str, arguments: tuple, results) -> None:
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		results.put(TASKS[task](*arguments))
		frappe.db.commit()
	except Exception as error:
		frappe.db.rollback()
		results.put(f"error: {error!r}")
	finally:
		frappe.destroy()


def create_account(amount: float) -> tuple[str, str, str]:
	"""A key account with one supplier and a submitted invoice, and a Key Account Manager."""
	from key_account_mgmt.tests.factories import (
		KeyAccountFactory,
		PurchaseInvoiceFactory,
		SupplierFactory,
		UserFactory,
	)

	supplier = SupplierFactory().name
	account = KeyAccountFactory(supplier_names=[supplier]).name
	PurchaseInvoiceFactory(supplier=supplier, amount=amount)
	manager = UserFactory(roles_held=["Key Account Manager"]).name
	return supplier, account, manager


def post_invoice(supplier: str, amount: float) -> tuple:
	"""Finance posts an invoice; what the account holds right after, in the posting's transaction."""
	from key_account_mgmt.tests.factories import PurchaseInvoiceFactory

	PurchaseInvoiceFactory(supplier=supplier, amount=amount)
	account = frappe.db.get_value("Supplier", supplier, "key_account")
	return frappe.db.get_value("Key Account", account, ["tier", "purchase_amount"])


def register_row(user: str, account: str) -> tuple:
	"""The Key Account Register as the desk runs it (frappe.desk.query_report.run), as `user`."""
	from frappe.desk.query_report import run

	frappe.set_user(user)
	result = run("Key Account Register", filters={})
	row = next(row for row in result["result"] if isinstance(row, dict) and row.get("key_account") == account)
	return row["tier"], row["purchase_amount"]


def one_to_one_print(user: str, account: str) -> str:
	frappe.set_user(user)
	return frappe.get_print("Key Account", account, "Key Account One-to-One")


TASKS = {
	"create_account": create_account,
	"post_invoice": post_invoice,
	"register_row": register_row,
	"one_to_one_print": one_to_one_print,
}
