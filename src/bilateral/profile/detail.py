"""Profile records from product detail: the composition of both flows by HS section and
by named group; b's share of a's imports and exports of each group (dependence); RCA,
trade intensity and complementarity (specialisation)."""

from __future__ import annotations

from typing import Any

from bilateral.indicators.dependence import PARTNER_CAVEATS
from bilateral.indicators.rows import FAO
from bilateral.profile import queries
from bilateral.profile.context import Context, Rows, first_revision, plain_rows, rows_of
from bilateral.profile.queries import TOP_RCA_PRODUCTS


def structure_records(ctx: Context) -> None:
    """exports_by_section / imports_by_section and exports_of_group / imports_of_group."""
    frame = first_revision(
        plain_rows(ctx.fetch(queries.sections(ctx.flows, ctx.a, ctx.b, ctx.year)))
    )
    for source in ctx.sources:
        for flow in ("exports", "imports"):
            rows = rows_of(frame, source=source, flow=flow)
            if not rows:
                why = (
                    f"no HS detail of {flow} in {ctx.year}"
                    if ctx.coverage[source].has_hs_products
                    else "it has no HS product detail"
                )
                ctx.unavailable((f"{flow}_by_section",), "USD", source, why)
            for row in rows:
                ctx.add(
                    f"{flow}_by_section",
                    row["value_usd"],
                    "USD",
                    source,
                    reported_by=row["reported_by"],
                    product=row["code"],
                    detail={
                        key: row[key] for key in ("description", "share", "rank", "classification")
                    }
                    | {"statistics_of": row["statistics_of"]},
                )

    values = queries.groups_of_flows(ctx.flows, ctx.totals, ctx.a, ctx.b, ctx.groups, ctx.year)
    frame = first_revision(plain_rows(ctx.fetch(values)))
    for source in ctx.sources:
        if not ctx.coverage[source].has_products:
            continue  # said once by the section records
        for flow in ("exports", "imports"):
            for group in ctx.groups:
                rows = rows_of(frame, source=source, flow=flow, group=group.label)
                if not rows:
                    why = f"no rows for {group.label} in {ctx.year}"
                    ctx.unavailable((f"{flow}_of_group",), "USD", source, why, group=group.label)
                for row in rows:
                    ctx.add(
                        f"{flow}_of_group",
                        row["value_usd"],
                        "USD",
                        source,
                        reported_by=row["reported_by"],
                        group=group.label,
                        detail=_group_detail(source, group.name, row),
                    )


def _group_detail(source: str, name: str, row: dict[str, Any]) -> dict[str, Any]:
    detail = {
        "group_name": name,
        "share_of_flow": row["share"],
        "flow_total_usd": row["total_usd"],
        "classification": row["classification"],
        "statistics_of": row["statistics_of"],
    }
    if row["classification"] == FAO:
        detail["coverage"] = "the FAO items fao_item_hs.csv places inside the group"
    if source in PARTNER_CAVEATS:
        detail["caveat"] = PARTNER_CAVEATS[source]
    return detail


def dependence_records(ctx: Context) -> None:
    """supplier_share (b's share of a's imports of each group), destination_share (of a's
    exports), and the Herfindahl index of each (…_hhi), with the top partner."""
    both = queries.partner_shares(ctx.flows, ctx.a, ctx.b, ctx.groups, ctx.year)
    for name, shares, flow in zip(
        ("supplier_share", "destination_share"), both, ("imports", "exports"), strict=True
    ):
        frame = first_revision(plain_rows(ctx.fetch(shares)))
        for source in ctx.sources:
            if not ctx.coverage[source].has_products:
                ctx.unavailable((name,), "percent", source, "it has no product detail")
                continue
            for group in ctx.groups:
                rows = rows_of(frame, source=source, product=group.label)
                if not rows:
                    why = f"no {flow} of {group.label} by {ctx.a} in {ctx.year}"
                    ctx.unavailable((name,), "percent", source, why, group=group.label)
                    continue
                _add_share(ctx, name, flow, source, group.label, rows)


