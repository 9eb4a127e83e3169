"""Key Account Settings as the engine reads them: one cached, immutable snapshot per call site."""

from dataclasses import dataclass

import frappe

from key_account_mgmt.tiering.core import Band, to_decimal

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
	settings = frappe.get_cached_doc("Key Account Settings")
	return settings_from_doc(settings)


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
