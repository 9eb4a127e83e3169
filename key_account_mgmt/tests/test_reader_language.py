"""What the app writes for someone else is in that person's language, not in the language of whoever
caused it: tier-change notifications, agreement ToDos, and the qualification evidence."""

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.account_file.qualification import refresh_sales_criteria
from key_account_mgmt.tests.factories import (
	KeyAccountFactory,
	NegotiationLogFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase

FINANCE = ["Accounts User", "Purchase User"]


class ReaderLanguageTestCase(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		lang = frappe.local.lang
		self.addCleanup(setattr, frappe.local, "lang", lang)

	def user(self, language: str, roles: list[str]) -> str:
		return UserFactory(language=language, roles_held=roles).name

	def act_as(self, user: str) -> None:
		"""As a request of `user` runs: their session and their language."""
		frappe.set_user(user)
		frappe.local.lang = frappe.db.get_value("User", user, "language")


class TestTierChangeNotifications(ReaderLanguageTestCase):
	def setUp(self):
		super().setUp()
		self.supplier = SupplierFactory().name
		self.owner_zh = self.user("zh", ["Key Account User"])
		self.manager_en = self.user("en", ["Key Account Manager"])
		self.account = KeyAccountFactory(
			account_name=f"Midea {frappe.generate_hash(length=6)}",
			supplier_names=[self.supplier],
			account_manager=self.owner_zh,
		).name

	def post_as(self, poster: str) -> None:
		invoice = PurchaseInvoiceFactory(supplier=self.supplier, amount=20_150_000, submit=False)
		self.act_as(poster)
		invoice.submit()

	def subject(self, user: str) -> str:
		return frappe.db.get_value(
			"Notification Log", {"for_user": user, "document_name": self.account}, "subject"
		)

	def test_a_change_a_chinese_poster_causes_reaches_an_english_reader_in_english(self):
		self.post_as(self.user("zh", FINANCE))
		self.assertEqual(
			self.subject(self.manager_en),
			f"{self.account}: no tier → Partner, rolling 12-month purchases 20,150,000 CNY",
		)
		self.assertEqual(
			self.subject(self.owner_zh),
			f"{self.account}：无等级 → 伙伴式大客户，滚动12个月采购额 20,150,000 CNY",
		)

	def test_a_change_an_english_poster_causes_reaches_a_chinese_reader_in_chinese(self):
		self.post_as(self.user("en", FINANCE))
		self.assertIn("伙伴式大客户", self.subject(self.owner_zh))
		self.assertIn("no tier → Partner", self.subject(self.manager_en))


class TestAgreementToDos(ReaderLanguageTestCase):
	def test_each_owner_reads_the_agreement_todo_in_their_language(self):
		owner_en = self.user("en", ["Key Account User"])
		owner_zh = self.user("zh", ["Key Account User"])
		submitter_zh = self.user("zh", ["Key Account Manager"])
		account = KeyAccountFactory(supplier_names=[]).name
		due = add_days(getdate(), 7)
		log = NegotiationLogFactory(
			key_account=account,
			agreements=[
				{"agreement": "Shelf space", "responsible": owner_en, "due_date": due},
				{"agreement": "Leaflets", "responsible": owner_zh, "due_date": due},
			],
		)
		self.act_as(submitter_zh)
		log.reload()
		log.submit()
		descriptions = dict(
			frappe.get_all(
				"ToDo",
				filters={"reference_type": log.doctype, "reference_name": log.name},
				fields=["allocated_to", "description"],
				as_list=True,
			)
		)
		self.assertIn(f"Agreement with {account}: Shelf space", descriptions[owner_en])
		self.assertNotIn("Agreement with", descriptions[owner_zh])
		self.assertIn(account, descriptions[owner_zh])


class TestQualificationEvidence(ReaderLanguageTestCase):
	def test_the_evidence_is_shown_in_each_readers_language(self):
		if not frappe.db.exists("Brand", "Evidence QA"):
			frappe.get_doc({"doctype": "Brand", "brand": "Evidence QA"}).insert()
		account = KeyAccountFactory(brand="Evidence QA", supplier_names=[]).name
		manager_zh = self.user("zh", ["Key Account Manager"])
		reader_en, reader_zh = self.user("en", ["Key Account User"]), self.user("zh", ["Key Account User"])
		self.act_as(manager_zh)
		refresh_sales_criteria([account])

		self.act_as(reader_en)
		evidence = frappe.get_doc("Key Account", account)
		evidence.run_method("onload")
		self.assertTrue(
			evidence.get_onload("evidence")["criterion_top_ten_brand_evidence"].startswith(
				"No sales of Evidence QA items"
			)
		)

		self.act_as(reader_zh)
		evidence = frappe.get_doc("Key Account", account)
		evidence.run_method("onload")
		self.assertNotIn("No sales", evidence.get_onload("evidence")["criterion_top_ten_brand_evidence"])
		self.assertIn("Evidence QA", evidence.get_onload("evidence")["criterion_top_ten_brand_evidence"])


class TestOverduePlanNotice(ReaderLanguageTestCase):
	def test_the_account_manager_reads_the_overdue_notice_in_their_language(self):
		from key_account_mgmt.marketing.plans import mark_overdue_plans

		manager_zh = self.user("zh", ["Key Account Manager"])
		account = KeyAccountFactory(supplier_names=[], account_manager=manager_zh).name
		plan = frappe.get_doc(
			{
				"doctype": "Key Account Plan",
				"key_account": account,
				"plan_type": "Annual Market Plan",
				"direction": "From the Account",
				"period_start": add_days(getdate(), -90),
				"due_date": add_days(getdate(), -60),
				"status": "Expected",
			}
		).insert()
		frappe.local.lang = "en"  # the scheduler's language
		mark_overdue_plans()
		subject = frappe.db.get_value(
			"Notification Log", {"for_user": manager_zh, "document_name": plan.name}, "subject"
		)
		self.assertIn("年度市场计划", subject)
		self.assertNotIn("overdue", subject)
