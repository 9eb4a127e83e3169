"""Every picker of every form of the app, for every key-account role that edits the form, generated
from the DocType metadata: each Link and Table MultiSelect field the role may fill (in the form or in
one of its tables) either searches a doctype the role may read or select (Frappe's own search and link
check answer it), or is one of the app's pickers (api/pickers.py FORM_PICKERS), which answers the role
and offers only values that exist. A field or doctype added tomorrow is covered without a new test."""

import frappe
from frappe.desk.search import search_link

from key_account_mgmt.api import pickers
from key_account_mgmt.tests.factories import KeyAccountFactory, UserFactory
from key_account_mgmt.tests.utils import KeyAccountTestCase

MODULE = "Key Account Management"
ROLES = ("Key Account Manager", "Key Account User")


def editable_forms() -> list[str]:
	return frappe.get_all(
		"DocType", filters={"module": MODULE, "istable": 0, "is_virtual": 0}, pluck="name", order_by="name"
	)


def link_fields(doctype: str):
	"""(doctype holding the field, field, linked doctype) for every Link and Table MultiSelect a user
	fills in the form, the form's tables included."""
	meta = frappe.get_meta(doctype)
	for df in meta.fields:
		if df.read_only or df.hidden or df.fieldtype in ("Dynamic Link",):
			continue
		if df.fieldtype == "Link":
			yield doctype, df, df.options
		elif df.fieldtype in ("Table", "Table MultiSelect"):
			for child_df in frappe.get_meta(df.options).fields:
				if child_df.fieldtype == "Link" and not child_df.read_only and not child_df.hidden:
					yield df.options, child_df, child_df.options


def may_edit(doctype: str, df, user: str) -> bool:
	if not (
		frappe.has_permission(doctype, "write", user=user)
		or frappe.has_permission(doctype, "create", user=user)
	):
		return False
	levels = frappe.get_meta(doctype).get_permlevel_access("write", user=user)
	return (df.permlevel or 0) in levels


class TestEveryPickerOfEveryForm(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.account = KeyAccountFactory().name
		self.users = {role: UserFactory(roles_held=[role]).name for role in ROLES}

	def pickers_of(self):
		for form in editable_forms():
			for holder, df, target in link_fields(form):
				for role, user in self.users.items():
					if may_edit(form, df, user):
						yield form, holder, df, target, role, user

	def test_each_role_can_pick_every_link_it_may_fill(self):
		checked = 0
		for form, holder, df, target, role, user in self.pickers_of():
			with self.subTest(form=form, field=f"{holder}.{df.fieldname}", role=role):
				checked += 1
				picker = pickers.FORM_PICKERS.get((holder, df.fieldname))
				if picker is None:
					self.assertTrue(
						frappe.has_permission(target, "select", user=user)
						or frappe.has_permission(target, "read", user=user),
						f"{role} fills {holder}.{df.fieldname} but may not read or select {target}, "
						"and the app declares no picker for it",
					)
					continue
				frappe.set_user(user)
				try:
					rows = search_link(
						target,
						"",
						query=f"key_account_mgmt.api.pickers.{picker}",
						filters={"key_account": self.account},
					)
				finally:
					frappe.set_user("Administrator")
				for row in rows:
					self.assertTrue(frappe.db.exists(target, row["value"]), row)
		self.assertGreater(checked, 10)

	def test_each_declared_picker_belongs_to_a_field_of_the_app(self):
		fields = {
			(holder, df.fieldname) for form in editable_forms() for holder, df, _target in link_fields(form)
		}
		self.assertLessEqual(set(pickers.FORM_PICKERS), fields)
