"""Build the starter store that ships inside the package (src/bilateral/data/starter/)
from the publishers' own files, by default those in ../shared/data.

    python scripts/build_starter_store.py [--shared ../shared/data] [--out DIR]

The same files and the same versions of bilateral and pyarrow give the same bytes
(tests/store/test_starter.py rebuilds it and compares). See bilateral.store.starter.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from bilateral.store.starter import build

ROOT = Path(__file__).resolve().parents[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=ROOT / "src" / "bilateral" / "data" / "starter")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    manifest = build(args.shared, args.out)
    files = [args.out / e["path"] for e in [*manifest.parts, *manifest.summaries]]
    size = sum(f.stat().st_size for f in files)
    print(
        f"{args.out}: {len(manifest.files)} publishers' files, {len(files)} Parquet files, "
        f"{size:,} bytes, {sum(p['rows'] for p in manifest.parts):,} rows "
        f"({time.perf_counter() - started:.1f} s)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
