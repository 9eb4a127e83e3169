import os
import subprocess
import sys

import frappe

from key_account_mgmt.tests.factories import KeyAccountFactory, PurchaseInvoiceFactory, SupplierFactory
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.maintenance import recompute_all, verify_all

MILLION = 1_000_000


class TestRecomputeAndVerify(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.supplier = SupplierFactory().name
		self.account = KeyAccountFactory(supplier_names=[self.supplier]).name
		self.invoice = PurchaseInvoiceFactory(supplier=self.supplier, amount=21 * MILLION)

	def test_a_consistent_site_shows_no_drift(self):
		drift = verify_all()
		self.assertFalse(drift, drift.lines())
		self.assertIn("No drift", drift.summary())

	def test_tampered_totals_are_reported_and_recompute_repairs_them(self):
		frappe.db.set_value("Key Account", self.account, {"purchase_amount": 1, "tier": "Strategic"})
		drift = verify_all()
		self.assertEqual([name for name, _stored, _expected in drift.accounts], [self.account])
		report = recompute_all()
		self.assertEqual(report.repaired_entries, 0)  # the ledger itself was right
		self.assertEqual(
			frappe.db.get_value("Key Account", self.account, ["tier", "purchase_amount"]),
			("Partner", 21 * MILLION),
		)
		self.assertFalse(verify_all())

	def test_a_lost_ledger_entry_is_reported_and_rebuilt(self):
		frappe.db.delete("Key Account Purchase Entry", {"purchase_invoice": self.invoice.name})
		self.assertEqual(verify_all().missing_entries, [self.invoice.name])
		self.assertEqual(recompute_all(rebuild_ledger=True).repaired_entries, 1)
		self.assertTrue(frappe.db.exists("Key Account Purchase Entry", self.invoice.name))

	def test_an_entry_left_behind_by_a_cancelled_invoice_is_reported_and_removed(self):
		entry = frappe.get_doc("Key Account Purchase Entry", self.invoice.name).as_dict()
		self.invoice.cancel()
		frappe.db.sql(
			"INSERT INTO `tabKey Account Purchase Entry` (name, purchase_invoice, supplier, company, posting_date, "
			"currency, net_amount, grand_amount, exchange_rate) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
			(
				entry.name,
				entry.name,
				entry.supplier,
				entry.company,
				entry.posting_date,
				entry.currency,
				entry.net_amount,
				entry.grand_amount,
				entry.exchange_rate,
			),
		)
		self.assertEqual(verify_all().stale_entries, [self.invoice.name])
		self.assertEqual(recompute_all(rebuild_ledger=True).repaired_entries, 1)
		self.assertFalse(frappe.db.exists("Key Account Purchase Entry", self.invoice.name))
		self.assertEqual(frappe.db.get_value("Key Account", self.account, "purchase_amount"), 0)

	def test_a_wrong_ledger_amount_is_reported(self):
		frappe.db.set_value("Key Account Purchase Entry", self.invoice.name, "net_amount", 5)
		self.assertEqual(verify_all().wrong_entries, [self.invoice.name])
		self.assertEqual(recompute_all(rebuild_ledger=True).repaired_entries, 2)  # removed and written afresh
		self.assertEqual(
			frappe.db.get_value("Key Account Purchase Entry", self.invoice.name, "net_amount"), 21 * MILLION
		)


class TestBenchCommands(KeyAccountTestCase):
	def bench(self, *args):
		return subprocess.run(
			[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site, *args],
			cwd=os.path.abspath(frappe.local.sites_path),
			capture_output=True,
			text=True,
			timeout=300,
		)

	def test_verify_exits_non_zero_on_drift_and_recompute_repairs_it(self):
		# The command runs in its own process, so what it checks must be committed; cleaned up below.
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		invoice = PurchaseInvoiceFactory(supplier=supplier, amount=6 * MILLION)
		frappe.db.set_value("Key Account", account, "purchase_amount", 123)
		frappe.db.commit()
		try:
			verify = self.bench("kam-verify")
			self.assertEqual(verify.returncode, 1, verify.stdout + verify.stderr)
			self.assertIn(f"key account {account}: stored", verify.stdout)
			self.assertIn("DRIFT: 1 key accounts", verify.stdout)
			self.assertEqual(self.bench("kam-recompute").returncode, 0)
			frappe.db.rollback()
			self.assertEqual(frappe.db.get_value("Key Account", account, "purchase_amount"), 6 * MILLION)
		finally:
			frappe.db.rollback()
			frappe.get_doc("Purchase Invoice", invoice.name).cancel()
			frappe.delete_doc("Key Account", account, force=True)
			frappe.db.commit()

	def test_verify_and_recompute_commands(self):
		verify = self.bench("kam-verify")
		self.assertEqual(verify.returncode, 0, verify.stdout + verify.stderr)
		self.assertIn("No drift", verify.stdout)
		recompute = self.bench("kam-recompute", "--rebuild-ledger")
		self.assertEqual(recompute.returncode, 0, recompute.stdout + recompute.stderr)
		self.assertIn("Recomputed", recompute.stdout)
