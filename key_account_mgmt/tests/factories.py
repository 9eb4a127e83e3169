"""factory-boy factories that create real ERPNext and key-account documents through the ORM, so
every hook fires as it does for a user. `create()` inserts (and submits where that is the point);
`build()` returns the unsaved document."""

from datetime import date

import factory
import frappe
from frappe.utils import add_days, getdate

from key_account_mgmt.setup.company import COMPANY_NAME


def unique(prefix: str):
	return factory.LazyFunction(lambda: f"{prefix} {frappe.generate_hash(length=8)}")


class FrappeDocumentFactory(factory.Factory):
	"""`model` is the DocType name; creation goes through Document.insert()."""

	class Meta:
		abstract = True

	@classmethod
	def _build(cls, model_class, *args, **kwargs):
		return frappe.get_doc({"doctype": model_class, **kwargs})

	@classmethod
	def _create(cls, model_class, *args, **kwargs):
		return cls._build(model_class, *args, **kwargs).insert()


class SubmittableDocumentFactory(FrappeDocumentFactory):
	"""Also submits what it creates when `submit` is true (each factory sets its default)."""

	class Meta:
		abstract = True

	@classmethod
	def _build(cls, model_class, *args, **kwargs):
		kwargs.pop("submit", None)
		return super()._build(model_class, *args, **kwargs)

	@classmethod
	def _create(cls, model_class, *args, **kwargs):
		submit = kwargs.pop("submit", False)
		document = cls._build(model_class, *args, **kwargs).insert()
		if submit:
			document.submit()
		return document


class SupplierFactory(FrappeDocumentFactory):
	class Meta:
		model = "Supplier"

	supplier_name = unique("Supplier")
	supplier_group = "All Supplier Groups"
	supplier_type = "Company"


class ItemFactory(FrappeDocumentFactory):
	class Meta:
		model = "Item"

	item_code = unique("Item")
	item_name = factory.SelfAttribute("item_code")
	item_group = "All Item Groups"
	stock_uom = "Nos"
	is_stock_item = 0


class PurchaseInvoiceFactory(SubmittableDocumentFactory):
	"""A submitted Purchase Invoice of `amount` (before taxes) in the company's currency.
	Pass submit=False for a draft."""

	class Meta:
		model = "Purchase Invoice"
		exclude = ("amount", "item")

	amount = 1000
	submit = True
	company = COMPANY_NAME
	supplier = factory.LazyFunction(lambda: SupplierFactory().name)
	item = factory.LazyFunction(lambda: ItemFactory().name)
	posting_date = factory.LazyFunction(getdate)
	set_posting_time = 1
	update_stock = 0
	items = factory.LazyAttribute(lambda o: [{"item_code": o.item, "qty": 1, "rate": o.amount}])
	currency = factory.LazyAttribute(
		lambda o: frappe.get_cached_value("Company", o.company, "default_currency")
	)
	conversion_rate = 1
	buying_price_list = factory.LazyAttribute(lambda o: buying_price_list(o.company))

	@classmethod
	def _adjust_kwargs(cls, **kwargs):
		kwargs["posting_date"] = getdate(kwargs["posting_date"])
		kwargs["due_date"] = kwargs["posting_date"]
		return kwargs


def buying_price_list(company: str) -> str:
	"""The company's own-currency buying price list, so no price-list exchange rate is needed."""
	currency = frappe.get_cached_value("Company", company, "default_currency")
	name = "Standard Buying" if currency == "CNY" else f"Standard Buying {currency}"
	if not frappe.db.exists("Price List", name):
		frappe.get_doc(
			{
				"doctype": "Price List",
				"price_list_name": name,
				"currency": currency,
				"buying": 1,
				"enabled": 1,
			}
		).insert(ignore_permissions=True)
	return name


def make_debit_note(invoice, amount=None, qty=None, submit: bool = True):
	"""A return (debit note) against a submitted invoice: what is left of it to return, `qty` units
	of its first row, or `amount` of it (a price correction: one unit at that rate)."""
	from erpnext.accounts.doctype.purchase_invoice.purchase_invoice import (
		make_debit_note as erpnext_debit_note,
	)

	debit_note = erpnext_debit_note(invoice.name)
	if qty is not None:
		debit_note.items[0].qty = -qty
	if amount is not None:
		debit_note.items[0].qty = -1
		debit_note.items[0].rate = amount
	debit_note.posting_date = invoice.posting_date
	debit_note.set_posting_time = 1
	debit_note.insert()
	if submit:
		debit_note.submit()
	return debit_note


