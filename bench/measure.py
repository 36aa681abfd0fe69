"""Run one workload on one engine in a fresh process, and report times and peak memory.

Each engine runs in its own subprocess so that peak resident memory is that engine's
alone. The child prints one JSON line: seconds to import, the first (cold) run in the
new process, the median of the following (warm) runs (wall clock, and CPU seconds of
the process, which other work on a shared machine disturbs less), peak RSS, and a checksum of every
result frame (row counts and column sums) so the parent can check that the engines
computed the same thing.

    python bench/measure.py --engine duckdb --workload profile --store bench/data/store1
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import os  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

BENCH = Path(__file__).resolve().parent
sys.path.append(str(BENCH.parent / "src"))  # after PYTHONPATH: a checkout's src/ otherwise
ENGINES = ("duckdb", "spark", "pandas")


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


def checksum(frames: dict[str, Any]) -> dict[str, dict[str, float]]:
    """Rows and the sum of every numeric column of each frame, for comparing engines."""
    out: dict[str, dict[str, float]] = {}
    for name, frame in frames.items():
        sums: dict[str, float] = {"rows": float(len(frame))}
        for column in frame.columns:
            series = frame[column]
            if series.dtype.kind in "iuf":
                values = series.astype("float64")
                values = values[values.abs() != math.inf]
                sums[column] = float(values.sum())
            else:
                sums[column] = float(series.notna().sum())
        out[name] = sums
    return out


def same(left: dict[str, dict[str, float]], right: dict[str, dict[str, float]]) -> list[str]:
    """Where two checksums differ (relative tolerance 1e-6); empty when they agree."""
    problems = []
    for name in sorted(set(left) | set(right)):
        a, b = left.get(name), right.get(name)
        if a is None or b is None:
            problems.append(f"{name}: only one engine returned it")
            continue
        for column in sorted(set(a) | set(b)):
            x, y = a.get(column), b.get(column)
            if x is None or y is None:
                problems.append(f"{name}.{column}: only one engine has it")
            elif not math.isclose(x, y, rel_tol=1e-6, abs_tol=1e-6):
                problems.append(f"{name}.{column}: {x!r} != {y!r}")
    return problems


def parquet_files(store: Path) -> list[Path]:
    return sorted((store / "flows").rglob("*.parquet"))


def run_engine(args: argparse.Namespace) -> dict[str, Any]:
    """In the child: run the workload ``1 + repeat`` times and measure."""
    if not parquet_files(args.store):
        raise SystemExit(f"{args.store}: no Parquet files under flows/; ingest data first")
    timings: dict[str, Any] = {"engine": args.engine, "workload": args.workload}
    if args.engine == "pandas":
        import workloads_pandas

        timings["import_s"] = time.perf_counter() - STARTED
        files = parquet_files(args.store)

        def once() -> dict[str, Any]:
            return workloads_pandas.workload(args.workload, files, args.a, args.b, args.year)

    else:
        import workloads_ibis

        from bilateral.store import Store

        timings["import_s"] = time.perf_counter() - STARTED
        started = time.perf_counter()
        store = Store.open(args.store, engine=args.engine, read_only=True)
        _ = store.backend  # Spark starts its session here; DuckDB opens in memory
        timings["connect_s"] = time.perf_counter() - started

        def once() -> dict[str, Any]:
            flows = store.flows(args.source)
            queries = workloads_ibis.workload(args.workload, flows, args.a, args.b, args.year)
            return {name: store.execute(expr) for name, expr in queries.items()}

    started, started_cpu = time.perf_counter(), time.process_time()
    result = once()
    timings["cold_s"] = time.perf_counter() - started
    timings["cold_cpu_s"] = time.process_time() - started_cpu
    warm, warm_cpu = [], []
    for _ in range(args.repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = once()
        warm.append(time.perf_counter() - started)
        warm_cpu.append(time.process_time() - started_cpu)
    timings["warm_runs_s"] = warm
    timings["warm_s"] = statistics.median(warm) if warm else None
    timings["warm_cpu_s"] = statistics.median(warm_cpu) if warm_cpu else None
    timings["load_average"] = os.getloadavg()[0]
    timings["peak_rss_mb"] = peak_rss_mb()
    timings["checksum"] = checksum(result)
    return timings


def measure(
    engine: str,
    workload: str,
    store: Path,
    *,
    a: str,
    b: str,
    year: int,
    repeat: int,
    source: str = "baci",
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """In the parent: run the child for one engine and workload, return its JSON report."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--engine", engine, "--workload", workload, "--store", str(store),
        "--a", a, "--b", b, "--year", str(year), "--repeat", str(repeat), "--source", source,
    ]  # fmt: skip
    done = subprocess.run(
        command, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"{engine} {workload} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description="Time one workload on one engine.")
    parser.add_argument("--engine", choices=ENGINES, required=True)
    parser.add_argument(
        "--workload", choices=("profile", "partners", "dependence", "rca"), required=True
    )
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--a", default="KAZ", help="reporter (ISO3)")
    parser.add_argument("--b", default="RUS", help="partner (ISO3)")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=5, help="warm runs after the cold one")
    parser.add_argument("--source", default="baci")
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    print(json.dumps(run_engine(args)))


if __name__ == "__main__":
    main()
