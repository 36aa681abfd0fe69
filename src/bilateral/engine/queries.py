"""The queries a profile runs, built once per question and compiled once for every pair.

Building a profile's Ibis expressions costs about as much Python as DuckDB spends running
them on a year of BACI, and compiling them to SQL as much again. Expressions are
immutable values, so the same question (the same tables, pair, year and groups) gets
the very same expressions back (:mod:`bilateral.engine.remember`), and every pair runs
the SQL compiled for two stand-in codes, with its own codes bound as parameters
(:mod:`bilateral.engine.pair_sql`). Only building and compiling are saved: the data is
read and computed again on every call.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends import BaseBackend

from bilateral.backends import engines
from bilateral.engine.context import Rows, plain_rows
from bilateral.engine.pair_sql import STAND_INS, Query, for_any_pair
from bilateral.engine.remember import remembered
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
from bilateral.store.summaries import Summaries


def _directions(a: str, b: str) -> tuple[tuple[str, str, str], ...]:
    return (("exports", a, b), ("imports", b, a))


@for_any_pair
def flow_totals(flows: ir.Table, totals: ir.Table | None, a: str, b: str, year: int) -> Query:
    """The pair's total flows of ``year``, with their growth over the year before."""
    years = [year - 1, year]
    recent = flows.filter(flows.year.isin(years))
    kept = totals.filter(totals.year.isin(years)) if totals is not None else None
    table = growth(pair_totals(recent, a, b, totals=kept))
    return table.filter(table.year == year)


@for_any_pair
def partner_ranks(flows: ir.Table, totals: ir.Table | None, a: str, b: str, year: int) -> Query:
    """``b``'s share and rank among ``a``'s partners."""
    return partner_rank(flows, a, b, year, totals=totals)


@for_any_pair
def sections(flows: ir.Table, a: str, b: str, year: int) -> Query:
    """Both flows by HS section, a ``flow`` column telling them apart."""
    return stack(
        *(
            composition(flows, x, m, year, "section").mutate(flow=ibis.literal(flow))
            for flow, x, m in _directions(a, b)
        )
    )


@for_any_pair
def fao_items(flows: ir.Table, a: str, b: str, year: int) -> ir.Table:
    """Both flows by FAO item (a few hundred rows at most): what a FAOSTAT group's value
    covers is worked out from them."""
    return stack(
        *(
            composition(flows, x, m, year, rows="FAO").mutate(flow=ibis.literal(flow))
            for flow, x, m in _directions(a, b)
        )
    )


@for_any_pair
def groups_of_flows(
    flows: ir.Table,
    totals: ir.Table | None,
    a: str,
    b: str,
    groups: Sequence[ProductSelection],
    year: int,
) -> Query:
    """Both flows' value of each product group, a ``flow`` column telling them apart."""
    return stack(
        *(
            group_values(flows, x, m, groups, year, totals=totals).mutate(flow=ibis.literal(flow))
            for flow, x, m in _directions(a, b)
        )
    )


@for_any_pair(parts=2)
def partner_shares(
    flows: ir.Table, a: str, b: str, groups: Sequence[ProductSelection], year: int
) -> tuple[Query, Query]:
    """``a``'s largest partner and ``b`` in its imports and in its exports of each group,
    with the shares' concentration (the other partners are not needed)."""
    return tuple(
        shares.filter((shares["rank"] == 1) | (shares.partner == b))
        for shares in (
            supplier_shares(flows, a, groups, year),
            destination_shares(flows, a, groups, year),
        )
    )


@for_any_pair
def mirror(flows: ir.Table, totals: ir.Table | None, a: str, b: str, year: int) -> Query:
    """Each flow as its exporter and its importer report it."""
    return mirror_table(flows, a, b, year, totals=totals)


@for_any_pair
def matrix(flows: ir.Table, summaries: Summaries, a: str, b: str, year: int) -> Query:
    """What intensity, complementarity and RCA need of the world matrix, for the pair."""
    return matrix_sums(
        flows,
        [a, b],
        year,
        country_products=summaries.country_products,
        world_products=summaries.world_products,
    )


#: RCA is given for this many of each country's largest exports.
TOP_RCA_PRODUCTS = 5
#: The name the pair's matrix sums take in the in-process DuckDB.
SUMS_TABLE = "profile_matrix_sums"
_local = threading.local()


def specialisation(sums: pa.Table, a: str, b: str) -> tuple[Rows, Rows, Rows]:
    """Trade intensity and complementarity both ways, and RCA of both countries' largest
    exports (:data:`TOP_RCA_PRODUCTS` per revision), as rows, computed from the pair's
    matrix sums (a few thousand rows) in an in-process DuckDB, one per thread. The sums
    always go in under one name and with the stand-in codes of
    :mod:`bilateral.engine.pair_sql` in their column names (as the sums compiled for any
    pair already have them), so that the three queries are built and compiled once for
    every pair; the codes are written back in the results' rows."""
    codes = dict(zip(_named_sums(a, b), _named_sums(*STAND_INS), strict=True))
    backend = _local_backend()
    renamed = sums.rename_columns([codes.get(name, name) for name in sums.column_names])
    backend.con.register(SUMS_TABLE, renamed)
    back = dict(zip(STAND_INS, (a, b), strict=True))
    intensity, complementarity, advantage = (
        _codes_written(plain_rows(backend.to_pyarrow(query)), back)
        for query in _specialisation(backend.table(SUMS_TABLE))
    )
    return intensity, complementarity, advantage


def _named_sums(a: str, b: str) -> tuple[str, ...]:
    """The columns of the pair's matrix sums named after its codes (see
    :func:`bilateral.indicators.specialisation.matrix_sums`)."""
    return (
        *(f"{flow}_{code}" for code in (a, b) for flow in ("exports", "imports")),
        f"{a}_to_{b}",
        f"{b}_to_{a}",
    )


def _codes_written(rows: Rows, codes: dict[str, str]) -> Rows:
    """``rows`` with the stand-in codes of their exporter and importer replaced."""
    for row in rows:
        for column in ("exporter", "importer"):
            if column in row:
                row[column] = codes.get(row[column], row[column])
    return rows


def _local_backend() -> BaseBackend:
    if not hasattr(_local, "backend"):
        _local.backend = engines.duckdb_backend()
    backend: BaseBackend = _local.backend
    return backend


@remembered
def _specialisation(sums: ir.Table) -> tuple[ir.Table, ir.Table, ir.Table]:
    a, b = STAND_INS
    pairs = ((a, b), (b, a))
    advantage = rca_of(sums, [a, b])
    # only each exporter's largest exports are reported: the rest stays in DuckDB
    order = ibis.row_number().over(
        group_by=("source", "classification", "year", "exporter"),
        order_by=ibis.desc(advantage.value_usd),
    )
    largest = advantage.filter(order < TOP_RCA_PRODUCTS)
    return (
        stack(*(intensity_of(sums, x, m) for x, m in pairs)),
        stack(*(complementarity_of(sums, x, m) for x, m in pairs)),
        largest,
    )
