"""Data sharing (Art. 11): what an account's contact sees on the portal, and nothing of any other account."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import frappe
from frappe import _
from frappe.utils import add_months, cint, flt, fmt_money, get_first_day, getdate
from frappe.utils.formatters import format_value

from key_account_mgmt.account_file.activity import stock_by_warehouse
from key_account_mgmt.analysis import queries
from key_account_mgmt.marketing.portal_grants import granted_accounts, granted_users


def portal_accounts(user: str) -> list[str]:
	"""The key accounts whose portal `user` was granted, by a Key Account Portal Grant in force of each."""
	if user in ("Guest", None):
		return []
	return granted_accounts(user)


def check_portal_access(user: str, account: str | None) -> str:
	"""The account `user` may see. Another account's name and a made-up one get the same refusal, which
	repeats nothing of the request."""
	accounts = portal_accounts(user)
	account = account or (accounts[0] if accounts else None)
	if account not in accounts:
		refuse()
	return account


def refuse():
	frappe.throw(_("You have no access to this key account data."), frappe.PermissionError)


PORTAL_ROLE = "Key Account Portal User"


def sync_portal_role(user: str | None) -> None:
	"""The portal menu shows "Key Account Data" to the portal role: a user holds it exactly while a
	grant gives the user an account. The role grants no permission on any doctype."""
	if not user or user in ("Guest", "Administrator") or not frappe.db.exists("User", user):
		return
	granted = bool(portal_accounts(user))
	held = bool(frappe.db.exists("Has Role", {"parent": user, "parenttype": "User", "role": PORTAL_ROLE}))
	if granted == held:
		return
	user_doc = frappe.get_doc("User", user)
	user_doc.flags.ignore_permissions = True
	if granted:
		user_doc.add_roles(PORTAL_ROLE)
	else:
		user_doc.remove_roles(PORTAL_ROLE)


def sync_portal_roles_of_grant(doc, method=None) -> None:
	"""doc_events of the document that holds a grant: its user now and before the change."""
	before = doc.get_doc_before_save() if method != "after_delete" else None
	for user in {doc.get("portal_user"), before and before.get("portal_user")}:
		sync_portal_role(user)


def sync_portal_role_on_login(login_manager=None) -> None:
	sync_portal_role(frappe.session.user)


def sync_all_portal_roles() -> None:
	"""Every user who holds the role or is named by a grant in force."""
	holders = frappe.get_all("Has Role", filters={"role": PORTAL_ROLE, "parenttype": "User"}, pluck="parent")
	for user in sorted(set(holders) | set(granted_users())):
		sync_portal_role(user)


def portal_data(account: str) -> dict:
	"""The brand's sales by region and month over this month and the eleven before it (the analyses'
	company and currency rules), our stock of its items by warehouse, and its monthly reports."""
	brand = frappe.db.get_value("Key Account", account, "brand")
	scope = queries.analysis_scope()
	months = portal_months(getdate())
	from_date, to_date = date(*months[0], 1), getdate()
	# No brand, no sales: `sales` without a brand would be every brand's.
	figures = (
		queries.sales(scope, from_date, to_date, by=("territory", "month"), brand=brand) if brand else {}
	)
	sales = [
		frappe._dict(territory=territory, month=month_label(month), amount=row.amount, qty=row.qty)
		for (territory, month), row in sorted(
			figures.items(), key=lambda item: (item[0][1], item[0][0] or "")
		)
	]
	reports = frappe.get_all(
		"Key Account Monthly Report",
		filters={"key_account": account},
		fields=["name", "month", "national_sales_amount", "brand_rank", "brands_count"],
		order_by="month desc",
		ignore_permissions=True,
	)
	return {
		"account": account,
		"brand": brand,
		"currency": scope.settings.currency,
		"months": [month_label(month) for month in months],
		"sales": sales,
		"stock": stock_by_warehouse(brand),
		"reports": reports,
	}


def portal_months(today: date) -> list[tuple[int, int]]:
	"""This month and the eleven before it, oldest first, as (year, month)."""
	first = get_first_day(add_months(today, -11))
	return [((day := add_months(first, offset)).year, day.month) for offset in range(12)]


def month_label(month: tuple[int, int] | date | str) -> str:
	"""2026-03, for a (year, month) or any day of it."""
	year, number = month if isinstance(month, tuple) else (getdate(month).year, getdate(month).month)
	return f"{year}-{number:02d}"


def portal_report(account: str, name: str) -> frappe._dict:
	if not frappe.db.exists("Key Account Monthly Report", {"name": name, "key_account": account}):
		refuse()
	return report_as_shared(frappe.get_doc("Key Account Monthly Report", name))


def report_as_shared(report) -> frappe._dict:
	"""A monthly report as the account may read it, on the portal and in the print we send it.
	Competitors show by name, rank and share of the sales in the item groups the brand sells in,
	rounded to a whole percent; their exact sales, and the groups' totals they add up to, only when
	Key Account Settings say so."""
	currency = queries.analysis_scope().settings.currency
	exact = bool(
		cint(frappe.db.get_single_value("Key Account Settings", "portal_shows_competitor_sales", cache=False))
	)
	market = sum(flt(row.group_sales) for row in report.item_groups)
	return frappe._dict(
		name=report.name,
		month=month_label(report.month),
		national_sales=money(report.national_sales_amount, currency),
		national_qty=quantity(report.national_sales_qty),
		brand_rank=report.brand_rank,
		brands_count=report.brands_count,
		regions=[
			frappe._dict(
				territory=row.territory,
				amount=money(row.sales_amount, currency),
				qty=quantity(row.sales_qty),
				rank=row.rank,
			)
			for row in report.regions
		],
		item_groups=[
			frappe._dict(
				item_group=row.item_group,
				amount=money(row.brand_sales, currency),
				share=share(row.brand_sales, row.group_sales),
				group_amount=money(row.group_sales, currency) if exact else None,
			)
			for row in report.item_groups
		],
		own_share=share(sum(flt(row.brand_sales) for row in report.item_groups), market),
		competitors=[
			frappe._dict(
				rank=row.rank,
				brand=row.brand,
				share=share(row.sales_amount, market),
				amount=money(row.sales_amount, currency) if exact else None,
			)
			for row in report.competitors
		],
		shows_competitor_sales=exact,
	)


def portal_page(data: dict) -> dict:
	"""The page's view of `portal_data`: sales as a region × month pivot with totals and a bar chart
	of the months, every figure formatted as Frappe formats it."""
	currency, months = data["currency"], data["months"]
	cells: dict[str, dict[str, float]] = {}
	quantities: dict[str, float] = {}
	for row in data["sales"]:
		region = row.territory or _("No Region")
		cells.setdefault(region, {})[row.month] = cells.get(region, {}).get(row.month, 0) + flt(row.amount)
		quantities[region] = quantities.get(region, 0) + flt(row.qty)
	month_totals = [sum(region.get(month, 0) for region in cells.values()) for month in months]
	regions = sorted(cells, key=lambda region: (-sum(cells[region].values()), region))
	return {
		"sales_rows": [
			frappe._dict(
				region=region,
				cells=[amount_in_table(cells[region].get(month)) for month in months],
				total=amount_in_table(sum(cells[region].values())),
				qty=quantity(quantities[region]),
			)
			for region in regions
		],
		"sales_totals": frappe._dict(
			cells=[amount_in_table(amount) for amount in month_totals],
			total=amount_in_table(sum(month_totals)),
			qty=quantity(sum(quantities.values())),
		),
		"chart": bar_chart(months, month_totals, currency),
		"stock_rows": [
			frappe._dict(
				warehouse=row.warehouse, in_stock=quantity(row.actual_qty), ordered=quantity(row.ordered_qty)
			)
			for row in data["stock"]
		],
		"report_links": [
			frappe._dict(name=row.name, month=month_label(row.month)) for row in data["reports"]
		],
	}


CHART_BAR_WIDTH, CHART_GAP, CHART_HEIGHT = 40, 12, 160


def bar_chart(labels: list[str], amounts: list[float], currency: str) -> frappe._dict:
	"""Bars for an SVG the server draws: no script, no figure but the own brand's monthly totals."""
	top = max(amounts, default=0) or 1
	bars = []
	for index, (label, amount) in enumerate(zip(labels, amounts, strict=True)):
		height = round(CHART_HEIGHT * max(amount, 0) / top)
		bars.append(
			frappe._dict(
				label=label,
				title=f"{label}: {money(amount, currency)}",
				x=CHART_GAP + index * (CHART_BAR_WIDTH + CHART_GAP),
				y=CHART_HEIGHT - height + 10,
				width=CHART_BAR_WIDTH,
				height=height,
				label_x=CHART_GAP + index * (CHART_BAR_WIDTH + CHART_GAP) + CHART_BAR_WIDTH // 2,
			)
		)
	return frappe._dict(
		bars=bars,
		width=CHART_GAP + len(labels) * (CHART_BAR_WIDTH + CHART_GAP),
		height=CHART_HEIGHT + 40,
		label_y=CHART_HEIGHT + 28,
	)


def amount_in_table(amount: float | None) -> str:
	"""A pivot cell: whole units in the site's number format, the currency named above the table; a
	month without sales stays empty."""
	return fmt_money(flt(amount), precision=0) if amount else ""


def money(amount, currency: str) -> str:
	"""Whole currency units, in the currency's symbol and the site's number format."""
	return fmt_money(flt(amount), precision=0, currency=currency)


def quantity(qty) -> str:
	"""As Frappe formats a Float: 630, not 630.0."""
	return format_value(flt(qty), {"fieldtype": "Float"})


def share(amount, total) -> str:
	"""A share in whole percent (half up); a share too small to round to 1 % is "< 1%"."""
	if not total or not amount:
		return "0%"
	percent = int(
		(Decimal(str(flt(amount))) * 100 / Decimal(str(flt(total)))).quantize(Decimal(1), ROUND_HALF_UP)
	)
	return f"{percent}%" if percent else "< 1%"
