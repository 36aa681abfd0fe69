"""Profile records from product detail: the composition of both flows by HS section and
by named group; b's share of a's imports and exports of each group (dependence); RCA,
trade intensity and complementarity (specialisation)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bilateral.engine import queries
from bilateral.engine.context import Context, Rows, first_revision, plain_rows, rows_of
from bilateral.engine.queries import TOP_RCA_PRODUCTS
from bilateral.formats import format_money, format_percent
from bilateral.indicators.dependence import PARTNER_CAVEATS
from bilateral.indicators.rows import FAO
from bilateral.reference.fao_items import fao_item_hs, fao_items_partly_in, fao_notes
from bilateral.reference.products import ProductSelection


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
    fao = [s for s in ctx.sources if FAO in ctx.coverage[s].classifications]
    items = (
        plain_rows(ctx.fetch(queries.fao_items(ctx.flows, ctx.a, ctx.b, ctx.year))) if fao else []
    )
    for source in ctx.sources:
        if not ctx.coverage[source].has_products:
            continue  # said once by the section records
        for flow in ("exports", "imports"):
            for group in ctx.groups:
                rows = rows_of(frame, source=source, flow=flow, group=group.label)
                extent = (
                    fao_extent(group, rows_of(items, source=source, flow=flow))
                    if source in fao
                    else None
                )
                if extent is not None and extent.partly_usd and not extent.inside_usd:
                    rows = [r for r in rows if r["classification"] != FAO]
                    why = extent.not_covered(group)
                    ctx.unavailable((f"{flow}_of_group",), "USD", source, why, group=group.label)
                    continue
                if rows and not ctx.coverage[source].is_matrix:
                    whole = [r for r in rows if _whole(r, group)]
                    if not whole:
                        why = _partial_codes(source, group, rows)
                        ctx.unavailable(
                            (f"{flow}_of_group",), "USD", source, why, group=group.label
                        )
                        continue
                    rows = whole
                if not rows:
                    why = f"no rows for {group.label} in {ctx.year}"
                    ctx.unavailable((f"{flow}_of_group",), "USD", source, why, group=group.label)
                for row in rows:
                    detail = _group_detail(source, group.name, row)
                    if row["classification"] == FAO and extent is not None:
                        detail.update(extent.as_detail(group))
                    ctx.add(
                        f"{flow}_of_group",
                        row["value_usd"],
                        "USD",
                        source,
                        reported_by=row["reported_by"],
                        group=group.label,
                        detail=detail,
                    )


@dataclass(frozen=True)
class FaoExtent:
    """What FAOSTAT's items say about a group's value in one flow: the value of the items
    that lie wholly inside the group (summed), of those that reach into it with other
    goods (``partly``: left out, they cannot be split), and of those fao_item_hs.csv
    does not place (``unplaced``: left out, their codes are unknown)."""

    inside_usd: float
    partly: dict[str, float]
    unplaced: dict[str, float]

    @property
    def partly_usd(self) -> float:
        return sum(self.partly.values())

    @property
    def unplaced_usd(self) -> float:
        return sum(self.unplaced.values())

    @property
    def percent(self) -> float | None:
        """The items summed as a percent of every item that is or may be in the group."""
        whole = self.inside_usd + self.partly_usd + self.unplaced_usd
        return 100.0 * self.inside_usd / whole if whole else None

    def as_detail(self, group: ProductSelection) -> dict[str, Any]:
        codes = _codes_text(group)
        if not self.partly and not self.unplaced:
            text = f"the whole group: every FAO item of the flow in {codes} lies wholly inside it"
        else:
            left = [
                f"{item} ({format_money(v)}, partly in {codes})" for item, v in self.partly.items()
            ]
            if self.unplaced:
                left.append(
                    f"{len(self.unplaced)} item(s) fao_item_hs.csv does not place "
                    f"({format_money(self.unplaced_usd)})"
                )
            text = (
                f"FAO items mapped to {codes}: {format_percent(self.percent, 1)} of the value "
                f"of the items that are or may be in the group; left out: {'; '.join(left)}"
            )
        notes = fao_notes(tuple(group.fao_items))
        processed = [n for n in notes if n.startswith("CPC")]
        return {
            "coverage": text,
            "coverage_pct": self.percent,
            **({"coverage_notes": processed} if processed else {}),
        }

    def not_covered(self, group: ProductSelection) -> str:
        named = ", ".join(f"'{item}'" for item in self.partly)
        return (
            f"no FAO item lies wholly within {_codes_text(group)}: FAOSTAT sums that trade "
            f"with other goods in {named} ({format_money(self.partly_usd)}), which cannot be split"
        )


def _codes_text(group: ProductSelection) -> str:
    codes = group.hs_prefixes
    if len(codes) > 3:
        return f"HS {codes[0]}-{codes[-1]}" if _consecutive(codes) else f"HS {codes[0]}, ..."
    return "HS " + ", ".join(codes)


def _consecutive(codes: tuple[str, ...]) -> bool:
    return all(len(c) == len(codes[0]) and c.isdigit() for c in codes) and [
        int(c) for c in codes
    ] == list(range(int(codes[0]), int(codes[0]) + len(codes)))


def fao_extent(group: ProductSelection, items: Rows) -> FaoExtent:
    """:class:`FaoExtent` of ``group`` from a flow's rows by FAO item (code, value_usd)."""
    placed = {m.item for m in fao_item_hs()}
    partly = set(fao_items_partly_in(group.hs_prefixes))
    inside = set(group.fao_items)
    values: dict[str, float] = {}
    for row in items:
        values[row["code"]] = values.get(row["code"], 0.0) + float(row["value_usd"] or 0.0)
    return FaoExtent(
        inside_usd=sum(v for item, v in values.items() if item in inside),
        partly={item: v for item, v in sorted(values.items()) if item in partly and v},
        unplaced={item: v for item, v in sorted(values.items()) if item not in placed and v},
    )


