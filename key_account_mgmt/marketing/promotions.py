"""Joint promotions (Art. 18.3(5), 18.4): the plan, who pays what, and the result measured from sales."""

from dataclasses import dataclass
from datetime import date

import frappe
import frappe.model
from frappe import _
from frappe.utils import add_days, date_diff, flt, getdate

from key_account_mgmt.analysis import queries

COMPLETED, EVALUATED = "Completed", "Evaluated"
# From approval on, the plan a manager approved stands as approved; an evaluated promotion is closed.
APPROVED_STATES = ("Approved", "Running", COMPLETED, EVALUATED)
APPROVED_PLAN = (
	"title",
	"key_account",
	"cooperation_form",
	"from_date",
	"to_date",
	"territories",
	"warehouses",
	"items",
	"total_budget",
	"our_share_percent",
	"account_share_percent",
)


class PromotionPlanApprovedError(frappe.ValidationError):
	pass


def keep_approved_plan(promotion) -> None:
	"""Refuses a change of what the manager approved (or of anything, once evaluated)."""
	before = promotion.get_doc_before_save()
	if before is None or before.workflow_state not in APPROVED_STATES:
		return
	if before.workflow_state == EVALUATED:
		fields = [df.fieldname for df in promotion.meta.fields if df.fieldname != "workflow_state"]
		fields = [field for field in fields if promotion.meta.get_field(field).fieldtype not in NO_VALUE]
	else:
		fields = APPROVED_PLAN
	changed = [field for field in fields if _value(before, field) != _value(promotion, field)]
	if changed:
		frappe.throw(
			_("{0} is {1}: {2} can no longer change.").format(
				promotion.name,
				_(before.workflow_state),
				", ".join(_(promotion.meta.get_label(field)) for field in changed),
			),
			PromotionPlanApprovedError,
			title=_("Promotion Approved"),
		)


NO_VALUE = ("Section Break", "Column Break", "Tab Break", "HTML", "Button", "Heading")


def _value(promotion, field: str):
	df = promotion.meta.get_field(field)
	value = promotion.get(field)
	if df.fieldtype in frappe.model.table_fields:
		child = frappe.get_meta(df.options)
		columns = [f.fieldname for f in child.fields if f.fieldtype not in NO_VALUE]
		return sorted(tuple(str(row.get(column) or "") for column in columns) for row in value or [])
	if df.fieldtype in ("Currency", "Float", "Percent", "Int"):
		return flt(value)
	if df.fieldtype == "Date":
		return getdate(value) if value else None
	return value or None


def validate_period(promotion) -> None:
	if getdate(promotion.to_date) < getdate(promotion.from_date):
		frappe.throw(_("The promotion ends before it starts."), title=_("Invalid Period"))


# (table, field in its rows, label of the table)
PROMOTION_LISTS = (
	("territories", "territory", "Regions"),
	("warehouses", "warehouse", "Stores"),
	("items", "item_code", "Items Promoted"),
)


def validate_no_repeats(promotion) -> None:
	for table, field, label in PROMOTION_LISTS:
		seen = set()
		for row in promotion.get(table):
			if row.get(field) in seen:
				frappe.throw(
					_("{0} lists {1} twice.").format(_(label), frappe.bold(row.get(field))),
					title=_("Listed Twice"),
				)
			seen.add(row.get(field))


def validate_cost_shares(promotion) -> None:
	if round(flt(promotion.our_share_percent) + flt(promotion.account_share_percent), 6) != 100:
		frappe.throw(
			_("Our share ({0}%) and the account's share ({1}%) of the cost must add up to 100%.").format(
				flt(promotion.our_share_percent), flt(promotion.account_share_percent)
			),
			title=_("Cost Shares"),
		)


@dataclass(frozen=True)
class PromotionResult:
	promotion_sales: float
	baseline_sales: float
	baseline_from: date
	baseline_to: date

	@property
	def uplift(self) -> float:
		return self.promotion_sales - self.baseline_sales

	@property
	def uplift_percent(self) -> float:
		return round(100 * self.uplift / self.baseline_sales, 1) if self.baseline_sales else 0.0


def measure(promotion) -> PromotionResult:
	"""Sales of the promoted items (or of every item of the account's brand) in the promotion's
	regions during it, against the same number of days just before it."""
	start, end = getdate(promotion.from_date), getdate(promotion.to_date)
	days = date_diff(end, start) + 1
	baseline_from, baseline_to = add_days(start, -days), add_days(start, -1)
	return PromotionResult(
		promotion_sales=sales(promotion, start, end),
		baseline_sales=sales(promotion, baseline_from, baseline_to),
		baseline_from=baseline_from,
		baseline_to=baseline_to,
	)


def sales(promotion, from_date: date, to_date: date) -> float:
	"""Net sales of the promoted items (or the brand's) in the promotion's territories (or all), under
	the analyses' company and currency rules."""
	items = [row.item_code for row in promotion.items]
	territories = [row.territory for row in promotion.territories]
	brand = None if items else frappe.db.get_value("Key Account", promotion.key_account, "brand") or ""
	figures = queries.sales(
		queries.analysis_scope(),
		from_date,
		to_date,
		brand=brand,
		items=items or None,
		territories=territories or None,
	)
	return figures[()].amount if () in figures else 0.0


def record_result(promotion) -> None:
	result = measure(promotion)
	promotion.update(
		{
			"promotion_sales": result.promotion_sales,
			"baseline_sales": result.baseline_sales,
			"baseline_from": result.baseline_from,
			"baseline_to": result.baseline_to,
			"uplift_amount": result.uplift,
			"uplift_percent": result.uplift_percent,
		}
	)
	set_return_on_cost(promotion)


def set_return_on_cost(promotion) -> None:
	promotion.return_on_cost = (
		round(flt(promotion.uplift_amount) / flt(promotion.actual_cost), 2)
		if flt(promotion.actual_cost)
		else 0
	)


def validate_evaluation(promotion) -> None:
	if not flt(promotion.actual_cost):
		frappe.throw(
			_("Enter the actual cost before evaluating the promotion."), title=_("Actual Cost Missing")
		)
