# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class MonthlyReportItemGroup(Document):
	pass
