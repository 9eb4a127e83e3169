import frappe

from key_account_mgmt.tests.factories import KeyAccountFactory, UserFactory
from key_account_mgmt.tests.utils import KeyAccountTestCase


class TestOneReportAMonth(KeyAccountTestCase):
	def report(self, month: str):
		return frappe.get_doc(
			{"doctype": "Key Account Monthly Report", "key_account": self.account, "month": month}
		).insert()

	def setUp(self):
		super().setUp()
		self.account = KeyAccountFactory().name
		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)

	def test_a_month_given_as_any_day_is_the_same_month(self):
		first = self.report("2026-10-01")
		self.assertRaisesRegex(
			frappe.ValidationError, "already has a monthly report", self.report, "2026-10-04"
		)
		self.assertEqual(
			frappe.get_all("Key Account Monthly Report", {"key_account": self.account}, pluck="name"),
			[first.name],
		)
		later = self.report("2026-11-30")
		self.assertEqual((str(later.month), later.name), ("2026-11-01", f"{self.account}-2026-11-01"))

	def test_moving_a_report_onto_a_month_that_has_one_is_refused(self):
		self.report("2026-10-01")
		november = self.report("2026-11-01")
		november.month = "2026-10-15"
		self.assertRaisesRegex(frappe.ValidationError, "already has a monthly report", november.save)
