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

Both are computed from the year's rows with revisions resolved, the same expressions the
indicators would otherwise run, and rebuilt whenever a file adds or revises rows of that
year. Totals are chosen per source and year over all of the year's rows: when a source
holds two HS revisions of a year, every pair's total is summed from the earliest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis.expr.types as ir
import pyarrow as pa

from bilateral.indicators.flows import WORLD_MATRIX_SOURCES, total_rows
from bilateral.indicators.specialisation import country_product_sums, world_product_sums

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
    (so that the common filters read few row groups), and which sources have it."""

    name: str
    compute: Callable[[ir.Table], ir.Table]
    schema: pa.Schema
    sort_key: tuple[str, ...]
    matrix_only: bool

    def applies_to(self, source: str) -> bool:
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
