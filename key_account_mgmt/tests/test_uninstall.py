"""Uninstall on a site with the demo data leaves nothing of the app, and the app installs again.

This drops every table of the app, so it runs only on a throwaway site of its own: dev/test creates
one from the cached ERPNext base, installs the app there, sets `kam_uninstall_test` in its site config
and runs this file alone on it (the integration suite ignores this file). The checks are
generated from the database itself: every table and every text column of the site is searched for
the app's doctypes, roles, module and workflow, so a table that Frappe or ERPNext adds tomorrow is
searched too."""

import os
import subprocess
import sys

import frappe
import pytest

from key_account_mgmt.setup.install import custom_fields
from key_account_mgmt.setup.uninstall import APP, MODULE, app_doctypes, app_roles
from key_account_mgmt.setup.workflow import PROMOTION_ACTIONS, PROMOTION_STATES, created_workflow_masters
from key_account_mgmt.tiering.ledger import INVOICE_SUPPLIER_INDEX

# A mark rather than a module-level skip, so that `bench run-tests`, which imports every test module
# and finds no test case here, is not stopped by pytest's skip exception.
pytestmark = pytest.mark.skipif(
	not frappe.conf.get("kam_uninstall_test"),
	reason="uninstalls the app: runs only on a throwaway site whose site config sets kam_uninstall_test",
)

# Frappe's record of what the uninstall deleted (its own recycle bin, from which nothing of an
# uninstalled app can be restored); Frappe writes it after the app's hook has run.
FRAPPE_RECYCLE_BIN = {"tabDeleted Document"}
TEXT_TYPES = ("varchar", "char")


def bench(*args: str) -> subprocess.CompletedProcess:
	result = subprocess.run(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site, *args],
		cwd=os.path.abspath(frappe.local.sites_path),
		capture_output=True,
		text=True,
		timeout=1200,
	)
	assert result.returncode == 0, (
		f"bench {' '.join(args)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
	)
	return result


def fresh_view() -> None:
	"""The bench command committed in its own process: end this one's snapshot and caches, as a new
	request starts without them (the document hooks are kept per request)."""
	frappe.db.rollback()
	frappe.clear_cache()
	if hasattr(frappe.local, "doc_events_hooks"):
		del frappe.local.doc_events_hooks


def load_demo_data() -> None:
	"""The demo as dev/up loads it, with its sales (ERPNext's Sales Invoices, 672 of them, which the app
	only summarises) cut to one brand in one region, so that the uninstall phase stays within a few
	minutes of CI."""
	from key_account_mgmt import demo

	make_sales = demo.make_sales
	with pytest.MonkeyPatch.context() as patch:
		patch.setattr(demo, "REGIONS", demo.REGIONS[:1])
		patch.setattr(demo, "make_sales", lambda brands: make_sales(brands[:1]))
		demo.load_demo_data()
	frappe.db.commit()
	run_queued_jobs()


def run_queued_jobs() -> None:
	"""What a worker does with the jobs the demo queued for this site (dev/test runs no worker): the
	tier-change notices among them become Notification Logs."""
	from frappe.utils.background_jobs import get_queues

	for queue in get_queues():
		for job in queue.get_jobs():
			queued = job.kwargs or {}
			if queued.get("site") != frappe.local.site or not isinstance(queued.get("method"), str):
				continue
			queue.remove(job.id)
			frappe.set_user(queued["user"])
			frappe.call(queued["method"], **queued["kwargs"])
	frappe.set_user("Administrator")
	frappe.db.commit()


@pytest.fixture(scope="module")
def uninstalled():
	"""The demo loaded, what the app left on the site noted, then the app uninstalled as an admin does."""
	load_demo_data()
	fresh_view()
	before = frappe._dict(
		doctypes=app_doctypes(),
		roles=app_roles(),
		masters=created_workflow_masters(),
		open_todos=frappe.db.count("ToDo", {"reference_type": ("in", app_doctypes()), "status": "Open"}),
		notification_logs=frappe.db.count("Notification Log", {"document_type": ("in", app_doctypes())}),
		role_holders=frappe.db.count("Has Role", {"role": ("in", app_roles()), "parenttype": "User"}),
		workflow_active=frappe.db.get_value("Workflow", "Joint Promotion", "is_active"),
	)
	bench("uninstall-app", APP, "--yes", "--no-backup")
	fresh_view()
	return before