class KeyAccountFactory(FrappeDocumentFactory):
	"""A key account grouping `supplier_names` (one new supplier unless given)."""

	class Meta:
		model = "Key Account"
		exclude = ("supplier_names",)

	account_name = unique("Brand")
	supplier_names = factory.LazyFunction(lambda: [SupplierFactory().name])
	suppliers = factory.LazyAttribute(lambda o: [{"supplier": name} for name in o.supplier_names])


class UserFactory(FrappeDocumentFactory):
	"""A desk user holding `roles` (none by default)."""

	class Meta:
		model = "User"
		exclude = ("roles_held",)

	email = factory.LazyFunction(lambda: f"kam-{frappe.generate_hash(length=8)}@example.com")
	first_name = "Test"
	send_welcome_email = 0
	user_type = "System User"
	roles_held = ()
	roles = factory.LazyAttribute(lambda o: [{"role": role} for role in o.roles_held])


def currency_exchange(from_currency: str, to_currency: str, rate: float, on: date | str):
	return frappe.get_doc(
		{
			"doctype": "Currency Exchange",
			"from_currency": from_currency,
			"to_currency": to_currency,
			"exchange_rate": rate,
			"date": getdate(on),
			"for_buying": 1,
			"for_selling": 1,
		}
	).insert()


class ContactFactory(FrappeDocumentFactory):
	"""A Contact with an e-mail address. No phone numbers: ERPNext's Contact hook that links call
	logs commits the transaction for each number, which would leak test data past the rollback."""

	class Meta:
		model = "Contact"
		exclude = ("email",)

	first_name = unique("Contact")
	email = factory.LazyFunction(lambda: f"{frappe.generate_hash(length=8)}@brand.example.com")
	email_ids = factory.LazyAttribute(lambda o: [{"email_id": o.email, "is_primary": 1}])


class ContactRoleFactory(FrappeDocumentFactory):
	"""portal_access=1 also grants the contact's website user the portal, as a Key Account Manager does."""

	class Meta:
		model = "Key Account Contact Role"

	key_account = factory.LazyFunction(lambda: KeyAccountFactory().name)
	contact = factory.LazyFunction(lambda: ContactFactory().name)
	level = "Purchasing Manager"

	@classmethod
	def _create(cls, model_class, *args, **kwargs):
		link_to_account(kwargs["contact"], kwargs["key_account"])
		return super()._create(model_class, *args, **kwargs)

	@factory.post_generation
	def portal_access(role, create, extracted, **kwargs):
		if create and extracted:
			frappe.get_doc(
				{"doctype": "Key Account Portal Grant", "contact_role": role.name, "portal_access": 1}
			).insert(ignore_permissions=True)


def link_to_account(contact: str, account: str) -> None:
	"""The contact is one of the account's, as a role's picker requires (contacts.py): linked to it."""
	contact_doc = frappe.get_doc("Contact", contact)
	if not contact_doc.has_link("Key Account", account):
		contact_doc.append("links", {"link_doctype": "Key Account", "link_name": account})
		contact_doc.save(ignore_permissions=True)


class NegotiationLogFactory(SubmittableDocumentFactory):
	"""A negotiation of `key_account` between `ours` (users) and `theirs` (Contact Roles).
	Pass submit=True to submit it."""

	class Meta:
		model = "Key Account Negotiation Log"
		exclude = ("ours", "theirs")

	key_account = factory.LazyFunction(lambda: KeyAccountFactory().name)
	subject = "Annual terms 2027"
	negotiation_datetime = factory.LazyFunction(lambda: frappe.utils.now_datetime().replace(microsecond=0))
	place_or_channel = "Foshan head office"
	ours = factory.LazyFunction(lambda: ["Administrator"])
	theirs = factory.LazyAttribute(lambda o: [ContactRoleFactory(key_account=o.key_account).name])
	our_participants = factory.LazyAttribute(
		lambda o: [{"user": user, "team_role": "Chief Negotiator"} for user in o.ours]
	)
	their_participants = factory.LazyAttribute(lambda o: [{"contact_role": role} for role in o.theirs])
	agreements = factory.LazyFunction(list)
	submit = False


