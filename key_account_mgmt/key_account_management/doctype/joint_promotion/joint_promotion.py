# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from key_account_mgmt.marketing.promotions import (
	COMPLETED,
	EVALUATED,
	record_result,
	set_return_on_cost,
	validate_cost_shares,
	validate_evaluation,
	validate_period,
)


class JointPromotion(Document):
	def validate(self):
		validate_period(self)
		validate_cost_shares(self)
		self.measure_when_completed()
		set_return_on_cost(self)

	def measure_when_completed(self):
		if not self.has_value_changed("workflow_state"):
			return
		if self.workflow_state == COMPLETED:
			record_result(self)
		elif self.workflow_state == EVALUATED:
			validate_evaluation(self)
