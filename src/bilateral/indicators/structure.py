"""What a flow is made of: its composition by HS section, chapter, heading or subheading,
and the value of named product groups (food, grain, sugar, ...) in it.

Composition reads HS 6-digit rows (BACI, Comtrade bulk files) by default, or Comext's CN8
rows, or FAOSTAT's items. Shares are of the sum of those rows, which is the flow's total
only for a complete product source such as BACI; for an extract they are shares of what
the extract lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from pathlib import Path

import ibis
import ibis.expr.types as ir

from bilateral.errors import not_one_of
from bilateral.indicators.flows import WORLD_MATRIX_SOURCES, total_rows
from bilateral.indicators.ratios import percent
from bilateral.indicators.rows import (
    FAO,
    annual,
    label_names,
    product_rows,
    reference_table,
    selections_of,
    statistics_of,
)
from bilateral.reference.products import (
    HS_LEVELS,
    ProductSelection,
    baci_hs92_descriptions,
    chapter_sections,
    hs_nomenclature,
    hs_sections,
    product_groups,
)

LEVELS = ("section", "chapter", "heading", "subheading")
#: The rows a composition can read: HS 6-digit rows (any HS revision), Comext's CN8 rows
#: (cut to the level's digits like HS codes), FAOSTAT's items (each item its own code,
#: whatever the level: FAO items have no HS hierarchy).
DETAIL_ROWS = ("HS6", "CN8", "FAO")


@cache
def _descriptions(level: str) -> tuple[ir.Table, ir.Table | None]:
    """Descriptions of the codes of a level: HS 2022's for every revision, and for HS 1992
    subheadings CEPII's own list (subheadings were re-coded between revisions). One table
    per level for the whole process, so that the same question makes the same query."""
    if level == "section":
        generic = {"code": list(hs_sections()), "description": list(hs_sections().values())}
        return reference_table(generic), None
    digits = HS_LEVELS[level]
    codes = [c for c in hs_nomenclature().values() if c.level == digits]
    generic = {"code": [c.code for c in codes], "description": [c.description for c in codes]}
    if level != "subheading":
        return reference_table(generic), None
    hs92 = baci_hs92_descriptions()
    return reference_table(generic), reference_table(
        {"code": list(hs92), "hs92_description": list(hs92.values())}
    )


def _detail_rows(flows: ir.Table, rows: str = "HS6") -> ir.Table:
    """Annual detail rows (HS 6-digit, CN8 or FAO items), with their statistics."""
    if rows == "HS6":
        t = annual(flows.filter(flows.classification.startswith("HS")))
        t = t.filter(t.classification.startswith("HS") & (t.product.length() == 6))
    elif rows == "CN8":
        t = annual(flows.filter(flows.classification == "CN8"))
        t = t.filter(t.product.length() == 8)
    else:
        t = annual(flows.filter(flows.classification == FAO))
    return t.mutate(statistics_of=statistics_of(t))


def _flow_of(
    flows: ir.Table, exporter: str, importer: str, year: int | None, source: str | None
) -> ir.Table:
    """The rows of one flow, filtered before anything is computed on them (of the flow
    table or of its annual totals: both have these columns)."""
    flows = flows.filter((flows.exporter == exporter) & (flows.importer == importer))
    if year is not None:
        flows = flows.filter(flows.year == year)
    if source is not None:
        flows = flows.filter(flows.source == source)
    return flows


@cache
def _sections() -> ir.Table:
    """The section of each HS chapter (one table for the whole process)."""
    mapping = chapter_sections()
    return reference_table({"_chapter": list(mapping), "_section": list(mapping.values())})


def _code(t: ir.Table, level: str, rows: str = "HS6") -> tuple[ir.Table, ir.StringValue]:
    if rows == "FAO":
        return t, t.product
    if level == "section":
        sections = _sections()
        joined = t.left_join(sections, t.product.substr(0, 2) == sections._chapter)
        return joined, ibis.coalesce(joined._section, ibis.literal("n.e.s."))
    return t, t.product.substr(0, HS_LEVELS[level])


def composition(
    flows: ir.Table,
    exporter: str,
    importer: str,
    year: int | None = None,
    level: str = "chapter",
    *,
    source: str | None = None,
    rows: str = "HS6",
) -> ir.Table:
    """The flow exporter -> importer broken down by HS section, chapter, heading or subheading.

    Parameters
    ----------
    flows
        The canonical flow table.
    exporter, importer
        Country codes: ``composition(t, "RUS", "KAZ")`` is Kazakhstan's imports from Russia.
    year, source
        Optional filters.
    level
        'section' (Roman numerals), 'chapter' (2 digits), 'heading' (4) or 'subheading' (6).
    rows
        The rows read (:data:`DETAIL_ROWS`): 'HS6' (HS 6-digit rows), 'CN8' (Comext's
        8-digit rows, cut to the level like HS codes) or 'FAO' (FAOSTAT items, each its
        own code at every level; its description is the item).

    Returns
    -------
    Table
        source, statistics_of, reported_by, classification, year, exporter, importer, level,
        code, description, value_usd, total_usd (the sum over all codes), share (percent of
        total_usd), rank (1 = largest), n_codes. One breakdown per source, statistics and
        HS revision: BACI's HS92 and HS22 releases are not mixed.

    A code with no rows is absent (in a complete source such as BACI: no trade, zero).
    Descriptions are HS 2022's (HS 1992 subheadings: CEPII's). Values in USD.
    """
    if level not in LEVELS:
        raise not_one_of("level", level, LEVELS)
    if rows not in DETAIL_ROWS:
        raise not_one_of("kind of rows", rows, DETAIL_ROWS)
    t = _detail_rows(_flow_of(flows, exporter, importer, year, source), rows)
    t, code = _code(t, level, rows)
    t = t.mutate(code=code)
    keys = ["source", "statistics_of", "reported_by", "classification", "year"]
    grouped = t.group_by([*keys, "code"]).aggregate(value_usd=t.value_usd.sum())
    generic, hs92 = _descriptions(level)
    described = grouped.left_join(generic, grouped.code == generic.code)
    description: ir.StringValue = described.description
    if hs92 is not None:
        described = described.left_join(
            hs92, (described.code == hs92.code) & (described.classification == "HS92")
        )
        description = ibis.coalesce(described.hs92_description, described.description)
    if rows == "FAO":
        description = described.code
    described = described.select(
        *keys,
        code=described.code,
        description=description,
        value_usd=described.value_usd,
    )
    whole = ibis.window(group_by=keys)
    by_value = ibis.window(group_by=keys, order_by=ibis.desc("value_usd"))  # ties share a rank
    total = described.value_usd.sum().over(whole)
    return described.select(
        *keys[:4],
        year=described.year,
        exporter=ibis.literal(exporter),
        importer=ibis.literal(importer),
        level=ibis.literal(level),
        code=described.code,
        description=described.description,
        value_usd=described.value_usd,
        total_usd=total,
        share=percent(described.value_usd, total),
        rank=ibis.rank().over(by_value) + 1,
        n_codes=described.code.count().over(whole),
    )


def group_values(
    flows: ir.Table,
    exporter: str,
    importer: str,
    groups: Sequence[str | ProductSelection] | None = None,
    year: int | None = None,
    *,
    source: str | None = None,
    user_groups: Path | None = None,
    totals: ir.Table | None = None,
) -> ir.Table:
    """The value of named product groups in the flow exporter -> importer, and their share
    of the flow.

    Parameters
    ----------
    groups
        Group names, HS codes or FAO items (default: every group of product_groups.csv,
        plus the user's file ``user_groups``).
    totals
        The annual totals of ``flows``, if already computed
        (:func:`bilateral.indicators.flows.pair_flows` says more).

    Returns
    -------
    Table
        source, statistics_of, reported_by, classification, year, exporter, importer, group,
        group_name, value_usd, total_usd, share (percent of total_usd), whole_prefixes
        (how many of the group's HS prefixes a row of exactly that code gives whole).

    ``total_usd`` is the flow's total from the same source, statistics and year (for a
    complete product source, the sum of the same HS revision's 6-digit rows); it is null
    (unknown) where the source has no total, as for FAOSTAT items, and the share with it.
    A group the source lists no rows for is absent, not zero. In an extract of chosen
    codes (Comext's CN8 codes on the sanctions list, a Comtrade download) the rows under
    a prefix need not be all of it: the group's whole trade is there only where
    ``whole_prefixes`` equals the number of its prefixes (cars, 8703: Comext's HS4 row)
    or the source is a complete matrix (BACI). Values in USD.
    """
    chosen = list(product_groups(user_groups).values()) if groups is None else selections_of(groups)
    flows = _flow_of(flows, exporter, importer, year, source)
    t = annual(flows)
    keys = ["source", "reported_by", "classification", "year"]
    rows = product_rows(t, chosen)
    whole = ibis.ifelse(rows.product.length() == rows.prefix.length(), rows.prefix, ibis.null(str))
    values = rows.group_by([*keys, "group"]).aggregate(
        value_usd=rows.value_usd.sum(), whole_prefixes=whole.nunique()
    )
    values = values.mutate(group_name=label_names(values.group, chosen))

    detail = t.filter(
        t.source.isin(list(WORLD_MATRIX_SOURCES))
        & t.classification.startswith("HS")
        & (t.product.length() == 6)
    )
    matrix_totals = detail.group_by(keys).aggregate(matrix_total=detail.value_usd.sum())
    totals = (
        _flow_of(totals, exporter, importer, year, source)
        if totals is not None
        else total_rows(flows)
    )
    totals = totals.select("source", "reported_by", "year", row_total=totals.value_usd)
    joined = values.left_join(matrix_totals, keys).left_join(
        totals, ["source", "reported_by", "year"]
    )
    total = ibis.ifelse(
        joined.source.isin(list(WORLD_MATRIX_SOURCES)), joined.matrix_total, joined.row_total
    )
    return joined.select(
        "source",
        statistics_of=ibis.cases(
            (joined.reported_by == "exporter", ibis.literal(exporter)),
            (joined.reported_by == "importer", ibis.literal(importer)),
            else_=joined.reported_by,
        ),
        reported_by=joined.reported_by,
        classification=joined.classification,
        year=joined.year,
        exporter=ibis.literal(exporter),
        importer=ibis.literal(importer),
        group=joined.group,
        group_name=joined.group_name,
        value_usd=joined.value_usd,
        total_usd=total,
        share=percent(joined.value_usd, total),
        whole_prefixes=joined.whole_prefixes.cast("int64"),
    )
