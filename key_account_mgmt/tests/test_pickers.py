"""Pickers and the Profile tab for the key-account roles, which may not read ERPNext's Territory,
Warehouse, Contact or Address: the app searches on their behalf and shows only what belongs to the form."""

import frappe
from frappe.desk.form.load import getdoc
from frappe.desk.search import search_link

from key_account_mgmt.tests.factories import (
	ContactFactory,
	ContactRoleFactory,
	JointPromotionFactory,
	KeyAccountFactory,
	SupplierFactory,
	UserFactory,
	territory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase

KAU, KAM = "Key Account User", "Key Account Manager"
PICKERS = "key_account_mgmt.api.pickers."


class PickerTestCase(KeyAccountTestCase):
	@classmethod
	def make_class_records(cls):
		cls.clerk = UserFactory(roles_held=[KAU]).name
		cls.manager = UserFactory(roles_held=[KAM]).name
		cls.buyer_manager = UserFactory(roles_held=[KAM, "Purchase User"]).name
		cls.nobody = UserFactory().name

	def setUp(self):
		super().setUp()
		self.account = KeyAccountFactory().name

	def picked(self, user: str, doctype: str, query: str, txt: str = "", filters: dict | None = None) -> list:
		frappe.set_user(user)
		try:
			return [row["value"] for row in search_link(doctype, txt, query=PICKERS + query, filters=filters)]
		finally:
			frappe.set_user("Administrator")

	def call_as(self, user: str, query: str, doctype: str, filters: dict | None = None) -> list:
		"""The search itself, without the desk's wrapper (which answers 404 outside developer mode)."""
		frappe.set_user(user)
		try:
			return frappe.get_attr(PICKERS + query)(doctype, "", "name", 0, 10, filters)
		finally:
			frappe.set_user("Administrator")


class TestPromotionPickers(PickerTestCase):
	def promotion(self, **values):
		return JointPromotionFactory.build(key_account=self.account, **values)

	def test_regions_and_stores_are_offered_to_the_roles_that_edit_promotions(self):
		north = territory("North Picker QA")
		store = frappe.get_all("Warehouse", filters={"is_group": 0, "disabled": 0}, pluck="name", limit=1)[0]
		for user in (self.clerk, self.manager, self.buyer_manager):
			with self.subTest(user=frappe.get_roles(user)):
				self.assertIn(north, self.picked(user, "Territory", "promotion_territories", "North Picker"))
				self.assertIn(store, self.picked(user, "Warehouse", "promotion_stores", store[:6]))
		self.assertRaises(
			frappe.PermissionError, self.call_as, self.nobody, "promotion_territories", "Territory"
		)

		frappe.set_user(self.clerk)
		promotion = self.promotion(
			territories=[{"territory": north}], warehouses=[{"warehouse": store}]
		).insert()
		self.assertEqual(
			([row.territory for row in promotion.territories], promotion.warehouses[0].warehouse),
			([north], store),
		)

	def test_a_region_or_store_listed_twice_is_refused(self):
		north = territory("North Picker QA")
		self.assertRaisesRegex(
			frappe.ValidationError,
			"Regions lists .*North Picker QA.* twice",
			self.promotion(territories=[{"territory": north}, {"territory": north}]).insert,
		)
		store = frappe.get_all("Warehouse", filters={"is_group": 0}, pluck="name", limit=1)[0]
		self.assertRaisesRegex(
			frappe.ValidationError,
			"Stores lists .* twice",
			self.promotion(warehouses=[{"warehouse": store}, {"warehouse": store}]).insert,
		)


class TestAccountContacts(PickerTestCase):
	def setUp(self):
		super().setUp()
		self.roles = [ContactRoleFactory(key_account=self.account).contact for _ in range(3)]

	def test_the_profile_tab_lists_the_accounts_contacts_for_a_manager_who_cannot_read_contacts(self):
		for user in (self.manager, self.clerk):
			with self.subTest(user=frappe.get_roles(user)):
				frappe.set_user(user)
				getdoc("Key Account", self.account)
				account = frappe.response.docs[-1].get("__onload")
				frappe.set_user("Administrator")
				self.assertEqual(
					sorted(contact.name for contact in account["contact_list"]),
					sorted(self.roles),
				)

	def test_the_contact_picker_offers_only_this_accounts_contacts_without_a_role(self):
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		of_the_account = ContactFactory(links=[{"link_doctype": "Key Account", "link_name": account}]).name
		of_its_supplier = ContactFactory(links=[{"link_doctype": "Supplier", "link_name": supplier}]).name
		already_in_a_role = ContactRoleFactory(key_account=account).contact
		ContactFactory()  # nobody's
		ContactFactory(
			links=[{"link_doctype": "Key Account", "link_name": self.account}]
		)  # another account's
		for user in (self.clerk, self.manager):
			with self.subTest(user=frappe.get_roles(user)):
				offered = self.picked(user, "Contact", "account_contacts", filters={"key_account": account})
				self.assertEqual(sorted(offered), sorted([of_the_account, of_its_supplier]))
				self.assertNotIn(already_in_a_role, offered)
		self.assertRaises(
			frappe.PermissionError,
			self.call_as,
			self.nobody,
			"account_contacts",
			"Contact",
			{"key_account": account},
		)
