"""Demo data: appliance brands as key accounts across every tier, with two years of real, submitted
Purchase Invoices so that the hooks set every tier. Loaded by dev/up; also runnable alone:

    bench --site SITE execute key_account_mgmt.demo.load_demo_data
"""

from decimal import Decimal

import frappe
from frappe.utils import add_days, add_months, getdate

from key_account_mgmt.setup.company import COMPANY_NAME

# brand, suppliers, yearly purchases in CNY over the last twelve months, growth against the year before
BRANDS = [
	("Midea", ["Midea Group Co., Ltd.", "Midea East China Distribution"], 62_000_000, Decimal("1.18")),
	("Gree", ["Gree Electric Appliances Inc."], 54_000_000, Decimal("1.05")),
	("Haier", ["Haier Smart Home Co., Ltd.", "Haier South China Sales"], 36_500_000, Decimal("0.92")),
	("Hisense", ["Hisense Visual Technology Co., Ltd."], 21_800_000, Decimal("1.30")),
	("TCL", ["TCL Technology Group"], 12_400_000, Decimal("1.10")),
	("Supor", ["Zhejiang Supor Co., Ltd."], 5_600_000, Decimal("0.85")),
	("Joyoung", ["Joyoung Co., Ltd."], 3_200_000, Decimal("1.00")),
]

MANAGERS = [
	("li.wei@kam.invalid", "Li Wei", "Key Account Manager"),
	("zhang.min@kam.invalid", "Zhang Min", "Key Account User"),
]


def load_demo_data() -> None:
	"""Each part is loaded once; parts added to the demo later load on the next run."""
	frappe.flags.mute_emails = True
	managers = [make_user(*manager) for manager in MANAGERS]
	if not frappe.db.exists("Key Account", "Midea"):
		for index, (brand, suppliers, yearly, growth) in enumerate(BRANDS):
			make_brand_account(brand, suppliers, yearly, growth, managers[index % len(managers)])
			frappe.db.commit()
		print(f"Loaded {len(BRANDS)} key accounts with two years of purchase invoices.")
	if not frappe.db.exists("Sales Invoice", {"customer": DEMO_CUSTOMER}):
		make_sales(BRANDS)
		frappe.db.commit()
		print("Loaded two years of sales of every brand in four regions.")
	if not frappe.db.exists("Key Account Contact Role", {"key_account": "Midea"}):
		for brand, *_rest in BRANDS:
			make_account_file(brand, managers)
			frappe.db.commit()
		print("Loaded contacts, teams, important information and negotiation logs.")
	if not frappe.db.exists("Key Account Satisfaction Survey", {"key_account": "Midea"}):
		make_surveys(BRANDS)
		frappe.db.commit()
		print("Loaded two satisfaction surveys per account.")
	if not frappe.db.exists("Joint Promotion", {"key_account": "Midea"}):
		make_joint_marketing(BRANDS)
		frappe.db.commit()
		print("Loaded promotions, plans, last month's reports and a portal login for Midea.")
	if not frappe.db.exists("Purchase Receipt", {"supplier": BRANDS[0][1][0]}):
		make_supply(BRANDS)
		frappe.db.commit()
		print("Loaded a year of purchase orders and receipts, some late and some short.")
	if not frappe.db.exists("Item", new_item_code(BRANDS[0][0], 0)):
		make_cooperation(BRANDS)
		make_launches(BRANDS)
		frappe.db.commit()
		print("Loaded a year of negotiations, answered reports and new items of some brands.")
	# Criteria 2 to 6 of the qualification, as the daily job computes them.
	from key_account_mgmt.account_file.qualification import refresh_qualifications

	refresh_qualifications()
	frappe.db.commit()


def make_user(email: str, full_name: str, role: str) -> str:
	if not frappe.db.exists("User", email):
		first_name, last_name = full_name.split(" ", 1)
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": first_name,
				"last_name": last_name,
				"send_welcome_email": 0,
				"new_password": "kam-demo-2026",
				"roles": [{"role": role}, {"role": "Purchase User"}],
			}
		)
		user.insert(ignore_permissions=True)
	return email


