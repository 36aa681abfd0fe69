"""Whole commands from a cold process, beside a pandas script run in the same benchmark.

Every CLI call is a new process: it pays for Python's start, its imports and the first
compilation of its queries, which the warm benchmarks (``queries.py``) leave out. This
script runs each command as a fresh ``bilateral`` process (the installed entry point next
to this Python), ``--runs`` times, interleaved so that a neighbour's load spreads over all
of them, and prints the median wall-clock seconds, the child's CPU seconds and the ratio to
the baseline.

The baseline is a pandas script, also a fresh process with its imports: it reads the
store's Parquet files of the year and the year before (PyArrow, only the columns it needs),
and computes for each source (its totals, else the sum of its products) and reporting side
the pair's exports, imports, turnover and growth, and the partner's rank by exports,
imports and turnover among the reporter's partners (aggregates such as WLD left out).

    python bench/cold_start.py --store /path/to/store
    python bench/cold_start.py --store /path/to/store --runs 5 --only help,profile

Compiled SQL is kept across processes (``BILATERAL_SQL_CACHE``): the benchmark starts
with an empty cache of its own, so each command's first run compiles and the next ones
read; the table shows the first run beside the median.

Python's compiled bytecode is kept too, as on a user's machine (``pip install`` compiles
a package's modules, and Python writes the bytecode of an editable checkout on first
import): the commands run without ``PYTHONDONTWRITEBYTECODE`` even where the shell sets
it, so bilateral's modules are compiled once, not in every process. ``--no-bytecode``
runs them with the environment as it is.

It imports only the standard library, so that its own start costs the baseline nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ROOT.parent / "shared" / "articles" / "kz-ru-2023-11-visit.txt"
AGGREGATES_TSV = ROOT / "src" / "bilateral" / "reference" / "data" / "aggregates.tsv"


def baseline(store: str, a: str, b: str, year: int) -> None:
    """The pandas script: the pair's turnover, growth and ranks from the store's Parquet,
    per source and reporting side."""
    import pandas as pd

    aggregates = set(pd.read_csv(AGGREGATES_TSV, sep="\t", usecols=["code"]).code) | {"S19"}
    files = [
        f
        for y in (year - 1, year)
        for f in sorted(Path(store, "flows").glob(f"*/year={y}/*.parquet"))
    ]
    columns = [
        "source",
        "year",
        "exporter",
        "importer",
        "reported_by",
        "classification",
        "value_usd",
    ]
    rows = pd.concat([pd.read_parquet(f, columns=columns) for f in files], ignore_index=True)
    rows = rows[~rows.exporter.isin(aggregates) & ~rows.importer.isin(aggregates)]
    # a source's totals where it ships them, else the sum of its products (one
    # classification: FAOSTAT's items, say)
    chosen = rows.groupby("source").classification.agg(
        lambda c: "TOTAL" if (c == "TOTAL").any() else c.iloc[0]
    )
    rows = rows[rows.classification == rows.source.map(chosen)]
    mine = rows[(rows.exporter == a) | (rows.importer == a)]
    mine = mine.assign(
        partner=mine.importer.where(mine.exporter == a, mine.exporter),
        exports=mine.value_usd.where(mine.exporter == a, 0.0),
        imports=mine.value_usd.where(mine.importer == a, 0.0),
    )
    by_partner = mine.groupby(["source", "reported_by", "year", "partner"], as_index=False)[
        ["exports", "imports"]
    ].sum()
    by_partner["turnover"] = by_partner.exports + by_partner.imports
    keys = ["source", "reported_by", "year"]
    for measure in ("exports", "imports", "turnover"):
        by_partner[f"rank_{measure}"] = by_partner.groupby(keys)[measure].rank(
            method="min", ascending=False
        )
    pair = by_partner[by_partner.partner == b].set_index(keys)
    this = pair.xs(year, level="year")
    before = (
        pair.xs(year - 1, level="year") if (year - 1) in pair.index.get_level_values(2) else None
    )
    out = this[["exports", "imports", "turnover", "rank_exports", "rank_imports", "rank_turnover"]]
    if before is not None:
        out = out.assign(growth=100.0 * (this.turnover / before.turnover.reindex(this.index) - 1))
    print(out.to_string())


def commands(a: str, b: str, year: int, article: Path, work: Path) -> dict[str, list[str]]:
    """Each benchmarked command, as the argument list of a new process."""
    entry = str(Path(sys.executable).with_name("bilateral"))
    return {
        "pandas script": [sys.executable, __file__, "--baseline", a, b, str(year)],
        "--help": [entry, "--help"],
        "sources": [entry, "sources"],
        f"profile {a} {b} --year {year}": [entry, "profile", a, b, "--year", str(year)],
        "check (seed article)": [entry, "check", str(article)],
        f"report {a} {b} --year {year}": [
            entry,
            "report",
            a,
            b,
            "--year",
            str(year),
            "-o",
            str(work / "report.html"),
        ],
    }


def run_once(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system) of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr.decode(errors='replace')}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", default=os.environ.get("BILATERAL_STORE"))
    parser.add_argument("--pair", default="KAZ RUS", help="Reporter and partner (default KAZ RUS).")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--article", type=Path, default=ARTICLE)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", help="Comma-separated labels' first words (help,profile...).")
    parser.add_argument("--json", type=Path, help="Also write the figures here.")
    parser.add_argument(
        "--also",
        type=Path,
        metavar="SRC",
        help="Also run each command with another checkout's src/ first on PYTHONPATH "
        "(an earlier commit, say), interleaved with this one's runs.",
    )
    parser.add_argument(
        "--sql-cache", type=Path, help="Compiled SQL cache to use (default: a new, empty one)."
    )
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="Keep PYTHONDONTWRITEBYTECODE as the environment sets it (bilateral's modules "
        "then compiled in every process when it is set).",
    )
    parser.add_argument("--baseline", nargs=3, metavar=("A", "B", "YEAR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if not args.store:
        parser.error("give --store or set BILATERAL_STORE")
    if args.baseline:
        a, b, year = args.baseline
        baseline(args.store, a, b, int(year))
        return
    a, b = args.pair.split()
    env = {**os.environ, "BILATERAL_STORE": str(Path(args.store).resolve())}
    bytecode = "as the environment sets it" if args.no_bytecode else "kept"
    if not args.no_bytecode:
        env.pop("PYTHONDONTWRITEBYTECODE", None)
    with tempfile.TemporaryDirectory() as work:
        env["BILATERAL_SQL_CACHE"] = str(args.sql_cache or Path(work) / "sql")
        todo = commands(a, b, args.year, args.article, Path(work))
        if args.only:
            wanted = [w.strip().lstrip("-") for w in args.only.split(",")]
            todo = {
                k: v
                for k, v in todo.items()
                if k == "pandas script" or k.lstrip("-").split()[0] in wanted
            }
        envs = {label: env for label in todo}
        if args.also:
            other = {**env, "PYTHONPATH": str(args.also.resolve())}
            for label, argv in list(todo.items()):
                if label != "pandas script":
                    todo[f"{label} @{args.also.resolve().parent.name}"] = argv
                    envs[f"{label} @{args.also.resolve().parent.name}"] = other
        load_before = os.getloadavg()[0]
        times: dict[str, list[tuple[float, float]]] = {k: [] for k in todo}
        for _ in range(args.runs):
            for label, argv in todo.items():
                times[label].append(run_once(argv, envs[label]))
        load_after = os.getloadavg()[0]
    base = statistics.median(w for w, _ in times["pandas script"])
    print(
        f"store {args.store}; {args.runs} runs each; bytecode {bytecode}; "
        f"load {load_before:.1f} -> {load_after:.1f}"
    )
    print(
        f"{'command':<40} {'first s':>8} {'median s':>9} {'best s':>7} {'cpu s':>6} {'x pandas':>9}"
    )
    figures = []
    for label, runs in times.items():
        walls = [w for w, _ in runs]
        median, cpu = statistics.median(walls), statistics.median(c for _, c in runs)
        figures.append(
            {
                "command": label,
                "median_s": median,
                "best_s": min(walls),
                "cpu_s": cpu,
                "ratio_to_pandas": median / base,
                "runs_s": walls,
            }
        )
        print(
            f"{label:<40} {walls[0]:8.2f} {median:9.2f} {min(walls):7.2f} {cpu:6.2f}"
            f" {median / base:8.2f}x"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "store": args.store,
                    "runs": args.runs,
                    "bytecode": bytecode,
                    "load": [load_before, load_after],
                    "figures": figures,
                },
                indent=1,
            )
            + "\n"
        )


if __name__ == "__main__":
    main()
