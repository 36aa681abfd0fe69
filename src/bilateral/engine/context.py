"""What a profile is being built for, what each source holds, and how records are added."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from bilateral.backends.question_sql import Prepared
from bilateral.engine.pair_sql import Query
from bilateral.engine.records import Record, plain, steady
from bilateral.indicators.flows import HS_REVISIONS, WORLD_MATRIX_SOURCES
from bilateral.indicators.rows import FAO
from bilateral.reference.products import ProductSelection
from bilateral.reference.source_basis import basis_of
from bilateral.store.summaries import Summaries

#: Runs an Ibis expression and returns pandas (``Store.execute``).
Execute = Callable[[ir.Expr], pd.DataFrame]
#: Runs an Ibis expression and returns Arrow (``Store.arrow``): a profile turns every
#: result into plain rows, which pandas would only delay.
Fetch = Callable[[ir.Expr], pa.Table]


#: Runs a profile's query: an Ibis expression, or one compiled once for every pair.
FetchQuery = Callable[[Query], pa.Table]


def fetching_prepared(fetch: Fetch) -> FetchQuery:
    """``fetch``, and a query compiled once for every pair (:mod:`bilateral.engine.pair_sql`)
    run on its own engine with the pair's codes bound: it is made for the engine that holds
    its tables, which ``fetch`` runs on."""

    def run(query: Query) -> pa.Table:
        if isinstance(query, Prepared):
            return query.to_pyarrow()
        return fetch(query)

    return run


def fetch_through(execute: Execute) -> Fetch:
    """A :data:`Fetch` made of an :data:`Execute` (its pandas results made Arrow)."""

    def fetch(expr: ir.Expr) -> pa.Table:
        return pa.Table.from_pandas(execute(expr), preserve_index=False)

    return fetch


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
    flows: ir.Table, fetch: Fetch, holdings: pd.DataFrame | None = None
) -> dict[str, Coverage]:
    """Years and classifications of every source: from ``holdings`` (source, year,
    classification, as :meth:`bilateral.store.Store.holdings` reads them from the files'
    statistics) when given, else from the flow table (a query over every row)."""
    held = (
        holdings[["source", "year", "classification"]].to_dict("records")
        if holdings is not None
        else plain_rows(fetch(flows.select("source", "year", "classification").distinct()))
    )
    years: dict[str, set[int]] = {}
    classifications: dict[str, set[str]] = {}
    for row in held:
        source = str(row["source"])
        years.setdefault(source, set()).add(int(row["year"]))
        classifications.setdefault(source, set()).add(str(row["classification"]))
    return {
        source: Coverage(source, sorted(years[source]), classifications[source])
        for source in sorted(years)
    }


Rows = list[dict[str, Any]]


def plain_rows(table: pa.Table) -> Rows:
    """An indicator's result as plain dicts (JSON-ready values: NaN becomes None), to
    pick rows from with :func:`rows_of` many times."""
    return [{k: plain(v) for k, v in row.items()} for row in table.to_pylist()]


def rows_of(rows: Rows, **equal: Any) -> Rows:
    """The rows whose columns equal the given values."""
    return [row for row in rows if all(row[k] == v for k, v in equal.items())]


def first_revision(rows: Rows) -> Rows:
    """One HS revision per source, the earliest present: the one totals are summed from,
    so that a profile's product figures add up to its totals."""
    order = {name: i for i, name in enumerate(HS_REVISIONS)}

    def rank(row: dict[str, Any]) -> int:
        return order.get(row["classification"], len(order))

    first: dict[Any, int] = {}
    for row in rows:
        first[row["source"]] = min(first.get(row["source"], len(order)), rank(row))
    return [row for row in rows if rank(row) == first[row["source"]]]


@dataclass
class Context:
    """One profile in the making: the pair, the year, the sources, the records so far."""

    flows: ir.Table
    fetch: FetchQuery
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
        basis = basis_of(source)
        if value is not None and basis is not None:  # every figure states its basis
            fields["detail"] = {**fields.get("detail", {}), "publisher_basis": basis.statement()}
        if "detail" in fields:
            fields["detail"] = steady(plain(fields["detail"]))
        self.records.append(Record(name, steady(plain(value)), unit, source, **fields))

    def unavailable(
        self, names: Iterable[str], unit: str, source: str, why: str, **fields: Any
    ) -> None:
        """Records without a value, each saying why the source cannot give it."""
        note = self.coverage[source].missing(self.year, why)
        for name in names:
            self.add(name, None, unit, source, note=note, **fields)
