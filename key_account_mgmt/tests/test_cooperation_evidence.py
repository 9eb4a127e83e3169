"""Qualification criterion 4 (cooperates well) from the account's own Key Account Plans, Monthly
Reports, submitted Negotiation Logs and approved Joint Promotions, against figures worked out by hand.
The period is the twelve months to 30 June 2026, passed to the job as its day."""

import json
import unittest
from datetime import datetime

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import getdate
from freezegun import freeze_time

from key_account_mgmt.account_file.cooperation_evidence import quarters, refresh_cooperation_criterion
from key_account_mgmt.account_file.qualification import evidence_text
from key_account_mgmt.key_account_management.doctype.key_account.key_account import refresh_qualification
from key_account_mgmt.tests.factories import (
	JointPromotionFactory,
	KeyAccountFactory,
	NegotiationLogFactory,
	UserFactory,
)
from key_account_mgmt.tests.utils import KeyAccountTestCase
from key_account_mgmt.tiering.core import Window

TODAY = "2026-06-30"


def plan(account, due, received_on=None, direction="From the Account", plan_type="Annual Market Plan"):
	return frappe.get_doc(
		{
			"doctype": "Key Account Plan",
			"key_account": account,
			"plan_type": plan_type,
			"direction": direction,
			"period_start": due,
			"due_date": due,
			"status": "Received" if received_on else "Expected",
			"received_on": received_on,
		}
	).insert()


def monthly_report(account, month, **answers):
	return frappe.get_doc(
		{"doctype": "Key Account Monthly Report", "key_account": account, "month": month, **answers}
	).insert()


def negotiate(account, on, submit=True):
	return NegotiationLogFactory(key_account=account, negotiation_datetime=on, submit=submit)


def promote(account, on, account_share, approve=True):
	"""A promotion a Key Account User proposes and, when `approve`, a Key Account Manager approves."""
	user = UserFactory(roles_held=["Key Account User"]).name
	manager = UserFactory(roles_held=["Key Account Manager"]).name
	frappe.set_user(user)
	promotion = JointPromotionFactory(
		key_account=account,
		from_date=on,
		to_date=on,
		our_share_percent=100 - account_share,
		account_share_percent=account_share,
	)
	if approve:
		apply_workflow(promotion, "Propose")
		frappe.set_user(manager)
		apply_workflow(frappe.get_doc("Joint Promotion", promotion.name), "Approve")
	frappe.set_user("Administrator")
	return promotion


