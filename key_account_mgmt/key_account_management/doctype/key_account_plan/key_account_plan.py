# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate


class KeyAccountPlan(Document):
	def validate(self):
		self.validate_due_date()
		self.set_received_on()

	def validate_due_date(self):
		if getdate(self.due_date) < getdate(self.period_start):
			frappe.throw(_("A plan cannot fall due before its period starts."), title=_("Invalid Due Date"))

	def set_received_on(self):
		if self.status == "Received" and not self.received_on:
			self.received_on = getdate()
		elif self.status != "Received":
			self.received_on = None
