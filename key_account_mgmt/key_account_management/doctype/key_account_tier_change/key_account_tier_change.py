# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class KeyAccountTierChange(Document):
	def validate(self):
		if not self.is_new():
			frappe.throw(_("A tier change is a log entry and cannot be edited."), frappe.PermissionError)
