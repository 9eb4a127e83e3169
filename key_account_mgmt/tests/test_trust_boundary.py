"""The trust boundary, walked from what the app declares: every doctype it ships (parents and child
tables), every identity that reaches the site, every write path Frappe exposes and the read paths that
answer questions about data.

Nothing here is listed by hand. The doctypes come from the DocType table, what each identity may do
from the DocType's permissions (the README's "Who may do what"), the field a write changes from the
DocType's fields, and the three kinds of document the app protects from its controllers' base classes
(write_guards.py): a child row changes only through its parent, an engine record only by the engine,
and nothing is renamed or merged. A doctype or field added tomorrow is attacked by this file the day it
lands.

Each attempt runs as HTTP runs it (the whitelisted method, after Frappe's overrides and whitelist
checks) inside a savepoint that is rolled back after it, so every attempt meets the same records. A
refusal is an exception with a 4xx status; anything else (a 500, a raw database error) is a finding.
"""

import json
import time
from contextlib import contextmanager

import frappe
import frappe.share
from frappe.model.base_document import get_controller
from frappe.permissions import get_role_permissions
from frappe.utils import getdate

from key_account_mgmt.tests.factories import UserFactory
from key_account_mgmt.tests.records import app_doctypes, existing_record, one_of_everything
from key_account_mgmt.tests.utils import KeyAccountTestCase, rollback_to_savepoint
from key_account_mgmt.write_guards import AppDocument, ChildRow, EngineRecord, computed_fields

ROLE_SETS = {
	"Key Account Manager": ("Key Account Manager",),
	"Key Account User": ("Key Account User",),
	"Key Account Manager + Purchase User": ("Key Account Manager", "Purchase User"),
	"finance (Accounts User + Purchase User)": ("Accounts User", "Purchase User"),
	"Accounts Manager": ("Accounts Manager",),
	"Purchase Manager": ("Purchase Manager",),
	"System Manager": ("System Manager",),
}
ADMINISTRATOR = "Administrator"
PORTAL_CONTACT = "portal contact with a grant"
WEBSITE_USER = "website user without a grant"

# The paths where Frappe writes a child row by saving its parent (frappe.client's insert, insert_many,
# set_value and delete): the parent's permission and rules decide.
THROUGH_THE_PARENT = (
	"frappe.client.insert",
	"frappe.client.insert_many",
	"frappe.client.set_value",
	"frappe.client.delete",
)
# what each write path needs of the user's permissions on a parent doctype
CREATE, WRITE, DELETE, SUBMIT, CANCEL = "create", "write", "delete", "submit", "cancel"
WRITABLE_TYPES = {
	"Data": "Changed",
	"Small Text": "Changed",
	"Text": "Changed",
	"Long Text": "Changed",
	"Text Editor": "Changed",
	"Int": 7,
	"Float": 7,
	"Currency": 7,
	"Percent": 7,
	"Check": 1,
}


def controller(doctype: str):
	return get_controller(doctype)


def http_call(cmd: str, http_method: str = "POST", **args):
	"""A whitelisted method called as a request calls it: Frappe's overrides, the whitelist and the
	method's allowed HTTP methods, then the method with the request's arguments."""
	from frappe.handler import get_attr, is_whitelisted

	override = getattr(frappe, "override_whitelisted_method", None)
	if override:
		cmd = override(cmd)
	else:  # Frappe 15.12
		cmd = next(reversed(frappe.get_hooks("override_whitelisted_methods", {}).get(cmd, [])), cmd)
	method = get_attr(cmd)
	is_whitelisted(method)
	if http_method not in frappe.allowed_http_methods_for_whitelisted_func[method]:
		frappe.throw("Not permitted", frappe.PermissionError)
	frappe.local.form_dict = frappe._dict(args)
	return frappe.call(method, **args)


BULK_ACTION = "frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs"
SAVEPOINT = "trust_attempt"


@contextmanager
def one_transaction():
	"""Frappe's bulk action commits after each document and rolls back after a failed one. Inside an attempt a commit leaves the transaction open and a rollback returns to the attempt's
	savepoint (what a rollback undoes of the attempt), so the attempt stays one unit, undone after it."""
	db = frappe.db
	rollback = db.rollback
	db.commit = lambda: None
	db.rollback = lambda *, save_point=None: rollback(save_point=save_point or SAVEPOINT)
	try:
		yield
	finally:
		del db.commit, db.rollback


