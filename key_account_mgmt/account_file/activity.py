"""What the account's Activity tab shows beyond its connections: its items' stock (Art. 17.3)."""

import frappe


def stock_by_warehouse(brand: str | None) -> list[dict]:
	if not brand:
		return []
	return frappe.db.sql(
		"""SELECT b.warehouse, SUM(b.actual_qty) AS actual_qty, SUM(b.ordered_qty) AS ordered_qty,
			SUM(b.reserved_qty) AS reserved_qty, SUM(b.stock_value) AS stock_value
		FROM `tabBin` b INNER JOIN `tabItem` i ON i.name = b.item_code
		WHERE i.brand = %s
		GROUP BY b.warehouse ORDER BY b.warehouse""",
		brand,
		as_dict=True,
	)
