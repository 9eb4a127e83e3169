"""A working day in the desk (issue 21), as the roles that got stuck:

- a Key Account Manager without Purchase User builds an account: picks a supplier and a brand it may not
  read, and saves what it was offered;
- a manager who locks a tier is told of the lock, not of an amount outside the locked band;
- a manager's pencil on a contact card opens what the manager may edit;
- finance prints the One-to-One without empty sections it may not read, "-0.0" or blank figures."""

import frappe
import frappe.client
from frappe.desk.form.load import getdoc
from frappe.desk.search import search_link
from frappe.handler import execute_cmd

from key_account_mgmt.api import pickers
from key_account_mgmt.tests.factories import (
	ContactFactory,
	ContactRoleFactory,
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.test_integrity import http_request
from key_account_mgmt.tests.utils import KeyAccountTestCase

KAU, KAM = "Key Account User", "Key Account Manager"
FINANCE = ["Accounts User", "Purchase User"]
PICKERS = "key_account_mgmt.api.pickers."


def brand(name: str) -> str:
	if not frappe.db.exists("Brand", name):
		frappe.get_doc({"doctype": "Brand", "brand": name}).insert()
	return name


def check_link(doctype: str, name: str):
	"""Frappe's own check of a link field's value, as the desk calls it: validate_link in Frappe 15,
	validate_link_and_fetch (which reads the request) in Frappe 16."""
	method = "validate_link" if hasattr(frappe.client, "validate_link") else "validate_link_and_fetch"
	with http_request("GET", f"/api/method/frappe.client.{method}", doctype=doctype, docname=name):
		return execute_cmd(f"frappe.client.{method}")


class DeskDayTestCase(KeyAccountTestCase):
	def as_user(self, user: str, function, *args, **kwargs):
		frappe.set_user(user)
		try:
			return function(*args, **kwargs)
		finally:
			frappe.set_user("Administrator")

	def offered(self, user: str, doctype: str, query: str, txt: str, filters: dict | None = None) -> list:
		return [
			row["value"]
			for row in self.as_user(user, search_link, doctype, txt, query=PICKERS + query, filters=filters)
		]


class TestBuildingAnAccountWithoutPurchaseUser(DeskDayTestCase):
	def setUp(self):
		super().setUp()
		self.manager = UserFactory(roles_held=[KAM]).name
		self.clerk = UserFactory(roles_held=[KAU]).name
		self.free = SupplierFactory(supplier_name=f"Joyoung Picker {frappe.generate_hash(length=6)}").name
		self.taken = KeyAccountFactory().suppliers[0].supplier
		self.disabled = SupplierFactory(disabled=1).name
		self.brand = brand(f"Joyoung Brand {frappe.generate_hash(length=6)}")

	def test_the_roles_may_not_read_supplier_or_brand(self):
		# what makes the app's pickers necessary: Frappe's own search and link check refuse them
		for user in (self.manager, self.clerk):
			for doctype in ("Supplier", "Brand"):
				self.assertFalse(frappe.has_permission(doctype, "read", user=user), (user, doctype))
			self.assertRaises(
				frappe.PermissionError,
				self.as_user,
				user,
				check_link,
				"Supplier",
				self.free,
			)

	def test_a_manager_is_offered_free_suppliers_and_brands_and_saves_them(self):
		for user in (self.manager, self.clerk):
			with self.subTest(user=frappe.get_roles(user)):
				offered = self.offered(user, "Supplier", "account_suppliers", "Joyoung Picker")
				self.assertIn(self.free, offered)
				everything = self.offered(user, "Supplier", "account_suppliers", "")
				self.assertNotIn(self.taken, everything)
				self.assertNotIn(self.disabled, everything)
				self.assertIn(self.brand, self.offered(user, "Brand", "account_brands", "Joyoung Brand"))
				self.assertEqual(
					self.as_user(user, pickers.account_supplier, self.free)["supplier_name"],
					frappe.db.get_value("Supplier", self.free, "supplier_name"),
				)
				self.assertEqual(self.as_user(user, pickers.account_brand, self.brand), self.brand)

		frappe.set_user(self.manager)
		account = frappe.get_doc(
			{
				"doctype": "Key Account",
				"account_name": f"Joyoung {frappe.generate_hash(length=6)}",
				"brand": self.brand,
				"suppliers": [{"supplier": self.free}],
			}
		).insert()
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Supplier", self.free, "key_account"),
			account.name,
		)
		self.assertEqual(
			account.suppliers[0].supplier_name, frappe.db.get_value("Supplier", self.free, "supplier_name")
		)
		# its own supplier stays on offer to the account that holds it, and to no other
		self.assertIn(
			self.free,
			self.offered(self.manager, "Supplier", "account_suppliers", "", {"key_account": account.name}),
		)
		self.assertNotIn(self.free, self.offered(self.manager, "Supplier", "account_suppliers", ""))

	def test_a_supplier_of_another_account_or_no_supplier_is_refused_with_a_message(self):
		self.assertRaisesRegex(
			frappe.ValidationError,
			"belongs to key account",
			self.as_user,
			self.manager,
			pickers.account_supplier,
			self.taken,
		)
		self.assertRaisesRegex(
			frappe.DoesNotExistError,
			"There is no supplier",
			self.as_user,
			self.manager,
			pickers.account_supplier,
			"No Such Supplier QA",
		)
		self.assertRaises(
			frappe.DoesNotExistError, self.as_user, self.manager, pickers.account_brand, "No Such Brand QA"
		)

	def test_who_may_not_edit_accounts_is_offered_nothing(self):
		for roles in ([], FINANCE):
			user = UserFactory(roles_held=roles).name
			with self.subTest(roles=roles):
				self.assertRaises(
					frappe.PermissionError,
					self.as_user,
					user,
					pickers.account_suppliers,
					"Supplier",
					"",
					"name",
					0,
					10,
				)
				self.assertRaises(
					frappe.PermissionError, self.as_user, user, pickers.account_supplier, self.free
				)
				self.assertRaises(
					frappe.PermissionError, self.as_user, user, pickers.account_brand, self.brand
				)


