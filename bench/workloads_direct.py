"""The benchmark workloads as one hand-written Ibis expression each, over ``Store.flows()``.

These are what the workloads cost when each is written as a single query for a complete
world matrix (BACI) and nothing else: no revisions, months, modes of transport or
sources side by side, which bilateral's indicator functions (``workloads_indicators``)
handle in general. The distance between the two is what that generality costs today.

Like the indicators: aggregates (WLD, S19 "Other Asia, nes", EU27 ...) are neither
reporters nor partners nor part of world totals; a missing flow counts as zero; values
are USD, shares percent.
"""

from __future__ import annotations

from typing import Any

import ibis
import ibis.expr.types as ir

from bilateral.indicators.rows import aggregate_codes


def _year(flows: ir.Table, year: int) -> ir.Table:
    """The year's rows between two countries (no aggregates on either side).

    The aggregate codes are a small table, not a list: DuckDB tests ``NOT IN (28
    literals)`` row by row on both columns, which costs 3-4 times the scan itself on a
    year of BACI, whereas ``NOT IN (SELECT ...)`` is one hash look-up per row.
    """
    aggregates = ibis.memtable({"code": list(aggregate_codes())}).code
    t = flows.filter(flows.year == year)
    return t.filter(~t.exporter.isin(aggregates), ~t.importer.isin(aggregates))


def pair_series(flows: ir.Table, a: str, b: str) -> ir.Table:
    """Exports, imports, turnover and balance of ``a`` with ``b`` for every year held."""
    pair = flows.filter(
        flows.exporter.isin([a, b]), flows.importer.isin([a, b]), flows.exporter != flows.importer
    )
    series = pair.group_by("year").aggregate(
        exports=pair.value_usd.sum(where=pair.exporter == a),
        imports=pair.value_usd.sum(where=pair.exporter == b),
    )
    series = series.mutate(
        exports=series.exports.fill_null(0.0), imports=series.imports.fill_null(0.0)
    )
    return series.mutate(
        turnover=series.exports + series.imports, balance=series.exports - series.imports
    ).order_by("year")


def _ranked(table: ir.Table, group: str | None) -> ir.Table:
    """Add turnover, shares in percent and 1-based ranks (ties share), within ``group``."""
    table = table.mutate(turnover=table.exports + table.imports)
    by = [table[group]] if group else []
    measures = {}
    for measure in ("exports", "imports", "turnover"):
        column = table[measure]
        measures[f"share_{measure}"] = 100.0 * column / column.sum().over(group_by=by)
        measures[f"rank_{measure}"] = ibis.rank().over(group_by=by, order_by=ibis.desc(column)) + 1
    return table.mutate(**measures)


def partners_of(flows: ir.Table, a: str, year: int) -> ir.Table:
    """``a``'s partners in ``year`` with exports, imports, turnover, shares and ranks."""
    fy = _year(flows, year)
    out = fy.filter(fy.exporter == a)
    into = fy.filter(fy.importer == a)
    both = out.select(partner=out.importer, exports=out.value_usd, imports=ibis.literal(0.0)).union(
        into.select(partner=into.exporter, exports=ibis.literal(0.0), imports=into.value_usd)
    )
    totals = both.group_by("partner").aggregate(
        exports=both.exports.sum(), imports=both.imports.sum()
    )
    return _ranked(totals, group=None)


def all_partner_rankings(flows: ir.Table, year: int) -> ir.Table:
    """Every country's partners ranked by exports, imports and turnover, with shares."""
    fy = _year(flows, year)
    pairs = fy.group_by("exporter", "importer").aggregate(value=fy.value_usd.sum())
    both = pairs.select(
        country=pairs.exporter, partner=pairs.importer, exports=pairs.value, imports=0.0
    ).union(
        pairs.select(
            country=pairs.importer, partner=pairs.exporter, exports=0.0, imports=pairs.value
        )
    )
    totals = both.group_by("country", "partner").aggregate(
        exports=both.exports.sum(), imports=both.imports.sum()
    )
    return _ranked(totals, group="country")


