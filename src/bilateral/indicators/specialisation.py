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

from bilateral.errors import not_one_of, pair_of_one_country
from bilateral.indicators.flows import HS_REVISIONS, WORLD_MATRIX_SOURCES, earliest_revision
from bilateral.indicators.ratios import ratio
from bilateral.indicators.rows import flow_sides, is_country
from bilateral.reference.products import HS_LEVELS

_MATRIX = ["source", "classification", "year"]


def _of(table: ir.Table, year: int | None, source: str | None) -> ir.Table:
    """The rows of ``year`` and ``source``, where given (of the flows or of the country
    product sums: both have these columns)."""
    if year is not None:
        table = table.filter(table.year == year)
    if source is not None:
        table = table.filter(table.source == source)
    return table


def _cut(product: ir.StringValue, digits: int) -> ir.StringValue:
    """A 6-digit code cut to ``digits``; left alone at 6 (a cut of every row costs)."""
    return product if digits == 6 else product.substr(0, digits)


def _matrix_rows(flows: ir.Table, year: int | None, source: str | None, digits: int) -> ir.Table:
    """Country-to-country HS rows of the world-matrix sources, codes cut to ``digits``.

    A world-matrix source publishes annual figures for all modes of transport, so its rows
    are read as they are: no monthly sums or mode totals to resolve (rows with a month or
    a mode are not part of the matrix). Reading the table once, with every filter in one
    place, lets the engine scan a year of BACI without copying it.
    """
    flows = _of(flows, year, source)
    t = flows.filter(
        flows.source.isin(list(WORLD_MATRIX_SOURCES))
        & flows.month.isnull()
        & flows.transport_mode.isnull()
        & flows.classification.isin(list(HS_REVISIONS))
        & (flows.product.length() == 6)
        & is_country(flows.exporter)
        & is_country(flows.importer)
    )
    product = _cut(t.product, digits)
    return t.select(*_MATRIX, "exporter", "importer", product=product, value_usd=t.value_usd)


def _digits(level: str) -> int:
    if level not in HS_LEVELS:
        raise not_one_of("level", level, HS_LEVELS)
    return HS_LEVELS[level]


def country_product_sums(
    flows: ir.Table, year: int | None = None, *, source: str | None = None
) -> ir.Table:
    """Each country's exports and imports of each HS 6-digit product in the world matrix.

    Returns
    -------
    Table
        source, classification, year, product, country, exports_usd, imports_usd: one
        row per country and product it trades, a side it does not trade null. The sum of
        ``exports_usd`` over countries is the world's exports of the product.

    A year of BACI (11 million rows) becomes about a tenth as many; the store keeps this
    table for every year of a world-matrix source (:meth:`bilateral.store.Store.summaries`)
    so that :func:`matrix_sums` need not read the matrix.
    """
    # every row read once, as its exporter's exports and as its importer's imports
    t = _matrix_rows(flows, year, source, 6).cross_join(flow_sides())
    exports = t.flow == "exports"
    t = t.mutate(country=ibis.ifelse(exports, t.exporter, t.importer))
    return t.group_by([*_MATRIX, "product", "country"]).aggregate(
        exports_usd=t.value_usd.sum(where=exports),
        imports_usd=t.value_usd.sum(where=~exports),
    )


def world_product_sums(
    flows: ir.Table, year: int | None = None, *, source: str | None = None
) -> ir.Table:
    """The world's exports of each HS 6-digit product in the world matrix.

    Returns
    -------
    Table
        source, classification, year, product, exports_usd: the sum over countries of
        :func:`country_product_sums`' exports, a few thousand rows a year. The store keeps
        it beside the country product sums, so that RCA's world figures are not summed
        from a million rows for every pair. A product nobody exports has no row (zero).
    """
    t = _matrix_rows(flows, year, source, 6)
    return t.group_by([*_MATRIX, "product"]).aggregate(exports_usd=t.value_usd.sum())


