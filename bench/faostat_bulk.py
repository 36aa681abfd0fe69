"""How long FAOSTAT's bulk trade matrix takes to read and ingest, beside pandas.

A synthetic bulk zip in FAOSTAT's normalized layout (every field quoted, CRLF, M49 codes
behind an apostrophe; values and quantities, as the real file has both) is written once:
REPORTERS reporters x 150 partners x 10 items x 12 years x 4 elements. Then, each in the
same process, one after another: the reader alone (``FaostatBulkReader.read_parts``, every
part), ``Store.ingest`` into a fresh store (the reader, validation, Parquet and the
summaries), and pandas reading the zip's CSV and keeping the value rows (what a notebook
does: the baseline). Peak memory is the process's highest so far after each step, so the
ingest's comes before pandas has run.

    PYTHONPATH=src python bench/faostat_bulk.py [--reporters 40] [--zip PATH]
"""

from __future__ import annotations

import argparse
import csv
import io
import itertools
import random
import resource
import tempfile
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from bilateral.reference.countries import countries
from bilateral.sources.faostat_bulk import FaostatBulkReader
from bilateral.store import Store

NAME = "Trade_DetailedTradeMatrix_E_All_Data_(Normalized).zip"
MEMBER = "Trade_DetailedTradeMatrix_E_All_Data_(Normalized).csv"
HEADER = [
    "Reporter Country Code", "Reporter Country Code (M49)", "Reporter Countries",
    "Partner Country Code", "Partner Country Code (M49)", "Partner Countries",
    "Item Code", "Item Code (CPC)", "Item", "Element Code", "Element", "Year Code", "Year",
    "Unit", "Value", "Flag",
]  # fmt: skip
ITEMS = ["Wheat", "Barley", "Maize (corn)", "Rice", "Raw cane or beet sugar (centrifugal only)",
         "Cheese from whole cow milk", "Maté leaves", "Apples", "Tea leaves",
         "Beer of barley, malted"]  # fmt: skip
ELEMENTS = [("5922", "Export Value", "1000 USD"), ("5622", "Import Value", "1000 USD"),
            ("5910", "Export Quantity", "t"), ("5610", "Import Quantity", "t")]  # fmt: skip


def bulk_rows(reporters: int) -> Iterator[list[object]]:
    """Every reporter's rows with 150 partners, 10 items, 12 years and 4 elements."""
    places = [c for c in countries() if c.iso_numeric and not c.is_aggregate][:150]
    rnd = random.Random(1)
    for a, b in itertools.product(places[:reporters], places):
        if a is b:
            continue
        for item, year, (code, element, unit) in itertools.product(
            ITEMS, range(2000, 2024, 2), ELEMENTS
        ):
            yield (
                ["0", f"'{a.iso_numeric:03d}", a.name_en, "0", f"'{b.iso_numeric:03d}"]
                + [b.name_en, "0", "'0", item, code, element, year, year, unit]
                + [rnd.randint(1, 99_999), "A"]
            )


def write_zip(path: Path, reporters: int) -> int:
    """The bulk zip, written as it streams (the rows never all in memory)."""
    rows = 0
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open(MEMBER, "w", force_zip64=True) as raw,
    ):
        text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
        out = csv.writer(text, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        out.writerow(HEADER)
        for row in bulk_rows(reporters):
            out.writerow(row)
            rows += 1
        text.flush()
        text.detach()
    return rows


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reporters", type=int, default=40)
    parser.add_argument("--zip", type=Path, help="An existing bulk zip instead.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        path = options.zip or Path(scratch) / NAME
        rows = None if options.zip else write_zip(path, options.reporters)
        size = path.stat().st_size / 1e6

        start = time.perf_counter()
        read = sum(p.table.num_rows for p in FaostatBulkReader().read_parts(path, "bench"))
        reader = time.perf_counter() - start

        start = time.perf_counter()
        Store.open(Path(scratch) / "store").ingest([path])
        ingest = time.perf_counter() - start
        after_ingest = peak_mb()

        start = time.perf_counter()
        frame = pd.read_csv(path, dtype=str, encoding="utf-8")
        frame = frame[frame["Element"].str.endswith("Value")]
        frame = frame.assign(Value=pd.to_numeric(frame["Value"]) * 1000)
        baseline = time.perf_counter() - start
        kept = len(frame)
        del frame
        after_pandas = peak_mb()

    print(f"{path.name}: {size:.1f} MB zipped, {rows or 'unknown':,} rows, {kept:,} value rows")
    print(f"pandas read_csv + keep values: {baseline:6.2f} s 1.00x peak {after_pandas:,.0f} MB")
    print(f"reader, every part:            {reader:6.2f} s {reader / baseline:.2f}x {read:,} rows")
    ratio = ingest / baseline
    print(f"store ingest:                  {ingest:6.2f} s {ratio:.2f}x peak {after_ingest:,.0f}MB")


if __name__ == "__main__":
    main()
