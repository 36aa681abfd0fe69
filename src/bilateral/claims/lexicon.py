"""The words the claim parser knows: countries, products, hedges, measures, sources.

Vocabularies live as data in ``claims/data/*.tsv`` (one phrase per line, with a column
saying why), so that adding a synonym never means touching code. Countries come from the
shared reference index (``reference/countries.py``) plus demonyms and adjectives
("Kazakh", "Russian"); products map to HS 2022 codes, checked against the nomenclature
shipped in ``reference/data/hs2022.csv``, with the nomenclature itself as a fallback for
single words that name a heading ("Barley", "Fertilizers"). Small closed classes of words
the parser reads sentences with (verbs that make a country the subject, forecast words)
are in ``grammar.tsv``.

Every look-up is a dictionary look-up of a short run of tokens, so matching is linear in
the length of the text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Generic, TypeVar

from bilateral.claims.model import Product
from bilateral.claims.tokens import POSSESSIVE, WORD, Token, tokenize
from bilateral.reference.countries import CIS, EAEU, EU27, countries
from bilateral.reference.country_text import not_the_country
from bilateral.reference.products import hs_nomenclature, hs_sections

DATA_DIR = Path(__file__).parent / "data"

T = TypeVar("T")

# Aggregates a text may name as a partner; other aggregates ("Total", "Other Asia") are
# too easily read into ordinary words. Continents are partners in customs offices' tables
# (FCS prints Europe and Asia), except inside a region's name ("Central Asia").
_CONTINENTS = {"EUROPE", "ASIA", "AFRICA", "AMERICA"}
_NAMED_AGGREGATES = {EU27, EAEU, CIS} | _CONTINENTS
# Upper-case abbreviations accepted as country names; other three-letter capitals
# (GDP, FDI, CPC) are not countries even when they collide with a code.
_ABBREVIATIONS = {
    "USA": "USA",
    "US": "USA",
    "UK": "GBR",
    "UAE": "ARE",
    "EU": EU27,
    "EAEU": EAEU,
    "CIS": CIS,
    "PRC": "CHN",
}
_NAME_GLUE = {"of", "and", "the", "da", "de", "du", "del"}
_MAX_NAME_TOKENS = 6
# HS heading names that are also everyday words; they name a product only through the
# synonym lexicon (products.tsv), never through the nomenclature fallback.
_ORDINARY_WORDS = frozenset(
    [
        "arms",
        "balances",
        "bodies",
        "buildings",
        "coin",
        "colours",
        "containers",
        "felt",
        "lead",
        "matches",
        "mate",
        "metal",
        "metals",
        "oils",
        "stamps",
        "stone",
        "stones",
        "tools",
        "trunks",
        "circuits",
        "machinery",
        "machines",
    ]
)


class PhraseTable(Generic[T]):
    """Phrases of one or more words mapped to values; finds the longest phrase at a token."""

    def __init__(self, entries: dict[tuple[str, ...], T]) -> None:
        self._entries = entries
        self.longest = max((len(k) for k in entries), default=0)
        # phrases by their first word, longest first: one dictionary look-up per token
        self._last_words = {key[-1] for key in entries}
        self._by_first: dict[str, list[tuple[tuple[str, ...], T]]] = {}
        for key, value in sorted(entries.items(), key=lambda kv: -len(kv[0])):
            self._by_first.setdefault(key[0], []).append((key, value))

    def __contains__(self, phrase: str) -> bool:
        return tuple(t.low for t in tokenize(phrase)) in self._entries

    def get(self, phrase: str) -> T | None:
        return self._entries.get(tuple(t.low for t in tokenize(phrase)))

    def match_at(self, tokens: list[Token], index: int) -> tuple[int, T] | None:
        """The longest phrase starting at ``tokens[index]``: (number of tokens, value)."""
        candidates = self._by_first.get(tokens[index].low)
        if not candidates:
            return None
        for key, value in candidates:
            size = len(key)
            if index + size <= len(tokens) and all(
                tokens[index + i].low == key[i] for i in range(1, size)
            ):
                return size, value
        return None

    def match_ending_at(self, tokens: list[Token], end: int) -> tuple[int, T] | None:
        """The longest phrase whose last token is ``tokens[end - 1]``."""
        if end < 1 or tokens[end - 1].low not in self._last_words:
            return None
        for size in range(min(self.longest, end), 0, -1):
            key = tuple(t.low for t in tokens[end - size : end])
            if key in self._entries:
                return size, self._entries[key]
        return None

    def find_all(self, tokens: list[Token]) -> Iterator[tuple[int, int, T]]:
        """Non-overlapping matches, left to right, longest first: (start, end, value)."""
        index = 0
        while index < len(tokens):
            found = self.match_at(tokens, index)
            if found is None:
                index += 1
                continue
            size, value = found
            yield index, index + size, value
            index += size


def _read_tsv(name: str) -> Iterator[list[str]]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            yield line.rstrip("\n").split("\t")


def _table(name: str, convert: Callable[[list[str]], T]) -> PhraseTable[T]:
    entries: dict[tuple[str, ...], T] = {}
    for row in _read_tsv(name):
        key = tuple(t.low for t in tokenize(row[0]))
        entries.setdefault(key, convert(row))
    return PhraseTable(entries)


@dataclass(frozen=True)
class Uncheckable:
    """A kind of figure that trade statistics cannot check, and the data that could."""

    kind: str
    would_check: str


@dataclass(frozen=True)
class Mention:
    """A country named in a sentence: tokens [start, end) and how it was named."""

    code: str
    start: int
    end: int
    how: str  # name | adjective | subject


def _product(label: str, spec: str) -> Product:
    """A product from its codes ('01-24'), or from a shipped list ('list:eu-cn8': the EU's
    export-sanctioned CN8 codes) for words such as 'sanctioned goods'."""
    if spec.startswith("list:"):
        return Product(label, _listed_cn8(spec.removeprefix("list:")), "CN8")
    return Product(label, expand_codes(spec))


@cache
def _listed_cn8(name: str) -> tuple[str, ...]:
    """The CN8 codes of a shipped list, read once however many phrases name it."""
    from bilateral.reference.lists import load_list

    entries = load_list(name).entries
    return tuple(sorted({e.code for e in entries if e.classification == "CN8"}))


def expand_codes(spec: str) -> tuple[str, ...]:
    """'01-24' -> ('01', ..., '24'); '1001 1003' -> ('1001', '1003')."""
    codes: list[str] = []
    for part in spec.split():
        if "-" in part:
            first, last = part.split("-")
            width = len(first)
            codes.extend(str(n).zfill(width) for n in range(int(first), int(last) + 1))
        else:
            codes.append(part)
    return tuple(codes)


@cache
def hs_descriptions() -> dict[str, str]:
    """HS 2022 code -> description, for chapters, headings and subheadings."""
    return {code: hs.description for code, hs in hs_nomenclature().items()}


@cache
def hs_chapter_sections() -> dict[str, str]:
    """HS 2022 chapter ('01'..'99') -> its section numeral ('I'..'XXI', 'n.e.s.')."""
    return {code: hs.section for code, hs in hs_nomenclature().items() if hs.level == 2}


def hs_section_names() -> dict[str, str]:
    """HS section numeral -> its name ('V' -> 'Mineral products')."""
    return hs_sections()


@cache
def _hs_heading_names() -> dict[str, str]:
    """Single words that are a whole HS heading or chapter name: 'barley' -> '1003'."""
    names: dict[str, str] = {}
    for code, description in hs_descriptions().items():
        if len(code) not in (2, 4):
            continue
        head = description.split(";")[0].strip().casefold()
        if head.isalpha() and len(head) >= 3 and head not in _ORDINARY_WORDS:
            names.setdefault(head, code)
    return names


def _joins_name(tokens: list[Token], index: int) -> bool:
    """A possessive or hyphen inside a name: "People's Republic of China", "Guinea-Bissau"."""
    token, following = tokens[index], tokens[index + 1] if index + 1 < len(tokens) else None
    if following is None or not following.is_capitalised:
        return False
    if token.start != tokens[index - 1].end:
        return False
    return token.kind == POSSESSIVE or (token.text == "-" and following.start == token.end)


class Lexicon:
    """All vocabularies, loaded once (see :func:`lexicon`)."""

    def __init__(self) -> None:
        self.products: PhraseTable[Product] = _table(
            "products.tsv", lambda r: _product(r[2], r[1])
        )
        self.hedges: PhraseTable[str] = _table("hedges.tsv", lambda r: r[1])
        self.cues: PhraseTable[str] = _table("indicator_words.tsv", lambda r: r[1])
        self.uncheckable: PhraseTable[Uncheckable] = _table(
            "uncheckable.tsv", lambda r: Uncheckable(r[1], r[2])
        )
        self.sources: PhraseTable[str] = _table("sources.tsv", lambda r: r[1])
        self.fractions: PhraseTable[float] = _table("fractions.tsv", lambda r: float(r[1]))
        self.demonyms: PhraseTable[str] = _table("demonyms.tsv", lambda r: r[1])
        self.officials: PhraseTable[str] = _table("officials.tsv", lambda r: r[1])
        self.subject_words: PhraseTable[bool] = _table("subject_words.tsv", lambda r: True)
        self.epithets: PhraseTable[frozenset[str]] = _table(
            "epithets.tsv", lambda r: frozenset(r[1].split())
        )
        self._country_cache: dict[str, str | None] = {}

    # -- countries -------------------------------------------------------------------
    def country_code(self, phrase: str) -> str | None:
        """The code a country name stands for, or None (aggregates only when named)."""
        if phrase in self._country_cache:
            return self._country_cache[phrase]
        code: str | None = None
        if phrase.isupper() and len(phrase) <= 4:
            code = _ABBREVIATIONS.get(phrase)
        elif phrase.isalpha() and len(phrase) <= 3:
            code = None  # 'Can', 'Are', 'Per' are words, not Canada, UAE or Peru
        else:
            found = countries().find(phrase)
            if found is not None and (not found.is_aggregate or found.code in _NAMED_AGGREGATES):
                code = found.code
        self._country_cache[phrase] = code
        return code

    def countries_in(self, text: str, tokens: list[Token]) -> list[Mention]:
        """Countries named in a sentence, by name or adjective, longest name first."""
        mentions: list[Mention] = []
        index = 0
        while index < len(tokens):
            found = self._country_at(text, tokens, index)
            if found is not None:
                mentions.append(found)
                index = found.end
                continue
            index += 1
        return mentions

    def _country_at(self, text: str, tokens: list[Token], index: int) -> Mention | None:
        found = self._name_at(text, tokens, index)
        if (
            found is not None
            and found.code in _CONTINENTS
            and index > 0
            and tokens[index - 1].low in word_class("region_word")  # "Central Asia"
        ):
            return None
        return found

    def _name_at(self, text: str, tokens: list[Token], index: int) -> Mention | None:
        token = tokens[index]
        starts_name = token.is_capitalised or (
            token.low == "the" and index + 1 < len(tokens) and tokens[index + 1].is_capitalised
        )
        if not starts_name:
            return None
        last = index
        while (
            last + 1 < len(tokens)
            and last + 1 - index < _MAX_NAME_TOKENS
            and (
                (
                    tokens[last + 1].kind == WORD
                    and (tokens[last + 1].is_capitalised or tokens[last + 1].low in _NAME_GLUE)
                )
                or _joins_name(tokens, last + 1)
            )
        ):
            last += 1
        for end in range(last + 1, index, -1):
            if tokens[end - 1].kind != WORD or tokens[end - 1].low in _NAME_GLUE:
                continue
            phrase = text[token.start : tokens[end - 1].end]
            code = self.country_code(phrase)
            if code is not None and not not_the_country(
                code, text, token.start, tokens[end - 1].end
            ):
                demonym = self.demonyms.match_at(tokens, index)
                how = "adjective" if demonym is not None and demonym[0] == end - index else "name"
                return Mention(code, index, end, how)
        demonym = self.demonyms.match_at(tokens, index)
        if demonym is not None and token.is_capitalised:
            size, code = demonym
            return Mention(code, index, index + size, "adjective")
        return None

    # -- products --------------------------------------------------------------------
    def products_in(self, tokens: list[Token]) -> list[tuple[int, int, Product]]:
        """Products named in a run of tokens: the synonym lexicon, then HS heading names."""
        found: list[tuple[int, int, Product]] = []
        index = 0
        while index < len(tokens):
            match = self.products.match_at(tokens, index)
            if match is not None:
                size, product = match
                found.append((index, index + size, product))
                index += size
                continue
            token = tokens[index]
            code = _hs_heading_names().get(token.low) if token.kind == WORD else None
            if code is not None:
                found.append((index, index + 1, Product(token.low, (code,))))
            index += 1
        return found


@cache
def word_class(name: str) -> frozenset[str]:
    """The words of one class in ``grammar.tsv`` ('subject_verb', 'forecast', ...)."""
    words = frozenset(row[0].casefold() for row in _read_tsv("grammar.tsv") if row[1] == name)
    if not words:
        raise ValueError(f"grammar.tsv has no words of class '{name}'")
    return words


@cache
def lexicon() -> Lexicon:
    """The shipped vocabularies (loaded once per process)."""
    return Lexicon()
