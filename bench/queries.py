"""Query benchmarks over a store: the bilateral profile, every country's partner ranking,
one reporter's supplier dependence for every product, and RCA for everything.

Every workload runs on DuckDB (bilateral's default engine, through ``Store.flows()``) and
on pandas over the same Parquet files, each in its own process; the results are
compared (row counts and column sums) and the script prints cold and warm times, the
pandas/bilateral ratios and peak RSS.

    python bench/queries.py --store bench/data/store1 --year 2022
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from measure import measure, same  # noqa: E402

WORKLOADS = ("profile", "partners", "dependence", "rca")


def run(
    store: Path,
    workloads: list[str],
    engines: list[str],
    *,
    a: str,
    b: str,
    year: int,
    repeat: int,
    env: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Measure every workload on every engine; check each engine against the first."""
    results = []
    for workload in workloads:
        reference: dict[str, Any] | None = None
        for engine in engines:
            timing = measure(engine, workload, store, a=a, b=b, year=year, repeat=repeat, env=env)
            if reference is None:
                reference = timing
                timing["agrees"] = True
            else:
                problems = same(reference["checksum"], timing["checksum"])
                timing["agrees"] = not problems
                timing["disagreements"] = problems[:10]
            results.append(timing)
            print(summary_line(timing), file=sys.stderr, flush=True)
    return results


def summary_line(t: dict[str, Any]) -> str:
    warm = f"{t['warm_s']:.3f}" if t.get("warm_s") is not None else "-"
    return (
        f"{t['workload']:<11} {t['engine']:<7} cold {t['cold_s']:7.3f} s  warm {warm:>7} s  "
        f"peak RSS {t['peak_rss_mb']:7.0f} MB  agrees {t['agrees']}"
    )


def table(results: list[dict[str, Any]], baseline: str = "pandas") -> str:
    """A Markdown table: one row per workload and engine, ratios against ``baseline``."""
    by = {(r["workload"], r["engine"]): r for r in results}
    lines = [
        "| workload | engine | cold s | warm s | warm CPU s | peak RSS MB | "
        f"{baseline}/engine cold | {baseline}/engine warm | same result |",
        "|---|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        base = by.get((r["workload"], baseline))
        cold = warm = "-"
        if base and r["engine"] != baseline:
            cold = f"{base['cold_s'] / r['cold_s']:.1f}x"
            if base.get("warm_s") and r.get("warm_s"):
                warm = f"{base['warm_s'] / r['warm_s']:.1f}x"
        warm_s = f"{r['warm_s']:.3f}" if r.get("warm_s") is not None else "-"
        cpu_s = f"{r['warm_cpu_s']:.3f}" if r.get("warm_cpu_s") is not None else "-"
        lines.append(
            f"| {r['workload']} | {r['engine']} | {r['cold_s']:.3f} | {warm_s} | {cpu_s} | "
            f"{r['peak_rss_mb']:.0f} | {cold} | {warm} | {'yes' if r['agrees'] else 'NO'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--engines", default="duckdb,pandas")
    parser.add_argument("--a", default="KAZ", help="reporter (ISO3)")
    parser.add_argument("--b", default="RUS", help="partner (ISO3)")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=5, help="warm runs after the cold one")
    parser.add_argument("--json", type=Path, help="append the results here")
    args = parser.parse_args()
    results = run(
        args.store,
        args.workloads.split(","),
        args.engines.split(","),
        a=args.a,
        b=args.b,
        year=args.year,
        repeat=args.repeat,
    )
    print(table(results))
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        with args.json.open("a") as f:
            for r in results:
                f.write(json.dumps({"benchmark": "queries", "store": str(args.store), **r}))
                f.write("\n")
    if any(not r["agrees"] for r in results):
        sys.exit("engines disagree: see the 'same result' column")


if __name__ == "__main__":
    main()
