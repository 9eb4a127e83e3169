"""Every role, every screen: what the app ships (its reports, doctypes and print formats), opened by
users who hold each role set finance and the key-account team work with, and by a user with none.

The matrix is generated from what is installed, so a new report, doctype or print format is covered
without touching this file. Whether a role set may open something comes from the app's own
declarations (the Report's roles, the DocType's permissions); what is checked is that the desk then
does what those declarations promise: allowed opens without an error, refused raises PermissionError.
"""

import json
import re

import frappe
import frappe.client
from frappe.desk.desktop import get_desktop_page, get_workspace_sidebar_items
from frappe.desk.doctype.dashboard_chart.dashboard_chart import get as get_chart
from frappe.desk.doctype.dashboard_chart_source.dashboard_chart_source import (
	get_config as get_chart_source_config,
)
from frappe.desk.doctype.number_card.number_card import get_result as get_number_card_result
from frappe.desk.form.load import getdoc
from frappe.desk.query_report import run as run_report
from frappe.utils.user import UserPermissions

from key_account_mgmt.tests.factories import (
	ContactFactory,
	ContactRoleFactory,
	UserFactory,
)
from key_account_mgmt.tests.records import one_of_everything
from key_account_mgmt.tests.utils import KeyAccountTestCase

MODULE = "Key Account Management"

ROLE_SETS = {
	"Key Account Manager": ("Key Account Manager",),
	"Key Account User": ("Key Account User",),
	"Key Account Manager + Purchase User": ("Key Account Manager", "Purchase User"),
	"Accounts User + Purchase User": ("Accounts User", "Purchase User"),
	"Accounts Manager": ("Accounts Manager",),
	"no role": (),
}

# Finance opens these; the README's "Who may do what" promises it.
FINANCE_REPORTS = ("Key Account Register", "Value Analysis", "Tier Movement")


def report_filters(report: str, account: str) -> dict:
	"""The filters a user starts with: none, except the account for a report about one account."""
	return {"key_account": account} if report == "Agent Contribution" else {}


REFUSED = object()


def outcome(what: str, attempt, allowed: bool, problems: list[str]):
	"""Runs `attempt` as the current user and notes in `problems` what contradicts `allowed`: a refusal
	of what the role may open, or an opening of what it may not. Returns the result, or REFUSED."""
	try:
		result = attempt()
	except frappe.PermissionError as error:
		if allowed:
			problems.append(f"{what}: refused ({error})")
		return REFUSED
	finally:
		frappe.local.message_log = []
	if not allowed:
		problems.append(f"{what}: opened without a read permission")
	return result


def declared_readers(doctype: str) -> set[str]:
	meta = frappe.get_meta(doctype)
	return {perm.role for perm in meta.permissions if perm.permlevel == 0 and perm.read}


