"""Run the benchmarks end to end: synthesise a BACI release, ingest it, time the queries.

    python bench/run.py --quick                      # ~2 M rows, the profile only, < 1 minute
    python bench/run.py --rows 11000000 --years 2022  # one full-size year, every benchmark
    python bench/run.py --rows 11000000 --years 1995-2024 --skip-pandas-ingest

The last line is ``speedup_vs_pandas=<x>``: pandas' warm profile time over that of
``bilateral.profile`` (bilateral's API); the line before, ``speedup_vs_pandas_direct``, is the
same for the profile's queries written by hand (see ``workloads_direct``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
import time
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import ingest  # noqa: E402
import queries  # noqa: E402
import synth  # noqa: E402


def machine() -> dict[str, Any]:
    """CPU model, cores and memory: what the figures were measured on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        memory = next(
            int(line.split()[1]) / 1024 / 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
    except OSError:
        memory = 0.0
    return {
        "cpu": model or platform.processor(),
        "cores": os.cpu_count(),
        "memory_gb": round(memory, 1),
        "python": platform.python_version(),
        "load_average": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="about 2 M rows, the profile once per runner (cold)"
    )
    parser.add_argument("--rows", type=int, default=synth.FULL_YEAR_ROWS, help="rows per year")
    parser.add_argument("--years", default="2022", help="2022, 1995-2024, ...")
    parser.add_argument("--workloads", default=",".join(queries.WORKLOADS))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=1, help="fresh processes per runner")
    parser.add_argument("--runners", default="bilateral,direct,pandas", help="see measure.py")
    parser.add_argument("--a", default="KAZ")
    parser.add_argument("--b", default="RUS")
    parser.add_argument("--data", type=Path, default=BENCH / "data", help="work folder")
    parser.add_argument("--skip-pandas-ingest", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the zip and the store")
    parser.add_argument("--json", type=Path, help="append every result here")
    args = parser.parse_args()
    if args.quick:
        # the profile cold, then three times warm: the last line compares warm times
        args.rows, args.years, args.workloads, args.repeat = 2_000_000, "2022", "profile", 3
        args.skip_pandas_ingest = True

    years = synth.parse_years(args.years)
    work = args.data / f"run-{args.rows}-{years[0]}-{years[-1]}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    started = time.perf_counter()
    results: dict[str, Any] = {"machine": machine(), "rows_per_year": args.rows, "years": years}
    try:
        zip_path, rows = synth.synthesise(work, args.rows, years, log=not args.quick)
        results["synth_s"] = time.perf_counter() - started
        print(f"synthesised {rows:,} rows in {results['synth_s']:.1f} s: {zip_path}")

        engines = ["bilateral"] if args.skip_pandas_ingest else ["bilateral", "pandas"]
        loaded = [ingest.run(engine, zip_path, work / "stores") for engine in engines]
        results["ingest"] = loaded
        print(ingest.report(loaded))
        store = work / "stores" / "bilateral"
        if not args.keep:
            zip_path.unlink()
            shutil.rmtree(work / "stores" / "pandas", ignore_errors=True)

        timed = queries.run(
            store,
            args.workloads.split(","),
            args.runners.split(","),
            a=args.a,
            b=args.b,
            year=years[-1],
            repeat=args.repeat,
            rounds=args.rounds,
        )
        results["queries"] = timed
        print(queries.table(timed))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    results["total_s"] = time.perf_counter() - started
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        with args.json.open("a") as f:
            f.write(json.dumps(results) + "\n")
    bilateral = loaded[0]
    print(f"ingest_rows_per_s={bilateral['rows'] / bilateral['seconds']:.0f}")
    print(
        f"machine: {results['machine']['cpu']}, {results['machine']['cores']} cores, "
        f"{results['machine']['memory_gb']} GB; load average at start "
        f"{results['machine']['load_average']:.1f}; total {results['total_s']:.0f} s"
    )
    if any(not t["agrees"] for t in timed):
        sys.exit("runners disagree on the results: see the 'same figures' column")
    profile = {t["runner"]: t for t in timed if t["workload"] == "profile"}
    if "pandas" in profile:
        pandas_s = profile["pandas"]["warm_s"] or profile["pandas"]["cold_s"]
        for runner in ("direct", "bilateral"):  # bilateral last: its figure ends the output
            if runner in profile:
                seconds = profile[runner]["warm_s"] or profile[runner]["cold_s"]
                name = "speedup_vs_pandas" + ("" if runner == "bilateral" else "_" + runner)
                print(f"{name}={pandas_s / seconds:.2f}")


if __name__ == "__main__":
    main()
