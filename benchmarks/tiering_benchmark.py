"""Tiering and analyses benchmark: prints figures, asserts nothing. Run it through dev/benchmark,
which makes a dedicated site; from a bench's sites folder it is:

    ../env/bin/python /path/to/benchmarks/tiering_benchmark.py SITE [--invoices 1000000]

It loads the demo data, then bulk-loads (plain SQL, no submits) SUPPLIERS suppliers in ACCOUNTS key
accounts, N submitted Purchase Invoices and N submitted Sales Invoices of the accounts' brands (and
of brands that are no key account) over two years, then measures in one run:
  - a real Purchase Invoice submit with the app's hooks vs the same submit without them (ratio),
  - the full recompute (ledger rebuilt from the invoices, every account re-evaluated),
  - the daily re-evaluation, and the verify command,
  - every report the app ships, run twice through frappe.desk.query_report.run with the company and
    the last twelve months (a table: report, rows, first and second run), the Key Account form load
    and the One-to-One print.
"""

import argparse
import importlib
import statistics
import sys
import time
from contextlib import contextmanager

import frappe

SUPPLIERS = 10_000
ACCOUNTS = 2_000
OTHER_BRANDS = 500
COMPANY_NAME = "KAM Appliance Retail"


def main() -> None:
	parser = argparse.ArgumentParser()
	parser.add_argument("site")
	parser.add_argument("--invoices", type=int, default=1_000_000)
	parser.add_argument("--submits", type=int, default=15, help="timed submits each way")
	parser.add_argument(
		"--submits-only", action="store_true", help="skip the recompute, daily and verify runs"
	)
	parser.add_argument("--no-reports", action="store_true", help="skip the reports table")
	parser.add_argument(
		"--reports-only", action="store_true", help="only the reports table, on the data already loaded"
	)
	parser.add_argument(
		"--hook-statements-only",
		action="store_true",
		help="only the list of statements the app adds to a submit, with their times",
	)
	args = parser.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		if args.reports_only:
			measure_reports()
		elif args.hook_statements_only:
			hook_statements(args.submits)
		else:
			run(args.invoices, args.submits, args.submits_only, not args.no_reports)
	finally:
		frappe.destroy()


def run(invoices: int, submits: int, submits_only: bool = False, reports: bool = True) -> None:
	from key_account_mgmt.demo import load_demo_data

	seconds = timed(load_demo_data)
	frappe.db.commit()
	print(f"demo data: {seconds:.1f} s")
	seconds = timed(lambda: bulk_load(invoices))
	print(
		f"bulk load: {invoices:,} purchase invoices, {SUPPLIERS:,} suppliers, {ACCOUNTS:,} key accounts ({seconds:.1f} s)"
	)
	if reports:
		seconds = timed(lambda: bulk_load_sales(invoices))
		print(
			f"bulk load: {invoices:,} sales invoices of {ACCOUNTS + OTHER_BRANDS:,} brands ({seconds:.1f} s)"
		)
		seconds = timed(rebuild_sales_summary)
		print(
			f"sales summary rebuilt from the invoices (the bulk load bypasses submit): "
			f"{frappe.db.count('Key Account Sales Summary'):,} rows ({seconds:.1f} s)"
		)

	if not submits_only:
		measure_maintenance()

	with_hooks, without_hooks, inside_hooks = submit_timings(submits)
	without = statistics.median(without_hooks)
	ratio = statistics.median(with_hooks) / without
	print(
		f"Purchase Invoice submit, median of {submits}: with hooks {statistics.median(with_hooks) * 1000:.1f} ms, "
		f"without {without * 1000:.1f} ms, ratio {ratio:.3f}"
	)
	hooks = statistics.median(inside_hooks)
	print(
		f"inside the app's hooks, median per submit: {hooks * 1000:.2f} ms; "
		f"(without + hooks) / without = {(without + hooks) / without:.3f}"
	)
	hook_statements(submits)
	tiers = frappe.db.sql("SELECT IFNULL(tier, '(none)'), COUNT(*) FROM `tabKey Account` GROUP BY tier")
	print("accounts per tier: " + ", ".join(f"{tier} {count}" for tier, count in tiers))
	if reports:
		measure_reports()


