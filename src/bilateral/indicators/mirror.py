"""Mirror statistics: the same flow as its exporter reports it, as its importer reports it,
and reconciled (BACI), with the gap between the two reports.

An importer usually values goods CIF (with freight and insurance to its border) and the
exporter FOB (at its own border), so the importer's figure is expected to be the larger;
a gap the other way points at something else (re-exports, unrecorded trade, timing,
different partner attribution).
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from bilateral.indicators.flows import totals_where
from bilateral.indicators.ratios import percent
from bilateral.indicators.rows import between

_KEYS = ("year", "exporter", "importer")


def _reports(t: ir.Table, reported_by: str, prefix: str) -> ir.Table:
    side = t.filter(t.reported_by == reported_by)
    return side.select(
        **{f"{prefix}_{key}": side[key] for key in _KEYS},
        **{
            f"{prefix}_source": side.source,
            f"{prefix}_release": side.release,
            f"{prefix}_valuation": side.valuation,
            f"{prefix}_value_usd": side.value_usd,
        },
    )


def mirror_table(
    flows: ir.Table, a: str, b: str, year: int | None = None, *, totals: ir.Table | None = None
) -> ir.Table:
    """Both flows between ``a`` and ``b``, each as reported by its exporter and by its importer.

    Parameters
    ----------
    flows
        The canonical flow table.
    a, b
        Country codes; 'exports' are a -> b and 'imports' b -> a.
    year
        Optional filter; without it the whole time series.
    totals
        The annual totals of ``flows``, if already computed
        (:func:`bilateral.indicators.flows.pair_flows` says more).

    Returns
    -------
    Table
        year, flow, exporter, importer; by_exporter_source / _release / _valuation /
        _value_usd; by_importer_source / ...; reconciled_source / reconciled_value_usd;
        gap_usd = by_importer - by_exporter; gap_pct = gap in percent of the exporter's
        figure; cif_fob_expected = whether the gap has the sign that CIF over FOB valuation
        explains (importer >= exporter), null unless the importer's figure is CIF and the
        exporter's FOB. One row per pair of sources when several report the same side.

    A side no source reports is null (unknown), and so are the gaps that need it.
    Values in USD, gaps in percent.
    """

    def wanted(t: ir.Table) -> ir.BooleanValue:
        pair = between(t, a, b)
        return pair if year is None else pair & (t.year == year)

    t = totals_where(flows, wanted, totals)
    keys = t.select(*_KEYS).distinct()
    joined = keys
    for reported_by, prefix in (("exporter", "x"), ("importer", "m"), ("reconciled", "r")):
        side = _reports(t, reported_by, prefix)
        joined = joined.left_join(side, [joined[k] == side[f"{prefix}_{k}"] for k in _KEYS])
        joined = joined.drop(*(f"{prefix}_{k}" for k in _KEYS))
    gap = joined.m_value_usd - joined.x_value_usd
    cif_fob = (joined.m_valuation == "CIF") & (joined.x_valuation == "FOB")
    return joined.select(
        year=joined.year,
        flow=ibis.ifelse(joined.exporter == a, "exports", "imports"),
        exporter=joined.exporter,
        importer=joined.importer,
        by_exporter_source=joined.x_source,
        by_exporter_release=joined.x_release,
        by_exporter_valuation=joined.x_valuation,
        by_exporter_value_usd=joined.x_value_usd,
        by_importer_source=joined.m_source,
        by_importer_release=joined.m_release,
        by_importer_valuation=joined.m_valuation,
        by_importer_value_usd=joined.m_value_usd,
        reconciled_source=joined.r_source,
        reconciled_value_usd=joined.r_value_usd,
        gap_usd=gap,
        gap_pct=percent(gap, joined.x_value_usd),
        cif_fob_expected=ibis.ifelse(cif_fob & gap.notnull(), gap >= 0, ibis.null("boolean")),
    )
