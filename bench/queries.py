"""Query benchmarks over a store: the bilateral profile, every country's partner ranking,
one reporter's supplier dependence for every product, and RCA for everything.

Each workload runs with each runner (see ``measure.py``: bilateral's API on DuckDB, one
hand-written query on DuckDB, pandas over the same Parquet files), each in its own
process; the results are compared (the figures of ``summaries``) and the script prints
cold and warm times, pandas/runner ratios and peak RSS.

    python bench/queries.py --store bench/data/store1 --year 2022
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from measure import WORKLOADS, measure  # noqa: E402
from summaries import disagreements  # noqa: E402


def run(
    store: Path,
    workloads: list[str],
    runners: list[str],
    *,
    a: str,
    b: str,
    year: int,
    repeat: int,
    rounds: int = 1,
    env: dict[str, str] | None = None,
    memory_limit: str | None = None,
) -> list[dict[str, Any]]:
    """Measure every workload with every runner, ``rounds`` times in alternation (a fresh
    process each time), and check each runner's figures against the first runner's.

    On a shared machine one disturbed minute can double a time; alternating rounds and
    taking medians over all of them (and reporting the best run too) keeps that honest.
    """
    results = []
    for workload in workloads:
        runs: dict[str, list[dict[str, Any]]] = {runner: [] for runner in runners}
        for _ in range(rounds):
            for runner in runners:
                runs[runner].append(
                    measure(
                        runner,
                        workload,
                        store,
                        a=a,
                        b=b,
                        year=year,
                        repeat=repeat,
                        env=env,
                        memory_limit=memory_limit,
                    )
                )
        reference = runs[runners[0]][0]
        for runner in runners:
            timing = combine(runs[runner])
            problems = [
                p for r in runs[runner] for p in disagreements(reference["summary"], r["summary"])
            ]
            timing["agrees"] = not problems
            timing["disagreements"] = problems[:10]
            results.append(timing)
            print(summary_line(timing), file=sys.stderr, flush=True)
    return results


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """One runner's rounds as one record: medians over rounds and over all warm runs."""
    warm = [s for r in runs for s in r["warm_runs_s"]]
    cpu = [r["warm_cpu_s"] for r in runs if r.get("warm_cpu_s") is not None]
    first = runs[0]
    return {
        **{k: v for k, v in first.items() if k not in {"warm_runs_s"}},
        "rounds": len(runs),
        "cold_s": statistics.median(r["cold_s"] for r in runs),
        "cold_runs_s": [r["cold_s"] for r in runs],
        "warm_s": statistics.median(warm) if warm else None,
        "warm_min_s": min(warm) if warm else None,
        "warm_runs_s": warm,
        "warm_cpu_s": statistics.median(cpu) if cpu else None,
        "peak_rss_mb": max(r["peak_rss_mb"] for r in runs),
        "import_s": statistics.median(r["import_s"] for r in runs),
        "load_average": [r["load_average"] for r in runs],
    }


def summary_line(t: dict[str, Any]) -> str:
    warm = f"{t['warm_s']:.3f}" if t.get("warm_s") is not None else "-"
    return (
        f"{t['workload']:<11} {t['runner']:<12} cold {t['cold_s']:8.3f} s  warm {warm:>7} s  "
        f"peak RSS {t['peak_rss_mb']:7.0f} MB  agrees {t['agrees']}"
    )


def table(results: list[dict[str, Any]], baseline: str = "pandas") -> str:
    """A Markdown table: one row per workload and runner, ratios against ``baseline``
    (above 1: the runner is faster than the baseline)."""
    by = {(r["workload"], r["runner"]): r for r in results}
    lines = [
        "| workload | runner | cold s | warm s (median) | warm s (best) | warm CPU s | "
        f"peak RSS MB | {baseline}/runner cold | {baseline}/runner warm | same figures |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in results:
        base = by.get((r["workload"], baseline))
        cold = warm = "-"
        if base and r["runner"] != baseline:
            cold = f"{base['cold_s'] / r['cold_s']:.2g}x"
            if base.get("warm_s") and r.get("warm_s"):
                warm = f"{base['warm_s'] / r['warm_s']:.2g}x"
        warm_s = f"{r['warm_s']:.3f}" if r.get("warm_s") is not None else "-"
        best = f"{r['warm_min_s']:.3f}" if r.get("warm_min_s") is not None else "-"
        cpu_s = f"{r['warm_cpu_s']:.3f}" if r.get("warm_cpu_s") is not None else "-"
        lines.append(
            f"| {r['workload']} | {r['runner']} | {r['cold_s']:.3f} | {warm_s} | {best} | "
            f"{cpu_s} | {r['peak_rss_mb']:.0f} | {cold} | {warm} | "
            f"{'yes' if r['agrees'] else 'NO'} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument(
        "--runners",
        default="bilateral,direct,pandas",
        help="see measure.py; first is the reference",
    )
    parser.add_argument("--a", default="KAZ", help="reporter (ISO3)")
    parser.add_argument("--b", default="RUS", help="partner (ISO3)")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=5, help="warm runs after the cold one")
    parser.add_argument("--rounds", type=int, default=1, help="fresh processes per engine")
    parser.add_argument("--json", type=Path, help="append the results here")
    parser.add_argument("--memory-limit", help="DuckDB's memory_limit for the DuckDB runners")
    args = parser.parse_args()
    results = run(
        args.store,
        args.workloads.split(","),
        args.runners.split(","),
        a=args.a,
        b=args.b,
        year=args.year,
        repeat=args.repeat,
        rounds=args.rounds,
        memory_limit=args.memory_limit,
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
        sys.exit("runners disagree: see the 'same figures' column")


if __name__ == "__main__":
    main()