def measure_maintenance() -> None:
	from key_account_mgmt.tiering.evaluation import Cause, reevaluate_all
	from key_account_mgmt.tiering.maintenance import recompute_all, verify_all
	from key_account_mgmt.tiering.reevaluation import reevaluate_accounts

	frappe.db.delete("Key Account Purchase Entry")
	frappe.db.commit()
	initial = timed(lambda: recompute_all(rebuild_ledger=True))
	frappe.db.commit()
	print(
		f"first build: ledger written from {ledger_rows():,} invoices, every account evaluated: {initial:.2f} s"
	)
	recompute = timed(recompute_all)
	frappe.db.commit()
	print(
		f"full recompute of {ACCOUNTS:,} accounts from the ledger, every account rewritten: {recompute:.2f} s"
	)
	reconcile = timed(lambda: recompute_all(rebuild_ledger=True))
	frappe.db.commit()
	print(f"recompute with the ledger reconciled against {ledger_rows():,} invoices: {reconcile:.2f} s")
	daily = timed(lambda: reevaluate_all(Cause.DAILY))
	frappe.db.commit()
	print(f"daily re-evaluation of {ACCOUNTS:,} accounts: {daily:.2f} s")
	background = timed(lambda: reevaluate_accounts(Cause.BAND_CHANGE, commit=True))
	print(
		f"re-evaluation job after a settings change, {ACCOUNTS:,} accounts one by one, "
		f"each committed: {background:.2f} s"
	)
	verify_seconds = timed(verify_all)
	print(f"verify: {verify_seconds:.2f} s (drift: {'yes' if verify_all() else 'none'})")


def timed(function) -> float:
	started = time.perf_counter()
	function()
	return time.perf_counter() - started


def ledger_rows() -> int:
	return frappe.db.count("Key Account Purchase Entry")


def bulk_load(invoices: int) -> None:
	if frappe.db.count("Purchase Invoice", {"name": ("like", "BENCH-PI-%")}) == invoices:
		return
	for table in ("Purchase Invoice", "Supplier", "Key Account Supplier", "Key Account"):
		frappe.db.sql(f"DELETE FROM `tab{table}` WHERE name LIKE 'BENCH-%%'")
	frappe.db.delete("Key Account Purchase Entry")
	audit = "NOW(), NOW(), 'Administrator', 'Administrator'"
	frappe.db.sql(
		f"""INSERT INTO `tabSupplier` (name, supplier_name, supplier_group, supplier_type, creation, modified,
			owner, modified_by, docstatus)
		SELECT CONCAT('BENCH-SUP-', LPAD(seq, 5, '0')), CONCAT('Bench Supplier ', seq), 'All Supplier Groups',
			'Company', {audit}, 0
		FROM seq_1_to_{SUPPLIERS}"""
	)
	frappe.db.sql(
		f"""INSERT INTO `tabKey Account` (name, account_name, currency, creation, modified, owner, modified_by,
			docstatus)
		SELECT CONCAT('BENCH-KA-', LPAD(seq, 4, '0')), CONCAT('BENCH-KA-', LPAD(seq, 4, '0')), 'CNY', {audit}, 0
		FROM seq_1_to_{ACCOUNTS}"""
	)
	frappe.db.sql(
		f"""INSERT INTO `tabKey Account Supplier` (name, parent, parenttype, parentfield, idx, supplier,
			supplier_name, creation, modified, owner, modified_by, docstatus)
		SELECT CONCAT('BENCH-KAS-', seq), CONCAT('BENCH-KA-', LPAD((seq - 1) % {ACCOUNTS} + 1, 4, '0')),
			'Key Account', 'suppliers', (seq - 1) DIV {ACCOUNTS} + 1, CONCAT('BENCH-SUP-', LPAD(seq, 5, '0')),
			CONCAT('Bench Supplier ', seq), {audit}, 0
		FROM seq_1_to_{SUPPLIERS}"""
	)
	frappe.db.sql(
		"UPDATE `tabSupplier` s JOIN `tabKey Account Supplier` k ON k.supplier = s.name "
		"SET s.key_account = k.parent WHERE s.name LIKE 'BENCH-%%'"
	)
	# Account k buys about 5M * (k mod 10 + 1) a year at 1M invoices: every tier is populated. One in 50 is a return.
	frappe.db.sql(
		f"""INSERT INTO `tabPurchase Invoice` (name, supplier, company, posting_date, due_date, docstatus,
			is_return, currency, conversion_rate, base_net_total, base_grand_total, net_total, grand_total,
			creation, modified, owner, modified_by)
		SELECT CONCAT('BENCH-PI-', LPAD(seq, 7, '0')), CONCAT('BENCH-SUP-', LPAD((seq - 1) %% {SUPPLIERS} + 1, 5, '0')),
			%(company)s, DATE_SUB(CURDATE(), INTERVAL seq %% 730 DAY), CURDATE(), 1, seq %% 50 = 0, 'CNY', 1,
			amount, amount * 1.13, amount, amount * 1.13, {audit}
		FROM (
			SELECT seq, (IF(seq %% 50 = 0, -1.0, 1.0) * CAST( ((((seq - 1) %% {SUPPLIERS}) %% {ACCOUNTS}) %% 10 + 1) AS SIGNED) * 20000
				* (0.5 + (seq * 7919 %% 1000) / 1000)) AS amount
			FROM seq_1_to_{invoices}
		) generated""",
		{"company": COMPANY_NAME},
	)
	frappe.db.commit()


