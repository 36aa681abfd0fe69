"""Dependence on partners for a product or group: each supplier's share of a country's
imports ("98% of imported wheat comes from Russia"), each destination's share of its
exports, the Herfindahl index of those shares, and the ranks that name the top partners.

Works on any product-level source: HS rows (BACI, Comtrade) and FAO items (FAOSTAT), with
the reporter's own statistics (its imports as importer, its exports as exporter) or
reconciled ones.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis
import ibis.expr.types as ir

from bilateral.indicators.coverage import (
    PRODUCT_TABLES,
    is_complete,
    unspecified_for,
    why_partial,
)
from bilateral.indicators.ratios import percent, ratio
from bilateral.indicators.rows import (
    FAO,
    annual,
    is_country,
    label_names,
    product_rows,
    selections_of,
    statistics_of,
)
from bilateral.reference.countries import WORLD
from bilateral.reference.products import ProductSelection

#: Sources whose partner lists are incomplete, and what that does to shares.
PARTNER_CAVEATS: Mapping[str, str] = {
    "faostat": (
        "FAOSTAT extract: lists only partners with at least a 5% share of the reporter's "
        "trade in the item, flow and year; shares are of the listed partners' sum, so each "
        "is an upper bound and smaller partners are missing"
    ),
}
_UPPER_BOUNDS = [t.source for t in PRODUCT_TABLES if t.upper_bounds]


def _caveat(source: ir.StringValue) -> ir.StringValue:
    return ibis.cases(
        *((source == name, ibis.literal(text)) for name, text in PARTNER_CAVEATS.items()),
        else_=ibis.null(str),
    )


Products = str | ProductSelection | Sequence[str | ProductSelection]


def _every_product(table: ir.Table) -> ir.Table:
    """Every HS 6-digit subheading and FAO item as a product of its own (``group`` is the
    code): one query for all of a country's products instead of a list of thousands."""
    is_subheading = table.classification.startswith("HS") & (table.product.length() == 6)
    t = table.filter(is_subheading | (table.classification == FAO))
    return t.mutate(group=t.product)


def _partner_shares(
    flows: ir.Table,
    country: str,
    products: Products | None,
    flow: str,
    year: int | None,
    source: str | None,
) -> ir.Table:
    mine = (flows.importer == country) if flow == "imports" else (flows.exporter == country)
    side = statistics_of(flows)
    flows = flows.filter(mine & ((side == country) | (side == "reconciled")))
    if year is not None:
        flows = flows.filter(flows.year == year)
    if source is not None:
        flows = flows.filter(flows.source == source)
    if products is None:
        t = _every_product(annual(flows))
    else:
        t = product_rows(annual(flows), selections_of(products))
    t = t.mutate(partner=t.exporter if flow == "imports" else t.importer)
    keys = ["source", "reported_by", "classification", "year", "group"]

    printed = t.filter(t.partner == WORLD)
    printed = printed.group_by(keys).aggregate(printed_world=printed.value_usd.sum())
    # the world: every partner row, countries and unspecified partners ('Unknown country')
    in_world = (is_country(t.partner) | t.partner.isin(unspecified_for(country))) & (
        t.partner != country
    )
    listed = t.filter(in_world)
    listed = listed.group_by(keys).aggregate(summed_world=listed.value_usd.sum())
    countries = t.filter(is_country(t.partner) & (t.partner != country))
    per_partner = countries.group_by([*keys, "partner"]).aggregate(
        value_usd=countries.value_usd.sum()
    )
    p = per_partner.left_join(printed, keys).drop(*(f"{k}_right" for k in keys))
    p = p.left_join(listed, keys).drop(*(f"{k}_right" for k in keys))
    reporter = ibis.literal(country)
    # a partial table (an extract of some partners) gives no share, unless its shares are
    # kept as upper bounds (FAOSTAT, with its caveat)
    kept = is_complete(PRODUCT_TABLES, p.source, reporter) | p.source.isin(_UPPER_BOUNDS)
    p = p.select(
        *keys,
        partner=p.partner,
        value_usd=p.value_usd,
        world_usd=ibis.coalesce(
            p.printed_world, ibis.ifelse(kept, p.summed_world, ibis.null("float64"))
        ),
        world_basis=ibis.cases(
            (p.printed_world.notnull(), ibis.literal("WLD row")),
            (kept, ibis.literal("sum of partners")),
            else_=ibis.null(str),
        ),
        ranked=kept,
        why=why_partial(PRODUCT_TABLES, p.source, reporter),
    )
    whole = ibis.window(group_by=keys)
    by_value = ibis.window(group_by=keys, order_by=ibis.desc("value_usd"))  # ties share a rank
    fraction = ratio(p.value_usd, p.world_usd)
    no_rank = ibis.null("int64")
    return p.select(
        "source",
        statistics_of=ibis.ifelse(p.reported_by == "reconciled", "reconciled", country),
        reported_by=p.reported_by,
        classification=p.classification,
        year=p.year,
        reporter=ibis.literal(country),
        flow=ibis.literal(flow),
        product=p.group,
        product_name=p.group if products is None else label_names(p.group, selections_of(products)),
        partner=p.partner,
        value_usd=p.value_usd,
        world_usd=p.world_usd,
        world_basis=p.world_basis,
        share=percent(p.value_usd, p.world_usd),
        rank=ibis.ifelse(p.ranked, (ibis.rank().over(by_value) + 1).cast("int64"), no_rank),
        n_partners=ibis.ifelse(p.ranked, p.partner.count().over(whole), no_rank),
        hhi=ibis.ifelse(
            p.world_usd.notnull(), (fraction * fraction).sum().over(whole), ibis.null("float64")
        ),
        caveat=ibis.coalesce(
            _caveat(p.source),
            ibis.ifelse(
                p.ranked,
                ibis.null(str),
                ibis.literal("share and rank not available in ")
                .concat(p.source)
                .concat(": ")
                .concat(p.why),
            ),
        ),
    )


