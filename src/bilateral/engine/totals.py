"""Profile records from total flows: turnover, exports, imports, balance and growth; the
partner's share and rank among the reporter's partners; mirror gaps."""

from __future__ import annotations

from typing import Any

from bilateral.engine import queries
from bilateral.engine.context import Context, plain_rows, rows_of
from bilateral.indicators.partners import RANKED_FLOWS
from bilateral.reference.source_basis import growth_in_publishers_currency

FLOW_NAMES = ("turnover", "exports", "imports", "balance")


def _combined(exports_by: str | None, imports_by: str | None) -> str | None:
    """reported_by of a figure made of both flows: 'exporter+importer' for a country's own."""
    if exports_by == imports_by:
        return exports_by
    if exports_by and imports_by:
        return f"{exports_by}+{imports_by}"
    return exports_by or imports_by


def flow_records(ctx: Context) -> None:
    """turnover, exports, imports, balance and their growth over the year before."""
    frame = plain_rows(
        ctx.fetch(queries.flow_totals(ctx.flows, ctx.totals, ctx.a, ctx.b, ctx.year))
    )
    for source in ctx.sources:
        rows = rows_of(frame, source=source)
        if not rows:
            why = (
                f"no total flows between {ctx.a} and {ctx.b} in {ctx.year}"
                if ctx.coverage[source].has_totals
                else "it holds product detail only, not total trade"
            )
            ctx.unavailable(FLOW_NAMES, "USD", source, why)
            ctx.unavailable(("turnover_growth",), "percent", source, why)
        for row in rows:
            _add_totals(ctx, source, row)


def _add_totals(ctx: Context, source: str, row: dict[str, Any]) -> None:
    detail = {"statistics_of": row["statistics_of"], "basis": row["basis"]}
    reported_by = {
        "exports": row["reported_by_exports"],
        "imports": row["reported_by_imports"],
        "turnover": _combined(row["reported_by_exports"], row["reported_by_imports"]),
    }
    reported_by["balance"] = reported_by["turnover"]
    one_side = (
        f"not available in {source}: {row['statistics_of']}'s statistics report only one of "
        "the two flows"
    )
    for name in FLOW_NAMES:
        ctx.add(
            name,
            row[name],
            "USD",
            source,
            reported_by=reported_by[name],
            release=row["release"],
            note=one_side if row[name] is None else None,
            detail=detail,
        )
    for flow in RANKED_FLOWS:
        value = row[f"{flow}_growth"]
        no_previous = (
            f"not available in {source}: no {flow} for {ctx.year - 1} in "
            f"{row['statistics_of']}'s statistics"
        )
        growth = {"previous": row[f"{flow}_previous"], "previous_year": ctx.year - 1}
        value, growth = _in_publishers_currency(source, ctx.year, value, growth)
        ctx.add(
            f"{flow}_growth",
            value,
            "percent",
            source,
            reported_by=reported_by[flow],
            release=row["release"],
            note=no_previous if value is None else None,
            detail={**detail, **growth},
        )


def _in_publishers_currency(
    source: str, year: int, growth: float | None, detail: dict[str, Any]
) -> tuple[float | None, dict[str, Any]]:
    """Growth in the currency the source publishes in
    (:func:`~bilateral.reference.source_basis.growth_in_publishers_currency`); the dollar
    figure stays in ``detail.growth_usd``."""
    stated, currency = growth_in_publishers_currency(source, year, growth)
    if currency == "USD":
        return growth, {**detail, "growth_currency": "USD"}
    return stated, {**detail, "growth_currency": currency, "growth_usd": growth}


def partner_records(ctx: Context) -> None:
    """partner_share_* and partner_rank_*: b among a's partners, with its neighbours."""
    frame = plain_rows(
        ctx.fetch(queries.partner_ranks(ctx.flows, ctx.totals, ctx.a, ctx.b, ctx.year))
    )
    for source in ctx.sources:
        rows = rows_of(frame, source=source)
        listed = {row["flow"] for row in rows}
        for flow in RANKED_FLOWS:
            if flow in listed:
                continue
            if not rows:
                why = (
                    f"no trade between {ctx.a} and {ctx.b} in {ctx.year}"
                    if ctx.coverage[source].is_matrix
                    else f"it has no statistics of {ctx.a}'s trade by partner in {ctx.year}"
                )
            else:
                why = f"{ctx.b} is not listed among {ctx.a}'s {flow} partners"
            ctx.unavailable((f"partner_share_{flow}",), "percent", source, why)
            ctx.unavailable((f"partner_rank_{flow}",), "rank", source, why)
        # the query's rows come in no set order: turnover, exports, imports, always
        order = {flow: i for i, flow in enumerate(RANKED_FLOWS)}
        for row in sorted(rows, key=lambda r: (order[r["flow"]], r["reported_by"] or "")):
            detail = {
                key: row[key]
                for key in (
                    "statistics_of",
                    "value_usd",
                    "world_usd",
                    "world_basis",
                    "n_partners",
                    "partner_above",
                    "gap_above_usd",
                    "gap_above_pct",
                    "partner_below",
                    "gap_below_usd",
                    "gap_below_pct",
                )
            }
            for name, unit, column in (("share", "percent", "share"), ("rank", "rank", "rank")):
                ctx.add(
                    f"partner_{name}_{row['flow']}",
                    row[column],
                    unit,
                    source,
                    reported_by=row["reported_by"],
                    note=row.get("note") if row[column] is None else None,
                    detail=detail,
                )


def mirror_records(ctx: Context) -> None:
    """mirror_gap and mirror_gap_pct of each flow: importer's report less exporter's."""
    frame = plain_rows(ctx.fetch(queries.mirror(ctx.flows, ctx.totals, ctx.a, ctx.b, ctx.year)))
    for flow in ("exports", "imports"):
        rows = rows_of(frame, flow=flow)
        pairs = [r for r in rows if r["by_exporter_source"] and r["by_importer_source"]]
        if not pairs:
            by_x = sorted({r["by_exporter_source"] for r in rows if r["by_exporter_source"]})
            by_m = sorted({r["by_importer_source"] for r in rows if r["by_importer_source"]})
            note = (
                f"not available: {flow} {ctx.year} reported by the exporter in "
                f"{', '.join(by_x) or 'no source'}, by the importer in "
                f"{', '.join(by_m) or 'no source'}"
            )
            for name, unit in (("mirror_gap", "USD"), ("mirror_gap_pct", "percent")):
                source = "+".join(by_x + by_m) or "none"
                ctx.add(name, None, unit, source, note=note, detail={"flow": flow})
        for row in pairs:
            detail = {
                "flow": flow,
                **{
                    key: row[key]
                    for key in (
                        "exporter",
                        "importer",
                        "by_exporter_source",
                        "by_exporter_value_usd",
                        "by_exporter_valuation",
                        "by_importer_source",
                        "by_importer_value_usd",
                        "by_importer_valuation",
                        "reconciled_source",
                        "reconciled_value_usd",
                        "cif_fob_expected",
                    )
                },
            }
            source = f"{row['by_exporter_source']}+{row['by_importer_source']}"
            for name, unit, column in (
                ("mirror_gap", "USD", "gap_usd"),
                ("mirror_gap_pct", "percent", "gap_pct"),
            ):
                ctx.add(
                    name,
                    row[column],
                    unit,
                    source,
                    reported_by="importer-exporter",
                    detail=detail,
                )
