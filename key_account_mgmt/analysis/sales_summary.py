"""The sales summary: submitted Sales Invoice rows summed per day and per month, company, brand, item
group and territory, and per month, company and brand alone (Brand Month), in the company's currency
(Key Account Sales Summary). The analyses read it instead of every invoice row: a year of a national
retailer's sales is then a few ten thousand monthly rows instead of millions of invoice rows, and the
analyses by brand read a third of those.

Each row's name is a hash of its key, so that a submit adds to the row and a cancel takes away from
it with one INSERT … ON DUPLICATE KEY UPDATE per period kind, summed by the database from the
invoice's own rows (exact decimals). The cost is ERPNext's incoming rate on the row, which a stock
repost may change after submit: the weekly rebuild, and `bench kam-rebuild-sales-summary` at any
time, write the summary afresh from the invoices."""

from contextlib import contextmanager

import frappe
from frappe.utils import add_months, get_last_day, getdate

from key_account_mgmt.setup import schema

SUMMARY = "Key Account Sales Summary"
DAY, MONTH, BRAND_MONTH = "Day", "Month", "Brand Month"
KEY_COLUMNS = ("period", "period_start", "company", "brand", "item_group", "territory")
AMOUNT_COLUMNS = ("net_amount", "stock_qty", "cost")
COUNT_COLUMNS = ("invoice_rows",)
RANGE_INDEX = "period_start_with_rows"
RANGE_INDEX_COLUMNS = [*KEY_COLUMNS, *AMOUNT_COLUMNS, *COUNT_COLUMNS]

# One statement for both kinds of period and for submit (+1) and cancel (-1); `invoice` NULL means
# every submitted invoice posted from `from_date` to `to_date` (the rebuild, a month at a time).
RECORD = """
INSERT INTO `tabKey Account Sales Summary` (name, period, period_start, company, brand, item_group,
	territory, net_amount, stock_qty, cost, invoice_rows, creation, modified, owner, modified_by, docstatus)
SELECT SHA1(CONCAT_WS('|', %(period)s, period_start, company, brand, item_group, territory)),
	%(period)s, period_start, company, brand, item_group, territory, net_amount, stock_qty, cost,
	invoice_rows, NOW(6), NOW(6), 'Administrator', 'Administrator', 0
FROM (
	SELECT IF(%(period)s = 'Day', si.posting_date,
			DATE_SUB(si.posting_date, INTERVAL DAYOFMONTH(si.posting_date) - 1 DAY)) AS period_start,
		si.company, IFNULL(sii.brand, '') AS brand,
		IF(%(period)s = 'Brand Month', '', IFNULL(sii.item_group, '')) AS item_group,
		IF(%(period)s = 'Brand Month', '', IFNULL(si.territory, '')) AS territory,
		%(sign)s * SUM(sii.base_net_amount) AS net_amount, %(sign)s * SUM(sii.stock_qty) AS stock_qty,
		%(sign)s * SUM(IFNULL(sii.incoming_rate, 0) * IFNULL(sii.stock_qty, 0)) AS cost,
		%(sign)s * COUNT(*) AS invoice_rows
	FROM `tabSales Invoice` si
	INNER JOIN `tabSales Invoice Item` sii ON sii.parent = si.name AND sii.parenttype = 'Sales Invoice'
	WHERE si.name = %(invoice)s
		OR (%(invoice)s IS NULL AND si.docstatus = 1 AND si.posting_date BETWEEN %(from_date)s AND %(to_date)s)
	GROUP BY 1, 2, 3, 4, 5
) grouped
ON DUPLICATE KEY UPDATE net_amount = `tabKey Account Sales Summary`.net_amount + VALUES(net_amount),
	stock_qty = `tabKey Account Sales Summary`.stock_qty + VALUES(stock_qty),
	cost = `tabKey Account Sales Summary`.cost + VALUES(cost),
	invoice_rows = `tabKey Account Sales Summary`.invoice_rows + VALUES(invoice_rows), modified = VALUES(modified)
"""


