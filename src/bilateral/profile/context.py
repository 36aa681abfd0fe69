"""What a profile is being built for, what each source holds, and how records are added."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis.expr.types as ir
import pandas as pd

from bilateral.indicators.flows import HS_REVISIONS, WORLD_MATRIX_SOURCES
from bilateral.indicators.rows import FAO
from bilateral.profile.records import Record, plain
from bilateral.reference.products import ProductSelection
from bilateral.summaries import Summaries

Execute = Callable[[ir.Expr], pd.DataFrame]


@dataclass
class Coverage:
    """What a source holds, to say why an indicator is not available in it."""

    source: str
    years: list[int]
    classifications: set[str]

    def missing(self, year: int, why: str) -> str:
        """The note of a record without a value: the year first, else ``why``."""
        if year not in self.years:
            span = f"{min(self.years)}-{max(self.years)}" if self.years else "no years"
            return f"not available in {self.source}: it holds {span}, not {year}"
        return f"not available in {self.source}: {why}"

    @property
    def has_totals(self) -> bool:
        return "TOTAL" in self.classifications or self.is_matrix

    @property
    def has_products(self) -> bool:
        return self.has_hs_products or bool(self.classifications & {FAO, "CN8"})

    @property
    def has_hs_products(self) -> bool:
        return any(c.startswith("HS") for c in self.classifications)

    @property
    def is_matrix(self) -> bool:
        return self.source in WORLD_MATRIX_SOURCES


def coverage(
    flows: ir.Table, execute: Execute, holdings: pd.DataFrame | None = None
) -> dict[str, Coverage]:
    """Years and classifications of every source: from ``holdings`` (source, year,
    classification, as :meth:`bilateral.store.Store.holdings` reads them from the files'
    statistics) when given, else from the flow table (a query over every row)."""
    summary = (
        holdings
        if holdings is not None
        else execute(flows.select("source", "year", "classification").distinct())
    )
    found: dict[str, Coverage] = {}
    for source, rows in summary.groupby("source"):
        found[str(source)] = Coverage(
            source=str(source),
            years=sorted(int(y) for y in rows["year"].unique()),
            classifications={str(c) for c in rows["classification"].unique()},
        )
    return found


Rows = list[dict[str, Any]]


def plain_rows(frame: pd.DataFrame) -> Rows:
    """An indicator's result as plain dicts (JSON-ready values), to pick rows from with
    :func:`rows_of` many times without pandas' cost per selection."""
    return [{k: plain(v) for k, v in row.items()} for row in frame.to_dict("records")]


def rows_of(rows: Rows | pd.DataFrame, **equal: Any) -> Rows:
    """Rows of an indicator's result whose columns equal the given values, as plain dicts."""
    if isinstance(rows, pd.DataFrame):
        rows = plain_rows(rows)
    return [row for row in rows if all(row[k] == v for k, v in equal.items())]


def first_revision(frame: pd.DataFrame) -> pd.DataFrame:
    """One HS revision per source, the earliest present: the one totals are summed from,
    so that a profile's product figures add up to its totals."""
    if frame.empty:
        return frame
    order = {name: i for i, name in enumerate(HS_REVISIONS)}
    rank = frame["classification"].map(lambda c: order.get(c, len(order)))
    first = rank.groupby(frame["source"]).transform("min")
    return frame[rank == first]


@dataclass
class Context:
    """One profile in the making: the pair, the year, the sources, the records so far."""

    flows: ir.Table
    execute: Execute
    a: str
    b: str
    year: int
    coverage: dict[str, Coverage]
    groups: Sequence[ProductSelection]
    summaries: Summaries = field(default_factory=Summaries)
    records: list[Record] = field(default_factory=list)

    @property
    def totals(self) -> ir.Table | None:
        """The annual totals of :attr:`flows`, if the store keeps them."""
        return self.summaries.totals

    @property
    def sources(self) -> list[str]:
        return sorted(self.coverage)

    def add(self, name: str, value: Any, unit: str, source: str, **fields: Any) -> None:
        fields.setdefault("year", self.year)
        fields.setdefault("reported_by", None)
        self.records.append(Record(name, plain(value), unit, source, **fields))

    def unavailable(
        self, names: Iterable[str], unit: str, source: str, why: str, **fields: Any
    ) -> None:
        """Records without a value, each saying why the source cannot give it."""
        note = self.coverage[source].missing(self.year, why)
        for name in names:
            self.add(name, None, unit, source, note=note, **fields)
