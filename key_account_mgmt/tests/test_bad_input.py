"""Bad input, over real HTTP, to every whitelisted method of the app and every filter of its reports.

The cases are generated from what the app declares: the whitelisted functions found by importing every
module of the app (Frappe's own register, `frappe.whitelisted`), each one's parameters from its
signature, the app's reports from the Report records of its module, and each report's filters from its
JavaScript (run in Node with a stand-in `frappe`) and from the names its Python reads. A method, a
parameter, a report or a filter added tomorrow is fuzzed without anyone writing a test.

Each parameter (and filter) gets every value of one catalogue (wrong types, overflowing numbers and
dates, JSON that is not what it should be, nested junk, strings of several megabytes, nothing at all),
sent as Frappe's desk sends it, by a logged-in Key Account Manager and by a website user, to the test
site served by gunicorn on 127.0.0.1. Every answer must be a success or a refusal of the 4xx class
(ValidationError, PermissionError and their kind), within 2 s, not repeating a long stretch of the
input; and after the run no Error Log may hold one. The test prints how many cases it ran."""

import inspect
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
import unittest
import urllib.error
import urllib.request
from collections import Counter
from http.cookiejar import CookieJar
from importlib import import_module
from pathlib import Path
from pkgutil import walk_packages

import frappe
import frappe.deferred_insert

import key_account_mgmt
from key_account_mgmt.tests.browser import PASSWORD, REPO, desk_user, free_port, website_user
from key_account_mgmt.tests.factories import UserFactory
from key_account_mgmt.tests.records import app_doctypes, existing_record, one_of_everything
from key_account_mgmt.tests.utils import KeyAccountTestCase, running_in_ci
from key_account_mgmt.write_guards import column_limit

MODULE = "Key Account Management"
APP = Path(key_account_mgmt.__file__).parent
TIME_LIMIT = 2.0
MARK = "kamfuzz-"
# An answer or an Error Log the app writes may quote a short excerpt of what was sent, never this much
ECHO = MARK * 25
# Frappe 15.74+ logs every exception a report raises, refusals included, as a "Report Error" whose
# traceback lists each variable cut at 1,000 characters: that excerpt is Frappe's, a copy at length is not
FRAPPE_REPORT_ERROR = "Report Error"
STORED_AT_LENGTH = MARK * 250
MEGABYTES = 2 * 1024 * 1024
OMITTED = object()


def nested(depth: int):
	value = ["kamfuzz", 1, None]
	for level in range(depth):
		value = {"a": [value, level]} if level % 2 else [value, {"b": level}]
	return value


