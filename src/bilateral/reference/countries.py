"""Countries and aggregates: codes (ISO alpha-3, ISO numeric, BACI), names and aliases.

Publishers name partners in their own way ("Россия", "Russian Federation (Russia)",
BACI's 842 for the USA with Puerto Rico). Everything resolves here to one code: ISO 3166
alpha-3 for countries, and codes of our own (WLD, CIS, EAEU, EU27, ...) for aggregates,
which are kept distinct so that a partner total never passes for a country.

Names are looked up exactly first (after :func:`normalise_name`): the ISO/UN/CLDR names,
our Russian names and publishers' aliases, then the short and official names of the
``country_converter`` package ("Kyrgyz Republic", "DR Congo", "Macau"). For names people
type (the CLI, the API, :func:`find_country`), a name none of these knows is matched
against that package's regular expressions ("Korea, Rep.", "PRC", "the US"), and taken
only when exactly one country's expression matches it.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path

from bilateral.errors import UnknownCountryError
from bilateral.reference import DATA_DIR

#: Codes of our own for the aggregates the code names (data/aggregates.tsv lists them all).
WORLD = "WLD"
EU27 = "EU27"
CIS = "CIS"
EAEU = "EAEU"
NON_CIS = "NON_CIS"  # Russia's FCS: the world but the CIS
EXTRA_EU27 = "EXTRA_EU27"  # Comext: the world but the EU27 members


@dataclass(frozen=True)
class Country:
    """A country or an aggregate of countries, as bilateral names it."""

    code: str  # ISO alpha-3, or an aggregate code such as WLD or EU27
    name_en: str
    name_ru: str = ""
    iso_numeric: int | None = None
    baci_code: int | None = None
    is_aggregate: bool = False
    members: tuple[str, ...] = field(default=())
    #: 'country'; for aggregates (``aggregates.tsv``, column ``kind``): 'total' (the
    #: world), 'group' (countries also listed one by one: CIS, EU27, continents) or
    #: 'unspecified' (a partner row that is not one country and is listed apart from the
    #: countries: "Unknown country", high seas, Channel Islands). Unspecified partners
    #: belong in a reporter's world total and are never ranked.
    kind: str = "country"
    #: For an unspecified partner inside an aggregate ("EU countries not specified",
    #: intra-EU "countries not specified"): that aggregate's code, else "".
    within: str = ""


# Latin letters that look like Cyrillic ones: publishers' Russian tables mix them
# ("Китaй" with a Latin a in the FCS workbook).
_LATIN_LOOKALIKES = str.maketrans("aceopxyABCEHKMOPTXy", "асеорхуАВСЕНКМОРТХу")
_CYRILLIC = re.compile("[\u0400-\u04ff]")


def normalise_name(text: str) -> str:
    """Fold a country name to the form used for look-ups.

    Case, accents, "ё", the UN's "(the)" (and its French "(la)", "(le)", "(les)", "(l')"),
    punctuation and spacing do not matter; Latin look-alike letters inside a Cyrillic name
    are read as Cyrillic.
    """
    text = unicodedata.normalize("NFKC", text).strip().replace("\u2019", "'")
    if _CYRILLIC.search(text):
        text = text.translate(_LATIN_LOOKALIKES)
    text = text.replace("ё", "е").replace("Ё", "Е").replace("’", "'").casefold()
    text = re.sub(r"\((?:the|la|le|les|l')\)", "", text)
    text = "".join(
        ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch)
    )
    text = re.sub(r"[\s\u00a0]+", " ", text)
    text = re.sub(r"\s*([,.()'-])\s*", r"\1", text)
    return text.strip(" ,.")


@dataclass(frozen=True)
class ConverterName:
    """One row of country_converter's ``country_data.tsv``: names, regex, ISO3."""

    short: str
    official: str
    regex: str
    iso3: str


def _converter_table() -> Path | None:
    # find_spec locates the package without importing it: country_converter's __init__
    # imports pandas, which a cold CLI start cannot afford (importlib.resources.files
    # would import it; importlib.metadata.files scans every installed distribution).
    spec = importlib.util.find_spec("country_converter")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / "country_data.tsv"
        if path.is_file():
            return path
    return None


@cache
def converter_names() -> tuple[ConverterName, ...]:
    """The rows of country_converter's country_data.tsv (read once; empty if not installed)."""
    path = _converter_table()
    if path is None:
        return ()
    with open(path, encoding="utf-8", newline="") as f:
        return tuple(
            ConverterName(row["name_short"], row["name_official"], row["regex"], row["ISO3"])
            for row in csv.DictReader(f, delimiter="\t")
            if row["ISO3"].strip()
        )


@cache
def _converter_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    """country_converter's regular expressions, compiled once: (pattern, ISO3)."""
    return tuple(
        (re.compile(row.regex, re.IGNORECASE), row.iso3) for row in converter_names() if row.regex
    )


