"""Measure Parquet layouts for the store: row group size, sort order, compression, and
partitioning by year, on the queries bilateral runs.

Takes one year of canonical flows from a store (``--store``, as ingested), rewrites it
in each layout under ``bench/data/layout/``, and times in a fresh DuckDB process per
layout: the filters users ask for most (one year; a reporter's exports; a reporter's
imports, that is the partner side; one product; one pair over all years) and the
benchmark workloads (profile, all partner rankings, one reporter's supplier dependence,
RCA for everything), compiled to SQL from ``workloads_direct``.

    python bench/layout.py --store bench/data/store1 --years 5
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

BENCH = Path(__file__).resolve().parent
sys.path.append(str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

EXPORTER_FIRST = ["exporter", "importer", "product"]


@dataclass(frozen=True)
class Layout:
    """One way to write a year: sort key, rows per row group, codec, and writer.

    ``writer`` is "plain" (``pq.write_table`` with PyArrow's defaults: every column
    dictionary-encoded, as the store wrote before) or "store" (``parquet_layout``: text
    dictionary-encoded before sorting, numbers written plainly), or "duckdb" (a DuckDB
    database table instead of Parquet, for comparison).
    """

    sort: list[str] | None = field(default_factory=lambda: list(EXPORTER_FIRST))
    rows: int = 1 << 20
    codec: str = "zstd"
    writer: str = "plain"


LAYOUTS: dict[str, Layout] = {
    "before: plain writer, zstd, 1M-row groups": Layout(),
    "plain, row groups 128k": Layout(rows=1 << 17),
    "plain, row groups 32k": Layout(rows=1 << 15),
    "plain, snappy": Layout(codec="snappy"),
    "plain, lz4": Layout(codec="lz4"),
    "plain, uncompressed": Layout(codec="none"),
    "plain, sorted importer-exporter-product": Layout(sort=["importer", "exporter", "product"]),
    "plain, sorted product-exporter-importer": Layout(sort=["product", "exporter", "importer"]),
    "plain, unsorted (BACI's numeric-code order)": Layout(sort=None),
    "store writer, zstd, 1M": Layout(writer="store"),
    "store writer, zstd, 128k": Layout(writer="store", rows=1 << 17),
    "store writer, lz4, 1M": Layout(writer="store", codec="lz4"),
    "store writer, lz4, 128k": Layout(writer="store", codec="lz4", rows=1 << 17),
    "store writer, snappy, 128k": Layout(writer="store", codec="snappy", rows=1 << 17),
    "DuckDB table instead of Parquet": Layout(writer="duckdb"),
}


def write(table: pa.Table, target: Path, layout: Layout) -> float:
    """Write ``table`` in one layout; returns the seconds the sort and write took."""
    from bilateral.store import layout as parquet_layout

    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    if layout.writer == "store":
        for _, part in parquet_layout.years(table):
            parquet_layout.write(part, target, compression=layout.codec, row_group_rows=layout.rows)
        return time.perf_counter() - started
    if layout.sort:
        table = table.sort_by([(c, "ascending") for c in layout.sort])
    if layout.writer == "duckdb":
        import duckdb

        con = duckdb.connect(str(target))
        con.register("incoming", table)
        con.execute("CREATE TABLE flows AS SELECT * FROM incoming")
        con.close()
    else:
        pq.write_table(table, target, compression=layout.codec, row_group_size=layout.rows)
    return time.perf_counter() - started


def micro_queries(year: int, a: str, b: str, product: str) -> dict[str, str]:
    return {
        "one year, all rows by product": (
            f"SELECT product, sum(value_usd) FROM flows WHERE year = {year} GROUP BY 1"
        ),
        "reporter's exports (exporter = A)": (
            f"SELECT importer, sum(value_usd) FROM flows WHERE year = {year} "
            f"AND exporter = '{a}' GROUP BY 1"
        ),
        "reporter's imports (importer = A)": (
            f"SELECT exporter, sum(value_usd) FROM flows WHERE year = {year} "
            f"AND importer = '{a}' GROUP BY 1"
        ),
        "one product": (
            f"SELECT exporter, importer, sum(value_usd) FROM flows WHERE year = {year} "
            f"AND product = '{product}' GROUP BY 1, 2"
        ),
        "one pair, every year": (
            f"SELECT year, sum(value_usd) FROM flows WHERE exporter = '{a}' "
            f"AND importer = '{b}' GROUP BY 1"
        ),
    }


def workload_queries(year: int, a: str, b: str) -> dict[str, list[str]]:
    """The benchmark workloads as DuckDB SQL over a table named ``flows``."""
    import ibis
    import workloads_direct

    from bilateral.schema import FLOW_SCHEMA

    flows = ibis.table(ibis.schema(FLOW_SCHEMA), name="flows")
    flows = flows.filter(flows.source == "baci")
    out = {}
    for name in ("profile", "partners", "dependence", "rca"):
        queries = workloads_direct.queries(name, flows, a, b, year)
        out[f"workload: {name}"] = [str(ibis.to_sql(q, dialect="duckdb")) for q in queries.values()]
    return out


def time_queries(files: list[str], queries: dict[str, list[str]], repeat: int) -> dict[str, Any]:
    """In the child: warm median of each query group over ``files`` on a fresh DuckDB
    (or, for a ``.duckdb`` file, over its ``flows`` table)."""
    import duckdb

    if files[0].endswith(".duckdb"):
        con = duckdb.connect(files[0], read_only=True)
    else:
        con = duckdb.connect()
        con.execute(f"CREATE VIEW flows AS SELECT * FROM read_parquet({files!r})")
    out: dict[str, Any] = {}
    for name, sqls in queries.items():
        runs, cpu = [], []
        for _ in range(repeat + 1):
            started, started_cpu = time.perf_counter(), time.process_time()
            for sql in sqls:
                con.execute(sql).to_arrow_table()
            runs.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
        out[name] = {
            "cold_s": runs[0],
            "warm_s": statistics.median(runs[1:]),
            "warm_min_s": min(runs[1:]),
            "warm_cpu_s": statistics.median(cpu[1:]),
        }
    plan = con.execute(
        "EXPLAIN ANALYZE " + queries["reporter's exports (exporter = A)"][0]
    ).fetchall()[0][1]
    out["row groups for exporter = A"] = next(
        (line.strip(" │") for line in plan.splitlines() if "Row Groups" in line), ""
    )
    return out


def child(spec_path: Path) -> None:
    spec = json.loads(spec_path.read_text())
    print(json.dumps(time_queries(spec["files"], spec["queries"], spec["repeat"])))


def measure(files: list[Path], queries: dict[str, list[str]], repeat: int) -> dict[str, Any]:
    """Time the queries in a fresh process, so no layout profits from another's caches."""
    spec = {"files": [str(f) for f in files], "queries": queries, "repeat": repeat}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as handle:
        json.dump(spec, handle)
    try:
        done = subprocess.run(
            [sys.executable, __file__, "--child", handle.name],
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        Path(handle.name).unlink()
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout)


