"""Ingest benchmark: a BACI release zip into a store, against a pandas conversion.

bilateral: ``Store.ingest`` with the real BACI reader (validation, country codes, the
canonical table, Parquet files and the catalogue). pandas baseline, the usual script:
``read_csv`` of each year member from the zip, BACI codes mapped to ISO3, values times
1000, sorted by exporter, importer and product, ``to_parquet`` with zstd. Each runs in
its own process; the parent prints rows per second, the ratio and peak RSS.

    python bench/ingest.py --zip bench/data/y1/BACI_HS22_V202501.zip
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

BENCH = Path(__file__).resolve().parent
sys.path.append(str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from measure import peak_rss_mb  # noqa: E402


def bilateral_ingest(zip_path: Path, store: Path) -> dict[str, Any]:
    from bilateral.store import Store

    imported = time.perf_counter() - STARTED
    summarising = [0.0]
    stage_summaries = Store._stage_summaries

    def timed_summaries(self: Store, *args: Any) -> Any:
        began = time.perf_counter()
        try:
            return stage_summaries(self, *args)
        finally:
            summarising[0] += time.perf_counter() - began

    Store._stage_summaries = timed_summaries  # type: ignore[method-assign]
    started, cpu = time.perf_counter(), time.process_time()
    reports = Store.open(store).ingest([zip_path])
    seconds = time.perf_counter() - started
    rows = sum(r.rows for r in reports)
    return {
        "engine": "bilateral",
        "import_s": imported,
        "seconds": seconds,
        "summaries_s": summarising[0],
        "cpu_s": time.process_time() - cpu,
        "rows": rows,
        "files": len(list((store / "flows").rglob("*.parquet"))),
        "mb_on_disk": sum(p.stat().st_size for p in (store / "flows").rglob("*")) / 1e6,
        "summaries_mb_on_disk": sum(p.stat().st_size for p in (store / "summaries").rglob("*"))
        / 1e6,
    }


def pandas_ingest(zip_path: Path, out: Path) -> dict[str, Any]:
    import csv
    import io
    import re
    import zipfile

    import pandas as pd

    imported = time.perf_counter() - STARTED
    started, cpu = time.perf_counter(), time.process_time()
    rows = 0
    with zipfile.ZipFile(zip_path) as archive:
        names = archive.namelist()
        country_file = next(n for n in names if n.startswith("country_codes_"))
        with archive.open(country_file) as f:
            codes = {
                int(r["country_code"]): r["country_iso3"]
                for r in csv.DictReader(io.TextIOWrapper(f, "utf-8"))
            }
        for name in sorted(n for n in names if re.match(r"BACI_HS\d\d_Y\d{4}_", n)):
            with archive.open(name) as f:
                frame = pd.read_csv(f, dtype={"t": "int16", "i": "int32", "j": "int32", "k": "str"})
            year = int(frame.t.iloc[0])
            flows = pd.DataFrame(
                {
                    "year": frame.t,
                    "exporter": frame.i.map(codes),
                    "importer": frame.j.map(codes),
                    "product": frame.k.str.zfill(6),
                    "value_usd": frame.v * 1000.0,
                    "quantity": frame.q,
                }
            ).sort_values(["exporter", "importer", "product"])
            target = out / f"year={year}" / "part.parquet"
            target.parent.mkdir(parents=True, exist_ok=True)
            flows.to_parquet(target, compression="zstd", index=False)
            rows += len(flows)
    return {
        "engine": "pandas",
        "import_s": imported,
        "seconds": time.perf_counter() - started,
        "cpu_s": time.process_time() - cpu,
        "rows": rows,
        "files": len(list(out.rglob("*.parquet"))),
        "mb_on_disk": sum(p.stat().st_size for p in out.rglob("*.parquet")) / 1e6,
    }


def run(engine: str, zip_path: Path, work: Path) -> dict[str, Any]:
    """Run one engine's ingest in a fresh process; returns its report with peak RSS."""
    target = work / engine
    shutil.rmtree(target, ignore_errors=True)
    done = subprocess.run(
        [sys.executable, __file__, "--child", engine, "--zip", str(zip_path)]
        + ["--work", str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"{engine} ingest failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def report(results: list[dict[str, Any]]) -> str:
    lines = [
        f"{'engine':<10} {'rows':>12} {'seconds':>8} {'cpu s':>7} {'rows/s':>11} "
        f"{'peak RSS MB':>11} {'MB on disk':>10}"
    ]
    for r in results:
        lines.append(
            f"{r['engine']:<10} {r['rows']:>12,} {r['seconds']:>8.1f} {r['cpu_s']:>7.1f} "
            f"{r['rows'] / r['seconds']:>11,.0f} {r['peak_rss_mb']:>11,.0f} "
            f"{r['mb_on_disk']:>10,.0f}"
        )
    for r in results:
        if "summaries_s" in r:
            rows_only = r["seconds"] - r["summaries_s"]
            lines.append(
                f"{r['engine']}: of which per-year summaries {r['summaries_s']:.1f} s "
                f"({r['summaries_mb_on_disk']:.0f} MB); without them "
                f"{r['rows'] / rows_only:,.0f} rows/s"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--zip", type=Path, required=True, help="a BACI release zip")
    parser.add_argument("--work", type=Path, help="where the stores go (default: a temp dir)")
    parser.add_argument("--engines", default="bilateral,pandas")
    parser.add_argument("--keep", action="store_true", help="keep the bilateral store")
    parser.add_argument("--json", type=Path, help="append the results here")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        args.work.mkdir(parents=True, exist_ok=True)
        if args.child == "bilateral":
            result = bilateral_ingest(args.zip, args.work)
        else:
            result = pandas_ingest(args.zip, args.work)
        result["peak_rss_mb"] = peak_rss_mb()
        result["load_average"] = os.getloadavg()[0]
        print(json.dumps(result))
        return

    work = args.work or Path(tempfile.mkdtemp(prefix="bilateral-ingest-", dir=BENCH / "data"))
    results = []
    for engine in args.engines.split(","):
        results.append(run(engine, args.zip, work))
        if engine == "pandas" or not args.keep:
            shutil.rmtree(work / engine, ignore_errors=True)
    print(report(results))
    by = {r["engine"]: r for r in results}
    if "bilateral" in by:
        print(f"ingest_rows_per_s={by['bilateral']['rows'] / by['bilateral']['seconds']:.0f}")
    if len(by) == 2:
        ratio = by["pandas"]["seconds"] / by["bilateral"]["seconds"]
        print(f"ingest_speedup_vs_pandas={ratio:.2f}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        with args.json.open("a") as f:
            f.write(json.dumps({"benchmark": "ingest", "zip": str(args.zip), "results": results}))
            f.write("\n")
    if args.work is None and not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