def bulk_load_sales(invoices: int) -> None:
	"""One row per Sales Invoice; account k's brand is BENCH-BR-k, and OTHER_BRANDS brands belong to
	no key account (the competitors in the monthly report and the candidates)."""
	if frappe.db.count("Sales Invoice", {"name": ("like", "BENCH-SI-%")}) == invoices:
		return link_accounts_to_brands()
	frappe.db.sql("DELETE FROM `tabSales Invoice Item` WHERE parent LIKE 'BENCH-SI-%%'")
	frappe.db.sql("DELETE FROM `tabSales Invoice` WHERE name LIKE 'BENCH-SI-%%'")
	for table in ("Item", "Brand", "Customer"):
		frappe.db.sql(f"DELETE FROM `tab{table}` WHERE name LIKE 'BENCH-%%'")
	brands = ACCOUNTS + OTHER_BRANDS
	audit = "NOW(), NOW(), 'Administrator', 'Administrator'"
	frappe.db.sql(
		f"""INSERT INTO `tabBrand` (name, brand, creation, modified, owner, modified_by, docstatus)
		SELECT CONCAT('BENCH-BR-', LPAD(seq, 4, '0')), CONCAT('BENCH-BR-', LPAD(seq, 4, '0')), {audit}, 0
		FROM seq_1_to_{brands}"""
	)
	frappe.db.sql(
		f"""INSERT INTO `tabItem` (name, item_code, item_name, item_group, brand, stock_uom, is_stock_item,
			creation, modified, owner, modified_by, docstatus)
		SELECT CONCAT('BENCH-IT-', LPAD(seq, 4, '0')), CONCAT('BENCH-IT-', LPAD(seq, 4, '0')),
			CONCAT('Bench Item ', seq), 'All Item Groups', CONCAT('BENCH-BR-', LPAD(seq, 4, '0')), 'Nos', 0,
			{audit}, 0
		FROM seq_1_to_{brands}"""
	)
	frappe.db.sql(
		f"""INSERT INTO `tabCustomer` (name, customer_name, customer_type, customer_group, territory, creation,
			modified, owner, modified_by, docstatus)
		VALUES ('BENCH-CUSTOMER', 'Bench Customer', 'Individual', 'All Customer Groups', 'All Territories',
			{audit}, 0)"""
	)
	territories = frappe.get_all("Territory", {"is_group": 0}, pluck="name", order_by="name") or [
		"All Territories"
	]
	territory_case = "CASE seq %% {} {} END".format(
		len(territories),
		" ".join(f"WHEN {index} THEN {frappe.db.escape(name)}" for index, name in enumerate(territories)),
	)
	frappe.db.sql(
		f"""INSERT INTO `tabSales Invoice` (name, customer, company, posting_date, due_date, docstatus,
			is_return, currency, conversion_rate, territory, base_net_total, base_grand_total, net_total,
			grand_total, creation, modified, owner, modified_by)
		SELECT CONCAT('BENCH-SI-', LPAD(seq, 7, '0')), 'BENCH-CUSTOMER', %(company)s,
			DATE_SUB(CURDATE(), INTERVAL seq %% 730 DAY), CURDATE(), 1, 0, 'CNY', 1, {territory_case},
			3000 + seq %% 5000, 3000 + seq %% 5000, 3000 + seq %% 5000, 3000 + seq %% 5000, {audit}
		FROM seq_1_to_{invoices}""",
		{"company": COMPANY_NAME},
	)
	frappe.db.sql(
		f"""INSERT INTO `tabSales Invoice Item` (name, parent, parenttype, parentfield, idx, item_code,
			item_name, brand, item_group, uom, stock_uom, conversion_factor, qty, stock_qty, rate, base_rate,
			net_rate, base_net_rate, amount, base_amount, net_amount, base_net_amount, incoming_rate,
			creation, modified, owner, modified_by, docstatus)
		SELECT CONCAT('BENCH-SII-', seq), CONCAT('BENCH-SI-', LPAD(seq, 7, '0')), 'Sales Invoice', 'items', 1,
			CONCAT('BENCH-IT-', LPAD(brand, 4, '0')), CONCAT('Bench Item ', brand),
			CONCAT('BENCH-BR-', LPAD(brand, 4, '0')), 'All Item Groups', 'Nos', 'Nos', 1, 1, 1,
			amount, amount, amount, amount, amount, amount, amount, amount, amount * 0.8, {audit}, 1
		FROM (SELECT seq, (seq * 7919) % {brands} + 1 AS brand, 3000 + seq % 5000 AS amount
			FROM seq_1_to_{invoices}) generated""",
	)
	link_accounts_to_brands()
	frappe.db.commit()