# The longest name in country_data.tsv has 52 characters; its expressions are not for prose.
_MAX_PATTERN_NAME = 100


@lru_cache(maxsize=4096)  # bounded: names typed into a long-running server
def _pattern_match(raw: str) -> frozenset[str]:
    """ISO3 codes whose country_converter expression matches the name ``raw``.

    As country_converter does, with re.search ignoring case; a leading "the" is dropped
    when the name as typed matches nothing ("the US" against ``^u\\.?s\\.?$``).
    """
    if len(raw) > _MAX_PATTERN_NAME:
        return frozenset()  # no country's name is that long; the expressions are O(n²)
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw)).replace("\u2019", "'")
    bare = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    for candidate in dict.fromkeys((text, bare)):
        codes = frozenset(
            iso3 for pattern, iso3 in _converter_patterns() if pattern.search(candidate)
        )
        if codes:
            return codes
    return frozenset()


class CountryIndex:
    """Look-up of countries and aggregates by code, number or any known name."""

    def __init__(self, countries: list[Country], aliases: dict[str, str]) -> None:
        self.by_code: dict[str, Country] = {c.code: c for c in countries}
        self.by_iso_numeric: dict[int, Country] = {
            c.iso_numeric: c for c in countries if c.iso_numeric is not None
        }
        self.by_baci_code: dict[int, Country] = {
            c.baci_code: c for c in countries if c.baci_code is not None
        }
        self._by_name: dict[str, str] = {}
        for alias, code in aliases.items():
            self._by_name.setdefault(normalise_name(alias), code)

    def __iter__(self) -> Iterator[Country]:
        return iter(self.by_code.values())

    def find(self, text: str | int, *, patterns: bool = False) -> Country | None:
        """The country or aggregate that ``text`` names, or None.

        Codes and exact names only, unless ``patterns``: then a name nothing knows exactly
        goes through country_converter's regular expressions. Those are for a whole name
        that a person typed (``resolve``, :func:`find_country`); publishers' tables stay
        exact, where a new label is an error to look at rather than a guess ("Sudan (incl.
        South Sudan 'SS' -> 2012)" matches South Sudan's expression), and so do text
        scanners trying runs of words ("Kazakhstan Ministry" is not a country's name).
        """
        if isinstance(text, int):
            return self.by_iso_numeric.get(text)
        raw = text.strip()
        if not raw:
            return None
        if raw.upper() in self.by_code and (raw.isupper() or len(raw) == 3):
            return self.by_code[raw.upper()]
        if raw.isascii() and raw.isdigit():  # not '³': a digit to isdigit(), not to int()
            return self.by_iso_numeric.get(int(raw))
        name = normalise_name(raw)
        code = self._by_name.get(name)
        if code is None and patterns:
            if name.startswith("the "):  # "the Macau", "the United States"
                code = self._by_name.get(name[4:])
            if code is None:
                code = self._match_pattern(raw)
        return self.by_code.get(code) if code else None

    def _match_pattern(self, raw: str) -> str | None:
        """The one known country whose country_converter expression matches ``raw``."""
        codes = _pattern_match(raw)
        # two countries' expressions ("Kazakhstan and Russia"), or a country we do not
        # list (the USSR), leave the name unknown
        if len(codes) == 1 and next(iter(codes)) in self.by_code:
            return next(iter(codes))
        return None

    def resolve(self, text: str | int) -> Country:
        """Like :meth:`find` with ``patterns``; an unknown name is an error saying what works."""
        found = self.find(text, patterns=True)
        if found is None:
            raise UnknownCountryError(
                f"Unknown country or aggregate '{text}'. Use an ISO alpha-3 code (KAZ), an "
                "ISO numeric code (398), or an English or Russian name (Kazakhstan, Казахстан)."
            )
        return found

    def from_baci(self, code: int) -> Country | None:
        """BACI's numeric code (842 is the USA, 251 France, 699 India, 490 'Other Asia')."""
        return self.by_baci_code.get(code)

    def members(self, code: str) -> tuple[str, ...]:
        """ISO3 codes of an aggregate's members (empty when not defined or not an aggregate)."""
        country = self.by_code.get(code)
        return country.members if country else ()


