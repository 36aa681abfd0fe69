"""Indicators: pure functions of Ibis tables, one module per family.

Each takes the canonical flow table (``store.flows()``) and parameters and returns an Ibis
expression, run with ``store.execute(expr)`` (pandas) or ``store.arrow(expr)`` (Arrow).
The families' public functions are imported here; the sanctions lens's own expressions
stay in :mod:`bilateral.indicators.sanctions`.
"""

from bilateral.indicators.dependence import destination_shares, supplier_shares
from bilateral.indicators.flows import cagr, growth, pair_flows, pair_totals
from bilateral.indicators.mirror import mirror_table
from bilateral.indicators.partners import aggregate_partners, partner_rank, partner_ranking
from bilateral.indicators.specialisation import (
    country_product_sums,
    matrix_sums,
    rca,
    trade_complementarity,
    trade_intensity,
    world_product_sums,
)
from bilateral.indicators.structure import composition, group_values

__all__ = [
    "aggregate_partners",
    "cagr",
    "composition",
    "country_product_sums",
    "destination_shares",
    "group_values",
    "growth",
    "matrix_sums",
    "mirror_table",
    "pair_flows",
    "pair_totals",
    "partner_rank",
    "partner_ranking",
    "rca",
    "supplier_shares",
    "trade_complementarity",
    "trade_intensity",
    "world_product_sums",
]