def pair_structure(flows: ir.Table, a: str, b: str, year: int) -> dict[str, ir.Table]:
    """What ``a`` sells to ``b`` and buys from it, by HS chapter and heading, with shares."""
    fy = _year(flows, year)
    pair = fy.filter(fy.exporter.isin([a, b]), fy.importer.isin([a, b]), fy.exporter != fy.importer)
    by_product = pair.group_by(
        flow=ibis.ifelse(pair.exporter == a, "exports", "imports"), product=pair.product
    ).aggregate(value=pair.value_usd.sum())
    out: dict[str, ir.Table] = {}
    for level, digits in (("chapter", 2), ("heading", 4)):
        grouped = by_product.group_by(
            "flow", **{level: by_product.product.substr(0, digits)}
        ).aggregate(value=by_product.value.sum())
        out[f"structure_{level}"] = grouped.mutate(
            share=100.0 * grouped.value / grouped.value.sum().over(group_by=grouped.flow),
            rank=ibis.rank().over(group_by=grouped.flow, order_by=ibis.desc(grouped.value)) + 1,
        )
    food = by_product.filter(by_product.product.substr(0, 2) <= "24")
    out["food"] = food.group_by("flow").aggregate(value=food.value.sum())
    return out


def supplier_dependence(flows: ir.Table, a: str, year: int) -> ir.Table:
    """For every product ``a`` imports: total, number of suppliers, Herfindahl index of
    their shares (0-1) and the top supplier's share (percent)."""
    fy = _year(flows, year)
    imports = fy.filter(fy.importer == a)
    by_supplier = imports.group_by("product", supplier=imports.exporter).aggregate(
        value=imports.value_usd.sum()
    )
    share = by_supplier.value / by_supplier.value.sum().over(group_by=by_supplier.product)
    shares = by_supplier.mutate(share=share)
    return shares.group_by("product").aggregate(
        total=shares.value.sum(),
        suppliers=shares.supplier.count(),
        hhi=(shares.share * shares.share).sum(),
        top_share=100.0 * shares.share.max(),
    )


def specialisation(flows: ir.Table, a: str, b: str, year: int) -> ir.Table:
    """Per product: Balassa RCA of ``a`` and ``b``; and, on every row, the complementarity of
    ``a``'s exports with ``b``'s imports (0-100). One pass over the year."""
    fy = _year(flows, year)
    v = fy.value_usd
    totals = fy.group_by("product").aggregate(
        world=v.sum(),
        a_exports=v.sum(where=fy.exporter == a),
        b_exports=v.sum(where=fy.exporter == b),
        b_imports=v.sum(where=fy.importer == b),
    )
    measured = ("a_exports", "b_exports", "b_imports")
    filled = totals.mutate(**{c: totals[c].fill_null(0.0) for c in measured})
    world_share = filled.world / filled.world.sum().over()
    a_share = filled.a_exports / filled.a_exports.sum().over()
    b_share = filled.b_exports / filled.b_exports.sum().over()
    b_import_share = filled.b_imports / filled.b_imports.sum().over()
    shares = filled.select(
        "product",
        rca_a=a_share / world_share,
        rca_b=b_share / world_share,
        gap=(b_import_share - a_share).abs(),
    )
    return shares.mutate(complementarity=100.0 * (1.0 - shares.gap.sum().over() / 2.0)).drop("gap")


def all_rca(flows: ir.Table, year: int) -> ir.Table:
    """Balassa RCA for every exporter and product in ``year`` (flows that exist)."""
    fy = _year(flows, year)
    xk = fy.group_by("exporter", "product").aggregate(value_usd=fy.value_usd.sum())
    xk = xk.filter(xk.value_usd > 0)
    country = xk.value_usd.sum().over(group_by=xk.exporter)
    product = xk.value_usd.sum().over(group_by=xk.product)
    world = xk.value_usd.sum().over()
    return xk.mutate(rca=(xk.value_usd / country) / (product / world))


def queries(name: str, flows: ir.Table, a: str, b: str, year: int) -> dict[str, ir.Table]:
    """The named workload's expressions."""
    if name == "profile":
        out = {
            "series": pair_series(flows, a, b),
            "partners": partners_of(flows, a, year),
            "dependence": supplier_dependence(flows, a, year),
            "specialisation": specialisation(flows, a, b, year),
        }
        out.update(pair_structure(flows, a, b, year))
        return out
    if name == "partners":
        return {"rankings": all_partner_rankings(flows, year)}
    if name == "dependence":
        return {"dependence": supplier_dependence(flows, a, year)}
    if name == "rca":
        return {"rca": all_rca(flows, year)}
    raise ValueError(f"unknown workload {name!r}")


def run(name: str, store: Any, source: str, a: str, b: str, year: int) -> dict[str, float]:
    """Execute the workload on the store's engine; return its summary (see ``summaries``)."""
    import summaries

    flows = store.flows(source)
    frames = {key: store.execute(expr) for key, expr in queries(name, flows, a, b, year).items()}
    return summaries.of_frames(name, frames, a, b, year)
