"""Qualification (Art. 4): criteria 2 and 3 computed from the Sales Invoices of the brand's items."""

import json
from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.utils import flt, getdate, now_datetime

from key_account_mgmt.account_file import cooperation_evidence, launch_evidence, supply_evidence
from key_account_mgmt.analysis import queries
from key_account_mgmt.jobs import for_each_account
from key_account_mgmt.tiering.core import rolling_twelve_months

TOP_BRANDS = 10
HUMAN_CRITERIA = ("known_brand", "cooperates_well", "supply_priority", "first_launch")


@dataclass(frozen=True)
class BrandStanding:
	rank: int | None
	brands: int
	sales_share: float
	profit_share: float


def brand_standings(from_date: date, to_date: date) -> dict[str, BrandStanding]:
	"""Every brand's rank among all brands by net sales, and its share of net sales and of gross profit
	(net sales less the cost ERPNext booked on the invoice rows), over submitted Sales Invoices, under
	the analyses' company and currency rules: one scan for every brand."""
	figures = queries.sales(queries.analysis_scope(), from_date, to_date, by=("brand",), branded_only=False)
	total_sales = sum(row.amount for row in figures.values())
	total_profit = sum(row.profit for row in figures.values())
	ranked = sorted(
		((brand, row) for (brand,), row in figures.items() if brand),
		key=lambda item: item[1].amount,
		reverse=True,
	)
	return {
		brand: BrandStanding(
			rank=position,
			brands=len(ranked),
			sales_share=100 * row.amount / total_sales if total_sales else 0.0,
			profit_share=100 * row.profit / total_profit if total_profit > 0 else 0.0,
		)
		for position, (brand, row) in enumerate(ranked, start=1)
	}


def brand_standing(brand: str, from_date: date, to_date: date) -> BrandStanding:
	standings = brand_standings(from_date, to_date)
	return standings.get(brand) or BrandStanding(None, len(standings), 0.0, 0.0)


def sales_criteria(brand: str | None, standings: dict[str, BrandStanding], window, threshold: float) -> dict:
	"""Criteria 2 and 3 with their evidence, from the brands' standings. The evidence is stored as
	data (see evidence_text), so that each reader reads it in their own language."""
	period = {"from": str(window.start), "to": str(window.end)}
	if not brand:
		evidence = frappe.as_json({"kind": "no_brand"}, indent=None)
		return {
			"criterion_top_ten_brand": 0,
			"criterion_large_share": 0,
			"criterion_top_ten_brand_evidence": evidence,
			"criterion_large_share_evidence": evidence,
		}
	standing = standings.get(brand) or BrandStanding(None, len(standings), 0.0, 0.0)
	rank = (
		{"kind": "rank", "rank": standing.rank, "brands": standing.brands, **period}
		if standing.rank
		else {"kind": "no_sales", "brand": brand, **period}
	)
	share = {
		"kind": "share",
		"sales_share": round(standing.sales_share, 1),
		"profit_share": round(standing.profit_share, 1),
		"threshold": threshold,
		**period,
	}
	return {
		"criterion_top_ten_brand": int(bool(standing.rank and standing.rank <= TOP_BRANDS)),
		"criterion_top_ten_brand_evidence": frappe.as_json(rank, indent=None),
		"criterion_large_share": int(
			standing.sales_share >= threshold and standing.profit_share >= threshold
		),
		"criterion_large_share_evidence": frappe.as_json(share, indent=None),
	}


def stored_evidence(stored: str | None) -> dict:
	"""A measured criterion's stored evidence as data; {} when there is none or it is not data."""
	try:
		evidence = json.loads(stored or "")
	except ValueError:
		return {}
	return evidence if isinstance(evidence, dict) else {}