def make_brand_account(brand: str, suppliers: list[str], yearly: int, growth: Decimal, manager: str) -> None:
	if not frappe.db.exists("Brand", brand):
		frappe.get_doc({"doctype": "Brand", "brand": brand}).insert(ignore_permissions=True)
	item = make_item(brand)
	for supplier in suppliers:
		if not frappe.db.exists("Supplier", supplier):
			frappe.get_doc(
				{"doctype": "Supplier", "supplier_name": supplier, "supplier_group": "All Supplier Groups"}
			).insert(ignore_permissions=True)
	account = frappe.get_doc(
		{
			"doctype": "Key Account",
			"account_name": brand,
			"brand": brand,
			"account_manager": manager,
			"suppliers": [{"supplier": supplier} for supplier in suppliers],
		}
	)
	account.insert(ignore_permissions=True)
	today = getdate()
	for months_back in range(24, 0, -1):
		posting_date = add_months(today, -months_back + 1).replace(day=1)
		in_last_year = months_back <= 12
		monthly = Decimal(yearly) / 12 if in_last_year else Decimal(yearly) / 12 / growth
		# a touch of seasonality: more in the summer (air conditioners) and before the Spring Festival
		season = Decimal("1.15") if posting_date.month in (1, 6, 7) else Decimal("0.97")
		make_purchase_invoice(
			suppliers[months_back % len(suppliers)],
			item,
			posting_date,
			(monthly * season).quantize(Decimal(1)),
		)


def make_item(brand: str, item_code: str | None = None) -> str:
	item_code = item_code or f"{brand} Demo Appliance"
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_code,
				"brand": brand,
				"item_group": "All Item Groups",
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return item_code


def make_purchase_invoice(supplier: str, item: str, posting_date, amount: Decimal) -> None:
	invoice = frappe.get_doc(
		{
			"doctype": "Purchase Invoice",
			"company": COMPANY_NAME,
			"supplier": supplier,
			"posting_date": posting_date,
			"due_date": posting_date,
			"set_posting_time": 1,
			"currency": "CNY",
			"conversion_rate": 1,
			"items": [{"item_code": item, "qty": 1, "rate": amount}],
		}
	)
	invoice.insert(ignore_permissions=True)
	invoice.submit()


# How each brand delivers what we order (criterion 5): the share of each order it delivers, and the
# days after the schedule date it arrives, order by order (negative: early).
SUPPLY = {
	"Midea": ((1, -2), (1, -1), (1, -3), (1, 0)),
	"Gree": ((1, -1), (1, 0), (1, -2), (1, -1)),
	"Haier": ((Decimal("0.8"), 0), (Decimal("0.85"), -1), (1, 2), (Decimal("0.9"), 0)),
	"Hisense": ((1, -1), (1, -2), (1, 0), (1, -1)),
	"TCL": ((1, 6), (1, 9), (1, 0), (1, 12)),
	"Supor": ((1, 0), (Decimal("0.95"), 3), (1, -1), (1, 0)),
	"Joyoung": ((1, -2), (1, -1), (1, 0), (1, -1)),
}
ORDER_QTY = 200
LEAD_DAYS = 10


def make_supply(brands) -> None:
	"""Four orders of each brand's appliance over the last year, each due ten days after it was placed,
	received as SUPPLY says."""
	from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_receipt

	today = getdate()
	for brand, suppliers, *_rest in brands:
		item = make_item(brand)
		for number, (share, late_days) in enumerate(SUPPLY.get(brand, ())):
			ordered_on = add_days(add_months(today, -11 + 3 * number), -20)
			due_on = add_days(ordered_on, LEAD_DAYS)
			order = frappe.get_doc(
				{
					"doctype": "Purchase Order",
					"company": COMPANY_NAME,
					"supplier": suppliers[0],
					"transaction_date": ordered_on,
					"schedule_date": due_on,
					"currency": "CNY",
					"conversion_rate": 1,
					"items": [{"item_code": item, "qty": ORDER_QTY, "rate": 1000, "schedule_date": due_on}],
				}
			)
			order.insert(ignore_permissions=True)
			order.submit()
			receipt = make_purchase_receipt(order.name)
			receipt.posting_date = min(add_days(due_on, late_days), today)
			receipt.set_posting_time = 1
			qty = int(ORDER_QTY * share)
			receipt.items[0].qty = qty
			receipt.items[0].received_qty = qty
			receipt.insert(ignore_permissions=True)
			receipt.submit()


# Criterion 4: these brands held a negotiation every quarter, sent their plans on the due date and
# answered last month's report; the others negotiated once in the year and sent a third of their plans.
COOPERATIVE = ("Midea", "Gree", "Hisense", "Joyoung")