def rebuild_sales_summary() -> None:
	from key_account_mgmt.analysis.sales_summary import rebuild

	rebuild()
	frappe.db.commit()


def link_accounts_to_brands() -> None:
	frappe.db.sql(
		"UPDATE `tabKey Account` SET brand = CONCAT('BENCH-BR-', SUBSTRING(name, 10)) WHERE name LIKE 'BENCH-KA-%%'"
	)


def measure_reports() -> None:
	"""Each report twice with the company and the last twelve months; the second run is the one a
	manager who opens it again sees. Then the Key Account form load and the One-to-One print."""
	from frappe.desk.form.load import getdoc
	from frappe.desk.query_report import run as run_report
	from frappe.utils import add_days, add_months, getdate

	today = getdate()
	filters = {
		"company": COMPANY_NAME,
		"from_date": add_days(add_months(today, -12), 1),
		"to_date": today,
	}
	account = "BENCH-KA-0010"
	# Reports about one account get the largest tier's account; the rest run across all accounts.
	one_account = {"Agent Contribution": {"key_account": account}}
	print(f"{'report':<28} {'rows':>8} {'first run':>10} {'second run':>11}")
	for report in frappe.get_all(
		"Report", {"module": "Key Account Management"}, pluck="name", order_by="name"
	):
		times, rows = [], 0
		for _ in range(2):
			started = time.perf_counter()
			try:
				result = run_report(
					report,
					filters=frappe._dict(filters, **one_account.get(report, {})),
					ignore_prepared_report=True,
				)
				rows = len(result.get("result") or [])
			except Exception as error:
				rows = f"error: {error}"[:40]
			times.append(time.perf_counter() - started)
			frappe.db.rollback()
		print(f"{report:<28} {rows!s:>8} {times[0]:>9.2f}s {times[1]:>10.2f}s")
	form = []
	for _ in range(3):
		frappe.clear_document_cache("Key Account", account)
		form.append(timed(lambda: getdoc("Key Account", account)))
	print(f"Key Account form load (getdoc), best of 3: {min(form):.3f} s")
	printing = []
	for _ in range(2):
		printing.append(
			timed(lambda: frappe.get_print("Key Account", account, print_format="Key Account One-to-One"))
		)
	print(f"Key Account One-to-One print (HTML), second of 2: {printing[1]:.3f} s")


@contextmanager
def app_hooks(enabled: bool):
	hooks = frappe.get_doc_hooks()
	saved = hooks.get("Purchase Invoice", {})
	if not enabled:
		hooks["Purchase Invoice"] = {
			event: [method for method in methods if not method.startswith("key_account_mgmt.")]
			for event, methods in saved.items()
		}
	try:
		yield
	finally:
		hooks["Purchase Invoice"] = saved