def matrix_sums(
    flows: ir.Table,
    countries: Sequence[str],
    year: int | None = None,
    *,
    source: str | None = None,
    level: str = "subheading",
    country_products: ir.Table | None = None,
    world_products: ir.Table | None = None,
) -> ir.Table:
    """What the three indicators need to know of the matrix, for a few countries, in one
    pass over it.

    Parameters
    ----------
    country_products
        :func:`country_product_sums` of ``flows``, if already computed (the store keeps
        it): then only the rows between ``countries`` are read from ``flows``.
    world_products
        :func:`world_product_sums` of ``flows``, with ``country_products``: then only the
        rows of ``countries`` are read from those.

    Returns
    -------
    Table
        One row per source, classification, year and product (HS ``level``):
        ``world_usd`` (all exporters), and for each country C of ``countries``:
        ``exports_C``, ``imports_C`` and, for every other country D, ``C_to_D``. A sum
        with no rows behind it is null (the country does not trade the product).

    A year of BACI becomes a few thousand rows here, from which :func:`rca_of`,
    :func:`intensity_of` and :func:`complementarity_of` compute their figures; a profile
    reads the year once for all of them.
    """
    digits = _digits(level)
    if country_products is not None:
        return _sums_from_country_products(
            flows, countries, year, source, digits, country_products, world_products
        )
    t = _matrix_rows(flows, year, source, digits)
    sums: dict[str, ir.Value] = {"world_usd": t.value_usd.sum()}
    for c in countries:
        sums[f"exports_{c}"] = t.value_usd.sum(where=t.exporter == c)
        sums[f"imports_{c}"] = t.value_usd.sum(where=t.importer == c)
        sums.update(_bilateral_sums(t, c, countries))
    return t.group_by([*_MATRIX, "product"]).aggregate(**sums)


def _bilateral_sums(t: ir.Table, c: str, countries: Sequence[str]) -> dict[str, ir.Value]:
    """``C_to_D``: c's exports to each other country of ``countries``."""
    return {
        f"{c}_to_{d}": t.value_usd.sum(where=(t.exporter == c) & (t.importer == d))
        for d in countries
        if d != c
    }


def _exports_of_country_products(
    country_products: ir.Table, year: int | None, source: str | None, digits: int
) -> ir.Table:
    """Each exporter's exports of each product from :func:`country_product_sums`, with the
    columns of :func:`_matrix_rows` that RCA reads."""
    cp = _of(country_products, year, source)
    cp = cp.filter(cp.exports_usd.notnull())
    product = _cut(cp.product, digits)
    return cp.select(*_MATRIX, exporter=cp.country, product=product, value_usd=cp.exports_usd)


def _sums_from_country_products(
    flows: ir.Table,
    countries: Sequence[str],
    year: int | None,
    source: str | None,
    digits: int,
    country_products: ir.Table,
    world_products: ir.Table | None,
) -> ir.Table:
    """:func:`matrix_sums` from :func:`country_product_sums` (and
    :func:`world_product_sums`), and the matrix rows between ``countries`` (the only ones
    it still needs)."""
    keys = [*_MATRIX, "product"]
    cp = _of(country_products, year, source)
    if world_products is not None:
        cp = cp.filter(cp.country.isin(list(countries)))
    cp = cp.mutate(product=_cut(cp.product, digits))
    sums: dict[str, ir.Value] = {}
    for c in countries:
        sums[f"exports_{c}"] = cp.exports_usd.sum(where=cp.country == c)
        sums[f"imports_{c}"] = cp.imports_usd.sum(where=cp.country == c)
    if world_products is None:
        per_product = cp.group_by(keys).aggregate(world_usd=cp.exports_usd.sum(), **sums)
    else:
        world = _of(world_products, year, source)
        world = world.mutate(product=_cut(world.product, digits))
        world = world.group_by(keys).aggregate(world_usd=world.exports_usd.sum())
        mine = cp.group_by(keys).aggregate(**sums)
        per_product = world.left_join(mine, keys).select(*keys, "world_usd", *sums)
    if len(countries) < 2:
        return per_product
    # each exporter on its own: its rows lie together in the files (sorted by exporter),
    # where a list of exporters would be read as the range between them (KAZ..RUS)
    among = ibis.union(
        *(
            flows.filter((flows.exporter == c) & flows.importer.isin(list(countries)))
            for c in dict.fromkeys(countries)
        ),
        distinct=False,
    )
    t = _matrix_rows(among, year, source, digits)
    pair_sums: dict[str, ir.Value] = {}
    for c in countries:
        pair_sums.update(_bilateral_sums(t, c, countries))
    pairs = t.group_by(keys).aggregate(**pair_sums)
    joined = per_product.left_join(pairs, keys)
    return joined.select(*keys, "world_usd", *sums, *pair_sums)


def rca_of(sums: ir.Table, exporters: Sequence[str]) -> ir.Table:
    """:func:`rca` of each of ``exporters`` from :func:`matrix_sums` of them: same columns;
    a product the exporter does not export has no row (RCA zero)."""
    # the world's total before any exporter's products are picked out
    sums = sums.mutate(_world=sums.world_usd.sum().over(group_by=_MATRIX))
    per_exporter = []
    for c in dict.fromkeys(exporters):
        x = sums.filter(sums[f"exports_{c}"] > 0)
        per_exporter.append(
            x.select(
                *_MATRIX,
                exporter=ibis.literal(c),
                product=x.product,
                value_usd=x[f"exports_{c}"],
                exporter_total_usd=x[f"exports_{c}"].sum().over(group_by=_MATRIX),
                product_world_usd=x.world_usd,
                world_usd=x._world,
            )
        )
    x = ibis.union(*per_exporter, distinct=False) if len(per_exporter) > 1 else per_exporter[0]
    return x.mutate(
        rca=ratio(ratio(x.value_usd, x.exporter_total_usd), ratio(x.product_world_usd, x.world_usd))
    )


