"""Naming series rows made before the first document that needs them, so that documents named inside
postings never deadlock.

Frappe's getseries reads a series row with SELECT … FOR UPDATE and inserts it when it is missing. On a
missing row that read takes a gap lock, and gap locks never conflict with one another: two transactions
naming the first document of a series at the same moment both pass the read, then each one's INSERT
waits for the other's gap lock, and MariaDB rolls one of them back with "Deadlock found". Tier changes
are logged inside Purchase Invoice submits, and their series starts afresh every year (KATC-2027-…),
so the year's first two tier changes posted together showed a user that error.

The row is therefore inserted beforehand and committed, on a connection of its own; the read then
locks the row itself, and the second namer waits for the first instead."""

import frappe
import pymysql

LOCK_WAIT_TIMEOUT = 1205

# Series rows are never removed by the app, so each process looks for one once per site.
_present: set[tuple[str, str]] = set()


def ensure_series_row(key: str) -> None:
	known = (frappe.conf.db_name, key)
	if known in _present:
		return
	if not frappe.db.sql("SELECT 1 FROM `tabSeries` WHERE `name` = %s", key):
		insert_committed(key)
	_present.add(known)


def connection_of_its_own():
	conf = frappe.conf
	return pymysql.connect(
		host=conf.db_host,
		port=int(conf.db_port or 3306),
		unix_socket=conf.get("db_socket") or None,
		user=conf.get("db_user") or conf.db_name,  # Frappe 16 names the user apart from the database
		password=conf.db_password,
		database=conf.db_name,
		charset="utf8mb4",
		autocommit=True,
		connect_timeout=10,
	)


def take_number_committed(key: str) -> int | None:
	"""The series' next number, taken and committed on a connection of its own, so the transaction that
	uses it never reads or locks the series row. Under snapshot isolation (MariaDB 11.8) a posting that
	locked the row after another posting had moved it since its snapshot would be refused and rolled
	back (tiering/snapshot.py). A posting rolled back after this leaves its number unused.

	The other connection must never wait for the calling transaction, a wait no deadlock detector sees:
	a missing row is inserted into a gap of the table that the transaction may hold locked (it named
	the first document of another series, as a year's first invoice submitted at once does), and a row
	the transaction named a document from itself is its own. So the statement gives up after a second
	(others hold the row for one statement), and None says: name it in the transaction, as Frappe
	does."""
	connection = connection_of_its_own()
	try:
		with connection.cursor() as cursor:
			cursor.execute("SET SESSION innodb_lock_wait_timeout = 1")
			cursor.execute(
				"UPDATE `tabSeries` SET `current` = LAST_INSERT_ID(`current` + 1) WHERE `name` = %s", (key,)
			)
			if cursor.rowcount == 1:
				cursor.execute("SELECT LAST_INSERT_ID()")
				return int(cursor.fetchone()[0])
			cursor.execute(
				"""INSERT INTO `tabSeries` (`name`, `current`) VALUES (%s, 1)
				ON DUPLICATE KEY UPDATE `current` = LAST_INSERT_ID(`current` + 1)""",
				(key,),
			)
			return 1 if cursor.rowcount == 1 else int(cursor.lastrowid)
	except pymysql.err.OperationalError as error:
		if error.args and error.args[0] == LOCK_WAIT_TIMEOUT:
			return None
		raise
	finally:
		connection.close()


def insert_committed(key: str) -> None:
	connection = connection_of_its_own()
	try:
		with connection.cursor() as cursor:
			# Should this very transaction hold a gap lock there (it named the first document of another
			# series next to this one), the insert would wait for us: give up after a second, and the
			# naming goes on as Frappe's does.
			cursor.execute("SET SESSION innodb_lock_wait_timeout = 1")
			cursor.execute("INSERT IGNORE INTO `tabSeries` (`name`, `current`) VALUES (%s, 0)", (key,))
	except pymysql.err.OperationalError:
		pass
	finally:
		connection.close()
