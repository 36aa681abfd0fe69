"""Matching a list of goods to the product codes a source actually holds.

A list names codes at one level (CN8, HS6 or HS4) and, for HS codes, in one HS edition;
data comes at its own level and in the edition of its year. A data code matches a list
code when it lies under it: a CN8 code's first six digits are its HS6 subheading, its
first four its HS4 heading. Data coarser than the list code (an HS4 row against an HS6
code) cannot be split and is not matched. Data in HS 2017 is translated to HS 2022 with
``hs2017_hs2022.csv`` (the HS 2022 splits touching the shipped lists; other codes are
taken as unchanged): an HS 2017 subheading is counted only when every HS 2022 code it was
split into is listed, else it also holds goods the list leaves out.

Every list code that matched nothing, and every partial correspondence, is reported:
nothing is dropped silently.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

import pyarrow as pa

from bilateral.reference import DATA_DIR
from bilateral.reference.lists import ListEntry, ProductList

MATCH_SCHEMA = pa.schema(
    [
        pa.field("classification", pa.string()),
        pa.field("product", pa.string()),
        pa.field("year", pa.int16()),
        pa.field("list_code", pa.string()),
        pa.field("tier", pa.string()),
    ]
)
UNTIERED = "listed"

# The HS edition behind each classification name the readers use, or a function of the year
# for nomenclatures that follow the current edition (Comext's CN and its HS levels).
_FIXED_EDITIONS = {
    "HS92": 1992, "H0": 1992, "HS96": 1996, "H1": 1996, "HS02": 2002, "H2": 2002,
    "HS07": 2007, "H3": 2007, "HS12": 2012, "H4": 2012, "HS17": 2017, "H5": 2017,
    "HS22": 2022, "H6": 2022,
}  # fmt: skip
_EDITION_YEARS = (1992, 1996, 2002, 2007, 2012, 2017, 2022)


def hs_edition(classification: str, year: int) -> int | None:
    """The HS edition of a data code: fixed for HS92..HS22, the year's edition for CN/HS levels."""
    if classification in _FIXED_EDITIONS:
        return _FIXED_EDITIONS[classification]
    if classification in ("CN8", "HS6", "HS4", "HS2", "HS"):
        return max(e for e in _EDITION_YEARS if e <= year) if year >= 1992 else None
    return None


@cache
def hs2017_to_hs2022() -> dict[str, tuple[str, ...]]:
    """HS 2017 subheadings that HS 2022 renumbered or split, with their HS 2022 codes."""
    targets: dict[str, list[str]] = defaultdict(list)
    with open(DATA_DIR / "hs2017_hs2022.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            targets[row["hs2017"]].append(row["hs2022"])
    return {code: tuple(codes) for code, codes in targets.items()}


@dataclass(frozen=True)
class Unmatched:
    """A list code that no data code matched, and why."""

    code: str
    classification: str
    tier: str | None
    reason: str


@dataclass
class ListMatch:
    """The data codes that fall under a list, and what could not be matched.

    ``table`` has one row per (classification, product, year) of the data that is listed,
    with the list code it falls under and its tier ('listed' for an untiered list).
    """

    product_list: ProductList
    table: pa.Table
    unmatched: list[Unmatched] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def matched_codes(self) -> set[str]:
        return set(self.table.column("list_code").to_pylist())


class _Index:
    """The list's entries by level, for finding the most specific entry above a data code."""

    def __init__(self, entries: Iterable[ListEntry]) -> None:
        self.by_level: dict[int, dict[str, ListEntry]] = {8: {}, 6: {}, 4: {}}
        for entry in entries:
            self.by_level[len(entry.code)][entry.code] = entry

    def find(self, code: str, hs6: str | None) -> ListEntry | None:
        """The most specific entry containing ``code`` (``hs6`` replaces its first 6 digits)."""
        if len(code) >= 8 and (hit := self.by_level[8].get(code[:8])):
            return hit
        six = hs6 if hs6 is not None else code[:6]
        if len(code) >= 6 and (hit := self.by_level[6].get(six)):
            return hit
        if len(code) >= 4:
            return self.by_level[4].get(six[:4] if hs6 is not None else code[:4])
        return None


def match_list(product_list: ProductList, products: Iterable[tuple[str, str, int]]) -> ListMatch:
    """Match a list to the data's (classification, product, year) codes.

    Parameters
    ----------
    product_list
        The list (see :mod:`bilateral.reference.lists`).
    products
        Distinct product codes of the data, at the level the indicator will sum (never two
        overlapping levels, such as Comext's HS4 and CN8 rows, at once).

    Returns
    -------
    ListMatch
        The matched codes with tiers, the list codes that matched nothing (with reasons)
        and notes on partial HS-edition correspondences.
    """
    index = _Index(product_list.entries)
    concordance = hs2017_to_hs2022() if product_list.hs_edition == 2022 else {}
    rows: list[tuple[str, str, int, str, str]] = []
    coarser: dict[str, set[str]] = defaultdict(set)
    partial: dict[str, set[int]] = defaultdict(set)
    for classification, product, year in sorted(set(products)):
        if not product.isdigit():
            continue  # TOTAL and named aggregates are never listed goods
        hs6: str | None = None
        edition = hs_edition(classification, year)
        if (
            product_list.hs_edition is not None
            and edition == 2017
            and len(product) >= 6
            and product[:6] in concordance
        ):
            targets = concordance[product[:6]]
            listed = [index.by_level[6].get(t) for t in targets]
            if all(listed) and len({e.tier for e in listed if e}) == 1:
                hs6 = targets[0]
            else:
                for entry in listed:
                    if entry is not None:
                        partial[f"{entry.code}<-{product[:6]}"].add(year)
                if not any(listed):
                    hs6 = targets[0]  # fully outside the list: the lookup below finds nothing
                else:
                    continue
        entry = index.find(product, hs6)
        if entry is not None:
            rows.append((classification, product, year, entry.code, entry.tier or UNTIERED))
            continue
        for level in (8, 6):
            for code in index.by_level[level]:
                if len(product) < level and code.startswith(product):
                    coarser[code].add(f"{classification} {product}")
    table = pa.table(
        {name: [r[i] for r in rows] for i, name in enumerate(MATCH_SCHEMA.names)},
        schema=MATCH_SCHEMA,
    )
    matched = {r[3] for r in rows}
    unmatched = []
    for entry in product_list.entries:
        if entry.code in matched:
            continue
        if entry.code in coarser:
            reason = "the data holds it only inside coarser codes: " + ", ".join(
                sorted(coarser[entry.code])[:3]
            )
        else:
            reason = "no product code in the data falls under it"
        unmatched.append(Unmatched(entry.code, entry.classification, entry.tier, reason))
    notes = [
        f"{pair.split('<-')[0]} (HS 2022) was split from HS 2017 {pair.split('<-')[1]}, which "
        f"also holds goods outside this code's tier or the list: not counted in "
        f"{min(ys)}-{max(ys)}"
        for pair, ys in sorted(partial.items())
    ]
    if concordance:
        notes.append(
            "HS 2017 data translated to HS 2022 with hs2017_hs2022.csv; codes not in it are "
            "taken as unchanged"
        )
    return ListMatch(product_list, table, unmatched, notes)
