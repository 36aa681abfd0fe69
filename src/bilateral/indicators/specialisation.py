"""Specialisation: Balassa's revealed comparative advantage, the trade intensity index and
the trade complementarity index.

All three compare a country with the world, so they need the whole world matrix: every
exporter, importer and product of one year. Only sources in
:data:`bilateral.indicators.flows.WORLD_MATRIX_SOURCES` (BACI) hold it; for other sources
these indicators have no rows. Inside a complete matrix a missing row means no trade,
so absent products count as zero.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from bilateral.indicators.flows import HS_REVISIONS, WORLD_MATRIX_SOURCES, total_rows
from bilateral.indicators.ratios import ratio
from bilateral.indicators.rows import annual, is_country
from bilateral.reference.products import HS_LEVELS

_MATRIX = ["source", "classification", "year"]


def _matrix_rows(flows: ir.Table, year: int | None, source: str | None, digits: int) -> ir.Table:
    """Country-to-country HS rows of the world-matrix sources, codes cut to ``digits``."""
    if year is not None:
        flows = flows.filter(flows.year == year)
    if source is not None:
        flows = flows.filter(flows.source == source)
    t = annual(flows.filter(flows.source.isin(list(WORLD_MATRIX_SOURCES))))
    t = t.filter(
        t.source.isin(list(WORLD_MATRIX_SOURCES))
        & t.classification.isin(list(HS_REVISIONS))
        & (t.product.length() == 6)
        & is_country(t.exporter)
        & is_country(t.importer)
    )
    return t.mutate(product=t.product.substr(0, digits))


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

    Returns
    -------
    Table
        source, classification, year, exporter, product, value_usd, exporter_total_usd,
        product_world_usd, world_usd, rca (> 1: the country is specialised in the product).

    Only products a country exports have rows; any other has RCA zero (no exports in a
    complete matrix). Computed per HS revision: BACI's HS92 and HS22 are not mixed.
    """
    t = _matrix_rows(flows, year, source, _digits(level))
    x = t.group_by([*_MATRIX, "exporter", "product"]).aggregate(value_usd=t.value_usd.sum())
    x = x.filter(x.value_usd > 0)
    country_total = x.value_usd.sum().over(group_by=[*_MATRIX, "exporter"])
    product_total = x.value_usd.sum().over(group_by=[*_MATRIX, "product"])
    world_total = x.value_usd.sum().over(group_by=_MATRIX)
    x = x.mutate(
        exporter_total_usd=country_total,
        product_world_usd=product_total,
        world_usd=world_total,
    )
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

    Null (unknown) when the matrix has no flow exporter -> importer that year: a pair
    absent from a complete matrix has intensity 0, but an absent year is not a zero.
    """
    if year is not None:
        flows = flows.filter(flows.year == year)
    if source is not None:
        flows = flows.filter(flows.source == source)
    t = total_rows(flows.filter(flows.source.isin(list(WORLD_MATRIX_SOURCES))))
    t = t.filter(
        t.source.isin(list(WORLD_MATRIX_SOURCES)) & is_country(t.exporter) & is_country(t.importer)
    )
    keys = ["source", "year"]
    sums = t.group_by(keys).aggregate(
        exports_usd=t.value_usd.sum(where=(t.exporter == exporter) & (t.importer == importer)),
        exporter_total_usd=t.value_usd.sum(where=t.exporter == exporter),
        importer_total_usd=t.value_usd.sum(where=t.importer == importer),
        world_usd=t.value_usd.sum(),
    )
    return sums.select(
        *keys,
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
    keys = [*_MATRIX, "product"]
    x = t.filter(t.exporter == exporter)
    x = x.group_by(keys).aggregate(x_value=x.value_usd.sum())
    x = x.mutate(x_share=ratio(x.x_value, x.x_value.sum().over(group_by=_MATRIX)))
    m = t.filter(t.importer == importer)
    m = m.group_by(keys).aggregate(m_value=m.value_usd.sum())
    m = m.mutate(m_share=ratio(m.m_value, m.m_value.sum().over(group_by=_MATRIX)))
    both = x.outer_join(m, [x[k] == m[k] for k in keys])
    both = both.select(
        **{k: ibis.coalesce(x[k], m[k]) for k in keys},
        x_share=both.x_share,
        m_share=both.m_share,
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