def _add_share(
    ctx: Context, name: str, flow: str, source: str, group: str, rows: list[dict[str, Any]]
) -> None:
    top = min(rows, key=lambda r: r["rank"])
    detail: dict[str, Any] = {
        "flow": flow,
        "top_partner": top["partner"],
        "top_share": top["share"],
        **{k: top[k] for k in ("hhi", "n_partners", "world_usd", "world_basis", "classification")},
    }
    if source in PARTNER_CAVEATS:
        detail["caveat"] = PARTNER_CAVEATS[source]
    common = {"reported_by": top["reported_by"], "group": group}
    mine = [r for r in rows if r["partner"] == ctx.b]
    if mine:
        detail.update(rank=mine[0]["rank"], value_usd=mine[0]["value_usd"])
        ctx.add(name, mine[0]["share"], "percent", source, detail=detail, **common)
    elif ctx.coverage[source].is_matrix:
        note = f"{ctx.b} has no {flow} row for {group} in {source}'s complete matrix: none"
        ctx.add(name, 0.0, "percent", source, note=note, detail=detail, **common)
    else:
        note = f"not available in {source}: {ctx.b} is not listed among the partners"
        ctx.add(name, None, "percent", source, note=note, detail=detail, **common)
    ctx.add(f"{name}_hhi", top["hhi"], "index", source, detail=detail, **common)


def specialisation_records(ctx: Context) -> None:
    """trade_intensity and trade_complementarity both ways; RCA of each country's largest
    exports. Only from a complete world matrix (BACI)."""
    names = ("trade_intensity", "trade_complementarity", "rca")
    matrix = [s for s in ctx.sources if ctx.coverage[s].is_matrix]
    for source in ctx.sources:
        if source not in matrix:
            why = "it is not a complete world matrix of products (BACI is)"
            ctx.unavailable(names, "index", source, why)
    if not matrix:
        return
    pairs = ((ctx.a, ctx.b), (ctx.b, ctx.a))
    # The store's engine reads the year's matrix once, into a few thousand rows per
    # product; all three indicators are computed from those in an in-process DuckDB,
    # whatever the engine (a Spark job per small table would cost more than the work).
    sums = ctx.fetch(queries.matrix(ctx.flows, ctx.summaries, ctx.a, ctx.b, ctx.year))
    intensity_rows, complementarity, advantage = queries.specialisation(sums, ctx.a, ctx.b)
    complementarity_rows = first_revision(complementarity)
    advantage = first_revision(advantage)
    for source in matrix:
        for x, m in pairs:
            detail = {"exporter": x, "importer": m}
            for name, frame, column in (
                ("trade_intensity", intensity_rows, "intensity"),
                ("trade_complementarity", complementarity_rows, "complementarity"),
            ):
                rows = rows_of(frame, source=source, exporter=x, importer=m)
                if rows:
                    ctx.add(
                        name,
                        rows[0][column],
                        "index",
                        source,
                        reported_by="reconciled",
                        detail=detail,
                    )
                else:
                    why = f"no {x} -> {m} trade in {ctx.year}"
                    ctx.unavailable((name,), "index", source, why, detail=detail)
            for row in _largest(rows_of(advantage, source=source, exporter=x)):
                ctx.add(
                    "rca",
                    row["rca"],
                    "index",
                    source,
                    reported_by="reconciled",
                    product=row["product"],
                    detail={
                        "exporter": x,
                        "exports_usd": row["value_usd"],
                        "classification": row["classification"],
                        "why": f"one of {x}'s {TOP_RCA_PRODUCTS} largest exports",
                    },
                )


def _largest(rows: Rows) -> Rows:
    """The :data:`TOP_RCA_PRODUCTS` rows of largest value, ties in the order given."""
    valued = [row for row in rows if row["value_usd"] is not None]
    return sorted(valued, key=lambda row: -row["value_usd"])[:TOP_RCA_PRODUCTS]