class CustomerFactory(FrappeDocumentFactory):
	class Meta:
		model = "Customer"

	customer_name = unique("Customer")
	customer_group = "All Customer Groups"
	territory = "All Territories"


class SalesInvoiceFactory(SubmittableDocumentFactory):
	"""A submitted Sales Invoice selling `qty` of `item` at `rate`."""

	class Meta:
		model = "Sales Invoice"
		exclude = ("item", "qty", "rate")

	company = COMPANY_NAME
	customer = factory.LazyFunction(lambda: CustomerFactory().name)
	item = factory.LazyFunction(lambda: ItemFactory().name)
	qty = 1
	rate = 1000
	posting_date = factory.LazyFunction(getdate)
	set_posting_time = 1
	currency = factory.LazyAttribute(
		lambda o: frappe.get_cached_value("Company", o.company, "default_currency")
	)
	conversion_rate = 1
	items = factory.LazyAttribute(lambda o: [{"item_code": o.item, "qty": o.qty, "rate": o.rate}])
	due_date = factory.SelfAttribute("posting_date")
	submit = True


def stores(company: str = COMPANY_NAME) -> str:
	"""The company's first warehouse that holds stock (not a group)."""
	return frappe.db.get_value("Warehouse", {"company": company, "is_group": 0}, order_by="name")


class PurchaseOrderFactory(SubmittableDocumentFactory):
	"""A submitted Purchase Order of `qty` of `item` at `rate`, placed on `transaction_date` and due on
	`schedule_date` (the same day unless given). Pass submit=False for a draft."""

	class Meta:
		model = "Purchase Order"
		exclude = ("item", "qty", "rate")

	company = COMPANY_NAME
	supplier = factory.LazyFunction(lambda: SupplierFactory().name)
	item = factory.LazyFunction(lambda: ItemFactory().name)
	qty = 10
	rate = 100
	transaction_date = factory.LazyFunction(getdate)
	schedule_date = factory.SelfAttribute("transaction_date")
	currency = factory.LazyAttribute(
		lambda o: frappe.get_cached_value("Company", o.company, "default_currency")
	)
	conversion_rate = 1
	set_warehouse = factory.LazyAttribute(lambda o: stores(o.company))
	items = factory.LazyAttribute(
		lambda o: [
			{
				"item_code": o.item,
				"qty": o.qty,
				"rate": o.rate,
				"schedule_date": o.schedule_date,
				"warehouse": o.set_warehouse,
			}
		]
	)
	submit = True


class PurchaseReceiptFactory(SubmittableDocumentFactory):
	"""A submitted Purchase Receipt made from `purchase_order` (a document or its name) as ERPNext makes
	it, posted on `posting_date`, receiving `qty` of its first line (all of it unless given). Pass
	submit=False for a draft."""

	class Meta:
		model = "Purchase Receipt"

	purchase_order = factory.LazyFunction(lambda: PurchaseOrderFactory().name)
	qty = None
	posting_date = factory.LazyFunction(getdate)
	submit = True

	@classmethod
	def _build(cls, model_class, *args, purchase_order=None, qty=None, posting_date=None, **kwargs):
		from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_receipt

		kwargs.pop("submit", None)
		receipt = make_purchase_receipt(getattr(purchase_order, "name", purchase_order))
		receipt.update({"posting_date": posting_date, "set_posting_time": 1, **kwargs})
		if qty is not None:
			receipt.items[0].qty = qty
			receipt.items[0].received_qty = qty
		return receipt


class JointPromotionFactory(FrappeDocumentFactory):
	"""A draft joint promotion of `key_account`, ten to twenty days ahead, costs shared half and half."""

	class Meta:
		model = "Joint Promotion"

	title = unique("Promotion")
	cooperation_form = "On-Site Promotion"
	from_date = factory.LazyFunction(lambda: add_days(getdate(), 10))
	to_date = factory.LazyFunction(lambda: add_days(getdate(), 20))
	total_budget = 300_000
	our_share_percent = 50
	account_share_percent = 50


def territory(name: str) -> str:
	"""The Territory `name`, made under All Territories when missing."""
	if not frappe.db.exists("Territory", name):
		frappe.get_doc(
			{"doctype": "Territory", "territory_name": name, "parent_territory": "All Territories"}
		).insert()
	return name