def bulk_action(doctype: str, name: str, action: str, data: dict | None = None):
	"""The list view's bulk submit, cancel and edit: failures are swallowed and named in the answer."""
	with one_transaction():
		return http_call(
			BULK_ACTION,
			doctype=doctype,
			docnames=json.dumps([name]),
			action=action,
			data=json.dumps(data or {}, default=str),
		)


def changed_field(doctype: str) -> tuple[str, object] | None:
	"""The first plain field a write would change, with a value of its type."""
	for df in frappe.get_meta(doctype).fields:
		if df.fieldtype in WRITABLE_TYPES and df.fieldname not in ("naming_series", "amended_from"):
			return df.fieldname, WRITABLE_TYPES[df.fieldtype]
	return None


def write_paths(doctype: str, name: str, other: str | None, website_user: str):
	"""(path, permission it needs on a parent, attempt, how to tell it wrote) for every write path.
	`wrote()` reads the database inside the attempt's savepoint."""
	meta = frappe.get_meta(doctype)
	field = changed_field(doctype)
	stored = frappe.get_doc(doctype, name)
	copy = {key: value for key, value in stored.as_dict(no_default_fields=True).items() if value is not None}
	copy["doctype"] = doctype
	for key in ("name", "amended_from", "docstatus", "workflow_state"):
		copy.pop(key, None)
	if meta.istable:
		copy.update(parent=stored.parent, parenttype=stored.parenttype, parentfield=stored.parentfield)
	fields = {key: value for key, value in copy.items() if key != "doctype"}

	def count():
		return 1 if meta.issingle else frappe.db.count(doctype)

	before = count()
	value_before = frappe.db.get_value(doctype, name, field[0]) if field else None

	def inserted():
		return count() != before

	def updated():
		return field is not None and frappe.db.get_value(doctype, name, field[0]) != value_before

	def deleted():
		return not frappe.db.exists(doctype, name)

	docstatus_before = frappe.db.get_value(doctype, name, "docstatus")

	def docstatus_changed():
		return frappe.db.get_value(doctype, name, "docstatus") != docstatus_before

	def changed_doc():
		doc = frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True)
		if field:
			doc[field[0]] = field[1]
		return doc

	def set_field(doc):
		doc.set(field[0], field[1])
		return doc

	paths = [
		("REST insert", CREATE, lambda: frappe.new_doc(doctype, **fields).insert(), inserted),
		(
			"frappe.client.insert",
			CREATE,
			lambda: http_call("frappe.client.insert", doc=json.dumps(copy, default=str)),
			inserted,
		),
		(
			"frappe.client.insert_many",
			CREATE,
			lambda: http_call("frappe.client.insert_many", docs=json.dumps([copy], default=str)),
			inserted,
		),
		("REST delete", DELETE, lambda: frappe.delete_doc(doctype, name, ignore_missing=False), deleted),
		(
			"frappe.client.delete",
			DELETE,
			lambda: http_call("frappe.client.delete", doctype=doctype, name=name),
			deleted,
		),
		(
			"frappe.client.cancel",
			CANCEL,
			lambda: http_call("frappe.client.cancel", doctype=doctype, name=name),
			updated,
		),
		(
			"frappe.client.rename_doc",
			WRITE,
			lambda: http_call(
				"frappe.client.rename_doc", doctype=doctype, old_name=name, new_name=f"{name} renamed"
			),
			deleted,
		),
		(
			"update_document_title",
			WRITE,
			lambda: http_call(
				"frappe.model.rename_doc.update_document_title",
				doctype=doctype,
				docname=name,
				name=f"{name} renamed",
			),
			deleted,
		),
		(
			"assign to a website user",
			WRITE,
			lambda: http_call(
				"frappe.desk.form.assign_to.add",
				doctype=doctype,
				name=name,
				assign_to=json.dumps([website_user]),
			),
			lambda: frappe.db.exists(
				"DocShare", {"share_doctype": doctype, "share_name": name, "user": website_user}
			),
		),
		(
			"share with a website user",
			WRITE,
			lambda: http_call("frappe.share.add", doctype=doctype, name=name, user=website_user),
			lambda: frappe.db.exists(
				"DocShare", {"share_doctype": doctype, "share_name": name, "user": website_user}
			),
		),
	]
	if meta.is_submittable:
		paths += [
			("bulk submit", SUBMIT, lambda: bulk_action(doctype, name, "submit"), docstatus_changed),
			("bulk cancel", CANCEL, lambda: bulk_action(doctype, name, "cancel"), docstatus_changed),
		]
	if meta.issingle:  # saved, never inserted, deleted, cancelled or renamed as a record
		paths = [path for path in paths if path[0].startswith(("assign", "share"))]
	if other:
		paths.append(
			(
				"merge",
				WRITE,
				lambda: http_call(
					"frappe.client.rename_doc", doctype=doctype, old_name=name, new_name=other, merge=1
				),
				deleted,
			)
		)
	if field:
		paths += [
			("REST update", WRITE, lambda: set_field(frappe.get_doc(doctype, name)).save(), updated),
			(
				"frappe.client.save",
				WRITE,
				lambda: http_call("frappe.client.save", doc=json.dumps(changed_doc(), default=str)),
				updated,
			),
			(
				"frappe.client.set_value",
				WRITE,
				lambda: http_call(
					"frappe.client.set_value", doctype=doctype, name=name, fieldname=field[0], value=field[1]
				),
				updated,
			),
			(
				"frappe.client.bulk_update",
				WRITE,
				lambda: http_call(
					"frappe.client.bulk_update",
					docs=json.dumps([{"doctype": doctype, "docname": name, field[0]: field[1]}]),
				),
				updated,
			),
			(
				"savedocs",
				WRITE,
				lambda: http_call(
					"frappe.desk.form.save.savedocs",
					doc=json.dumps(changed_doc(), default=str),
					action="Save",
				),
				updated,
			),
			(
				"frappe.client.submit",
				SUBMIT,
				lambda: http_call("frappe.client.submit", doc=json.dumps(changed_doc(), default=str)),
				updated,
			),
			("bulk edit", WRITE, lambda: bulk_action(doctype, name, "update", {field[0]: field[1]}), updated),
		]
	return paths


