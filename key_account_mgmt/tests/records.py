"""One record of every doctype the app ships, as the people who use it make them, for the matrices that
walk every doctype (test_role_matrix.py, test_trust_boundary.py)."""

import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.marketing.monthly_reports import generate as generate_monthly_report
from key_account_mgmt.tests.factories import (
	ContactFactory,
	ContactRoleFactory,
	CustomerFactory,
	ItemFactory,
	JointPromotionFactory,
	KeyAccountFactory,
	NegotiationLogFactory,
	PurchaseInvoiceFactory,
	SalesInvoiceFactory,
	SupplierFactory,
	UserFactory,
	territory,
)

MODULE = "Key Account Management"
MILLION = 1_000_000


def one_of_everything() -> frappe._dict:
	"""At least one row in every report and one record of every doctype, with every link column
	filled: an account that reached a tier today (a tier change caused by a Purchase Invoice), a
	supplier in no account above the lowest band, a negotiation with an open agreement, a plan, a
	survey with a score, a promotion with a region, a store and an item, a sale of the account's brand
	and a monthly report. Returns the account, its portal contact's user and the monthly report."""
	today = getdate()
	supplier = SupplierFactory().name
	item = ItemFactory().name
	account = KeyAccountFactory(supplier_names=[supplier]).name
	PurchaseInvoiceFactory(supplier=supplier, amount=6 * MILLION)
	PurchaseInvoiceFactory(amount=6 * MILLION)  # a candidate
	SalesInvoiceFactory(customer=CustomerFactory().name, item=item)
	portal_user = UserFactory(user_type="Website User").name
	role = ContactRoleFactory(
		key_account=account, contact=ContactFactory(user=portal_user).name, portal_access=1
	).name
	frappe.get_doc(
		{"doctype": "Key Account Contact Profile", "contact_role": role, "personality": "Calm"}
	).insert()
	NegotiationLogFactory(
		key_account=account,
		theirs=[role],
		agreements=[{"agreement": "Rebate", "due_date": add_days(today, 9), "responsible": "Administrator"}],
		submit=True,
	)
	frappe.get_doc(
		{
			"doctype": "Key Account Plan",
			"key_account": account,
			"plan_type": frappe.get_meta("Key Account Plan").get_options("plan_type").split("\n")[0],
			"direction": "From the Account",
			"period_start": today,
			"due_date": add_days(today, 30),
		}
	).insert()
	dimension = f"Delivery {frappe.generate_hash(length=6)}"
	frappe.get_doc({"doctype": "Key Account Satisfaction Dimension", "dimension_name": dimension}).insert()
	frappe.get_doc(
		{
			"doctype": "Key Account Satisfaction Survey",
			"key_account": account,
			"survey_date": today,
			"scores": [{"dimension": dimension, "score": 4}],
		}
	).insert()
	warehouse = frappe.get_all("Warehouse", filters={"is_group": 0, "disabled": 0}, pluck="name", limit=1)[0]
	JointPromotionFactory(
		key_account=account,
		territories=[{"territory": territory("East China")}],
		warehouses=[{"warehouse": warehouse}],
		items=[{"item_code": item}],
	)
	monthly_report = generate_monthly_report(account).name
	return frappe._dict(account=account, portal_user=portal_user, monthly_report=monthly_report)


def app_doctypes() -> list[frappe._dict]:
	return frappe.get_all(
		"DocType",
		filters={"module": MODULE},
		fields=["name", "istable", "issingle", "is_submittable"],
		order_by="name",
	)


def existing_record(doctype: str) -> str | None:
	"""The newest record of `doctype` (a single's name is its doctype's)."""
	if frappe.get_meta(doctype).issingle:
		return doctype
	return next(iter(frappe.get_all(doctype, order_by="creation desc", limit=1, pluck="name")), None)
