"""Flows between two countries: exports, imports, turnover, balance, growth.

The figures are kept per source and per the country whose statistics they are: Kazakhstan's
statistics of its trade with Russia and Russia's statistics of the same trade are two
rows, never mixed into one turnover.

Totals come from a source's TOTAL rows. A source that ships only product rows has a total
only when its product rows are complete: BACI's HS 6-digit matrix covers every product,
so the sum over its 6-digit codes is the total (see :data:`WORLD_MATRIX_SOURCES`);
FAOSTAT covers agricultural items only and Comtrade or Comext extracts cover the codes
someone chose, so for them no total exists and none is made up.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import ibis
import ibis.expr.types as ir
from ibis import _

from bilateral.errors import InvalidRequestError, pair_of_one_country
from bilateral.indicators.ratios import percent_change, ratio
from bilateral.indicators.rows import OBSERVATION, annual, between, stack, statistics_of
from bilateral.schema import TOTAL

#: Sources whose product rows form the complete world matrix at HS 6 digits: all exporters,
#: all importers, all products, as annual figures for all modes of transport. Only these
#: give totals by summing products, and only these hold the world totals that RCA and
#: trade intensity need.
WORLD_MATRIX_SOURCES: Mapping[str, str] = {
    "baci": "CEPII BACI: reconciled flows of every exporter and importer, all HS 6-digit codes",
}
#: HS revisions in the order they came into force; totals of a matrix source use the
#: earliest revision present in a year, so that a time series keeps one classification.
HS_REVISIONS = ("HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22")
#: The flows of a pair, as seen from its first country.
FLOWS = ("exports", "imports")


def earliest_revision(table: ir.Table) -> ir.Table:
    """The rows of the earliest HS revision (of :data:`HS_REVISIONS`) each source holds in
    each year, so that a time series keeps one classification; rows of later revisions
    are absent from the result, and an unknown classification counts as the latest."""
    order = ibis.cases(
        *((table.classification == name, rank) for rank, name in enumerate(HS_REVISIONS)),
        else_=len(HS_REVISIONS),
    )
    ranked = table.mutate(_order=order, _first=order.min().over(group_by=["source", "year"]))
    return ranked.filter(ranked._order == ranked._first).drop("_order", "_first")


def _pair_sums(flows: ir.Table, matrix_sources: Mapping[str, str] | Sequence[str]) -> ir.Table:
    """TOTAL rows as they are, and the matrix sources' HS 6-digit rows summed per pair,
    revision, month and mode: one pass over the table (read once, so that an engine
    never copies a year of BACI to read it twice), leaving a few rows per pair for
    :func:`annual` to combine."""
    is_total = flows.classification == TOTAL
    is_detail = (
        flows.source.isin(list(matrix_sources))
        & flows.classification.isin(list(HS_REVISIONS))
        & (flows.product.length() == 6)
    )
    t = flows.filter(is_total | is_detail)
    t = t.mutate(product=ibis.ifelse(t.classification == TOTAL, t.product, TOTAL))
    keys = [*OBSERVATION, "month", "transport_mode"]
    return t.group_by(keys).aggregate(
        release=t.release.max(),
        # sum() of nothing but nulls is null: an unknown value stays unknown
        value_usd=t.value_usd.sum(),
    )


def total_rows(
    flows: ir.Table, matrix_sources: Mapping[str, str] | Sequence[str] = WORLD_MATRIX_SOURCES
) -> ir.Table:
    """Annual totals of every flow, with a ``basis`` column saying where each comes from.

    Parameters
    ----------
    flows
        The canonical flow table.
    matrix_sources
        Sources whose HS 6-digit rows are complete; their sum over products is the total
        (basis 'HS92 6-digit sum'). Other sources give totals only through TOTAL rows
        (basis 'TOTAL', or 'TOTAL, sum of 12 months' where only monthly figures were
        published: see :func:`annual`). A matrix source's own TOTAL rows, if any, win
        over the sum.

    Returns
    -------
    Table
        The annual columns with classification and product TOTAL, plus ``basis``.

    A flow a source does not report has no row here (unknown), never a zero row.
    """
    table = annual(_pair_sums(flows, matrix_sources))
    totals = table.filter(table.classification == TOTAL)
    totals = totals.mutate(
        basis=ibis.ifelse(totals.months == 12, "TOTAL, sum of 12 months", TOTAL)
    ).drop("months")
    detail = table.filter(table.classification != TOTAL)
    keys = ["source", "year", "exporter", "importer", "reported_by", "valuation", "classification"]
    summed = detail.group_by(keys).aggregate(
        release=detail.release.max(), value_usd=detail.value_usd.sum()
    )
    summed = (
        earliest_revision(summed)
        .mutate(
            basis=_.classification.concat(" 6-digit sum"),
            classification=ibis.literal(TOTAL),
            product=ibis.literal(TOTAL),
        )
        .anti_join(totals, ["source", "year", "exporter", "importer", "reported_by"])
        .select(*totals.columns)
    )
    return stack(totals, summed)


def totals_where(
    flows: ir.Table,
    keep: Callable[[ir.Table], ir.BooleanValue],
    totals: ir.Table | None = None,
) -> ir.Table:
    """:func:`total_rows` of the rows ``keep`` selects: from ``totals`` when given (the
    annual totals already computed, as the store keeps them for every year it holds),
    else from ``flows``. ``keep`` is a filter on columns both tables have (source, year,
    exporter, importer). A flow no source reports has no row either way (unknown)."""
    if totals is not None:
        return totals.filter(keep(totals))
    return total_rows(flows.filter(keep(flows)))


def _check_pair(a: str, b: str) -> None:
    if a == b:
        raise pair_of_one_country(a)


def pair_flows(flows: ir.Table, a: str, b: str, *, totals: ir.Table | None = None) -> ir.Table:
    """Every total flow between ``a`` and ``b``, one row per source and report.

    Parameters
    ----------
    flows
        The canonical flow table.
    a, b
        Country codes (ISO alpha-3). 'exports' are a -> b, 'imports' are b -> a.
    totals
        The annual totals of ``flows`` (:func:`total_rows`), if already computed: the
        store keeps them (:meth:`bilateral.store.Store.summaries`).

    Returns
    -------
    Table
        source, release, statistics_of (whose statistics: a, b or 'reconciled'),
        reported_by, valuation, year, flow ('exports' | 'imports'), exporter, importer,
        value_usd, basis.

    Examples
    --------
    >>> import ibis
    >>> from bilateral.schema import flow_table
    >>> rows = [dict(source="s", release="1", year=2022, exporter="KAZ", importer="RUS",
    ...              reported_by="exporter", classification="TOTAL", product="TOTAL",
    ...              value_usd=9.0, valuation="FOB")]
    >>> t = ibis.memtable(flow_table(rows, file_sha256="x"))
    >>> pair_flows(t, "KAZ", "RUS").select("flow", "statistics_of", "value_usd").to_pandas()
          flow statistics_of  value_usd
    0  exports           KAZ        9.0

    Values in USD; a flow that no source reports has no row (unknown, not zero).
    """
    _check_pair(a, b)
    pair = totals_where(flows, lambda t: between(t, a, b), totals)
    return pair.select(
        "source",
        "release",
        statistics_of=statistics_of(pair),
        reported_by=pair.reported_by,
        valuation=pair.valuation,
        year=pair.year,
        flow=ibis.ifelse(pair.exporter == a, "exports", "imports"),
        exporter=pair.exporter,
        importer=pair.importer,
        value_usd=pair.value_usd,
        basis=pair.basis,
    )


def pair_totals(flows: ir.Table, a: str, b: str, *, totals: ir.Table | None = None) -> ir.Table:
    """Exports, imports, turnover and balance of ``a`` with ``b``, per source, statistics
    and year: the full time series (filter ``year`` for one year).

    Parameters
    ----------
    flows
        The canonical flow table.
    a, b
        Country codes. Exports are a -> b, imports b -> a, balance exports - imports.
    totals
        The annual totals of ``flows``, if already computed (see :func:`pair_flows`).

    Returns
    -------
    Table
        source, statistics_of, reporter (a), partner (b), year, reported_by_exports,
        reported_by_imports, exports, imports, turnover, balance, release, basis.
        ``statistics_of`` is a when both flows come from a's statistics (exports reported
        by a as exporter, imports by a as importer), b for b's, 'reconciled' for BACI.

    Examples
    --------
    >>> import ibis
    >>> from bilateral.schema import flow_table
    >>> base = dict(source="s", release="1", year=2022, classification="TOTAL", product="TOTAL")
    >>> rows = [
    ...     dict(base, exporter="KAZ", importer="RUS", reported_by="exporter", value_usd=9.0),
    ...     dict(base, exporter="RUS", importer="KAZ", reported_by="importer", value_usd=18.0),
    ...     dict(base, exporter="RUS", importer="KAZ", reported_by="exporter", value_usd=17.0),
    ... ]
    >>> t = ibis.memtable(flow_table(rows, file_sha256="x"))
    >>> totals = pair_totals(t, "KAZ", "RUS").order_by("statistics_of")
    >>> totals.select("statistics_of", "exports", "imports", "turnover", "balance").to_pandas()
      statistics_of  exports  imports  turnover  balance
    0           KAZ      9.0     18.0      27.0     -9.0
    1           RUS      NaN     17.0       NaN      NaN

    Turnover and balance are known only when both flows come from the same source and
    the same statistics; otherwise they are null (unknown), never a sum with zero.
    Values in USD.
    """
    pair = pair_flows(flows, a, b, totals=totals)
    is_exports = pair.flow == "exports"
    is_imports = pair.flow == "imports"
    grouped = pair.group_by(["source", "statistics_of", "year"]).aggregate(
        reported_by_exports=pair.reported_by.max(where=is_exports),
        reported_by_imports=pair.reported_by.max(where=is_imports),
        exports=pair.value_usd.sum(where=is_exports),
        imports=pair.value_usd.sum(where=is_imports),
        release=pair.release.max(),
        basis=pair.basis.max(),
    )
    return grouped.select(
        "source",
        "statistics_of",
        reporter=ibis.literal(a),
        partner=ibis.literal(b),
        year=grouped.year,
        reported_by_exports=grouped.reported_by_exports,
        reported_by_imports=grouped.reported_by_imports,
        exports=grouped.exports,
        imports=grouped.imports,
        turnover=grouped.exports + grouped.imports,
        balance=grouped.exports - grouped.imports,
        release=grouped.release,
        basis=grouped.basis,
    )


def growth(
    totals: ir.Table, columns: Sequence[str] = ("exports", "imports", "turnover")
) -> ir.Table:
    """Year-on-year growth in percent of each column of :func:`pair_totals`.

    Adds ``<column>_previous`` and ``<column>_growth`` = 100 * (value / previous - 1),
    comparing each year with the year before from the same source and statistics (so a
    revised figure is compared with the revised one the store holds).

    Growth is null (unknown) when the previous year is missing, its value is unknown or
    zero; a gap of more than one year is never bridged.
    """
    window = ibis.window(
        group_by=["source", "statistics_of", "reporter", "partner"], order_by="year"
    )
    previous_year = totals.year.lag().over(window)
    consecutive = previous_year == totals.year - 1
    added: dict[str, ir.Value] = {}
    for column in columns:
        previous = ibis.ifelse(consecutive, totals[column].lag().over(window), ibis.null("float64"))
        added[f"{column}_previous"] = previous
        added[f"{column}_growth"] = percent_change(totals[column], previous)
    return totals.mutate(**added)


def cagr(totals: ir.Table, start: int, end: int, column: str = "turnover") -> ir.Table:
    """Compound annual growth rate in percent of a :func:`pair_totals` column, start to end.

    Returns source, statistics_of, reporter, partner, start, end, value_start, value_end
    and cagr = 100 * ((value_end / value_start) ** (1 / (end - start)) - 1).

    Null (unknown) when either end year is missing or the start value is not positive;
    the years in between are not needed and not checked.
    """
    if end <= start:
        raise InvalidRequestError(
            f"A growth rate (CAGR) needs an end year after the start year; got {start}-{end}. "
            "Give the earlier year first."
        )
    keys = ["source", "statistics_of", "reporter", "partner"]
    t = totals.filter(totals.year.isin([start, end]))
    ends = t.group_by(keys).aggregate(
        value_start=t[column].max(where=t.year == start),
        value_end=t[column].max(where=t.year == end),
    )
    rate = 100.0 * (ratio(ends.value_end, ends.value_start) ** (1.0 / (end - start)) - 1.0)
    return ends.select(
        *keys,
        column=ibis.literal(column),
        start=ibis.literal(start),
        end=ibis.literal(end),
        value_start=ends.value_start,
        value_end=ends.value_end,
        cagr=ibis.ifelse(
            (ends.value_start > 0) & (ends.value_end >= 0), rate, ibis.null("float64")
        ),
    )
