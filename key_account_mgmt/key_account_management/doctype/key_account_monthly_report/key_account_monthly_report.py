# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from key_account_mgmt.marketing.monthly_reports import normalise_month, validate_one_per_account_and_month
from key_account_mgmt.write_guards import AppDocument


class KeyAccountMonthlyReport(AppDocument, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_mgmt.key_account_management.doctype.monthly_report_competitor.monthly_report_competitor import (
			MonthlyReportCompetitor,
		)
		from key_account_mgmt.key_account_management.doctype.monthly_report_item_group.monthly_report_item_group import (
			MonthlyReportItemGroup,
		)
		from key_account_mgmt.key_account_management.doctype.monthly_report_region.monthly_report_region import (
			MonthlyReportRegion,
		)

		brand: DF.Link | None
		brand_rank: DF.Int
		brands_count: DF.Int
		competitor_model_mix: DF.SmallText | None
		competitor_sales_view: DF.SmallText | None
		competitors: DF.Table[MonthlyReportCompetitor]
		generated_on: DF.Datetime | None
		inventory_and_orders: DF.SmallText | None
		item_groups: DF.Table[MonthlyReportItemGroup]
		key_account: DF.Link
		model_strengths: DF.SmallText | None
		month: DF.Date
		national_sales_amount: DF.Currency
		national_sales_qty: DF.Float
		our_share_of_brand: DF.SmallText | None
		regions: DF.Table[MonthlyReportRegion]
		requests_and_suggestions: DF.SmallText | None

	# end: auto-generated types
	def before_naming(self):
		# the name is built from the month: normalise before it is
		normalise_month(self)

	def before_validate(self):
		super().before_validate()
		normalise_month(self)

	def validate(self):
		validate_one_per_account_and_month(self)


@frappe.whitelist(methods=["POST"])
def regenerate(name: str | None = None) -> None:
	from frappe import _

	from key_account_mgmt import inputs
	from key_account_mgmt.marketing.monthly_reports import generate

	name = inputs.name(name, _("Key Account Monthly Report"))
	report = frappe.get_doc("Key Account Monthly Report", name)
	report.check_permission("write")
	generate(report.key_account, report.month)
