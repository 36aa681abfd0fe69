"""The profile of several pairs in one process: the same pair asked again, and new pairs.

``queries.py`` measures "warm" as the same profile asked again, which reuses the SQL
DuckDB compiled the first time (``engines.CompiledQueries``). A dashboard or a report
asks about many pairs: this script asks about one pair three times, then about other
pairs once each (the engine and the store's summaries warm, the question new), and runs
the pandas profile of each pair in the same process as the baseline.

    python bench/profile_pairs.py --store bench/data/y1-store/bilateral --year 2022
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from functools import partial
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.append(str(BENCH.parent / "src"))
sys.path.insert(0, str(BENCH))

from measure import parquet_files, peak_rss_mb  # noqa: E402

PAIRS = (("KAZ", "RUS"), ("DEU", "FRA"), ("ARM", "RUS"), ("CHN", "USA"), ("BRA", "ARG"))


def timed(call: Any, *args: Any) -> float:
    started = time.perf_counter()
    call(*args)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--source", default="baci")
    parser.add_argument("--json", type=Path, help="append the results here")
    args = parser.parse_args()

    import workloads_pandas

    import bilateral
    from bilateral.store import Store

    store = Store.open(args.store)
    files = parquet_files(args.store)
    first, *others = PAIRS
    profile = partial(bilateral.profile, store)
    cold = timed(profile, *first, args.year, args.source)
    again = [timed(profile, *first, args.year, args.source) for _ in range(3)]
    new = {f"{a}-{b}": timed(profile, a, b, args.year, args.source) for a, b in others}
    queries = store.backend.compiled_queries
    # the pairs' queries are questions (bilateral.backends.question_sql): built once,
    # then found by what they ask; older code has no such record
    asked = store.backend.__dict__.get("question_sql")
    built = asked.built if asked is not None else queries.misses
    pandas = {
        f"{a}-{b}": timed(workloads_pandas.run, "profile", files, a, b, args.year) for a, b in PAIRS
    }
    result = {
        "store": str(args.store),
        "year": args.year,
        "cold_s": cold,
        "same_pair_s": again,
        "new_pair_s": new,
        "pandas_s": pandas,
        "compiled": {"hits": queries.hits, "misses": queries.misses, "built": built},
        "peak_rss_mb": peak_rss_mb(),
    }
    same, fresh = statistics.median(again), statistics.median(new.values())
    baseline = statistics.median(pandas.values())
    print(f"profile, first pair (cold)       {cold:6.2f} s")
    print(f"profile, same pair again         {same:6.2f} s  (median of {len(again)})")
    print(f"profile, a new pair (warm)       {fresh:6.2f} s  (median of {len(new)})")
    print(f"pandas profile, per pair         {baseline:6.2f} s  (median of {len(pandas)})")
    print(f"queries built and compiled {built} times for {len(PAIRS)} pairs")
    print(f"speedup_vs_pandas_same_pair={baseline / same:.2f}")
    print(f"speedup_vs_pandas_new_pair={baseline / fresh:.2f}")
    if args.json:
        with args.json.open("a", encoding="utf-8") as out:
            out.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
