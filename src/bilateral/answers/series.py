"""Every year of a pair's trade, one column per source and whose statistics it is.

``series(store, "KAZ", "RUS", flow="turnover")`` answers "how has Kazakhstan's trade with
Russia moved, by whose numbers?": each year, Kazakhstan's own statistics per source,
Russia's mirror statistics, BACI's reconciled figures where the store holds them, growth
on the year before, and the gap of each view from the reporter's own statistics with its
reason (:mod:`bilateral.answers.gaps`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from bilateral.answers.currency import check_currency, in_currency
from bilateral.answers.gaps import Side, gap_reason
from bilateral.answers.inputs import check_source
from bilateral.answers.result import Answer
from bilateral.errors import BilateralError, pair_of_one_country
from bilateral.indicators.flows import growth, pair_flows, pair_totals
from bilateral.questions import GROWING_FLOWS, SERIES_FLOWS
from bilateral.reference.countries import countries
from bilateral.reference.source_basis import (
    change_in_publishers_currency,
    growth_in_publishers_currency,
)
from bilateral.store import Store

FLOWS = SERIES_FLOWS

SCHEMA = pa.schema(
    [
        ("year", pa.int32()),
        ("view", pa.string()),
        ("source", pa.string()),
        ("statistics_of", pa.string()),
        ("side", pa.string()),
        ("reported_by", pa.string()),
        ("valuation", pa.string()),
        ("value_usd", pa.float64()),
        ("previous_usd", pa.float64()),
        ("change_usd", pa.float64()),
        ("change", pa.float64()),
        ("change_currency", pa.string()),
        ("growth_pct", pa.float64()),
        ("growth_currency", pa.string()),
        ("growth_usd_pct", pa.float64()),
        ("release", pa.string()),
        ("basis", pa.string()),
        ("gap_usd", pa.float64()),
        ("gap_pct", pa.float64()),
        ("gap_reason", pa.string()),
    ]
)


@dataclass(frozen=True)
class View:
    """One column of a series: a source and whose statistics (own, mirror or reconciled)."""

    key: str
    source: str
    statistics_of: str
    side: str  # own | mirror | reconciled
    label: str

    def as_dict(self) -> dict[str, str]:
        return {
            "key": self.key,
            "source": self.source,
            "statistics_of": self.statistics_of,
            "side": self.side,
            "label": self.label,
        }


@dataclass(frozen=True, kw_only=True)
class Series(Answer):
    """A pair's flow over the years: one row per year and view (see :data:`SCHEMA`).

    ``value_usd``, ``previous_usd`` and ``change_usd`` are in ``currency``; ``change`` is the
    change on the year before and ``growth_pct`` the percent change (null for balance, and
    where the year before is missing), both in the publisher's currency
    (``change_currency``, ``growth_currency``: a euro publisher's change in converted dollars
    would carry the exchange rate's move); ``gap_usd`` and ``gap_pct`` compare the view with
    ``reference`` (the reporter's own statistics) in the same year, and ``gap_reason`` says
    why they differ.
    """

    reporter: str
    partner: str
    flow: str
    start: int | None
    end: int | None
    views: tuple[View, ...]
    reference: str | None

    def years(self) -> list[int]:
        return sorted(set(self.table.column("year").to_pylist()))

    def values(self, key: str) -> dict[int, float]:
        """One view's figures by year."""
        rows = self.table.filter(pc.equal(self.table.column("view"), key)).to_pylist()
        return {r["year"]: r["value_usd"] for r in rows}

    def wide(self) -> list[dict[str, Any]]:
        """Every year a row: per view its value and growth (a balance: its change in
        money), then each gap with its reason (what ``--format csv`` and ``markdown``
        print; money in :attr:`currency`). A growth or change stated in another currency
        than the table's (a euro publisher's) says so in its column's name."""
        stated = "growth_pct" if self.flow in GROWING_FLOWS else "change"
        named = {key: name for key, (name, _) in self.measure_columns().items()}
        by_year: dict[int, dict[str, Any]] = {}
        for row in self.table.to_pylist():
            line = by_year.setdefault(row["year"], {"year": row["year"]})
            line[row["view"]] = row["value_usd"]
            line[named[row["view"]]] = row[stated]
            if row["gap_usd"] is not None:
                line[f"{row['view']} gap"] = row["gap_usd"]
                line[f"{row['view']} gap %"] = row["gap_pct"]
                line[f"{row['view']} gap reason"] = row["gap_reason"]
        columns = ["year"]
        for view in self.views:
            columns += [view.key, named[view.key]]
        for view in self.views:
            if view.key != self.reference:
                columns += [f"{view.key} gap", f"{view.key} gap %", f"{view.key} gap reason"]
        return [{c: by_year[y].get(c) for c in columns} for y in sorted(by_year)]

    def measure_columns(self) -> dict[str, tuple[str, str | None]]:
        """Per view, the name of its growth (a balance: change) column in :meth:`wide`
        and the one currency it is stated in where that is not the table's: ('eurostat:DEU
        growth % (EUR)', 'EUR'); ('kz_bns:KAZ growth %', None)."""
        measure, currency_column = (
            ("growth %", "growth_currency")
            if self.flow in GROWING_FLOWS
            else ("change", "change_currency")
        )
        stated: dict[str, set[str]] = {view.key: set() for view in self.views}
        for row in self.table.select(["view", currency_column]).to_pylist():
            if row[currency_column] is not None:
                stated[row["view"]].add(row[currency_column])
        columns: dict[str, tuple[str, str | None]] = {}
        for key, found in stated.items():
            name = f"{key} {measure}"
            if len(found) == 1 and found != {self.currency}:
                (only,) = found
                columns[key] = (f"{name} ({only})", only)
            elif len(found) > 1:
                columns[key] = (f"{name} ({' or '.join(sorted(found))} by year)", None)
            else:
                columns[key] = (name, None)
        return columns


def _label(source: str, statistics_of: str, reporter: str) -> tuple[str, str]:
    if statistics_of == "reconciled":
        return "reconciled", f"{source}, reconciled"
    if statistics_of == reporter:
        return "own", f"{source}, {statistics_of}'s statistics"
    return "mirror", f"{source}, {statistics_of}'s statistics (mirror)"


def first_releases(store: Store) -> dict[tuple[str, int], str]:
    """The first release of each source that covers each year: a figure from a later
    release is a revision of the one first published."""
    first: dict[tuple[str, int], str] = {}
    for entry in store.catalogue():
        if entry.year_min is None or entry.year_max is None:
            continue
        for year in range(entry.year_min, entry.year_max + 1):
            known = first.get((entry.source, year))
            if known is None or entry.release < known:
                first[entry.source, year] = entry.release
    return first


def _valuations(flows: pd.DataFrame, flow: str) -> dict[tuple[str, str, int], str | None]:
    """The valuation of each source, statistics and year's figure of ``flow``."""
    found: dict[tuple[str, str, int], dict[str, str]] = {}
    for row in flows.itertuples(index=False):
        key = (row.source, row.statistics_of, int(row.year))
        found.setdefault(key, {})[row.flow] = row.valuation
    result: dict[tuple[str, str, int], str | None] = {}
    for key, by_flow in found.items():
        if flow in by_flow:
            result[key] = by_flow[flow] or None
        elif "exports" in by_flow and "imports" in by_flow:
            result[key] = f"{by_flow['exports']}+{by_flow['imports']}"
        else:
            result[key] = None
    return result


def series(
    store: Store,
    reporter: str,
    partner: str,
    *,
    flow: str = "turnover",
    start: int | None = None,
    end: int | None = None,
    source: str | None = None,
    currency: str = "USD",
) -> Series:
    """Every year of ``reporter``'s ``flow`` with ``partner``, per source and statistics.

    Parameters
    ----------
    store
        The store to ask.
    reporter, partner
        Codes or names (KAZ, Россия, 398). Exports are reporter -> partner.
    flow
        turnover, exports, imports or balance (exports - imports).
    start, end
        First and last year (inclusive); every year the store holds when absent. Growth
        in the first year still compares with the year before when the store holds it.
    source
        One source only; every source when absent.
    currency
        USD or EUR: each year's money at the ECB's annual average rate of its year
        (:func:`bilateral.answers.currency.in_currency`), growth recomputed from it.

    Returns
    -------
    Series
        One row per year and view, views ordered: the reporter's own statistics, the
        partner's (mirror), reconciled.

    A year a view does not report has no row (unknown, never zero); turnover and balance
    exist only where both flows come from the same source and statistics. Money in
    ``currency``.
    """
    if flow not in FLOWS:
        raise BilateralError(f"Unknown flow '{flow}'; choose one of {', '.join(FLOWS)}.")
    check_currency(currency)
    answer = every_flow(store, reporter, partner, start=start, end=end, source=source)[flow]
    return in_currency(answer, currency)


def every_flow(
    store: Store,
    reporter: str,
    partner: str,
    *,
    start: int | None = None,
    end: int | None = None,
    source: str | None = None,
) -> dict[str, Series]:
    """:func:`series` of every flow (turnover, exports, imports, balance), from one
    reading of the store."""
    if start is not None and end is not None and end < start:
        raise BilateralError(f"The series ends ({end}) before it starts ({start}).")
    index = countries()
    a, b = index.resolve(reporter).code, index.resolve(partner).code
    if a == b:
        raise pair_of_one_country(a)
    check_source(store, source)
    totals = store.totals(source)
    flows = store.flows(source)
    measured = growth(pair_totals(flows, a, b, totals=totals), columns=FLOWS)
    frame = store.execute(measured)
    if start is not None:
        frame = frame[frame["year"] >= start]
    if end is not None:
        frame = frame[frame["year"] <= end]
    by_flow = store.execute(pair_flows(flows, a, b, totals=totals))
    first = first_releases(store)
    return {
        flow: _assemble(
            frame[frame[flow].notna()],
            _valuations(by_flow, flow),
            first,
            flow=flow,
            a=a,
            b=b,
            start=start,
            end=end,
            source=source,
        )
        for flow in FLOWS
    }


def _assemble(
    frame: pd.DataFrame,
    valuation: dict[tuple[str, str, int], str | None],
    first: dict[tuple[str, int], str],
    *,
    flow: str,
    a: str,
    b: str,
    start: int | None,
    end: int | None,
    source: str | None,
) -> Series:
    """One flow's :class:`Series` from the pair's totals with growth (``frame``)."""

    keys = sorted(
        {(s, o) for s, o in zip(frame["source"], frame["statistics_of"], strict=True)},
        key=lambda k: (
            {"own": 0, "mirror": 1, "reconciled": 2}[_label(k[0], k[1], a)[0]],
            -int((frame["source"] == k[0]).sum()),
            k[0],
        ),
    )
    views = tuple(View(f"{s}:{o}", s, o, *_label(s, o, a)) for s, o in keys)
    reference = next((v.key for v in views if v.side == "own"), views[0].key if views else None)

    rows: list[dict[str, Any]] = []
    sides: dict[tuple[str, int], tuple[Side, float]] = {}
    for record in frame.to_dict("records"):
        year = int(record["year"])
        key = f"{record['source']}:{record['statistics_of']}"
        view = next(v for v in views if v.key == key)
        reported = [record["reported_by_exports"], record["reported_by_imports"]]
        reported_by = {
            "exports": record["reported_by_exports"],
            "imports": record["reported_by_imports"],
        }.get(flow) or "+".join(sorted({r for r in reported if isinstance(r, str)}))
        previous = record[f"{flow}_previous"]
        value = float(record[flow])
        growth_usd = record[f"{flow}_growth"] if flow in GROWING_FLOWS else None
        growth_usd = None if growth_usd is None or pd.isna(growth_usd) else float(growth_usd)
        stated, stated_in = growth_in_publishers_currency(view.source, year, growth_usd)
        earlier = None if pd.isna(previous) else float(previous)
        change, change_in = change_in_publishers_currency(view.source, year, value, earlier)
        side = Side(
            view.source,
            view.statistics_of,
            valuation=valuation.get((view.source, view.statistics_of, year)),
            basis=record["basis"],
            release=record["release"],
            revised=record["release"] > first.get((view.source, year), record["release"]),
        )
        sides[key, year] = (side, value)
        rows.append(
            {
                "year": year,
                "view": key,
                "source": view.source,
                "statistics_of": view.statistics_of,
                "side": view.side,
                "reported_by": reported_by,
                "valuation": side.valuation,
                "value_usd": value,
                "previous_usd": previous,
                "change_usd": None if pd.isna(previous) else value - previous,
                "change": change,
                "change_currency": change_in if change is not None else None,
                "growth_pct": stated,
                "growth_currency": stated_in if stated is not None else None,
                "growth_usd_pct": growth_usd,
                "release": record["release"],
                "basis": record["basis"],
            }
        )
    for row in rows:
        ref = sides.get((reference, row["year"])) if reference else None
        if ref is None or row["view"] == reference:
            row.update(gap_usd=None, gap_pct=None, gap_reason=None)
            continue
        ref_side, ref_value = ref
        other_side, value = sides[row["view"], row["year"]]
        gap = value - ref_value
        row["gap_usd"] = gap
        row["gap_pct"] = 100.0 * gap / abs(ref_value) if ref_value else None
        row["gap_reason"] = gap_reason(flow, a, b, ref_side, other_side, gap)
    order = {v.key: i for i, v in enumerate(views)}
    rows.sort(key=lambda r: (r["year"], order[r["view"]]))
    table = pa.Table.from_pylist(rows, schema=SCHEMA)
    held = tuple(dict.fromkeys(v.source for v in views))
    notes: list[str] = []
    if not views:
        where = f"in {source}" if source else "in any source of the store"
        notes.append(f"No {flow} of {a} with {b} {where}.")
    if flow == "balance":
        notes.append("A balance's growth in percent is not given: its change is in money.")
    return Series(
        table=table,
        sources=held,
        notes=tuple(notes),
        reporter=a,
        partner=b,
        flow=flow,
        start=start,
        end=end,
        views=views,
        reference=reference,
    )