def _whole(row: dict[str, Any], group: ProductSelection) -> bool:
    """Whether a row of an extract gives the group whole: FAO items are judged by
    :class:`FaoExtent`; HS and CN rows when each of the group's codes is a row itself."""
    if row["classification"] == FAO:
        return True
    return bool(row["whole_prefixes"] == len(group.hs_prefixes))


def _partial_codes(source: str, group: ProductSelection, rows: Rows) -> str:
    """Why an extract's rows under a group's codes are not the group's value."""
    held = max(float(r["value_usd"] or 0.0) for r in rows)
    what = (
        "the CN8 codes on the EU's export sanctions list and some HS4 headings"
        if source == "comext_cn8"
        else "the codes downloaded"
    )
    return (
        f"the extract holds only some codes under {_codes_text(group)} ({what}), which sum "
        f"to {format_money(held)}: not the group's whole trade"
    )


def _group_detail(source: str, name: str, row: dict[str, Any]) -> dict[str, Any]:
    detail = {
        "group_name": name,
        "share_of_flow": row["share"],
        "flow_total_usd": row["total_usd"],
        "classification": row["classification"],
        "statistics_of": row["statistics_of"],
    }
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
    # over a partial partner table no partner is ranked: the largest value is the top
    top = min(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, -(r["value_usd"] or 0)))
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
        share = mine[0]["share"]
        note = None if share is not None else top.get("caveat")
        ctx.add(name, share, "percent", source, note=note, detail=detail, **common)
    elif ctx.coverage[source].is_matrix:
        note = f"{ctx.b} has no {flow} row for {group} in {source}'s complete matrix: none"
        ctx.add(name, 0.0, "percent", source, note=note, detail=detail, **common)
    else:
        note = f"not available in {source}: {ctx.b} is not listed among the partners"
        ctx.add(name, None, "percent", source, note=note, detail=detail, **common)
    hhi_note = None if top["hhi"] is not None else top.get("caveat")
    ctx.add(f"{name}_hhi", top["hhi"], "index", source, note=hhi_note, detail=detail, **common)


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
