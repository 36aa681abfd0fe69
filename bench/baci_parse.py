"""How fast the BACI reader turns a release zip into canonical rows.

Builds a synthetic year of BACI's shape (real BACI country codes, 6-digit products with
leading zeros, values and tonnes with three decimals, about 2% of quantities NA) in a
release zip, then times ``BaciReader.read_parts`` over it.

    python bench/baci_parse.py [rows] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from bilateral.sources.baci import BaciReader, shipped_country_list


def synthetic_year(rows: int, year: int = 2022, seed: int = 1) -> str:
    rng = np.random.default_rng(seed)
    codes = np.array([c.code for c in shipped_country_list() if c.iso3 not in {"N/A", ""}])
    quantity = rng.lognormal(2, 3, rows).round(3).astype(object)
    quantity[rng.random(rows) < 0.02] = "NA"
    frame = pd.DataFrame(
        {
            "t": year,
            "i": rng.choice(codes, rows),
            "j": rng.choice(codes, rows),
            "k": np.char.zfill(rng.integers(10111, 970600, rows).astype(str), 6),
            "v": rng.lognormal(1, 3, rows).round(3),
            "q": quantity,
        }
    )
    return frame.to_csv(index=False, float_format="%.3f")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rows", nargs="?", type=int, default=2_000_000)
    parser.add_argument("--keep", type=Path, help="write the zip here and keep it")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="baci-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "BACI_HS22_V202501.zip"
    if not path.exists():
        started = time.perf_counter()
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("BACI_HS22_Y2022_V202501.csv", synthetic_year(args.rows))
        print(f"built {path} in {time.perf_counter() - started:.1f} s")
    reader = BaciReader()
    for run in range(args.runs):
        started, cpu = time.perf_counter(), time.process_time()
        rows = sum(part.table.num_rows for part in reader.read_parts(path, "bench"))
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        print(
            f"run {run + 1}: {rows:,} rows in {elapsed:.2f} s wall = {rows / elapsed:,.0f} rows/s"
            f" ({cpu:.2f} s CPU over all threads; load {os.getloadavg()[0]:.1f})"
        )


if __name__ == "__main__":
    main()
