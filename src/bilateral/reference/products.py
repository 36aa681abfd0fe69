"""Products: the HS nomenclature, named product groups, and FAO items mapped to HS.

Trade sources name goods in different ways: BACI by 6-digit HS codes (HS 1992 codes lost
their leading zero in CEPII's files), Comtrade by HS codes of any level, FAOSTAT by item
names ("Wheat"). Analysts name them by groups ("food", "grain", "poultry meat"). This
module (with :mod:`bilateral.reference.fao_items` for FAO's items) turns any of these
into a :class:`ProductSelection`: the HS code prefixes and the FAO items that an
indicator should read.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bilateral.errors import UnknownProductError
from bilateral.reference import DATA_DIR
from bilateral.reference.fao_items import fao_item_hs, hs_codes_for_fao_item

#: Levels of the HS, by the number of digits of their codes.
HS_LEVELS = {"chapter": 2, "heading": 4, "subheading": 6}
#: The section label given to chapters the nomenclature leaves outside the 21 sections (99).
UNSPECIFIED_SECTION = "n.e.s."

_GROUP_COLUMNS = ("group", "name", "hs_codes", "note")
_RANGE = re.compile(r"^(\d+)-(\d+)$")


@dataclass(frozen=True)
class HsCode:
    """One code of the HS 2022 nomenclature."""

    code: str
    level: int  # 2, 4 or 6 digits
    section: str  # Roman numeral, or n.e.s. for chapter 99
    description: str
    parent: str


@dataclass(frozen=True)
class ProductSelection:
    """What an indicator reads for a product or group: HS code prefixes and FAO items.

    ``hs_prefixes`` never overlap (a prefix covered by a shorter one is dropped), so a
    product row matches at most one of them and nothing is counted twice.
    """

    label: str
    name: str
    hs_prefixes: tuple[str, ...]
    fao_items: tuple[str, ...] = ()
    note: str = ""


def pad_hs(code: str | int) -> str:
    """An HS code with its leading zero restored: publishers that store codes as numbers
    drop it (BACI's 10111 is 010111, Live horses). Codes have an even number of digits.

    >>> pad_hs(10111), pad_hs("1001"), pad_hs(" 207 ")
    ('010111', '1001', '0207')
    """
    text = str(code).strip()
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"'{code}' is not an HS code; expected digits such as 1001 or 010111")
    return text.zfill(len(text) + len(text) % 2)


@cache
def hs_nomenclature() -> dict[str, HsCode]:
    """HS 2022 chapters, headings and subheadings by code (shipped ``hs2022.csv``)."""
    codes: dict[str, HsCode] = {}
    with open(DATA_DIR / "hs2022.csv", encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)  # by position: a dict per row costs as much as the rest
        column = {name: number for number, name in enumerate(next(rows))}
        at = [column[name] for name in ("hscode", "section", "description", "parent")]
        for row in rows:
            code, section, description, parent = (row[i].strip() for i in at)
            if not code.isdigit():
                continue  # the TOTAL line
            codes[code] = HsCode(
                code=code,
                level=len(code),
                section=UNSPECIFIED_SECTION if section == "TOTAL" else section,
                description=description,
                parent=parent,
            )
    return codes


@cache
def hs_sections() -> dict[str, str]:
    """Section numeral -> name, in the nomenclature's order (I .. XXI)."""
    with open(DATA_DIR / "hs_sections.csv", encoding="utf-8-sig", newline="") as f:
        sections = {row["section"].strip(): row["name"].strip() for row in csv.DictReader(f)}
    sections[UNSPECIFIED_SECTION] = "Commodities not specified according to kind"
    return sections


def chapter_sections() -> dict[str, str]:
    """Chapter (2 digits) -> section numeral. The chapters of every HS revision since 1992
    sit in the same sections, so this serves HS 1992 codes as well."""
    return {c.code: c.section for c in hs_nomenclature().values() if c.level == 2}


@cache
def baci_hs92_descriptions() -> dict[str, str]:
    """HS 1992 subheading descriptions from CEPII's product list, codes padded to 6 digits."""
    with open(DATA_DIR / "baci_product_codes_HS92_V202301.csv", encoding="utf-8", newline="") as f:
        return {pad_hs(row["code"]): row["description"].strip() for row in csv.DictReader(f)}


def _expand(token: str, path: Path, line: int) -> list[str]:
    """'01-24' -> ['01', '02', ..., '24']; '0207' -> ['0207']."""
    match = _RANGE.match(token)
    if match is None:
        try:
            return [pad_hs(token)]
        except ValueError:
            pass
    else:
        first, last = match.groups()
        if len(first) == len(last) and int(first) <= int(last):
            return [str(n).zfill(len(first)) for n in range(int(first), int(last) + 1)]
    raise UnknownProductError(
        f"{path.name}, line {line}: '{token}' is not an HS code or range; expected codes "
        "such as 1001 or 0207, or a range of codes of one length such as 01-24"
    )


def _without_overlaps(prefixes: list[str]) -> tuple[str, ...]:
    kept: list[str] = []
    for prefix in sorted(set(prefixes), key=lambda p: (len(p), p)):
        if not any(prefix.startswith(shorter) for shorter in kept):
            kept.append(prefix)
    return tuple(sorted(kept))


def group_key(name: str) -> str:
    """How group names are compared: 'Poultry meat' and 'poultry-meat' are poultry_meat."""
    return re.sub(r"[\s\-]+", "_", name.strip().casefold())


def read_groups(path: Path) -> dict[str, ProductSelection]:
    """Product groups from a CSV file with columns group, name, hs_codes, note.

    ``hs_codes`` lists HS codes and ranges separated by spaces ("1001 1003", "01-24").
    """
    groups: dict[str, ProductSelection] = {}
    with open(path, encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        missing = [c for c in _GROUP_COLUMNS[:3] if c not in (reader.fieldnames or [])]
        if missing:
            raise UnknownProductError(
                f"{path.name}: missing column(s) {', '.join(missing)}; expected a header "
                "group,name,hs_codes,note"
            )
        for line, row in enumerate(reader, start=2):
            key = group_key(row["group"] or "")
            if not key or key.startswith("#"):
                continue
            tokens = (row["hs_codes"] or "").split()
            if not tokens:
                raise UnknownProductError(
                    f"{path.name}, line {line}: group '{key}' lists no HS codes; expected codes "
                    "such as 1001 1003 or a range such as 01-24"
                )
            prefixes = [p for token in tokens for p in _expand(token, path, line)]
            groups[key] = ProductSelection(
                label=key,
                name=(row["name"] or key).strip(),
                hs_prefixes=_without_overlaps(prefixes),
                note=(row.get("note") or "").strip(),
            )
    return groups


@cache
def shipped_groups() -> dict[str, ProductSelection]:
    """The groups shipped in ``product_groups.csv`` (food, grain, wheat, sugar, cars, ...)."""
    return read_groups(DATA_DIR / "product_groups.csv")


def product_groups(user_file: Path | None = None) -> dict[str, ProductSelection]:
    """Shipped groups, then the user's: a user group of the same name replaces the shipped one."""
    groups = dict(shipped_groups())
    if user_file is not None:
        groups.update(read_groups(Path(user_file)))
    return {key: _with_fao_items(group) for key, group in groups.items()}


def _with_fao_items(selection: ProductSelection) -> ProductSelection:
    """Add the FAO items that lie wholly inside the selection: every HS code an item
    corresponds to starts with one of the selection's prefixes. An item broader than the
    selection (Wheat, all of 1001, when 100199 is asked) cannot be split: left out."""
    codes: dict[str, list[str]] = {}
    for mapping in fao_item_hs():
        codes.setdefault(mapping.item, []).append(mapping.hs_code)
    inside = {
        item
        for item, item_codes in codes.items()
        if all(any(c.startswith(p) for p in selection.hs_prefixes) for c in item_codes)
    }
    return ProductSelection(
        label=selection.label,
        name=selection.name,
        hs_prefixes=selection.hs_prefixes,
        fao_items=tuple(sorted(set(selection.fao_items) | inside)),
        note=selection.note,
    )


def fao_item(name: str) -> ProductSelection:
    """One FAO item by its exact name, mapped to HS or not ("Sugar raw centrifugal").

    Items that ``fao_item_hs.csv`` maps also match HS rows of their codes; others match
    FAO rows only.
    """
    return ProductSelection(
        label=name,
        name=f"{name} (FAO item)",
        hs_prefixes=hs_codes_for_fao_item(name),
        fao_items=(name,),
    )


def resolve_products(text: str, user_file: Path | None = None) -> ProductSelection:
    """A group name, an HS code or a FAO item name, as a :class:`ProductSelection`.

    >>> resolve_products("grain").hs_prefixes
    ('1001', '1003')
    >>> resolve_products("10.01").hs_prefixes
    ('1001',)
    """
    groups = product_groups(user_file)
    key = group_key(text)
    if key in groups:
        return groups[key]
    digits = re.sub(r"[\s.]", "", text)
    if digits.isascii() and digits.isdigit():
        code = pad_hs(digits)
        known = hs_nomenclature().get(code)
        return _with_fao_items(
            ProductSelection(
                label=code, name=known.description if known else f"HS {code}", hs_prefixes=(code,)
            )
        )
    items = {m.item.casefold(): m.item for m in fao_item_hs()}
    if text.strip().casefold() in items:
        return fao_item(items[text.strip().casefold()])
    raise UnknownProductError(
        f"Unknown product or group '{text}'. Use an HS code (1001, 0207), a group name "
        f"({', '.join(sorted(groups)[:8])}, ...; see product_groups.csv or pass your own "
        "file) or a FAO item name (Wheat; fao_item() takes any item by its exact name)."
    )
