"""A working day in the desk (issue 21) in a real headless Chromium, as the roles that got stuck:

- a Key Account Manager without Purchase User builds an account (picks a supplier and a brand it may
  not read), locks its tier from the Locked Tier picker, and the lock stays in sight after the save;
- the manager's contact pencil opens the contact's role in the account, not "Not permitted";
- Agent Contribution opens on an account; shares show "%" and the total row leaves rates blank; the
  Tier Forecast's what-if filters carry their labels;
- live: a Chinese-speaking manager keeps the account open while finance posts an invoice in another
  browser; the open form and the bell show the new tier without a reload, in Chinese. The socket.io
  server is Frappe's own (Node, from the bench) on 127.0.0.1, as dev/up runs it.

Skipped, with the reason, when Chromium or Playwright is missing; under CI that is a failure."""

import multiprocessing
import os
import shutil
import subprocess
import time
import urllib.request
from pathlib import Path
from urllib.parse import parse_qs

import frappe
from frappe.installer import update_site_config
from frappe.permissions import add_permission, reset_perms
from frappe.utils.background_jobs import get_queue
from rq.job import Job

from key_account_mgmt.tests import concurrency
from key_account_mgmt.tests.browser import (
	REPO,
	DeskBrowserTestCase,
	desk,
	desk_user,
	free_port,
	settle,
	sync_playwright,
)
from key_account_mgmt.tests.factories import (
	ContactRoleFactory,
	KeyAccountFactory,
	NegotiationLogFactory,
	PurchaseInvoiceFactory,
	SupplierFactory,
)

NOTIFICATIONS = "frappe.desk.doctype.notification_log.notification_log.make_notification_logs"
SPAWN = multiprocessing.get_context("spawn")


