# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class KeyAccountPurchaseMonth(Document):
	# begin: auto-generated types
	# end: auto-generated types
	def validate(self):
		frappe.throw(
			_("Monthly purchase sums are recomputed from the purchase ledger and cannot be edited."),
			frappe.PermissionError,
		)


def on_doctype_update():
	from key_account_mgmt.tiering.purchase_months import add_indexes

	add_indexes()
