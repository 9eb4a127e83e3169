"""The desk in Chinese, walked from what the app ships (issue 21): every string the app puts on screen,
read through Frappe's own translation machinery (frappe._ with the request's language set to zh, the
app's translations/zh.csv merged with Frappe's and ERPNext's), has no English word left in it.

Walked, generated from the installed metadata so that a new doctype, field, report or chart is covered
without touching this file:
- every doctype of the module, child tables included: its name and description, every field's label
  and description (section, column and tab labels too), every Select field's options, and the states
  and actions of the workflows on those doctypes;
- every report: its name, the labels and texts of its JavaScript (filters, Select filter options,
  formatter texts), and, run as Administrator in zh on one record of everything, its column labels,
  the texts it computes (cells that are not names of records), its chart's labels and legends and its
  summary;
- every workspace: its label, headers, cards, links, shortcuts, number cards and charts, and what the
  charts' own methods return in zh;
- the app's print formats' names;
- what the app writes for people while one of everything is made by a Chinese-speaking user for
  Chinese-speaking readers: notification subjects, comments on its documents and assignment texts.

Exempt, narrowly (an English word anywhere else fails the test):
- names of records, never translated by Frappe either: the values of Link and Dynamic Link cells, and
  text that quotes a record's name (key account, supplier, brand, item, company, territory, warehouse,
  customer, satisfaction dimension, a user's full name, Administrator's included);
- what users typed: an agreement's text;
- codes: the currencies' ISO codes (CNY, USD, …), shown as codes in every language; a command in
  `backticks`; the ABC classes' letters in Value Analysis's ABC column (CODE_COLUMNS);
- TERMS: words Chinese users write in Latin letters: the product's name (ERPNext), ABC (as in ABC
  分类, ABC analysis) and DM (direct mail: the policy's own Chinese text says "DM单页");
- HTML tags and {0}-style placeholders, which are markup, not words.
The one report text the desk translates itself is declared in CLIENT_TRANSLATED and checked there."""

import json
import re
from pathlib import Path

import frappe
from frappe.desk.desktop import get_desktop_page
from frappe.desk.doctype.dashboard_chart_source.dashboard_chart_source import (
	get_config as get_chart_source_config,
)
from frappe.desk.query_report import run as run_report

from key_account_mgmt.tests.factories import (
	KeyAccountFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
	UserFactory,
)
from key_account_mgmt.tests.records import MILLION, MODULE, one_of_everything
from key_account_mgmt.tests.test_role_matrix import report_filters
from key_account_mgmt.tests.utils import KeyAccountTestCase

APP = Path(__file__).resolve().parents[1]
WORD = re.compile(r"[A-Za-z]+")
CODE = re.compile(r"`[^`]*`")
TERMS = {"ERPNext", "ABC", "DM"}
# (report, column): its values are codes
CODE_COLUMNS = {("Value Analysis", "abc_class")}
TAG = re.compile(r"<[^>]+>")
PLACEHOLDER = re.compile(r"\{\d*\}")
JS_TEXT = re.compile(r"""__\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|`([^`$]*)`)""")
JS_SELECT_OPTIONS = re.compile(r"""fieldtype:\s*"Select",\s*options:\s*"((?:[^"\\]|\\.)*)\"""")
NAME_FIELDTYPES = {"Link", "Dynamic Link"}
TEXT_FIELDTYPES = {"Data", "Select", "Small Text", "Text", "Long Text", "HTML", None, ""}
# (report, column): a value the report sends untranslated because its Dynamic Link column opens it;
# the report's formatter shows it through __() (the JavaScript is checked to do so).
CLIENT_TRANSLATED = {("Tier Movement", "reference_doctype")}
# the record names the app's reports and texts quote
NAMED_DOCTYPES = (
	"Key Account",
	"Supplier",
	"Brand",
	"Item",
	"Company",
	"Territory",
	"Warehouse",
	"Customer",
	"Key Account Satisfaction Dimension",
)


def english_words(text, exempt: set[str]) -> list[str]:
	if not isinstance(text, str):
		return []
	text = CODE.sub(" ", PLACEHOLDER.sub(" ", TAG.sub(" ", text)))
	for name in sorted(exempt, key=len, reverse=True):
		if name and name in text:
			text = text.replace(name, " ")
	return [word for word in WORD.findall(text) if word not in TERMS]


