"""The upgrade test's data and figures, run with the bench's Python from its sites folder:

    ../env/bin/python /path/to/dev/upgrade_data.py SITE load      # with the release being upgraded from
    ../env/bin/python /path/to/dev/upgrade_data.py SITE figures   # before and after the migration

`load` uses only what the first release's test factories offer, so it runs on any release since;
`figures` prints, one per line, what the migration must not change."""

import sys

import frappe


def load() -> None:
	from key_account_mgmt.setup.company import before_tests
	from key_account_mgmt.tests.factories import (
		ItemFactory,
		KeyAccountFactory,
		PurchaseInvoiceFactory,
		SalesInvoiceFactory,
		SupplierFactory,
		make_debit_note,
	)

	before_tests()
	frappe.set_user("Administrator")
	amounts = (3_000_000, 2_500_000, 9_000_000)  # Ordinary, Partner, then Strategic as they add up
	for number in range(3):
		suppliers = [SupplierFactory().name for _supplier in range(2)]
		KeyAccountFactory(supplier_names=suppliers)
		item = ItemFactory().name
		invoices = [
			PurchaseInvoiceFactory(supplier=supplier, item=item, amount=amounts[number] * (index + 1))
			for index, supplier in enumerate(suppliers * 2)
		]
		make_debit_note(invoices[0], amount=amounts[number] / 10)
		invoices[-1].cancel()
		for _sale in range(3):
			SalesInvoiceFactory(item=item, qty=number + 1, rate=10_000)
	frappe.db.commit()


FIGURES = (
	"SELECT name, tier, computed_tier, purchase_amount FROM `tabKey Account` ORDER BY name",
	"SELECT parent, fiscal_year, purchase_amount, invoice_count FROM `tabKey Account Annual Total` ORDER BY 1, 2",
	"SELECT COUNT(*), SUM(net_amount), SUM(grand_amount) FROM `tabKey Account Purchase Entry`",
	"SELECT name, net_amount, return_net_amount, invoices, debit_notes FROM `tabKey Account Purchase Month` ORDER BY name",
	"SELECT name, net_amount, stock_qty, cost, invoice_rows FROM `tabKey Account Sales Summary` ORDER BY name",
	"SELECT name, key_account, key_account_tier FROM `tabSupplier` WHERE key_account IS NOT NULL ORDER BY name",
	"SELECT name, add_total_row FROM `tabReport` WHERE module = 'Key Account Management' ORDER BY name",
)


def figures() -> None:
	for query in FIGURES:
		for row in frappe.db.sql(query):
			print("\t".join(str(value) for value in row))


def main(site: str, mode: str) -> None:
	frappe.init(site=site, sites_path=".")
	frappe.connect()
	try:
		{"load": load, "figures": figures}[mode]()
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main(*sys.argv[1:])