def make_cooperation(brands) -> None:
	from frappe.utils import now_datetime

	today = getdate()
	for brand, *_rest in brands:
		if brand not in COOPERATIVE:
			continue
		# the same people as at the account's annual negotiation
		first = frappe.get_doc("Key Account Negotiation Log", {"key_account": brand, "docstatus": 1})
		for days_ago in (100, 190, 280):
			log = frappe.copy_doc(first)
			log.update(
				{
					"subject": "Quarterly business review",
					"negotiation_datetime": add_days(now_datetime(), -days_ago).replace(microsecond=0),
					"place_or_channel": "Video call",
					"summary": "<p>Sell-through, stock and next quarter's promotions.</p>",
					"agreements": [],
				}
			)
			log.insert(ignore_permissions=True)
			log.submit()
		for name in frappe.get_all(
			"Key Account Plan",
			filters={"key_account": brand, "direction": "From the Account", "due_date": ("<=", today)},
			pluck="name",
		):
			plan = frappe.get_doc("Key Account Plan", name)
			plan.update({"status": "Received", "received_on": plan.due_date})
			plan.save(ignore_permissions=True)
		for name in frappe.get_all(
			"Key Account Monthly Report", filters={"key_account": brand}, pluck="name"
		):
			report = frappe.get_doc("Key Account Monthly Report", name)
			report.requests_and_suggestions = "More display space for the new models before the holidays"
			report.save(ignore_permissions=True)


# Criterion 6: each brand's new models (days after their first order to the first receipt and to the
# first sale, first ordered so many days ago). Midea and Hisense are on our shelves first; Gree, Haier
# and TCL more slowly than the others; Supor and Joyoung launched nothing this year.
LAUNCHES = {
	"Midea": ((240, 5, 12), (150, 4, 11)),
	"Gree": ((200, 7, 20),),
	"Haier": ((210, 12, 45),),
	"Hisense": ((120, 6, 15),),
	"TCL": ((180, 10, 60),),
}


def new_item_code(brand: str, number: int) -> str:
	return f"{brand} New Model {number + 1}"


def make_launches(brands) -> None:
	"""Each brand's appliance was first ordered long ago (so it is not new); its new models are ordered,
	received and first sold as LAUNCHES says."""
	today = getdate()
	for brand, suppliers, *_rest in brands:
		purchase(suppliers[0], make_item(brand), add_days(today, -540), 0)
		for number, (days_ago, to_receipt, to_sale) in enumerate(LAUNCHES.get(brand, ())):
			item = make_item(brand, new_item_code(brand, number))
			ordered_on = add_days(today, -days_ago)
			purchase(suppliers[0], item, ordered_on, to_receipt)
			sell(item, add_days(ordered_on, to_sale))


def purchase(supplier: str, item: str, ordered_on, to_receipt: int) -> None:
	from erpnext.buying.doctype.purchase_order.purchase_order import make_purchase_receipt

	due_on = add_days(ordered_on, LEAD_DAYS)
	order = frappe.get_doc(
		{
			"doctype": "Purchase Order",
			"company": COMPANY_NAME,
			"supplier": supplier,
			"transaction_date": ordered_on,
			"schedule_date": due_on,
			"currency": "CNY",
			"conversion_rate": 1,
			"items": [{"item_code": item, "qty": 50, "rate": 1000, "schedule_date": due_on}],
		}
	).insert(ignore_permissions=True)
	order.submit()
	receipt = make_purchase_receipt(order.name)
	receipt.posting_date = add_days(ordered_on, to_receipt)
	receipt.set_posting_time = 1
	receipt.insert(ignore_permissions=True)
	receipt.submit()


def sell(item: str, on) -> None:
	invoice = frappe.get_doc(
		{
			"doctype": "Sales Invoice",
			"company": COMPANY_NAME,
			"customer": DEMO_CUSTOMER,
			"posting_date": on,
			"due_date": on,
			"set_posting_time": 1,
			"currency": "CNY",
			"conversion_rate": 1,
			"items": [{"item_code": item, "qty": 5, "rate": 3000}],
		}
	).insert(ignore_permissions=True)
	invoice.submit()


DEMO_CUSTOMER = "Retail Walk-in Customers"

# the people each account's file starts with: (first name, last name, level, decision power, personality, hobbies)
PEOPLE = [
	("Wei", "Zhang", "Purchasing Director", "Decides", "Direct; wants figures first", "Go, tea"),
	("Fang", "Liu", "Sales Manager", "Strong Influence", "Warm, remembers every promise", "Badminton"),
	("Jun", "Chen", "General Manager", "Decides", "Strategic, patient", "Calligraphy, hiking"),
]


REGIONS = [
	("North China", Decimal("0.35")),
	("East China", Decimal("0.30")),
	("South China", Decimal("0.20")),
	("West China", Decimal("0.15")),
]


