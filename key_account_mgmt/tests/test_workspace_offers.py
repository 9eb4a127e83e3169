"""What the Key Accounts workspace offers each role set, and what a user it is not for sees (issue 21):

- every report the workspace offers (its links and its shortcuts) runs for the role set: a report the
  role set may not run is offered nowhere in it (Frappe drops a link or shortcut to a report whose roles
  the user lacks; this checks that what remains runs, the report's doctype permission included);
- a user the workspace is not for who opens /app/key-accounts gets the app's page that names the roles
  the workspace is for, in the user's language, instead of "not found"."""

import json

import frappe
from frappe.desk.desk_page import get as get_page
from frappe.desk.desktop import get_desktop_page, get_workspace_sidebar_items
from frappe.desk.query_report import run as run_report

from key_account_mgmt.tests.factories import UserFactory
from key_account_mgmt.tests.records import MODULE, one_of_everything
from key_account_mgmt.tests.test_role_matrix import ROLE_SETS, report_filters
from key_account_mgmt.tests.utils import KeyAccountTestCase

WORKSPACE = "Key Accounts"


def offered_reports() -> set[str]:
	page = get_desktop_page(json.dumps({"name": WORKSPACE, "title": WORKSPACE, "public": 1}))
	offered = {
		link["link_to"]
		for card in page["cards"]["items"]
		for link in card["links"]
		if link["link_type"] == "Report"
	}
	return offered | {
		shortcut.link_to for shortcut in page["shortcuts"]["items"] if shortcut.type == "Report"
	}


def runs(report: str, account: str) -> bool:
	try:
		run_report(report, filters=json.dumps(report_filters(report, account)))
	except frappe.PermissionError:
		return False
	finally:
		frappe.local.message_log = []
	return True


class TestWorkspaceOffers(KeyAccountTestCase):
	def test_the_workspace_offers_each_role_set_only_reports_it_may_run(self):
		account = one_of_everything().account
		reports = frappe.get_all("Report", filters={"module": MODULE}, pluck="name")
		self.assertGreaterEqual(len(reports), 11)
		for label, roles in ROLE_SETS.items():
			user = UserFactory(roles_held=roles).name
			frappe.set_user(user)
			try:
				if WORKSPACE not in {page.name for page in get_workspace_sidebar_items()["pages"]}:
					self.assertEqual([r for r in reports if runs(r, account)], [], label)
					continue
				offered = offered_reports()
				self.assertTrue(offered, label)
				runnable = {report for report in reports if runs(report, account)}
				with self.subTest(role_set=label):
					self.assertEqual(sorted(offered - runnable), [], f"{label}: offered but refused")
			finally:
				frappe.set_user("Administrator")
		# the split is real: finance runs some of the app's reports and not others
		frappe.set_user(UserFactory(roles_held=ROLE_SETS["Accounts User + Purchase User"]).name)
		self.assertTrue(0 < len(offered_reports()) < len(reports))

	def test_a_user_the_workspace_is_not_for_is_told_which_roles_it_is_for(self):
		roles = frappe.get_all(
			"Has Role", filters={"parenttype": "Workspace", "parent": WORKSPACE}, pluck="role"
		)
		self.assertIn("Key Account Manager", roles)
		for language, manager in (("en", "Key Account Manager"), ("zh", "大客户经理")):
			user = UserFactory(roles_held=(), language=language).name
			frappe.set_user(user)
			frappe.local.lang = language
			try:
				self.assertNotIn(WORKSPACE, {page.name for page in get_workspace_sidebar_items()["pages"]})
				script = get_page("key-accounts").script  # what the desk's getpage sends
				# the page's text, rendered for the reader (Frappe 15.11 appends the page's messages too)
				text = script.split("frappe.pages[", 1)[0]
			finally:
				frappe.local.lang = "en"
				frappe.set_user("Administrator")
			self.assertIn("frappe.templates", text)
			self.assertIn(manager, text)
			if language == "zh":
				self.assertIn("系统管理员", text)
				self.assertNotIn("Ask your System Manager", text)
			else:
				self.assertIn("Key Accounts is for these roles: ", text)
