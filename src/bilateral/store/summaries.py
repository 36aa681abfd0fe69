"""What the store derives from each year's rows when it ingests them, so that totals and
the world matrix's sums are read from thousands of rows rather than millions.

Three summaries, each one Parquet file per source and year:

- ``totals``: :func:`bilateral.indicators.flows.total_rows` of the year, the annual total
  of every flow with its basis. Read by the pair's flows, the partner rankings, mirror
  gaps and the share of product groups (a year of BACI: 11 million rows, 40 thousand
  totals).
- ``country_products``: :func:`bilateral.indicators.specialisation.country_product_sums`
  of a world-matrix source's year, each country's exports and imports of each HS
  6-digit product. Read by RCA, trade intensity and complementarity (about a tenth of
  the matrix).
- ``world_products``: :func:`bilateral.indicators.specialisation.world_product_sums`, the
  world's exports of each product (a few thousand rows): with it a pair's RCA reads
  only the two countries' rows of the country product sums.

All are computed from the year's rows with revisions resolved, the same expressions the
indicators would otherwise run, and rebuilt whenever a file adds or revises rows of that
year. Totals are chosen per source and year over all of the year's rows: when a source
holds two HS revisions of a year, every pair's total is summed from the earliest.

Beside them, for a year that two files of a source hold (a release and its revision),
``latest``: the year's rows with revisions resolved
(:func:`bilateral.store.store.latest_revisions`), which :meth:`Store.flows
<bilateral.store.store.Store.flows>` reads in place of the two files' rows. Ranking the
revised files' rows took a window over all of them in every query (a claim check's
costliest step in the store); at ingest it is paid once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis.expr.types as ir
import pyarrow as pa

from bilateral.indicators.flows import WORLD_MATRIX_SOURCES, total_rows
from bilateral.indicators.specialisation import country_product_sums, world_product_sums
from bilateral.schema import FLOW_SCHEMA
from bilateral.store.layout import SORT_KEY

TOTALS_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("release", pa.string()),
        ("year", pa.int16()),
        ("exporter", pa.string()),
        ("importer", pa.string()),
        ("reported_by", pa.string()),
        ("classification", pa.string()),
        ("product", pa.string()),
        ("valuation", pa.string()),
        ("value_usd", pa.float64()),
        ("basis", pa.string()),
    ]
)
COUNTRY_PRODUCTS_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("classification", pa.string()),
        ("year", pa.int16()),
        ("product", pa.string()),
        ("country", pa.string()),
        ("exports_usd", pa.float64()),
        ("imports_usd", pa.float64()),
    ]
)
WORLD_PRODUCTS_SCHEMA = pa.schema(
    [
        ("source", pa.string()),
        ("classification", pa.string()),
        ("year", pa.int16()),
        ("product", pa.string()),
        ("exports_usd", pa.float64()),
    ]
)


@dataclass(frozen=True)
class Kind:
    """One summary: how it is computed from a year's flows, its schema, its sort order
    (so that the common filters read few row groups), and which years have it: of every
    source or of the world matrices only, of every year or only of a year that several
    files hold (``revised_only``)."""

    name: str
    compute: Callable[[ir.Table], ir.Table]
    schema: pa.Schema
    sort_key: tuple[str, ...]
    matrix_only: bool
    revised_only: bool = False

    def applies_to(self, source: str, files: int = 1) -> bool:
        """Whether a year of ``source`` held by ``files`` files has this summary."""
        if self.revised_only and files < 2:
            return False
        return not self.matrix_only or source in WORLD_MATRIX_SOURCES


KINDS = (
    Kind("totals", total_rows, TOTALS_SCHEMA, ("exporter", "importer"), matrix_only=False),
    Kind(
        "country_products",
        country_product_sums,
        COUNTRY_PRODUCTS_SCHEMA,
        ("country", "product"),
        matrix_only=True,
    ),
    Kind(
        "world_products",
        world_product_sums,
        WORLD_PRODUCTS_SCHEMA,
        ("product",),
        matrix_only=True,
    ),
)


def _rows(flows: ir.Table) -> ir.Table:
    """The year's rows themselves (revisions resolved)."""
    return flows


#: A revised year's rows, revisions resolved: read by :meth:`Store.flows
#: <bilateral.store.store.Store.flows>` instead of ranking the files' rows in every query.
LATEST = Kind("latest", _rows, FLOW_SCHEMA, SORT_KEY, matrix_only=False, revised_only=True)
#: Everything the store derives from a year's rows at ingest.
DERIVED = (*KINDS, LATEST)


def compute(kind: Kind, flows: ir.Table, execute: Callable[[ir.Table], pa.Table]) -> pa.Table:
    """``kind`` of one source's year (``flows``, revisions resolved), sorted, in its schema."""
    table = kind.compute(flows)
    result = execute(table.select(*kind.schema.names).order_by(list(kind.sort_key)))
    return result.cast(kind.schema)


@dataclass(frozen=True)
class Summaries:
    """The store's summaries as tables, or None for a kind some year lacks (a store
    written before summaries existed): the indicators then compute from the flows."""

    totals: ir.Table | None = None
    country_products: ir.Table | None = None
    world_products: ir.Table | None = None

    def of_source(self, source: str) -> Summaries:
        """Only ``source``'s rows."""
        return Summaries(
            *(
                None if table is None else table.filter(table.source == source)
                for table in (self.totals, self.country_products, self.world_products)
            )
        )
