# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from key_account_mgmt.tiering.evaluation import Cause, evaluate_account
from key_account_mgmt.tiering.membership import release, stamp_suppliers, sync_membership, validate_suppliers
from key_account_mgmt.tiering.settings import get_tiering_settings


class KeyAccount(Document):
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

		account_manager: DF.Link | None
		account_name: DF.Data
		annual_totals: DF.Table[KeyAccountAnnualTotal]
		brand: DF.Link | None
		computed_tier: DF.Data | None
		currency: DF.Link | None
		last_evaluated: DF.Datetime | None
		lock_reason: DF.SmallText | None
		locked_tier: DF.Autocomplete | None
		purchase_amount: DF.Currency
		suppliers: DF.Table[KeyAccountSupplier]
		tier: DF.Data | None
		tier_locked: DF.Check
		window_from: DF.Date | None
		window_to: DF.Date | None

	# end: auto-generated types
	def validate(self):
		self.validate_supplier_membership()
		self.validate_tier_lock()

	def on_update(self):
		before = self.get_doc_before_save()
		added, removed = self.supplier_changes(before)
		lock_changed = before is None or (before.tier_locked, before.locked_tier) != (
			self.tier_locked,
			self.locked_tier,
		)
		if not (added or removed or lock_changed):
			return
		settings = get_tiering_settings()
		sync_membership(self.name, added, removed, settings)
		cause = Cause.SUPPLIER_CHANGE if (added or removed or before is None) else Cause.MANUAL_LOCK
		result = evaluate_account(self.name, cause, self.doctype, self.name, settings)
		stamp_suppliers(self.name, result.tier)
		self.load_from_db()

	def on_trash(self):
		release(self.supplier_names())
		frappe.db.delete("Key Account Tier Change", {"key_account": self.name})

	def validate_supplier_membership(self):
		validate_suppliers(self.name, self.supplier_names())

	def validate_tier_lock(self):
		if not self.tier_locked:
			self.locked_tier = None
			self.lock_reason = None
			return
		tiers = get_tiering_settings().tier_names
		if self.locked_tier not in tiers:
			frappe.throw(
				_("Locked tier must be one of {0}.").format(", ".join(_(tier) for tier in tiers)),
				title=_("Invalid Locked Tier"),
			)
		if not (self.lock_reason or "").strip():
			frappe.throw(_("Give the reason for locking the tier."), title=_("Reason Required"))

	def supplier_names(self) -> list[str]:
		return [row.supplier for row in self.suppliers if row.supplier]

	def supplier_changes(self, before) -> tuple[set[str], set[str]]:
		now = set(self.supplier_names())
		previous = set(before.supplier_names()) if before else set()
		return now - previous, previous - now
