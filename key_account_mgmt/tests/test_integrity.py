"""Nobody can forge, leak or silently lose what the app computes and guards: engine figures survive
stale and forged saves, the tier-change log survives deletion, the portal echoes nothing and answers
every refusal alike, write endpoints need POST, agreement ToDos are the app's own."""

import importlib
import inspect
import json
from contextlib import contextmanager
from pathlib import Path

import frappe
import frappe.client
from frappe.client import delete as client_delete
from frappe.client import set_value as client_set_value
from frappe.desk.form.save import savedocs
from frappe.handler import execute_cmd
from frappe.utils import add_days, getdate, set_request
from frappe.website.serve import get_response

import key_account_mgmt
from key_account_mgmt.marketing.monthly_reports import generate
from key_account_mgmt.tests.factories import (
	ContactFactory,
	ContactRoleFactory,
	ItemFactory,
	KeyAccountFactory,
	NegotiationLogFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase

MILLION = 1_000_000
XSS = "<img src=x onerror=alert(1)>"
REFUSAL = "You have no access to this key account data."


def engine_figures(account: str) -> tuple:
	tier, computed, amount = frappe.db.get_value(
		"Key Account", account, ["tier", "computed_tier", "purchase_amount"]
	)
	totals = frappe.get_all(
		"Key Account Annual Total",
		filters={"parent": account, "parenttype": "Key Account"},
		fields=["fiscal_year", "purchase_amount", "invoice_count"],
		order_by="fiscal_year",
		as_list=True,
	)
	return tier, computed, amount, [tuple(row) for row in totals]


@contextmanager
def http_request(method: str, path: str = "/", **form):
	"""A werkzeug request for Frappe's own dispatch code, and its form_dict, for the block."""
	previous_form = frappe.local.form_dict
	set_request(method=method, path=path)
	frappe.local.form_dict = frappe._dict(form)
	try:
		yield
	finally:
		frappe.local.form_dict = previous_form
		del frappe.local.request


class TestEngineFiguresOnlyTheEngineWrites(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.supplier = SupplierFactory().name
		self.account = KeyAccountFactory(supplier_names=[self.supplier]).name
		PurchaseInvoiceFactory(supplier=self.supplier, amount=6 * MILLION)
		self.clerk = UserFactory(roles_held=["Key Account User"]).name

	def test_saving_a_form_loaded_before_a_tier_change_keeps_the_new_tier_and_totals(self):
		frappe.set_user(self.clerk)
		form = frappe.get_doc("Key Account", self.account).as_dict()
		frappe.set_user("Administrator")
		PurchaseInvoiceFactory(supplier=self.supplier, amount=15 * MILLION)
		after_invoice = engine_figures(self.account)
		self.assertEqual(after_invoice[:3], ("Partner", "Partner", 21 * MILLION))
		frappe.set_user(self.clerk)
		form["history"] = "Founded in 1968 in Beijiao"
		savedocs(frappe.as_json(form), "Save")
		frappe.set_user("Administrator")
		self.assertEqual(engine_figures(self.account), after_invoice)
		self.assertEqual(after_invoice[3][0][1:], (21 * MILLION, 2))
		self.assertEqual(
			frappe.db.get_value("Key Account", self.account, "history"), "Founded in 1968 in Beijiao"
		)

	def test_a_forged_update_cannot_set_tier_amount_or_annual_totals(self):
		before = engine_figures(self.account)
		changes = frappe.db.count("Key Account Tier Change", {"key_account": self.account})
		fiscal_year = before[3][0][0]
		frappe.set_user(self.clerk)
		client_set_value(
			"Key Account",
			self.account,
			json.dumps(
				{
					"tier": "Strategic",
					"computed_tier": "Strategic",
					"purchase_amount": 99 * MILLION,
					"annual_totals": [
						{"fiscal_year": fiscal_year, "purchase_amount": 99 * MILLION, "invoice_count": 9}
					],
				}
			),
		)
		frappe.set_user("Administrator")
		self.assertEqual(engine_figures(self.account), before)
		self.assertEqual(frappe.db.count("Key Account Tier Change", {"key_account": self.account}), changes)

	def test_a_new_account_cannot_bring_its_own_figures(self):
		frappe.set_user(self.clerk)
		account = KeyAccountFactory(
			supplier_names=[],
			tier="Strategic",
			computed_tier="Strategic",
			purchase_amount=99 * MILLION,
		).name
		frappe.set_user("Administrator")
		self.assertEqual(engine_figures(account), (None, None, 0, []))
		self.assertEqual(frappe.db.count("Key Account Tier Change", {"key_account": account}), 0)


class TestStampsOnlyTheEngineWrites(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.supplier = SupplierFactory().name
		self.account = KeyAccountFactory(supplier_names=[self.supplier]).name
		self.other = KeyAccountFactory(supplier_names=[]).name
		self.invoice = PurchaseInvoiceFactory(supplier=self.supplier, amount=6 * MILLION).name
		self.stamp = (self.account, "Ordinary")
		self.forged = json.dumps({"key_account": self.other, "key_account_tier": "Strategic"})

	def test_finance_cannot_restamp_a_submitted_invoice(self):
		for role in ("Accounts User", "Accounts Manager"):
			frappe.set_user(UserFactory(roles_held=[role]).name)
			client_set_value("Purchase Invoice", self.invoice, self.forged)
			frappe.set_user("Administrator")
			self.assertEqual(
				frappe.db.get_value("Purchase Invoice", self.invoice, ["key_account", "key_account_tier"]),
				self.stamp,
				role,
			)

	def test_a_draft_cannot_carry_a_stamp_into_its_submit(self):
		outsider, item = SupplierFactory().name, ItemFactory().name
		frappe.set_user(UserFactory(roles_held=["Accounts User"]).name)
		invoice = PurchaseInvoiceFactory(
			supplier=outsider, item=item, key_account=self.other, key_account_tier="Strategic"
		)
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Purchase Invoice", invoice.name, ["key_account", "key_account_tier"]),
			(None, None),
		)

	def test_purchasing_cannot_move_a_supplier_to_another_account(self):
		frappe.set_user(UserFactory(roles_held=["Purchase Manager"]).name)
		client_set_value("Supplier", self.supplier, self.forged)
		frappe.set_user("Administrator")
		self.assertEqual(
			frappe.db.get_value("Supplier", self.supplier, ["key_account", "key_account_tier"]), self.stamp
		)


class TestDeletingAnAccountKeepsItsTierLog(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		account = KeyAccountFactory(supplier_names=[])
		account.update({"tier_locked": 1, "locked_tier": "Strategic", "lock_reason": "Group agreement"})
		account.save()
		self.account = account.name
		self.log = {"key_account": self.account}
		self.assertEqual(frappe.db.count("Key Account Tier Change", self.log), 1)

	def test_a_manager_cannot_delete_an_account_with_tier_changes(self):
		frappe.set_user(UserFactory(roles_held=["Key Account Manager"]).name)
		with self.assertRaisesRegex(frappe.LinkExistsError, "Key Account Tier Change"):
			client_delete("Key Account", self.account)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Key Account Tier Change", self.log), 1)

	def test_even_a_forced_deletion_leaves_the_log(self):
		frappe.delete_doc("Key Account", self.account, force=True)
		self.assertFalse(frappe.db.exists("Key Account", self.account))
		self.assertEqual(frappe.db.count("Key Account Tier Change", self.log), 1)


class TestPortalEchoesNothing(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.account = KeyAccountFactory(supplier_names=[]).name
		self.other = KeyAccountFactory(supplier_names=[]).name
		self.other_report = generate(self.other, getdate()).name
		self.portal_user = UserFactory(user_type="Website User").name
		ContactRoleFactory(
			key_account=self.account, contact=ContactFactory(user=self.portal_user).name, portal_access=1
		)
		frappe.set_user(self.portal_user)

	def page(self, **query) -> tuple[int, str]:
		with http_request("GET", "/key_account_portal", **query):
			response = get_response()
		return response.status_code, frappe.safe_decode(response.get_data())

	def test_a_tag_in_the_account_parameter_is_not_echoed(self):
		status, html = self.page(account=XSS)
		self.assertEqual(status, 403)
		self.assertFalse("<img" in html, "the tag is echoed into the page")
		self.assertTrue(REFUSAL in html, "the refusal is missing")

	def test_another_accounts_page_and_a_made_up_one_get_the_same_answer(self):
		refusals = {
			"another account": self.page(account=self.other),
			"a made-up account": self.page(account=f"No Such Account {frappe.generate_hash(length=6)}"),
			"another account's report": self.page(account=self.account, report=self.other_report),
			"a made-up report": self.page(account=self.account, report="KAMR-no-such-report"),
		}
		self.assertEqual({status for status, _html in refusals.values()}, {403}, refusals.keys())
		for what, (_status, html) in refusals.items():
			self.assertTrue(REFUSAL in html, f"{what}: the refusal is missing")
			self.assertFalse(self.other in html, f"{what}: the other account is named")
		status, html = self.page(account=self.account)
		self.assertEqual(status, 200)
		self.assertTrue(self.account in html, "the own account's page does not name it")


class TestWriteEndpointsNeedPost(KeyAccountTestCase):
	def test_get_is_refused_and_post_works(self):
		account = KeyAccountFactory(supplier_names=[]).name
		report = generate(account, getdate()).name
		portal_user = UserFactory(user_type="Website User").name
		ContactRoleFactory(
			key_account=account, contact=ContactFactory(user=portal_user).name, portal_access=1
		)
		module = "key_account_mgmt.key_account_management.doctype"
		calls = [
			("Administrator", f"{module}.key_account.key_account.refresh_qualification", {"name": account}),
			(
				"Administrator",
				f"{module}.key_account_monthly_report.key_account_monthly_report.regenerate",
				{"name": report},
			),
			(
				"Administrator",
				"key_account_mgmt.api.key_accounts.create_key_account_from_supplier",
				{"supplier": SupplierFactory().name},
			),
			(portal_user, "key_account_mgmt.api.portal.get_portal_data", {"account": account}),
		]
		for user, cmd, form in calls:
			frappe.set_user(user)
			with http_request("GET", f"/api/method/{cmd}", **form):
				self.assertRaises(frappe.PermissionError, execute_cmd, cmd)
			with http_request("POST", f"/api/method/{cmd}", **form):
				execute_cmd(cmd)

	def test_every_whitelisted_function_annotates_its_parameters(self):
		self.assertTrue(frappe.get_hooks("require_type_annotated_api_methods", app_name="key_account_mgmt"))
		app = Path(key_account_mgmt.__file__).parent
		for path in app.rglob("*.py"):
			if "frappe.whitelist" in path.read_text(encoding="utf-8") and not path.name.startswith("test_"):
				importlib.import_module(".".join(path.relative_to(app.parent).with_suffix("").parts))
		ours = [fn for fn in frappe.whitelisted if fn.__module__.startswith("key_account_mgmt.")]
		self.assertGreaterEqual(len(ours), 4)
		for fn in ours:
			for parameter in inspect.signature(fn).parameters.values():
				if parameter.kind in (inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD):
					continue  # as Frappe's check (frappe/frappe#36744)
				self.assertIsNot(
					parameter.annotation, inspect.Parameter.empty, f"{fn.__qualname__}({parameter.name})"
				)


class TestAgreementToDosAreTheAppsOwn(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.account = KeyAccountFactory(supplier_names=[]).name
		victim = UserFactory(roles_held=["Accounts User"]).name
		self.private = (
			frappe.get_doc({"doctype": "ToDo", "allocated_to": victim, "description": "Pay the rent"})
			.insert()
			.name
		)
		self.clerk = UserFactory(roles_held=["Key Account User"]).name
		frappe.set_user(self.clerk)

	def agreement(self, **values):
		return {"agreement": "Display units", "due_date": add_days(getdate(), 5), **values}

	def private_status(self):
		return frappe.db.get_value("ToDo", self.private, "status")

	def test_a_draft_cannot_point_an_agreement_at_someone_elses_todo(self):
		log = NegotiationLogFactory(
			key_account=self.account,
			ours=[self.clerk],
			agreements=[self.agreement(responsible=self.clerk, todo=self.private)],
			submit=True,
		)
		log.reload()
		own = log.agreements[0].todo
		self.assertNotEqual(own, self.private)
		self.assertEqual(
			frappe.db.get_value("ToDo", own, ["reference_type", "reference_name"]), (log.doctype, log.name)
		)
		log.cancel()
		self.assertEqual(self.private_status(), "Open")
		self.assertEqual(frappe.db.get_value("ToDo", own, "status"), "Cancelled")

	def test_a_row_added_after_submit_cannot_close_someone_elses_todo(self):
		log = NegotiationLogFactory(
			key_account=self.account, ours=[self.clerk], agreements=[self.agreement()], submit=True
		)
		log.reload()
		log.append("agreements", self.agreement(status="Done", todo=self.private))
		try:
			log.save()
		except frappe.ValidationError:
			pass  # refusing the new row outright protects the ToDo as well
		self.assertEqual(self.private_status(), "Open")
		self.assertFalse(frappe.db.exists("Key Account Agreement", {"todo": self.private}))


class TestRestrictedContactFieldsStayHidden(KeyAccountTestCase):
	@classmethod
	def make_class_records(cls):
		cls.manager = UserFactory(roles_held=["Key Account Manager"]).name
		cls.clerk = UserFactory(roles_held=["Key Account User"]).name

	def setUp(self):
		super().setUp()
		self.role = ContactRoleFactory(key_account=KeyAccountFactory(supplier_names=[]).name)

	def test_a_key_account_user_reads_no_restricted_change_in_the_forms_history(self):
		from frappe.desk.form.load import getdoc

		frappe.db.set_value("Contact", self.role.contact, "user", UserFactory(user_type="Website User").name)
		frappe.set_user(self.manager)
		role = frappe.get_doc("Key Account Contact Role", self.role.name)
		role.update({"authority": "Signs up to 1M"})
		role.save(ignore_version=False)  # tests skip versions unless asked; users always get them
		grant = {"doctype": "Key Account Portal Grant", "contact_role": role.name, "portal_access": 1}
		frappe.get_doc(grant).insert()
		frappe.client.set_value(grant["doctype"], role.name, "portal_access", 0)
		frappe.set_user(self.clerk)
		frappe.local.response = frappe._dict(docs=[])
		getdoc("Key Account Contact Role", role.name)
		history = frappe.as_json(frappe.response.docinfo.versions)
		self.assertIn("Signs up to 1M", history)
		self.assertNotIn("portal", history)

	def test_a_list_filter_on_personality_or_hobbies_answers_nothing(self):
		from frappe.desk.reportview import get as list_view

		frappe.get_doc(
			{"doctype": "Key Account Contact Profile", "contact_role": self.role.name, "hobbies": "Jade"}
		).insert()
		frappe.set_user(self.clerk)
		for field in ("personality", "hobbies"):
			query = {
				"doctype": "Key Account Contact Role",
				"fields": '["name"]',
				"filters": json.dumps([["Key Account Contact Role", field, "like", "%Jade%"]]),
			}
			with http_request("POST", "/api/method/frappe.desk.reportview.get", **query):
				self.assertRaises(frappe.DataError, list_view)
		self.assertRaises(
			frappe.PermissionError,
			frappe.get_list,
			"Key Account Contact Profile",
			filters={"hobbies": ["like", "%Jade%"]},
		)

	def test_the_patch_removes_them_from_versions_recorded_before(self):
		from key_account_mgmt.patches.v0_2 import redact_restricted_fields_in_history

		role = ContactRoleFactory(key_account=KeyAccountFactory(supplier_names=[]).name)
		changes = [
			["authority", None, "Signs up to 1M"],
			["personality", None, "Secretive"],
			["portal_access", 0, 1],
		]
		version = frappe.get_doc(
			{
				"doctype": "Version",
				"ref_doctype": role.doctype,
				"docname": role.name,
				"data": json.dumps({"changed": changes, "added": [], "removed": [], "row_changed": []}),
			}
		)
		version.db_insert()  # as recorded before the app kept them out
		redact_restricted_fields_in_history.execute()
		stored = json.loads(frappe.db.get_value("Version", version.name, "data"))
		self.assertEqual(stored["changed"], [["authority", None, "Signs up to 1M"]])
