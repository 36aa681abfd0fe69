"""What a claim is, once read from a text, and what checking it produces.

The parser fills :class:`Claim`; the verifier turns it into a :class:`CheckedClaim` with a
verdict, the evidence per source and an explanation. Both stay plain data so that the
renderers (terminal, markdown, JSON) need nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bilateral.claims.periods import Months

# Verdicts, in the order a reader would rather see them for a claim.
SUPPORTED = "supported"
CLOSE = "close"
CONTRADICTED = "contradicted"
NOT_CHECKABLE = "not checkable"
NO_DATA = "no data"
VERDICTS = (SUPPORTED, CLOSE, CONTRADICTED, NOT_CHECKABLE, NO_DATA)


def verdict_token(verdict: str) -> str:
    """The verdict as the JSON states it: ``not_checkable``, ``no_data`` (the words with
    spaces are for tables and pages)."""
    return verdict.replace(" ", "_")


# Measures a trade claim can state; the indicator name combines measure and flow.
LEVEL = "level"  # turnover reached $27 bn
GROWTH = "growth"  # turnover grew by 10%
CHANGE = "change"  # exports fell by EUR 12 billion, up $2.3 billion on the year
SHARE = "share"  # Russia accounts for 20% of Kazakhstan's trade; 98% of wheat comes from Russia
RANK = "rank"  # Russia is the largest partner in imports
COMPARISON = "comparison"  # Russia is only slightly inferior to China
PRODUCT_RANK = "product_rank"  # food occupies first place in imports from Russia
RECORD = "record"  # exports rose to an all-time high: the year first among the years held
UNCHECKABLE = "uncheckable"  # direct investment, companies, projects ...

FLOWS = ("turnover", "exports", "imports")


@dataclass(frozen=True)
class Product:
    """A product or a group of products, as HS 2022 code prefixes (chapters, headings, ...)."""

    label: str
    codes: tuple[str, ...]
    classification: str = "HS"  # "CN8": the EU's eight-digit codes of a list of goods

    def describe(self) -> str:
        """``wheat (HS 1001)``, ``food (HS 01-24)``: the label and the codes it stands for."""
        if self.classification != "HS":
            return f"{self.label} ({len(self.codes):,} {self.classification} codes)"
        return f"{self.label} (HS {compact_codes(self.codes)})"


def compact_codes(codes: tuple[str, ...]) -> str:
    """Print runs of three or more consecutive codes of one length as ranges.

    >>> compact_codes(("72", "73", "74", "75", "76", "78", "79", "80"))
    '72-76 78-80'
    >>> compact_codes(("1001", "1003"))
    '1001 1003'
    """
    parts: list[str] = []
    run: list[str] = []

    def close() -> None:
        if len(run) >= 3:
            parts.append(f"{run[0]}-{run[-1]}")
        else:
            parts.extend(run)
        run.clear()

    for code in codes:
        previous = run[-1] if run else ""
        numbers = all(c.isascii() and c.isdigit() for c in (code, previous))
        follows = numbers and len(code) == len(previous) and int(code) == int(previous) + 1
        if not follows:
            close()
        run.append(code)
    close()
    return " ".join(parts)


@dataclass(frozen=True)
class Stated:
    """The figure as the text states it.

    ``value`` is in the unit's base (USD, not billions; percent as 19.9); ``high`` is the
    upper end of a range ("80-90%"), else None. ``step`` is one unit of the last digit
    written ("27 billion" -> 1e9, "19.9%" -> 0.1): the rounding a reader allows.
    ``hedge`` is one of the names in :mod:`bilateral.claims.hedges`.
    """

    value: float | None
    unit: str  # USD, %, rank, count, or the noun counted ("projects")
    hedge: str = "exact"
    high: float | None = None
    step: float = 1.0
    text: str = ""  # the words as written: "more than 10%"

    def as_json(self) -> dict[str, Any]:
        value: Any = self.value
        if self.high is not None:
            value = [self.value, self.high]
        return {"value": value, "unit": self.unit, "hedge": self.hedge, "text": self.text}


@dataclass(frozen=True)
class Claim:
    """One quantitative statement about an economic relationship.

    ``reporter`` is the country whose trade is measured, ``partner`` the other side
    (ISO alpha-3, or WLD for the reporter's trade with the world). ``year`` is the first
    year to check; ``candidate_years`` lists every year the text may mean when the year
    was inferred, and ``year_basis`` says how it was found.
    """

    text: str  # the sentence the claim comes from
    sentence: int  # 0-based index of that sentence in the document
    measure: str
    flow: str | None
    reporter: str | None
    partner: str | None
    stated: Stated
    product: Product | None = None
    other: str | None = None  # the partner compared with, for comparisons
    also_compared: tuple[str, ...] = ()  # further partners listed after it: "behind
    # Kazakhstan, Azerbaijan and Kyrgyzstan" holds against each
    year: int | None = None
    candidate_years: tuple[int, ...] = ()
    year_basis: str = ""
    base_year: int | None = None  # growth "since 2019" / "compared with 2021"
    base_span: int | None = None  # growth "over five years": years before the claim's year
    per_year: bool = False  # "an average annual rate of 18.6% in 2010-2020": the compound
    # rate a year from base_year to year, not the growth over the whole span
    source_hint: str | None = None  # a source the text cites for this figure
    kind: str | None = None  # for uncheckable claims: what the figure is about
    would_check: str | None = None  # for uncheckable claims: the data that would check it
    months: Months | None = None  # part of the year the figure covers, if not all of it
    among: str | None = None  # a rank among a group's members: "third in the EU" (EU27)
    other_reading: str | None = None  # another partner the words may mean ("exports rose":
    # to the text's partner, or to the world); both readings are judged
    owned: bool = False  # the words say whose trade it is ("Kazakhstan's trade with China")
    counted: bool = False  # a growth of a count of goods ("1,435 cars ... 2.3 times more")
    goes_on: bool = False  # "it tripled": the trade of the claim before it in the sentence
    unplaced: str | None = None  # words of the clause the reading leaves out ("for plastics",
    # "other countries", "Central Asia"): the figure may be about them, so it is not refuted

    @property
    def indicator(self) -> str:
        """The indicator's name, in the vocabulary of ``bilateral profile``."""
        if self.measure == UNCHECKABLE:
            kind = (self.kind or "other").replace(" ", "_")
            unit = self.stated.unit
            first_word = unit.split()[0] if unit else ""
            suffix = {"%": "_share", "years": "_years", "year": "_years"}.get(first_word, "_count")
            if len(unit) == 3 and unit.isupper():  # a currency code
                suffix = "_value"
            return kind + suffix
        flow = self.flow or "turnover"
        return {
            LEVEL: flow,
            GROWTH: f"{flow}_growth",
            CHANGE: f"{flow}_change",
            SHARE: f"partner_share_{flow}",
            RANK: f"partner_rank_{flow}",
            COMPARISON: f"partner_comparison_{flow}",
            PRODUCT_RANK: f"product_rank_{flow}",
            RECORD: f"{flow}_record",
        }[self.measure]


@dataclass(frozen=True)
class EvidenceRow:
    """One number from one source that bears on a claim (value in the claim's unit)."""

    source: str
    reported_by: str
    year: int
    value: float | None

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "reported_by": self.reported_by,
            "year": self.year,
            "value": self.value,
        }


