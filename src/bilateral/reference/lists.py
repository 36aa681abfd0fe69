"""Lists of goods, as data: the Common High Priority List, the EU's export-sanctions CN8 codes,
and any list a user writes in the same CSV format.

A list file is a CSV with a header and the columns ``code`` and ``classification``
(``CN8``, ``HS6`` or ``HS4``), and optionally ``tier`` and ``description``. Codes are text:
"030211", never 30211. Two lists ship with bilateral:

* ``chpl``: the Common High Priority List (EU, US, UK and Japan, version of 2024-02-23),
  50 HS6 codes in HS 2022 in tiers 1, 2, 3.A, 3.B, 4.A and 4.B (``chpl_hs6_tiers.csv``);
* ``eu-cn8``: the CN8 codes under EU export sanctions on Russia as extracted from Eurostat
  Comext for the sanctions lens (``eu_export_sanctions_cn8.csv``, 2,223 codes). The codes
  of every year's CN are listed (88033000 in 2020-2021 became 88073000 in 2022), so this
  list needs no revision mapping. It is the CN8 sheets of the extract: the extract's
  monthly sums (``eu_export_sanctioned.xlsx``) equal the sum of those sheets alone; the
  HS4 sheets in the extract cover the same goods again at heading level.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bilateral.errors import BilateralError, SourceFormatError
from bilateral.reference import DATA_DIR

CLASSIFICATIONS = {"CN8": 8, "HS6": 6, "HS4": 4}
LIST_COLUMNS = ("code", "classification", "tier", "description")
EU_CN8_FILE = "eu_export_sanctions_cn8.csv"
CHPL_FILE = "chpl_hs6_tiers.csv"


@dataclass(frozen=True)
class ListEntry:
    """One listed code at one classification level, with its tier (None when untiered)."""

    code: str
    classification: str
    tier: str | None = None
    description: str = ""


@dataclass(frozen=True)
class ProductList:
    """A named list of goods.

    ``hs_edition`` is the HS edition its HS6 and HS4 codes are written in (2022 for the
    CHPL); data classified in another edition is translated before matching. None means
    the codes are taken as they are in every year.
    """

    name: str
    title: str
    entries: tuple[ListEntry, ...]
    hs_edition: int | None = None
    origin: str = ""

    def tiers(self) -> list[str]:
        """The list's tiers in order of appearance (empty for an untiered list)."""
        return list(dict.fromkeys(e.tier for e in self.entries if e.tier))


def chpl() -> ProductList:
    """The Common High Priority List as shipped (HS 2022 subheadings with tiers)."""
    entries = []
    with open(DATA_DIR / CHPL_FILE, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            entries.append(ListEntry(row["hs6"], "HS6", row["tier"], row["hs2022_description"]))
    return ProductList(
        name="chpl",
        title="Common High Priority List (2024-02-23), HS 2022 subheadings by tier",
        entries=tuple(entries),
        hs_edition=2022,
        origin=CHPL_FILE,
    )


def eu_cn8() -> ProductList:
    """The EU's export-sanctioned CN8 codes as extracted from Comext (all years' codes)."""
    product_list = read_list_file(DATA_DIR / EU_CN8_FILE)
    return ProductList(
        name="eu-cn8",
        title="EU export sanctions on Russia: CN8 codes of the Comext extract (2020-2022 CN)",
        entries=product_list.entries,
        hs_edition=None,
        origin=EU_CN8_FILE,
    )


SHIPPED = {"chpl": chpl, "eu-cn8": eu_cn8}


def load_list(spec: str | Path) -> ProductList:
    """A shipped list by name (``chpl``, ``eu-cn8``) or a list file by path."""
    if isinstance(spec, str) and spec in SHIPPED:
        return SHIPPED[spec]()
    path = Path(spec)
    if not path.exists():
        raise BilateralError(
            f"Unknown list '{spec}': neither a shipped list ({', '.join(SHIPPED)}) nor a file. "
            "Write a CSV with columns code,classification[,tier,description]."
        )
    return read_list_file(path)


def read_list_file(path: Path) -> ProductList:
    """Read a list file; every problem names the line and what was expected."""
    entries: list[ListEntry] = []
    seen: dict[tuple[str, str], int] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        columns = [c.strip() for c in reader.fieldnames or []]
        missing = [c for c in ("code", "classification") if c not in columns]
        extra = [c for c in columns if c not in LIST_COLUMNS]
        if missing or extra:
            raise SourceFormatError(
                path,
                f"columns {columns}",
                row=1,
                expected="a header code,classification and optionally tier,description",
            )
        for line, raw in enumerate(reader, start=2):
            row = {k.strip(): (v or "").strip() for k, v in raw.items() if k}
            code, classification = row["code"].replace(".", ""), row["classification"].upper()
            if not code and not classification:
                continue
            if classification not in CLASSIFICATIONS:
                raise SourceFormatError(
                    path,
                    f"classification '{row['classification']}'",
                    row=line,
                    field="classification",
                    expected="CN8, HS6 or HS4",
                )
            digits = CLASSIFICATIONS[classification]
            if not code.isdigit() or len(code) != digits:
                hint = (
                    f" (a leading zero lost? try {code.zfill(digits)})"
                    if code.isdigit() and len(code) == digits - 1
                    else ""
                )
                raise SourceFormatError(
                    path,
                    f"code '{row['code']}' is not a {classification} code{hint}",
                    row=line,
                    field="code",
                    expected=f"{digits} digits, as text",
                )
            key = (code, classification)
            if key in seen:
                raise SourceFormatError(
                    path,
                    f"{classification} {code} is listed twice (also line {seen[key]})",
                    row=line,
                    expected="each code once",
                )
            seen[key] = line
            entries.append(
                ListEntry(code, classification, row.get("tier") or None, row.get("description", ""))
            )
    if not entries:
        raise SourceFormatError(path, "no codes", expected="one line per listed code")
    return ProductList(name=path.stem, title=path.name, entries=tuple(entries), origin=str(path))


def write_list_file(entries: Iterable[ListEntry], path: Path) -> None:
    """Write entries in the list-file format that :func:`read_list_file` reads."""
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(LIST_COLUMNS)
        for entry in entries:
            writer.writerow([entry.code, entry.classification, entry.tier or "", entry.description])
