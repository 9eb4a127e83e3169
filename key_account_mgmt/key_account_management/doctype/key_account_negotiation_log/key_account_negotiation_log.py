# Copyright (c) 2026, Key Account Mgmt Developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document

from key_account_mgmt.account_file.negotiations import (
	clear_todo_links,
	close_agreement_todos,
	create_agreement_todos,
	keep_todo_links,
	refuse_agreement_rows_after_submit,
	update_last_contact_dates,
	validate_agreement_dates,
	validate_counterparts_belong_to_account,
	validate_participants,
)
from key_account_mgmt.write_guards import AppDocument


class KeyAccountNegotiationLog(AppDocument, Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from key_account_mgmt.key_account_management.doctype.key_account_agreement.key_account_agreement import (
			KeyAccountAgreement,
		)
		from key_account_mgmt.key_account_management.doctype.key_account_negotiation_counterpart.key_account_negotiation_counterpart import (
			KeyAccountNegotiationCounterpart,
		)
		from key_account_mgmt.key_account_management.doctype.key_account_negotiation_participant.key_account_negotiation_participant import (
			KeyAccountNegotiationParticipant,
		)

		agreements: DF.Table[KeyAccountAgreement]
		amended_from: DF.Link | None
		key_account: DF.Link
		negotiation_datetime: DF.Datetime
		our_participants: DF.Table[KeyAccountNegotiationParticipant]
		place_or_channel: DF.Data | None
		subject: DF.Data
		summary: DF.TextEditor | None
		their_participants: DF.Table[KeyAccountNegotiationCounterpart]

	# end: auto-generated types
	def validate(self):
		clear_todo_links(self)
		validate_participants(self)
		validate_counterparts_belong_to_account(self)
		validate_agreement_dates(self)

	def on_submit(self):
		create_agreement_todos(self)
		update_last_contact_dates(self)

	def before_update_after_submit(self):
		refuse_agreement_rows_after_submit(self)
		keep_todo_links(self)

	def on_update_after_submit(self):
		validate_agreement_dates(self)
		close_agreement_todos(self)
		create_agreement_todos(self)

	def before_cancel(self):
		keep_todo_links(self)

	def on_cancel(self):
		close_agreement_todos(self, cancelled=True)
