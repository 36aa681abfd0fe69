"""Exchange rates for converting publishers' EUR values to USD, shipped as data.

One rate per year: the ECB's annual average of its daily euro reference rates. Every
converted value keeps its original amount and currency next to the USD figure, and the
reader that converts says so in its notes, naming :data:`EUR_USD_SOURCE`.
"""

from __future__ import annotations

import csv
from functools import cache

from bilateral.errors import NotAvailableError
from bilateral.reference import DATA_DIR

EUR_USD_FILE = DATA_DIR / "eur_usd_annual.csv"
EUR_USD_SOURCE = (
    "ECB euro foreign exchange reference rates, annual average of daily rates "
    "(USD per EUR, series EXR.A.USD.EUR.SP00.A)"
)


@cache
def eur_usd_annual() -> dict[int, float]:
    """US dollars per euro by year, as shipped in ``eur_usd_annual.csv``."""
    with open(EUR_USD_FILE, encoding="utf-8", newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        return {int(row["year"]): float(row["usd_per_eur"]) for row in csv.DictReader(lines)}


def usd_per_eur(year: int) -> float:
    """The annual average rate for ``year``; a year without a rate is an error that says which.

    >>> round(usd_per_eur(2022) * 1_000_000)  # one million euros in 2022, in dollars
    1053000
    """
    rates = eur_usd_annual()
    if year not in rates:
        raise NotAvailableError(
            f"No EUR/USD rate for {year} in {EUR_USD_FILE.name} (it covers "
            f"{min(rates)}-{max(rates)}). Add that year's ECB annual average (USD per EUR) "
            "to the file."
        )
    return rates[year]
