# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from key_account_mgmt.marketing.promotions import (
	COMPLETED,
	EVALUATED,
	keep_approved_plan,
	record_result,
	set_return_on_cost,
	validate_cost_shares,
	validate_evaluation,
	validate_no_repeats,
	validate_period,
)
from key_account_mgmt.write_guards import AppDocument


class JointPromotion(AppDocument, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_mgmt.key_account_management.doctype.joint_promotion_item.joint_promotion_item import (
			JointPromotionItem,
		)
		from key_account_mgmt.key_account_management.doctype.joint_promotion_territory.joint_promotion_territory import (
			JointPromotionTerritory,
		)
		from key_account_mgmt.key_account_management.doctype.joint_promotion_warehouse.joint_promotion_warehouse import (
			JointPromotionWarehouse,
		)

		account_share_percent: DF.Percent
		account_support: DF.SmallText | None
		actual_cost: DF.Currency
		baseline_from: DF.Date | None
		baseline_sales: DF.Currency
		baseline_to: DF.Date | None
		cooperation_form: DF.Literal[
			"Soft Advertising",
			"On-Site Promotion",
			"Common Price System",
			"New-Product / Press Launch",
			"Problem Solving",
			"Promotion Advertising Plan",
			"New-Product Strategy",
		]
		display_requirements: DF.SmallText | None
		dm_design: DF.Attach | None
		from_date: DF.Date
		items: DF.TableMultiSelect[JointPromotionItem]
		key_account: DF.Link
		leaflet_design: DF.Attach | None
		our_share_percent: DF.Percent
		promotion_sales: DF.Currency
		return_on_cost: DF.Float
		territories: DF.TableMultiSelect[JointPromotionTerritory]
		title: DF.Data
		to_date: DF.Date
		total_budget: DF.Currency
		uplift_amount: DF.Currency
		uplift_percent: DF.Percent
		venue_requirements: DF.SmallText | None
		warehouses: DF.TableMultiSelect[JointPromotionWarehouse]
		workflow_state: DF.Link | None

	# end: auto-generated types
	def validate(self):
		keep_approved_plan(self)
		validate_period(self)
		validate_cost_shares(self)
		validate_no_repeats(self)
		self.measure_when_completed()
		set_return_on_cost(self)

	def measure_when_completed(self):
		if not self.has_value_changed("workflow_state"):
			return
		if self.workflow_state == COMPLETED:
			record_result(self)
		elif self.workflow_state == EVALUATED:
			validate_evaluation(self)
