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
	values = frappe._dict(
		frappe.db.sql("SELECT field, value FROM `tabSingles` WHERE doctype = %s LOCK IN SHARE MODE", SETTINGS)
	)
	values.tier_bands = child_rows("Key Account Tier Band", "tier_bands", "tier, lower_bound")
	values.companies = child_rows("Key Account Company", "companies", "company")
	return settings_from_doc(values)


def child_rows(doctype: str, parentfield: str, columns: str) -> list:
	return frappe.db.sql(
		f"""SELECT {columns} FROM `tab{doctype}` FORCE INDEX (parent)
		WHERE parent = %s AND parenttype = %s AND parentfield = %s ORDER BY idx LOCK IN SHARE MODE""",
		(SETTINGS, SETTINGS, parentfield),
		as_dict=True,
	)


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
