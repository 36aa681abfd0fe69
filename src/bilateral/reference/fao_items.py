"""FAO trade items and the HS codes they correspond to: selecting FAOSTAT rows by HS code.

FAOSTAT classifies trade by FAO item ("Wheat"), not by HS code, so its rows carry
classification ``FAO`` and the item name as product. ``fao_item_hs.csv`` lists the items
that correspond to HS 2022 codes (one item may take several subheadings: Millet is
100821 and 100829). Where an item is narrower than its code, the note says "part of":
FAO's Wheat excludes the meslin that HS 1001 holds. The extracts sum processed foods by
CPC division ("Dairy products and egg products"); each such group is placed at every HS
chapter or heading its division draws on, so it counts towards a product group only when
all of them lie inside it (food, HS 01-24), and a narrower group it reaches into (dairy,
HS 0401-0406) says that part of its trade is summed with other goods
(:func:`fao_items_partly_in`).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache

from bilateral.reference import DATA_DIR

FAO_ITEM_HS_FILE = DATA_DIR / "fao_item_hs.csv"


@dataclass(frozen=True)
class FaoItemHs:
    """One FAO item's correspondence to one HS 2022 code."""

    item: str
    hs_code: str  # 2, 4 or 6 digits, as text with leading zeros
    note: str  # "part of ..." when the item is narrower than the code


@cache
def fao_item_hs() -> tuple[FaoItemHs, ...]:
    """The shipped correspondence, in file order."""
    with open(FAO_ITEM_HS_FILE, encoding="utf-8", newline="") as f:
        lines = (line for line in f if not line.startswith("#"))
        return tuple(
            FaoItemHs(row["fao_item"], row["hs_code"], row["note"]) for row in csv.DictReader(lines)
        )


def hs_codes_for_fao_item(item: str) -> tuple[str, ...]:
    """The HS codes an FAO item corresponds to (empty when it has none).

    >>> hs_codes_for_fao_item("Millet")
    ('100821', '100829')
    """
    return tuple(m.hs_code for m in fao_item_hs() if m.item == item)


def fao_items_for_hs(code: str) -> tuple[str, ...]:
    """FAO items that lie wholly within an HS chapter, heading or subheading.

    An item is selected when every HS code it corresponds to starts with ``code``, so the
    FAO rows selected never hold trade outside it. A code more detailed than an item
    selects nothing: FAO's Wheat covers all of heading 1001, not only durum seed 100111.

    >>> fao_items_for_hs("1001")
    ('Wheat', 'Mixed grain')
    >>> fao_items_for_hs("100111")
    ()
    """
    if not (code.isdigit() and len(code) in (2, 4, 6)):
        raise ValueError(f"'{code}' is not an HS code; expected 2, 4 or 6 digits ('10', '1001')")
    items: dict[str, bool] = {}
    for mapping in fao_item_hs():
        inside = mapping.hs_code.startswith(code)
        items[mapping.item] = items.get(mapping.item, True) and inside
    return tuple(item for item, inside in items.items() if inside)


def _overlaps(code: str, prefixes: tuple[str, ...]) -> bool:
    return any(code.startswith(p) or p.startswith(code) for p in prefixes)


def fao_items_partly_in(prefixes: tuple[str, ...]) -> tuple[str, ...]:
    """FAO items that reach into the HS codes ``prefixes`` without lying wholly inside them.

    Their trade in those codes cannot be told apart from the rest of the item: a product
    group they reach into is covered only in part by the FAO items that lie inside it.

    >>> fao_items_partly_in(("0401", "0402", "0403", "0404", "0405", "0406"))
    ('Dairy products and egg products',)
    >>> fao_items_partly_in(("1001",))
    ()
    """
    codes: dict[str, list[str]] = {}
    for mapping in fao_item_hs():
        codes.setdefault(mapping.item, []).append(mapping.hs_code)
    return tuple(
        item
        for item, item_codes in codes.items()
        if any(_overlaps(c, prefixes) for c in item_codes)
        and not all(c.startswith(prefixes) for c in item_codes)
    )


def fao_notes(items: tuple[str, ...]) -> tuple[str, ...]:
    """The notes of the mappings of ``items`` (what each placement leaves open), once each."""
    return tuple(dict.fromkeys(m.note for m in fao_item_hs() if m.item in items and m.note))
