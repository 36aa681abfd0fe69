"""Specialisation: Balassa's revealed comparative advantage, the trade intensity index and
the trade complementarity index.

All three compare a country with the world, so they need the whole world matrix: every
exporter, importer and product of one year. Only sources in
:data:`bilateral.indicators.flows.WORLD_MATRIX_SOURCES` (BACI) hold it; for other sources
these indicators have no rows. Inside a complete matrix a missing row means no trade,
so absent products count as zero.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir

from bilateral.indicators.flows import HS_REVISIONS, WORLD_MATRIX_SOURCES, revision_order
from bilateral.indicators.ratios import ratio
from bilateral.indicators.rows import is_country
from bilateral.reference.products import HS_LEVELS

_MATRIX = ["source", "classification", "year"]


def _matrix_rows(flows: ir.Table, year: int | None, source: str | None, digits: int) -> ir.Table:
    """Country-to-country HS rows of the world-matrix sources, codes cut to ``digits``.

    A world-matrix source publishes annual figures for all modes of transport, so its rows
    are read as they are: no monthly sums or mode totals to resolve (rows with a month or
    a mode are not part of the matrix). Reading the table once, with every filter in one
    place, lets the engine scan a year of BACI without copying it.
    """
    if year is not None:
        flows = flows.filter(flows.year == year)
    if source is not None:
        flows = flows.filter(flows.source == source)
    t = flows.filter(
        flows.source.isin(list(WORLD_MATRIX_SOURCES))
        & flows.month.isnull()
        & flows.transport_mode.isnull()
        & flows.classification.isin(list(HS_REVISIONS))
        & (flows.product.length() == 6)
        & is_country(flows.exporter)
        & is_country(flows.importer)
    )
    return t.select(
        *_MATRIX, "exporter", "importer", product=t.product.substr(0, digits), value_usd=t.value_usd
    )


def _digits(level: str) -> int:
    if level not in HS_LEVELS:
        raise ValueError(f"unknown level '{level}'; expected one of {', '.join(HS_LEVELS)}")
    return HS_LEVELS[level]


def rca(
    flows: ir.Table,
    year: int | None = None,
    *,
    source: str | None = None,
    level: str = "subheading",
    exporters: Sequence[str] | None = None,
) -> ir.Table:
    """Balassa's revealed comparative advantage of every exporter in every product.

    RCA = (x_cp / X_c) / (X_p / X_w): the product's share in the country's exports over
    its share in world exports, where the world is every exporter of the source and year.

    Parameters
    ----------
    flows
        The canonical flow table.
    year, source
        Optional filters.
    level
        'subheading' (HS 6 digits, default), 'heading' or 'chapter'.
    exporters
        Only these exporters' rows (the world totals still cover every exporter). A
        profile needs two countries, and this computes them from one pass over the
        matrix instead of the RCA of the whole world.

    Returns
    -------
    Table
        source, classification, year, exporter, product, value_usd, exporter_total_usd,
        product_world_usd, world_usd, rca (> 1: the country is specialised in the product).

    Only products a country exports have rows; any other has RCA zero (no exports in a
    complete matrix). Computed per HS revision: BACI's HS92 and HS22 are not mixed.
    """
    t = _matrix_rows(flows, year, source, _digits(level))
    if exporters is not None:
        # Every exporter not asked for is folded into one null "rest of the world" per
        # product: a few thousand groups instead of the whole exporter-product matrix.
        wanted = t.exporter.isin(list(exporters))
        t = t.mutate(exporter=ibis.ifelse(wanted, t.exporter, ibis.null("string")))
    x = t.group_by([*_MATRIX, "exporter", "product"]).aggregate(value_usd=t.value_usd.sum())
    x = x.filter(x.value_usd > 0)
    x = x.mutate(
        exporter_total_usd=x.value_usd.sum().over(group_by=[*_MATRIX, "exporter"]),
        product_world_usd=x.value_usd.sum().over(group_by=[*_MATRIX, "product"]),
        world_usd=x.value_usd.sum().over(group_by=_MATRIX),
    )
    if exporters is not None:
        x = x.filter(x.exporter.notnull())
    return x.mutate(
        rca=ratio(ratio(x.value_usd, x.exporter_total_usd), ratio(x.product_world_usd, x.world_usd))
    )


def trade_intensity(
    flows: ir.Table,
    exporter: str,
    importer: str,
    year: int | None = None,
    *,
    source: str | None = None,
) -> ir.Table:
    """Trade intensity index of exporter -> importer (the WITS definition).

    TII = (x_ab / X_a) / (M_b / X_w): the importer's share in the exporter's exports over
    its share in world trade, where M_b is the world's exports to the importer and X_w
    all exports. Above 1: the pair trades more than the importer's size in world trade
    predicts.

    Returns
    -------
    Table
        source, year, exporter, importer, exports_usd (x_ab), exporter_total_usd (X_a),
        importer_total_usd (M_b), world_usd (X_w), intensity.

    The four sums are taken in one pass over the year's matrix, per HS revision; the
    earliest revision of each source and year is used, as for the matrix's totals
    (:func:`bilateral.indicators.flows.total_rows`). Null (unknown) when the matrix has no
    flow exporter -> importer that year: a pair absent from a complete matrix has
    intensity 0, but an absent year is not a zero.
    """
    t = _matrix_rows(flows, year, source, 6)
    sums = t.group_by(_MATRIX).aggregate(
        exports_usd=t.value_usd.sum(where=(t.exporter == exporter) & (t.importer == importer)),
        exporter_total_usd=t.value_usd.sum(where=t.exporter == exporter),
        importer_total_usd=t.value_usd.sum(where=t.importer == importer),
        world_usd=t.value_usd.sum(),
    )
    order = revision_order(sums.classification)
    sums = sums.mutate(_order=order, _first=order.min().over(group_by=["source", "year"]))
    sums = sums.filter(sums._order == sums._first)
    return sums.select(
        "source",
        "year",
        exporter=ibis.literal(exporter),
        importer=ibis.literal(importer),
        exports_usd=sums.exports_usd,
        exporter_total_usd=sums.exporter_total_usd,
        importer_total_usd=sums.importer_total_usd,
        world_usd=sums.world_usd,
        intensity=ratio(
            ratio(sums.exports_usd, sums.exporter_total_usd),
            ratio(sums.importer_total_usd, sums.world_usd),
        ),
    )


def trade_complementarity(
    flows: ir.Table,
    exporter: str,
    importer: str,
    year: int | None = None,
    *,
    source: str | None = None,
    level: str = "subheading",
) -> ir.Table:
    """Trade complementarity index: how well the exporter's exports match the importer's
    imports (the WITS definition), 0 = no overlap, 100 = identical product profiles.

    TC = 100 * (1 - sum_k |m_k - x_k| / 2), where m_k is product k's share in the
    importer's imports from the world and x_k its share in the exporter's exports to the
    world, at the HS ``level`` (default 6 digits).

    Returns
    -------
    Table
        source, classification, year, exporter, importer, n_products, complementarity.

    A product one side does not trade has a zero share on that side (complete matrix); a
    year without exports of the exporter or imports of the importer has no row (unknown).
    """
    t = _matrix_rows(flows, year, source, _digits(level))
    t = t.filter((t.exporter == exporter) | (t.importer == importer))
    exported, imported = t.exporter == exporter, t.importer == importer
    both = t.group_by([*_MATRIX, "product"]).aggregate(
        x_value=t.value_usd.sum(where=exported),
        m_value=t.value_usd.sum(where=imported),
    )
    # A product one side has no rows for has a null value there, hence a null share.
    both = both.mutate(
        x_share=ratio(both.x_value, both.x_value.sum().over(group_by=_MATRIX)),
        m_share=ratio(both.m_value, both.m_value.sum().over(group_by=_MATRIX)),
    )
    diff = (both.m_share.fill_null(0.0) - both.x_share.fill_null(0.0)).abs()
    index = both.group_by(_MATRIX).aggregate(
        n_products=both.product.count(),
        has_x=both.x_share.count(),
        has_m=both.m_share.count(),
        total_diff=diff.sum(),
    )
    index = index.filter((index.has_x > 0) & (index.has_m > 0))
    return index.select(
        *_MATRIX,
        exporter=ibis.literal(exporter),
        importer=ibis.literal(importer),
        n_products=index.n_products,
        complementarity=100.0 * (1.0 - index.total_diff / 2.0),
    )