class TestCooperatesWell(KeyAccountTestCase):
	def setUp(self):
		super().setUp()
		self.good = KeyAccountFactory().name
		self.poor = KeyAccountFactory().name
		self.quiet = KeyAccountFactory().name

		# The good account: of 5 plans due from it in the period, 4 came on or before the due date, one
		# 3 days late; a plan due to it and one due before the period do not count.
		plan(self.good, "2026-01-01", "2025-12-28")
		plan(self.good, "2026-04-01", "2026-04-01", plan_type="Soft and Hard Advertising Plan")
		plan(self.good, "2026-01-01", "2026-01-01", plan_type="Annual Marketing Spend Plan")
		plan(self.good, "2026-01-01", "2026-01-01", plan_type="Annual Brand Sales Plan")
		plan(self.good, "2026-01-01", "2026-01-04", plan_type="Short Promotion Plan")
		plan(self.good, "2026-01-01", plan_type="Major Events Plan", direction="To the Account")
		plan(self.good, "2025-01-01", "2025-03-01")
		# 2 of 2 monthly reports answered; 5 negotiations submitted (and a draft) = 1.25 a quarter;
		# 2 promotions approved, one with a share borne by the account; a proposal not yet approved.
		monthly_report(self.good, "2026-04-01", requests_and_suggestions="More stock for the 618 sale")
		monthly_report(self.good, "2026-05-01", model_strengths="The new range sells")
		for on in ("2025-08-10", "2025-11-10", "2026-02-10", "2026-05-10", "2026-06-30 18:00"):
			negotiate(self.good, on)
		negotiate(self.good, "2026-03-10", submit=False)
		promote(self.good, "2026-03-01", 40)
		promote(self.good, "2026-04-01", 0)
		promote(self.good, "2026-05-01", 50, approve=False)

		# The poor account: 1 of 2 plans on time, 1 of 3 reports answered, 3 negotiations = 0.75 a quarter
		# (one before the period does not count).
		plan(self.poor, "2026-01-01", "2026-01-01")
		plan(self.poor, "2026-04-01", plan_type="Soft and Hard Advertising Plan")
		monthly_report(self.poor, "2026-03-01", inventory_and_orders="Low")
		monthly_report(self.poor, "2026-04-01")
		monthly_report(self.poor, "2026-05-01")
		for on in ("2025-06-30 09:00", "2025-09-01", "2026-01-15", "2026-04-15"):
			negotiate(self.poor, on)

	def evidence(self, account) -> tuple[int, dict]:
		measured, figures = frappe.db.get_value(
			"Key Account",
			account,
			["criterion_cooperates_well_measured", "criterion_cooperates_well_figures"],
		)
		return measured, json.loads(figures)

	def figures(self, evidence: dict) -> tuple:
		return tuple(
			evidence[key]
			for key in (
				"plans_due",
				"plans_on_time",
				"plans_on_time_rate",
				"reports",
				"reports_answered",
				"reports_answered_rate",
				"negotiations",
				"negotiations_per_quarter",
				"promotions",
				"promotions_shared",
			)
		)

	def test_plans_reports_negotiations_and_promotions_of_the_period(self):
		self.assertEqual(refresh_cooperation_criterion(today=TODAY), [])
		measured, good = self.evidence(self.good)
		self.assertEqual((measured, *self.figures(good)), (1, 5, 4, 80.0, 2, 2, 100.0, 5, 1.25, 2, 1))
		self.assertEqual((good["from"], good["to"]), ("2025-07-01", TODAY))

		measured, poor = self.evidence(self.poor)
		self.assertEqual((measured, *self.figures(poor)), (0, 2, 1, 50.0, 3, 1, 33.3, 3, 0.75, 0, 0))

		# no plan and no report due: only the negotiations count, and there were none
		measured, quiet = self.evidence(self.quiet)
		self.assertEqual((measured, *self.figures(quiet)), (0, 0, 0, None, 0, 0, None, 0, 0.0, 0, 0))

	def test_the_thresholds_are_settings(self):
		refresh_cooperation_criterion([self.poor], today=TODAY)
		measured, poor = self.evidence(self.poor)
		self.assertEqual(
			(measured, poor["plans_threshold"], poor["reports_threshold"], poor["negotiations_threshold"]),
			(0, 80, 80, 1),
		)
		settings = frappe.get_single("Key Account Settings")
		settings.cooperation_plans_on_time_percent = 50
		settings.cooperation_reports_answered_percent = 30
		settings.cooperation_negotiations_per_quarter = 0.75
		settings.save()
		refresh_cooperation_criterion([self.poor], today=TODAY)
		measured, poor = self.evidence(self.poor)
		self.assertEqual(
			(measured, poor["plans_threshold"], poor["reports_threshold"], poor["negotiations_threshold"]),
			(1, 50, 30, 0.75),
		)

	def test_the_figures_are_the_job_s_alone_and_read_in_the_reader_s_language(self):
		refresh_cooperation_criterion(today=TODAY)
		frappe.set_user(UserFactory(roles_held=["Key Account Manager"]).name)
		account = frappe.get_doc("Key Account", self.poor)
		account.criterion_cooperates_well_measured = 1
		account.criterion_cooperates_well_figures = '{"kind": "cooperation", "plans_due": 9}'
		account.save()
		frappe.set_user("Administrator")
		measured, poor = self.evidence(self.poor)
		self.assertEqual((measured, poor["plans_due"]), (0, 2))

		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)
		account = frappe.get_doc("Key Account", self.good)
		account.run_method("onload")
		text = account.get_onload()["evidence"]["criterion_cooperates_well_figures"]
		self.assertIn("4 of 5 plans due from it came on time (80.0%); 2 of 2 monthly reports answered", text)
		self.assertIn("5 negotiations submitted (1.25 a quarter); 2 joint promotions approved, 1 with", text)
		self.assertIn("at least 80.0% of the plans", text)
		frappe.local.lang = "zh"
		self.assertIn("月度报告", evidence_text(account.criterion_cooperates_well_figures))

	def test_the_refresh_button_measures_criterion_4_of_its_account_only(self):
		frappe.set_user(UserFactory(roles_held=["Key Account User"]).name)
		with freeze_time(datetime(2026, 6, 30, 12)):
			refresh_qualification(self.good)
		frappe.set_user("Administrator")
		measured, good = self.evidence(self.good)
		self.assertEqual((measured, good["to"], good["plans_on_time"]), (1, TODAY, 4))
		self.assertIsNone(frappe.db.get_value("Key Account", self.poor, "criterion_cooperates_well_figures"))


class TestQuarters(unittest.TestCase):
	def test_twelve_months_to_any_day_are_four_quarters(self):
		for start, end in (
			("2025-07-01", "2026-06-30"),
			("2025-12-09", "2026-12-08"),
			("2023-03-01", "2024-02-29"),
		):
			with self.subTest(start=start):
				self.assertEqual(quarters(Window(getdate(start), getdate(end))), 4)
		self.assertEqual(quarters(Window(getdate("2026-01-01"), getdate("2026-03-31"))), 1)


class TestThresholdsOfSitesInstalledBefore(KeyAccountTestCase):
	def stored(self, patch) -> dict:
		singles = frappe.qb.DocType("Singles")
		return dict(
			frappe.qb.from_(singles)
			.select(singles.field, singles.value)
			.where((singles.doctype == patch.SETTINGS) & singles.field.isin(patch.FIELDS))
			.run()
		)

	def test_the_patch_stores_the_missing_thresholds_and_keeps_a_stored_one(self):
		from key_account_mgmt.patches.v0_2 import set_qualification_thresholds as patch

		singles = frappe.qb.DocType("Singles")
		frappe.qb.from_(singles).delete().where(
			(singles.doctype == patch.SETTINGS) & singles.field.isin(patch.FIELDS)
		).run()
		# a value the site stored is not overwritten, 0 included
		frappe.db.set_single_value(patch.SETTINGS, "cooperation_negotiations_per_quarter", 0)
		patch.execute()
		stored = {field: float(value) for field, value in self.stored(patch).items()}
		self.assertEqual(
			stored,
			{
				"cooperation_plans_on_time_percent": 80,
				"cooperation_reports_answered_percent": 80,
				"cooperation_negotiations_per_quarter": 0,
				"supply_fill_rate_percent": 95,
				"supply_on_time_percent": 90,
				"first_launch_min_new_items": 1,
			},
		)