class TestDeskDayInABrowser(DeskBrowserTestCase):
	@classmethod
	def make_records(cls):
		tag = frappe.generate_hash(length=5)
		cls.manager = desk_user("desk.kam@example.com", "en", ["Key Account Manager"])
		cls.zh_manager = desk_user("desk.zh.kam@example.com", "zh", ["Key Account Manager"])
		cls.finance = desk_user("desk.finance@example.com", "en", ["Accounts User", "Purchase User"])
		# ERPNext's Purchase Invoice form reads Stock Settings: the README has admins grant that read.
		cls.stock_settings_had_custom_perms = bool(
			frappe.db.exists("Custom DocPerm", {"parent": "Stock Settings"})
		)
		add_permission("Stock Settings", "Accounts User")
		cls.new_account = f"Joyoung Desk {tag}"
		cls.free_supplier = SupplierFactory(supplier_name=f"Joyoung Supplier {tag}").name
		cls.brand = frappe.get_doc({"doctype": "Brand", "brand": f"Joyoung Brand {tag}"}).insert().name
		supplier = SupplierFactory().name
		cls.account = KeyAccountFactory(account_name=f"TCL Desk {tag}", supplier_names=[supplier]).name
		cls.invoices = [PurchaseInvoiceFactory(supplier=supplier, amount=6_000_000).name]
		cls.draft = PurchaseInvoiceFactory(supplier=supplier, amount=15_000_000, submit=False).name
		cls.invoices.append(cls.draft)
		cls.contact_role = ContactRoleFactory(key_account=cls.account)
		cls.make_timeline_changes()
		cls.start_socketio()

	@classmethod
	def make_timeline_changes(cls):
		"""What the form timelines list: a select value changed on the account; a negotiation whose
		agreement got its ToDo on submit and was then marked done."""
		account = frappe.get_doc("Key Account", cls.account)
		account.service_mode = "Consultant"
		account.save(ignore_version=False)  # the desk keeps the history; tests skip it unless asked
		log = NegotiationLogFactory(
			key_account=cls.account,
			theirs=[cls.contact_role.name],
			agreements=[
				{
					"agreement": "Rebate",
					"due_date": frappe.utils.add_days(frappe.utils.getdate(), 9),
					"responsible": cls.zh_manager,
				}
			],
		)
		log.docstatus = 1  # submitted as the desk submits it, with its history
		log.save(ignore_version=False)
		log.reload()
		cls.todo = log.agreements[0].todo
		log.agreements[0].status = "Done"
		log.save(ignore_version=False)
		cls.negotiation = log.name

	@classmethod
	def start_socketio(cls):
		"""Frappe's socket.io server for the test site, on 127.0.0.1, and the site's desk pointed at it
		as dev/up points the demo's (desk/live.py)."""
		bench = Path(frappe.local.sites_path).resolve().parent
		cls.socketio_port = free_port()
		update_site_config("socketio_port", cls.socketio_port)
		update_site_config("kam_socketio_direct", 1)
		cls.socketio = subprocess.Popen(
			[
				shutil.which("node") or "node",
				"-r",
				str(REPO / "dev" / "socketio_on_loopback.js"),
				str(bench / "apps" / "frappe" / "socketio.js"),
			],
			cwd=str(bench),
			env={
				**os.environ,
				"FRAPPE_SITE": frappe.local.site,
				"FRAPPE_SOCKETIO_PORT": str(cls.socketio_port),
				# the test site's own queue (dev/test gives it a Redis database of its own): Frappe 16's
				# server reads there the secret the site wrote for it, or it takes the desk's socket for
				# nobody's and subscribes it to nothing (no doc_update, no user room)
				"FRAPPE_REDIS_QUEUE": frappe.conf.redis_queue,
			},
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
		)
		url = f"http://127.0.0.1:{cls.socketio_port}/socket.io/?EIO=4&transport=polling"
		for _ in range(60):
			try:
				urllib.request.urlopen(url, timeout=5)
				break
			except OSError:
				time.sleep(0.5)

	@classmethod
	def remove_records(cls):
		cls.socketio.terminate()
		cls.socketio.wait(timeout=30)
		update_site_config("socketio_port", "None")
		update_site_config("kam_socketio_direct", "None")
		log = frappe.get_doc("Key Account Negotiation Log", cls.negotiation)
		log.cancel()
		frappe.delete_doc("Key Account Negotiation Log", cls.negotiation, force=True)
		frappe.delete_doc("ToDo", cls.todo, force=True)
		frappe.delete_doc("Key Account Contact Role", cls.contact_role.name, force=True)
		frappe.delete_doc("Contact", cls.contact_role.contact, force=True)
		for name in cls.invoices:
			invoice = frappe.get_doc("Purchase Invoice", name)
			if invoice.docstatus == 1:
				invoice.cancel()
		for account in (cls.account, cls.new_account):
			if frappe.db.exists("Key Account", account):
				frappe.delete_doc("Key Account", account, force=True)
		frappe.delete_doc("Brand", cls.brand, force=True)
		if not cls.stock_settings_had_custom_perms:
			reset_perms("Stock Settings")

	def page_errors(self, page) -> list:
		errors = []
		page.on("pageerror", lambda error: errors.append(str(error)))
		page.on(
			"console",
			lambda message: (
				message.type == "error" and "socket" in message.text.lower() and errors.append(message.text)
			),
		)
		return errors

	def pick(self, page, field, text: str, value: str):
		"""Types into a Link field and picks `value` from what it offers."""
		field.click()
		field.type(text, delay=40)
		# the picker's suggestion: an option (Frappe 15.74) or a list item (15.12)
		page.locator(
			f"[role='option']:has-text('{value}'), .awesomplete li:has-text('{value}')"
		).first.click()
		page.wait_for_timeout(800)

	def test_a_manager_without_purchase_user_builds_and_locks_an_account(self):
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.manager)
			errors = self.page_errors(page)
			try:
				self.open(page, "/app/key-account/new")
				page.fill("[data-fieldname='account_name'] input", self.new_account)
				self.pick(page, page.locator("[data-fieldname='brand'] input"), "Joyoung Brand", self.brand)
				page.click("[data-fieldname='suppliers'] .grid-add-row")
				page.locator("[data-fieldname='suppliers'] .grid-body .grid-row").last.locator(
					"[data-fieldname='supplier']"
				).first.click()
				supplier_input = page.locator(
					"[data-fieldname='suppliers'] .grid-body .grid-row [data-fieldname='supplier'] input"
				).last
				self.pick(page, supplier_input, "Joyoung Supplier", self.free_supplier)
				page.keyboard.press("Control+s")
				page.wait_for_function(
					"(name) => window.cur_frm && !cur_frm.is_new() && cur_frm.doc.name === name",
					arg=self.new_account,
				)
				page.wait_for_timeout(1500)
				self.shoot(page, "20-kam-builds-an-account")

				# the lock, from the Locked Tier picker
				if not page.is_visible("[data-fieldname='tier_locked'] input"):
					page.click(".section-head:has-text('Tier Lock')")
				page.check("[data-fieldname='tier_locked'] input")
				locked = page.locator("[data-fieldname='locked_tier'] input")
				locked.click()
				page.locator(
					"[data-fieldname='locked_tier'] [role='option']:has-text('Partner'), "
					"[data-fieldname='locked_tier'] .awesomplete li:has-text('Partner')"
				).first.click()
				page.fill("[data-fieldname='lock_reason'] textarea", "Group agreement")
				page.keyboard.press("Control+s")
				page.wait_for_selector(".page-head .indicator-pill:has-text('Partner')")
				page.wait_for_timeout(1000)
				self.assertTrue(page.is_visible("[data-fieldname='locked_tier']"))
				self.shoot(page, "21-kam-locks-the-tier")
				self.assertEqual(page.failed_requests, [])
				self.assertEqual(errors, [])
			except Exception:
				self.shoot(page, "failure-kam-builds-an-account")
				raise
			finally:
				browser.close()
		frappe.db.rollback()
		account = frappe.get_doc("Key Account", self.new_account)
		self.assertEqual(
			(account.brand, [row.supplier for row in account.suppliers], account.tier, account.tier_locked),
			(self.brand, [self.free_supplier], "Partner", 1),
		)

	def test_the_managers_contact_pencil_opens_the_contacts_role(self):
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.manager)
			try:
				self.open(page, f"/app/key-account/{self.account}")
				page.click(".form-tabs .nav-link:has-text('Profile')")
				# the contact's card: .address-box in Frappe 15, .contact-box in 16
				page.click("[data-fieldname='contact_html'] :is(.address-box, .contact-box) .edit-btn")
				page.wait_for_url(f"**{desk()}/key-account-contact-role/{self.contact_role.name}")
				# the account's form stays in the page, hidden: wait for the role's, on screen
				page.wait_for_selector(".form-layout:visible [data-fieldname='contact']")
				settle(page)
				self.shoot(page, "22-kam-contact-pencil")
				self.assertEqual(page.failed_requests, [])
			except Exception:
				self.shoot(page, "failure-kam-contact-pencil")
				raise
			finally:
				browser.close()

	def test_the_analyses_open_ready_and_read_as_figures(self):
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.manager)
			errors = self.page_errors(page)
			try:
				self.open(page, "/app/query-report/Agent Contribution", ".dt-scrollable")
				self.assertFalse(page.is_visible(".msg-box:has-text('Please set filters')"))
				self.assertTrue(page.input_value("[data-fieldname='key_account'] input"))
				self.shoot(page, "23-agent-contribution-opens-on-an-account")

				self.open(page, "/app/query-report/Value Analysis", ".dt-footer")
				footer = [
					text.strip() for text in page.locator(".dt-footer .dt-cell__content").all_inner_texts()
				]
				self.assertNotIn("0%", footer)
				self.assertTrue([text for text in footer if text.endswith("%")], footer)
				shares = page.evaluate(
					"""() => {
						const column = frappe.query_report.datatable.datamanager
							.getColumns().find((c) => c.fieldname === "share");
						return Array.from(document.querySelectorAll(
							`.dt-scrollable .dt-cell--col-${column.colIndex} .dt-cell__content`
						)).map((cell) => cell.innerText.trim());
					}"""
				)
				self.assertTrue(shares, "no Share of Procurement cells")
				for text in shares:
					self.assertRegex(text, r"^\d[\d.,]*%$")
				self.shoot(page, "24-value-analysis-shares-in-percent")

				self.open(page, "/app/query-report/Tier Forecast", ".kam-filter-label")
				labels = page.locator(".kam-filter-label").all_inner_texts()
				self.assertIn("What-if: Partner From", labels)
				self.shoot(page, "25-tier-forecast-labelled-what-ifs")
				self.assertEqual(errors, [])
				self.assertEqual(page.failed_requests, [])
			except Exception:
				self.shoot(page, "failure-analyses")
				raise
			finally:
				browser.close()

	def timeline(self, page, path: str, shows: str) -> str:
		"""The text of the open form's timeline, once it shows `shows`."""
		self.open(page, path)
		# a form with tabs shows its timeline under the last one (Activity)
		tabs = page.locator(".form-tabs-list:visible .nav-link")
		if tabs.count():
			tabs.last.click()
		timeline = page.locator(".new-timeline:visible").first
		try:
			timeline.locator(f".timeline-item:has-text('{shows}')").first.wait_for()
		except Exception:
			versions = page.evaluate(
				"() => (cur_frm.get_docinfo().versions || []).map((version) => version.data.slice(0, 200))"
			)
			raise AssertionError(f"no {shows!r} in the timeline; the form's versions: {versions}") from None
		return timeline.inner_text()

	def test_a_chinese_manager_reads_select_values_in_the_timelines_in_chinese(self):
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.zh_manager)
			errors = self.page_errors(page)
			try:
				# "修改了服务方式从""到Consultant" before
				text = self.timeline(page, f"/app/key-account/{self.account}", "服务方式")
				self.assertIn("顾问式服务", text)
				self.assertNotIn("Consultant", text)
				# "状态从Open到Done", "第0行To Do从""到<the ToDo's id>" before
				text = self.timeline(page, f"/app/key-account-negotiation-log/{self.negotiation}", "已完成")
				for english in ("Open", "Done", "To Do", self.todo):
					self.assertNotIn(english, text)
				self.shoot(page, "27-zh-kam-timeline-in-chinese")
				self.assertEqual(errors, [])
				self.assertEqual(page.failed_requests, [])
			except Exception:
				self.shoot(page, "failure-timeline")
				raise
			finally:
				browser.close()

	def test_a_chinese_manager_picks_the_print_format_by_its_chinese_name(self):
		one_to_one, shown = "Key Account One-to-One", "大客户一对一分析"
		picker = ".print-preview-sidebar [data-fieldname='print_format'] input"
		with sync_playwright() as playwright:
			browser, page = self.browser_page(playwright, self.zh_manager)
			errors = self.page_errors(page)
			printed_with = []
			page.on(
				"request",
				lambda request: (
					"get_html_and_style" in request.url
					and printed_with.append(parse_qs(request.post_data or "").get("print_format", [""])[0])
				),
			)
			try:
				self.open(page, f"/app/print/Key Account/{self.account}", picker)
				box = page.locator(f"{picker}:visible").first
				page.wait_for_function(
					"([picker, shown]) => Array.from(document.querySelectorAll(picker))"
					".some((input) => input.offsetParent && input.value === shown)",
					arg=[picker, shown],
				)
				page.wait_for_function("() => !frappe.request.ajax_count")
				self.assertEqual(printed_with[-1], one_to_one)
				# the list it offers names it in Chinese too; picked again, it prints with it
				box.fill("")
				box.click()
				option = page.locator(
					f"[role='option']:has-text('{shown}'), .awesomplete li:has-text('{shown}')"
				).first
				option.wait_for()
				self.assertEqual(page.locator(f".awesomplete li:has-text('{one_to_one}')").count(), 0)
				option.click()
				page.wait_for_function(
					"() => !frappe.request.ajax_count && Array.from(document.querySelectorAll('.awesomplete ul'))"
					".every((list) => list.hidden || !list.offsetParent)"
				)
				settle(page)
				self.assertEqual(box.input_value(), shown)
				self.assertEqual(printed_with[-1], one_to_one)
				self.shoot(page, "28-zh-kam-print-format-in-chinese")
				self.assertEqual(errors, [])
				self.assertEqual(page.failed_requests, [])
			except Exception:
				self.shoot(page, "failure-print-format")
				raise
			finally:
				browser.close()

	def queued_job_ids(self) -> set[str]:
		return set(get_queue("default").get_job_ids())

	def run_queued_notifications(self, queued_before: set[str]):
		"""What the worker does next: make the notifications the posting queued (the test site queues
		where no worker reads, dev/test). Only the jobs this posting queued, for this account: a reused
		site keeps jobs earlier runs left, for users that are gone."""
		queue = get_queue("default")
		ours = []
		for job_id in queue.get_job_ids():
			if job_id in queued_before:
				continue
			job = Job.fetch(job_id, connection=queue.connection)
			if job.kwargs.get("site") != frappe.local.site or job.kwargs.get("method") != NOTIFICATIONS:
				continue
			if (job.kwargs.get("kwargs") or {}).get("doc", {}).get("document_name") != self.account:
				continue
			ours.append(job_id)
		self.assertTrue(ours, "the posting queued no notification for the account")
		for job_id in ours:
			results = SPAWN.Queue()
			worker = SPAWN.Process(
				target=concurrency.perform_job,
				args=(frappe.local.site, os.path.abspath(frappe.local.sites_path), job_id, results),
			)
			worker.start()
			worker.join(timeout=120)
			self.assertEqual(results.get(timeout=10), "performed")
			queue.remove(job_id)

	def test_a_manager_sees_finances_posting_live_in_chinese(self):
		with sync_playwright() as playwright:
			browser, manager = self.browser_page(playwright, self.zh_manager)
			errors = self.page_errors(manager)
			finance_browser, finance = self.browser_page(playwright, self.finance)
			try:
				self.open(manager, f"/app/key-account/{self.account}")
				manager.wait_for_function("() => frappe.realtime.socket && frappe.realtime.socket.connected")
				self.assertIn("普通大客户", manager.inner_text(".page-head"))

				self.open(finance, f"/app/purchase-invoice/{self.draft}")
				queued_before = self.queued_job_ids()
				finance.click(".page-actions button.primary-action:has-text('Submit')")
				finance.click(".modal.show .btn-primary:has-text('Yes')")
				finance.wait_for_selector(".modal.show:has-text('Key Account Tier Changed')")

				# no reload: the open form follows the posting
				manager.wait_for_selector(
					".page-head .indicator-pill:has-text('伙伴式大客户')", timeout=30_000
				)
				self.run_queued_notifications(queued_before)
				manager.wait_for_function(
					"""(account) => Array.from(document.querySelectorAll('.notifications-list, .dropdown-notifications'))
						.some((element) => element.textContent.includes(account) && element.textContent.includes('伙伴式大客户'))""",
					arg=self.account,
					timeout=30_000,
				)
				# the bell: in the navbar on Frappe 15, in the sidebar on 16
				manager.click(
					":is(.navbar .notifications-icon, .dropdown-notifications .notifications-icon,"
					" .sidebar-notification):visible"
				)
				manager.wait_for_timeout(800)
				self.shoot(manager, "26-zh-kam-sees-the-posting-live")
				self.assertEqual(errors, [])
				self.assertEqual(manager.failed_requests, [])
			except Exception:
				self.shoot(manager, "failure-live-manager")
				self.shoot(finance, "failure-live-finance")
				raise
			finally:
				finance_browser.close()
				browser.close()
