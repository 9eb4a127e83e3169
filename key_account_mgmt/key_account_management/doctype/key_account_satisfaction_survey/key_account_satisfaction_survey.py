# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from key_account_mgmt.write_guards import AppDocument

LOWEST, HIGHEST = 1, 5


class KeyAccountSatisfactionSurvey(AppDocument, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_mgmt.key_account_management.doctype.key_account_satisfaction_score.key_account_satisfaction_score import (
			KeyAccountSatisfactionScore,
		)

		average_score: DF.Float
		key_account: DF.Link
		respondent: DF.Link | None
		scores: DF.Table[KeyAccountSatisfactionScore]
		survey_date: DF.Date
		surveyed_by: DF.Link | None

	# end: auto-generated types
	def validate(self):
		self.validate_scores()
		self.validate_respondent()
		self.set_average_score()

	def validate_scores(self):
		seen = set()
		for row in self.scores:
			if not LOWEST <= (row.score or 0) <= HIGHEST:
				frappe.throw(
					_("Row {0}: a score is from {1} to {2}.").format(row.idx, LOWEST, HIGHEST),
					title=_("Invalid Score"),
				)
			if row.dimension in seen:
				frappe.throw(
					_("Row {0}: {1} is scored twice.").format(row.idx, row.dimension),
					title=_("Duplicate Dimension"),
				)
			seen.add(row.dimension)

	def validate_respondent(self):
		if (
			self.respondent
			and frappe.db.get_value("Key Account Contact Role", self.respondent, "key_account")
			!= self.key_account
		):
			frappe.throw(
				_("{0} is not a contact of key account {1}.").format(
					self.respondent, frappe.bold(self.key_account)
				),
				title=_("Contact of Another Account"),
			)

	def set_average_score(self):
		self.average_score = (
			round(sum(row.score for row in self.scores) / len(self.scores), 2) if self.scores else 0
		)
