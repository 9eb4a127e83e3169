# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from key_account_mgmt.tiering.core import BOUND_LIMIT, Band, BandProblem, band_issues
from key_account_mgmt.tiering.evaluation import Cause
from key_account_mgmt.tiering.persistence import lock_accounts
from key_account_mgmt.tiering.reevaluation import enqueue_reevaluation
from key_account_mgmt.tiering.settings import settings_from_doc
from key_account_mgmt.write_guards import AppDocument

BAND_MESSAGES = {
	BandProblem.NO_BANDS: lambda issue: _("Add at least one tier band."),
	BandProblem.MISSING_NAME: lambda issue: _("Tier band in row {0} has no name.").format(issue.row),
	BandProblem.DUPLICATE_NAME: lambda issue: _("Tier band {0} in row {1} is named twice.").format(
		frappe.bold(issue.tier), issue.row
	),
	BandProblem.NOT_POSITIVE: lambda issue: _(
		"Tier band {0} in row {1} needs a lower bound above zero."
	).format(frappe.bold(issue.tier), issue.row),
	BandProblem.NOT_INCREASING: lambda issue: _(
		"Tier band {0} in row {1} must start above the band before it: list the bands from the lowest bound to the highest."
	).format(frappe.bold(issue.tier), issue.row),
	BandProblem.TOO_LARGE: lambda issue: _("Tier band {0} in row {1} needs a lower bound below {2}.").format(
		frappe.bold(issue.tier), issue.row, f"{BOUND_LIMIT:,.0f}"
	),
}


class KeyAccountSettings(AppDocument, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_mgmt.key_account_management.doctype.key_account_company.key_account_company import (
			KeyAccountCompany,
		)
		from key_account_mgmt.key_account_management.doctype.key_account_tier_band.key_account_tier_band import (
			KeyAccountTierBand,
		)

		amount_basis: DF.Literal["Net Total", "Grand Total"]
		companies: DF.TableMultiSelect[KeyAccountCompany]
		large_share_percent: DF.Percent
		measurement_window: DF.Literal["Rolling 12 Months", "Fiscal Year"]
		plan_grace_days: DF.Int
		threshold_currency: DF.Link
		tier_bands: DF.Table[KeyAccountTierBand]

	# end: auto-generated types
	def load_doc_before_save(self, *args, **kwargs):
		# Frappe locks the settings here, first thing in a save; the engine's lock order puts every Key
		# Account row before them (tiering/persistence.py). Held until the save commits, those rows keep
		# the re-evaluation job this save queues from evaluating any account with the older settings.
		lock_accounts()
		return super().load_doc_before_save(*args, **kwargs)

	def validate(self):
		self.validate_tier_bands()
		self.validate_companies()

	def on_update(self):
		before = self.get_doc_before_save()
		if before is None:
			return
		settings, previous = settings_from_doc(self), settings_from_doc(before)
		if settings == previous:
			return
		cause = Cause.BAND_CHANGE if settings.bands != previous.bands else Cause.SETTINGS_CHANGE
		enqueue_reevaluation(cause)
		frappe.msgprint(
			_(
				"Every key account is re-evaluated with these settings in the background; this form shows the progress."
			),
			title=_("Re-evaluation Started"),
		)

	def validate_tier_bands(self):
		bands = [Band(row.tier, row.lower_bound) for row in self.tier_bands]
		issues = band_issues(bands)
		if issues:
			frappe.throw(
				"<br>".join(BAND_MESSAGES[issue.problem](issue) for issue in issues),
				title=_("Invalid Tier Bands"),
			)
		for row in self.tier_bands:
			row.tier = row.tier.strip()

	def validate_companies(self):
		companies = [row.company for row in self.companies]
		if len(companies) != len(set(companies)):
			frappe.throw(_("Each company may be listed once."), title=_("Duplicate Company"))
