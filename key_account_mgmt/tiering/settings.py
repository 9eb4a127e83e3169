"""Key Account Settings as the engine reads them: one immutable snapshot, read from the database.

Never from the document cache, and with a locking read: a request whose transaction began before a
band change would otherwise read the old bands from its snapshot (and put them back into the cache
for every later request). A locking read sees the latest committed rows, and a band change, which
takes these rows exclusively, waits until the reading transaction ends."""

from dataclasses import dataclass

import frappe

from key_account_mgmt.tiering.core import Band, to_decimal

SETTINGS = "Key Account Settings"
ROLLING = "Rolling 12 Months"
FISCAL_YEAR = "Fiscal Year"

AMOUNT_COLUMNS = {"Net Total": "net_amount", "Grand Total": "grand_amount"}


@dataclass(frozen=True)
class TieringSettings:
	currency: str
	amount_column: str
	window: str
	companies: tuple[str, ...]
	bands: tuple[Band, ...]

	@property
	def tier_names(self) -> list[str]:
		return [band.tier for band in self.bands]


def get_tiering_settings() -> TieringSettings:
	"""The settings and both their tables in one locking read (it runs inside every posting); the rows
	are put in order here, as an ORDER BY would make the database copy them into a temporary table."""
	values = frappe._dict(tier_bands=[], companies=[])
	for part, name, value, _idx in sorted(
		frappe.db.sql(SETTINGS_READ, {"settings": SETTINGS}), key=lambda row: row[3]
	):
		if part == "field":
			values[name] = value
		elif part == "tier_bands":
			values.tier_bands.append(frappe._dict(tier=name, lower_bound=value))
		else:
			values.companies.append(frappe._dict(company=name))
	return settings_from_doc(values)


def child_rows_read(doctype: str, parentfield: str, columns: str) -> str:
	return f"""(SELECT '{parentfield}' AS part, {columns}, idx FROM `tab{doctype}` FORCE INDEX (parent)
		WHERE parent = %(settings)s AND parenttype = %(settings)s AND parentfield = '{parentfield}'
		LOCK IN SHARE MODE)"""


SETTINGS_READ = f"""
(SELECT 'field' AS part, field, value, 0 AS idx FROM `tabSingles` WHERE doctype = %(settings)s LOCK IN SHARE MODE)
UNION ALL {child_rows_read("Key Account Tier Band", "tier_bands", "tier, lower_bound")}
UNION ALL {child_rows_read("Key Account Company", "companies", "company, NULL")}"""


def settings_from_doc(settings) -> TieringSettings:
	return TieringSettings(
		currency=settings.threshold_currency or "CNY",
		amount_column=AMOUNT_COLUMNS.get(settings.amount_basis, "net_amount"),
		window=settings.measurement_window or ROLLING,
		companies=tuple(row.company for row in settings.companies),
		bands=tuple(
			sorted(
				(Band(row.tier, to_decimal(row.lower_bound)) for row in settings.tier_bands),
				key=lambda band: band.lower_bound,
			)
		),
	)
