"""Numbers taken on a connection of its own (naming.take_number_committed, used for Tier Changes under
MariaDB 11.8's snapshot isolation) never wait for the transaction that asked for them: a wait across two
connections of one process is a deadlock no database sees, and lasted until the lock wait timeout (50 s,
then error 1205) when the demo's first invoice of a year named its tier change."""

import time

import frappe

from key_account_mgmt.naming import connection_of_its_own, take_number_committed
from key_account_mgmt.tests.utils import KeyAccountTestCase


def delete_committed(*keys: str) -> None:
	connection = connection_of_its_own()
	try:
		with connection.cursor() as cursor:
			cursor.executemany("DELETE FROM `tabSeries` WHERE `name` = %s", keys)
	finally:
		connection.close()


class TestNumbersTakenOutsideTheTransaction(KeyAccountTestCase):
	def setUp(self):
		# series keys next to each other in the table's order, with no other row between them
		self.prefix = f"KAMTEST-{frappe.generate_hash(length=10)}-"
		# after the test's rollback (cleanups run last first), which releases the test's locks
		self.addCleanup(delete_committed, *(self.prefix + letter for letter in "ABC"))
		super().setUp()

	def taken_quickly(self, key: str) -> int | None:
		started = time.monotonic()
		number = take_number_committed(key)
		self.assertLess(time.monotonic() - started, 10, "the other connection waited for this transaction")
		return number

	def test_a_series_counts_on_committed_and_survives_a_rollback(self):
		self.assertEqual([self.taken_quickly(self.prefix + "A") for _ in range(3)], [1, 2, 3])
		frappe.db.rollback()
		self.assertEqual(self.taken_quickly(self.prefix + "A"), 4)

	def test_a_transaction_that_named_a_series_first_document_is_not_waited_for(self):
		# Frappe's getseries reads a missing row FOR UPDATE: the gap it would go in stays locked
		frappe.db.sql("SELECT `current` FROM `tabSeries` WHERE `name` = %s FOR UPDATE", self.prefix + "A")
		self.assertIsNone(self.taken_quickly(self.prefix + "B"))

	def test_a_row_the_transaction_made_itself_is_left_to_it(self):
		frappe.db.sql("INSERT INTO `tabSeries` (`name`, `current`) VALUES (%s, 0)", self.prefix + "C")
		self.assertIsNone(self.taken_quickly(self.prefix + "C"))
