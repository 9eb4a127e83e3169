"""The yearly Qualification Review: a Key Account Manager runs it, a Key Account User reads it; the
review day is passed in (30 June 2026), so "a year ago" is 30 June 2025 whatever the clock says."""

import frappe
from frappe.desk.query_report import run

from key_account_mgmt.account_file.cooperation_evidence import refresh_cooperation_criterion
from key_account_mgmt.account_file.launch_evidence import refresh_launch_criterion
from key_account_mgmt.account_file.qualification_review import review
from key_account_mgmt.account_file.supply_evidence import refresh_supply_criterion
from key_account_mgmt.tests.factories import (
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase, set_tier_bands

TODAY = "2026-06-30"
MILLION = 1_000_000


class TestQualificationReview(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		set_tier_bands({"Bronze": 5 * MILLION, "Silver": 20 * MILLION, "Gold": 50 * MILLION})
		self.manager = UserFactory(roles_held=["Key Account Manager"], first_name="Mei", last_name="Lin").name
		self.reader = UserFactory(roles_held=["Key Account User"]).name

		# Locked at Silver while its purchases (6M) give Bronze; Bronze since March 2025.
		supplier = SupplierFactory().name
		self.locked = KeyAccountFactory(supplier_names=[supplier]).name
		PurchaseInvoiceFactory(supplier=supplier, amount=6 * MILLION)
		first_change = frappe.db.get_value("Key Account Tier Change", {"key_account": self.locked}, "name")
		frappe.db.set_value("Key Account Tier Change", first_change, "changed_on", "2025-03-01 10:00:00")

		# No tier; criteria 1, 5 and 6 ticked by the manager, without orders or new items to show for it.
		self.judged = KeyAccountFactory().name
		refresh_supply_criterion(today=TODAY)
		refresh_launch_criterion(today=TODAY)
		refresh_cooperation_criterion(today=TODAY)
		frappe.set_user(self.manager)
		account = frappe.get_doc("Key Account", self.locked)
		account.update({"tier_locked": 1, "locked_tier": "Silver", "lock_reason": "Joint office"})
		account.save()
		account = frappe.get_doc("Key Account", self.judged)
		account.update(
			{"criterion_known_brand": 1, "criterion_supply_priority": 1, "criterion_first_launch": 1}
		)
		account.save(ignore_version=False)  # the desk keeps the history; tests skip it unless asked
		frappe.set_user("Administrator")

		# In no account, bought 21M: a Silver candidate.
		self.outsider = SupplierFactory().name
		PurchaseInvoiceFactory(supplier=self.outsider, amount=21 * MILLION)

	def test_criteria_tiers_and_flags_per_account_and_candidates(self):
		frappe.set_user(self.manager)
		rows = review(TODAY)
		frappe.set_user("Administrator")
		locked = next(row for row in rows if row.get("key_account") == self.locked)
		self.assertEqual(
			(locked["tier"], locked["tier_year_ago"], locked["criterion_1"], locked["criterion_5"]),
			("Silver", "Bronze", "Not met (judgement)", "Not met"),
		)
		self.assertEqual(
			locked["flags"],
			"Tier locked at Silver; its purchases give Bronze. Computed criteria not met: 2, 3, 4, 5, 6.",
		)
		self.assertEqual(
			(locked["criterion_6"], locked["criterion_6_measured"], locked["new_items"]),
			("Not met (judgement)", "Not met", 0),
		)
		self.assertEqual(
			(locked["criterion_4"], locked["criterion_4_measured"], locked["negotiations_per_quarter"]),
			("Not met (judgement)", "Not met", 0),
		)

		judged = next(row for row in rows if row.get("key_account") == self.judged)
		self.assertEqual(
			(judged["tier"], judged["tier_year_ago"], judged["criterion_1"], judged["criterion_1_by"]),
			("", "", "Met (judgement)", "Mei Lin"),
		)
		self.assertEqual(
			judged["flags"],
			"Criterion 5 is ticked, but its orders and receipts do not support it."
			" Criterion 6 is ticked, but its new items' orders and sales do not support it.",
		)

		outsider = next(row for row in rows if row.get("supplier") == self.outsider)
		self.assertEqual(
			(outsider["tier"], outsider["criterion_5"], outsider["fill_rate"]), ("Silver", "Not met", None)
		)
		self.assertEqual((outsider["criterion_6_measured"], outsider["new_items"]), ("Not met", 0))
		self.assertIn("In no key account", outsider["flags"])

	def test_the_manager_runs_it_a_reader_reads_it_and_accounts_may_not(self):
		for user in (self.manager, self.reader):
			frappe.set_user(user)
			result = run("Qualification Review")
			self.assertIn(self.locked, [row.get("key_account") for row in result["result"]])
		frappe.set_user("Administrator")
		frappe.set_user(UserFactory(roles_held=["Accounts User"]).name)
		self.assertRaises(frappe.PermissionError, run, "Qualification Review")

	def test_in_chinese(self):
		frappe.local.lang = "zh"
		rows = review(TODAY)
		locked = next(row for row in rows if row.get("key_account") == self.locked)
		self.assertIn("计算得出的标准未满足", locked["flags"])
		self.assertEqual(locked["criterion_1"], "未满足（判断）")
