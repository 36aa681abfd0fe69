"""How long the Comext CN8 extract takes to ingest, and where the time goes.

Times, over the folder of Comext DS-045409 downloads: calamine parsing every sheet alone,
the reader (``ComextCn8Reader.read`` for every file) and a full ``Store.ingest`` into a
fresh temporary store.

    PYTHONPATH=src python bench/comext_ingest.py [FOLDER]   (default ../shared/data/comext-cn8)
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from python_calamine import CalamineWorkbook

from bilateral.sources.comext_cn8 import ComextCn8Reader
from bilateral.store import Store

DEFAULT = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "comext-cn8"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT)
    folder = parser.parse_args().folder
    files = sorted(p for p in folder.glob("*_spreadsheet.xlsx"))
    size = sum(p.stat().st_size for p in files) / 1e6

    start = time.perf_counter()
    cells = 0
    for path in files:
        book = CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            cells += sum(len(r) for r in book.get_sheet_by_name(name).to_python())
    parse = time.perf_counter() - start

    start = time.perf_counter()
    rows = sum(ComextCn8Reader().read(p, "bench").table.num_rows for p in files)
    read = time.perf_counter() - start

    with tempfile.TemporaryDirectory() as scratch:
        start = time.perf_counter()
        Store.open(Path(scratch) / "store").ingest([folder])
        ingest = time.perf_counter() - start

    print(f"{len(files)} files, {size:.1f} MB, {cells:,} cells, {rows:,} canonical rows")
    print(f"calamine parse only: {parse:6.1f} s")
    print(f"reader, every file:  {read:6.1f} s")
    print(f"store ingest:        {ingest:6.1f} s")


if __name__ == "__main__":
    main()