def supplier_shares(
    flows: ir.Table,
    importer: str,
    product: Products | None,
    year: int | None = None,
    *,
    source: str | None = None,
) -> ir.Table:
    """Each supplier's share of ``importer``'s imports of a product or group.

    Parameters
    ----------
    flows
        The canonical flow table.
    importer
        Country code of the importing country.
    product
        A group name (wheat, grain, poultry_meat), an HS code (1001) or a FAO item (Wheat),
        or a list of them: each is computed on its own (``product`` names it). None:
        every HS 6-digit subheading and FAO item, each on its own (``product`` and
        ``product_name`` are the code).
    year, source
        Optional filters.

    Returns
    -------
    Table
        source, statistics_of, reported_by, classification, year, reporter, flow
        ('imports'), product, product_name, partner, value_usd, world_usd (the reporter's
        imports of the product: its source's world row when printed, else the sum over
        every partner row, unspecified partners included), world_basis, share (percent),
        rank (1 = top supplier), n_partners, hhi (Herfindahl index of the shares, 0-1:
        sum of squared fractions; 1 = a single supplier), caveat (what the source's
        partner list leaves out). Over a partial partner table
        (:data:`bilateral.indicators.coverage.PRODUCT_TABLES`: Comext's seven partners)
        share, rank and hhi are null and the caveat says why; FAOSTAT's shares are kept
        as upper bounds.

    Examples
    --------
    >>> import ibis
    >>> from bilateral.schema import flow_table
    >>> base = dict(source="faostat", release="1", year=2022, importer="KAZ",
    ...             reported_by="importer", classification="FAO", product="Wheat")
    >>> rows = [dict(base, exporter="RUS", value_usd=98.0),
    ...         dict(base, exporter="KGZ", value_usd=2.0)]
    >>> t = ibis.memtable(flow_table(rows, file_sha256="x"))
    >>> shares = supplier_shares(t, "KAZ", "wheat").order_by("rank")
    >>> shares.select("partner", "share", "rank", "hhi").to_pandas()
      partner  share  rank     hhi
    0     RUS   98.0     1  0.9608
    1     KGZ    2.0     2  0.9608

    A supplier the source does not list is absent: in a complete source (BACI) that means
    no imports; in an extract (FAOSTAT) it is unknown, and the caveat says so.
    Values in USD, shares in percent.
    """
    return _partner_shares(flows, importer, product, "imports", year, source)


def destination_shares(
    flows: ir.Table,
    exporter: str,
    product: Products | None,
    year: int | None = None,
    *,
    source: str | None = None,
) -> ir.Table:
    """Each destination's share of ``exporter``'s exports of a product or group.

    The mirror image of :func:`supplier_shares` (flow 'exports', partner = destination),
    with the same columns, nulls and units.
    """
    return _partner_shares(flows, exporter, product, "exports", year, source)