class TestRoleMatrix(KeyAccountTestCase):
	@classmethod
	def make_class_records(cls):
		cls.users = {label: UserFactory(roles_held=roles).name for label, roles in ROLE_SETS.items()}
		records = one_of_everything()
		cls.account, cls.monthly_report = records.account, records.monthly_report

	def problems_as(self, label: str, check) -> list[str]:
		frappe.set_user(self.users[label])
		try:
			return check(set(ROLE_SETS[label]))
		finally:
			frappe.set_user("Administrator")

	def test_every_report_opens_for_its_roles_and_refuses_the_others(self):
		reports = frappe.get_all("Report", filters={"module": MODULE}, pluck="name")
		self.assertGreaterEqual(len(reports), 11)
		for report in reports:
			filters = report_filters(report, self.account)
			result = run_report(report, filters=json.dumps(filters))
			self.assertTrue(result["result"], f"{report} shows nothing; its columns go unchecked")

		def check(roles):
			problems = []
			for report in reports:
				allowed = bool(roles & set(frappe.get_all("Has Role", {"parent": report}, pluck="role")))
				filters = json.dumps(report_filters(report, self.account))
				result = outcome(
					report, lambda r=report, f=filters: run_report(r, filters=f), allowed, problems
				)
				if allowed and result is not REFUSED and not result["result"]:
					problems.append(f"{report}: opened but shows nothing")
			return problems

		for label in ROLE_SETS:
			with self.subTest(role_set=label):
				self.assertEqual(self.problems_as(label, check), [], label)

	def test_finance_opens_the_workspace_register_value_analysis_and_tier_movement(self):
		for label in ("Accounts User + Purchase User", "Accounts Manager"):
			frappe.set_user(self.users[label])
			with self.subTest(role_set=label, workspace="Key Accounts"):
				self.assertIn("Key Accounts", {page.name for page in get_workspace_sidebar_items()["pages"]})
			for report in FINANCE_REPORTS:
				with self.subTest(role_set=label, report=report):
					result = run_report(report, filters=json.dumps({}))
					# a total row, where a report adds one, is a list on Frappe 15.12
					accounts = [row.get("key_account") for row in result["result"] if isinstance(row, dict)]
					self.assertIn(self.account, accounts)
			frappe.set_user("Administrator")

	def test_every_doctype_lists_and_opens_for_its_readers_only(self):
		doctypes = frappe.get_all("DocType", filters={"module": MODULE, "istable": 0}, pluck="name")
		# a form is opened where a record exists (make_class_records creates one of each doctype it knows)
		records = {
			doctype: doctype
			if frappe.get_meta(doctype).issingle
			else next(iter(frappe.get_all(doctype, order_by="creation desc", limit=1, pluck="name")), None)
			for doctype in doctypes
		}
		self.assertGreaterEqual(sum(1 for name in records.values() if name), 11)

		def check(roles):
			problems = []
			desk = UserPermissions(frappe.session.user)
			desk.build_permissions()
			for doctype in doctypes:
				allowed = bool(roles & declared_readers(doctype))
				# the desk routes /app/<doctype> only for these; the others answer "Page not found"
				if allowed and doctype not in desk.can_read:
					problems.append(f"{doctype}: no desk page (Page not found)")
				attempts = [("form", lambda dt=doctype: getdoc(dt, records[dt]))] if records[doctype] else []
				if not frappe.get_meta(doctype).issingle:
					attempts.append(("list", lambda dt=doctype: frappe.get_list(dt, limit=1)))
				for what, attempt in attempts:
					outcome(f"{doctype} {what}", attempt, allowed, problems)
			return problems

		for label in ROLE_SETS:
			with self.subTest(role_set=label):
				self.assertEqual(self.problems_as(label, check), [], label)

	def test_every_print_format_renders_for_those_who_may_read_its_doctype(self):
		formats = frappe.get_all(
			"Print Format", filters={"module": MODULE}, fields=["name", "doc_type"], order_by="name"
		)
		self.assertGreaterEqual(len(formats), 2)
		records = {"Key Account": self.account, "Key Account Monthly Report": self.monthly_report}
		for print_format in formats:
			readers = [
				label
				for label, roles in ROLE_SETS.items()
				if set(roles) & declared_readers(print_format.doc_type)
			]
			self.assertTrue(readers, print_format.name)
			for label in readers:
				with self.subTest(print_format=print_format.name, role_set=label):
					frappe.set_user(self.users[label])
					html = frappe.get_print(
						print_format.doc_type, records[print_format.doc_type], print_format.name
					)
					frappe.set_user("Administrator")
					self.assertIn(self.account, html)

	def test_portal_access_is_granted_and_withdrawn_by_key_account_managers_only(self):
		grant = "Key Account Portal Grant"
		roles = {
			label: ContactRoleFactory(
				key_account=self.account,
				contact=ContactFactory(user=UserFactory(user_type="Website User").name).name,
			).name
			for label in ROLE_SETS
		}

		def check(label, role_set):
			problems = []
			manages = "Key Account Manager" in role_set
			role = roles[label]
			new = {"doctype": grant, "contact_role": role, "portal_access": 1}
			outcome("grant", lambda: frappe.get_doc(new).insert(), manages, problems)
			if manages:
				outcome(
					"withdraw",
					lambda: frappe.client.set_value(grant, role, "portal_access", 0),
					manages,
					problems,
				)
			return problems

		for label in ROLE_SETS:
			with self.subTest(role_set=label):
				self.assertEqual(
					self.problems_as(label, lambda held, label=label: check(label, held)), [], label
				)

	def test_the_tier_log_and_the_ledger_are_written_by_the_engine_only(self):
		for doctype in ("Key Account Tier Change", "Key Account Purchase Entry"):
			name = frappe.get_all(doctype, order_by="creation desc", limit=1, pluck="name")[0]
			for label in ("Key Account Manager", "Key Account User"):
				with self.subTest(doctype=doctype, role_set=label):
					frappe.set_user(self.users[label])
					entry = frappe.get_doc(doctype, name)
					self.assertRaises(frappe.PermissionError, entry.save)
					self.assertRaises(frappe.PermissionError, frappe.copy_doc(entry).insert)
					frappe.set_user("Administrator")
			# not even a user who may do everything edits an entry
			self.assertRaises(frappe.PermissionError, frappe.get_doc(doctype, name).save)

	def test_the_workspace_shows_each_role_set_only_what_opens_for_it(self):
		workspaces = frappe.get_all("Workspace", filters={"module": MODULE}, pluck="name")
		self.assertTrue(workspaces)

		def check(roles):
			problems = []
			listed = {page.name for page in get_workspace_sidebar_items()["pages"]}
			for name in workspaces:
				allowed = bool(roles & set(frappe.get_all("Has Role", {"parent": name}, pluck="role")))
				if allowed != (name in listed):
					problems.append(f"{name}: {'missing from' if allowed else 'listed in'} the sidebar")
				if not allowed:
					continue
				page = get_desktop_page(json.dumps({"name": name, "title": name, "public": 1}))
				for card in page["number_cards"]["items"]:
					card_doc = frappe.get_doc("Number Card", card.number_card_name)
					try:
						if card_doc.type == "Custom":  # counted by its own method (the tier cards)
							frappe.call(card_doc.method, filters=card_doc.filters_json)
						else:
							get_number_card_result(card_doc.as_json(), card_doc.filters_json)
					except frappe.PermissionError as error:
						problems.append(f"{name}: card {card.number_card_name} refused ({error})")
				for chart in page["charts"]["items"]:
					try:
						chart_doc = frappe.get_doc("Dashboard Chart", chart.chart_name)
						if chart_doc.chart_type == "Custom":  # its source's method, as the desk calls it
							config = get_chart_source_config(chart_doc.source)
							method = re.search(r'method:\s*"([^"]+)"', config).group(1)
							frappe.call(method, chart_name=chart_doc.name, filters=chart_doc.filters_json)
						else:
							get_chart(chart_name=chart.chart_name, refresh=1)
					except frappe.PermissionError as error:
						problems.append(f"{name}: chart {chart.chart_name} refused ({error})")
				for section in page["cards"]["items"]:
					for link in section["links"]:
						if link["link_type"] == "DocType":
							doctype = link["link_to"]
							try:
								if frappe.get_meta(doctype).issingle:
									getdoc(doctype, doctype)
								else:
									frappe.get_list(doctype, limit=1)
							except frappe.PermissionError:
								problems.append(f"{name}: {link['link_to']} listed but refused")
						elif (
							link["link_type"] == "Report"
							and not frappe.get_doc("Report", link["link_to"]).is_permitted()
						):
							problems.append(f"{name}: report {link['link_to']} listed but refused")
				frappe.local.message_log = []
			return problems

		for label in ROLE_SETS:
			with self.subTest(role_set=label):
				self.assertEqual(self.problems_as(label, check), [], label)
