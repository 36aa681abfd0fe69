"""A few numbers per workload result, comparable across implementations and engines.

The implementations return different shapes (a Profile's records, an indicator's long
table, a hand-written query's frame, pandas frames), so each is reduced to the same
named figures: the headline numbers of the profile, and counts and sums of the other
results. Two runs agree when every figure both have is equal to 1e-6 (relative).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

RANKED = ("exports", "imports", "turnover")


def _float(value: Any) -> float:
    return float("nan") if value is None or pd.isna(value) else float(value)


def of_frames(
    name: str, frames: dict[str, pd.DataFrame], a: str, b: str, year: int
) -> dict[str, float]:
    """Figures from the frames of ``workloads_direct`` and ``workloads_pandas`` (one shape)."""
    if name == "profile":
        series = frames["series"].set_index("year")
        row = series.loc[year] if year in series.index else None
        out = {k: _float(row[k]) if row is not None else 0.0 for k in ("exports", "imports")}
        out["turnover"] = out["exports"] + out["imports"]
        out["balance"] = out["exports"] - out["imports"]
        partners = frames["partners"].set_index("partner")
        for flow in RANKED:
            out[f"partner_share_{flow}"] = _float(partners.loc[b, f"share_{flow}"])
            out[f"partner_rank_{flow}"] = _float(partners.loc[b, f"rank_{flow}"])
        out["complementarity"] = _float(frames["specialisation"]["complementarity"].iloc[0])
        out["rca_a_sum"] = _float(frames["specialisation"]["rca_a"].sum())
        out["dependence_hhi_sum"] = _float(frames["dependence"]["hhi"].sum())
        out["heading_value_sum"] = _float(frames["structure_heading"]["value"].sum())
        return out
    if name == "partners":
        r = frames["rankings"]
        return {
            "pairs": float(len(r)),
            **{f"{flow}_sum": _float(r[flow].sum()) for flow in RANKED},
            "share_turnover_sum": _float(r["share_turnover"].sum()),
        }
    if name == "dependence":
        d = frames["dependence"]
        return {
            "products": float(len(d)),
            "value_sum": _float(d["total"].sum()),
            "hhi_sum": _float(d["hhi"].sum()),
            "top_share_sum": _float(d["top_share"].sum()),
        }
    if name == "rca":
        return of_rca(frames["rca"])
    raise ValueError(f"unknown workload {name!r}")


def of_rca(frame: pd.DataFrame) -> dict[str, float]:
    return {
        "rows": float(len(frame)),
        "value_sum": _float(frame["value_usd"].sum()),
        "rca_sum": _float(frame["rca"].sum()),
    }


def of_profile(profile: Any, a: str, b: str) -> dict[str, float]:
    """The headline figures of a :class:`bilateral.engine.Profile` (BACI records)."""
    out: dict[str, float] = {}
    for record in profile.records:
        if record.product is not None or record.group is not None:
            continue
        if record.name in {"exports", "imports", "turnover", "balance"} or (
            record.name.startswith("partner_") and record.name[8:12] in {"shar", "rank"}
        ):
            out[record.name] = _float(record.value)
        elif record.name == "trade_complementarity" and record.detail == {
            "exporter": a,
            "importer": b,
        }:
            out["complementarity"] = _float(record.value)
    return out


def of_supplier_shares(shares: pd.DataFrame) -> dict[str, float]:
    """Figures of ``supplier_shares`` over many products (one row per product and partner)."""
    per_product = shares.groupby("product")
    return {
        "products": float(per_product.ngroups),
        "value_sum": _float(shares["value_usd"].sum()),
        "hhi_sum": _float(per_product["hhi"].first().sum()),
        "top_share_sum": _float(per_product["share"].max().sum()),
    }


def of_partner_rankings(rankings: pd.DataFrame) -> dict[str, float]:
    """Figures of ``partner_ranking`` for many reporters (rows per flow and partner)."""
    out = {"pairs": float((rankings["flow"] == "turnover").sum())}
    for flow in RANKED:
        out[f"{flow}_sum"] = _float(rankings.loc[rankings["flow"] == flow, "value_usd"].sum())
    out["share_turnover_sum"] = _float(rankings.loc[rankings["flow"] == "turnover", "share"].sum())
    return out


def disagreements(left: dict[str, float], right: dict[str, float]) -> list[str]:
    """Figures both summaries have that differ (relative tolerance 1e-6)."""
    problems = []
    for key in sorted(set(left) & set(right)):
        x, y = left[key], right[key]
        if math.isnan(x) and math.isnan(y):
            continue
        if not math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-6):
            problems.append(f"{key}: {x!r} != {y!r}")
    if not set(left) & set(right):
        problems.append("no figure in common")
    return problems