class TestTrustBoundary(KeyAccountTestCase):
	@classmethod
	def make_class_records(cls):
		records = one_of_everything()
		cls.users = {label: UserFactory(roles_held=roles).name for label, roles in ROLE_SETS.items()}
		cls.users[ADMINISTRATOR] = "Administrator"
		cls.users[PORTAL_CONTACT] = records.portal_user
		cls.users[WEBSITE_USER] = UserFactory(user_type="Website User").name
		cls.website_user = UserFactory(user_type="Website User").name
		cls.doctypes = app_doctypes()
		cls.targets = {doctype.name: cls.target(doctype) for doctype in cls.doctypes}

	@classmethod
	def target(cls, doctype) -> tuple[str | None, str | None]:
		"""A record to attack and, for a merge, a second one of the same doctype."""
		name = existing_record(doctype.name)
		if name is None and doctype.istable:
			name = cls.row_through_the_database(doctype.name)
		others = (
			[]
			if doctype.issingle
			else frappe.get_all(doctype.name, filters={"name": ("!=", name)}, pluck="name", limit=1)
		)
		return name, next(iter(others), None)

	@classmethod
	def row_through_the_database(cls, child: str) -> str | None:
		"""A row for a table the sample data left empty, written as Frappe writes a parent's rows."""
		for parent in cls.doctypes:
			table = next(
				(df for df in frappe.get_meta(parent.name).get_table_fields() if df.options == child), None
			)
			parent_name = table and existing_record(parent.name)
			if parent_name:
				row = frappe.get_doc(parent.name, parent_name).append(table.fieldname, {})
				row.db_insert()
				return row.name
		return None

	def test_every_doctype_declares_its_kind_and_has_a_record_to_attack(self):
		problems = []
		for doctype in self.doctypes:
			cls = controller(doctype.name)
			permissions = frappe.get_meta(doctype.name).permissions
			computed = bool(permissions) and not any(p.write or p.create for p in permissions)
			if doctype.istable and not issubclass(cls, ChildRow):
				problems.append(f"{doctype.name}: a child table whose controller is not a ChildRow")
			if computed and not issubclass(cls, EngineRecord):
				problems.append(
					f"{doctype.name}: no role may write it, but its controller is not an EngineRecord"
				)
			if not issubclass(cls, AppDocument):
				problems.append(f"{doctype.name}: its controller lets it be renamed or merged")
			if not self.targets[doctype.name][0]:
				problems.append(f"{doctype.name}: no record to attack (add one to records.one_of_everything)")
		self.assertEqual(problems, [])
		self.assertGreaterEqual(len(self.doctypes), 30)

	def test_every_write_path_ends_as_the_declarations_say_for_every_identity(self):
		problems, cases, started = [], 0, time.monotonic()
		for doctype in self.doctypes:
			name, other = self.targets[doctype.name]
			if not name:
				continue
			cls = controller(doctype.name)
			engine_only = issubclass(cls, EngineRecord | ChildRow)
			parent = self.parent_of(doctype.name) if doctype.istable else None
			paths = write_paths(doctype.name, name, other, self.website_user)
			for label, user in self.users.items():
				for path, needs, attempt, wrote in paths:
					cases += 1
					if parent and path in THROUGH_THE_PARENT:
						# Frappe saves the parent: its permission and rules decide (computed tables stay)
						may = self.may(user, parent, WRITE) and not self.computed_table(parent, doctype.name)
					else:
						may = (
							not engine_only
							and path not in ("frappe.client.rename_doc", "update_document_title", "merge")
							and not path.startswith(("assign to", "share with"))
							and self.may(user, doctype.name, needs)
						)
					where = f"{doctype.name} / {label} / {path}"
					result = self.attempt(user, attempt, wrote, where)
					if result == "server error":
						problems.append(f"{where}: {self.last_error}")
					elif not may and result == "wrote":
						problems.append(f"{where}: written, but {self.why_not(doctype.name, needs, cls)}")
					elif may and result == "refused as forbidden":
						problems.append(
							f"{where}: refused with a permission error, though the role may {needs}"
						)
		print(
			f"\ntrust boundary: {cases} write attempts, {len(self.doctypes)} doctypes, "
			f"{len(self.users)} identities, {time.monotonic() - started:.0f} s"
		)
		self.assertGreater(cases, 30 * 10 * 10)
		self.assertEqual(problems, [], "\n".join(problems))

	def parent_of(self, child: str) -> str:
		return next(
			d.name
			for d in self.doctypes
			if any(df.options == child for df in frappe.get_meta(d.name).get_table_fields())
		)

	def computed_table(self, parent: str, child: str) -> bool:
		return any(
			frappe.get_meta(parent).get_field(table).options == child
			for table in computed_fields(frappe.get_meta(parent))[1]
		)

	def may(self, user: str, doctype: str, ptype: str) -> bool:
		meta = frappe.get_meta(doctype)
		return bool(get_role_permissions(meta, user=user).get(ptype))

	def why_not(self, doctype: str, needs: str, cls) -> str:
		if issubclass(cls, ChildRow):
			return "a child row changes only through its parent"
		if issubclass(cls, EngineRecord):
			return "only the engine writes it"
		return f"the role may not {needs} it"

	def attempt(self, user: str, attempt, wrote, where: str = "") -> str:
		"""Runs `attempt` as `user` in a savepoint: 'wrote', 'refused as forbidden' (403), 'refused'
		(another 4xx: a business rule), 'no effect', or 'server error'."""
		frappe.db.savepoint(SAVEPOINT)
		writes = frappe.db.transaction_writes
		frappe.set_user(user)
		try:
			attempt()
			outcome = "wrote" if wrote() else "no effect"
		except frappe.PermissionError:
			outcome = "refused as forbidden"
		except Exception as error:
			status = getattr(error, "http_status_code", 500)
			outcome = "refused" if 400 <= status < 500 else "server error"
			self.last_error = repr(error)[:300]
		finally:
			frappe.set_user("Administrator")
			try:
				rollback_to_savepoint(SAVEPOINT, writes)
			except Exception as error:
				raise AssertionError(
					f"{where}: the attempt ended the test's transaction ({error})"
				) from error
			frappe.local.message_log = []
			frappe.local.form_dict = frappe._dict()
			frappe.clear_document_cache("Key Account Settings", "Key Account Settings")
		return outcome

	def test_no_read_path_answers_what_the_role_may_not_read(self):
		"""Counting, listing, searching, reading a value, a document or its history: each answers
		only where the role reads the doctype. ERPNext's Purchase Invoice and Supplier are counted too:
		a portal contact must not size a competitor's purchases."""
		problems, cases = [], 0
		doctypes = [d.name for d in self.doctypes if not d.istable and not d.issingle]
		doctypes += ["Purchase Invoice", "Supplier", "Contact"]
		for doctype in doctypes:
			name = existing_record(doctype)
			filters = json.dumps({"name": name})
			paths = {
				"frappe.client.get_count": lambda dt=doctype, f=filters: http_call(
					"frappe.client.get_count", doctype=dt, filters=f
				),
				"frappe.client.get_list": lambda dt=doctype, f=filters: http_call(
					"frappe.client.get_list", doctype=dt, filters=f
				),
				"reportview.get_count": lambda dt=doctype, f=filters: http_call(
					"frappe.desk.reportview.get_count", doctype=dt, filters=f
				),
				"frappe.client.get_value": lambda dt=doctype, f=filters: http_call(
					"frappe.client.get_value", doctype=dt, fieldname="name", filters=f
				),
				"frappe.client.get": lambda dt=doctype, n=name: http_call(
					"frappe.client.get", doctype=dt, name=n
				),
				"getdoc": lambda dt=doctype, n=name: http_call(
					"frappe.desk.form.load.getdoc", doctype=dt, name=n
				),
				"search_link": lambda dt=doctype, n=name: http_call(
					"frappe.desk.search.search_link", doctype=dt, txt=n or ""
				),
			}
			for label, user in self.users.items():
				may_read = self.may(user, doctype, "read")
				for path, attempt in paths.items():
					cases += 1
					answer = self.read_as(user, attempt)
					if answer == "server error":
						problems.append(f"{doctype} / {label} / {path}: {self.last_error}")
					elif not may_read and answer not in ("refused", "empty"):
						problems.append(
							f"{doctype} / {label} / {path}: answered {answer!r} without read permission"
						)
		print(f"\ntrust boundary: {cases} read attempts")
		self.assertEqual(problems, [], "\n".join(problems))

	def read_as(self, user: str, attempt):
		frappe.set_user(user)
		try:
			answer = attempt()
		except Exception as error:
			status = getattr(error, "http_status_code", 500)
			self.last_error = repr(error)[:300]
			return "refused" if 400 <= status < 500 else "server error"
		finally:
			frappe.set_user("Administrator")
			frappe.local.message_log = []
			frappe.local.form_dict = frappe._dict()
		if answer in (None, [], {}, 0) or (isinstance(answer, dict) and not any(answer.values())):
			return "empty"
		return answer

	def test_an_approved_promotion_keeps_its_plan_and_its_measured_results(self):
		"""Finding: a budget raised to 99,000,000 and our share to 100% on a promotion a manager had just
		approved was accepted, with no new approval; a running one took result figures by hand."""
		from frappe.model.workflow import apply_workflow

		from key_account_mgmt.marketing.promotions import PromotionPlanApprovedError
		from key_account_mgmt.tests.factories import JointPromotionFactory, KeyAccountFactory

		manager = UserFactory(roles_held=("Key Account Manager",)).name
		user = UserFactory(roles_held=("Key Account User",)).name
		account = KeyAccountFactory().name
		frappe.set_user(user)
		promotion = JointPromotionFactory(key_account=account)
		apply_workflow(promotion, "Propose")
		frappe.set_user(manager)
		apply_workflow(frappe.get_doc("Joint Promotion", promotion.name), "Approve")
		frappe.set_user(user)
		approved = frappe.get_doc("Joint Promotion", promotion.name)
		approved.update({"total_budget": 99_000_000, "our_share_percent": 100, "account_share_percent": 0})
		self.assertRaises(PromotionPlanApprovedError, approved.save)
		running = apply_workflow(frappe.get_doc("Joint Promotion", promotion.name), "Start")
		running.update({"promotion_sales": 5_000_000, "uplift_amount": 4_000_000})
		running.save()
		stored = frappe.db.get_value("Joint Promotion", promotion.name, ["promotion_sales", "uplift_amount"])
		self.assertEqual(stored, (0, 0))
		self.assertEqual(frappe.db.get_value("Joint Promotion", promotion.name, "total_budget"), 300_000)
		self.assertEqual(getdate(running.from_date), getdate(promotion.from_date))

	def test_a_contact_role_cannot_read_a_contact_its_maker_may_not_read(self):
		"""Finding: a Key Account User who got 403 on a customer's Contact made a Contact Role for it and
		read its e-mail and mobile, and the app linked the customer's Contact to the account."""
		from key_account_mgmt.account_file.contacts import ContactNotOfAccountError
		from key_account_mgmt.tests.factories import ContactFactory, CustomerFactory, KeyAccountFactory

		account = KeyAccountFactory().name
		customer = CustomerFactory().name
		customers_contact = ContactFactory(links=[{"link_doctype": "Customer", "link_name": customer}]).name
		frappe.set_user(self.users["Key Account User"])
		self.assertFalse(frappe.has_permission("Contact", "read", doc=customers_contact))
		role = frappe.get_doc(
			{"doctype": "Key Account Contact Role", "key_account": account, "contact": customers_contact}
		)
		self.assertRaises(ContactNotOfAccountError, role.insert)
		frappe.set_user("Administrator")
		links = frappe.get_all("Dynamic Link", filters={"parent": customers_contact}, pluck="link_doctype")
		self.assertEqual(links, ["Customer"])

	def test_no_user_writes_a_computed_field_not_even_administrator(self):
		"""Every read-only field and table of every doctype, as the DocType declares them: a save that
		forges one (frappe.client.set_value or the list view's bulk edit, as Administrator) leaves what
		the app computed."""
		problems, cases = [], 0
		forgers = {
			"frappe.client.set_value": lambda d, n, f, v: http_call(
				"frappe.client.set_value", doctype=d, name=n, fieldname=f, value=v
			),
			"bulk edit": lambda d, n, f, v: bulk_action(d, n, "update", {f: v}),
		}
		for doctype in self.doctypes:
			if doctype.istable:
				continue
			name = self.targets[doctype.name][0]
			meta = frappe.get_meta(doctype.name)
			fields, tables = computed_fields(meta)
			for field in fields:
				forged = WRITABLE_TYPES.get(meta.get_field(field).fieldtype)
				if forged is None:
					continue
				for path, forge in forgers.items():
					cases += 1
					self.expect_kept(
						f"{doctype.name} {name}: {field} / {path}",
						lambda forge=forge, f=field, v=forged, d=doctype.name, n=name: forge(d, n, f, v),
						lambda f=field, v=forged, d=doctype.name, n=name: frappe.db.get_value(d, n, f) == v,
						problems,
					)
			for table in tables:
				child = meta.get_field(table).options
				row = frappe.get_all(
					child, filters={"parent": name, "parentfield": table}, fields=["*"], limit=1
				)
				target = changed_field(child)
				if not row or not target:
					continue
				forged_row = {**row[0], target[0]: target[1]}
				attempts = {
					"frappe.client.set_value": lambda c=child, r=row[0].name, t=target: http_call(
						"frappe.client.set_value", doctype=c, name=r, fieldname=t[0], value=t[1]
					),
					"bulk edit": lambda d=doctype.name, n=name, t=table, r=forged_row: bulk_action(
						d, n, "update", {t: [r]}
					),
				}
				for path, forge in attempts.items():
					cases += 1
					self.expect_kept(
						f"{child} {row[0].name}: {target[0]} / {path}",
						forge,
						lambda c=child, r=row[0].name, t=target: frappe.db.get_value(c, r, t[0]) == t[1],
						problems,
					)
		print(f"\ntrust boundary: {cases} computed fields forged")
		self.assertGreater(cases, 10)
		self.assertEqual(problems, [], "\n".join(problems))

	def expect_kept(self, where: str, forge, took_it, problems: list) -> None:
		outcome = self.attempt(ADMINISTRATOR, forge, took_it, where)
		if outcome == "wrote":
			problems.append(f"{where}: took the forged value")
		elif outcome == "server error":
			problems.append(f"{where}: {self.last_error}")
