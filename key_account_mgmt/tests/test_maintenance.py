import os
import subprocess
import sys

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.tests.factories import (
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
	currency_exchange,
)
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


class TestLimitsAndBadInput(KeyAccountTestCase):
	def test_a_window_above_a_trillion_is_stored_exactly(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		PurchaseInvoiceFactory(supplier=supplier, amount=600_000_000_000)
		PurchaseInvoiceFactory(supplier=supplier, amount=600_000_000_000.5)
		self.assertEqual(
			frappe.db.get_value("Key Account", account, ["tier", "purchase_amount"]),
			("Strategic", 1_200_000_000_000.5),
		)
		self.assertEqual(
			frappe.get_all("Key Account Annual Total", filters={"parent": account}, pluck="purchase_amount"),
			[1_200_000_000_000.5],
		)
		self.assertFalse(verify_all())

	def test_a_supplier_that_does_not_exist_is_refused_by_name(self):
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		frappe.set_user(manager)
		account = KeyAccountFactory.build(supplier_names=["No Such Supplier 12b"])
		account.flags.ignore_links = True  # as a data import that skips link checks does
		self.assertRaisesRegex(
			frappe.ValidationError, "Supplier .*No Such Supplier 12b.* does not exist", account.insert
		)


class TestSupplierMerge(KeyAccountTestCase):
	"""ERPNext's Rename with "Merge with existing" on a Supplier."""

	def merge(self, old: str, new: str):
		frappe.rename_doc("Supplier", old, new, merge=True)

	def test_merging_an_accounts_supplier_into_one_outside_brings_both_histories(self):
		member, outsider = SupplierFactory().name, SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[member]).name
		PurchaseInvoiceFactory(supplier=member, amount=3 * MILLION)
		PurchaseInvoiceFactory(supplier=outsider, amount=4 * MILLION)
		self.merge(member, outsider)
		self.assertEqual(
			frappe.db.get_value("Key Account", account, ["tier", "purchase_amount"]),
			("Ordinary", 7 * MILLION),
		)
		self.assertEqual(
			frappe.db.get_value("Supplier", outsider, ["key_account", "key_account_tier"]),
			(account, "Ordinary"),
		)
		self.assertFalse(verify_all())

	def test_merging_an_outside_supplier_into_an_accounts_supplier_brings_its_history(self):
		member, outsider = SupplierFactory().name, SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[member]).name
		PurchaseInvoiceFactory(supplier=member, amount=3 * MILLION)
		PurchaseInvoiceFactory(supplier=outsider, amount=4 * MILLION)
		self.merge(outsider, member)
		self.assertEqual(frappe.db.get_value("Key Account", account, "purchase_amount"), 7 * MILLION)
		self.assertFalse(verify_all())

	def test_merging_suppliers_of_two_accounts_is_refused_before_anything_moves(self):
		first, second = SupplierFactory().name, SupplierFactory().name
		KeyAccountFactory(supplier_names=[first])
		KeyAccountFactory(supplier_names=[second])
		self.assertRaisesRegex(
			frappe.ValidationError, "Remove one of them from its key account", self.merge, first, second
		)
		self.assertTrue(frappe.db.exists("Supplier", first))

	def test_merging_two_suppliers_of_one_account_keeps_its_total(self):
		first, second = SupplierFactory().name, SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[first, second]).name
		PurchaseInvoiceFactory(supplier=first, amount=3 * MILLION)
		PurchaseInvoiceFactory(supplier=second, amount=4 * MILLION)
		self.merge(first, second)
		self.assertEqual([row.supplier for row in frappe.get_doc("Key Account", account).suppliers], [second])
		self.assertEqual(frappe.db.get_value("Key Account", account, "purchase_amount"), 7 * MILLION)
		self.assertFalse(verify_all())


class TestPostedRates(KeyAccountTestCase):
	def test_a_backdated_rate_does_not_reconvert_a_posted_invoice(self):
		"""A posted invoice keeps the rate of its posting, recorded in its ledger row."""
		currency_exchange("CNY", "USD", 0.14, "2000-01-01")
		settings = frappe.get_single("Key Account Settings")
		settings.threshold_currency = "USD"
		settings.tier_bands = []
		settings.append("tier_bands", {"tier": "Ordinary", "lower_bound": 700_000})
		settings.save()
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		invoice = PurchaseInvoiceFactory(supplier=supplier, amount=7 * MILLION).name
		currency_exchange("CNY", "USD", 0.15, add_days(getdate(), -1))  # entered later, dated before

		drift = verify_all()
		self.assertFalse(drift, drift.lines())
		recompute_all(rebuild_ledger=True)
		self.assertEqual(
			frappe.db.get_value("Key Account Purchase Entry", invoice, ["exchange_rate", "net_amount"]),
			(0.14, 980_000),
		)
		self.assertEqual(frappe.db.get_value("Key Account", account, "purchase_amount"), 980_000)