def _read_iso() -> tuple[list[dict[str, str]], dict[int, str]]:
    with open(DATA_DIR / "country-codes.csv", encoding="utf-8-sig", newline="") as f:
        rows = [row for row in csv.DictReader(f) if row["ISO3166-1-Alpha-3"].strip()]
    baci: dict[int, str] = {}
    with open(DATA_DIR / "baci_country_codes_V202301.csv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            iso3 = row["iso_3digit_alpha"].strip()
            if iso3 and iso3 != "N/A":
                baci[int(row["country_code"])] = iso3
    return rows, baci


@cache
def countries() -> CountryIndex:
    """The shipped country index (built once per process)."""
    iso_rows, baci_to_iso = _read_iso()
    iso_to_baci: dict[str, int] = {}
    for baci_code, iso3 in baci_to_iso.items():
        # Several BACI codes can point at one ISO3 (historic ones); keep the current, larger.
        iso_to_baci[iso3] = max(baci_code, iso_to_baci.get(iso3, 0))

    records: list[Country] = []
    aliases: dict[str, str] = {}
    for row in iso_rows:
        code = row["ISO3166-1-Alpha-3"].strip()
        name_en = row["CLDR display name"] or row["official_name_en"] or code
        if name_en.isupper():  # CLDR abbreviates a few ("US"); the full name reads better
            name_en = row["official_name_en"] or name_en
        name_ru = row["UNTERM Russian Short"] or row["official_name_ru"]
        numeric = row["ISO3166-1-numeric"].strip()
        records.append(
            Country(
                code=code,
                name_en=name_en,
                name_ru=name_ru,
                iso_numeric=int(numeric) if numeric.isdigit() else None,
                baci_code=iso_to_baci.get(code),
            )
        )
        for column in (
            "CLDR display name",
            "official_name_en",
            "UNTERM English Short",
            "UNTERM English Formal",
            "UNTERM Russian Short",
            "UNTERM Russian Formal",
            "official_name_ru",
            "UNTERM French Short",  # Eurostat publishes some downloads in French
            "official_name_fr",
            "UNTERM French Formal",
        ):
            if row[column].strip():
                aliases.setdefault(row[column], code)
    with open(DATA_DIR / "territories.tsv", encoding="utf-8", newline="") as f:
        # Places publishers report that ISO 3166-1 does not list (Kosovo, Ceuta, ...).
        lines = (line for line in f if not line.startswith("#"))
        for row in csv.DictReader(lines, delimiter="\t"):
            records.append(Country(row["code"], row["name_en"], row["name_ru"]))
            for name in [row["name_en"], row["name_ru"], *row["aliases"].split("|")]:
                if name:
                    aliases[name] = row["code"]
    with open(DATA_DIR / "aggregates.tsv", encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            names_ru = [n for n in row["names_ru"].split("|") if n]
            kind, _, within = row["kind"].partition(":")
            records.append(
                Country(
                    code=row["code"],
                    name_en=row["name_en"],
                    name_ru=names_ru[0] if names_ru else "",
                    is_aggregate=True,
                    members=tuple(row["members"].split()),
                    kind=kind,
                    within=within,
                )
            )
            for name in [row["name_en"], *names_ru, *row["aliases"].split("|")]:
                if name:
                    aliases[name] = row["code"]
    with open(DATA_DIR / "country_aliases.tsv", encoding="utf-8", newline="") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            alias, code = line.rstrip("\n").split("\t")[:2]
            aliases[alias] = code
    # BACI's own codes that differ from ISO numeric (e.g. 842 USA, 251 France, 490 Other Asia).
    by_code = {c.code: c for c in records}
    by_code["S19"] = Country(
        code="S19",
        name_en="Other Asia, not elsewhere specified",
        name_ru="Прочая Азия",
        baci_code=490,
        is_aggregate=True,
        kind="unspecified",
    )
    for baci_code, iso3 in baci_to_iso.items():
        country = by_code.get(iso3)
        if country is not None and country.baci_code is None:
            by_code[iso3] = Country(**{**country.__dict__, "baci_code": baci_code})
    for code, country in by_code.items():
        aliases.setdefault(country.name_en, code)
    # country_converter's short and official names, after all of ours: ours win a clash
    # ("Channel Islands" is our aggregate of Guernsey and Jersey, its CHI a code we do not
    # use); rows for codes we do not list (SUN, EAT, EAZ, BA1) are left out.
    for entry in converter_names():
        if entry.iso3 in by_code:
            for name in (entry.short, entry.official):
                if name.strip():
                    aliases.setdefault(name, entry.iso3)
    index = CountryIndex(list(by_code.values()), aliases)
    for baci_code, iso3 in baci_to_iso.items():
        if iso3 in index.by_code:
            index.by_baci_code.setdefault(baci_code, index.by_code[iso3])
    index.by_baci_code[490] = index.by_code["S19"]
    return index


def find_country(name: str) -> str | None:
    """The ISO alpha-3 code (or our aggregate code) ``name`` stands for, or None.

    The one look-up behind the CLI's country arguments and the claim checker: codes
    ("KAZ", "398"), English, Russian and French names, publishers' aliases, and
    country_converter's names and regular expressions ("Kyrgyz Republic", "PRC", "the US").
    """
    found = countries().find(name, patterns=True)
    return found.code if found is not None else None
