app_name = "key_account_mgmt"
app_title = "Key Account Management"
app_publisher = "Key Account Mgmt Developers"
app_description = "Key-account (大客户) management for ERPNext: tiers from purchases, account file, joint marketing and analyses"
app_email = "dev@key-account-mgmt.invalid"
app_license = "mit"

# "org/repo" rather than "erpnext": Frappe resolves a bare name by asking GitHub, which fails offline.
required_apps = ["frappe/erpnext"]

export_python_type_annotations = True
# Frappe v16 refuses whitelisted functions without annotated parameters; v15 ignores the key.
require_type_annotated_api_methods = True

# Installation
# ------------

after_install = "key_account_mgmt.setup.install.after_install"
after_migrate = "key_account_mgmt.setup.install.after_migrate"
before_uninstall = "key_account_mgmt.setup.install.before_uninstall"
# Install imports number cards and charts after after_install: name the tier cards after that.
after_sync = "key_account_mgmt.desk.tiers.sync_tier_desk"

# Roles live in fixtures so that install, migrate and export agree on them.
fixtures = [
	{
		"dt": "Role",
		"filters": [["name", "in", ["Key Account Manager", "Key Account User", "Key Account Portal User"]]],
	},
	# Its Workflow States and Action Masters are shared with other apps: setup/workflow.py adds the
	# missing ones and never overwrites.
	{"dt": "Workflow", "filters": [["name", "=", "Joint Promotion"]]},
]

# Desk
# ----

app_include_js = "/assets/key_account_mgmt/js/key_account_mgmt.js"

# The bands and their colours, for every desk script that shows a tier.
# And, where dev/up serves socket.io on a port of its own, where the desk's socket connects (desk/live.py).
extend_bootinfo = [
	"key_account_mgmt.desk.tiers.extend_bootinfo",
	"key_account_mgmt.desk.live.extend_bootinfo",
]

# Frappe's print page names the print formats in the reader's language (print_view.js).
page_js = {"print": "public/js/print_view.js"}

doctype_js = {
	"Supplier": "public/js/supplier.js",
	"Purchase Invoice": "public/js/purchase_invoice.js",
}

# Website users of an account's contacts reach the data-sharing page from their portal menu. Portal
# Settings keeps only items whose reference_doctype exists; the role follows the grants (portal_access.py).
standard_portal_menu_items = [
	{
		"title": "Key Account Data",
		"route": "/key_account_portal",
		"reference_doctype": "Key Account",
		"role": "Key Account Portal User",
	}
]
on_session_creation = "key_account_mgmt.marketing.portal_access.sync_portal_role_on_login"

# Submitted negotiation logs show on their account's timeline.
additional_timeline_content = {"Key Account": ["key_account_mgmt.account_file.timeline.negotiation_logs"]}

# The one-to-one print format calls one_to_one_figures; the monthly report's, report_as_shared.
jinja = {
	"methods": [
		"key_account_mgmt.analysis.one_to_one.one_to_one_figures",
		"key_account_mgmt.marketing.sharing.report_as_shared",
	]
}

# Document Events
# ---------------
# A Purchase Invoice's submit and cancel update its supplier's key account in the same transaction,
# before the invoice's row and ERPNext's ledgers are written: the stamp rides on the invoice's own
# write, and every posting takes its account's lock before ERPNext's GL and payment ledger rows.

doc_events = {
	"Purchase Invoice": {
		# under MariaDB 11.8's snapshot isolation a submit locks here, before ERPNext's validation writes
		"before_validate": "key_account_mgmt.tiering.invoice_events.before_validate",
		"before_submit": "key_account_mgmt.tiering.invoice_events.before_submit",
		"before_cancel": "key_account_mgmt.tiering.invoice_events.before_cancel",
		# Only the engine stamps an invoice with its account and tier.
		"validate": "key_account_mgmt.engine_fields.keep_stamps",
		"before_update_after_submit": "key_account_mgmt.engine_fields.keep_stamps",
	},
	# The sales summary the analyses read (analysis/sales_summary.py).
	"Sales Invoice": {
		"on_submit": "key_account_mgmt.analysis.sales_summary.on_submit",
		"on_cancel": "key_account_mgmt.analysis.sales_summary.on_cancel",
	},
	"Supplier": {
		"validate": "key_account_mgmt.engine_fields.keep_stamps",
		# ERPNext's Rename with "Merge with existing": refused across two accounts, completed after.
		"before_rename": "key_account_mgmt.tiering.supplier_events.before_rename",
		"after_rename": "key_account_mgmt.tiering.supplier_events.after_rename",
	},
	# The workspace's tier cards follow the bands.
	"Key Account Settings": {"on_update": "key_account_mgmt.desk.tiers.on_settings_update"},
	"Version": {
		"before_insert": "key_account_mgmt.account_file.contacts.keep_restricted_fields_out_of_history",
	},
	# A new website user on a contact moves its portal grant (a Key Account Manager) or withdraws it.
	"Contact": {"on_update": "key_account_mgmt.marketing.portal_grants.on_contact_update"},
	# Shares and assignments open nothing beyond the roles' permissions.
	"DocShare": {"validate": "key_account_mgmt.share_guard.refuse_sharing_beyond_roles"},
	"ToDo": {"validate": "key_account_mgmt.share_guard.refuse_assigning_rows"},
	# A grant given, moved or withdrawn gives or takes the portal role.
	"Key Account Portal Grant": {
		"on_update": "key_account_mgmt.marketing.portal_access.sync_portal_roles_of_grant",
		"after_delete": "key_account_mgmt.marketing.portal_access.sync_portal_roles_of_grant",
	},
}

# Scheduled Tasks
# ---------------

scheduler_events = {
	"daily": [
		"key_account_mgmt.marketing.plans.run_plan_calendar",
	],
	"daily_long": [
		"key_account_mgmt.tiering.evaluation.reevaluate_all_accounts_daily",
		"key_account_mgmt.account_file.qualification.refresh_qualifications_daily",
	],
	"weekly_long": [
		"key_account_mgmt.tiering.maintenance.reconcile_weekly",
		"key_account_mgmt.analysis.sales_summary.rebuild_weekly",
	],
	"monthly_long": [
		"key_account_mgmt.marketing.monthly_reports.generate_monthly_reports",
	],
}

# Overrides
# ---------
# Frappe 15 counts any doctype for any logged-in user; this is Frappe 16's permission-checked count.
override_whitelisted_methods = {
	"frappe.client.get_count": "key_account_mgmt.overrides.client.get_count",
	# The app's reports read their filters before Frappe parses them: bad input is a 417, not a 500.
	"frappe.desk.query_report.run": "key_account_mgmt.overrides.query_report.run",
	# A report of the app opened without its role names the roles it needs.
	"frappe.desk.query_report.get_script": "key_account_mgmt.overrides.report_access.get_script",
}

# Testing
# -------

before_tests = "key_account_mgmt.setup.company.before_tests"