def test_the_demo_left_what_an_uninstall_must_remove(uninstalled):
	"""Otherwise the checks below would prove nothing."""
	assert uninstalled.open_todos > 0
	assert uninstalled.notification_logs > 0
	assert uninstalled.role_holders > 0
	assert uninstalled.workflow_active == 1
	assert set(uninstalled.roles) == {"Key Account Manager", "Key Account User", "Key Account Portal User"}
	assert uninstalled.masters is not None and uninstalled.masters[0]


def test_the_app_and_its_tables_are_gone(uninstalled):
	assert APP not in frappe.get_installed_apps()
	tables = set(frappe.db.sql_list("SHOW TABLES"))
	assert not {f"tab{doctype}" for doctype in uninstalled.doctypes} & tables


def test_no_table_names_the_app_doctypes_roles_module_or_workflow(uninstalled):
	"""Every text column of every table of the site, searched for any of the app's names."""
	names = tuple({*uninstalled.doctypes, *uninstalled.roles, MODULE, APP, "Joint Promotion"})
	columns: dict[str, list[str]] = {}
	for table, column in frappe.db.sql(
		"""SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = DATABASE() AND DATA_TYPE IN %s
			AND TABLE_NAME IN (SELECT TABLE_NAME FROM information_schema.TABLES
				WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE')""",
		(TEXT_TYPES,),
	):
		if table not in FRAPPE_RECYCLE_BIN:
			columns.setdefault(table, []).append(column)
	assert len(columns) > 500  # every table of Frappe and ERPNext was searched
	found = {}
	for table, table_columns in columns.items():
		counts = frappe.db.sql(
			f"""SELECT {", ".join(f"SUM(`{column}` IN %(names)s OR `{column}` LIKE %(path)s)" for column in table_columns)}
			FROM `{table}`""",
			{"names": names, "path": f"{APP}.%"},
		)[0]
		found.update(
			{
				f"{table}.{column}": int(count)
				for column, count in zip(table_columns, counts, strict=True)
				if count
			}
		)
	assert found == {}


def test_erpnext_keeps_no_custom_field_column_or_index_of_the_app(uninstalled):
	fieldnames = {field["fieldname"] for fields in custom_fields().values() for field in fields}
	assert not frappe.db.sql(
		"""SELECT TABLE_NAME, COLUMN_NAME FROM information_schema.COLUMNS
		WHERE TABLE_SCHEMA = DATABASE() AND COLUMN_NAME IN %s""",
		(tuple(fieldnames),),
	)
	assert not frappe.db.sql(
		"""SELECT TABLE_NAME FROM information_schema.STATISTICS
		WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = %s""",
		INVOICE_SUPPLIER_INDEX,
	)
	assert not frappe.get_all("Property Setter", filters={"doc_type": ("in", uninstalled.doctypes)})


def test_the_workflow_masters_the_app_created_are_gone_and_frappes_stay(uninstalled):
	states, actions = uninstalled.masters
	assert not frappe.get_all("Workflow State", filters={"name": ("in", list(states))})
	assert not frappe.get_all("Workflow Action Master", filters={"name": ("in", list(actions))})
	# what Frappe creates on every site, and the app only used
	kept_states = set(PROMOTION_STATES) - states
	kept_actions = set(PROMOTION_ACTIONS) - actions
	assert {"Approved", "Rejected"} <= kept_states
	assert set(
		frappe.get_all("Workflow State", filters={"name": ("in", list(kept_states))}, pluck="name")
	) == (kept_states)
	assert (
		set(
			frappe.get_all(
				"Workflow Action Master", filters={"name": ("in", list(kept_actions))}, pluck="name"
			)
		)
		== kept_actions
	)


def test_every_todo_and_contact_left_can_still_be_saved(uninstalled):
	"""A ToDo whose Reference Type no longer exists cannot be closed; a Contact linking to a key account
	cannot be saved."""
	try:
		for name in frappe.get_all("ToDo", filters={"status": "Open"}, pluck="name"):
			todo = frappe.get_doc("ToDo", name)
			todo.status = "Closed"
			todo.save(ignore_permissions=True)
		for name in frappe.get_all("Contact", pluck="name"):
			frappe.get_doc("Contact", name).save(ignore_permissions=True)
	finally:
		frappe.db.rollback()


def test_the_app_installs_again_and_works(uninstalled):
	bench("install-app", APP)
	fresh_view()
	assert APP in frappe.get_installed_apps()
	assert frappe.db.get_value("Workflow", "Joint Promotion", "is_active") == 1
	assert set(app_roles()) == set(uninstalled.roles)
	assert "No drift" in bench("kam-verify").stdout