def evidence_text(stored: str | None) -> str:
	"""Computed evidence in the current language; text stored before it was kept as data is shown as
	it is."""
	try:
		evidence = json.loads(stored or "")
	except ValueError:
		return stored or ""
	if not isinstance(evidence, dict):
		return stored or ""
	kind = evidence.get("kind")
	if kind == "no_brand":
		return _("Set the account's brand to compute this from sales.")
	if kind == "supply":
		return supply_evidence.evidence_text(evidence)
	if kind == "cooperation":
		return cooperation_evidence.evidence_text(evidence)
	if kind == "first_launch":
		return launch_evidence.evidence_text(evidence)
	period = _("{0} to {1}").format(
		frappe.format(evidence.get("from"), "Date"), frappe.format(evidence.get("to"), "Date")
	)
	if kind == "rank":
		return _("Rank {0} of {1} brands by sales, {2}.").format(evidence["rank"], evidence["brands"], period)
	if kind == "no_sales":
		return _("No sales of {0} items, {1}.").format(evidence["brand"], period)
	if kind == "share":
		return _("{0}% of sales and {1}% of gross profit, {2} (criterion: {3}% of each).").format(
			evidence["sales_share"], evidence["profit_share"], period, evidence["threshold"]
		)
	return stored or ""


COMPUTED_EVIDENCE = (
	"criterion_top_ten_brand_evidence",
	"criterion_large_share_evidence",
	"criterion_cooperates_well_figures",
	"criterion_supply_priority_figures",
	"criterion_first_launch_figures",
)


def evidence_texts(account) -> dict[str, str]:
	"""The computed criteria's evidence as the form shows it, in the reader's language."""
	return {fieldname: evidence_text(account.get(fieldname)) for fieldname in COMPUTED_EVIDENCE}


def refresh_sales_criteria(accounts: list[str] | None = None, today: date | None = None) -> list[str]:
	"""Criteria 2 and 3 of `accounts` (default: every key account) from the last twelve months' sales,
	written straight to the database (a computed figure, not an edit of the form); one account that
	fails is logged and the others go on. Returns the accounts that failed."""
	window = rolling_twelve_months(getdate(today))
	standings = brand_standings(window.start, window.end)
	threshold = flt(frappe.db.get_single_value("Key Account Settings", "large_share_percent")) or 5
	if accounts is None:
		accounts = frappe.get_all("Key Account", pluck="name", order_by="name")

	def refresh(name: str) -> None:
		account = frappe.get_doc("Key Account", name)
		values = sales_criteria(account.brand, standings, window, threshold)
		account.update(values)
		values["qualifies"] = overall(account)
		values["qualification_evaluated_on"] = now_datetime()
		frappe.db.set_value("Key Account", name, values, update_modified=False)

	return for_each_account(accounts, refresh, "Qualification")


def refresh_qualifications(accounts: list[str] | None = None, today: date | None = None) -> list[str]:
	"""Criteria 2 to 6 of `accounts` (default: every key account) over the twelve months to `today`:
	the daily job's work, and the Refresh Qualification button's for one account. Each criterion goes
	on for the other accounts when one fails; returns the accounts any criterion failed for."""
	failed: set[str] = set()
	for refresh in (
		refresh_sales_criteria,
		cooperation_evidence.refresh_cooperation_criterion,
		supply_evidence.refresh_supply_criterion,
		launch_evidence.refresh_launch_criterion,
	):
		failed.update(refresh(accounts, today=today))
	return sorted(failed)


def refresh_qualifications_daily() -> None:
	"""Scheduled daily: sales, orders, receipts, plans, reports and negotiations move every day, so
	criteria 2 to 6 are rescanned once a day for every account rather than on every save."""
	refresh_qualifications()
	frappe.db.commit()


def overall(account) -> int:
	"""Meets all six: the two computed criteria as last computed, and the four judged by people."""
	return int(
		bool(account.criterion_top_ten_brand and account.criterion_large_share)
		and all(account.get(f"criterion_{criterion}") for criterion in HUMAN_CRITERIA)
	)
