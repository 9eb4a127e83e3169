"""How tiers look wherever the desk shows them. Tier names are the bands' names in Key Account
Settings (data, which a site may rename), so everything here goes by band rank: one colour per rank,
defined here only, and the workspace's tier cards and donut follow the bands in force."""

from collections import Counter

import frappe
from frappe import _

from key_account_mgmt import inputs

# Lowest band first: the indicator colour (lists, forms, headlines, report summaries) and the same
# colour in hex (charts, number cards), from Frappe's palette.
RANK_COLOURS = (
	("blue", "#0289f7"),
	("green", "#59ba8b"),
	("purple", "#9c45e3"),
	("orange", "#e86c13"),
	("pink", "#e34aa6"),
	("cyan", "#34bae3"),
)
NO_TIER_COLOUR = ("gray", "#999999")

DONUT_CHART = "Key Accounts by Tier"
# The workspace's tier cards, the top band's first; cards beyond the number of bands count nothing.
TIER_CARDS = ("Strategic Key Accounts", "Partner Key Accounts", "Ordinary Key Accounts")
WORKSPACE = "Key Accounts"


def band_colour(rank: int) -> tuple[str, str]:
	"""(indicator, hex) of the band at `rank`, 0 being the lowest."""
	return RANK_COLOURS[rank % len(RANK_COLOURS)]


def tier_names() -> list[str]:
	"""The bands in force, lowest first (a plain read: for display, not for evaluation)."""
	return frappe.get_all(
		"Key Account Tier Band",
		filters={"parent": "Key Account Settings", "parenttype": "Key Account Settings"},
		order_by="lower_bound asc",
		pluck="tier",
	)


def tier_colour(tier: str | None, names: list[str] | None = None) -> tuple[str, str]:
	names = tier_names() if names is None else names
	if tier in names:
		return band_colour(names.index(tier))
	return NO_TIER_COLOUR


def extend_bootinfo(bootinfo) -> None:
	"""The bands and their colours for the desk's scripts (key_account_mgmt.js), fresh on every load."""
	names = tier_names()
	bootinfo.key_account_tiers = {
		"bands": names,
		"colours": [band_colour(rank)[0] for rank in range(len(names))],
		"no_tier": NO_TIER_COLOUR[0],
	}


def donut_colours() -> list[str]:
	"""The donut lists 'Not a key account' first and then the bands lowest first, so its colours do
	not depend on how many bands there are."""
	return [NO_TIER_COLOUR[1]] + [hex_colour for _indicator, hex_colour in RANK_COLOURS]


@frappe.whitelist()
def accounts_by_tier(chart_name: str | None = None, filters: str | None = None) -> dict:
	"""The donut's data: every band in rank order (with a slice for each, even an empty one) after the
	accounts below the lowest band, each label in the reader's language."""
	inputs.name(chart_name, _("Chart Name"), required=False)
	# the chart sends its filters as a list or an object; the donut counts every account either way
	inputs.json_value(filters, _("Filters"), kind=dict | list)
	names = tier_names()
	# Counted here rather than by a "count(name)" field: Frappe 16's get_list refuses SQL functions
	# given as strings, and Frappe 15's does not know the dict form that replaces them. One row per
	# key account the reader may see (a retailer has hundreds, not millions).
	counts = Counter(frappe.get_list("Key Account", pluck="tier"))
	unranked = sum(count for tier, count in counts.items() if tier not in names)
	return {
		# "No tier": the legend gives each label 150 px, which "Not a key account" overran onto the next
		"labels": [_("No tier")] + [_(name) for name in names],
		"datasets": [
			{"name": _("Key Accounts"), "values": [unranked] + [counts.get(name, 0) for name in names]}
		],
	}


@frappe.whitelist()
def accounts_in_band(filters: str | dict | None = None) -> dict:
	"""A tier card's number: the accounts in the band `band_from_top` (1 is the top band)."""
	frappe.has_permission("Key Account", "read", throw=True)
	filters = inputs.json_value(filters, _("Filters")) or {}
	names = tier_names()
	position = inputs.integer(
		filters.get("band_from_top"), _("Band from the Top"), minimum=1, maximum=100, default=1
	)
	if position > len(names):
		return {"value": 0, "fieldtype": "Int"}
	tier = names[-position]
	return {
		"value": frappe.db.count("Key Account", {"tier": tier}),
		"fieldtype": "Int",
		"route": ["List", "Key Account"],
		"route_options": {"tier": tier},
	}


def card_label(position: int, names: list[str]) -> str:
	"""Stored untranslated: the workspace translates card labels for each reader."""
	if position > len(names):
		return "Unused Tier Card"
	return f"{names[-position]} Key Accounts"


def sync_tier_desk() -> None:
	"""Name the tier cards after the bands in force and give the donut the rank colours; on install,
	migrate (which brings back the shipped labels) and every band change."""
	names = tier_names()
	for position, card in enumerate(TIER_CARDS, start=1):
		if not frappe.db.exists("Number Card", card):
			continue
		label = card_label(position, names)
		colour = band_colour(len(names) - position)[1] if position <= len(names) else NO_TIER_COLOUR[1]
		frappe.db.set_value("Number Card", card, {"label": label, "color": colour}, update_modified=False)
		frappe.db.set_value(
			"Workspace Number Card",
			{"parent": WORKSPACE, "number_card_name": card},
			"label",
			label,
			update_modified=False,
		)
	if frappe.db.exists("Dashboard Chart", DONUT_CHART):
		frappe.db.set_value(
			"Dashboard Chart",
			DONUT_CHART,
			"custom_options",
			frappe.as_json({"colors": donut_colours()}),
			update_modified=False,
		)
	frappe.clear_document_cache("Workspace", WORKSPACE)


def on_settings_update(settings, method=None) -> None:
	sync_tier_desk()