@dataclass(frozen=True)
class CheckedClaim:
    """A claim with its verdict, the evidence per source and year, and why."""

    claim: Claim
    verdict: str
    year: int | None
    evidence: tuple[EvidenceRow, ...] = ()
    explanation: str = ""

    def as_json(self) -> dict[str, Any]:
        claim = self.claim
        return {
            "text": claim.text,
            "indicator": claim.indicator,
            "reporter": claim.reporter,
            "partner": claim.partner,
            "product": claim.product.describe() if claim.product else None,
            "year": self.year,
            "year_basis": claim.year_basis,
            "period": claim.months.label(self.year) if claim.months else self.year,
            "stated": claim.stated.as_json(),
            "verdict": verdict_token(self.verdict),
            "evidence": [row.as_json() for row in self.evidence],
            "explanation": self.explanation,
        }


@dataclass
class Skipped:
    """A sentence with numbers that holds no claim about the relationship, and why."""

    sentence: int
    text: str
    reason: str


@dataclass
class ParsedText:
    """Everything the parser read from one text."""

    claims: list[Claim] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    subject: str | None = None
    partner: str | None = None
    date: str | None = None  # ISO date (or year-month) the text is dated, if found
    date_basis: str = ""
    notes: list[str] = field(default_factory=list)  # about the text as a whole