def source_year(store: Path) -> tuple[pa.Table, int]:
    files = sorted((store / "flows").rglob("*.parquet"))
    table = pa.concat_tables(pq.read_table(f) for f in files)
    years = pc.unique(table.column("year")).to_pylist()
    year = max(years)
    return table.filter(pc.equal(table.column("year"), year)), year


def with_year(table: pa.Table, year: int) -> pa.Table:
    column = table.schema.get_field_index("year")
    return table.set_column(column, "year", pa.repeat(pa.scalar(year, pa.int16()), len(table)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=False)
    parser.add_argument("--out", type=Path, default=BENCH / "data" / "layout")
    parser.add_argument("--years", type=int, default=5, help="years for the partitioning test")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--a", default="KAZ")
    parser.add_argument("--b", default="RUS")
    parser.add_argument("--only", default="", help="run the layouts whose names contain these")
    parser.add_argument("--no-partitioning", action="store_true")
    parser.add_argument("--report", type=Path, help="print a saved --json result as Markdown")
    parser.add_argument("--measure", default="warm_cpu_s", help="warm_s, warm_cpu_s, cold_s")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, help="write the results here too")
    args = parser.parse_args()
    if args.child:
        child(Path(args.child))
        return
    if args.report:
        print(markdown(json.loads(args.report.read_text()), args.measure))
        return
    if args.store is None:
        parser.error("--store is required")

    table, year = source_year(args.store)
    counts = pc.value_counts(table.column("product"))
    # the product with the most flows: a real filter, not an empty one
    most = pc.index(counts.field("counts"), pc.max(counts.field("counts"))).as_py()
    product = counts.field("values")[most].as_py()
    queries = {k: [v] for k, v in micro_queries(year, args.a, args.b, product).items()}
    queries.update(workload_queries(year, args.a, args.b))
    results: dict[str, Any] = {"rows": table.num_rows, "year": year, "layouts": {}}
    shutil.rmtree(args.out, ignore_errors=True)

    only = {n.strip() for n in args.only.split(",") if n.strip()}
    for name, layout in LAYOUTS.items():
        if only and not any(o in name for o in only):
            continue
        suffix = "duckdb" if layout.writer == "duckdb" else "parquet"
        target = args.out / "one" / f"year={year}" / f"part.{suffix}"
        shutil.rmtree(args.out / "one", ignore_errors=True)
        write_s = write(table, target, layout)
        timing = measure([target], queries, args.repeat)
        timing["write_s"] = write_s
        timing["size_mb"] = target.stat().st_size / 1e6
        results["layouts"][name] = timing
        print(f"{name}: {json.dumps(timing)}", file=sys.stderr)
    shutil.rmtree(args.out / "one", ignore_errors=True)

    if args.years > 1 and not args.no_partitioning:
        results["partitioning"] = partitioning(table, year, args, queries)
    shutil.rmtree(args.out, ignore_errors=True)
    print(json.dumps(results, indent=1))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=1))


