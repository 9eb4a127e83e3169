# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
import frappe.client

from key_account_mgmt.tests.factories import (
	ContactFactory,
	ContactRoleFactory,
	KeyAccountFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase


class TestContactRole(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.account = KeyAccountFactory(account_name="Haier Test").name

	def test_a_contact_role_brings_the_contacts_details_and_joins_the_accounts_profile(self):
		contact = ContactFactory(email="wang.li@haier.example.com")
		role = ContactRoleFactory(key_account=self.account, contact=contact.name, level="Purchasing Director")
		self.assertEqual((role.full_name, role.email_id), (contact.full_name, "wang.li@haier.example.com"))
		self.assertTrue(frappe.get_doc("Contact", contact.name).has_link("Key Account", self.account))
		account = frappe.get_doc("Key Account", self.account)
		account.run_method("onload")
		self.assertIn(contact.name, [c.name for c in account.get_onload("contact_list")])

	def test_a_contact_of_another_account_is_refused(self):
		other = KeyAccountFactory().name
		contact = ContactRoleFactory(key_account=other).contact
		with self.assertRaisesRegex(frappe.ValidationError, "belongs to key account"):
			ContactRoleFactory(key_account=self.account, contact=contact)

	def test_a_contact_of_another_accounts_supplier_is_refused(self):
		supplier = SupplierFactory().name
		KeyAccountFactory(supplier_names=[supplier])
		contact = ContactFactory(links=[{"link_doctype": "Supplier", "link_name": supplier}]).name
		self.assertRaisesRegex(
			frappe.ValidationError,
			"belongs to key account",
			ContactRoleFactory,
			key_account=self.account,
			contact=contact,
		)

	def test_reports_to_must_be_in_the_same_account(self):
		boss = ContactRoleFactory(key_account=self.account, level="General Manager")
		role = ContactRoleFactory(key_account=self.account, reports_to=boss.name)
		self.assertEqual(role.reports_to, boss.name)
		outsider = ContactRoleFactory(level="Chairman")
		role.reports_to = outsider.name
		self.assertRaisesRegex(frappe.ValidationError, "reports to someone outside", role.save)

	def test_the_same_contact_twice_in_one_account_is_refused(self):
		role = ContactRoleFactory(key_account=self.account)
		self.assertRaisesRegex(
			frappe.ValidationError,
			"already has a role",
			ContactRoleFactory,
			key_account=self.account,
			contact=role.contact,
		)

	def test_personality_and_hobbies_are_for_key_account_managers_only(self):
		role = ContactRoleFactory(key_account=self.account)
		clerk = UserFactory(roles_held=["Key Account User"]).name
		manager = UserFactory(roles_held=["Key Account Manager"]).name

		frappe.set_user(manager)
		profile = frappe.get_doc(
			{
				"doctype": "Key Account Contact Profile",
				"contact_role": role.name,
				"personality": "Direct, data-driven",
				"hobbies": "Go, tea",
			}
		).insert()
		self.assertEqual((profile.name, profile.key_account), (role.name, self.account))
		profile.hobbies = "Go, tea, hiking"
		profile.save()

		frappe.set_user(clerk)
		seen = frappe.client.get("Key Account Contact Role", role.name)
		self.assertEqual(seen["level"], "Purchasing Manager")
		self.assertNotIn("personality", seen)
		self.assertRaises(frappe.PermissionError, frappe.client.get, profile.doctype, profile.name)
		self.assertRaises(frappe.PermissionError, frappe.get_list, profile.doctype)
		self.assertRaises(
			frappe.PermissionError,
			frappe.get_doc({"doctype": profile.doctype, "contact_role": role.name, "hobbies": "x"}).insert,
		)

		frappe.set_user(manager)
		self.assertEqual(frappe.client.get(profile.doctype, profile.name)["hobbies"], "Go, tea, hiking")

	def test_deleting_a_role_deletes_its_personal_profile(self):
		role = ContactRoleFactory(key_account=self.account)
		frappe.get_doc(
			{"doctype": "Key Account Contact Profile", "contact_role": role.name, "hobbies": "Go"}
		).insert()
		frappe.set_user(UserFactory(roles_held=["Key Account Manager"]).name)
		frappe.delete_doc("Key Account Contact Role", role.name)
		frappe.set_user("Administrator")
		self.assertFalse(frappe.db.exists("Key Account Contact Profile", role.name))

	def test_users_without_a_key_account_role_cannot_read_contact_roles(self):
		role = ContactRoleFactory(key_account=self.account)
		frappe.set_user(UserFactory(roles_held=["Purchase User"]).name)
		self.assertRaises(frappe.PermissionError, frappe.client.get, "Key Account Contact Role", role.name)