def make_sales(brands) -> None:
	"""Two years of monthly sales per brand in four regions, in proportion to what we buy from it;
	each month's invoice holds the brand's sales in that region."""
	for region, _share in REGIONS:
		if not frappe.db.exists("Territory", region):
			frappe.get_doc(
				{"doctype": "Territory", "territory_name": region, "parent_territory": "All Territories"}
			).insert(ignore_permissions=True)
	if not frappe.db.exists("Customer", DEMO_CUSTOMER):
		frappe.get_doc(
			{
				"doctype": "Customer",
				"customer_name": DEMO_CUSTOMER,
				"customer_group": "All Customer Groups",
				"territory": "All Territories",
			}
		).insert(ignore_permissions=True)
	today = getdate()
	for brand, _suppliers, yearly, growth in brands:
		item = make_item(brand)
		for months_back in range(24, 0, -1):
			posting_date = add_months(today, -months_back + 1).replace(day=5)
			monthly = Decimal(yearly) * Decimal("1.22") / 12 / (1 if months_back <= 12 else growth)
			for region, share in REGIONS:
				unit_price = Decimal(3000)
				invoice = frappe.get_doc(
					{
						"doctype": "Sales Invoice",
						"company": COMPANY_NAME,
						"customer": DEMO_CUSTOMER,
						"territory": region,
						"posting_date": posting_date,
						"due_date": posting_date,
						"set_posting_time": 1,
						"currency": "CNY",
						"conversion_rate": 1,
						"items": [
							{"item_code": item, "qty": int(monthly * share / unit_price), "rate": unit_price}
						],
					}
				)
				invoice.insert(ignore_permissions=True)
				invoice.submit()
		frappe.db.commit()


def make_account_file(brand: str, managers: list[str]) -> None:
	from frappe.utils import add_days, now_datetime

	account = frappe.get_doc("Key Account", brand)
	roles = []
	for first_name, last_name, level, power, personality, hobbies in PEOPLE:
		contact = frappe.get_doc(
			{
				"doctype": "Contact",
				"first_name": first_name,
				"last_name": f"{last_name} ({brand})",
				"email_ids": [
					{
						"email_id": f"{first_name.lower()}.{last_name.lower()}@{brand.lower()}.example.com",
						"is_primary": 1,
					}
				],
				"links": [{"link_doctype": "Key Account", "link_name": brand}],
			}
		).insert(ignore_permissions=True)
		role = frappe.get_doc(
			{
				"doctype": "Key Account Contact Role",
				"key_account": brand,
				"contact": contact.name,
				"level": level,
				"decision_power": power,
				"authority": "Signs annual terms" if power == "Decides" else "Proposes terms",
				"reports_to": roles[-1] if level == "Sales Manager" and roles else None,
				"relationship_owner": account.account_manager,
			}
		).insert(ignore_permissions=True)
		frappe.get_doc(
			{
				"doctype": "Key Account Contact Profile",
				"contact_role": role.name,
				"personality": personality,
				"hobbies": hobbies,
			}
		).insert(ignore_permissions=True)
		roles.append(role.name)
	account.update(
		{
			"service_mode": "Resident / On-site" if account.tier == "Strategic" else "Consultant",
			"data_sharing": 1,
			"information_sharing": 1,
			"joint_marketing": int(account.tier in ("Strategic", "Partner")),
			"group_structure": f"{brand} Group: appliances, HVAC and components divisions",
			"business_goals": "Grow retail share of its air conditioners and kitchen appliances",
			"product_positioning": "Mid to high end",
			"criterion_known_brand": 1,
			"criterion_cooperates_well": 1,
			"criterion_supply_priority": int(account.tier in ("Strategic", "Partner")),
			"criterion_first_launch": int(account.tier == "Strategic"),
			"team": [
				{"user": managers[0], "team_role": "Key Account Manager"},
				{"user": managers[1], "team_role": "Chief Negotiator"},
			],
		}
	)
	account.save(ignore_permissions=True)
	log = frappe.get_doc(
		{
			"doctype": "Key Account Negotiation Log",
			"key_account": brand,
			"subject": "Annual terms and summer promotion",
			"negotiation_datetime": add_days(now_datetime(), -14).replace(microsecond=0),
			"place_or_channel": "Their regional office",
			"our_participants": [
				{"user": managers[0], "team_role": "Key Account Manager"},
				{"user": managers[1], "team_role": "Chief Negotiator"},
			],
			"their_participants": [{"contact_role": role} for role in roles[:2]],
			"summary": "<p>Agreed the outline of next year's terms and a joint summer promotion.</p>",
			"agreements": [
				{
					"agreement": "Year-end rebate of 2% above target",
					"value": 500_000,
					"due_date": add_days(getdate(), 30),
					"responsible": managers[0],
				},
				{
					"agreement": "Send the summer promotion plan",
					"due_date": add_days(getdate(), -3),
					"responsible": managers[1],
				},
			],
		}
	).insert(ignore_permissions=True)
	log.submit()


