"""The expressions a profile runs, built once per question.

Building a profile's Ibis expressions costs about as much Python as DuckDB spends running
them on a year of BACI. Expressions are immutable values, so the same question (the same
tables, pair, year and groups) gets the very same expressions back, and with them the
SQL compiled the first time (:class:`bilateral.engines.CompiledQueries`). Only the
building is saved: the data is read and computed again on every call.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import fields
from functools import wraps
from typing import Any, TypeVar

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa
from ibis.backends import BaseBackend

from bilateral import engines
from bilateral.indicators.dependence import destination_shares, supplier_shares
from bilateral.indicators.flows import growth, pair_totals
from bilateral.indicators.mirror import mirror_table
from bilateral.indicators.partners import partner_rank
from bilateral.indicators.rows import stack
from bilateral.indicators.specialisation import (
    complementarity_of,
    intensity_of,
    matrix_sums,
    rca_of,
)
from bilateral.indicators.structure import composition, group_values
from bilateral.reference.products import ProductSelection
from bilateral.summaries import Summaries

#: Questions remembered per kind of query; a dashboard rarely asks more at once.
REMEMBERED = 64

Build = TypeVar("Build", bound=Callable[..., Any])


def remembered(build: Build) -> Build:
    """``build`` returning the same expressions for the same arguments (the last
    :data:`REMEMBERED`). Tables and other expressions are compared by structure."""
    built: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
    lock = threading.Lock()

    @wraps(build)
    def wrapper(*args: Any) -> Any:
        key = tuple(_comparable(a) for a in args)
        with lock:
            if key in built:
                built.move_to_end(key)
                return built[key]
        result = build(*args)
        with lock:
            built[key] = result
            if len(built) > REMEMBERED:
                built.popitem(last=False)
        return result

    return wrapper  # type: ignore[return-value]


def _comparable(value: Any) -> Any:
    if isinstance(value, ir.Expr):
        return value.op()
    if isinstance(value, list | tuple):
        return tuple(_comparable(v) for v in value)
    if isinstance(value, Summaries):
        return (Summaries, *(_comparable(getattr(value, f.name)) for f in fields(value)))
    return value


def _directions(a: str, b: str) -> tuple[tuple[str, str, str], ...]:
    return (("exports", a, b), ("imports", b, a))


@remembered
def flow_totals(flows: ir.Table, totals: ir.Table | None, a: str, b: str, year: int) -> ir.Table:
    """The pair's total flows of ``year``, with their growth over the year before."""
    years = [year - 1, year]
    recent = flows.filter(flows.year.isin(years))
    kept = totals.filter(totals.year.isin(years)) if totals is not None else None
    table = growth(pair_totals(recent, a, b, totals=kept))
    return table.filter(table.year == year)


@remembered
def partner_ranks(flows: ir.Table, totals: ir.Table | None, a: str, b: str, year: int) -> ir.Table:
    """``b``'s share and rank among ``a``'s partners."""
    return partner_rank(flows, a, b, year, totals=totals)


@remembered
def sections(flows: ir.Table, a: str, b: str, year: int) -> ir.Table:
    """Both flows by HS section, a ``flow`` column telling them apart."""
    return stack(
        *(
            composition(flows, x, m, year, "section").mutate(flow=ibis.literal(flow))
            for flow, x, m in _directions(a, b)
        )
    )


@remembered
def groups_of_flows(
    flows: ir.Table,
    totals: ir.Table | None,
    a: str,
    b: str,
    groups: Sequence[ProductSelection],
    year: int,
) -> ir.Table:
    """Both flows' value of each product group, a ``flow`` column telling them apart."""
    return stack(
        *(
            group_values(flows, x, m, groups, year, totals=totals).mutate(flow=ibis.literal(flow))
            for flow, x, m in _directions(a, b)
        )
    )


@remembered
def partner_shares(
    flows: ir.Table, a: str, b: str, groups: Sequence[ProductSelection], year: int
) -> tuple[ir.Table, ir.Table]:
    """``a``'s largest partner and ``b`` in its imports and in its exports of each group,
    with the shares' concentration (the other partners are not needed)."""
    return tuple(
        shares.filter((shares["rank"] == 1) | (shares.partner == b))
        for shares in (
            supplier_shares(flows, a, groups, year),
            destination_shares(flows, a, groups, year),
        )
    )


@remembered
def mirror(flows: ir.Table, totals: ir.Table | None, a: str, b: str, year: int) -> ir.Table:
    """Each flow as its exporter and its importer report it."""
    return mirror_table(flows, a, b, year, totals=totals)


@remembered
def matrix(flows: ir.Table, summaries: Summaries, a: str, b: str, year: int) -> ir.Table:
    """What intensity, complementarity and RCA need of the world matrix, for the pair."""
    return matrix_sums(
        flows,
        [a, b],
        year,
        country_products=summaries.country_products,
        world_products=summaries.world_products,
    )


#: The name the pair's matrix sums take in the in-process DuckDB.
SUMS_TABLE = "profile_matrix_sums"
_local = threading.local()


def specialisation(sums: pd.DataFrame, a: str, b: str) -> tuple[ir.Table, ir.Table, ir.Table]:
    """Trade intensity and complementarity both ways and RCA of both countries, over the
    pair's matrix sums (a few thousand rows) in an in-process DuckDB: one per thread, the
    sums always under one name, so that the expressions and their SQL are built once."""
    backend = _local_backend()
    backend.con.register(SUMS_TABLE, pa.Table.from_pandas(sums, preserve_index=False))
    return _specialisation(backend.table(SUMS_TABLE), a, b)


def local_execute(expr: ir.Table) -> pd.DataFrame:
    """Run one of :func:`specialisation`'s expressions (on this thread's DuckDB)."""
    return _local_backend().execute(expr)


def _local_backend() -> BaseBackend:
    if not hasattr(_local, "backend"):
        _local.backend = engines.duckdb_backend()
    backend: BaseBackend = _local.backend
    return backend


@remembered
def _specialisation(sums: ir.Table, a: str, b: str) -> tuple[ir.Table, ir.Table, ir.Table]:
    pairs = ((a, b), (b, a))
    return (
        stack(*(intensity_of(sums, x, m) for x, m in pairs)),
        stack(*(complementarity_of(sums, x, m) for x, m in pairs)),
        rca_of(sums, [a, b]),
    )
