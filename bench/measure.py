"""Run one workload with one runner in a fresh process; report times, memory and results.

Runners:

- ``bilateral``: bilateral's own API on DuckDB (``bilateral.profile`` and the indicator
  functions, ``workloads_indicators``);
- ``direct``: one hand-written Ibis query per workload on DuckDB (``workloads_direct``);
- ``pandas``: the pandas baseline over the same Parquet files (``workloads_pandas``);
- ``spark`` and ``spark-direct``: the first two on Spark (``BILATERAL_SPARK_MASTER``).

Each runner runs in its own subprocess so that peak resident memory is its alone. The
child prints one JSON line: seconds to import, the first (cold) run in the new process,
the following (warm) runs (wall clock, and CPU seconds of the process, which other work
on a shared machine disturbs less), peak RSS, and a summary of the result (see
``summaries``) so the parent can check that every runner computed the same figures.

    python bench/measure.py --runner bilateral --workload profile --store bench/data/store1
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

BENCH = Path(__file__).resolve().parent
sys.path.append(str(BENCH.parent / "src"))  # after PYTHONPATH: a checkout's src/ otherwise
RUNNERS = ("bilateral", "direct", "pandas", "spark", "spark-direct")
WORKLOADS = ("profile", "partners", "dependence", "rca")


def peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident memory (VmHWM) of a process and all its descendants, in MB.

    Descendants matter for Spark, whose JVM is a child of the Python driver; the sum of
    each process's own peak is an upper bound of the tree's joint peak.
    """
    pid = pid or os.getpid()
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    total += int(line.split()[1]) / 1024.0
        except OSError:
            pass
        todo.extend(children.get(current, []))
    return total


def parquet_files(store: Path) -> list[Path]:
    return sorted((store / "flows").rglob("*.parquet"))


def workload_function(args: argparse.Namespace, timings: dict[str, Any]) -> Callable[[], Any]:
    """The call to time, once its runner's imports and connection are done."""
    if args.runner == "pandas":
        import workloads_pandas

        timings["import_s"] = time.perf_counter() - STARTED
        files = parquet_files(args.store)
        return lambda: workloads_pandas.run(args.workload, files, args.a, args.b, args.year)

    import workloads_direct
    import workloads_indicators

    from bilateral.store import Store

    module = workloads_direct if args.runner.endswith("direct") else workloads_indicators
    timings["import_s"] = time.perf_counter() - STARTED
    started = time.perf_counter()
    engine = "spark" if args.runner.startswith("spark") else "duckdb"
    store = Store.open(args.store, engine=engine, read_only=True)
    _ = store.backend  # Spark starts its session here; DuckDB opens in memory
    if args.memory_limit and engine == "duckdb":
        # A guard for shared machines: past the limit DuckDB spills to disk (or fails).
        spill = BENCH / "data" / "duckdb-spill"
        store.backend.raw_sql(f"SET memory_limit = '{args.memory_limit}'")
        store.backend.raw_sql(f"SET temp_directory = '{spill}'")
        timings["memory_limit"] = args.memory_limit
    timings["connect_s"] = time.perf_counter() - started
    return lambda: module.run(args.workload, store, args.source, args.a, args.b, args.year)


def run_runner(args: argparse.Namespace) -> dict[str, Any]:
    """In the child: run the workload ``1 + repeat`` times and measure."""
    if not parquet_files(args.store):
        raise SystemExit(f"{args.store}: no Parquet files under flows/; ingest data first")
    timings: dict[str, Any] = {"runner": args.runner, "workload": args.workload}
    once = workload_function(args, timings)
    started, started_cpu = time.perf_counter(), time.process_time()
    summary = once()
    timings["cold_s"] = time.perf_counter() - started
    timings["cold_cpu_s"] = time.process_time() - started_cpu
    warm, warm_cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        summary = once()
        warm.append(time.perf_counter() - started)
        warm_cpu.append(time.process_time() - started_cpu)
    timings["warm_runs_s"] = warm
    timings["warm_s"] = statistics.median(warm) if warm else None
    timings["warm_cpu_s"] = statistics.median(warm_cpu) if warm_cpu else None
    timings["load_average"] = os.getloadavg()[0]
    timings["peak_rss_mb"] = peak_rss_mb()
    timings["summary"] = summary
    return timings


def measure(
    runner: str,
    workload: str,
    store: Path,
    *,
    a: str,
    b: str,
    year: int,
    repeat: int,
    source: str = "baci",
    env: dict[str, str] | None = None,
    memory_limit: str | None = None,
) -> dict[str, Any]:
    """In the parent: run the child for one runner and workload, return its JSON report."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--runner", runner, "--workload", workload, "--store", str(store),
        "--a", a, "--b", b, "--year", str(year), "--repeat", str(repeat), "--source", source,
    ]  # fmt: skip
    if memory_limit:
        command += ["--memory-limit", memory_limit]
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{runner} {workload} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="Time one workload with one runner.")
    parser.add_argument("--runner", choices=RUNNERS, required=True)
    parser.add_argument("--workload", choices=WORKLOADS, required=True)
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--a", default="KAZ", help="reporter (ISO3)")
    parser.add_argument("--b", default="RUS", help="partner (ISO3)")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=5, help="warm runs after the cold one")
    parser.add_argument("--source", default="baci")
    parser.add_argument(
        "--memory-limit", help="DuckDB's memory_limit, e.g. 6GB (default: DuckDB's)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    print(json.dumps(run_runner(args)))


if __name__ == "__main__":
    main()
