"""The desk shows tiers by band rank: one colour per rank everywhere, tier cards and the donut that
follow the bands in force, tier names in the reader's language."""

import json

import frappe
from frappe.desk.desktop import get_desktop_page

from key_account_mgmt.desk import tiers
from key_account_mgmt.tests.factories import KeyAccountFactory, PurchaseInvoiceFactory, UserFactory
from key_account_mgmt.tests.utils import KeyAccountTestCase, set_tier_bands


class TestDeskTiers(KeyAccountTestCase):
	@classmethod
	def make_class_records(cls):
		cls.manager = UserFactory(roles_held=["Key Account Manager"]).name
		cls.finance = UserFactory(roles_held=["Accounts User", "Purchase User"]).name

	def setUp(self):
		super().setUp()
		lang = frappe.local.lang
		self.addCleanup(setattr, frappe.local, "lang", lang)
		# runs before the rollback: no renamed card label stays cached
		self.addCleanup(frappe.clear_document_cache, "Workspace", tiers.WORKSPACE)

	def as_user(self, user: str, lang: str = "en") -> None:
		frappe.set_user(user)
		frappe.local.lang = lang

	def card_labels(self) -> list[str]:
		page = get_desktop_page(json.dumps({"name": tiers.WORKSPACE, "title": tiers.WORKSPACE}))
		return [card.label for card in page["number_cards"]["items"]]

	def top_account(self) -> str:
		account = KeyAccountFactory()
		PurchaseInvoiceFactory(supplier=account.suppliers[0].supplier, amount=60_000_000)
		return account.name

	def test_a_renamed_band_keeps_the_tier_cards_right(self):
		account = self.top_account()
		self.as_user(self.manager)
		set_tier_bands({"Ordinary": 5_000_000, "Partner": 20_000_000, "Platinum": 50_000_000})

		self.as_user(self.finance)
		self.assertEqual(
			self.card_labels()[:3], ["Platinum Key Accounts", "Partner Key Accounts", "Ordinary Key Accounts"]
		)
		top = tiers.accounts_in_band(json.dumps({"band_from_top": 1}))
		self.assertEqual(frappe.db.get_value("Key Account", account, "tier"), "Platinum")
		self.assertEqual(top["value"], frappe.db.count("Key Account", {"tier": "Platinum"}))
		self.assertGreaterEqual(top["value"], 1)
		self.assertEqual(top["route_options"], {"tier": "Platinum"})
		self.assertEqual(frappe.db.get_value("Number Card", tiers.TIER_CARDS[0], "color"), "#9c45e3")

	def test_fewer_bands_leave_the_surplus_card_empty(self):
		self.as_user(self.manager)
		set_tier_bands({"Silver": 5_000_000, "Gold": 20_000_000})
		self.as_user(self.finance)
		self.assertEqual(
			self.card_labels()[:3], ["Gold Key Accounts", "Silver Key Accounts", "Unused Tier Card"]
		)
		self.assertEqual(tiers.accounts_in_band(json.dumps({"band_from_top": 3}))["value"], 0)

	def test_the_donut_lists_bands_by_rank_in_the_readers_language_with_rank_colours(self):
		self.top_account()
		self.as_user(self.finance, "zh")
		data = tiers.accounts_by_tier()
		self.assertEqual(data["labels"], ["非大客户", "普通大客户", "伙伴式大客户", "战略性大客户"])
		self.assertGreaterEqual(data["datasets"][0]["values"][3], 1)
		colours = json.loads(frappe.db.get_value("Dashboard Chart", tiers.DONUT_CHART, "custom_options"))
		# slice i has colour i: gray, then the rank colours as every other place shows them
		self.assertEqual(colours["colors"][0], tiers.NO_TIER_COLOUR[1])
		for rank, tier in enumerate(["Ordinary", "Partner", "Strategic"], start=1):
			self.assertEqual(colours["colors"][rank], tiers.tier_colour(tier)[1])

	def test_the_desk_gets_one_colour_per_band_rank(self):
		self.as_user(self.manager)
		set_tier_bands({"Bronze": 1_000_000, "Silver": 5_000_000, "Gold": 20_000_000, "Diamond": 90_000_000})
		self.as_user(self.finance)
		bootinfo = frappe._dict()
		tiers.extend_bootinfo(bootinfo)
		self.assertEqual(
			bootinfo.key_account_tiers,
			{
				"bands": ["Bronze", "Silver", "Gold", "Diamond"],
				"colours": ["blue", "green", "purple", "orange"],
				"no_tier": "gray",
			},
		)

	def test_the_forecast_counts_each_band_in_its_rank_colour(self):
		from key_account_mgmt.key_account_management.report.tier_forecast import tier_forecast

		self.as_user(self.manager)
		set_tier_bands({"Bronze": 1_000_000, "Silver": 5_000_000, "Gold": 20_000_000, "Diamond": 90_000_000})
		self.as_user(self.finance)
		*_rest, summary = tier_forecast.execute({})
		self.assertEqual(
			[item["indicator"] for item in summary], ["blue", "green", "purple", "orange", "gray"]
		)

	def test_the_tier_figures_are_for_those_who_read_key_accounts(self):
		self.as_user(UserFactory(roles_held=["Stock User"]).name)
		with self.assertRaises(frappe.PermissionError):
			tiers.accounts_in_band(json.dumps({"band_from_top": 1}))
		with self.assertRaises(frappe.PermissionError):
			tiers.accounts_by_tier()
