# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class KeyAccountPurchaseEntry(Document):
	def validate(self):
		if not self.is_new():
			frappe.throw(_("Ledger entries are written by posting Purchase Invoices and cannot be edited."), frappe.PermissionError)
