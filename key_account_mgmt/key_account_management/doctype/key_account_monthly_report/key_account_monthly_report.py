# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document
from frappe.utils import get_first_day


class KeyAccountMonthlyReport(Document):
	def before_validate(self):
		self.month = get_first_day(self.month)


@frappe.whitelist()
def regenerate(name: str) -> None:
	from key_account_mgmt.marketing.monthly_reports import generate

	report = frappe.get_doc("Key Account Monthly Report", name)
	report.check_permission("write")
	generate(report.key_account, report.month)
