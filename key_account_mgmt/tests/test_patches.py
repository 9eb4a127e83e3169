"""The migration story, read from patches.txt: every patch is a module of a release folder (no
`execute:` into live code), and each one, run again on a site that has its work done (as upgrading
from 0.1.0 runs them), changes no figure and leaves nothing for kam-verify to report."""

import re
from pathlib import Path

import frappe

from key_account_mgmt.analysis.sales_summary import SUMMARY
from key_account_mgmt.tests.factories import (
	ItemFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SalesInvoiceFactory,
	SupplierFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.maintenance import verify_all
from key_account_mgmt.tiering.purchase_months import MONTHS

PATCHES_TXT = Path(frappe.get_app_path("key_account_mgmt", "patches.txt"))


def patch_lines() -> list[str]:
	return [
		line.strip()
		for line in PATCHES_TXT.read_text().splitlines()
		if line.strip() and not line.strip().startswith(("#", "["))
	]


def figures() -> dict:
	"""What the patches could change: the account's figures, the monthly purchase sums, the sales summary."""
	return {
		"accounts": frappe.get_all(
			"Key Account", fields=["name", "tier", "purchase_amount"], order_by="name"
		),
		"months": frappe.get_all(
			MONTHS, fields=["name", "net_amount", "invoices", "debit_notes"], order_by="name"
		),
		"sales": frappe.get_all(
			SUMMARY, fields=["name", "net_amount", "stock_qty", "invoice_rows"], order_by="name"
		),
	}


class TestPatches(KeyAccountTestCase):
	def test_every_patch_is_a_module_of_a_release_folder(self):
		lines = patch_lines()
		self.assertTrue(lines)
		for line in lines:
			self.assertRegex(line, r"^key_account_mgmt\.patches\.v\d+_\d+\.[a-z0-9_]+$")
			self.assertTrue(callable(frappe.get_attr(f"{line}.execute")), line)
		self.assertEqual(len(lines), len(set(lines)))
		self.assertFalse([line for line in lines if re.search(r"execute:|finally:", line)])

	def test_every_patch_run_again_changes_no_figure(self):
		frappe.set_user("Administrator")  # as bench migrate runs them
		supplier = SupplierFactory().name
		KeyAccountFactory(supplier_names=[supplier])
		item = ItemFactory().name
		PurchaseInvoiceFactory(supplier=supplier, item=item, amount=6_000_000)
		SalesInvoiceFactory(item=item, qty=2, rate=1_500)
		before = figures()
		self.assertTrue(before["months"] and before["sales"])

		for _run in range(2):
			for line in patch_lines():
				frappe.get_attr(f"{line}.execute")()

		self.assertEqual(figures(), before)
		self.assertFalse(verify_all())
