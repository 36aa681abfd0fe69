"""The figures the report and the dashboard show, read from the store per source.

Three questions, each answered as a table with its provenance (source and who reported):

- :func:`pair_series` - exports, imports, turnover and balance between two countries, every
  year the store holds, per source and per reporting country (a mirror source reports the
  same flow from the other side);
- :func:`partner_ranking` - a country's partners ranked by turnover, exports or imports
  in a year, with shares of its total trade, per source;
- :func:`pair_profile` - the headline record list for a pair and a year, in the JSON form of
  ``bilateral profile`` (``{reporter, partner, year, indicators: [{name, value, unit, source,
  reported_by, year}]}``).

Queries are Ibis expressions with the user's codes as literals, never SQL built from text.
Only total-goods figures (classification TOTAL) are read here; annual rows are used as
published, and a source that publishes only months counts for a year when all twelve are in.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import ibis
import pandas as pd

from bilateral.errors import NotAvailableError
from bilateral.reference.countries import countries
from bilateral.schema import TOTAL
from bilateral.store import Store

FLOWS = ("turnover", "exports", "imports")
RECONCILED = "reconciled"
WORLD = "WLD"


def _reporting_country(table: ibis.Table) -> ibis.Value:
    """Who published the figure: the exporter's or importer's country, or 'reconciled'."""
    return ibis.cases(
        (table.reported_by == "exporter", table.exporter),
        (table.reported_by == "importer", table.importer),
        else_=RECONCILED,
    )


def _annual(frame: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Annual rows as published; monthly sums only for years with all twelve months in."""
    annual = frame[~frame["monthly"]]
    monthly = frame[frame["monthly"] & (frame["months"] == 12)]
    if len(monthly):
        have = set(annual[list(keys)].itertuples(index=False, name=None))
        keep = [row not in have for row in monthly[list(keys)].itertuples(index=False, name=None)]
        annual = pd.concat([annual, monthly[keep]], ignore_index=True)
    return annual.drop(columns=["monthly", "months"])


def _totals(store: Store, condition: Any, source: str | None) -> ibis.Table:
    flows = store.flows(source)
    return flows.filter(
        flows.classification == TOTAL,
        flows.product == TOTAL,
        condition(flows),
    )


def _aggregate(table: ibis.Table, keys: list[str]) -> ibis.Table:
    table = table.mutate(monthly=table.month.notnull())
    return table.group_by([*keys, "monthly"]).aggregate(
        value_usd=table.value_usd.sum(), months=table.month.nunique()
    )


def pair_series(
    store: Store, reporter: str, partner: str, source: str | None = None
) -> pd.DataFrame:
    """Every year's exports, imports, turnover and balance of ``reporter`` with ``partner``.

    Parameters
    ----------
    store, reporter, partner
        The store and two ISO3 (or aggregate) codes; flows are seen from ``reporter``.
    source
        One source only, or every source (default).

    Returns
    -------
    A long table ``source, reported_by, year, flow, value_usd`` where ``reported_by`` is the
    country that published the figure (or 'reconciled') and ``flow`` one of turnover,
    exports, imports, balance. Money in USD. A flow the source does not publish is absent,
    never zero; turnover and balance appear only when both directions are published.
    """

    def between(f: ibis.Table) -> Any:
        return ((f.exporter == reporter) & (f.importer == partner)) | (
            (f.exporter == partner) & (f.importer == reporter)
        )

    pair = _totals(store, between, source)
    pair = pair.mutate(
        flow=ibis.cases((pair.exporter == reporter, "exports"), else_="imports"),
        reporting=_reporting_country(pair),
    )
    keys = ["source", "reporting", "year", "flow"]
    frame = store.execute(_aggregate(pair, keys))
    frame = _annual(frame, keys).rename(columns={"reporting": "reported_by"})
    return _with_turnover_and_balance(frame)


