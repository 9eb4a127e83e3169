"""Bench commands: `bench --site SITE kam-recompute`, `kam-verify` and `kam-rebuild-sales-summary`."""

import click
from frappe.commands import get_site, pass_context


@click.command("kam-recompute")
@click.option(
	"--rebuild-ledger",
	is_flag=True,
	hidden=True,
	help="Kept for existing scripts: kam-recompute always rebuilds the ledger.",
)
@pass_context
def kam_recompute(context, rebuild_ledger=False):
	"""Rebuild everything the engine derives from the posted documents: the ledger from the submitted
	Purchase Invoices, the monthly sums, every key account's annual totals, figures and tier."""
	import frappe

	from key_account_mgmt.tiering.maintenance import recompute_all

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		report = recompute_all()
		frappe.db.commit()
		click.echo(report.summary())
	finally:
		frappe.destroy()


@click.command("kam-verify")
@pass_context
def kam_verify(context):
	"""Report key accounts whose stored totals differ from a recomputation; exit 1 on any drift."""
	import frappe

	from key_account_mgmt.tiering.maintenance import verify_all

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		drift = verify_all()
	finally:
		frappe.destroy()
	for line in drift.lines():
		click.echo(line)
	click.echo(drift.summary())
	if drift:
		raise SystemExit(1)


@click.command("kam-rebuild-sales-summary")
@pass_context
def kam_rebuild_sales_summary(context):
	"""Write the sales summary the analyses read afresh from the submitted Sales Invoices."""
	import frappe

	from key_account_mgmt.analysis.sales_summary import rebuild

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		rows = rebuild()
		frappe.db.commit()
		click.echo(f"sales summary: {rows} rows")
	finally:
		frappe.destroy()


commands = [kam_recompute, kam_verify, kam_rebuild_sales_summary]
