"""An answer in another currency: its money converted year by year at the ECB's rates.

Answers are computed in US dollars (every source's ``value_usd``). :func:`in_currency`
converts an answer's money columns at the annual average rate of each figure's own year
(:func:`bilateral.reference.exchange_rates.usd_per_eur`): a value of the year before at
that year's rate, so a growth rate in euro is the change of the euro amounts, which
carries the exchange rate's move. Shares and gaps in percent compare figures of one year
and do not change; ranks do not either. The columns keep their names; the answer's
``currency`` says what they hold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import pyarrow as pa

from bilateral.answers.result import Answer
from bilateral.errors import BilateralError, NotAvailableError
from bilateral.reference.exchange_rates import CURRENCIES, convert

if TYPE_CHECKING:
    from bilateral.engine import Profile

A = TypeVar("A", bound=Answer)

#: Money columns and the year each is of: 0 the row's year, -1 the year before.
MONEY: Mapping[str, int] = {
    "value_usd": 0,
    "world_usd": 0,
    "gap_usd": 0,
    "previous_usd": -1,
    "previous_value_usd": -1,
}
#: (growth column, the value now, the value the year before): recomputed from the
#: converted amounts.
GROWTH = (
    ("growth_pct", "value_usd", "previous_usd"),
    ("growth_pct", "value_usd", "previous_value_usd"),
)


def check_currency(currency: str) -> None:
    if currency not in CURRENCIES:
        raise BilateralError(
            f"Unknown currency '{currency}'; choose one of {', '.join(CURRENCIES)}."
        )


def in_currency(answer: A, currency: str) -> A:
    """``answer`` with its money in ``currency`` (USD or EUR); unknown stays unknown.

    The table needs a ``year`` column (each row's year) or the answer a ``year``
    field. ``change_usd`` (and a stated ``change``) is recomputed as the difference of the
    converted values and ``growth_pct`` as their percent change; other columns are kept. A
    year without a rate (before the euro, 1999) has its money null, and a note says so.
    """
    check_currency(currency)
    if currency == answer.currency:
        return answer
    if answer.currency != "USD":
        raise BilateralError(f"An answer in {answer.currency} cannot be converted again.")
    rows = answer.table.to_pylist()
    fixed_year = getattr(answer, "year", None)
    without: set[int] = set()
    for row in rows:
        year = row.get("year", fixed_year)
        if year is None:
            raise BilateralError("An answer without years cannot be converted.")
        for column, offset in MONEY.items():
            if column in row:
                row[column] = _converted(row[column], int(year) + offset, currency, without)
        if "change_usd" in row:
            value, previous = row.get("value_usd"), row.get("previous_usd")
            both = value is not None and previous is not None
            row["change_usd"] = value - previous if both else None
            if "change_currency" in row and row.get("change") is not None:
                row["change"] = row["change_usd"]  # recomputed from money in the new currency
                row["change_currency"] = currency if row["change"] is not None else None
        for growth, now, before in GROWTH:
            if growth in row and before in row and row.get(growth) is not None:
                value, previous = row.get(now), row.get(before)
                row[growth] = (
                    100.0 * (value / previous - 1.0) if value is not None and previous else None
                )
                if "growth_currency" in row:  # recomputed from money in the new currency
                    row["growth_currency"] = currency if row[growth] is not None else None
    table = pa.Table.from_pylist(rows, schema=answer.table.schema)
    notes = answer.notes
    if without:
        years = sorted(without)
        span = str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"
        notes = (
            *notes,
            f"No {currency} rate for {span} (the ECB's reference rates start in 1999): "
            f"money of those years is not available in {currency}",
        )
    return replace(answer, table=table, currency=currency, notes=notes)


def _converted(value: float | None, year: int, currency: str, without: set[int]) -> float | None:
    """``value`` in ``currency``; None, with the year noted, where there is no rate."""
    try:
        return convert(value, year, currency)
    except NotAvailableError:
        if value is not None:
            without.add(year)
        return None


def profile_in_currency(profile: Profile, currency: str) -> Profile:
    """A profile's records in ``currency``: money (unit USD) at the ECB's annual average
    of the record's year, and growth on the year before (``*_growth``, percent)
    recomputed as the change of the converted amounts,
    (1 + growth) x rate(year - 1) / rate(year) - 1, unless it is already in that
    currency (a euro publisher's growth, ``detail.growth_currency``). Shares, ranks and
    indices compare
    figures of one year and are kept. A year without a rate has a null value and a note.
    """
    check_currency(currency)
    if currency == "USD":
        return profile
    records = []
    for record in profile.records:
        year = record.year or profile.year
        value, unit, note = record.value, record.unit, record.note
        try:
            if unit == "USD":
                value, unit = convert(value, year, currency), currency
            elif (
                record.name.endswith("_growth")
                and unit == "percent"
                and value is not None
                and record.detail.get("growth_currency", "USD") != currency
            ):
                now, before = convert(1.0, year, currency), convert(1.0, year - 1, currency)
                assert now is not None and before is not None
                value = 100.0 * ((1 + float(value) / 100.0) * now / before - 1.0)
        except NotAvailableError as exc:
            value, unit = None, currency if unit == "USD" else unit
            note = f"not available in {currency}: {exc}"
        records.append(replace(record, value=value, unit=unit, note=note))
    return replace(profile, records=records)


def frame_in_currency(
    frame: pd.DataFrame, columns: Sequence[str], currency: str, year: int | None = None
) -> pd.DataFrame:
    """A copy of ``frame`` with its money ``columns`` in ``currency``, each row at the
    annual average rate of its ``year`` column (or of ``year`` for the whole table).

    For the report's tables, which are pandas frames: what :func:`in_currency` does for an
    answer. The columns keep their names; a year without a rate makes the value null
    (NaN), never a dollar figure passed off as euro.
    """
    check_currency(currency)
    if currency == "USD" or frame.empty:
        return frame
    converted = frame.copy()
    years = [year] * len(frame) if year is not None else [int(y) for y in frame["year"]]
    for column in columns:
        if column not in converted:
            continue
        converted[column] = [
            float("nan") if v is None else v
            for v in (
                _converted(None if pd.isna(value) else float(value), y, currency, set())
                for value, y in zip(converted[column], years, strict=True)
            )
        ]
    return converted
