"""The benchmark workloads as Ibis expressions over ``Store.flows()``: what bilateral runs.

Each workload is a function of the flow table and its parameters that returns named Ibis
expressions; the harness executes them on the store's engine (DuckDB or Spark) and turns
each into a pandas frame. They mirror the indicator families (flows, partners,
structure, dependence, specialisation) so the benchmarks measure the queries a profile
needs; ``workloads_pandas`` computes the same frames with pandas for the baseline.

A missing flow counts as zero in every sum here; values are USD.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def _year(flows: ir.Table, year: int) -> ir.Table:
    return flows.filter(flows.year == year)


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


def partners_of(flows: ir.Table, a: str, year: int) -> ir.Table:
    """``a``'s partners in ``year`` with exports, imports, turnover, shares (%) and ranks."""
    fy = _year(flows, year)
    out = fy.filter(fy.exporter == a)
    into = fy.filter(fy.importer == a)
    both = out.select(partner=out.importer, exports=out.value_usd, imports=ibis.literal(0.0)).union(
        into.select(partner=into.exporter, exports=ibis.literal(0.0), imports=into.value_usd)
    )
    return _ranked(both.group_by("partner").aggregate(
        exports=both.exports.sum(), imports=both.imports.sum()
    ), group=None)  # fmt: skip


def _ranked(table: ir.Table, group: str | None) -> ir.Table:
    """Add turnover, shares in percent and 1-based ranks, within ``group`` if given."""
    table = table.mutate(turnover=table.exports + table.imports)
    by = [table[group]] if group else []
    measures = {}
    for measure in ("exports", "imports", "turnover"):
        column = table[measure]
        measures[f"share_{measure}"] = 100.0 * column / column.sum().over(group_by=by)
        measures[f"rank_{measure}"] = (
            ibis.rank().over(group_by=by, order_by=[ibis.desc(column), table.partner]) + 1
        )
    return table.mutate(**measures)


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
            rank=ibis.rank().over(
                group_by=grouped.flow, order_by=[ibis.desc(grouped.value), grouped[level]]
            )
            + 1,
        )
    food = by_product.filter(by_product.product.substr(0, 2) <= "24")
    out["food"] = food.group_by("flow").aggregate(value=food.value.sum())
    return out


def supplier_dependence(flows: ir.Table, a: str, b: str | None, year: int) -> ir.Table:
    """For every product ``a`` imports: total, suppliers, Herfindahl index, top supplier and
    its share, and (if ``b`` is given) ``b``'s share and rank. Shares in percent."""
    fy = _year(flows, year)
    imports = fy.filter(fy.importer == a)
    by_supplier = imports.group_by("product", supplier=imports.exporter).aggregate(
        value=imports.value_usd.sum()
    )
    total = by_supplier.value.sum().over(group_by=by_supplier.product)
    shares = by_supplier.mutate(
        share=by_supplier.value / total,
        rank=ibis.rank().over(
            group_by=by_supplier.product,
            order_by=[ibis.desc(by_supplier.value), by_supplier.supplier],
        )
        + 1,
    )
    summary = {
        "total": shares.value.sum(),
        "suppliers": shares.supplier.count(),
        "hhi": (shares.share * shares.share).sum() * 10000.0,
        "top_share": 100.0 * shares.share.max(),
        "top_supplier": shares.supplier.arbitrary(where=shares.rank == 1),
    }
    if b is not None:
        summary["partner_share"] = 100.0 * shares.share.sum(where=shares.supplier == b)
        summary["partner_rank"] = shares.rank.min(where=shares.supplier == b)
    return shares.group_by("product").aggregate(**summary)


def product_totals(flows: ir.Table, a: str, b: str, year: int) -> ir.Table:
    """One pass over the year, per product: world exports and ``a``'s and ``b``'s exports
    and imports; the basis of RCA, trade intensity and complementarity."""
    fy = _year(flows, year)
    v = fy.value_usd
    return fy.group_by("product").aggregate(
        world=v.sum(),
        a_exports=v.sum(where=fy.exporter == a),
        b_exports=v.sum(where=fy.exporter == b),
        a_imports=v.sum(where=fy.importer == a),
        b_imports=v.sum(where=fy.importer == b),
    )


def specialisation(flows: ir.Table, a: str, b: str, year: int) -> ir.Table:
    """Per product: the Balassa RCA of ``a`` and ``b``; and, repeated on every row, the
    complementarity of ``a``'s exports with ``b``'s imports (0-100). One pass over the year.
    """
    totals = product_totals(flows, a, b, year)
    measured = ("a_exports", "b_exports", "a_imports", "b_imports")
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
    """Balassa RCA for every exporter and product in ``year`` (only flows that exist)."""
    fy = _year(flows, year)
    xk = fy.group_by("exporter", "product").aggregate(value=fy.value_usd.sum())
    country = xk.value.sum().over(group_by=xk.exporter)
    product = xk.value.sum().over(group_by=xk.product)
    world = xk.value.sum().over()
    return xk.mutate(rca=(xk.value / country) / (product / world))


def profile(flows: ir.Table, a: str, b: str, year: int) -> dict[str, ir.Table]:
    """The bilateral profile of ``a`` and ``b``: every family the canonical table supports."""
    queries: dict[str, ir.Table] = {
        "series": pair_series(flows, a, b),
        "partners": partners_of(flows, a, year),
        "dependence": supplier_dependence(flows, a, b, year),
    }
    queries.update(pair_structure(flows, a, b, year))
    queries["specialisation"] = specialisation(flows, a, b, year)
    return queries


def workload(name: str, flows: ir.Table, a: str, b: str, year: int) -> dict[str, ir.Table]:
    """The named workload's queries."""
    if name == "profile":
        return profile(flows, a, b, year)
    if name == "partners":
        return {"rankings": all_partner_rankings(flows, year)}
    if name == "dependence":
        return {"dependence": supplier_dependence(flows, a, None, year)}
    if name == "rca":
        return {"rca": all_rca(flows, year)}
    raise ValueError(f"unknown workload {name!r}")
