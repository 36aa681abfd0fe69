"""The same workloads as ``workloads_ibis``, written the way an analyst would in pandas.

The baseline reads the store's Parquet files with ``pandas.read_parquet`` (PyArrow
engine), asking only for the columns it needs and pushing the year and country filters
down to PyArrow, then computes with pandas. That is the strong form of the baseline:
reading whole files and filtering afterwards would be slower still.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

COLUMNS = ["year", "exporter", "importer", "product", "value_usd"]


def read(files: list[Path], filters: list[tuple[str, str, object]] | None = None) -> pd.DataFrame:
    """The flow columns the workloads need, from every Parquet file, filtered in PyArrow."""
    frames = [pd.read_parquet(f, columns=COLUMNS, filters=filters) for f in files]
    return pd.concat([f for f in frames if len(f)] or frames[:1], ignore_index=True)


def pair_series(files: list[Path], a: str, b: str) -> pd.DataFrame:
    pair = read(files, [("exporter", "in", [a, b]), ("importer", "in", [a, b])])
    pair = pair[pair.exporter != pair.importer]
    series = (
        pair.assign(
            exports=np.where(pair.exporter == a, pair.value_usd, 0.0),
            imports=np.where(pair.exporter == b, pair.value_usd, 0.0),
        )
        .groupby("year", as_index=False)[["exports", "imports"]]
        .sum()
    )
    series["turnover"] = series.exports + series.imports
    series["balance"] = series.exports - series.imports
    return series.sort_values("year", ignore_index=True)


def _ranked(table: pd.DataFrame, group: str | None) -> pd.DataFrame:
    table = table.copy()
    table["turnover"] = table.exports + table.imports
    for measure in ("exports", "imports", "turnover"):
        total = table.groupby(group)[measure].transform("sum") if group else table[measure].sum()
        table[f"share_{measure}"] = 100.0 * table[measure] / total
        order = table.sort_values(
            ([group] if group else []) + [measure, "partner"],
            ascending=([True] if group else []) + [False, True],
        )
        if group:
            ranks = order.groupby(group).cumcount() + 1
        else:
            ranks = pd.Series(np.arange(1, len(order) + 1), index=order.index)
        table[f"rank_{measure}"] = ranks
    return table


def partners_of(year_flows: pd.DataFrame, a: str) -> pd.DataFrame:
    out = year_flows[year_flows.exporter == a]
    into = year_flows[year_flows.importer == a]
    exports = out.groupby("importer")["value_usd"].sum().rename("exports")
    imports = into.groupby("exporter")["value_usd"].sum().rename("imports")
    both = pd.concat([exports, imports], axis=1).fillna(0.0)
    both.index.name = "partner"
    return _ranked(both.reset_index(), None)


def all_partner_rankings(year_flows: pd.DataFrame) -> pd.DataFrame:
    pairs = year_flows.groupby(["exporter", "importer"], as_index=False)["value_usd"].sum()
    out = pairs.rename(
        columns={"exporter": "country", "importer": "partner", "value_usd": "exports"}
    )
    out["imports"] = 0.0
    into = pairs.rename(
        columns={"importer": "country", "exporter": "partner", "value_usd": "imports"}
    )
    into["exports"] = 0.0
    both = pd.concat([out, into], ignore_index=True)
    totals = both.groupby(["country", "partner"], as_index=False)[["exports", "imports"]].sum()
    return _ranked(totals, "country")


def pair_structure(year_flows: pd.DataFrame, a: str, b: str) -> dict[str, pd.DataFrame]:
    f = year_flows
    pair = f[f.exporter.isin([a, b]) & f.importer.isin([a, b]) & (f.exporter != f.importer)]
    pair = pair.assign(flow=np.where(pair.exporter == a, "exports", "imports"))
    by_product = pair.groupby(["flow", "product"], as_index=False)["value_usd"].sum()
    by_product = by_product.rename(columns={"value_usd": "value"})
    out: dict[str, pd.DataFrame] = {}
    for level, digits in (("chapter", 2), ("heading", 4)):
        grouped = (
            by_product.assign(**{level: by_product["product"].str[:digits]})
            .groupby(["flow", level], as_index=False)["value"]
            .sum()
        )
        grouped["share"] = 100.0 * grouped.value / grouped.groupby("flow")["value"].transform("sum")
        order = grouped.sort_values(["flow", "value", level], ascending=[True, False, True])
        grouped["rank"] = order.groupby("flow").cumcount() + 1
        out[f"structure_{level}"] = grouped
    food = by_product[by_product["product"].str[:2] <= "24"]
    out["food"] = food.groupby("flow", as_index=False)["value"].sum()
    return out


def supplier_dependence(year_flows: pd.DataFrame, a: str, b: str | None) -> pd.DataFrame:
    imports = year_flows[year_flows.importer == a]
    by_supplier = (
        imports.groupby(["product", "exporter"], as_index=False)["value_usd"]
        .sum()
        .rename(columns={"exporter": "supplier", "value_usd": "value"})
    )
    by_supplier["share"] = by_supplier.value / by_supplier.groupby("product")["value"].transform(
        "sum"
    )
    order = by_supplier.sort_values(["product", "value", "supplier"], ascending=[True, False, True])
    by_supplier["rank"] = order.groupby("product").cumcount() + 1
    by_supplier["share2"] = by_supplier.share**2
    grouped = by_supplier.groupby("product")
    summary = pd.DataFrame(
        {
            "total": grouped["value"].sum(),
            "suppliers": grouped["supplier"].count(),
            "hhi": grouped["share2"].sum() * 10000.0,
            "top_share": 100.0 * grouped["share"].max(),
            "top_supplier": by_supplier[by_supplier["rank"] == 1].set_index("product")["supplier"],
        }
    )
    if b is not None:
        mine = by_supplier[by_supplier.supplier == b].set_index("product")
        summary["partner_share"] = 100.0 * mine["share"]
        summary["partner_rank"] = mine["rank"]
    return summary.reset_index()


def specialisation(year_flows: pd.DataFrame, a: str, b: str) -> pd.DataFrame:
    f = year_flows
    v = f.value_usd
    columns = {
        "world": v,
        "a_exports": v.where(f.exporter == a, 0.0),
        "b_exports": v.where(f.exporter == b, 0.0),
        "b_imports": v.where(f.importer == b, 0.0),
    }
    totals = pd.DataFrame(columns).groupby(f["product"]).sum()
    world_share = totals.world / totals.world.sum()
    a_share = totals.a_exports / totals.a_exports.sum()
    gap = (totals.b_imports / totals.b_imports.sum() - a_share).abs().sum()
    out = pd.DataFrame(
        {
            "rca_a": a_share / world_share,
            "rca_b": (totals.b_exports / totals.b_exports.sum()) / world_share,
        }
    )
    out["complementarity"] = 100.0 * (1.0 - gap / 2.0)
    return out.reset_index()


def all_rca(year_flows: pd.DataFrame) -> pd.DataFrame:
    xk = year_flows.groupby(["exporter", "product"], as_index=False)["value_usd"].sum()
    xk = xk.rename(columns={"value_usd": "value"})
    country = xk.groupby("exporter")["value"].transform("sum")
    product = xk.groupby("product")["value"].transform("sum")
    xk["rca"] = (xk.value / country) / (product / xk.value.sum())
    return xk


def workload(name: str, files: list[Path], a: str, b: str, year: int) -> dict[str, pd.DataFrame]:
    """The named workload's frames, read from ``files`` and computed with pandas."""
    if name == "profile":
        year_flows = read(files, [("year", "==", year)])
        out = {
            "series": pair_series(files, a, b),
            "partners": partners_of(year_flows, a),
            "dependence": supplier_dependence(year_flows, a, b),
        }
        out.update(pair_structure(year_flows, a, b))
        out["specialisation"] = specialisation(year_flows, a, b)
        return out
    if name == "dependence":
        # Only the reporter's imports are needed: push that filter down too.
        imports = read(files, [("year", "==", year), ("importer", "==", a)])
        return {"dependence": supplier_dependence(imports, a, None)}
    year_flows = read(files, [("year", "==", year)])
    if name == "partners":
        return {"rankings": all_partner_rankings(year_flows)}
    if name == "rca":
        return {"rca": all_rca(year_flows)}
    raise ValueError(f"unknown workload {name!r}")