def submit_timings(submits: int) -> tuple[list[float], list[float], list[float]]:
	"""Alternate the two kinds of submit so that drift in the machine's load hits both alike; each
	submit is rolled back so that every one starts from the same database. Also returns the time
	spent inside the app's hooks in each submit with them: on a noisy machine the two submits' medians
	move by more than the hooks take, the hooks' own time much less."""
	supplier, item = real_supplier_in_a_large_account()
	timings = {True: [], False: []}
	inside_hooks = []
	for round_number in range(submits * 2 + 2):
		enabled = round_number % 2 == 0
		invoice = draft_invoice(supplier, item)
		spent = []
		with app_hooks(enabled), timing_app_hooks(spent):
			started = time.perf_counter()
			invoice.submit()
			elapsed = time.perf_counter() - started
		frappe.db.rollback()
		if round_number >= 2:  # the first pair warms caches
			timings[enabled].append(elapsed)
			if enabled:
				inside_hooks.append(sum(spent))
	return timings[True], timings[False], inside_hooks


@contextmanager
def timing_app_hooks(spent: list[float]):
	"""Each of the app's Purchase Invoice hooks adds its wall time to `spent` while it runs."""
	methods = {
		method
		for methods in frappe.get_hooks("doc_events").get("Purchase Invoice", {}).values()
		for method in methods
		if method.startswith("key_account_mgmt.")
	}
	originals = []
	for method in methods:
		module_name, name = method.rsplit(".", 1)
		module = importlib.import_module(module_name)
		original = getattr(module, name)
		originals.append((module, name, original))

		def timed_hook(*args, _original=original, **kwargs):
			started = time.perf_counter()
			try:
				return _original(*args, **kwargs)
			finally:
				spent.append(time.perf_counter() - started)

		setattr(module, name, timed_hook)
	try:
		yield
	finally:
		for module, name, original in originals:
			setattr(module, name, original)


def hook_statements(submits: int) -> None:
	"""The statements the app's hooks add to a submit, each with its median time per submit (timed
	around the database call, so Python's own work in the hook is not in them)."""
	supplier, item = real_supplier_in_a_large_account()
	original = frappe.db.sql
	per_submit: dict[str, list[float]] = {}
	current: dict[str, float] = {}

	def recording(query, *args, **kwargs):
		started = time.perf_counter()
		try:
			return original(query, *args, **kwargs)
		finally:
			elapsed = time.perf_counter() - started
			caller = app_caller()
			if caller:
				key = f"{caller}: {' '.join(str(query).split())[:90]}"
				current[key] = current.get(key, 0.0) + elapsed

	for round_number in range(submits + 1):
		invoice = draft_invoice(supplier, item)
		current.clear()
		frappe.db.sql = recording
		try:
			invoice.submit()
		finally:
			frappe.db.sql = original
		frappe.db.rollback()
		if round_number:  # the first one warms caches
			for key, seconds in current.items():
				per_submit.setdefault(key, []).append(seconds)
	total = sum(statistics.median(times) for times in per_submit.values())
	print(
		f"statements the app adds to a submit (median ms per submit of {submits}; {total * 1000:.2f} ms in all):"
	)
	for key, times in sorted(per_submit.items(), key=lambda item: -statistics.median(item[1])):
		print(f"  {statistics.median(times) * 1000:6.2f} ms  {key}")


def app_caller() -> str | None:
	"""The innermost function of this app on the stack (outside the benchmark), as module.function."""
	frame = sys._getframe(2)
	while frame:
		name = frame.f_globals.get("__name__", "")
		if name.startswith("key_account_mgmt."):
			return f"{name.removeprefix('key_account_mgmt.')}.{frame.f_code.co_name}"
		frame = frame.f_back
	return None


def draft_invoice(supplier: str, item: str):
	return frappe.get_doc(
		{
			"doctype": "Purchase Invoice",
			"company": COMPANY_NAME,
			"supplier": supplier,
			"currency": "CNY",
			"conversion_rate": 1,
			"items": [{"item_code": item, "qty": 1, "rate": 250_000}],
		}
	).insert()


def real_supplier_in_a_large_account() -> tuple[str, str]:
	supplier = "Bench Real Supplier"
	if not frappe.db.exists("Supplier", supplier):
		frappe.get_doc(
			{"doctype": "Supplier", "supplier_name": supplier, "supplier_group": "All Supplier Groups"}
		).insert()
		# about 35M a year: in the middle of Partner, so the timed submits change no tier (the usual case)
		account = frappe.get_doc("Key Account", "BENCH-KA-0010")
		account.append("suppliers", {"supplier": supplier})
		account.save()
	item = "Bench Appliance"
	if not frappe.db.exists("Item", item):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item,
				"item_group": "All Item Groups",
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert()
	frappe.db.commit()
	return supplier, item


if __name__ == "__main__":
	sys.exit(main())
