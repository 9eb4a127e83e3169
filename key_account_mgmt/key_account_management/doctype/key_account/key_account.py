# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.contacts.address_and_contact import load_address_and_contact
from frappe.model.document import Document

from key_account_mgmt.account_file.activity import stock_by_warehouse
from key_account_mgmt.account_file.profile import account_profile
from key_account_mgmt.account_file.qualification import evidence_texts, overall, refresh_qualifications
from key_account_mgmt.tiering.evaluation import Cause, evaluate_account
from key_account_mgmt.tiering.membership import (
	lock_joining_suppliers,
	release,
	stamp_suppliers,
	sync_membership,
	validate_suppliers,
)
from key_account_mgmt.tiering.settings import get_tiering_settings
from key_account_mgmt.write_guards import AppDocument


class KeyAccount(AppDocument, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_mgmt.key_account_management.doctype.key_account_annual_total.key_account_annual_total import (
			KeyAccountAnnualTotal,
		)
		from key_account_mgmt.key_account_management.doctype.key_account_supplier.key_account_supplier import (
			KeyAccountSupplier,
		)
		from key_account_mgmt.key_account_management.doctype.key_account_team_member.key_account_team_member import (
			KeyAccountTeamMember,
		)

		account_manager: DF.Link | None
		account_name: DF.Data
		annual_totals: DF.Table[KeyAccountAnnualTotal]
		brand: DF.Link | None
		business_goals: DF.SmallText | None
		computed_tier: DF.Data | None
		criterion_cooperates_well: DF.Check
		criterion_cooperates_well_evidence: DF.SmallText | None
		criterion_first_launch: DF.Check
		criterion_first_launch_evidence: DF.SmallText | None
		criterion_known_brand: DF.Check
		criterion_known_brand_evidence: DF.SmallText | None
		criterion_large_share: DF.Check
		criterion_large_share_evidence: DF.SmallText | None
		criterion_supply_priority: DF.Check
		criterion_supply_priority_evidence: DF.SmallText | None
		criterion_top_ten_brand: DF.Check
		criterion_top_ten_brand_evidence: DF.SmallText | None
		currency: DF.Link | None
		data_sharing: DF.Check
		development_direction: DF.SmallText | None
		group_structure: DF.SmallText | None
		history: DF.SmallText | None
		information_sharing: DF.Check
		its_competitors: DF.SmallText | None
		its_suppliers: DF.SmallText | None
		joint_marketing: DF.Check
		last_evaluated: DF.Datetime | None
		lock_reason: DF.SmallText | None
		locked_tier: DF.Autocomplete | None
		market_share_and_rank: DF.SmallText | None
		point_of_sale_cooperation: DF.Check
		price_maintenance: DF.SmallText | None
		product_market_fit: DF.SmallText | None
		product_positioning: DF.SmallText | None
		purchase_amount: DF.Currency
		qualification_evaluated_on: DF.Datetime | None
		qualifies: DF.Check
		resources_and_customers: DF.SmallText | None
		sales_situation: DF.SmallText | None
		service_mode: DF.Literal["", "Consultant", "Resident / On-site", "Standard"]
		suppliers: DF.Table[KeyAccountSupplier]
		team: DF.Table[KeyAccountTeamMember]
		tier: DF.Data | None
		tier_locked: DF.Check
		window_from: DF.Date | None
		window_to: DF.Date | None

	# end: auto-generated types
	def load_doc_before_save(self, *args, **kwargs):
		# Frappe locks the account and its rows here, first thing in a save; suppliers joining it are
		# locked before that, so two managers claiming one supplier queue on it (tiering/membership.py).
		lock_joining_suppliers(self.name, self.supplier_names())
		return super().load_doc_before_save(*args, **kwargs)

	def onload(self):
		load_address_and_contact(self)
		account_profile(self)
		self.set_onload("stock_by_warehouse", stock_by_warehouse(self.brand))
		self.set_onload("evidence", evidence_texts(self))

	def validate(self):
		self.validate_supplier_membership()
		self.validate_tier_lock()
		self.validate_team()
		self.set_qualifies()

	def on_update(self):
		before = self.get_doc_before_save()
		added, removed = self.supplier_changes(before)
		if not (added or removed or self.lock_changed()):
			return
		settings = get_tiering_settings()
		sync_membership(self.name, added, removed, settings)
		cause = Cause.SUPPLIER_CHANGE if (added or removed or before is None) else Cause.MANUAL_LOCK
		# Frappe read the stored annual totals under lock (load_doc_before_save): only those years can
		# empty, and the years without purchases get no rows to insert and delete again.
		stored_years = {row.fiscal_year for row in before.annual_totals} if before else set()
		result = evaluate_account(
			self.name, cause, self.doctype, self.name, settings, vanishing_years=stored_years
		)
		stamp_suppliers(self.name, result.tier)
		self.load_from_db()

	def on_trash(self):
		# The Tier Change rows stay: they are the audit trail, and while they link here Frappe refuses
		# the deletion.
		release(self.supplier_names())

	def set_qualifies(self):
		# Criteria 2 and 3 come from a scan of a year's sales: the Refresh Qualification button and the
		# daily job run it, not every save.
		self.qualifies = overall(self)

	def validate_supplier_membership(self):
		validate_suppliers(self.name, self.supplier_names())

	def validate_tier_lock(self):
		if not self.tier_locked:
			self.locked_tier = None
			self.lock_reason = None
			return
		tiers = get_tiering_settings().tier_names
		# A lock whose tier a later band change took away stays until a manager changes it: it must not
		# make every other edit of the account fail.
		if self.lock_changed() and self.locked_tier not in tiers:
			frappe.throw(
				_("Locked tier must be one of {0}.").format(", ".join(_(tier) for tier in tiers)),
				title=_("Invalid Locked Tier"),
			)
		if not (self.lock_reason or "").strip():
			frappe.throw(_("Give the reason for locking the tier."), title=_("Reason Required"))

	def lock_changed(self) -> bool:
		before = self.get_doc_before_save()
		return before is None or (before.tier_locked, before.locked_tier) != (
			self.tier_locked,
			self.locked_tier,
		)

	def validate_team(self):
		seen = set()
		for row in self.team:
			if (row.user, row.team_role) in seen:
				frappe.throw(
					_("Row {0}: {1} is listed as {2} twice.").format(row.idx, row.user, _(row.team_role)),
					title=_("Duplicate Team Member"),
				)
			seen.add((row.user, row.team_role))

	def supplier_names(self) -> list[str]:
		return [row.supplier for row in self.suppliers if row.supplier]

	def supplier_changes(self, before) -> tuple[set[str], set[str]]:
		now = set(self.supplier_names())
		previous = set(before.supplier_names()) if before else set()
		return now - previous, previous - now


@frappe.whitelist(methods=["POST"])
def refresh_qualification(name: str | None = None) -> dict:
	from key_account_mgmt import inputs

	name = inputs.name(name, _("Key Account"))
	account = frappe.get_doc("Key Account", name)
	account.check_permission("write")
	if refresh_qualifications([account.name]):
		frappe.throw(
			_("The qualification of {0} could not be refreshed; the Error Log says why.").format(
				account.name
			),
			title=_("Qualification Not Refreshed"),
		)
	return frappe.get_doc("Key Account", name).as_dict()


def on_doctype_update():
	from key_account_mgmt.tiering.ledger import widen_amount_columns

	widen_amount_columns(["Key Account"])