class TestDeskInChinese(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.set_reader_language("zh")
		frappe.local.lang = "zh"
		frappe.local.lang_full_dict = None
		self.addCleanup(setattr, frappe.local, "lang", "en")
		self.currencies = set(frappe.get_all("Currency", pluck="name"))
		self.exempt = self.names_and_codes()
		self.problems = []

	def names_and_codes(self) -> set[str]:
		exempt = set(self.currencies)
		for doctype in NAMED_DOCTYPES:
			exempt.update(frappe.get_all(doctype, pluck="name"))
			title = frappe.get_meta(doctype).title_field
			if title and title != "name":
				exempt.update(name for name in frappe.get_all(doctype, pluck=title) if name)
		exempt.update(name for name in frappe.get_all("User", pluck="full_name") if name)
		exempt.update(frappe.get_all("Key Account Agreement", pluck="agreement"))
		return exempt

	def roll_back(self):
		super().roll_back()
		self.set_reader_language(None)  # after the rollback, so nothing caches zh again

	def set_reader_language(self, language):
		"""Administrator reads in zh for the test (rolled back). Frappe caches a user's language in Redis,
		which no rollback undoes: in a hash (Frappe 15.11) or with the cached User (15.70)."""
		if language:
			frappe.db.set_value("User", "Administrator", "language", language, update_modified=False)
		frappe.cache.hdel("lang", "Administrator")
		frappe.clear_document_cache("User", "Administrator")

	def check(self, where: str, text, translate=True):
		"""`text` as the zh desk shows it: a string the app ships, translated (no record's name may
		excuse a word of it), or a value the app computed, which may quote names."""
		if translate:
			shown = frappe._(text) if isinstance(text, str) and text else text
			words = english_words(shown, self.currencies)
		else:
			shown = text
			words = english_words(shown, self.exempt)
		if words:
			self.problems.append(f"{where}: {shown!r} ({' '.join(words)})")

	def assertNoProblems(self):
		self.assertEqual(self.problems, [], "English in the zh desk:\n" + "\n".join(self.problems))

	def app_doctypes(self) -> list[str]:
		return frappe.get_all("DocType", filters={"module": MODULE}, pluck="name", order_by="name")

	def test_every_doctype_label_option_and_description(self):
		doctypes = self.app_doctypes()
		self.assertGreaterEqual(len(doctypes), 25)
		for doctype in doctypes:
			meta = frappe.get_meta(doctype)
			self.check(f"{doctype}", doctype)
			if meta.description:
				self.check(f"{doctype} description", meta.description)
			for df in meta.fields:
				where = f"{doctype}.{df.fieldname}"
				if df.label:
					self.check(where, df.label)
				if df.description:
					self.check(f"{where} description", df.description)
				if df.fieldtype == "Select" and df.options:
					for option in df.options.split("\n"):
						if option.strip():
							self.check(f"{where} option", option)
		for workflow in frappe.get_all("Workflow", filters={"document_type": ("in", doctypes)}, pluck="name"):
			doc = frappe.get_doc("Workflow", workflow)
			for state in doc.states:
				self.check(f"workflow {workflow} state", state.state)
			for transition in doc.transitions:
				self.check(f"workflow {workflow} action", transition.action)
		self.assertNoProblems()

	def test_every_report_its_filters_columns_values_and_chart(self):
		self.records = one_of_everything()
		self.exempt = self.names_and_codes()
		reports = frappe.get_all("Report", filters={"module": MODULE}, pluck="name")
		self.assertGreaterEqual(len(reports), 11)
		for report in reports:
			self.check(f"report {report}", report)
			script = (
				APP
				/ "key_account_management"
				/ "report"
				/ frappe.scrub(report)
				/ f"{frappe.scrub(report)}.js"
			)
			if script.exists():
				text = script.read_text(encoding="utf-8")
				for match in JS_TEXT.finditer(text):
					self.check(f"{report} script", next(g for g in match.groups() if g is not None))
				for match in JS_SELECT_OPTIONS.finditer(text):
					for option in match.group(1).split("\\n"):
						if option.strip():
							self.check(f"{report} filter option", option)
			result = run_report(report, filters=json.dumps(report_filters(report, self.records.account)))
			self.assertTrue(result["result"], f"{report} shows nothing; its values go unchecked")
			columns = []
			for column in result["columns"]:
				if isinstance(column, str):  # "Label:Fieldtype/Options:Width"
					label, _, rest = column.partition(":")
					column = frappe._dict(
						label=label, fieldname=frappe.scrub(label), fieldtype=rest.split("/")[0]
					)
				columns.append(frappe._dict(column))
				self.check(f"{report} column", column.get("label"), translate=False)
			for row in result["result"]:
				cells = (
					row
					if isinstance(row, dict)
					else dict(zip((c.fieldname for c in columns), row, strict=False))
				)
				for column in columns:
					value = cells.get(column.fieldname)
					if (
						column.fieldtype in NAME_FIELDTYPES
						or column.fieldtype not in TEXT_FIELDTYPES
						or (report, column.fieldname) in CODE_COLUMNS
					):
						continue
					if (report, column.fieldname) in CLIENT_TRANSLATED:
						self.assertIn(f'"{column.fieldname}"', text)
						self.check(f"{report} {column.fieldname} (shown via __)", value)
						continue
					self.check(f"{report} {column.fieldname}", value, translate=False)
			chart = result.get("chart") or {}
			data = chart.get("data") or {}
			for label in data.get("labels") or []:
				self.check(f"{report} chart label", label, translate=False)
			for dataset in data.get("datasets") or []:
				self.check(f"{report} chart legend", dataset.get("name"), translate=False)
			for summary in result.get("report_summary") or []:
				self.check(f"{report} summary", summary.get("label"), translate=False)
			if isinstance(result.get("message"), str):
				self.check(f"{report} message", result["message"], translate=False)
		self.assertNoProblems()

	def test_every_workspace_its_cards_links_and_charts(self):
		workspaces = frappe.get_all("Workspace", filters={"module": MODULE}, pluck="name")
		self.assertTrue(workspaces)
		for name in workspaces:
			workspace = frappe.get_doc("Workspace", name)
			self.check(f"workspace {name}", workspace.label)
			for block in json.loads(workspace.content or "[]"):
				if block["type"] == "header":
					self.check(f"{name} header", TAG.sub("", block["data"]["text"]).replace("&amp;", "&"))
			for link in workspace.links:
				self.check(f"{name} link", link.label)
			for shortcut in workspace.shortcuts:
				self.check(f"{name} shortcut", shortcut.label)
				if shortcut.format:
					self.check(f"{name} shortcut count", shortcut.format)
			page = get_desktop_page(json.dumps({"name": name, "title": name, "public": 1}))
			for card in page["number_cards"]["items"]:
				self.check(f"{name} number card", card.label)
			for chart in page["charts"]["items"]:
				self.check(f"{name} chart", chart.label)
				chart_doc = frappe.get_doc("Dashboard Chart", chart.chart_name)
				if chart_doc.chart_type != "Custom":
					continue
				config = get_chart_source_config(chart_doc.source)
				method = re.search(r'method:\s*"([^"]+)"', config).group(1)
				data = frappe.call(method, chart_name=chart_doc.name, filters=chart_doc.filters_json)
				for label in data.get("labels") or []:
					self.check(f"{name} chart {chart.chart_name} label", label, translate=False)
				for dataset in data.get("datasets") or []:
					self.check(
						f"{name} chart {chart.chart_name} legend", dataset.get("name"), translate=False
					)
		self.assertNoProblems()

	def test_print_format_names(self):
		formats = frappe.get_all("Print Format", filters={"module": MODULE}, pluck="name")
		self.assertGreaterEqual(len(formats), 2)
		for name in formats:
			self.check("print format", name)
		self.assertNoProblems()

	def test_what_the_app_writes_for_a_chinese_reader(self):
		"""One of everything made as a zh user for a zh reader (a negotiation whose agreement
		is assigned, a plan, a promotion, a monthly report); then a zh manager's account reaches a tier."""
		self.records = one_of_everything()
		reader = UserFactory(roles_held=["Key Account Manager"], language="zh").name
		supplier = SupplierFactory().name
		KeyAccountFactory(supplier_names=[supplier], account_manager=reader)
		PurchaseInvoiceFactory(supplier=supplier, amount=6 * MILLION)  # a tier reached: its notice
		self.exempt = self.names_and_codes()
		doctypes = self.app_doctypes()
		since = frappe.db.get_value("Key Account", self.records.account, "creation")
		notices = frappe.get_all(
			"Notification Log",
			filters={"creation": (">=", since), "document_type": ("in", doctypes), "for_user": reader},
			fields=["subject", "email_content"],
		)
		comments = frappe.get_all(
			"Comment",
			filters={"creation": (">=", since), "reference_doctype": ("in", doctypes)},
			fields=["comment_type", "content"],
		)
		todos = frappe.get_all(
			"ToDo",
			filters={"creation": (">=", since), "reference_type": ("in", doctypes)},
			pluck="description",
		)
		# the tier change's notice, the agreement's assignment and its comment at least
		self.assertTrue(notices and todos and comments, (notices, todos, comments))
		for notice in notices:
			self.check("notification", notice.subject, translate=False)
			self.check("notification content", notice.email_content, translate=False)
		for comment in comments:
			self.check(f"{comment.comment_type} comment", comment.content, translate=False)
		for todo in todos:
			self.check("assignment", todo, translate=False)
		self.assertNoProblems()