# The rebuild's months, from its days: one pass over the invoices instead of two.
MONTHS_FROM_DAYS = """
INSERT INTO `tabKey Account Sales Summary` (name, period, period_start, company, brand, item_group,
	territory, net_amount, stock_qty, cost, invoice_rows, creation, modified, owner, modified_by, docstatus)
SELECT SHA1(CONCAT_WS('|', 'Month', period_start, company, brand, item_group, territory)),
	'Month', period_start, company, brand, item_group, territory, net_amount, stock_qty, cost,
	invoice_rows, NOW(6), NOW(6), 'Administrator', 'Administrator', 0
FROM (
	SELECT DATE_SUB(period_start, INTERVAL DAYOFMONTH(period_start) - 1 DAY) AS period_start, company, brand,
		item_group, territory, SUM(net_amount) AS net_amount, SUM(stock_qty) AS stock_qty, SUM(cost) AS cost,
		SUM(invoice_rows) AS invoice_rows
	FROM `tabKey Account Sales Summary`
	WHERE period = 'Day' AND period_start BETWEEN %(from_date)s AND %(to_date)s
	GROUP BY 1, 2, 3, 4, 5
) grouped
"""


# The rebuild's brand months, from its months.
BRAND_MONTHS_FROM_MONTHS = """
INSERT INTO `tabKey Account Sales Summary` (name, period, period_start, company, brand, item_group,
	territory, net_amount, stock_qty, cost, invoice_rows, creation, modified, owner, modified_by, docstatus)
SELECT SHA1(CONCAT_WS('|', 'Brand Month', period_start, company, brand, '', '')),
	'Brand Month', period_start, company, brand, '', '', SUM(net_amount), SUM(stock_qty), SUM(cost),
	SUM(invoice_rows), NOW(6), NOW(6), 'Administrator', 'Administrator', 0
FROM `tabKey Account Sales Summary`
WHERE period = 'Month' AND period_start BETWEEN %(from_date)s AND %(to_date)s
GROUP BY period_start, company, brand
"""


def on_submit(doc, method=None) -> None:
	record(doc.name, 1)


def on_cancel(doc, method=None) -> None:
	record(doc.name, -1)


def record(invoice: str, sign: int) -> None:
	for period in (DAY, MONTH, BRAND_MONTH):
		frappe.db.sql(
			RECORD, {"period": period, "sign": sign, "invoice": invoice, "from_date": None, "to_date": None}
		)


def rebuild() -> int:
	"""Write the summary afresh from every submitted Sales Invoice, a month at a time (each month's
	grouping stays small); returns its rows."""
	frappe.db.delete(SUMMARY)
	first, last = frappe.db.sql("SELECT MIN(posting_date), MAX(posting_date) FROM `tabSales Invoice`")[0]
	month = getdate(first).replace(day=1) if first else None
	with temporary_tables_in_memory():
		while month and month <= getdate(last):
			period = {"from_date": month, "to_date": get_last_day(month)}
			frappe.db.sql(RECORD, {"period": DAY, "sign": 1, "invoice": None, **period})
			frappe.db.sql(MONTHS_FROM_DAYS, period)
			frappe.db.sql(BRAND_MONTHS_FROM_MONTHS, period)
			month = add_months(month, 1)
	return frappe.db.count(SUMMARY)


@contextmanager
def temporary_tables_in_memory(size: int = 256 * 1024 * 1024):
	"""A month's grouping of a national retailer's rows (the rebuild), or a year's sales by brand and
	month (the analyses), fits in memory instead of spilling to an on-disk temporary table (two to three
	times slower); for this connection and while the block runs only."""
	saved = frappe.db.sql("SELECT @@SESSION.tmp_table_size, @@SESSION.max_heap_table_size")[0]
	frappe.db.sql("SET SESSION tmp_table_size = %s, max_heap_table_size = %s", (size, size))
	try:
		yield
	finally:
		frappe.db.sql("SET SESSION tmp_table_size = %s, max_heap_table_size = %s", tuple(saved))


def rebuild_weekly() -> None:
	rebuild()
	frappe.db.commit()


def add_indexes() -> None:
	"""Ranges of days or months per company, covering what the analyses read of every brand (no row
	lookups), and one brand's days or months. The doctype's on_doctype_update."""
	frappe.db.add_index(SUMMARY, RANGE_INDEX_COLUMNS, RANGE_INDEX)
	frappe.db.add_index(SUMMARY, ["brand", "period", "period_start"], "brand_period_start")
	schema.widen_amount_columns(SUMMARY, AMOUNT_COLUMNS)
