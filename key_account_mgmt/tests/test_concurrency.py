import multiprocessing
import os

import frappe

from key_account_mgmt.tests.concurrency import submit_purchase_invoice
from key_account_mgmt.tests.factories import KeyAccountFactory, PurchaseInvoiceFactory, SupplierFactory
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.maintenance import verify_all

WORKERS = 6
MILLION = 1_000_000


class TestConcurrentSubmits(KeyAccountTestCase):
	"""Several processes, each with its own connection, submit invoices of one account at once."""

	def setUp(self):
		super().setUp()
		self.suppliers = [SupplierFactory().name, SupplierFactory().name]
		self.account = KeyAccountFactory(supplier_names=self.suppliers).name
		self.amounts = [MILLION * (index + 1) + 0.37 for index in range(WORKERS)]
		self.invoices = [
			PurchaseInvoiceFactory(supplier=self.suppliers[index % 2], amount=amount, submit=False).name
			for index, amount in enumerate(self.amounts)
		]
		frappe.db.commit()  # the workers must see them

	def tearDown(self):
		frappe.db.rollback()
		# Committed by design; cancelled rather than deleted, as an ERP keeps them.
		for name in self.invoices:
			invoice = frappe.get_doc("Purchase Invoice", name)
			if invoice.docstatus == 1:
				invoice.cancel()
		frappe.delete_doc("Key Account", self.account, force=True)
		frappe.db.commit()
		super().tearDown()

	def test_concurrent_submits_on_one_account_lose_nothing(self):
		context = multiprocessing.get_context("spawn")
		barrier, results = context.Barrier(WORKERS), context.Queue()
		workers = [
			context.Process(
				target=submit_purchase_invoice,
				args=(frappe.local.site, os.path.abspath(frappe.local.sites_path), name, barrier, results),
			)
			for name in self.invoices
		]
		for worker in workers:
			worker.start()
		outcomes = [results.get(timeout=180) for _ in workers]
		for worker in workers:
			worker.join(timeout=60)
		self.assertEqual(sorted(outcome[1] for outcome in outcomes), ["submitted"] * WORKERS, outcomes)

		frappe.db.rollback()  # a fresh snapshot: see what the workers committed
		expected = round(sum(self.amounts), 2)
		self.assertEqual(
			frappe.db.count("Key Account Purchase Entry", {"supplier": ("in", self.suppliers)}), WORKERS
		)
		self.assertEqual(
			frappe.db.get_value("Key Account", self.account, ["tier", "purchase_amount"]),
			("Partner", expected),
		)
		self.assertNotIn(self.account, [name for name, _stored, _expected in verify_all().accounts])
