# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class KeyAccountSalesSummary(Document):
	def validate(self):
		frappe.throw(
			_(
				"The sales summary is written by submitting and cancelling Sales Invoices and cannot be edited."
			),
			frappe.PermissionError,
		)


def on_doctype_update():
	from key_account_mgmt.analysis.sales_summary import add_indexes

	add_indexes()