def intensity_of(sums: ir.Table, exporter: str, importer: str) -> ir.Table:
    """:func:`trade_intensity` from :func:`matrix_sums` of both countries: same columns,
    null (unknown) where a total is missing or zero."""
    totals = sums.group_by(_MATRIX).aggregate(
        exports_usd=sums[f"{exporter}_to_{importer}"].sum(),
        exporter_total_usd=sums[f"exports_{exporter}"].sum(),
        importer_total_usd=sums[f"imports_{importer}"].sum(),
        world_usd=sums.world_usd.sum(),
    )
    totals = earliest_revision(totals)
    return totals.select(
        "source",
        "year",
        exporter=ibis.literal(exporter),
        importer=ibis.literal(importer),
        exports_usd=totals.exports_usd,
        exporter_total_usd=totals.exporter_total_usd,
        importer_total_usd=totals.importer_total_usd,
        world_usd=totals.world_usd,
        intensity=ratio(
            ratio(totals.exports_usd, totals.exporter_total_usd),
            ratio(totals.importer_total_usd, totals.world_usd),
        ),
    )


def complementarity_of(sums: ir.Table, exporter: str, importer: str) -> ir.Table:
    """:func:`trade_complementarity` from :func:`matrix_sums` of both countries: same
    columns; a product one side does not trade has a zero share on that side."""
    x_value, m_value = sums[f"exports_{exporter}"], sums[f"imports_{importer}"]
    both = sums.filter(x_value.notnull() | m_value.notnull())
    x_value, m_value = both[f"exports_{exporter}"], both[f"imports_{importer}"]
    # A product one side does not trade has a null value there, hence a null share.
    both = both.select(
        *_MATRIX,
        "product",
        x_share=ratio(x_value, x_value.sum().over(group_by=_MATRIX)),
        m_share=ratio(m_value, m_value.sum().over(group_by=_MATRIX)),
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


def rca(
    flows: ir.Table,
    year: int | None = None,
    *,
    source: str | None = None,
    level: str = "subheading",
    exporters: Sequence[str] | None = None,
    country_products: ir.Table | None = None,
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
        Only these exporters' rows (the world totals still cover every exporter),
        computed from :func:`matrix_sums` instead of the whole exporter-product matrix.
    country_products
        :func:`country_product_sums` of ``flows``, if already computed (the store keeps
        it): the exporter-product values are read from it instead of the matrix.

    Returns
    -------
    Table
        source, classification, year, exporter, product, value_usd, exporter_total_usd,
        product_world_usd, world_usd, rca (> 1: the country is specialised in the product).

    Only products a country exports have rows; any other has RCA zero (no exports in a
    complete matrix). Computed per HS revision: BACI's HS92 and HS22 are not mixed.
    """
    if exporters is not None:
        exporters = list(dict.fromkeys(exporters))
        sums = matrix_sums(
            flows, exporters, year, source=source, level=level, country_products=country_products
        )
        return rca_of(sums, exporters)
    if country_products is not None:
        t = _exports_of_country_products(country_products, year, source, _digits(level))
    else:
        t = _matrix_rows(flows, year, source, _digits(level))
    x = t.group_by([*_MATRIX, "exporter", "product"]).aggregate(value_usd=t.value_usd.sum())
    x = x.filter(x.value_usd > 0)
    x = x.mutate(
        exporter_total_usd=x.value_usd.sum().over(group_by=[*_MATRIX, "exporter"]),
        product_world_usd=x.value_usd.sum().over(group_by=[*_MATRIX, "product"]),
        world_usd=x.value_usd.sum().over(group_by=_MATRIX),
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

    Summed per HS revision; the earliest revision of each source and year is used, as
    for the matrix's totals (:func:`bilateral.indicators.flows.total_rows`). Null
    (unknown) when the matrix has no flow exporter -> importer that year: a pair absent
    from a complete matrix has intensity 0, but an absent year is not a zero.
    """
    sums = matrix_sums(flows, _two(exporter, importer), year, source=source)
    return intensity_of(sums, exporter, importer)


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
    sums = matrix_sums(flows, _two(exporter, importer), year, source=source, level=level)
    return complementarity_of(sums, exporter, importer)


def _two(exporter: str, importer: str) -> list[str]:
    if exporter == importer:
        raise pair_of_one_country(exporter)
    return [exporter, importer]