def _with_turnover_and_balance(frame: pd.DataFrame) -> pd.DataFrame:
    columns = ["source", "reported_by", "year", "flow", "value_usd"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    wide = frame.pivot_table(
        index=["source", "reported_by", "year"], columns="flow", values="value_usd", aggfunc="sum"
    )
    for flow in ("exports", "imports"):
        if flow not in wide:
            wide[flow] = float("nan")
    wide["turnover"] = wide["exports"] + wide["imports"]
    wide["balance"] = wide["exports"] - wide["imports"]
    long = (
        wide[["turnover", "exports", "imports", "balance"]]
        .reset_index()
        .melt(id_vars=["source", "reported_by", "year"], var_name="flow", value_name="value_usd")
        .dropna(subset=["value_usd"])
    )
    long["year"] = long["year"].astype(int)
    long["order"] = long["flow"].map({"turnover": 0, "exports": 1, "imports": 2, "balance": 3})
    long = long.sort_values(["source", "reported_by", "year", "order"])
    return long[columns].reset_index(drop=True)


def partner_ranking(
    store: Store, reporter: str, year: int, flow: str = "turnover", source: str | None = None
) -> pd.DataFrame:
    """``reporter``'s partner countries in ``year``, ranked by ``flow``, per source.

    Only the reporter's own figures count (its exports as exporter, its imports as
    importer) and, for reconciled sources, the reconciled ones. Aggregates (World, CIS,
    EU27...) are not partners; the world total is the denominator of the shares when the
    source publishes it, else the sum over partner countries.

    Returns
    -------
    ``source, reported_by, partner, partner_name, value_usd, share, rank``; share in
    percent, rank 1 for the largest. A partner with a figure in one direction only has
    that figure as its turnover (the other direction is taken as nothing traded).
    """
    if flow not in FLOWS:
        raise ValueError(f"flow must be one of {', '.join(FLOWS)}, not '{flow}'")

    def own_reports(f: ibis.Table) -> Any:
        exports = (f.exporter == reporter) & f.reported_by.isin(["exporter", RECONCILED])
        imports = (f.importer == reporter) & f.reported_by.isin(["importer", RECONCILED])
        return (f.year == year) & (exports | imports)

    rows = _totals(store, own_reports, source)
    rows = rows.mutate(
        direction=ibis.cases((rows.exporter == reporter, "exports"), else_="imports"),
        partner=ibis.cases((rows.exporter == reporter, rows.importer), else_=rows.exporter),
        reporting=_reporting_country(rows),
    )
    keys = ["source", "reporting", "partner", "direction"]
    frame = _annual(store.execute(_aggregate(rows, keys)), keys)
    columns = ["source", "reported_by", "partner", "partner_name", "value_usd", "share", "rank"]
    if flow != "turnover":
        frame = frame[frame["direction"] == flow]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    values = (
        frame.groupby(["source", "reporting", "partner"], as_index=False)["value_usd"]
        .sum()
        .rename(columns={"reporting": "reported_by"})
    )
    index = countries()
    values["is_aggregate"] = values["partner"].map(
        lambda code: code not in index.by_code or index.by_code[code].is_aggregate
    )
    ranked = []
    for _, group in values.groupby(["source", "reported_by"]):
        partners = group[~group["is_aggregate"]].copy()
        world = group.loc[group["partner"] == WORLD, "value_usd"]
        total = float(world.iloc[0]) if len(world) else float(partners["value_usd"].sum())
        partners["share"] = partners["value_usd"] / total * 100 if total else float("nan")
        partners = partners.sort_values(["value_usd", "partner"], ascending=[False, True])
        partners["rank"] = range(1, len(partners) + 1)
        ranked.append(partners)
    result = pd.concat(ranked, ignore_index=True)
    result["partner_name"] = result["partner"].map(lambda c: index.by_code[c].name_en)
    return result[columns]


def pair_profile(
    store: Store, reporter: str, partner: str, year: int, source: str | None = None
) -> dict[str, Any]:
    """The headline indicators of a pair in a year, per source, as ``bilateral profile`` prints.

    Records carry ``name, value, unit, source, reported_by, year``: turnover, exports,
    imports, balance (USD), turnover_growth (percent over the year before, same source and
    reporter), partner_share_* (percent of the reporter's trade) and partner_rank_*.
    Raises NotAvailableError when no source in the store has the pair in that year.
    """
    series = pair_series(store, reporter, partner, source)
    this_year = series[series["year"] == year]
    if this_year.empty:
        held = sorted(set(series["year"]))
        where = f"in {source}" if source else "in the store"
        span = f"; it has {reporter}-{partner} for {held[0]}-{held[-1]}" if held else ""
        raise NotAvailableError(f"No figures for {reporter}-{partner} in {year} {where}{span}.")
    records: list[dict[str, Any]] = []
    for row in this_year.itertuples(index=False):
        records.append(_record(row.flow, row.value_usd, "USD", row.source, row.reported_by, year))
    turnover = series[series["flow"] == "turnover"].set_index(["source", "reported_by", "year"])
    for row in this_year[this_year["flow"] == "turnover"].itertuples(index=False):
        key = (row.source, row.reported_by, year - 1)
        if key in turnover.index:
            before = float(turnover.loc[key, "value_usd"])
            growth = (row.value_usd / before - 1) * 100 if before else float("nan")
            records.append(
                _record("turnover_growth", growth, "percent", row.source, row.reported_by, year)
            )
    for flow in FLOWS:
        ranking = partner_ranking(store, reporter, year, flow, source)
        for row in ranking[ranking["partner"] == partner].itertuples(index=False):
            records.append(
                _record(
                    f"partner_share_{flow}", row.share, "percent", row.source, row.reported_by, year
                )
            )
            records.append(
                _record(f"partner_rank_{flow}", row.rank, "rank", row.source, row.reported_by, year)
            )
    return {"reporter": reporter, "partner": partner, "year": year, "indicators": records}


def _record(
    name: str, value: float, unit: str, source: str, reported_by: str, year: int
) -> dict[str, Any]:
    number: float | int | None = None if value is None or math.isnan(value) else value
    if unit == "rank" and number is not None:
        number = int(number)
    return {
        "name": name,
        "value": number,
        "unit": unit,
        "source": source,
        "reported_by": reported_by,
        "year": year,
    }


def mirror_table(series: pd.DataFrame, reporter: str, partner: str) -> pd.DataFrame:
    """Each direction of trade as its exporter, its importer and reconcilers report it.

    ``series`` is :func:`pair_series` output. Returns ``direction, year, side, source,
    reported_by, value_usd`` with ``side`` one of exporter, importer, reconciled. A side
    nobody published is absent.
    """
    columns = ["direction", "year", "side", "source", "reported_by", "value_usd"]
    frame = series[series["flow"].isin(["exports", "imports"])].copy()
    if frame.empty:
        return pd.DataFrame(columns=columns)
    outward = frame["flow"] == "exports"
    exporter = outward.map({True: reporter, False: partner})
    importer = outward.map({True: partner, False: reporter})
    frame["direction"] = exporter + "\u00a0→\u00a0" + importer  # kept on one line
    frame["side"] = "reconciled"
    frame.loc[frame["reported_by"] == exporter, "side"] = "exporter"
    frame.loc[frame["reported_by"] == importer, "side"] = "importer"
    return frame.sort_values(["direction", "year", "side"])[columns].reset_index(drop=True)


def mirror_gaps(mirror: pd.DataFrame) -> pd.DataFrame:
    """Importer's figure against exporter's figure for each direction, year and source pair.

    Imports are usually valued CIF (with freight and insurance) and exports FOB, so the
    importer's figure is expected to be the larger; ``expected_direction`` is False where
    it is not. ``gap_usd`` = importer - exporter; ``gap_percent`` relative to the exporter.
    """
    columns = [
        "direction",
        "year",
        "exporter_source",
        "exporter_usd",
        "importer_source",
        "importer_usd",
        "gap_usd",
        "gap_percent",
        "expected_direction",
    ]
    exporters = mirror[mirror["side"] == "exporter"]
    importers = mirror[mirror["side"] == "importer"]
    pairs = exporters.merge(importers, on=["direction", "year"], suffixes=("_x", "_m"))
    if pairs.empty:
        return pd.DataFrame(columns=columns)
    pairs["exporter_source"] = pairs["source_x"]
    pairs["importer_source"] = pairs["source_m"]
    pairs["exporter_usd"] = pairs["value_usd_x"]
    pairs["importer_usd"] = pairs["value_usd_m"]
    pairs["gap_usd"] = pairs["importer_usd"] - pairs["exporter_usd"]
    pairs["gap_percent"] = pairs["gap_usd"] / pairs["exporter_usd"] * 100
    pairs["expected_direction"] = pairs["gap_usd"] >= 0
    return pairs[columns].sort_values(["direction", "year"]).reset_index(drop=True)
