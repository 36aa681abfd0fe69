"""Benchmark: time to parse texts of growing size, realistic and pathological.

The claim parser must stay linear in the length of the text: each row should take about
twice as long as the one before. Run with ``python bench/claims_parse.py`` (needs ``src``
on the path, e.g. ``PYTHONPATH=src``); prints seconds per size.
"""

from __future__ import annotations

import time
from pathlib import Path

from bilateral.claims.parse import parse_text

ARTICLE = (
    Path(__file__).resolve().parents[1].parent / "shared" / "articles" / "kz-ru-2023-11-visit.txt"
)
SAMPLE = (
    ARTICLE.read_text(encoding="utf-8")
    if ARTICLE.exists()
    else "Bilateral turnover in 2022 increased by more than 10% and reached $27 billion.\n"
)
UNITS = {
    "article": SAMPLE,
    "numbers": "12 ",
    "dollar signs": "$",
    "dashes": "1-",
    "percentages": "5% of wheat and ",
    "country names": "Russia ",
    "full stops": ". ",
    "capitalised words": "Abc ",
}
SIZES = (250_000, 500_000, 1_000_000)


def main() -> None:
    print(f"{'input':20}" + "".join(f"{size:>12,}" for size in SIZES) + "  (characters; seconds)")
    for name, unit in UNITS.items():
        timings = []
        for size in SIZES:
            text = unit * (size // len(unit) + 1)
            start = time.perf_counter()
            parse_text(text[:size])
            timings.append(time.perf_counter() - start)
        print(f"{name:20}" + "".join(f"{t:12.2f}" for t in timings))


if __name__ == "__main__":
    main()
