"""Bench commands: `bench --site SITE kam-recompute` and `bench --site SITE kam-verify`."""

import click
from frappe.commands import get_site, pass_context


@click.command("kam-recompute")
@click.option(
	"--rebuild-ledger",
	is_flag=True,
	help="First reconcile the key-account ledger with the submitted Purchase Invoices.",
)
@pass_context
def kam_recompute(context, rebuild_ledger=False):
	"""Recompute every key account's totals and tier from the ledger and write them."""
	import frappe

	from key_account_mgmt.tiering.maintenance import recompute_all

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		report = recompute_all(rebuild_ledger=rebuild_ledger)
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


commands = [kam_recompute, kam_verify]
