# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.utils import getdate

from key_account_mgmt.tests.factories import (
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
	currency_exchange,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.evaluation import Cause

MILLION = 1_000_000


class TestTierBands(KeyAccountTestCase):
	def settings_with_bands(self, *bands):
		settings = frappe.get_single("Key Account Settings")
		settings.tier_bands = []
		for tier, bound in bands:
			settings.append("tier_bands", {"tier": tier, "lower_bound": bound})
		return settings

	def test_bands_out_of_order_are_refused_with_the_row(self):
		settings = self.settings_with_bands(("Ordinary", 5 * MILLION), ("Partner", 5 * MILLION))
		self.assertRaisesRegex(frappe.ValidationError, "Partner.*in row 2 must start above", settings.save)

	def test_a_band_without_a_positive_bound_is_refused(self):
		settings = self.settings_with_bands(("Ordinary", 0))
		self.assertRaisesRegex(frappe.ValidationError, "needs a lower bound above zero", settings.save)

	def test_a_band_named_twice_is_refused(self):
		settings = self.settings_with_bands(("Ordinary", 5 * MILLION), ("ordinary", 9 * MILLION))
		self.assertRaisesRegex(frappe.ValidationError, "is named twice", settings.save)

	def test_no_bands_is_refused(self):
		settings = self.settings_with_bands()
		self.assertRaises(frappe.ValidationError, settings.save)

	def test_editing_bands_reevaluates_every_account_and_logs_it(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		PurchaseInvoiceFactory(supplier=supplier, amount=18 * MILLION)
		self.assertEqual(frappe.db.get_value("Key Account", account, "tier"), "Ordinary")
		self.settings_with_bands(
			("Ordinary", 5 * MILLION), ("Partner", 15 * MILLION), ("Strategic", 50 * MILLION)
		).save()
		self.assertEqual(frappe.db.get_value("Key Account", account, "tier"), "Partner")
		change = frappe.get_last_doc("Key Account Tier Change", filters={"key_account": account})
		self.assertEqual(
			(change.from_tier, change.to_tier, change.cause), ("Ordinary", "Partner", Cause.BAND_CHANGE)
		)
		self.assertEqual(frappe.db.get_value("Supplier", supplier, "key_account_tier"), "Partner")

	def test_a_new_threshold_currency_reconverts_every_purchase(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		PurchaseInvoiceFactory(supplier=supplier, amount=7 * MILLION)
		currency_exchange("USD", "CNY", 7.0, "2000-01-01")
		settings = self.settings_with_bands(("Ordinary", 700_000), ("Partner", 2 * MILLION))
		settings.threshold_currency = "USD"
		settings.save()
		self.assertEqual(
			frappe.db.get_value("Key Account", account, ["tier", "purchase_amount", "currency"]),
			("Ordinary", 1 * MILLION, "USD"),
		)

	def test_only_key_account_managers_and_admins_edit_bands(self):
		clerk = UserFactory(roles_held=["Key Account User", "Accounts Manager"]).name
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		frappe.set_user(clerk)
		settings = self.settings_with_bands(("Ordinary", 1 * MILLION))
		self.assertRaises(frappe.PermissionError, settings.save)
		frappe.set_user(manager)
		self.settings_with_bands(("Ordinary", 1 * MILLION)).save()
		self.assertEqual(frappe.get_single("Key Account Settings").tier_bands[0].lower_bound, 1 * MILLION)

	def test_counting_only_some_companies(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		PurchaseInvoiceFactory(supplier=supplier, amount=6 * MILLION)
		settings = frappe.get_single("Key Account Settings")
		settings.append("companies", {"company": "KAM Global Sourcing"})
		settings.save()
		self.assertEqual(frappe.db.get_value("Key Account", account, ["tier", "purchase_amount"]), (None, 0))
		self.assertEqual(getdate(frappe.db.get_value("Key Account", account, "window_to")), getdate())
