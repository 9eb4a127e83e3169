"""Completes ERPNext's setup for a CNY retail company: used by dev/up, the cached test base and
`before_tests` (as hrms does), so every site this project builds starts from the same books."""

import frappe
from frappe.utils import getdate, now_datetime

COMPANY_NAME = "KAM Appliance Retail"
COMPANY_ABBR = "KAR"


def complete_erpnext_setup() -> None:
	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	frappe.clear_cache()
	if not frappe.db.a_row_exists("Company"):
		year = now_datetime().year
		setup_complete(
			{
				"currency": "CNY",
				"full_name": "Key Account Admin",
				"company_name": COMPANY_NAME,
				"company_abbr": COMPANY_ABBR,
				"timezone": "Asia/Shanghai",
				"industry": "Retail",
				"country": "China",
				"fy_start_date": f"{year}-01-01",
				"fy_end_date": f"{year}-12-31",
				"language": "English",
				"company_tagline": "Appliances nationwide",
				"email": "admin@kam.invalid",
				"password": "admin",
				"chart_of_accounts": "Standard",
			}
		)
	ensure_calendar_fiscal_years(now_datetime().year - 3, now_datetime().year + 1)
	frappe.db.commit()


def ensure_calendar_fiscal_years(first_year: int, last_year: int) -> None:
	"""Backdated invoices need the fiscal years they fall in; China's fiscal year is the calendar year."""
	for year in range(first_year, last_year + 1):
		start, end = getdate(f"{year}-01-01"), getdate(f"{year}-12-31")
		if frappe.db.exists("Fiscal Year", {"year_start_date": start, "year_end_date": end}):
			continue
		frappe.get_doc(
			{"doctype": "Fiscal Year", "year": str(year), "year_start_date": start, "year_end_date": end}
		).insert(ignore_permissions=True)


# Every invoice's "In Words" comes from Frappe's money_in_words. Frappe 16's raises a TypeError for an
# amount with cents in a currency that has fraction units but no fraction name (Frappe 15 said "Cent"),
# and Frappe's country data gives the yuan none: without a name, no Purchase Invoice with fen saves.
FRACTION_NAMES = {"CNY": "Fen"}
FRACTION_NAME_OTHERWISE = "Cent"  # what Frappe 15 calls such a fraction


def name_currency_fractions() -> None:
	"""Give every currency with fraction units and no fraction name one (on install and migrate; a name
	someone set stays)."""
	for currency in frappe.get_all(
		"Currency", filters={"fraction_units": (">", 0), "fraction": ("is", "not set")}, pluck="name"
	):
		frappe.db.set_value(
			"Currency",
			currency,
			"fraction",
			FRACTION_NAMES.get(currency, FRACTION_NAME_OTHERWISE),
			update_modified=False,
		)


FOREIGN_COMPANY_NAME = "KAM Global Sourcing"


def ensure_company(name: str, abbr: str, currency: str, country: str) -> None:
	if frappe.db.exists("Company", name):
		return
	frappe.get_doc(
		{
			"doctype": "Company",
			"company_name": name,
			"abbr": abbr,
			"default_currency": currency,
			"country": country,
			"create_chart_of_accounts_based_on": "Standard Template",
			"chart_of_accounts": "Standard",
		}
	).insert(ignore_permissions=True)


def before_tests() -> None:
	from erpnext.setup.utils import _enable_all_roles_for_admin, set_defaults_for_tests

	complete_erpnext_setup()
	# A second company that books in US dollars, for the multi-currency cases.
	ensure_company(FOREIGN_COMPANY_NAME, "KGS", "USD", "United States")
	_enable_all_roles_for_admin()
	set_defaults_for_tests()
	frappe.db.commit()
