"""Telling people about a tier change: the poster's message, and a desk notification for the account
manager and every Key Account Manager, each in the reader's own language."""

from collections import defaultdict

import frappe
from frappe import _
from frappe.utils import fmt_money

from key_account_mgmt.language import in_language, user_language
from key_account_mgmt.tiering.persistence import TierChange
from key_account_mgmt.tiering.settings import FISCAL_YEAR, TieringSettings


def tier_change_message(change: TierChange, settings: TieringSettings) -> str:
	"""'Midea: Ordinary → Partner, rolling 12-month purchases 20,150,000 CNY'; a tier a manager locked
	says so, and which tier the purchases alone give, rather than an amount outside the tier's band."""
	no_tier = _("no tier")
	if change.to_tier and change.to_tier != change.evaluation.tier:
		return _("{0}: {1} → {2}, tier locked by a manager (its purchases give {3})").format(
			change.account,
			_(change.from_tier) if change.from_tier else no_tier,
			_(change.to_tier),
			_(change.evaluation.tier) if change.evaluation.tier else no_tier,
		)
	window = (
		_("rolling 12-month purchases")
		if settings.window != FISCAL_YEAR
		else _("fiscal-year purchases ({0} to {1})").format(
			frappe.format(change.evaluation.window.start, "Date"),
			frappe.format(change.evaluation.window.end, "Date"),
		)
	)
	return _("{0}: {1} → {2}, {3} {4} {5}").format(
		change.account,
		_(change.from_tier) if change.from_tier else no_tier,
		_(change.to_tier) if change.to_tier else no_tier,
		window,
		fmt_money(change.evaluation.amount, precision=0),
		settings.currency,
	)


def recipients(account: dict) -> list[str]:
	"""The account manager and every Key Account Manager, never Administrator."""
	users = set(
		frappe.get_all(
			"Has Role", filters={"role": "Key Account Manager", "parenttype": "User"}, pluck="parent"
		)
	)
	if account.account_manager:
		users.add(account.account_manager)
	users.discard("Administrator")
	return sorted(users)


def notify_tier_change(account: dict, change: TierChange, settings: TieringSettings) -> None:
	"""A desk notification (and its e-mail) for each recipient, written in the recipient's language
	rather than the poster's, sent after commit."""
	by_language = defaultdict(list)
	for user in recipients(account):
		by_language[user_language(user)].append(user)
	for language, users in sorted(by_language.items()):
		with in_language(language):
			subject = tier_change_message(change, settings)
		frappe.enqueue(
			"frappe.desk.doctype.notification_log.notification_log.make_notification_logs",
			doc=frappe._dict(
				type="Alert",
				document_type="Key Account",
				document_name=account.name,
				subject=subject,
				from_user=frappe.session.user,
			),
			users=users,
			now=frappe.flags.in_test,
			enqueue_after_commit=True,
		)
	announce_live(account.name)


def announce_live(account: str) -> None:
	"""Whoever has the account open sees its new tier without a reload, and its list row changes: the
	engine writes the figures with SQL, which sends none of the updates a document save sends. The
	update carries no `modified` (the engine leaves it), so every open form reloads."""
	frappe.publish_realtime(
		"doc_update",
		{"modified": None, "doctype": "Key Account", "name": account},
		doctype="Key Account",
		docname=account,
		after_commit=True,
	)
	frappe.publish_realtime(
		"list_update",
		{"doctype": "Key Account", "name": account, "user": frappe.session.user},
		after_commit=True,
	)