class TestLockingATier(DeskDayTestCase):
	def test_the_notification_tells_of_the_lock_and_no_amount(self):
		manager = UserFactory(roles_held=[KAM]).name
		supplier = SupplierFactory().name
		account = KeyAccountFactory(
			account_name=f"TCL {frappe.generate_hash(length=6)}", supplier_names=[supplier]
		)
		PurchaseInvoiceFactory(supplier=supplier, amount=12_585_996)
		frappe.set_user(manager)
		account.reload()
		account.update({"tier_locked": 1, "locked_tier": "Partner", "lock_reason": "Group agreement"})
		account.save()
		frappe.set_user("Administrator")
		subjects = frappe.get_all(
			"Notification Log", filters={"for_user": manager, "document_name": account.name}, pluck="subject"
		)
		# the lock's notice, beside the posting's own ("no tier → Ordinary, ... 12,585,996 CNY")
		self.assertEqual(
			[subject for subject in subjects if "→ Partner" in subject],
			[f"{account.name}: Ordinary → Partner, tier locked by a manager (its purchases give Ordinary)"],
		)


class TestContactCards(DeskDayTestCase):
	def test_a_managers_pencil_opens_the_contacts_role_or_the_contact_it_may_edit(self):
		manager = UserFactory(roles_held=[KAM]).name
		account = KeyAccountFactory().name
		role = ContactRoleFactory(key_account=account)
		frappe.set_user(manager)
		own = ContactFactory(links=[{"link_doctype": "Key Account", "link_name": account}]).name
		getdoc("Key Account", account)
		cards = {card.name: card for card in frappe.response.docs[-1].get("__onload")["contact_list"]}
		frappe.set_user("Administrator")
		self.assertEqual((cards[role.contact].may_edit, cards[role.contact].contact_role), (False, role.name))
		self.assertTrue(
			frappe.has_permission("Key Account Contact Role", "write", doc=role.name, user=manager)
		)
		self.assertEqual((cards[own].may_edit, cards[own].contact_role), (True, None))


