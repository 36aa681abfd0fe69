"""The sanctions lens: how much of a flow is in listed goods, and how listed goods moved.

Pure functions of Ibis tables: canonical flows (:mod:`bilateral.schema`) and a match
table (:func:`bilateral.reference.list_matching.match_list`: classification, product,
year, list_code, tier) in, a named expression out. Nothing here executes a query.

Levels: listed goods are summed over the rows of one ``detail`` classification (Comext's
``CN8``), never with the overlapping coarser rows (its ``HS4``); totals are the rows with
classification and product ``TOTAL``. "Other goods" are the total less the listed goods.

Missing values: a flow without a row (Comext's ':' cells) is unknown and left out of
every sum; a group with no row at all has a null sum, never zero. Values are in the
column named by ``value`` (``value_usd`` by default, ``value_original`` for the
publisher's currency).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
from ibis import _

from bilateral.schema import TOTAL

ALL_TIERS = "all"
_MATCH_KEY = ("classification", "product", "year")


def listed_rows(flows: ir.Table, matches: ir.Table, detail: str) -> ir.Table:
    """The ``detail``-level rows of ``flows`` under the list, with ``list_code`` and ``tier``.

    A data code matches at most one list code (the match table has one row per data code),
    so the join never duplicates a flow.
    """
    rows = flows.filter(flows.classification == detail)
    return rows.inner_join(matches, list(_MATCH_KEY)).select(
        *rows.columns, matches.list_code, matches.tier
    )


def total_rows(flows: ir.Table) -> ir.Table:
    """The all-goods rows of ``flows`` (classification and product ``TOTAL``)."""
    return flows.filter((flows.classification == TOTAL) & (flows.product == TOTAL))


def exposure(
    flows: ir.Table,
    matches: ir.Table,
    *,
    detail: str,
    by: Sequence[str] = ("importer",),
    value: str = "value_usd",
) -> ir.Table:
    """Share of a flow in listed goods, by tier and for all tiers together.

    Parameters
    ----------
    flows
        Canonical rows already narrowed to the flow and period of interest (e.g. EU member
        states' exports to Kazakhstan, 2022), holding ``detail`` rows and ``TOTAL`` rows.
    matches
        The list's match table.
    detail
        Classification of the rows to sum as listed goods (``CN8`` for Comext).
    by
        Columns to keep apart (default: one row per importer).
    value
        Value column to sum.

    Returns
    -------
    Table
        ``by`` columns, ``tier`` (each tier and ``'all'``), ``listed`` (sum of listed
        goods), ``total`` (sum of all goods) and ``share_pct`` (100 x listed / total;
        null when the total is unknown or zero).
    """
    keys = list(by)
    listed = listed_rows(flows, matches, detail)
    per_tier = listed.group_by([*keys, "tier"]).agg(listed=listed[value].sum())
    together = (
        listed.group_by(keys)
        .agg(listed=listed[value].sum())
        .mutate(tier=ibis.literal(ALL_TIERS))
        .select(*keys, "tier", "listed")
    )
    totals = total_rows(flows)
    total = totals.group_by(keys).agg(total=totals[value].sum())
    both = per_tier.union(together)
    joined = both.left_join(total, keys).select(*[both[k] for k in keys], "tier", "listed", "total")
    return joined.mutate(share_pct=_percent(joined.listed, joined.total)).order_by([*keys, "tier"])


def listed_vs_other_change(
    flows: ir.Table,
    matches: ir.Table,
    *,
    detail: str,
    base_year: int,
    current_year: int,
    months: Sequence[int],
    by: Sequence[str] = ("importer",),
    value: str = "value_usd",
) -> ir.Table:
    """Change of listed and of other goods between the same months of two years.

    Comparing Jan-Nov 2021 with Jan-Nov 2022 (``months=range(1, 12)``) keeps seasons
    alike. Other goods are the total less the listed goods, month by month summed.

    Returns
    -------
    Table
        ``by`` columns; ``listed_base``, ``listed_current``, ``other_base``,
        ``other_current``, ``total_base``, ``total_current``; ``total_change_pct``,
        ``listed_change_pct`` and ``other_change_pct`` (percent change from base to
        current, null when the base is zero or unknown) and
        ``gap_pp`` = listed_change_pct - other_change_pct (percentage points: negative when
        listed goods fell more, or rose less, than other goods).
    """
    keys = list(by)
    period = flows.filter(
        flows.year.isin([base_year, current_year]) & flows.month.isin(list(months))
    )
    listed = listed_rows(period, matches, detail)
    totals = total_rows(period)
    listed_sums = listed.group_by(keys).agg(
        listed_base=listed[value].sum(where=listed.year == base_year),
        listed_current=listed[value].sum(where=listed.year == current_year),
    )
    total_sums = totals.group_by(keys).agg(
        total_base=totals[value].sum(where=totals.year == base_year),
        total_current=totals[value].sum(where=totals.year == current_year),
    )
    joined = total_sums.left_join(listed_sums, keys).select(
        *[total_sums[k] for k in keys],
        "total_base",
        "total_current",
        listed_base=listed_sums.listed_base.fill_null(0.0),
        listed_current=listed_sums.listed_current.fill_null(0.0),
    )
    result = joined.mutate(
        other_base=joined.total_base - joined.listed_base,
        other_current=joined.total_current - joined.listed_current,
    )
    result = result.mutate(
        total_change_pct=_change(result.total_base, result.total_current),
        listed_change_pct=_change(result.listed_base, result.listed_current),
        other_change_pct=_change(result.other_base, result.other_current),
    )
    return result.mutate(gap_pp=result.listed_change_pct - result.other_change_pct).order_by(keys)


def monthly_index(
    flows: ir.Table,
    matches: ir.Table,
    *,
    detail: str,
    base_year: int,
    by: Sequence[str] = ("importer",),
    value: str = "value_usd",
) -> ir.Table:
    """Monthly values of listed and other goods as an index, base-year monthly average = 100.

    Returns
    -------
    Table
        ``by`` columns, ``year``, ``month``, ``listed``, ``other`` (total less listed),
        ``listed_index`` and ``other_index`` (100 x value / the base year's monthly mean;
        null when that mean is zero or the base year is absent).
    """
    keys = list(by)
    listed = listed_rows(flows, matches, detail)
    totals = total_rows(flows)
    monthly_listed = listed.group_by([*keys, "year", "month"]).agg(listed=listed[value].sum())
    monthly_total = totals.group_by([*keys, "year", "month"]).agg(total=totals[value].sum())
    monthly = monthly_total.left_join(monthly_listed, [*keys, "year", "month"]).select(
        *[monthly_total[k] for k in keys],
        monthly_total.year,
        monthly_total.month,
        listed=monthly_listed.listed.fill_null(0.0),
        total=monthly_total.total,
    )
    monthly = monthly.mutate(other=monthly.total - monthly.listed)
    base = (
        monthly.filter(monthly.year == base_year)
        .group_by(keys)
        .agg(listed_mean=monthly.listed.mean(), other_mean=monthly.other.mean())
    )
    indexed = monthly.left_join(base, keys).select(
        *[monthly[k] for k in keys],
        "year",
        "month",
        "listed",
        "other",
        listed_index=_ratio(monthly.listed, base.listed_mean) * 100,
        other_index=_ratio(monthly.other, base.other_mean) * 100,
    )
    return indexed.order_by([*keys, "year", "month"])


def reexport_signal(
    flows: ir.Table,
    *,
    hub: str,
    origins: Sequence[str],
    destination: str,
    product: str,
    value: str = "value_usd",
    total_mode: str = "TOTAL MOT",
) -> ir.Table:
    """Both legs of a possible re-export route, year by year, as the hub reports them.

    Inbound: the hub's imports of ``product`` from ``origins`` (e.g. Armenia's imports of
    cars, HS 8703, from EU member states); outbound: the hub's exports of the same
    product to ``destination`` (Armenia's car exports to Russia). Where a month comes split
    by mode of transport (Comtrade), the modes are summed, unless the source also gives
    their total (``transport_mode == total_mode``), which is then used instead. Only rows
    whose product code is exactly ``product`` count, so an HS4 row and its HS6 rows are
    never added together.

    Returns
    -------
    Table
        ``year``, ``inbound``, ``outbound`` (null when the hub reports no such flow that
        year: unknown, not zero), ``inbound_qty`` and ``outbound_qty`` (summed quantities),
        and ``outbound_to_inbound`` (outbound / inbound).
    """
    rows = flows.filter(flows.product == product)
    inbound = rows.filter(
        (rows.importer == hub)
        & rows.exporter.isin(list(origins))
        & (rows.reported_by == "importer")
    )
    outbound = rows.filter(
        (rows.exporter == hub) & (rows.importer == destination) & (rows.reported_by == "exporter")
    )
    ins = (
        _modes_once(inbound, value, total_mode)
        .group_by("year")
        .agg(inbound=_.value.sum(), inbound_qty=_.qty.sum())
    )
    outs = (
        _modes_once(outbound, value, total_mode)
        .group_by("year")
        .agg(outbound=_.value.sum(), outbound_qty=_.qty.sum())
    )
    joined = ins.outer_join(outs, ins.year == outs.year).select(
        year=ibis.coalesce(ins.year, outs.year),
        inbound=ins.inbound,
        outbound=outs.outbound,
        inbound_qty=ins.inbound_qty,
        outbound_qty=outs.outbound_qty,
    )
    return joined.mutate(outbound_to_inbound=_ratio(joined.outbound, joined.inbound)).order_by(
        "year"
    )


def _modes_once(rows: ir.Table, value: str, total_mode: str) -> ir.Table:
    """One value per flow and month: the all-modes total where given, else the sum of modes."""
    is_total = rows.transport_mode.fill_null("") == total_mode
    key = ["source", "year", "month", "exporter", "importer", "classification", "product"]
    per_month = rows.group_by(key).agg(
        total=rows[value].sum(where=is_total),
        modes=rows[value].sum(where=~is_total),
        total_qty=rows.quantity.sum(where=is_total),
        modes_qty=rows.quantity.sum(where=~is_total),
    )
    return per_month.select(
        "year",
        value=ibis.coalesce(per_month.total, per_month.modes),
        qty=ibis.coalesce(per_month.total_qty, per_month.modes_qty),
    )


def _ratio(numerator: ir.NumericValue, denominator: ir.NumericValue) -> ir.NumericValue:
    """numerator / denominator, null where the denominator is zero or null."""
    return numerator / denominator.nullif(0)


def _percent(part: ir.NumericValue, whole: ir.NumericValue) -> ir.NumericValue:
    return _ratio(part, whole) * 100


def _change(base: ir.NumericValue, current: ir.NumericValue) -> ir.NumericValue:
    return (_ratio(current, base) - 1) * 100
