"""On what basis each publisher states its figures: currency, valuation, how partners
are attributed, and which of its tables the store reads (``data/source_basis.tsv``).

Two figures for the same flow differ for these reasons before any error: a euro
publisher's growth in dollars carries the exchange rate's move, imports valued CIF
exceed the partner's FOB exports, imports by country of origin differ from imports by
country of consignment, and one publisher's tables differ among themselves. Every
profile figure carries its source's basis, so a reader sees which of these apply.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).parent / "data" / "source_basis.tsv"


@dataclass(frozen=True)
class SourceBasis:
    """How one source states its figures."""

    source: str
    currency: str  # the publisher's currency
    valuation: str  # "exports FOB, imports CIF"
    partners: str  # "imports by country of origin"
    tables: str  # the publisher's tables the store reads

    def statement(self, shown_in: str = "USD") -> str:
        """One line: 'published in EUR, converted to USD at the ECB's annual average;
        exports FOB, imports CIF; ...', for money shown in ``shown_in``."""
        if self.currency == shown_in:
            money = f"published in {self.currency}"
        elif shown_in == "USD":
            money = (
                f"published in {self.currency}, converted to USD at the ECB's annual average "
                f"rate of each year (growth stated in {self.currency})"
            )
        else:
            money = (
                f"published in {self.currency}, converted to {shown_in} at the ECB's annual "
                "average rate of each year"
            )
        return f"{money}; {self.valuation}; {self.partners}; {self.tables}"


@cache
def source_bases() -> dict[str, SourceBasis]:
    """Every source's basis, by source name."""
    with open(DATA, encoding="utf-8", newline="") as f:
        rows = [line for line in f if not line.startswith("#")]
    return {
        row[0]: SourceBasis(*row[:5])
        for row in csv.reader(rows, delimiter="\t")
        if row
    }


def basis_of(source: str) -> SourceBasis | None:
    """The basis of ``source``, or None for a source without an entry (a user's own)."""
    return source_bases().get(source)


def _euro_rates(source: str, year: int) -> tuple[float, float] | None:
    """US dollars per euro in ``year`` and the year before, the rates a euro publisher's
    figures were converted at when ingested (each year's ECB annual average); None for a
    source that does not publish in euro, or a year without a rate."""
    from bilateral.errors import NotAvailableError
    from bilateral.reference.exchange_rates import usd_per_eur

    basis = basis_of(source)
    if basis is None or basis.currency != "EUR":
        return None
    try:
        return usd_per_eur(year), usd_per_eur(year - 1)
    except NotAvailableError:
        return None


def growth_in_publishers_currency(
    source: str, year: int, growth_usd: float | None
) -> tuple[float | None, str]:
    """A growth in the currency ``source`` publishes in, and that currency: a euro
    publisher's change in converted dollars carries the exchange rate's move (Germany's
    2021 exports to Kazakhstan: +2.80% in dollars, -0.72% in euro). Euro sources are
    converted at each year's ECB annual average when ingested, so the euro change is
    ``(1 + g) x rate(year - 1) / rate(year) - 1`` exactly. Without a rate for either
    year, the dollar growth is kept and said to be in USD."""
    rates = _euro_rates(source, year) if growth_usd is not None else None
    if growth_usd is None or rates is None:
        return growth_usd, "USD"
    now, before = rates
    return 100.0 * ((1.0 + growth_usd / 100.0) * before / now - 1.0), "EUR"


def change_in_publishers_currency(
    source: str, year: int, value_usd: float | None, previous_usd: float | None
) -> tuple[float | None, str]:
    """A change on the year before in the currency ``source`` publishes in, and that
    currency: a euro publisher's change is the difference of its euro figures, each year's
    dollars taken back at the rate they were converted at, so the exchange rate's move is
    not in it. Without a rate for either year, the change in dollars is kept and said to
    be in USD."""
    if value_usd is None or previous_usd is None:
        return None, "USD"
    rates = _euro_rates(source, year)
    if rates is None:
        return value_usd - previous_usd, "USD"
    now, before = rates
    return value_usd / now - previous_usd / before, "EUR"