# (what it is, the value) -- each is sent as one argument; OMITTED leaves the argument out
CATALOGUE = (
	("omitted", OMITTED),
	("empty", ""),
	("null", None),
	("text", "abc"),
	("negative text", "-100"),
	("negative", -100),
	("huge int", 10**30),
	("huge float", 1e308),
	("NaN text", "NaN"),
	("overflow date", "99999999999999999999"),
	("impossible date", "2026-02-30"),
	("sql", "'; select sleep(3); -- "),
	("like wildcards", "%_\\%"),
	("null byte", "kam\x00fuzz"),
	("lone surrogate", "kam\ud800fuzz"),
	("boolean", True),
	("list", [1]),
	("object", {"band_from_top": "x"}),
	("nested junk", nested(40)),
	("JSON text of a list", "[1]"),
	("JSON text of an object", '{"band_from_top": "x"}'),
	("deep JSON text", "[" * 50_000),
	("10 KB", "x" * 10_000),
	("2 MB", MARK * (MEGABYTES // len(MARK))),
	("2 MB date", "2026-01-01" + MARK * (MEGABYTES // len(MARK))),
	("1 MB JSON text", json.dumps({"band_from_top": MARK * (MEGABYTES // 2 // len(MARK))})),
	("list of 100 KB", [MARK * 10] * 1200),
)

FILTERS_JS = r"""
const vm = require("vm");
const fs = require("fs");
const any = new Proxy(function () {}, {
	get: (target, key) => (key === Symbol.toPrimitive ? () => "" : key === "then" ? undefined : any),
	apply: () => any,
	construct: () => any,
});
const frappe = new Proxy(
	{ query_reports: {}, provide: (name) => { context[name] = context[name] || {}; } },
	{ get: (target, key) => (key in target ? target[key] : any) },
);
const context = { frappe, __: (text) => text, $: any, jQuery: any, document: any, window: any, console };
vm.createContext(context);
for (const file of process.argv.slice(1)) vm.runInContext(fs.readFileSync(file, "utf8"), context, { filename: file });
const filters = {};
for (const [name, report] of Object.entries(frappe.query_reports)) {
	filters[name] = (report.filters || []).map((filter) => filter.fieldname);
}
console.log(JSON.stringify(filters));
"""
PYTHON_FILTER = re.compile(
	r"""filters\.get\(\s*["'](\w+)["']|filters\[\s*["'](\w+)["']\s*\]|filters\.(\w+)\b(?!\()|"""
	r"""report_date\(\s*filters\s*,\s*["'](\w+)["']"""
)


def whitelisted_methods() -> tuple[list[str], list[str]]:
	"""(dotted paths of the app's whitelisted functions, its whitelisted document methods)."""
	for module in walk_packages(key_account_mgmt.__path__, "key_account_mgmt."):
		leaf = module.name.rsplit(".", 1)[-1]
		if ".tests" in module.name or leaf.startswith("test_") or ".patches." in module.name:
			continue
		import_module(module.name)
	functions, document_methods = set(), set()
	for fn in frappe.whitelisted:
		if not (getattr(fn, "__module__", None) or "").startswith("key_account_mgmt."):
			continue
		if "." in fn.__qualname__:
			document_methods.add(f"{fn.__module__}.{fn.__qualname__}")
		else:
			functions.add(f"{fn.__module__}.{fn.__name__}")
	return sorted(functions), sorted(document_methods)


def parameters(path: str) -> list[str]:
	signature = inspect.signature(frappe.get_attr(path))
	return [
		name
		for name, parameter in signature.parameters.items()
		if parameter.kind not in (parameter.VAR_KEYWORD, parameter.VAR_POSITIONAL)
	]


def report_filters() -> dict[str, list[str]]:
	"""Each of the app's reports and its filters: what its JavaScript declares and its Python reads."""
	reports = frappe.get_all(
		"Report", filters={"module": MODULE, "is_standard": "Yes", "disabled": 0}, pluck="name"
	)
	node = shutil.which("node") or shutil.which("nodejs")
	declared = {}
	if node:
		scripts = [APP / "public" / "js" / "key_account_mgmt.js"]
		scripts += sorted((APP / "key_account_management" / "report").glob("*/*.js"))
		output = subprocess.run(
			[node, "-e", FILTERS_JS, *map(str, scripts)], capture_output=True, text=True, check=True
		).stdout
		declared = json.loads(output)
	elif running_in_ci():
		raise RuntimeError("Node is needed to read the reports' filters from their JavaScript")
	filters = {}
	for report in reports:
		code = APP / "key_account_management" / "report" / frappe.scrub(report) / f"{frappe.scrub(report)}.py"
		read = {
			next(group for group in match.groups() if group)
			for match in PYTHON_FILTER.finditer(code.read_text(encoding="utf-8"))
		} - {"get", "items", "keys", "values", "update", "pop", "copy"}
		filters[report] = [*sorted(set(declared.get(report, [])) | read), "kam_unknown_filter"]
	return filters


class HTTPClient:
	def __init__(self, base: str, user: str, password: str):
		self.base = base
		self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
		status, body, _elapsed = self.post("/api/method/login", {"usr": user, "pwd": password})
		if status != 200:
			raise RuntimeError(f"{user} could not log in: {status} {body[:300]!r}")

	def post(self, path: str, arguments: dict) -> tuple[int, bytes, float]:
		data = json.dumps(arguments).encode()
		request = urllib.request.Request(
			self.base + path,
			data=data,
			headers={"Content-Type": "application/json", "Accept": "application/json"},
			method="POST",
		)
		started = time.perf_counter()
		try:
			with self.opener.open(request, timeout=60) as response:
				status, body = response.status, response.read()
		except urllib.error.HTTPError as error:
			status, body = error.code, error.read()
		return status, body, time.perf_counter() - started


def refusal_kind(body: bytes) -> str:
	try:
		answer = json.loads(body)
	except ValueError:
		return "no JSON"
	return answer.get("exc_type") or ""


class TestBadInput(unittest.TestCase):
	@classmethod
	def setUpClass(cls):
		frappe.set_user("Administrator")
		cls.manager = desk_user("kam-fuzz-manager@example.com", "en", ["Key Account Manager"])
		cls.visitor = website_user("kam-fuzz-visitor@example.com")
		frappe.db.commit()
		cls.started = frappe.utils.now_datetime()
		cls.port = free_port()
		cls.server = subprocess.Popen(
			[
				str(Path(sys.executable).parent / "gunicorn"),
				"--bind",
				f"127.0.0.1:{cls.port}",
				"--workers",
				"2",
				"--threads",
				"1",
				"--timeout",
				"120",
				"--pythonpath",
				str(REPO / "dev"),
				"wsgi:application",
			],
			cwd=os.path.abspath(frappe.local.sites_path),
			env={**os.environ, "KAM_SITE": frappe.local.site},
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
		)
		cls.base = f"http://127.0.0.1:{cls.port}"
		for _attempt in range(120):
			try:
				urllib.request.urlopen(f"{cls.base}/api/method/ping", timeout=5)
				break
			except OSError:
				time.sleep(0.5)

	@classmethod
	def tearDownClass(cls):
		cls.server.terminate()
		cls.server.wait(timeout=30)
		frappe.db.rollback()

	@staticmethod
	def cases(functions: dict[str, list[str]], reports: dict[str, list[str]], every_filter: bool = True):
		"""(what is called, its path, its arguments): each method with no arguments, then each
		parameter of each method, the filters of each report as a whole, and each filter of each report
		(or only its first, for a user Frappe refuses every report before it runs) with every value of
		the catalogue."""
		values = [(kind, value) for kind, value in CATALOGUE if value is not OMITTED]
		for path, names in functions.items():
			yield f"{path}()", f"/api/method/{path}", {}
			for name in names or ["kam_unexpected"]:
				for kind, value in values:
					yield f"{path}({name}={kind})", f"/api/method/{path}", {name: value}
		for index, (report, filters) in enumerate(reports.items()):
			# the filters themselves, as a script may send them: not JSON, not an object, megabytes (an
			# object or nothing runs the report, as each filter's cases do; a user Frappe refuses every
			# report meets the same parsing for each, so once)
			for kind, value in values if every_filter or index == 0 else ():
				if value not in (None, "") and not isinstance(value, dict):
					yield (
						f"{report} (filters={kind})",
						"/api/method/frappe.desk.query_report.run",
						{"report_name": report, "filters": value, "ignore_prepared_report": 1},
					)
			for name in filters if every_filter else filters[:1]:
				for kind, value in values:
					arguments = {
						"report_name": report,
						"filters": json.dumps({name: value}),
						"ignore_prepared_report": 1,
					}
					yield (
						f"{report} ({name}={kind})",
						"/api/method/frappe.desk.query_report.run",
						arguments,
					)

	def test_every_method_and_report_filter_refuses_bad_input_with_a_4xx_in_time(self):
		paths, document_methods = whitelisted_methods()
		functions = {path: parameters(path) for path in paths}
		reports = report_filters()
		self.assertTrue(functions, "no whitelisted method found: the discovery is broken")
		self.assertTrue(reports, "no report found: the discovery is broken")
		clients = {
			"Key Account Manager": HTTPClient(self.base, self.manager, PASSWORD),
			"website user": HTTPClient(self.base, self.visitor, PASSWORD),
		}
		begun = time.perf_counter()
		calls = (
			(who, client, case, path, arguments)
			for who, client in clients.items()
			for case, path, arguments in self.cases(functions, reports, every_filter=who != "website user")
		)
		answers, errors, taking = [], [], threading.Lock()

		def send():
			# two at a time, as the two gunicorn workers serve them; the cases made one by one, as
			# each holds megabytes
			try:
				while True:
					with taking:
						call = next(calls, None)
					if call is None:
						return
					answers.append(self.call(*call))
			except Exception as error:
				errors.append(error)
				raise

		senders = [threading.Thread(target=send) for _sender in range(2)]
		for sender in senders:
			sender.start()
		for sender in senders:
			sender.join()
		self.assertFalse(errors, "the fuzz stopped half-way")
		reached = {case.split("(")[0].strip() for _who, case, *_answer in answers}
		self.assertEqual(reached, set(functions) | set(reports), "not every method and report was fuzzed")
		problems, statuses, slowest = [], Counter(), (0.0, "")
		for who, case, status, kind, elapsed, echoed, size in answers:
			statuses[status] += 1
			slowest = max(slowest, (elapsed, f"{who}: {case}"))
			if not (200 <= status < 300 or 400 <= status < 500):
				problems.append(f"{who}: {case} -> {status} {kind}")
			elif status >= 400 and not self.is_refusal(kind):
				problems.append(f"{who}: {case} -> {status} {kind}: not a refusal Frappe answers 4xx for")
			if elapsed > TIME_LIMIT:
				problems.append(f"{who}: {case} took {elapsed:.2f} s")
			if echoed:
				problems.append(f"{who}: {case} -> {status}: the answer repeats the input ({size} bytes)")
		count = len(answers)
		# Frappe defers the Error Log of a failed request to a scheduled job: write them now
		frappe.db.rollback()
		frappe.deferred_insert.save_to_db()
		frappe.db.commit()
		logged = frappe.get_all(
			"Error Log",
			filters={"creation": (">=", self.started), "method": ("!=", FRAPPE_REPORT_ERROR)},
			or_filters={"error": ("like", f"%{ECHO}%"), "method": ("like", f"%{ECHO}%")},
			pluck="name",
		)
		logged += frappe.get_all(
			"Error Log",
			filters={"creation": (">=", self.started), "error": ("like", f"%{STORED_AT_LENGTH}%")},
			pluck="name",
		)
		print(
			f"\nbad input: {count} cases ({len(functions)} whitelisted methods, "
			f"{len(reports)} reports, {len(CATALOGUE)} values, {len(clients)} users) in "
			f"{time.perf_counter() - begun:.0f} s -> "
			+ ", ".join(f"{status}: {number}" for status, number in sorted(statuses.items()))
			+ f"; slowest {slowest[0]:.2f} s ({slowest[1]}); document methods not fuzzed: "
			+ (", ".join(document_methods) or "none")
		)
		if logged:
			problems.append(f"{len(set(logged))} Error Log rows hold a long stretch of the input")
		if problems:
			self.fail(f"{len(problems)} of {count} cases failed:\n" + "\n".join(problems[:60]))

	@staticmethod
	def call(who: str, client: HTTPClient, case: str, path: str, arguments: dict) -> tuple:
		"""The answer in brief: who, the case, status, exception type, seconds, whether it repeats
		the input, its size."""
		status, body, elapsed = client.post(path, arguments)
		kind = refusal_kind(body) if status >= 400 else ""
		if status >= 500:
			kind = f"{kind} {body[:160]!r}"
		return who, case, status, kind, elapsed, ECHO.encode() in body, len(body)

	@staticmethod
	def is_refusal(kind: str) -> bool:
		exception = getattr(frappe.exceptions, kind, None) or getattr(
			import_module("key_account_mgmt.inputs"), kind, None
		)
		return bool(exception) and 400 <= getattr(exception, "http_status_code", 500) < 500


OUT_OF_RANGE = 1e18
CHINESE = re.compile(r"[\u4e00-\u9fff]")


class TestNumbersBeyondTheirColumns(KeyAccountTestCase):
	"""Every number field of every doctype of the app, found from its DocType (a field whose column holds
	a number), saved with 1e18 through its document (a row through its parent's save) by Administrator,
	who passes every permission and so reaches the save's own checks. The answer must be a refusal of the
	4xx class with a translated message (asked in Chinese), or a save that keeps what the app computes;
	never a raw database error, and nothing of a refused save written."""

	@classmethod
	def make_class_records(cls):
		one_of_everything()

	def test_every_number_field_refuses_what_its_column_cannot_hold(self):
		started, problems, outcomes = time.monotonic(), [], Counter()
		doctypes = app_doctypes()
		for doctype in doctypes:
			meta = frappe.get_meta(doctype.name)
			numbers = [
				df.fieldname for df in meta.fields if column_limit(df.fieldtype, df.precision, df.length)
			]
			target = self.target(doctype, doctypes) if numbers else None
			if numbers and target is None:
				problems.append(f"{doctype.name}: no record to save (add one to records.one_of_everything)")
				continue
			for field in numbers:
				outcome = self.save_with_out_of_range(*target, field)
				outcomes[outcome.split(":")[0]] += 1
				if ":" in outcome:
					problems.append(f"{doctype.name}.{field}: {outcome}")
		print(
			f"\nout-of-range numbers: {sum(outcomes.values())} fields in {time.monotonic() - started:.0f} s -> "
			+ ", ".join(f"{kind}: {count}" for kind, count in sorted(outcomes.items()))
		)
		self.assertGreater(sum(outcomes.values()), 20, "the number fields were not found")
		self.assertEqual(problems, [], "\n".join(problems))

	@staticmethod
	def target(doctype, doctypes) -> tuple[str, str, str | None] | None:
		"""(document type, name, table): the document a save goes through, and the table of the row."""
		if not doctype.istable:
			name = existing_record(doctype.name)
			return (doctype.name, name, None) if name else None
		for parent in doctypes:
			table = next(
				(df for df in frappe.get_meta(parent.name).get_table_fields() if df.options == doctype.name),
				None,
			)
			name = table and existing_record(parent.name)
			if name:
				return parent.name, name, table.fieldname
		return None

	def save_with_out_of_range(self, doctype: str, name: str, table: str | None, field: str) -> str:
		"""The exception's kind, or "kept"; "kind: what went wrong" for a finding."""
		frappe.db.savepoint("kam_number")
		language, frappe.local.lang = frappe.local.lang, "zh"
		modified = frappe.db.get_value(doctype, name, "modified")
		try:
			doc = frappe.get_doc(doctype, name)
			row = doc
			if table:
				rows = doc.get(table)
				row = rows[0] if rows else doc.append(table, {})
			row.set(field, OUT_OF_RANGE)
			doc.save()
			stored = frappe.db.get_value(row.doctype, row.name, field)
			return "kept" if frappe.utils.flt(stored) != OUT_OF_RANGE else "saved: 1e18 stored"
		except Exception as error:
			kind = type(error).__name__
			if not 400 <= getattr(error, "http_status_code", 500) < 500:
				return f"{kind}: {str(error)[:200]}"
			if not CHINESE.search(str(error)):
				return f"{kind}: the message is not translated ({str(error)[:120]})"
			if frappe.db.get_value(doctype, name, "modified") != modified:
				return f"{kind}: refused, but the document was written"
			return kind
		finally:
			frappe.db.rollback(save_point="kam_number")
			frappe.local.lang = language
			frappe.local.message_log = []


class TestTierBandBounds(KeyAccountTestCase):
	def test_a_bound_beyond_the_column_is_refused_with_the_row_not_a_database_error(self):
		manager = UserFactory(roles_held=["Key Account Manager"]).name
		frappe.set_user(manager)
		settings = frappe.get_single("Key Account Settings")
		settings.tier_bands = []
		settings.append("tier_bands", {"tier": "Ordinary", "lower_bound": 5_000_000})
		settings.append("tier_bands", {"tier": "Partner", "lower_bound": 1e18})
		self.assertRaisesRegex(
			frappe.ValidationError,
			"Partner.*in row 2 needs a lower bound below 1,000,000,000,000",
			settings.save,
		)


class TestReportedBadInput(KeyAccountTestCase):
	"""The requests of issue 20's finding 12, each refused with a short message naming the argument."""

	def setUp(self):
		super().setUp()
		frappe.set_user(UserFactory(roles_held=["Key Account Manager"]).name)

	def assertRefused(self, pattern: str, function, *args, **kwargs):
		from key_account_mgmt.inputs import InvalidInput

		with self.assertRaisesRegex(InvalidInput, pattern) as refusal:
			function(*args, **kwargs)
		self.assertLess(len(str(refusal.exception)), 300, "the message repeats the input")

	def test_a_tier_card_with_filters_that_are_not_a_band(self):
		from key_account_mgmt.desk.tiers import accounts_in_band

		self.assertRefused("Filters.*must be JSON", accounts_in_band, "abc")
		self.assertRefused("Filters.*must be given as names and values", accounts_in_band, "[1]")
		self.assertRefused("Filters.*must be given as names and values", accounts_in_band, "-100")
		self.assertRefused("Band from the Top.*whole number", accounts_in_band, '{"band_from_top": "x"}')
		self.assertRefused("Band from the Top.*from 1 to 100", accounts_in_band, '{"band_from_top": -100}')

	def test_an_overflowing_or_huge_date_in_a_report(self):
		from frappe.desk.query_report import run

		for report in ("Value Analysis", "Development Analysis", "Behaviour Analysis", "Tier Movement"):
			for value, pattern in (
				("99999999999999999999", "From Date.*must be a date between"),
				("2026-01-01" + "9" * 1_000_000, "Report filters.*at most 10000 characters"),
			):
				with self.subTest(report=report, length=len(value)):
					self.assertRefused(pattern, run, report, filters=json.dumps({"from_date": value}))

	def test_a_picker_page_out_of_reach_and_a_huge_search_text(self):
		from key_account_mgmt.api.pickers import promotion_stores, promotion_territories

		for picker in (promotion_territories, promotion_stores):
			with self.subTest(picker=picker.__name__):
				self.assertRefused("Start.*from 0 to", picker, "Territory", "", "name", -5, 10)
				self.assertRefused("Page Length.*from 1 to", picker, "Territory", "", "name", 0, 10**20)
				self.assertRefused(
					"Search Text.*at most 140 characters", picker, "Territory", "x" * 10**7, "name", 0, 10
				)
