"""Exchange rates for converting publishers' euro figures to US dollars.

Eurostat publishes in euro; the canonical table holds US dollars. Monthly figures are
converted with the annual average rate of their year (ECB reference rates, annual
averages, ``eur_usd_annual.csv``), so a change between two periods in USD also carries
the change in the rate: compare in the original currency when that matters.
"""

from __future__ import annotations

import csv
from functools import cache

from bilateral.errors import NotAvailableError
from bilateral.reference import DATA_DIR

RATE_SOURCE = "ECB euro reference rate, annual average (eur_usd_annual.csv)"


@cache
def eur_usd_rates() -> dict[int, float]:
    """US dollars per euro by year, as shipped."""
    with open(DATA_DIR / "eur_usd_annual.csv", encoding="utf-8", newline="") as f:
        return {int(row["year"]): float(row["usd_per_eur"]) for row in csv.DictReader(f)}


def usd_per_eur(year: int) -> float:
    """US dollars per euro, annual average of ``year``.

    >>> usd_per_eur(2021)
    1.1827

    Raises :class:`NotAvailableError` for a year the table does not hold.
    """
    rates = eur_usd_rates()
    if year not in rates:
        raise NotAvailableError(
            f"No EUR->USD rate for {year}: eur_usd_annual.csv covers "
            f"{min(rates)}-{max(rates)}. Add the ECB annual average for {year} there."
        )
    return rates[year]