class TestOneToOneForFinance(DeskDayTestCase):
	def test_finance_prints_no_section_it_may_not_read_and_no_blank_or_negative_zero(self):
		finance = UserFactory(roles_held=FINANCE).name
		supplier = SupplierFactory().name
		account = KeyAccountFactory(supplier_names=[supplier]).name
		PurchaseInvoiceFactory(supplier=supplier, amount=6_000_000)
		frappe.set_user(finance)
		html = frappe.get_print("Key Account", account, "Key Account One-to-One")
		frappe.set_user("Administrator")
		html = html.split('<div class="print-format">', 1)[1].split("</body>", 1)[0]
		for hidden in ("Satisfaction Analysis", "Contacts", "Open Agreements"):
			self.assertNotIn(f">{hidden}</h4>", html)
		self.assertIn(">Value Analysis</h4>", html)
		self.assertNotIn("-0.0", html)
		self.assertIn("Return Rate %: 0.0%", html)
		self.assertIn("Days from Order to Invoice: no purchase orders;", html)
		self.assertRegex(html, r"<td>\d+(\.\d+)?%</td>")  # its share of procurement, with its sign


class TestMonthlyPurchasesChart(DeskDayTestCase):
	def test_the_workspace_chart_names_the_months_in_the_readers_language(self):
		from key_account_mgmt.desk.charts import MONTHS, monthly_purchases
		from key_account_mgmt.language import in_language

		supplier = SupplierFactory().name
		KeyAccountFactory(supplier_names=[supplier])
		PurchaseInvoiceFactory(supplier=supplier, amount=6_000_000)
		manager = UserFactory(roles_held=[KAM], language="zh").name
		frappe.set_user(manager)
		with in_language("zh"):
			chart = monthly_purchases()
		english = monthly_purchases()
		frappe.set_user("Administrator")
		self.assertEqual(len(chart["labels"]), MONTHS)
		self.assertTrue(all("月" in label for label in chart["labels"]), chart["labels"])
		self.assertEqual(chart["datasets"][0]["name"], "大客户月度采购额")
		self.assertGreaterEqual(chart["datasets"][0]["values"][-1], 6_000_000)
		self.assertFalse([label for label in english["labels"] if "月" in label], english["labels"])
		self.assertRaises(
			frappe.PermissionError, self.as_user, UserFactory(roles_held=FINANCE).name, monthly_purchases
		)


class TestOpeningAReportByItsUrl(DeskDayTestCase):
	"""A report opened from its URL (a bookmark, a link someone sent) by a role it is not for: the
	desk's first call, Frappe's get_script, refuses it naming the roles that may run it."""

	def open_report(self, user: str, report: str):
		frappe.set_user(user)
		try:
			with http_request("GET", "/api/method/frappe.desk.query_report.get_script", report_name=report):
				return execute_cmd("frappe.desk.query_report.get_script")
		finally:
			frappe.set_user("Administrator")

	def refusal(self, user: str, report: str) -> str:
		with self.assertRaises(frappe.PermissionError) as refused:
			self.open_report(user, report)
		return str(refused.exception)

	def test_finance_is_told_which_roles_open_agreements_needs(self):
		from key_account_mgmt.language import in_language

		finance = UserFactory(roles_held=FINANCE).name
		self.assertEqual(
			self.refusal(finance, "Open Agreements"),
			"Open Agreements is for these roles: Key Account Manager, Key Account User. "
			"Ask your System Manager to give you one of them.",
		)
		zh_finance = UserFactory(roles_held=FINANCE, language="zh").name
		with in_language("zh"):
			message = self.refusal(zh_finance, "Open Agreements")
		self.assertEqual(
			message,
			"未完成约定仅供以下角色使用：大客户经理, 大客户专员。请联系系统管理员为您分配其中一个角色。",
		)

	def test_a_role_the_report_is_for_gets_its_script_and_other_reports_keep_frappes_refusal(self):
		manager = UserFactory(roles_held=[KAM]).name
		self.assertIn("Open Agreements", self.open_report(manager, "Open Agreements")["script"])
		# a report of another app: Frappe's own answer, untouched
		message = self.refusal(manager, "General Ledger")
		self.assertNotIn("is for these roles", message)
		with self.assertRaisesRegex(frappe.DoesNotExistError, "^There is no report of that name.$"):
			self.open_report(manager, "No Such Report")
