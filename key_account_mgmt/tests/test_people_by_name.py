"""The analyses name people by their full name, not by their e-mail: the account manager in the
register, the owner of an open agreement, who caused a tier change."""

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.key_account_management.report.key_account_register import key_account_register
from key_account_mgmt.key_account_management.report.open_agreements import open_agreements
from key_account_mgmt.key_account_management.report.tier_movement import tier_movement
from key_account_mgmt.tests.factories import (
	KeyAccountFactory,
	NegotiationLogFactory,
	PurchaseInvoiceFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase


class TestPeopleByName(KeyAccountTestCase):
	@classmethod
	def make_class_records(cls):
		cls.manager = UserFactory(
			roles_held=["Key Account Manager"], first_name="Wang", last_name="Fang"
		).name
		cls.owner = UserFactory(roles_held=["Key Account User"], first_name="Li", last_name="Na").name
		cls.poster = UserFactory(
			roles_held=["Accounts User", "Purchase User"], first_name="Zhao", last_name="Lei"
		).name
		cls.account = KeyAccountFactory(account_manager=cls.manager)
		invoice = PurchaseInvoiceFactory(
			supplier=cls.account.suppliers[0].supplier, amount=6_000_000, submit=False
		)
		frappe.set_user(cls.poster)
		invoice.submit()
		frappe.set_user("Administrator")
		NegotiationLogFactory(
			key_account=cls.account.name,
			agreements=[
				{"agreement": "Shelf space", "responsible": cls.owner, "due_date": add_days(getdate(), 7)}
			],
			submit=True,
		)

	def setUp(self):
		super().setUp()
		frappe.set_user(self.manager)

	def row(self, report, **filters) -> dict:
		_columns, data, *_ = report.execute(frappe._dict(filters))
		return next(row for row in data if row.get("key_account") == self.account.name)

	def test_the_register_names_the_account_manager(self):
		self.assertEqual(self.row(key_account_register)["account_manager"], "Wang Fang")

	def test_open_agreements_name_their_owner(self):
		self.assertEqual(self.row(open_agreements, key_account=self.account.name)["responsible"], "Li Na")

	def test_tier_movement_names_who_caused_the_change(self):
		row = self.row(tier_movement, key_account=self.account.name, from_date=getdate(), to_date=getdate())
		self.assertEqual(row["changed_by"], "Zhao Lei")
