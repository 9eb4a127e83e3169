"""Portal grants (Art. 11): only a Key Account Manager grants, withdraws or moves one, each change is in
the grant's history, no change by anyone else hands the account's data to another website user, and
nothing of a grant reaches a Key Account User."""

import json

import frappe
import frappe.client
from frappe.desk.form.load import getdoc
from frappe.utils import cint

from key_account_mgmt.marketing.portal_access import check_portal_access
from key_account_mgmt.tests.factories import (
	ContactFactory,
	ContactRoleFactory,
	KeyAccountFactory,
	UserFactory,
	link_to_account,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase

GRANT = "Key Account Portal Grant"


def website_user() -> str:
	return UserFactory(user_type="Website User").name


class PortalGrantTestCase(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.account = KeyAccountFactory(supplier_names=[]).name
		self.manager = UserFactory(roles_held=["Key Account Manager"]).name
		self.clerk = UserFactory(roles_held=["Key Account User"]).name
		self.holder = website_user()
		self.intruder = website_user()
		# the clerk keeps the account's contacts, so may edit them (Contact: "All", if owner)
		frappe.set_user(self.clerk)
		self.contact = ContactFactory(user=self.holder).name
		self.other_contact = ContactFactory(user=self.intruder).name
		link_to_account(self.other_contact, self.account)  # one of the account's people, as a move needs
		self.role = ContactRoleFactory(key_account=self.account, contact=self.contact).name
		frappe.set_user(self.manager)
		self.grant = frappe.get_doc(
			{"doctype": GRANT, "contact_role": self.role, "portal_access": 1}
		).insert()
		frappe.set_user("Administrator")

	def reads_portal(self, user: str) -> bool:
		"""Whether `user`, logged in, is let through to the account's page and data (the check the page and
		`get_portal_data` make first; what they show is the portal's tests' business)."""
		current = frappe.session.user
		frappe.set_user(user)
		try:
			return check_portal_access(frappe.session.user, self.account) == self.account
		except frappe.PermissionError:
			return False
		finally:
			frappe.set_user(current)

	def history(self, as_user: str) -> list[tuple]:
		"""The grant's changes as its form's timeline shows them to `as_user`: (who, field, from, to)."""
		current = frappe.session.user
		frappe.set_user(as_user)
		try:
			frappe.local.response = frappe._dict(docs=[])
			getdoc(GRANT, self.role)
			versions = frappe.response.docinfo.versions
		finally:
			frappe.set_user(current)
		logged = []
		for version in versions:
			for field, before, after in json.loads(version.data).get("changed", []):
				if field == "portal_access":
					logged.append((version.owner, field, cint(before), cint(after)))
				elif field in ("contact", "portal_user"):
					logged.append((version.owner, field, before, after))
		return sorted(logged)


class TestGrantsCannotBeMovedByOthers(PortalGrantTestCase):
	def test_a_key_account_user_changing_the_contact_hands_the_portal_to_nobody(self):
		self.assertTrue(self.reads_portal(self.holder))
		frappe.set_user(self.clerk)
		role = frappe.get_doc("Key Account Contact Role", self.role)
		role.contact = self.other_contact
		role.save()
		self.assertFalse(self.reads_portal(self.intruder), "the grant moved to the new contact's user")
		self.assertFalse(self.reads_portal(self.holder), "the grant stayed on a contact the role left")
		self.assertIn((self.clerk, "portal_access", 1, 0), self.history(self.manager))
		self.assertIn((self.clerk, "portal_user", self.holder, self.intruder), self.history(self.manager))
		told = frappe.get_all(
			"Notification Log",
			filters={"document_type": GRANT, "document_name": self.role},
			fields=["for_user", "subject"],
		)
		self.assertIn(self.manager, [note.for_user for note in told])
		self.assertNotIn(self.clerk, [note.for_user for note in told])
		# in the reader's language, which names who changed it and whose access ended
		self.assertIn(self.clerk, told[0].subject)
		self.assertIn(self.holder, told[0].subject)

	def test_a_key_account_user_changing_the_contacts_user_hands_the_portal_to_nobody(self):
		frappe.set_user(self.clerk)
		contact = frappe.get_doc("Contact", self.contact)
		contact.user = self.intruder
		contact.save()
		# any later save of the role, by anyone, used to fetch the new user into the grant
		role = frappe.get_doc("Key Account Contact Role", self.role)
		role.authority = "Signs up to 1M"
		role.save()
		self.assertFalse(self.reads_portal(self.intruder), "the grant moved to the contact's new user")
		self.assertFalse(self.reads_portal(self.holder), "the grant stayed with the contact's old user")
		self.assertIn((self.clerk, "portal_access", 1, 0), self.history(self.manager))
		self.assertIn((self.clerk, "portal_user", self.holder, self.intruder), self.history(self.manager))

	def test_a_change_made_behind_the_forms_back_moves_nothing_either(self):
		frappe.db.set_value("Contact", self.contact, "user", self.intruder)
		frappe.db.set_value("Key Account Contact Role", self.role, "contact", self.other_contact)
		self.assertFalse(self.reads_portal(self.intruder))
		self.assertFalse(self.reads_portal(self.holder))


class TestKeyAccountManagersGrantWithdrawAndMove(PortalGrantTestCase):
	def test_only_a_key_account_manager_grants_and_withdraws(self):
		newcomer = website_user()
		frappe.set_user(self.clerk)
		role = ContactRoleFactory(key_account=self.account, contact=ContactFactory(user=newcomer).name).name
		self.assertRaises(
			frappe.PermissionError,
			frappe.get_doc({"doctype": GRANT, "contact_role": role, "portal_access": 1}).insert,
		)
		self.assertRaises(
			frappe.PermissionError, frappe.client.set_value, GRANT, self.role, "portal_access", 0
		)
		self.assertRaises(frappe.PermissionError, frappe.client.get, GRANT, self.role)
		self.assertFalse(self.reads_portal(newcomer))
		self.assertTrue(self.reads_portal(self.holder))

		frappe.set_user(self.manager)
		frappe.get_doc({"doctype": GRANT, "contact_role": role, "portal_access": 1}).insert()
		self.assertTrue(self.reads_portal(newcomer))
		frappe.client.set_value(GRANT, self.role, "portal_access", 0)
		self.assertFalse(self.reads_portal(self.holder))
		self.assertEqual(self.history(self.manager), [(self.manager, "portal_access", 1, 0)])

	def test_a_grant_names_the_contacts_own_user_whatever_the_request_says(self):
		contact = ContactFactory(user=website_user()).name
		frappe.set_user(self.manager)
		role = ContactRoleFactory(key_account=self.account, contact=contact)
		forged = {
			"doctype": GRANT,
			"contact_role": role.name,
			"portal_access": 1,
			"portal_user": self.intruder,
		}
		self.assertNotEqual(frappe.get_doc(forged).insert().portal_user, self.intruder)
		self.assertFalse(self.reads_portal(self.intruder))

	def test_a_grant_needs_a_contact_with_a_website_user(self):
		frappe.set_user(self.manager)
		role = ContactRoleFactory(key_account=self.account).name
		with self.assertRaisesRegex(frappe.ValidationError, "has no website user"):
			frappe.get_doc({"doctype": GRANT, "contact_role": role, "portal_access": 1}).insert()

	def test_a_key_account_manager_moves_a_grant_and_the_move_is_logged(self):
		successor = website_user()
		frappe.set_user(self.manager)
		contact = frappe.get_doc("Contact", self.contact)
		contact.user = successor
		contact.save(ignore_permissions=True)  # the manager's own Contact rights are ERPNext's business
		self.assertTrue(self.reads_portal(successor))
		self.assertFalse(self.reads_portal(self.holder))
		role = frappe.get_doc("Key Account Contact Role", self.role)
		role.contact = self.other_contact
		role.save()
		self.assertTrue(self.reads_portal(self.intruder))
		self.assertFalse(self.reads_portal(successor))
		self.assertEqual(
			self.history(self.manager),
			sorted(
				[
					(self.manager, "portal_user", self.holder, successor),
					(self.manager, "contact", self.contact, self.other_contact),
					(self.manager, "portal_user", successor, self.intruder),
				]
			),
		)

	def test_a_role_with_portal_access_is_deleted_only_after_the_access_is_withdrawn(self):
		frappe.set_user(self.manager)
		with self.assertRaisesRegex(frappe.ValidationError, "Withdraw its portal access first"):
			frappe.delete_doc("Key Account Contact Role", self.role)
		frappe.client.set_value(GRANT, self.role, "portal_access", 0)
		frappe.delete_doc("Key Account Contact Role", self.role)
		self.assertFalse(frappe.db.exists(GRANT, self.role))

	def test_nobody_but_the_app_writes_the_log(self):
		frappe.set_user(self.clerk)
		forged = {
			"doctype": "Version",
			"ref_doctype": GRANT,
			"docname": self.role,
			"data": json.dumps({"changed": [["portal_access", 0, 1]]}),
		}
		self.assertRaises(frappe.PermissionError, frappe.get_doc(forged).insert)


class TestGrantsReachNoKeyAccountUser(PortalGrantTestCase):
	def answers(self, ask) -> list:
		"""What the clerk learns from `ask(user)` for the grant's holder and for a user holding none:
		the same answer for both tells nothing."""
		users = (self.holder, website_user())
		frappe.set_user(self.clerk)
		seen = []
		for user in users:
			try:
				seen.append(ask(user))
			except Exception as error:  # what the clerk sees of a refusal is its kind
				seen.append(type(error).__name__)
			finally:
				frappe.local.message_log = []
		frappe.set_user("Administrator")
		return seen

	def assert_tells_nothing(self, ask, what: str):
		holder, nobody = self.answers(ask)
		self.assertEqual(holder, nobody, f"{what} tells a Key Account User who holds the grant")

	def test_no_list_filter_report_count_or_export_answers_about_a_grant(self):
		from frappe.desk.listview import get_group_by_count
		from frappe.desk.reportview import export_query
		from frappe.desk.reportview import get as list_view

		from key_account_mgmt.tests.test_integrity import http_request

		doctype = "Key Account Contact Role"

		def reportview(user):
			query = {"doctype": doctype, "fields": '["name"]', "filters": json.dumps({"portal_user": user})}
			with http_request("POST", "/api/method/frappe.desk.reportview.get", **query):
				return list_view()

		def export(user):
			query = {
				"doctype": doctype,
				"fields": '["name"]',
				"filters": json.dumps({"portal_user": user}),
				"file_format_type": "CSV",
			}
			with http_request("POST", "/api/method/frappe.desk.reportview.export_query", **query):
				export_query()
				return frappe.response.get("filecontent")

		paths = {
			"frappe.get_list": lambda user: frappe.get_list(doctype, filters={"portal_user": user}),
			"/api/resource": lambda user: frappe.client.get_list(
				doctype, filters=json.dumps({"portal_user": user, "portal_access": 1})
			),
			"the report view": reportview,
			"the sidebar's group-by count": lambda user: get_group_by_count(
				doctype, json.dumps({"portal_user": user}), "portal_access"
			),
			"the export": export,
			"a list of grants": lambda user: frappe.get_list(GRANT, filters={"portal_user": user}),
		}
		for what, ask in paths.items():
			with self.subTest(path=what):
				self.assert_tells_nothing(ask, what)
		frappe.set_user(self.clerk)
		self.assertRaises(frappe.PermissionError, frappe.get_list, GRANT)
		seen = frappe.client.get(doctype, self.role)
		self.assertFalse({"portal_access", "portal_user"} & set(seen))

	def test_a_refused_deletion_of_the_contact_names_no_grant(self):
		frappe.set_user(self.clerk)  # the contact's owner may delete it, were no role linked to it
		with self.assertRaises(frappe.LinkExistsError) as refusal:
			frappe.delete_doc("Contact", self.contact)
		self.assertIn("Key Account Contact Role", str(refusal.exception))
		self.assertNotIn("Portal Grant", str(refusal.exception))