SHORT = {
    "one year, all rows by product": "year",
    "reporter's exports (exporter = A)": "exporter=A",
    "reporter's imports (importer = A)": "importer=A",
    "one product": "product",
    "one pair, every year": "pair",
    "workload: profile": "profile",
    "workload: partners": "partners",
    "workload: dependence": "dependence",
    "workload: rca": "rca",
}


def markdown(results: dict[str, Any], measure: str = "warm_cpu_s") -> str:
    """The layouts as a Markdown table of ``measure`` (seconds) per query."""
    columns = [c for c in SHORT if any(c in t for t in results.get("layouts", {}).values())]
    lines = [
        "| layout | MB | write s | " + " | ".join(SHORT[c] for c in columns) + " |",
        "|---|---:|---:|" + "---:|" * len(columns),
    ]
    for name, timing in results.get("layouts", {}).items():
        cells = [f"{timing[c][measure]:.3f}" for c in columns]
        lines.append(
            f"| {name} | {timing['size_mb']:.0f} | {timing['write_s']:.1f} | "
            + " | ".join(cells)
            + " |"
        )
    for name, timing in results.get("partitioning", {}).items():
        cells = [f"{timing[c][measure]:.3f}" if c in timing else "-" for c in columns]
        lines.append(f"| {name} | - | - | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def partitioning(
    table: pa.Table, year: int, args: argparse.Namespace, queries: dict[str, list[str]]
) -> dict[str, Any]:
    """``--years`` copies of the year (relabelled): a file per year, as the store does, or
    one file sorted year first, or one file sorted exporter first. Only the six columns
    the queries read are kept here, in every variant alike."""
    years = list(range(year - args.years + 1, year + 1))
    picked = {k: v for k, v in queries.items() if not k.startswith("workload: ") or "profile" in k}
    out: dict[str, Any] = {}
    per_year = []
    # Only the columns the queries read, so that several years fit in memory to re-sort.
    table = table.select(["source", "year", "exporter", "importer", "product", "value_usd"])
    for y in years:
        target = args.out / "years" / f"year={y}" / "part.parquet"
        write(with_year(table, y), target, Layout())
        per_year.append(target)
    out["a file per year (store today)"] = measure(per_year, picked, args.repeat)
    print(f"per year: {json.dumps(out['a file per year (store today)'])}", file=sys.stderr)
    everything = pa.concat_tables(pq.read_table(p) for p in per_year)
    shutil.rmtree(args.out / "years", ignore_errors=True)
    for name, sort in (
        ("one file, sorted year first", ["year", *EXPORTER_FIRST]),
        ("one file, sorted exporter first, year last", [*EXPORTER_FIRST, "year"]),
    ):
        target = args.out / "single" / "all.parquet"
        write(everything, target, Layout(sort=sort))
        out[name] = measure([target], picked, args.repeat)
        print(f"{name}: {json.dumps(out[name])}", file=sys.stderr)
        target.unlink()
    return out


if __name__ == "__main__":
    main()
