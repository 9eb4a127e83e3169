# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from key_account_mgmt.write_guards import AppDocument


class KeyAccountPlan(AppDocument, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		direction: DF.Literal["From the Account", "To the Account"]
		due_date: DF.Date
		key_account: DF.Link
		notes: DF.SmallText | None
		period_start: DF.Date
		plan_file: DF.Attach | None
		plan_type: DF.Literal[
			"Annual Market Plan",
			"Soft and Hard Advertising Plan",
			"Short Promotion Plan",
			"Annual Marketing Spend Plan",
			"Quarterly Marketing Spend Plan",
			"Annual Brand Sales Plan",
			"Major Events Plan",
			"Seasonal Promotion Schedule",
		]
		received_on: DF.Date | None
		status: DF.Literal["Expected", "Received", "Overdue"]

	# end: auto-generated types
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
