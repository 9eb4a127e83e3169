"""Data sharing (Art. 11): what an account's contact sees on the portal, and nothing of any other account."""

import frappe
from frappe import _
from frappe.utils import add_days, getdate

from key_account_mgmt.account_file.activity import stock_by_warehouse
from key_account_mgmt.tiering.core import one_year_before


def portal_accounts(user: str) -> list[str]:
	"""The key accounts whose portal `user` was granted, through a Contact Role of each."""
	if user in ("Guest", None):
		return []
	return sorted(
		set(
			frappe.get_all(
				"Key Account Contact Role",
				filters={"portal_user": user, "portal_access": 1},
				pluck="key_account",
				ignore_permissions=True,
			)
		)
	)


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


def portal_data(account: str) -> dict:
	"""The brand's sales by region and month over the last twelve months, our stock of its items by
	warehouse, and its monthly reports."""
	brand = frappe.db.get_value("Key Account", account, "brand")
	today = getdate()
	sales = frappe.db.sql(
		"""SELECT si.territory, DATE_FORMAT(si.posting_date, '%%Y-%%m') AS month,
			SUM(sii.base_net_amount) AS amount, SUM(sii.stock_qty) AS qty
		FROM `tabSales Invoice Item` sii INNER JOIN `tabSales Invoice` si ON si.name = sii.parent
		WHERE si.docstatus = 1 AND sii.brand = %(brand)s AND si.posting_date BETWEEN %(from_date)s AND %(to_date)s
		GROUP BY si.territory, DATE_FORMAT(si.posting_date, '%%Y-%%m')
		ORDER BY month, si.territory""",
		{"brand": brand, "from_date": add_days(one_year_before(today), 1), "to_date": today},
		as_dict=True,
	)
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
		"sales": sales,
		"stock": stock_by_warehouse(brand),
		"reports": reports,
	}


def portal_report(account: str, name: str):
	if not frappe.db.exists("Key Account Monthly Report", {"name": name, "key_account": account}):
		refuse()
	return frappe.get_doc("Key Account Monthly Report", name)
