"""A text as the claim parser sees it: decoded, dated, split into sentences, with its subject.

Bytes become text only when they are text (UTF-8, no NUL bytes, few control characters);
anything else is an error that says so. The date comes from the text's first lines
("On November 9, 2023, ..."), and the pair of countries the text is about from how often
each is named: the most named country is the subject ("the republic" stands for it),
the next most named, counting adjectives ("Russian"), its partner.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bilateral.claims.lexicon import Mention, lexicon
from bilateral.claims.tokens import POSSESSIVE, Token, tokenize
from bilateral.errors import BilateralError
from bilateral.reference.countries import CIS, EAEU, WORLD, countries

MAX_BYTES = 20 * 1024 * 1024
_DATE_WINDOW = 600  # characters at the top of a text searched for its date

_MONTH_WORDS = [  # the month's number is its place; the full English name comes first
    "january jan январь января",
    "february feb февраль февраля",
    "march mar март марта",
    "april apr апрель апреля",
    "may май мая",
    "june jun июнь июня",
    "july jul июль июля",
    "august aug август августа",
    "september sep sept сентябрь сентября",
    "october oct октябрь октября",
    "november nov ноябрь ноября",
    "december dec декабрь декабря",
]
MONTH_NUMBERS = {
    name: number for number, names in enumerate(_MONTH_WORDS, start=1) for name in names.split()
}
#: English month names and their abbreviations ("sept", "dec").
ENGLISH_MONTHS = frozenset(name for name in MONTH_NUMBERS if name.isascii())
_MONTH_ABBREVIATIONS = frozenset(
    word for names in _MONTH_WORDS for word in names.split()[1:] if word.isascii()
)
_MONTH = r"(?P<month>[^\W\d_]{3,9})\.?"
_DATE_PATTERNS = (
    re.compile(_MONTH + r"\s(?P<day>\d{1,2}),?\s(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<day>\d{1,2})\s" + _MONTH + r",?\s(?P<year>(?:19|20)\d\d)\b"),
    re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<mnum>\d\d)-(?P<day>\d\d)\b"),
    re.compile(r"\b(?P<day>\d\d)\.(?P<mnum>\d\d)\.(?P<year>(?:19|20)\d\d)\b"),
    re.compile(_MONTH + r"\s(?P<year>(?:19|20)\d\d)\b"),
)
_ABBREVIATIONS = (
    frozenset(
        [
            "mr",
            "mrs",
            "ms",
            "dr",
            "st",
            "no",
            "nos",
            "u.s",
            "e.g",
            "i.e",
            "vs",
            "approx",
            "inc",
            "ltd",
            "co",
            "corp",
            "gen",
            "prof",
        ]
    )
    | _MONTH_ABBREVIATIONS
)
_NEXT_CHARACTER = re.compile(r"\s*(\S)")
# A header of "Key: value" lines at the top (news feeds, saved pages): "Date:" dates the
# text, and no header line holds a claim (the digits of an address are not figures).
_HEADER_LINE = re.compile(
    r"^\s*(?P<key>source|date|title|url|link|author|published|updated|headline)\s*:\s*"
    r"(?P<value>.*)$",
    re.IGNORECASE,
)
_HEADER_DATE = re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)(?:-(?P<day>\d\d))?\b")
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’»)]*(?=\s)")


class TextInputError(BilateralError):
    """The input is not a text the claim checker can read."""


@dataclass(frozen=True)
class TextDate:
    """When a text is dated: year, month (None if only a year-month was found), and how."""

    year: int
    month: int | None
    day: int | None
    basis: str

    def iso(self) -> str:
        if self.month is None:
            return str(self.year)
        if self.day is None:
            return f"{self.year}-{self.month:02d}"
        return f"{self.year}-{self.month:02d}-{self.day:02d}"


@dataclass
class Sentence:
    """One sentence: its text, paragraph, tokens and the countries it names."""

    index: int
    paragraph: int
    text: str
    tokens: list[Token] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    source: str | None = None  # the source it cites (claims.data.sources.tsv, "stats:CHN")


@dataclass
class Document:
    """A decoded text, split into sentences, with its date and its pair of countries."""

    name: str
    text: str
    sentences: list[Sentence]
    date: TextDate | None
    subject: str | None
    partner: str | None
    months: Any = None  # the last part of a year the text named (claims.periods.Months)
    months_paragraph: int | None = None  # the paragraph that named it
    lead_months: Any = None  # the part of a year the lead (the first sentence with a
    # figure or a period) names: the period of a news report unless a sentence states its own
    lead_read: bool = False  # whether the lead has been read
    years_in_text: list[int] = field(default_factory=list)  # every year the text states
    undated_period: Any = None  # (Months, year): the one part of a year an undated text names
    products: list[Any] = field(default_factory=list)  # products of the claims so far
    quoted_paragraphs: set[int] = field(default_factory=set)  # paragraphs that quote someone
    paragraph_months: dict[int, Any] = field(default_factory=dict)  # with the stated year
    group: str | None = None  # partners the last sentence naming several gave: "ARE+HKG+RUS"
    last_claims: list[Any] = field(default_factory=list)  # the previous sentence's claims
    flows: dict[int, str] = field(default_factory=dict)  # paragraph: the last flow named
    reporters: dict[int, str] = field(default_factory=dict)  # paragraph: the last reporter
    cited: dict[int, str] = field(default_factory=dict)  # paragraph: the source it cites
    cited_statistics: str | None = None  # "stats:KGZ": the text cites a country's statistics
    speaker: str | None = None  # the country whose official the text quotes first
    last_growth: Any = None  # (sentence index, Claim): the growth a list goes on from
    last_trade: Any = None  # (sentence index, Claim): the level or growth "it" refers to
    last_products: list[Any] = field(default_factory=list)  # goods the sentence before named
    years_stated: list[int] = field(default_factory=list)  # years stated so far, in order


def decode(data: bytes, name: str = "<stdin>") -> str:
    """The text in ``data``; a clear error for binary or non-UTF-8 input."""
    if len(data) > MAX_BYTES:
        raise TextInputError(
            f"{name}: {len(data):,} bytes is more than the {MAX_BYTES:,} the claim checker "
            "reads; split the text into smaller files"
        )
    nul = data.find(b"\x00")
    if nul >= 0:
        raise TextInputError(
            f"{name}: holds a NUL byte at offset {nul}, so it is binary, "
            "not text; expected a UTF-8 text file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise TextInputError(
            f"{name}: byte 0x{data[error.start]:02x} at offset {error.start} is not UTF-8; "
            "expected a UTF-8 text file (convert it first, e.g. iconv -t UTF-8)"
        ) from None
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text) // 100):
        raise TextInputError(
            f"{name}: {controls} control characters in {len(text):,}; this looks like binary "
            "data, not text; expected a UTF-8 text file"
        )
    return text


def split_header(text: str) -> tuple[dict[str, str], str]:
    """The "Key: value" lines at the top of ``text``, and the text with them blanked.

    Blank lines stand in for the header so that paragraphs keep their numbers.
    """
    header: dict[str, str] = {}
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if not line.strip():
            if header:
                break
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            break
        header.setdefault(match["key"].casefold(), match["value"].strip())
        lines[index] = ""
    return header, "\n".join(lines) if header else text


def header_date(header: dict[str, str]) -> TextDate | None:
    """The date a header gives ("Date: 2023-01-20", "Date: 2019-11"), if any."""
    for key in ("date", "published", "updated"):
        match = _HEADER_DATE.search(header.get(key, ""))
        if match and 1 <= int(match["month"]) <= 12:
            day = int(match["day"]) if match["day"] else None
            return TextDate(
                int(match["year"]), int(match["month"]), day, f"header: '{key}: {match.group()}'"
            )
    return None


def find_date(text: str) -> TextDate | None:
    """The date at the top of a text ("On November 9, 2023, ..."), if it has one."""
    top = text[:_DATE_WINDOW]
    first_line = top.strip().split("\n", 1)[0][:120]
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(top):
            groups = match.groupdict()
            if groups.get("mnum"):
                month = int(groups["mnum"])
            else:
                month = MONTH_NUMBERS.get(groups["month"].casefold(), 0)
            if not 1 <= month <= 12:
                continue
            day = int(groups["day"]) if groups.get("day") else None
            if day is not None and not 1 <= day <= 31:
                continue
            where = "first line" if match.group() in first_line else "top of the text"
            return TextDate(int(groups["year"]), month, day, f"{where}: '{match.group()}'")
    return None


def split_sentences(text: str) -> list[tuple[int, str]]:
    """(paragraph, sentence) pairs: lines are paragraphs, list items and headlines stand alone."""
    sentences: list[tuple[int, str]] = []
    for paragraph, line in enumerate(text.splitlines()):
        line = line.strip().lstrip("-•*–—").strip()
        if not line:
            continue
        start = 0
        for match in _SENTENCE_END.finditer(line):
            before = line[max(start, match.start() - 40) : match.start()].rsplit(None, 1)
            last_word = before[-1].casefold() if before else ""
            if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
                continue
            following = _NEXT_CHARACTER.match(line, match.end())
            rest = following.group(1) if following else ""
            if rest and not (rest.isupper() or rest.isdigit() or rest in "\"'“«($"):
                continue
            sentences.append((paragraph, line[start : match.end()].strip()))
            start = match.end()
        if line[start:].strip():
            sentences.append((paragraph, line[start:].strip()))
    return sentences


def latin_share(text: str) -> float:
    """The share of letters that are Latin: the parser reads English (1.0 for no letters)."""
    letters = latin = 0
    for ch in text:
        if ch.isalpha():
            letters += 1
            latin += ch.isascii()
    return latin / letters if letters else 1.0


def read_document(text: str, name: str = "<text>") -> Document:
    """Split, tokenise and date ``text`` and find the pair of countries it is about."""
    words = lexicon()
    header, body = split_header(text)
    sentences = []
    for index, (paragraph, sentence_text) in enumerate(split_sentences(body)):
        tokens = tokenize(sentence_text)
        mentions = words.countries_in(sentence_text, tokens)
        sentences.append(Sentence(index, paragraph, sentence_text, tokens, mentions))
    subject, partner = _pair(sentences)
    if partner is not None and _headline_owner(sentences) == partner:
        subject, partner = partner, subject  # "Kazakhstan's trade with Italy slips": Kazakhstan's
    for sentence in sentences:
        sentence.source = cited_source(sentence)
    cited = _cited_country(sentences)
    if cited is not None and cited == partner:
        subject, partner = partner, subject  # the text reports that country's statistics
    foreign = next(
        (s.source for s in sentences if s.source and s.source.startswith(STATISTICS_OF)), None
    )
    date = header_date(header) if header else None
    if date is None:
        date = find_date(body)
    document = Document(name, text, sentences, date, subject, partner, cited_statistics=foreign)
    document.speaker = _speaker(sentences)
    document.quoted_paragraphs = {
        s.paragraph for s in sentences if any(t.low in _REPORTING_WORDS for t in s.tokens)
    }
    own = countries().by_code.get(subject or "")
    if (
        document.speaker is None
        and own is not None
        and not own.is_aggregate
        and _untitled_official(sentences)
    ):
        document.speaker = subject
    return document


_OFFICIALS = frozenset(
    {
        "president", "presidents", "minister", "prime", "deputy", "ambassador", "ministry",
        "government", "official", "officials", "spokesman", "spokeswoman", "spokesperson",
        "premier", "envoy", "embassy", "foreign", "trade", "representative", "diplomat",
        "diplomats", "consul", "negotiator",
    }
)  # fmt: skip
#: Words that put a statement in someone's mouth: an official's figures are stated in the
#: paragraphs that quote him, not in a later one that cites "preliminary data".
_REPORTING_WORDS = frozenset(
    {
        "said", "says", "say", "told", "noted", "stated", "added", "stressed", "announced",
        "according", "account", "view", "reported", "reports", "estimates", "observed",
        "explained", "emphasised", "emphasized", "recalled", "remarked", "speaking", "gave",
    }
)  # fmt: skip
#: Titles written with capitals, as a text introduces an official of its own country.
_TITLES = frozenset({"Minister", "Deputy", "President", "Premier", "Ambassador"})


def _speaker(sentences: list[Sentence]) -> str | None:
    """The country whose official the text first quotes ("Russian Deputy Prime Minister
    Yuri Borisov", "the Kazakh prime minister's website"): the figures an official states
    are that country's own. A head of state or government named alone ("Putin noted")
    counts too (``officials.tsv``)."""
    for sentence in sentences:
        tokens = sentence.tokens
        found = [(start, code) for start, _, code in lexicon().officials.find_all(tokens)]
        for mention in sentence.mentions:
            after = mention.end
            if mention.how != "adjective":
                if after >= len(tokens) or tokens[after].kind != POSSESSIVE:
                    continue
                after += 1  # "Russia's trade representative in South Korea"
            following = {t.low for t in tokens[after : after + 2]}
            if following & _OFFICIALS:
                found.append((mention.start, mention.code))
        if found:
            return min(found)[1]
    return None


def _untitled_official(sentences: list[Sentence]) -> bool:
    """'Serik Zhumangarin, Deputy Prime Minister and Minister of Trade, said': an official
    named by title alone, in a text whose own country goes without saying."""
    for sentence in sentences:
        tokens = sentence.tokens
        for index, token in enumerate(tokens):
            if token.text not in _TITLES:
                continue
            before = tokens[index - 2 : index]
            if not any(m.end in (index, index - 1) for m in sentence.mentions) and not any(
                t.low == "of" for t in before
            ):
                return True
    return False


#: A source "stats:CHN" says a figure is China's statistics (its customs, its statistics
#: office), whichever source of the store may hold them.
STATISTICS_OF = "stats:"
#: National sources in the store and the country whose statistics each publishes.
NATIONAL_SOURCES = {"kz_bns": "KAZ", "ru_fcs": "RUS", "armstat": "ARM"}


_STATISTICS_WORDS = frozenset(
    {"statistics", "statistical", "statistic", "customs", "stat", "statistics'"}
)


def cited_source(sentence: Sentence) -> str | None:
    """The source a sentence cites: a publisher by name (``sources.tsv``), or a country's
    statistics office or customs ("Kyrgyzstan's State Statistical Committee", "Chinese
    customs", "the National Statistics Office of Georgia": ``stats:KGZ``, ``stats:CHN``,
    ``stats:GEO``)."""
    for _, _, source in lexicon().sources.find_all(sentence.tokens):
        return source
    tokens = sentence.tokens
    for mention in sentence.mentions:
        following = {t.low for t in tokens[mention.end : mention.end + 5]}
        start = mention.start
        office_of = (  # "the National Statistics Office of Georgia"
            start >= 2
            and tokens[start - 1].low == "of"
            and any(t.low in _STATISTICS_WORDS for t in tokens[max(0, start - 5) : start - 1])
        )
        if following & _STATISTICS_WORDS or office_of:
            code = mention.code
            national = {country: source for source, country in NATIONAL_SOURCES.items()}
            return national.get(code, f"{STATISTICS_OF}{code}")
    return None


def _cited_country(sentences: list[Sentence]) -> str | None:
    """The country whose statistics office or customs the text cites first, if any."""
    for sentence in sentences:
        source = sentence.source
        if source is None:
            continue
        if source.startswith(STATISTICS_OF):
            return source.removeprefix(STATISTICS_OF)
        if source in NATIONAL_SOURCES:
            return NATIONAL_SOURCES[source]
    return None


#: Words after "Kazakhstan's" in a headline that make the text about Kazakhstan's trade.
_HEADLINE_TRADE = frozenset({"trade", "exports", "imports", "turnover"})


def _headline_owner(sentences: list[Sentence]) -> str | None:
    """The country whose trade the first sentence (the headline) owns: "Kazakhstan's trade
    with Italy slips" is about Kazakhstan's statistics, however often Italy is named."""
    if not sentences:
        return None
    first = sentences[0]
    tokens = first.tokens
    for mention in first.mentions:
        if mention.how != "name" or mention.end >= len(tokens):
            continue
        if tokens[mention.end].kind != POSSESSIVE:
            continue
        if {t.low for t in tokens[mention.end + 1 : mention.end + 3]} & _HEADLINE_TRADE:
            return mention.code
    return None


def _pair(sentences: list[Sentence]) -> tuple[str | None, str | None]:
    names: Counter[str] = Counter()
    every: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for sentence in sentences:
        for mention in sentence.mentions:
            if mention.code in (EAEU, CIS, WORLD):
                continue
            first_seen.setdefault(mention.code, len(first_seen))
            every[mention.code] += 1
            if mention.how == "name":
                names[mention.code] += 1
    if not every:
        return None, None
    ranked = sorted(every, key=lambda c: (-names[c], -every[c], first_seen[c]))
    subject = ranked[0]
    others = sorted((c for c in every if c != subject), key=lambda c: (-every[c], first_seen[c]))
    return subject, (others[0] if others else None)
