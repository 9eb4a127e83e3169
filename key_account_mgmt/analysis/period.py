"""The period most analyses default to: the twelve months ending today, or the one the user chose."""

from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate

from key_account_mgmt.tiering.core import rolling_twelve_months


def report_period(filters) -> tuple[date, date]:
	to_date = getdate(filters.get("to_date") or getdate())
	from_date = getdate(filters.get("from_date") or rolling_twelve_months(to_date).start)
	if from_date > to_date:
		frappe.throw(_("From Date must be on or before To Date."), title=_("Invalid Period"))
	return from_date, to_date
