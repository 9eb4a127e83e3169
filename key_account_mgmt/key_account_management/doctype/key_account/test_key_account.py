# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from datetime import date

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.account_file.qualification import evidence_text
from key_account_mgmt.setup.company import FOREIGN_COMPANY_NAME
from key_account_mgmt.tests.factories import (
	ItemFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
	currency_exchange,
	make_debit_note,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.core import rolling_twelve_months
from key_account_mgmt.tiering.evaluation import Cause, evaluate_account, reevaluate_all
from key_account_mgmt.tiering.maintenance import verify_all

MILLION = 1_000_000


class TestTierFromPurchaseInvoices(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.supplier = SupplierFactory().name
		self.account = KeyAccountFactory(account_name="Midea Test", supplier_names=[self.supplier]).name

	def buy(self, amount, **kwargs):
		return PurchaseInvoiceFactory(supplier=self.supplier, amount=amount, **kwargs)

	def tier(self):
		return frappe.db.get_value("Key Account", self.account, "tier") or None

	def amount(self):
		return frappe.db.get_value("Key Account", self.account, "purchase_amount")

	def test_a_new_account_without_purchases_has_no_tier(self):
		account = self.account_doc()
		self.assertIsNone(account.tier or None)
		self.assertEqual(account.purchase_amount, 0)
		# the window ends the day the account was evaluated (not today's date, which moves at midnight)
		self.assertEqual(getdate(account.window_to), getdate(account.last_evaluated))

	def test_each_bound_is_crossed_up_by_submit_and_down_by_cancel(self):
		below = self.buy(5 * MILLION - 0.01)
		self.assertEqual((self.tier(), self.amount()), (None, 4_999_999.99))
		steps = [
			(0.01, "Ordinary", 5 * MILLION),
			(15 * MILLION, "Partner", 20 * MILLION),
			(30 * MILLION, "Strategic", 50 * MILLION),
		]
		invoices = []
		for amount, tier, total in steps:
			invoices.append(self.buy(amount))
			self.assertEqual((self.tier(), self.amount()), (tier, total))
		for invoice, expected in zip(reversed(invoices), ["Partner", "Ordinary", None], strict=True):
			invoice.cancel()
			self.assertEqual(self.tier(), expected)
		below.cancel()
		self.assertEqual(self.amount(), 0)

	def test_one_cent_below_each_bound_stays_in_the_band_below(self):
		for amount, tier in [(20 * MILLION - 0.01, "Ordinary"), (50 * MILLION - 0.01, "Partner")]:
			invoice = self.buy(amount)
			self.assertEqual(self.tier(), tier)
			invoice.cancel()

	def test_a_return_takes_the_account_back_down(self):
		# 21 units at 1M: a buyer returns 2 of them, then the other 19, as two debit notes.
		invoice = PurchaseInvoiceFactory(
			supplier=self.supplier, items=[{"item_code": ItemFactory().name, "qty": 21, "rate": MILLION}]
		)
		self.assertEqual((self.tier(), self.amount()), ("Partner", 21 * MILLION))
		make_debit_note(invoice, qty=2)
		self.assertEqual((self.tier(), self.amount()), ("Ordinary", 19 * MILLION))
		make_debit_note(invoice)  # what is left of it
		self.assertEqual(self.amount(), 0)
		self.assertIsNone(self.tier())

	def test_drafts_never_count_and_amendments_count_once(self):
		self.buy(30 * MILLION, submit=False)
		self.assertEqual(self.amount(), 0)
		invoice = self.buy(6 * MILLION)
		invoice.cancel()
		amended = frappe.copy_doc(invoice)
		amended.docstatus = 0
		amended.amended_from = invoice.name
		amended.items[0].rate = 7 * MILLION
		amended.insert()
		amended.submit()
		self.assertEqual((self.tier(), self.amount()), ("Ordinary", 7 * MILLION))

	def test_two_suppliers_of_one_account_are_summed(self):
		second = SupplierFactory().name
		account = self.account_doc()
		account.append("suppliers", {"supplier": second})
		account.save()
		self.buy(12 * MILLION)
		PurchaseInvoiceFactory(supplier=second, amount=9 * MILLION)
		self.assertEqual((self.tier(), self.amount()), ("Partner", 21 * MILLION))

	def test_adding_a_supplier_brings_its_purchase_history(self):
		newcomer = SupplierFactory().name
		PurchaseInvoiceFactory(supplier=newcomer, amount=25 * MILLION, posting_date=add_days(getdate(), -30))
		account = self.account_doc()
		account.append("suppliers", {"supplier": newcomer})
		account.save()
		self.assertEqual((account.tier, account.purchase_amount), ("Partner", 25 * MILLION))
		self.assertEqual(
			frappe.db.get_value("Supplier", newcomer, ["key_account", "key_account_tier"]),
			(self.account, "Partner"),
		)

	def test_a_supplier_moved_between_accounts_takes_its_purchases_along(self):
		self.buy(22 * MILLION)
		other = KeyAccountFactory(account_name="Gree Test", supplier_names=[]).name
		account = self.account_doc()
		account.suppliers = []
		account.save()
		self.assertEqual((self.tier(), self.amount()), (None, 0))
		self.assertIsNone(frappe.db.get_value("Supplier", self.supplier, "key_account"))
		other_doc = frappe.get_doc("Key Account", other)
		other_doc.append("suppliers", {"supplier": self.supplier})
		other_doc.save()
		self.assertEqual((other_doc.tier, other_doc.purchase_amount), ("Partner", 22 * MILLION))
		self.assertEqual(frappe.db.get_value("Supplier", self.supplier, "key_account"), other)

	def test_a_supplier_cannot_belong_to_two_accounts(self):
		with self.assertRaisesRegex(frappe.ValidationError, "already belongs to key account .*Midea Test"):
			KeyAccountFactory(supplier_names=[self.supplier])

	def test_a_supplier_listed_twice_is_refused(self):
		account = self.account_doc()
		account.append("suppliers", {"supplier": self.supplier})
		with self.assertRaisesRegex(frappe.ValidationError, "listed twice"):
			account.save()

	def test_a_duplicate_account_name_is_refused(self):
		with self.assertRaises(frappe.DuplicateEntryError):
			KeyAccountFactory(account_name="Midea Test")

	def test_backdated_invoices_count_in_the_year_of_their_posting_date(self):
		today = getdate()
		new_years_eve = date(today.year - 1, 12, 31)
		self.buy(3 * MILLION, posting_date=new_years_eve)
		self.buy(4 * MILLION)
		annual = {
			row.fiscal_year: (row.purchase_amount, row.invoice_count)
			for row in self.account_doc().annual_totals
		}
		self.assertEqual(annual[str(today.year - 1)], (3 * MILLION, 1))
		self.assertEqual(annual[str(today.year)], (4 * MILLION, 1))
		in_window = 3 * MILLION if new_years_eve in rolling_twelve_months(today) else 0
		self.assertEqual(self.amount(), 4 * MILLION + in_window)
		# An invoice older than the rolling twelve months counts for its year but not for the tier.
		self.buy(20 * MILLION, posting_date=date(today.year - 2, 1, 10))
		self.assertEqual(self.amount(), 4 * MILLION + in_window)
		annual = {row.fiscal_year: row.purchase_amount for row in self.account_doc().annual_totals}
		self.assertEqual(annual[str(today.year - 2)], 20 * MILLION)

	def test_a_posting_rewrites_only_its_own_year_and_every_year_stays_right_and_in_order(self):
		"""A posting sums its windows and its own fiscal year only, and writes only that year's row (the
		first invoice of a year, and the cancel of its last one, rewrite every year): the rows stay right
		and in order, for a year before any window and for a year the window cuts."""
		finance = UserFactory(roles_held=["Accounts User", "Purchase User"]).name
		item = ItemFactory().name
		today = getdate()
		window = rolling_twelve_months(today)
		frappe.set_user(finance)
		self.buy(20 * MILLION, posting_date=date(today.year - 2, 1, 10), item=item)
		self.buy(3 * MILLION, posting_date=date(today.year - 2, 6, 1), item=item).cancel()
		kept = [
			(20 * MILLION, date(today.year - 2, 1, 10)),
			(2 * MILLION, today),
			# the window cuts their year (unless it starts on 1 January); the last two write that year alone
			(6 * MILLION, add_days(window.start, -1)),
			(4 * MILLION, window.start),
			(1 * MILLION, window.start),
		]
		for amount, day in kept[1:]:
			self.buy(amount, posting_date=day, item=item)
		frappe.set_user("Administrator")

		expected = {}
		for amount, day in kept:
			year_amount, count = expected.get(str(day.year), (0, 0))
			expected[str(day.year)] = (year_amount + amount, count + 1)
		self.assertEqual(
			[
				(row.idx, row.fiscal_year, row.purchase_amount, row.invoice_count)
				for row in self.account_doc().annual_totals
			],
			[
				(idx, year, *expected[year])
				for idx, year in enumerate(sorted(expected, reverse=True), start=1)
			],
		)
		self.assertEqual(self.amount(), sum(amount for amount, day in kept if day in window))
		self.assertFalse(verify_all())

	def test_the_poster_sees_the_change_and_the_invoice_and_supplier_record_the_tier(self):
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		owner = UserFactory(roles_held=["Key Account User"]).name
		frappe.db.set_value("Key Account", self.account, "account_manager", owner)
		invoice = self.buy(20_150_000)
		message = "Midea Test: no tier → Partner, rolling 12-month purchases 20,150,000 CNY"
		self.assertIn(message, self.messages())
		self.assertEqual(
			frappe.db.get_value("Purchase Invoice", invoice.name, ["key_account", "key_account_tier"]),
			(self.account, "Partner"),
		)
		self.assertEqual(frappe.db.get_value("Supplier", self.supplier, "key_account_tier"), "Partner")
		for user in (manager, owner):
			self.assertTrue(
				frappe.db.exists(
					"Notification Log", {"for_user": user, "subject": message, "document_name": self.account}
				),
				user,
			)
		change = frappe.get_last_doc("Key Account Tier Change", filters={"key_account": self.account})
		self.assertEqual(
			(change.from_tier, change.to_tier, change.cause, change.reference_name, change.purchase_amount),
			(None, "Partner", Cause.PURCHASE_INVOICE, invoice.name, 20_150_000),
		)

	def test_no_message_when_the_tier_stays(self):
		self.buy(6 * MILLION)
		frappe.local.message_log = []
		self.buy(1 * MILLION)
		self.assertEqual(self.messages(), [])

	def test_tier_change_log_cannot_be_edited(self):
		self.buy(6 * MILLION)
		change = frappe.get_last_doc("Key Account Tier Change", filters={"key_account": self.account})
		change.to_tier = "Strategic"
		with self.assertRaises(frappe.PermissionError):
			change.save()

	def test_tier_lock_keeps_the_locked_tier_and_shows_the_computed_one(self):
		self.buy(6 * MILLION)
		account = self.account_doc()
		account.update(
			{"tier_locked": 1, "locked_tier": "Strategic", "lock_reason": "Joint office agreed for 2027"}
		)
		account.save()
		self.assertEqual((account.tier, account.computed_tier), ("Strategic", "Ordinary"))
		change = frappe.get_last_doc("Key Account Tier Change", filters={"key_account": self.account})
		self.assertEqual(
			(change.from_tier, change.to_tier, change.cause), ("Ordinary", "Strategic", Cause.MANUAL_LOCK)
		)
		self.buy(15 * MILLION)
		self.assertEqual(
			(self.tier(), frappe.db.get_value("Key Account", self.account, "computed_tier")),
			("Strategic", "Partner"),
		)
		account.reload()
		account.tier_locked = 0
		account.save()
		self.assertEqual(account.tier, "Partner")

	def test_tier_lock_needs_a_known_tier_and_a_reason(self):
		account = self.account_doc()
		account.update({"tier_locked": 1, "locked_tier": "Gold", "lock_reason": "x"})
		self.assertRaisesRegex(frappe.ValidationError, "Locked tier must be one of", account.save)
		account.update({"locked_tier": "Partner", "lock_reason": " "})
		self.assertRaises(frappe.ValidationError, account.save)

	def test_a_key_account_user_cannot_lock_a_tier(self):
		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)
		account = self.account_doc()
		account.update({"tier_locked": 1, "locked_tier": "Strategic", "lock_reason": "wish"})
		account.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Key Account", self.account, ["tier_locked", "tier"]), (0, None))

	def test_a_new_account_starts_without_the_figures_its_creator_sent(self):
		frappe.set_user(UserFactory(roles_held=["Key Account Manager"]).name)
		account = frappe.get_doc(
			{
				"doctype": "Key Account",
				"account_name": "Forged Figures",
				"tier": "Strategic",
				"purchase_amount": 99 * MILLION,
				"annual_totals": [{"fiscal_year": "2024", "purchase_amount": 99 * MILLION}],
			}
		).insert()
		frappe.set_user("Administrator")
		stored = frappe.get_doc("Key Account", account.name)
		self.assertEqual((stored.tier or None, stored.purchase_amount, stored.annual_totals), (None, 0, []))

	def test_a_user_without_a_key_account_role_cannot_read_or_create_accounts(self):
		frappe.set_user(UserFactory(roles_held=["Stock User"]).name)
		self.assertRaises(
			frappe.PermissionError, frappe.get_doc("Key Account", self.account).check_permission, "read"
		)
		self.assertRaises(frappe.PermissionError, KeyAccountFactory, supplier_names=[])

	def test_finance_reads_tier_and_totals_but_cannot_change_them(self):
		frappe.set_user(UserFactory(roles_held=["Accounts User"]).name)
		account = self.account_doc()
		account.check_permission("read")
		self.assertRaises(frappe.PermissionError, account.check_permission, "write")

	def test_rolling_window_daily_job_lets_an_old_invoice_age_out(self):
		today = getdate()
		first_day = rolling_twelve_months(today).start
		self.buy(6 * MILLION, posting_date=first_day)
		self.assertEqual(self.tier(), "Ordinary")
		self.assertEqual(reevaluate_all(Cause.DAILY, today=today), [])
		later = add_days(today, 1)
		while first_day in rolling_twelve_months(later):  # a leap day can hold the window for a day
			later = add_days(later, 1)
		changes = reevaluate_all(Cause.DAILY, today=later)
		self.assertEqual([(change.account, change.to_tier) for change in changes], [(self.account, None)])
		self.assertEqual((self.tier(), self.amount()), (None, 0))
		change = frappe.get_last_doc("Key Account Tier Change", filters={"key_account": self.account})
		self.assertEqual(change.cause, Cause.DAILY)

	def test_january_first_keeps_last_years_tier_under_both_policies(self):
		today = getdate()
		january_first = date(today.year, 1, 1)
		self.buy(25 * MILLION, posting_date=date(today.year - 1, 6, 30))
		for window in ("Rolling 12 Months", "Fiscal Year"):
			frappe.db.set_single_value("Key Account Settings", "measurement_window", window)
			frappe.clear_document_cache("Key Account Settings", "Key Account Settings")
			evaluate_account(self.account, Cause.DAILY, today=january_first)
			self.assertEqual((self.tier(), self.amount()), ("Partner", 25 * MILLION), window)

	def test_fiscal_year_policy_takes_the_year_to_date_when_higher(self):
		today = getdate()
		frappe.db.set_single_value("Key Account Settings", "measurement_window", "Fiscal Year")
		frappe.clear_document_cache("Key Account Settings", "Key Account Settings")
		self.buy(6 * MILLION, posting_date=date(today.year - 1, 3, 1))
		# 1 January, not a later day: on 1 January a later day is still in the future
		self.buy(21 * MILLION, posting_date=date(today.year, 1, 1))
		account = self.account_doc()
		self.assertEqual((account.tier, account.purchase_amount), ("Partner", 21 * MILLION))
		self.assertEqual(getdate(account.window_from), date(today.year, 1, 1))

	def test_grand_total_basis_counts_taxes(self):
		frappe.db.set_single_value("Key Account Settings", "amount_basis", "Grand Total")
		frappe.clear_document_cache("Key Account Settings", "Key Account Settings")
		invoice = self.buy(4_500_000, submit=False)
		invoice.append(
			"taxes",
			{
				"charge_type": "On Net Total",
				"account_head": frappe.db.get_value(
					"Account", {"account_type": "Tax", "company": invoice.company, "is_group": 0}
				),
				"description": "VAT",
				"rate": 13,
				"category": "Total",
				"add_deduct_tax": "Add",
			},
		)
		invoice.save()
		invoice.submit()
		self.assertEqual((self.tier(), self.amount()), ("Ordinary", 5_085_000))

	def account_doc(self):
		return frappe.get_doc("Key Account", self.account)


class TestForeignCurrency(KeyAccountTestCase):
	def test_purchases_of_a_dollar_company_are_converted_at_the_posting_dates_rate(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		today = getdate()
		currency_exchange("USD", "CNY", 7.0, add_days(today, -60))
		currency_exchange("USD", "CNY", 7.25, add_days(today, -10))
		PurchaseInvoiceFactory(
			company=FOREIGN_COMPANY_NAME,
			supplier=supplier,
			amount=1_000_000,
			posting_date=add_days(today, -30),
		)
		PurchaseInvoiceFactory(company=FOREIGN_COMPANY_NAME, supplier=supplier, amount=2_000_000)
		self.assertEqual(
			frappe.db.get_value("Key Account", account, ["tier", "purchase_amount"]), ("Partner", 21_500_000)
		)

	def test_a_missing_rate_refuses_the_submit_and_writes_nothing(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		frappe.db.delete("Currency Exchange", {"from_currency": ("in", ["USD", "CNY"])})
		invoice = PurchaseInvoiceFactory(
			company=FOREIGN_COMPANY_NAME, supplier=supplier, amount=1000, submit=False
		)
		# As a request does, undo the failed submit as a whole.
		frappe.db.savepoint("before_submit")
		with self.assertRaisesRegex(frappe.ValidationError, "No exchange rate from USD to CNY"):
			invoice.submit()
		frappe.db.rollback(save_point="before_submit")
		self.assertEqual(frappe.db.get_value("Purchase Invoice", invoice.name, "docstatus"), 0)
		self.assertFalse(frappe.db.exists("GL Entry", {"voucher_no": invoice.name, "is_cancelled": 0}))
		self.assertEqual(frappe.db.count("Key Account Purchase Entry", {"supplier": supplier}), 0)
		self.assertEqual(frappe.db.get_value("Key Account", account, "purchase_amount"), 0)


def refresh_qualification(name):
	from key_account_mgmt.key_account_management.doctype.key_account.key_account import (
		refresh_qualification,
	)

	return refresh_qualification(name)


class TestKeyAccountFile(KeyAccountTestCase):
	def brand(self, name):
		if not frappe.db.exists("Brand", name):
			frappe.get_doc({"doctype": "Brand", "brand": name}).insert()
		return name

	def test_sales_criteria_are_computed_from_sales_invoices_of_the_brand(self):
		from key_account_mgmt.tests.factories import ItemFactory, SalesInvoiceFactory

		midea, gree = self.brand("Midea QA"), self.brand("Gree QA")
		SalesInvoiceFactory(item=ItemFactory(brand=midea).name, qty=6, rate=100_000)
		SalesInvoiceFactory(item=ItemFactory(brand=gree).name, qty=3, rate=100_000)
		SalesInvoiceFactory(qty=1, rate=100_000)  # an item of no brand
		account = KeyAccountFactory(brand=midea, supplier_names=[])
		self.assertEqual(account.criterion_top_ten_brand, 0)  # a save does not scan the sales
		refresh_qualification(account.name)
		account.reload()
		self.assertEqual(account.criterion_top_ten_brand, 1)
		self.assertIn("Rank 1 of 2 brands by sales", evidence_text(account.criterion_top_ten_brand_evidence))
		self.assertEqual(account.criterion_large_share, 1)
		self.assertIn(
			"60.0% of sales and 60.0% of gross profit", evidence_text(account.criterion_large_share_evidence)
		)
		self.assertEqual(account.qualifies, 0)  # people have not judged the other four yet
		account.update(
			{
				"criterion_known_brand": 1,
				"criterion_cooperates_well": 1,
				"criterion_supply_priority": 1,
				"criterion_first_launch": 1,
			}
		)
		account.save()
		self.assertEqual(account.qualifies, 1)

	def test_a_brand_without_sales_does_not_meet_the_sales_criteria(self):
		account = KeyAccountFactory(brand=self.brand("Unknown QA"), supplier_names=[])
		refresh_qualification(account.name)
		account.reload()
		self.assertEqual((account.criterion_top_ten_brand, account.criterion_large_share), (0, 0))
		self.assertIn("No sales of Unknown QA items", evidence_text(account.criterion_top_ten_brand_evidence))

	def test_a_team_member_twice_in_the_same_role_is_refused(self):
		team = [{"user": "Administrator", "team_role": "Chief Negotiator"}] * 2
		self.assertRaisesRegex(
			frappe.ValidationError, "twice", KeyAccountFactory, team=team, supplier_names=[]
		)

	def test_purchase_orders_of_its_suppliers_carry_the_account(self):
		from key_account_mgmt.tests.factories import ItemFactory

		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		order = frappe.get_doc(
			{
				"doctype": "Purchase Order",
				"company": "KAM Appliance Retail",
				"supplier": supplier,
				"schedule_date": getdate(),
				"currency": "CNY",
				"conversion_rate": 1,
				"items": [
					{"item_code": ItemFactory().name, "qty": 2, "rate": 1000, "schedule_date": getdate()}
				],
			}
		).insert()
		self.assertEqual(order.key_account, account)

	def test_the_activity_tab_shows_its_brands_stock_by_warehouse(self):
		from key_account_mgmt.tests.factories import ItemFactory

		brand = self.brand("Hisense QA")
		item = ItemFactory(brand=brand, is_stock_item=1).name
		warehouse = frappe.db.get_value("Warehouse", {"company": "KAM Appliance Retail", "is_group": 0})
		receipt = frappe.get_doc(
			{
				"doctype": "Stock Entry",
				"stock_entry_type": "Material Receipt",
				"company": "KAM Appliance Retail",
				"items": [{"item_code": item, "qty": 7, "t_warehouse": warehouse, "basic_rate": 2000}],
			}
		).insert()
		receipt.submit()
		account = KeyAccountFactory(brand=brand, supplier_names=[])
		account.run_method("onload")
		stock = account.get_onload("stock_by_warehouse")
		self.assertEqual([(row.warehouse, row.actual_qty) for row in stock], [(warehouse, 7)])