DIMENSIONS = ["Delivery", "Pricing", "Promotion Support", "After-Sales Service", "Communication"]


def make_surveys(brands) -> None:
	from frappe.utils import add_days

	for dimension in DIMENSIONS:
		if not frappe.db.exists("Key Account Satisfaction Dimension", dimension):
			frappe.get_doc(
				{"doctype": "Key Account Satisfaction Dimension", "dimension_name": dimension}
			).insert(ignore_permissions=True)
	for index, (brand, *_rest) in enumerate(brands):
		for days_ago, lift in ((200, 0), (20, 1)):
			frappe.get_doc(
				{
					"doctype": "Key Account Satisfaction Survey",
					"key_account": brand,
					"survey_date": add_days(getdate(), -days_ago),
					"scores": [
						{"dimension": dimension, "score": min(5, 2 + (index + position + lift) % 4)}
						for position, dimension in enumerate(DIMENSIONS)
					],
				}
			).insert(ignore_permissions=True)


PORTAL_USER = "portal.midea@midea.example.com"
PROMOTION_PATHS = [
	(
		"Summer air conditioners",
		"On-Site Promotion",
		-60,
		-31,
		["Propose", "Approve", "Start", "Complete", "Evaluate"],
	),
	(
		"National Day appliances",
		"Promotion Advertising Plan",
		-20,
		-6,
		["Propose", "Approve", "Start", "Complete"],
	),
	("Year-end kitchen week", "Soft Advertising", -3, 10, ["Propose", "Approve", "Start"]),
	("Spring Festival launch", "New-Product / Press Launch", 40, 55, ["Propose"]),
]


def make_joint_marketing(brands) -> None:
	from frappe.model.workflow import apply_workflow
	from frappe.utils import add_days

	from key_account_mgmt.marketing.monthly_reports import generate
	from key_account_mgmt.marketing.plans import create_expected_plans, mark_overdue_plans

	today = getdate()
	for brand, *_rest in brands[:3]:
		for title, form, start, end, actions in PROMOTION_PATHS:
			promotion = frappe.get_doc(
				{
					"doctype": "Joint Promotion",
					"title": f"{brand}: {title}",
					"key_account": brand,
					"cooperation_form": form,
					"from_date": add_days(today, start),
					"to_date": add_days(today, end),
					"total_budget": 600_000,
					"our_share_percent": 40,
					"account_share_percent": 60,
					"account_support": "Promoters in the top 20 stores, display stands",
				}
			).insert(ignore_permissions=True)
			for action in actions:
				if action == "Evaluate":
					promotion.reload()
					promotion.actual_cost = 550_000
					promotion.save(ignore_permissions=True)
				promotion = apply_workflow(promotion, action)
	create_expected_plans(today)
	for index, name in enumerate(
		frappe.get_all("Key Account Plan", pluck="name", order_by="key_account, plan_type")
	):
		if index % 3 == 0:
			plan = frappe.get_doc("Key Account Plan", name)
			plan.status = "Received"
			# most arrive on time, some a few days late
			plan.received_on = add_days(plan.due_date, (index % 4) * 3)
			plan.save(ignore_permissions=True)
	mark_overdue_plans(today)
	for brand, *_rest in brands:
		generate(brand)
	make_portal_login("Midea")


def make_portal_login(account: str) -> None:
	if not frappe.db.exists("User", PORTAL_USER):
		frappe.get_doc(
			{
				"doctype": "User",
				"email": PORTAL_USER,
				"first_name": "Midea",
				"last_name": "Portal",
				"user_type": "Website User",
				"send_welcome_email": 0,
				"new_password": "kam-portal-2026",
			}
		).insert(ignore_permissions=True)
	role = frappe.get_doc("Key Account Contact Role", {"key_account": account, "level": "Sales Manager"})
	frappe.db.set_value("Contact", role.contact, "user", PORTAL_USER)
	if not frappe.db.exists("Key Account Portal Grant", role.name):
		frappe.get_doc(
			{"doctype": "Key Account Portal Grant", "contact_role": role.name, "portal_access": 1}
		).insert(ignore_permissions=True)
