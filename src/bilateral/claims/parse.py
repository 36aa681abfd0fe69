"""Read the quantitative claims in a text: what is measured, between whom, when, and how much.

A sentence is cut into clauses (at ';', ':' and ', and' / ', but'); in each clause the
parser finds figures (:mod:`bilateral.claims.quantities`), ranks, comparisons, countries
and products (:mod:`bilateral.claims.lexicon`) and decides, figure by figure:

* growth: a rise or fall word just before the figure ("increased by more than 10%",
  "up 9.5%");
* share: a percentage "of" something - of a country's trade ("accounts for almost 20% of
  Kazakhstan's foreign trade") or of a product ("98% of imported wheat and barley ...
  come from Russia": one claim per product);
* level: a sum of money with a flow ("reached $27 billion", "exports ... worth $6 billion");
* rank and comparison: "the largest partner ... in imports and the third in exports",
  "only slightly inferior to China", "food occupies the first place in ... imports";
* not checkable: figures about investment, companies, projects, pipelines, forums,
  agreements, seeds and the like, named with the data that would check them.

Roles come from the words around the country names: "X's" and "of X" make X the
reporter, "from Y", "to Y", "with Y" and the subject of the verb make Y the partner;
"the republic" is the text's subject country. The year is the one stated in the clause,
else one stated earlier in the paragraph, else inferred from the text's date (the last full
year and the year of writing), and ``year_basis`` says which.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, replace

from bilateral.claims.document import (
    STATISTICS_OF,
    Document,
    Sentence,
    TextDate,
    latin_share,
    read_document,
)
from bilateral.claims.lexicon import Mention, Uncheckable, lexicon, word_class
from bilateral.claims.model import (
    CHANGE,
    COMPARISON,
    GROWTH,
    LEVEL,
    PRODUCT_RANK,
    RANK,
    RECORD,
    SHARE,
    UNCHECKABLE,
    Claim,
    ParsedText,
    Product,
    Skipped,
    Stated,
)
from bilateral.claims.periods import MONTH_NAMES, Months, find_months
from bilateral.claims.quantities import (
    CHANGE_FROM,
    COUNT,
    DATE,
    MONEY,
    MULTIPLE,
    ORDINAL,
    PERCENT,
    VERB_MULTIPLES,
    YEAR,
    Quantity,
    RankMention,
    find_quantities,
    find_ranks,
    word_number,
)
from bilateral.claims.tokens import NUMBER, POSSESSIVE, Token, tokenize
from bilateral.reference.countries import WORLD, countries

_CLAUSE_JOINS = word_class("clause_join")
_SUBJECT_VERBS = word_class("subject_verb")
_TRADE_OWNER_WORDS = word_class("trade_owner")
_SLIGHT = word_class("slight")
_FAR = word_class("far")
MAX_CLAIM_TEXT = 1000  # a longer sentence is quoted by the clause that holds the claim
MAX_CLAUSE_TOKENS = 150  # longer clauses are cut: no real clause is that long
ENGLISH_LETTERS = 0.5  # below this share of Latin letters a text is not read as English
_FORECAST_WORDS = word_class("forecast")
_UNCLASSIFIED = (
    "a clearer statement: the parser could not tell which trade measure this figure states "
    "(name a flow - exports, imports, turnover - and a partner)"
)


@dataclass
class _Clause:
    """A clause: its tokens (a slice of the sentence's) and what the lexicon found in it."""

    tokens: list[Token]
    offset: int  # index of the first token in the sentence
    mentions: list[Mention]
    paragraph: int = 0


def parse_text(
    text: str,
    *,
    name: str = "<text>",
    subject: str | None = None,
    partner: str | None = None,
) -> ParsedText:
    """Every quantitative claim in ``text``, and the sentences with numbers that hold none.

    ``subject`` and ``partner`` (ISO alpha-3) override the pair of countries found by
    counting names.
    """
    document = read_document(text, name)
    if subject:
        document.subject = subject
    if partner:
        document.partner = partner
    return parse_document(document)


def parse_document(document: Document) -> ParsedText:
    """Claims of an already read document (see :func:`parse_text`)."""
    result = ParsedText(
        subject=document.subject,
        partner=document.partner,
        date=document.date.iso() if document.date else None,
        date_basis=document.date.basis if document.date else "",
    )
    if latin_share(document.text) < ENGLISH_LETTERS:
        result.notes.append(
            f"{document.name}: the text is not in English (most letters are not Latin); "
            "the claim checker reads English texts, so no claims were looked for"
        )
        return result
    paragraph_year: dict[int, int] = {}
    if document.date is None:
        _read_undated_periods(document)
    for sentence in document.sentences:
        before = document.months
        claims, reason = _sentence_claims(sentence, document, paragraph_year)
        if not claims and _event_month_named(document.months, before):
            document.months = before  # "adopted in June 2023": an event's month
        if claims or document.months is not None:
            if not document.lead_read:
                document.lead_months = document.months
            document.lead_read = True
        result.claims.extend(claims)
        if not claims and reason:
            result.skipped.append(Skipped(sentence.index, sentence.text, reason))
    return result


def _event_month_named(months: Months | None, before: Months | None) -> bool:
    """A sentence without figures that names one month names when something happened
    ("the package adopted in June 2023"), not the period the text's figures cover."""
    return months is not before and months is not None and months.first == months.last


_TARGET_WORDS = frozenset({"by", "until", "till", "before", "through"})


def _is_target_year(tokens: list[Token], year: Quantity) -> bool:
    """'raise trade to $35 billion by 2030': the year of a goal, not of the figures."""
    return year.start > 0 and tokens[year.start - 1].low in _TARGET_WORDS


def _read_undated_periods(document: Document) -> None:
    """An undated text speaks of the years it states, wherever it states them: a claim
    before any year ("China was the second largest partner ... in January-April 2017")
    takes the latest year the text states, not the latest year with data; and a text that
    names one part of one year only (a fact-check of January-April 2017 figures) speaks
    of those months wherever it speaks of that year."""
    spans: set[tuple[int, int]] = set()
    named: tuple[Months, int] | None = None
    for sentence in document.sentences:
        for clause in _clauses(sentence):
            quantities = find_quantities(clause.tokens)
            years = {
                int(q.value)
                for q in quantities
                if q.kind == YEAR
                and not _is_base_year(clause.tokens, q)
                and not _is_target_year(clause.tokens, q)
            }
            document.years_in_text.extend(sorted(years))
            months = find_months(clause.tokens)
            if months is not None and months.first != months.last:
                spans.add((months.first, months.last))
                named = (months, years.pop()) if len(years) == 1 else None
    if len(spans) == 1 and named is not None:
        document.undated_period = named


# -- sentences and clauses -------------------------------------------------------------


def _clauses(sentence: Sentence) -> list[_Clause]:
    """Clauses of a sentence; an overlong one is cut into pieces of MAX_CLAUSE_TOKENS.

    Work within a clause may grow with the square of its length, so bounding the length
    keeps the parser linear in the length of the text, whatever the text.
    """
    clauses: list[_Clause] = []
    tokens = sentence.tokens
    starts = [m.start for m in sentence.mentions]
    start = 0
    for index, token in enumerate(tokens):
        split = token.text in (";", ":") or (
            token.text == "," and index + 1 < len(tokens) and tokens[index + 1].low in _CLAUSE_JOINS
        )
        if (split and index > start) or index - start >= MAX_CLAUSE_TOKENS:
            clauses.append(_make_clause(sentence, starts, start, index))
            start = index + 1 if split else index
    if start < len(tokens):
        clauses.append(_make_clause(sentence, starts, start, len(tokens)))
    return clauses


def _make_clause(sentence: Sentence, starts: list[int], start: int, end: int) -> _Clause:
    mentions = []
    for mention in sentence.mentions[bisect_left(starts, start) :]:
        if mention.start >= end:
            break
        if mention.end <= end:
            mentions.append(replace(mention, start=mention.start - start, end=mention.end - start))
    return _Clause(sentence.tokens[start:end], start, mentions, sentence.paragraph)


def _sentence_claims(
    sentence: Sentence, document: Document, paragraph_year: dict[int, int]
) -> tuple[list[Claim], str]:
    source_hint = sentence.source or document.cited.get(sentence.paragraph)
    if source_hint is not None:
        document.cited[sentence.paragraph] = source_hint  # the paragraph goes on citing it
    claims: list[Claim] = []
    reasons: list[str] = []
    clauses = _clauses(sentence)
    figures = [find_quantities(clause.tokens) for clause in clauses]
    sentence_years: list[Quantity] = []
    base_years: list[int] = []  # "the same period of 2021": what a change is measured from
    for clause, quantities in zip(clauses, figures, strict=True):
        for q in quantities:
            if q.kind != YEAR:
                continue
            if _is_base_year(clause.tokens, q):
                base_years.append(int(q.value))
            elif not _is_target_year(clause.tokens, q):  # "by 2030" names a goal's year
                sentence_years.append(q)
    for clause, quantities in zip(clauses, figures, strict=True):
        _add_subject_mentions(clause, document)
        _add_epithet_mentions(clause, document)
        _add_there_mentions(clause, document)
        _add_group_mentions(clause, document)
        _add_latter_mentions(clause, document)
        found, reason = _clause_claims(clause, quantities, sentence, document, source_hint)
        claims.extend(found)
        if reason:
            reasons.append(reason)
    claims.extend(_listed_comparisons(sentence, document, source_hint))
    stated_year = int(max(q.high or q.value for q in sentence_years)) if sentence_years else None
    lowered = sentence.text.casefold()
    relative = (
        "last year" if "last year" in lowered else "this year" if "this year" in lowered else ""
    )
    claims = [
        _with_year(claim, sentence, document, paragraph_year, stated_year, relative)
        for claim in claims
    ]
    if base_years and stated_year is None:
        claims = [_after_base(claim, max(base_years)) for claim in claims]
    spans = [q for q in sentence_years if q.high and 0 < q.high - q.value <= 3]
    if spans:  # "a share of 40-44% in 2022-2023": the share in each of the years
        claims = _each_year(claims, int(spans[0].value), int(spans[0].high or 0))
    # "met in August ... soared last year": the month is the meeting's
    claims = [replace(c, months=None) if _event_month(c) else c for c in claims]
    named = [c for c in claims if c.months is not None and c.measure != UNCHECKABLE]
    if named:  # "over the reporting period exports climbed 34%, while imports rose 27%"
        first = named[0]
        claims = [
            replace(c, months=first.months) if _carries(c) and c.year == first.year else c
            for c in claims
        ]
    if document.lead_months is not None:
        claims = [_in_lead_period(claim, document.lead_months) for claim in claims]
    if document.undated_period is not None:
        months, year = document.undated_period
        claims = [_in_lead_period(c, months) if c.year == year else c for c in claims]
    if document.date is not None and document.date.month is not None:
        claims = [_months_before_the_date(claim, document.date) for claim in claims]
    foreign = document.cited_statistics
    claims = [  # a text citing Kyrgyz statistics once gives Kyrgyzstan's figures throughout
        replace(c, source_hint=foreign)
        if c.source_hint is None and foreign and c.reporter == foreign.removeprefix(STATISTICS_OF)
        else c
        for c in claims
    ]
    speaker = document.speaker if sentence.paragraph in document.quoted_paragraphs else None
    claims = [_stated_by_speaker(c, speaker) for c in claims]
    claims = [_as_named_before(c, document.products) for c in claims]
    claims = [_goods_referred_to(c, document.last_products) for c in claims]
    claims = _going_on(claims)
    claims = [_the_trade_referred_to(sentence, c, document.last_claims) for c in claims]
    claims = [_level_of_the_year_before(sentence, c) for c in claims]
    claims = _both_periods(sentence, claims, document.date)
    claims = _part_of_the_figure_before(sentence, claims, document.last_claims)
    document.last_claims = claims
    partners_named = [
        code
        for c in claims
        if c.measure != UNCHECKABLE and c.partner and not c.partner.startswith(WORLD)
        for code in c.partner.split("+")
        if code not in (c.reporter, document.subject)
    ]
    if len(set(partners_named)) >= 2:  # "The UAE and Hong Kong ... 34%, while ... Russia"
        document.group = "+".join(dict.fromkeys(partners_named))
    document.products.extend(c.product for c in claims if c.product is not None)
    document.last_products = [c.product for c in claims if c.product is not None] + [
        product  # goods a claim left unplaced are still goods the sentence named
        for _, _, product in lexicon().products.find_all(sentence.tokens)
        if product.classification != "HS"
    ]
    reporters = [c.reporter for c in claims if c.measure in (SHARE, RANK) and c.reporter]
    if reporters:  # "Russia is Armenia's largest partner ... trailed by the UAE (6.4%)"
        document.reporters[sentence.paragraph] = reporters[-1]
    stated = [c for c in claims if c.year_basis.startswith("stated") and c.year]
    if stated:
        latest = max(stated, key=lambda c: c.year or 0)
        paragraph_year[sentence.paragraph] = latest.year or 0
        document.paragraph_months[sentence.paragraph] = latest.months
    if stated_year is not None:
        document.years_stated.append(stated_year)
    return claims, "; ".join(dict.fromkeys(reasons))


_WHEN_IT_WAS = re.compile(
    r"\bwhen (?:the figure|it|they|this|the value|exports|imports) "
    r"(?:was|were|stood at|amounted to|came to|totall?ed|reached)\s*$",
    re.I,
)
_UP_FROM = re.compile(r"\b(?:up|down|rising|falling|climbing|dropping)? ?from\s*$", re.I)
_A_YEAR_EARLIER = re.compile(
    r"^\s*(?:in the (?:corresponding|same) period (?:a year earlier|of the previous year|"
    r"of last year|the year before)|a year earlier|the year before)",
    re.I,
)
_YEAR_BEFORE = re.compile(
    r"\b(?:year before|previous year|a year earlier|last year|corresponding period|same period)",
    re.I,
)


def _level_of_the_year_before(sentence: Sentence, claim: Claim) -> Claim:
    """'4 times more than during the first six months of the year before, when the figure
    was $3.894 million', 'up from $217 million in the corresponding period a year earlier':
    the level the change started from, a year before the claim's."""
    if claim.measure != LEVEL or claim.year is None:
        return claim
    text = sentence.text
    at = text.find(claim.stated.text)
    if at < 0:
        return claim
    when = _WHEN_IT_WAS.search(text[:at]) and _YEAR_BEFORE.search(text[:at])
    after = text[at + len(claim.stated.text) :]
    up_from = _UP_FROM.search(text[:at]) and _A_YEAR_EARLIER.search(after)
    if not (when or up_from):
        return claim
    year = claim.base_year or claim.year - 1
    return replace(
        claim,
        year=year,
        candidate_years=(year,),
        year_basis=f"{year}: the level the sentence compares with ('when the figure was')",
    )


_COMES_AFTER = frozenset({"comes", "come", "came", "ranks", "ranked", "placed", "is", "was"})
_CHAIN_WORDS = frozenset({"(", ")", "%", ",", "and", "even", "also", "after", "then"})


def _listed_comparisons(
    sentence: Sentence, document: Document, source_hint: str | None
) -> list[Claim]:
    """'China also comes after Switzerland (13.6%) and Bulgaria (13%), after Germany (7.3%)
    and Georgia (7.3%), and even after Iraq (5.9%)': one comparison per country listed,
    China below each, in the flow the paragraph speaks of."""
    tokens = sentence.tokens
    first = next(
        (
            i
            for i, t in enumerate(tokens)
            if t.low == "after" and any(x.low in _COMES_AFTER for x in tokens[max(0, i - 3) : i])
        ),
        None,
    )
    if first is None:
        return []
    before = [m for m in sentence.mentions if m.end <= first]
    if not before:
        return []
    ranked = before[-1].code
    reporter = document.reporters.get(sentence.paragraph) or document.subject
    if reporter is None or reporter == ranked:
        return []
    flow = document.flows.get(sentence.paragraph, "turnover")
    claims = []
    position = first + 1
    for mention in (m for m in sentence.mentions if m.start > first):
        between = tokens[position : mention.start]
        if any(t.low not in _CHAIN_WORDS and t.kind != NUMBER for t in between):
            break
        start = mention.start - 1 if tokens[mention.start - 1].low == "after" else mention.start
        stated = Stated(
            None, f"vs {mention.code}", "below", None, 1.0, _span(tokens, start, mention.end)
        )
        claim = _draft_claim(
            measure=COMPARISON,
            flow=flow,
            reporter=reporter,
            partner=ranked,
            other=mention.code,
            stated=stated,
        )
        claims.append(
            replace(claim, text=sentence.text, sentence=sentence.index, source_hint=source_hint)
        )
        position = mention.end
    return claims if len(claims) >= 2 else []


_REFERRING_FLOW = frozenset({"these", "those", "such", "this"})


def _the_trade_referred_to(sentence: Sentence, claim: Claim, before: list[Claim]) -> Claim:
    """'Tajikistan imported 1,435 cars from Georgia ... these car exports were worth
    $15.842 million': the trade the sentence before named, seen from the flow this one
    names (Georgia's exports to Tajikistan), and its goods."""
    if claim.flow not in ("exports", "imports") or claim.owned:
        return claim
    tokens = sentence.tokens
    cues = lexicon().cues
    refers = any(
        t.low in _REFERRING_FLOW
        and any(
            (cue := cues.match_at(tokens, j)) is not None
            and cue[1] in ("flow:exports", "flow:imports")
            for j in range(i + 1, min(len(tokens), i + 3))
        )
        for i, t in enumerate(tokens)
    )
    named = next(
        (
            c
            for c in before
            if c.flow in ("exports", "imports")
            and c.partner
            and not c.partner.startswith(f"{WORLD}-")
            and "+" not in c.partner
        ),
        None,
    )
    if not refers or named is None:
        return claim
    exporter, importer = (
        (named.reporter, named.partner)
        if named.flow == "exports"
        else (named.partner, named.reporter)
    )
    reporter, partner = (exporter, importer) if claim.flow == "exports" else (importer, exporter)
    return replace(
        claim, reporter=reporter, partner=partner, product=claim.product or named.product
    )


#: Words for a class of goods that, in a text already about one kind of them, stand for
#: that kind: "13,916 vehicles valued at $235.8 million" in a report on car re-exports.
_CLASS_WORDS = frozenset({"vehicles"})


def _as_named_before(claim: Claim, named: list[Product]) -> Claim:
    """A class word ('vehicles') read as the goods of that class the text spoke of before
    ('cars'), the synonym a reporter uses not to repeat a word."""
    product = claim.product
    if product is None or product.label not in _CLASS_WORDS:
        return claim
    inside = [
        p
        for p in named
        if p.codes != product.codes
        and all(any(c.startswith(code) for code in product.codes) for c in p.codes)
    ]
    return replace(claim, product=inside[-1]) if inside else claim


def _going_on(claims: list[Claim]) -> list[Claim]:
    """A claim that goes on with the trade before it ("... came to EUR 500 million, whereas
    in November 2022 it tripled") takes that claim's partner and goods as finally read."""
    settled: list[Claim] = []
    for claim in claims:
        before = next((c for c in reversed(settled) if c.measure != UNCHECKABLE), None)
        other_countries = (claim.partner or "").startswith(f"{WORLD}-")
        if (
            claim.goes_on
            and before is not None
            and before.flow == claim.flow
            and not other_countries
        ):
            claim = replace(
                claim,
                reporter=before.reporter,
                partner=before.partner,
                other_reading=before.other_reading,
                product=claim.product or before.product,
                unplaced=claim.unplaced or before.unplaced,
            )
        settled.append(claim)
    return settled


def _goods_referred_to(claim: Claim, named: list[Product]) -> Claim:
    """'such goods', 'goods of these types': the goods the sentence before named ('goods
    covered by anti-Russian sanctions'); with none named there, the words stay unplaced."""
    words = (claim.unplaced or "").lower().split()
    if claim.product is not None or not named or len(words) != 2:
        return claim
    if words[0] not in _REFERRING_GOODS or words[1] not in _GOODS | _KINDS_OF_GOODS:
        return claim
    return replace(claim, product=named[-1], unplaced=None)


_BOTH_PERIODS = re.compile(r"\bboth last year and (?:during|in|over) .*\bthis year\b", re.I)


def _both_periods(sentence: Sentence, claims: list[Claim], date: TextDate | None) -> list[Claim]:
    """'trade doubled both last year and during the first four months of this year': one
    figure stated for two periods, so two claims - last year whole, and this year's
    months."""
    if date is None or not _BOTH_PERIODS.search(sentence.text):
        return claims
    split: list[Claim] = []
    for claim in claims:
        if claim.measure != GROWTH or claim.months is None or claim.year != date.year - 1:
            split.append(claim)
            continue
        this_year = f"'this year' in a text dated {date.iso()}"
        split.append(replace(claim, months=None))
        split.append(
            replace(claim, year=date.year, candidate_years=(date.year,), year_basis=this_year)
        )
    return split


_PART_OF = frozenset({"that", "this", "which", "these", "it"})


def _part_of_the_figure_before(
    sentence: Sentence, claims: list[Claim], before: list[Claim]
) -> list[Claim]:
    """'... trade between the two countries has come to over $343 million. Of that $343
    million, slightly over $334 million was Kazakhstan's export': the sentence breaks the
    figure before down, so its parts share that figure's partner and period, and the whole
    it repeats is not a claim again."""
    tokens = sentence.tokens
    if len(tokens) < 2 or tokens[0].low != "of" or tokens[1].low not in _PART_OF:
        return claims
    whole = next((c for c in before if c.measure != UNCHECKABLE), None)
    if whole is None:
        return claims
    repeated = {c.stated.value for c in before}
    parts = []
    for claim in claims:
        if claim.measure == UNCHECKABLE:
            parts.append(claim)
        elif claim.stated.value not in repeated:
            parts.append(
                replace(
                    claim,
                    partner=whole.partner,
                    year=whole.year,
                    candidate_years=whole.candidate_years,
                    year_basis=whole.year_basis,
                    months=whole.months,
                    unplaced=claim.unplaced or whole.unplaced,
                )
            )
    return parts


def _each_year(claims: list[Claim], first: int, last: int) -> list[Claim]:
    """A share or a rank stated for a span of years holds in each of them."""
    each: list[Claim] = []
    for claim in claims:
        if claim.measure not in (SHARE, RANK) or claim.year != last:
            each.append(claim)
            continue
        each.extend(
            replace(claim, year=year, candidate_years=(year,), year_basis="stated")
            for year in range(first, last + 1)
        )
    return each


def _after_base(claim: Claim, base: int) -> Claim:
    """'rose by 0.9% on the same period of 2023' in a text that states no other year: the
    figure is for a year after 2023, whatever year the context gave."""
    if claim.year is None or claim.year > base or claim.year_basis == "stated":
        return claim
    year = base + 1
    return replace(
        claim,
        year=year,
        candidate_years=(year,),
        year_basis=f"the year after {base}, the year the sentence compares with",
    )


def _stated_by_speaker(claim: Claim, speaker: str | None) -> Claim:
    """Trade between two countries as an official of one of them states it: that country's
    statistics (the other's mirror figure cannot refute it)."""
    if (
        speaker is None
        or claim.source_hint is not None
        or claim.flow != "turnover"
        or claim.measure not in (LEVEL, GROWTH, CHANGE)
        or speaker not in (claim.reporter, claim.partner)
    ):
        return claim
    return replace(claim, source_hint=STATISTICS_OF + speaker)


def _event_month(claim: Claim) -> bool:
    """A single month named without its year ("in August") in a sentence about last year:
    when something happened, not the period of a figure."""
    months = claim.months
    return (
        months is not None
        and months.first == months.last
        and claim.year_basis.startswith("'last year'")
    )


def _carries(claim: Claim) -> bool:
    """A claim that states no period of its own and may take one named beside it."""
    return (
        claim.measure != UNCHECKABLE
        and claim.months is None
        and claim.year_basis.startswith(("context", "inferred", "stated", "'this year'"))
    )


def _months_before_the_date(claim: Claim, date: TextDate) -> Claim:
    """'Between January and September' in a text dated October 2022 means 2022: the months
    are over in the year of writing, so the year before is not a reading."""
    months = claim.months
    if months is None or not claim.year_basis.startswith("inferred") or date.month is None:
        return claim
    year = date.year if date.month > months.last else date.year - 1
    return replace(claim, year=year, candidate_years=(year,))


def _in_lead_period(claim: Claim, lead: Months) -> Claim:
    """A report whose lead names 'the January to October period' speaks of those months
    throughout, unless a sentence states a year or a period of its own."""
    carried = claim.year_basis.startswith(("context", "inferred"))
    if claim.measure == UNCHECKABLE or claim.months is not None or not carried:
        return claim
    return replace(claim, months=lead)


_THERE_AS_SUBJECT = frozenset(
    {"is", "are", "was", "were", "has", "have", "had", "will", "would", "could", "be", "'s"}
)


def _the_country(document: Document) -> str | None:
    index = countries().by_code
    for code in (document.subject, document.partner):
        known = index.get(code or "")
        if known is not None and not known.is_aggregate:
            return code
    return None


_EPITHET_NOUNS = frozenset({"country", "republic", "nation", "state"})


def _add_epithet_mentions(clause: _Clause, document: Document) -> None:
    """'the South Caucasus country' in a text on Armenia's trade with Russia is Armenia:
    the one country of the text's pair in the region named (epithets.tsv)."""
    tokens = clause.tokens
    taken = {i for m in clause.mentions for i in range(m.start, m.end)}
    pair = {document.subject, document.partner}
    for start, end, region in lexicon().epithets.find_all(tokens):
        if start == 0 or tokens[start - 1].low != "the" or start in taken:
            continue
        if end >= len(tokens) or tokens[end].low not in _EPITHET_NOUNS:
            continue
        meant = [code for code in pair if code in region]
        if len(meant) == 1:
            clause.mentions.append(Mention(meant[0], start - 1, end + 1, "epithet"))
    clause.mentions.sort(key=lambda m: m.start)


def _add_there_mentions(clause: _Clause, document: Document) -> None:
    """'the UAE joined Armenia's top three partners, with exports of Armenian goods there
    rising 7.2 times': 'there' is the country named before it in the clause (not 'there
    were', which names nothing)."""
    tokens = clause.tokens
    for index, token in enumerate(tokens):
        if (
            token.low != "there"
            or index + 1 < len(tokens)
            and (tokens[index + 1].low in _THERE_AS_SUBJECT)
        ):
            continue
        named = [
            m
            for m in clause.mentions
            if m.end <= index and m.how == "name" and m.code != document.subject
        ]
        if named:
            clause.mentions.append(Mention(named[-1].code, index, index + 1, "there"))
    clause.mentions.sort(key=lambda m: m.start)


_GROUP_WORDS = frozenset({"countries", "partners", "states", "markets", "destinations"})


def _add_group_mentions(clause: _Clause, document: Document) -> None:
    """'about 75% of Armenia's exports went to these countries': the partners the text
    named together just before (``Document.group``), as one combined partner."""
    if document.group is None:
        return
    tokens = clause.tokens
    for index, token in enumerate(tokens):
        if token.low not in ("these", "those"):
            continue
        end = index + 1
        if (
            end < len(tokens)
            and tokens[end].kind == NUMBER
            or (end < len(tokens) and tokens[end].low in ("two", "three", "four", "five"))
        ):
            end += 1
        if end < len(tokens) and tokens[end].low in _GROUP_WORDS:
            clause.mentions.append(Mention(document.group, index, end + 1, "these"))
    clause.mentions.sort(key=lambda m: m.start)


def _add_latter_mentions(clause: _Clause, document: Document) -> None:
    """'... trade with European Union member states ... The latter made up 18 percent':
    the partner the sentence before spoke of last."""
    tokens = clause.tokens
    partners = [
        c.partner
        for c in document.last_claims
        if c.measure != UNCHECKABLE
        and c.partner
        and c.partner != WORLD
        and "-" not in c.partner
        and c.partner != document.subject
    ]
    if not partners:
        return
    for index, token in enumerate(tokens[:-1]):
        if token.low == "the" and tokens[index + 1].low == "latter":
            clause.mentions.append(Mention(partners[-1], index, index + 2, "latter"))
    clause.mentions.sort(key=lambda m: m.start)


def _add_subject_mentions(clause: _Clause, document: Document) -> None:
    """'the republic' stands for the subject country where no name covers it - or for the
    partner, where the subject is a group of countries (the EU is no 'country')."""
    country = _the_country(document)
    if country is None:
        return
    taken = {i for m in clause.mentions for i in range(m.start, m.end)}
    for start, end, _ in lexicon().subject_words.find_all(clause.tokens):
        if start not in taken:
            clause.mentions.append(Mention(country, start, end, "subject"))
    clause.mentions.sort(key=lambda m: m.start)


def _clause_claims(
    clause: _Clause,
    quantities: list[Quantity],
    sentence: Sentence,
    document: Document,
    source_hint: str | None,
) -> tuple[list[Claim], str]:
    words = lexicon()
    tokens = clause.tokens
    quantities = _counted_as_named(quantities, tokens)
    figures = [q for q in quantities if q.kind in (PERCENT, MONEY, MULTIPLE, COUNT)]
    ranks = find_ranks(tokens)
    cues = list(words.cues.find_all(tokens))
    comparisons = [(s, e, c) for s, e, c in cues if c.startswith("compare:")]
    uncheckable = list(words.uncheckable.find_all(tokens))
    named = {i for m in clause.mentions for i in range(m.start, m.end)}
    unplaced = [  # words a country mention covers ("the South Caucasus country") are placed
        item for item in uncheckable if item[2].kind in _UNPLACED_KINDS and item[0] not in named
    ]
    uncheckable = [item for item in uncheckable if item[2].kind not in _UNPLACED_KINDS]
    placed: list[tuple[int, int, Claim]] = []  # claims with the tokens that state them
    reasons: list[str] = []

    text = sentence.text
    if len(text) > MAX_CLAIM_TEXT and tokens:  # an endless "sentence": quote the clause
        start = tokens[0].start
        text = text[start : tokens[-1].end][:MAX_CLAIM_TEXT]

    def place(claim: Claim, start: int, end: int | None = None) -> None:
        located = replace(claim, text=text, sentence=sentence.index, source_hint=source_hint)
        placed.append((start, end if end is not None else start + 1, located))

    months = find_months(tokens)
    if months is not None:
        document.months = months
        document.months_paragraph = clause.paragraph
    elif document.months is not None and _refers_to_period(tokens):
        months = document.months  # "over the reporting period": the months named before
    elif any(q.kind == YEAR and not _is_base_year(tokens, q) for q in quantities):
        document.months = None  # "in 2023 Iran became ... In the same period": the year
    forecast = any(t.low in _FORECAST_WORDS for t in tokens)

    growing = [q for q in figures if q.kind == PERCENT and _growth_direction(tokens, q, cues)]
    grown = {  # "had grown by 33% ($4.3 billion)": a growth and the level reached
        q.start
        for g in growing
        for q in figures
        if q.start == g.start or g.end < q.start <= g.end + 2
    }
    itemised = _bracketed_pairs(figures, tokens) - grown
    for quantity in figures:
        if quantity.start in itemised:
            item = _draft_claim(  # "telecommunications devices made up 14.7% ($499mn)"
                measure=UNCHECKABLE,
                flow=None,
                reporter=None,
                partner=None,
                stated=_stated(quantity, tokens),
                kind="goods in a list",
                would_check=_ITEMISED,
            )
            place(item, quantity.start, quantity.end)
            continue
        listed = _listed_partner_share(quantity, clause, cues, document)
        if listed is not None:  # "after Switzerland (13.6%) and Bulgaria (13%)"
            place(listed, quantity.start, quantity.end)
            continue
        averaged = _average_rate_claim(quantity, clause, cues, document, quantities, sentence)
        if averaged is not None:  # "grew at an average annual rate of 18.6% in 2010-2020"
            document.last_trade = (sentence.index, averaged)
            place(averaged, quantity.start, quantity.end)
            continue
        trade = None
        if quantity.kind != COUNT:
            trade = _trade_claim(quantity, clause, cues, document, figures)
        else:
            trade = _goods_count_claim(quantity, clause, cues, document)
        if trade is None:
            listed = _listed_growth(quantity, clause, sentence, document)
            if listed is not None:  # "rose by 45% to Azerbaijan, by 41% to Georgia"
                place(listed, quantity.start, quantity.end)
                continue
        if trade and document.last_trade is not None:
            trade = [_same_reporter(c, clause, sentence, document) for c in trade]
        if trade and _starting_level(quantity, figures, tokens):
            trade = [  # "going up from $931 million to $1.8 billion", no year for the start
                replace(c, unplaced="the year the rise or fall starts from")
                if c.measure == LEVEL and not any(q.kind == YEAR for q in quantities)
                else c
                for c in trade
            ]
        if trade:
            growth = [c for c in trade if c.measure == GROWTH]
            if growth:
                document.last_growth = (sentence.index, growth[-1])
            document.last_trade = (sentence.index, trade[-1])
        if trade is not None and not (
            uncheckable and _nearer_uncheckable(quantity, uncheckable, cues)
        ):
            for claim in trade:
                if (
                    forecast
                    and not _set_in_a_year(quantity, tokens)
                    and not _year_already_over(quantity, quantities, tokens, document.date)
                ):
                    claim = replace(
                        claim,
                        measure=UNCHECKABLE,
                        kind="forecast or target",
                        would_check="the published figures for that year, once they are out",
                    )
                place(claim, quantity.start, quantity.end)
                record = _record_words(tokens, quantity)
                if record is not None and claim.measure == LEVEL:
                    # "rose by 43.1% to an all-time high of $3.4bn": a level, and a record
                    place(_record_claim(claim, tokens, record), *record)
            continue
        if uncheckable:
            place(
                _uncheckable_claim(quantity, clause, uncheckable, tokens),
                quantity.start,
                quantity.end,
            )
        elif quantity.kind == COUNT:
            reasons.append(f"a count of {quantity.unit or 'things'}, not a trade figure")
        else:
            unclassified = _draft_claim(
                measure=UNCHECKABLE,
                flow=None,
                reporter=None,
                partner=None,
                stated=_stated(quantity, tokens),
                kind="unclassified figure",
                would_check=_UNCLASSIFIED,
            )
            place(unclassified, quantity.start)
    for rank in ranks:
        within = _among_the_first(rank, tokens)
        if within is None and (rank.vague or _ranks_a_group(rank, tokens)):
            reasons.append("a rank without a number ('among the main partners')")
            continue
        ranked = _rank_claim(rank, clause, cues, document)
        if ranked is not None and within is not None:  # "one of the largest", "top three"
            first, last, count = within
            said = _span(tokens, first, max(last, rank.end))
            ranked = replace(ranked, stated=Stated(float(count), "rank", "up to", None, 1.0, said))
        about = next(  # "the largest investment partner": a rank in investment
            (u for s, _, u in uncheckable if rank.end <= s <= rank.end + 1), None
        )
        if ranked is not None and about is not None:
            ranked = replace(
                ranked, measure=UNCHECKABLE, kind=about.kind, would_check=about.would_check
            )
        coming = {t.low for t in tokens[max(0, rank.start - 4) : rank.start]}
        if ranked is not None and coming & (_FORECAST_WORDS | {"become", "becomes"}):
            # "China will soon become the main partner": a forecast, not a rank
            ranked = replace(
                ranked,
                measure=UNCHECKABLE,
                kind="forecast or target",
                would_check="the published figures for that year, once they are out",
            )
        if ranked is not None:
            place(ranked, rank.start, rank.end)
    for start, end, cue in comparisons[:1]:
        compared = _comparison_claim(start, end, cue, clause, cues, document, sentence.index)
        if compared is not None:
            place(compared, start)
    measured = [q for q in figures if q.kind in (PERCENT, MONEY, MULTIPLE)]
    if not measured and not forecast and not placed:
        for at, claim in _figureless_claims(clause, cues, document):
            place(claim, at)
    flows_named = [c.split(":")[1] for _, _, c in cues if c.startswith("flow:")]
    if flows_named:  # "This was 7.2 percent higher": the flow named before in the paragraph
        document.flows[clause.paragraph] = flows_named[-1]
    placed.sort(key=lambda item: item[0])
    claims = [_clause_years(claim, start, end, quantities, tokens) for start, end, claim in placed]
    if _says_last_year(tokens):
        claims = [  # "soared by 60% last year and doubled in the first five months of 2022"
            replace(c, year_basis=_CLAUSE_LAST_YEAR) if not c.year_basis else c for c in claims
        ]
    claims = [
        _with_unplaced(claim, clause, unplaced, at, document.group)
        for (at, _, _), claim in zip(placed, claims, strict=True)
    ]
    if months is not None:
        claims = [replace(c, months=months) if c.measure != UNCHECKABLE else c for c in claims]
    if not claims and not reasons:
        kinds = {q.kind for q in quantities}
        if kinds & {YEAR, DATE}:
            reasons.append("only a date or a year")
        elif ORDINAL in kinds:
            reasons.append("an ordinal ('21st century'), not a measure")
        elif CHANGE_FROM in kinds:
            reasons.append("a starting level ('from X to Y') without a claim")
    return claims, "; ".join(reasons)


#: Verbs that say which way a flow went without a figure ("exports and imports declined").
_SIGN_VERBS = {
    "declined": "down", "decreased": "down", "fell": "down", "dropped": "down",
    "shrank": "down", "contracted": "down", "slumped": "down", "plunged": "down",
    "rose": "up", "increased": "up", "grew": "up", "climbed": "up", "expanded": "up",
    "surged": "up", "jumped": "up", "soared": "up",
}  # fmt: skip
_BALANCE_SIGNS = (  # words, the sign of the balance they state
    (("negative", "balance"), "down"),
    (("positive", "balance"), "up"),
    (("export", "surplus"), "up"),
    (("trade", "surplus"), "up"),
    (("trade", "deficit"), "down"),
    (("imports", "exceeded", "exports"), "down"),
    (("exports", "exceeded", "imports"), "up"),
)
_FLOW_PHRASE = frozenset({"and", "total", "of", "the", "its", "goods", "from", "to", "with"})


def _figureless_claims(
    clause: _Clause, cues: list[tuple[int, int, str]], document: Document
) -> list[tuple[int, Claim]]:
    """Claims a clause makes without a figure: the sign of a balance ("a negative
    balance", "imports exceeded exports", "an export surplus", "imports ... were greater
    in value than exports"), else which way flows went ("Armenia's total exports and
    imports declined in 2020", "imports from Iran rose significantly"). Each is judged as
    a figure above or below zero."""
    roles = _roles(clause, cues)
    return _balance_signs(clause, cues, roles, document) or _growth_signs(
        clause, cues, roles, document
    )


def _balance_signs(
    clause: _Clause, cues: list[tuple[int, int, str]], roles: _Roles, document: Document
) -> list[tuple[int, Claim]]:
    lows = [t.low for t in clause.tokens]
    found: list[tuple[int, Claim]] = []
    for words, sign in _BALANCE_SIGNS:
        at = next((i for i in range(len(lows)) if tuple(lows[i : i + len(words)]) == words), None)
        if at is not None:
            end = at + len(words)
            found.append(
                (at, _sign_claim("balance", sign, "USD", at, end, clause, roles, document))
            )
    greater = next((i for i, w in enumerate(lows) if w == "greater"), None)
    if found or greater is None or "than" not in lows[greater:]:
        return found
    directed = [(s, c.split(":")[1]) for s, _, c in cues if c in ("flow:exports", "flow:imports")]
    before = [f for s, f in directed if s < greater]
    after = [f for s, f in directed if s > greater]
    if before and after and before[0] != after[0]:  # "imports ... greater than exports"
        sign = "down" if before[0] == "imports" else "up"
        end = greater + lows[greater:].index("than") + 1
        found.append(
            (greater, _sign_claim("balance", sign, "USD", greater, end, clause, roles, document))
        )
    return found


_ADVERBS = frozenset({"significantly", "further", "sharply", "markedly"})


def _growth_signs(
    clause: _Clause, cues: list[tuple[int, int, str]], roles: _Roles, document: Document
) -> list[tuple[int, Claim]]:
    tokens = clause.tokens
    lows = [t.low for t in tokens]
    named = {i for m in clause.mentions for i in range(m.start, m.end)}
    for index, word in enumerate(lows):
        direction = _SIGN_VERBS.get(word)
        if direction is None:
            continue
        flows: list[str] = []
        position = index - 1
        while position >= 0 and (
            lows[position] in _FLOW_PHRASE
            or _flow_at(cues, position) is not None
            or position in named
        ):
            if (cue := _flow_at(cues, position)) is not None and cue not in flows:
                flows.insert(0, cue)
            position -= 1
        if not flows or ("turnover" in flows and len(flows) > 1):
            continue
        found: list[tuple[int, Claim]] = []
        verbs = [(index, direction)] + [  # "rose significantly in 2019, climbed further"
            (later, _SIGN_VERBS[lows[later]])
            for later in range(index + 1, len(tokens))
            if lows[later] in _SIGN_VERBS and lows[later - 1] in (",", "and")
        ]
        for at, way in verbs:
            end = at + 2 if at + 1 < len(tokens) and lows[at + 1] in _ADVERBS else at + 1
            for flow in flows:
                found.append((at, _sign_claim(flow, way, "%", at, end, clause, roles, document)))
        return found
    return []


def _flow_at(cues: list[tuple[int, int, str]], position: int) -> str | None:
    return next(
        (c.split(":")[1] for s, e, c in cues if s <= position < e and c.startswith("flow:")),
        None,
    )


def _sign_claim(
    flow: str,
    sign: str,
    unit: str,
    start: int,
    end: int,
    clause: _Clause,
    roles: _Roles,
    document: Document,
) -> Claim:
    hedge = "more than" if sign == "up" else "less than"
    stated = Stated(0.0, unit, hedge, None, 1.0, _span(clause.tokens, start, end))
    if flow == "balance":  # "Germany had achieved an export surplus": Germany's balance
        pair = replace(roles, subject_trades=True, bilateral=True)
        return _flow_claim(LEVEL, flow, None, stated, pair, document)
    return _flow_claim(GROWTH, flow, None, stated, roles, document)


_BASE_WORDS = word_class("base")
#: A spell of time the checker does not read as a period ("the past year and a half", "the
#: last 18 months"): a figure over it is not judged against a calendar year.
_SPELL = re.compile(
    r"\b(?:past|last|previous)\s+(?:year and a half|(?:\w+\s+)?(?:months|years)|\w+ months)\b"
    r"|\b(?:per|a|each|every) month\b"
)


def _listed_partners(clause: _Clause) -> list[Mention]:
    """Countries named one after another in a list ("to Belarus, Armenia, Georgia and
    Kazakhstan"): a figure for them together is not one partner's."""
    tokens = clause.tokens
    run: list[Mention] = []
    longest: list[Mention] = []
    previous_end = -1
    for mention in clause.mentions:
        between = [t.low for t in tokens[previous_end : mention.start]] if run else []
        if run and all(word in (",", "and", "as", "well", "the") for word in between):
            run.append(mention)
        else:
            run = [mention]
        previous_end = mention.end
        if len(run) > len(longest):
            longest = list(run)
    return longest


#: Words that make "other countries" other than a group named before ("if they are
#: excluded, exports to all other countries fell"), not other than the text's partner.
_OTHER_THAN_A_GROUP = frozenset({"they", "them", "these", "those", "excluded", "excluding"})
_UNPLACED_KINDS = frozenset({"trade with a region", "trade with the rest of the world"})
_REFERRING_GOODS = frozenset({"such", "these", "those", "this", "that"})
_KINDS_OF_GOODS = frozenset({"types", "kinds", "categories", "items"})


def _with_unplaced(
    claim: Claim,
    clause: _Clause,
    unplaced: list[tuple[int, int, Uncheckable]],
    at: int,
    group: str | None,
) -> Claim:
    """Note the words a trade reading leaves out - goods when it reads no product, a region
    or "other countries" - so a figure that may be about them is not called contradicted.
    "Trade with other countries shrank by 16.6%" (the figure just after the words) is the
    world less the text's partner; "if they are excluded, exports to all other countries
    fell by 12%", the world less the partners the text named together before."""
    if claim.measure == UNCHECKABLE:
        return claim
    tokens = clause.tokens
    if unplaced:
        start, end, what = unplaced[0]
        rest = (
            what.kind == "trade with the rest of the world"
            and claim.measure in (LEVEL, GROWTH, CHANGE)
            and claim.partner not in (None, WORLD)
            and 0 <= at - end <= 6
        )
        other_than_a_group = any(t.low in _OTHER_THAN_A_GROUP for t in tokens[:start])
        if rest and "+" not in (claim.partner or "") and not other_than_a_group:
            return replace(claim, partner=f"{WORLD}-{claim.partner}")
        if rest and other_than_a_group and group is not None:
            return replace(claim, partner=f"{WORLD}-{group}")
        return replace(claim, unplaced=_span(tokens, start, end))
    text = " ".join(t.low for t in tokens)
    spell = _SPELL.search(text)
    if spell is not None and claim.base_span is None:  # "in the past year and a half"
        return replace(claim, unplaced=spell.group(0))
    listed = _listed_partners(clause)
    if len(listed) >= 3 and claim.measure in (LEVEL, GROWTH, CHANGE):
        # "exports to Belarus, Armenia, Georgia, ...": all of them together, summed
        codes = list(dict.fromkeys(m.code for m in listed if m.code != claim.reporter))
        claim = replace(claim, partner="+".join(codes))
    if any(t.low == "items" for t in tokens):
        return replace(claim, unplaced="items")  # "97 percent of the items": which items?
    referring = next(
        (
            i
            for i, t in enumerate(tokens[:-1])
            if t.low in _REFERRING_GOODS and tokens[i + 1].low in _GOODS | _KINDS_OF_GOODS
        ),
        None,
    )
    if referring is not None:  # "such goods", "this year sold such products"
        return replace(claim, unplaced=_span(tokens, referring, referring + 2))
    if claim.product is None:
        goods = _products(clause, 0, len(tokens))
        if goods:
            return replace(claim, unplaced=goods[0].label)
    return claim


_ITEMISED = (
    "each good's value and share of the pair's flow (national statistics by commodity, UN "
    "Comtrade or CEPII BACI); a list of goods with their shares is not read as trade claims"
)


def _bracketed_pairs(figures: list[Quantity], tokens: list[Token]) -> set[int]:
    """Starts of figures given in pairs, one in brackets after the other - "14.7%
    ($499mn)", "$28 million (1.5%)": an item of a list of goods, its value and share."""
    paired: set[int] = set()
    for first, second in zip(figures, figures[1:], strict=False):
        kinds = {first.kind, second.kind}
        opens = first.end < len(tokens) and tokens[first.end].text == "("
        if kinds == {PERCENT, MONEY} and opens and second.hedge_start in (first.end, first.end + 1):
            paired.update((first.start, second.start))
    return paired


_PERIOD_REFERENCES = frozenset({"reporting", "same", "this", "that", "the"})


def _refers_to_period(tokens: list[Token]) -> bool:
    """'over the reporting period', 'in the same period': the period named before."""
    return any(
        token.low == "period" and index > 0 and tokens[index - 1].low in _PERIOD_REFERENCES
        for index, token in enumerate(tokens)
    )


def _is_base_year(tokens: list[Token], year: Quantity) -> bool:
    """'since 2019', 'compared with 2021', 'than in 2021', 'the same period (or months) of
    2021', 'the 2021 level': the year a change is measured from."""
    before = [t.low for t in tokens[max(0, year.start - 3) : year.start]]
    after = tokens[year.end].low if year.end < len(tokens) else ""
    if before[-2:] in (["period", "of"], ["period", "in"]) and _over_the_period(tokens, year):
        return False  # "over the same period in 2022": the months of that year
    return bool(before) and (
        before[-1] in _BASE_WORDS
        or before[-2:] in (["compared", "with"], ["compared", "to"], ["than", "in"])
        or before[-2:] in (["than", "the"], ["period", "of"], ["period", "in"])
        or before[-3:] in (["same", "months", "of"], ["same", "months", "in"])
        or before[-3:] in (["compared", "with", "in"], ["compared", "to", "in"])
        or (before[-1] == "the" and after in _BASE_NOUNS)
        or before[-1] == "against"
        or (before[-1] == "from" and after in _AFTER_FROM_BASE)
        or (
            before[-1] == "year"
            and "than" in [t.low for t in tokens[max(0, year.start - 7) : year.start]]
        )
        or (len(before) >= 2 and before[-2] == "against" and before[-1] in _MONTH_WORDS)
        or (before[-1] == "in" and _follows_against(tokens, year.start - 1))
    )


def _over_the_period(tokens: list[Token], year: Quantity) -> bool:
    words = [t.low for t in tokens[max(0, year.start - 6) : year.start - 2]]
    return words[-3:] in (["over", "the", "same"], ["during", "the", "same"]) or words[-2:] in (
        ["over", "the"],
        ["during", "the"],
    )


def _follows_against(tokens: list[Token], at: int) -> bool:
    """'against $410.9 million in 2022': the year closes a figure the change is set against."""
    words = [t.low for t in tokens[max(0, at - 6) : at]]
    return "against" in words and not {",", ";", "and"} & set(words[words.index("against") :])


#: What follows 'from 2022' when the year is a change's base ("a drop of 58.5 percent from
#: 2022, when ...", "from 2022 to 2023"), not a source's date ("data from 2022 show").
_AFTER_FROM_BASE = frozenset({"", ",", ".", ";", ")", "to", "levels", "level", "when"})

_CLAUSE_LAST_YEAR = "clause: last year"  # the clause itself says "last year"


def _says_last_year(tokens: list[Token]) -> bool:
    pairs = zip(tokens, tokens[1:], strict=False)
    return any(a.low == "last" and b.low == "year" for a, b in pairs)


_MONTH_WORDS = frozenset(name.lower() for name in MONTH_NAMES)
_BASE_NOUNS = frozenset({"level", "levels", "figure", "figures", "result", "results"})
#: Words between a base year and a figure of that year: "the 2022 figures ($770.2
#: million)", "3.7% in the corresponding period of 2023".
_BESIDE = _BASE_NOUNS | {"(", ":", "in", "the", "corresponding", "same", "period", "of", "for"}


def _is_start(quantity: Quantity, tokens: list[Token]) -> bool:
    """A level a change starts from: 'from 24.6', 'from a little over EUR 1.4 billion'."""
    if quantity.kind == CHANGE_FROM:
        return True
    opening = quantity.hedge_start if quantity.hedge_start >= 0 else quantity.start
    return quantity.kind == MONEY and opening > 0 and tokens[opening - 1].low == "from"


def _year_of_start(year: Quantity, starts: list[Quantity], tokens: list[Token]) -> bool:
    """Whether ``year`` dates the starting level just before it ("from $931 million in
    2021 to ...")."""
    return any(
        0 <= year.start - q.end <= 2 and all(t.low == "in" for t in tokens[q.end : year.start])
        for q in starts
    )


def _clause_years(
    claim: Claim, start: int, end: int, quantities: list[Quantity], tokens: list[Token]
) -> Claim:
    """The year of the figure when its clause names several ("27.9% in 2023 from 35.1% in
    2022": the year just after the figure, else the nearest), and the base of a growth."""
    if claim.measure == UNCHECKABLE:
        return claim
    years = [q for q in quantities if q.kind == YEAR]
    stated = [q for q in years if not _is_base_year(tokens, q)]
    base = [q for q in years if _is_base_year(tokens, q)]
    if "to" in [t.low for t in tokens[max(0, start - 4) : start]]:
        starts = [q for q in quantities if q.end <= start and _is_start(q, tokens)]
        stated = [  # "from EUR 1.4 billion in 2021 to EUR 2.8 billion": 2021 is the start's
            q for q in stated if not _year_of_start(q, starts, tokens) or q.start > start
        ]
    if _says_last_year(tokens[end : end + 3]):
        return replace(claim, year_basis=_CLAUSE_LAST_YEAR)  # "by nearly 60% last year"
    if stated:  # the clause's own year before the sentence's latest
        following = [q for q in stated if end <= q.start <= end + 2]
        nearest = following[0] if following else min(stated, key=lambda q: abs(q.start - start))
        year = int(nearest.high or nearest.value)
        claim = replace(claim, year=year, candidate_years=(year,), year_basis="stated")
    beside = [
        q
        for q in base
        if (0 <= start - q.end <= 3 and all(t.low in _BESIDE for t in tokens[q.end : start]))
        or (0 <= q.start - end <= 5 and all(t.low in _BESIDE for t in tokens[end : q.start]))
    ]
    if claim.measure not in (GROWTH, CHANGE) and beside:
        year = int(beside[0].value)  # "on the 2022 figures ($770.2 million)": that year's
        claim = replace(claim, year=year, candidate_years=(year,), year_basis="stated")
    if claim.measure in (GROWTH, CHANGE):
        if base:
            claim = replace(claim, base_year=int(base[0].value))
        else:
            span = next(
                (
                    int(q.value)
                    for q in quantities
                    if q.kind == COUNT
                    and q.unit.split()[:1] == ["years"]
                    and q.start > 0
                    and tokens[q.start - 1].low in ("over", "past", "in", "last")
                ),
                None,
            )
            signed = not any(ch.isdigit() for ch in claim.stated.text)
            if span and not signed:  # "rose significantly in 2019": on the year before
                claim = replace(claim, base_span=span)
    return claim


# -- roles ---------------------------------------------------------------------------


@dataclass
class _Roles:
    """What the words around each country say about its part in the clause."""

    owner: str | None = None  # "Kazakhstan's trade", "partner of the republic", "Kazakh imports"
    share_of: str | None = None  # "Russia's share"
    from_country: str | None = None
    to_country: str | None = None
    with_country: str | None = None
    other: str | None = None  # the partner compared with
    subject: str | None = None  # the grammatical subject
    subject_trades: bool = False  # "Kazakhstan exported ...": the subject reports the flow
    subject_supplies: bool = False  # "Russia supplied ...": the subject is the partner
    subject_receives: bool = False  # "Kazakhstan took the most": where the exports went
    pair: tuple[str, str] | None = None
    bilateral: bool = False  # "bilateral", "mutual", "between the two countries"


_TRADE_VERBS = word_class("trade_verb")
_RECEIVE_VERBS = word_class("receive_verb")
#: Words that refer back to a figure named before: "the figure", "it", "this".
_PREPOSITIONS = frozenset(
    {"to", "into", "from", "with", "by", "of", "between", "and", "in", "for"}
)
_REFERRING = frozenset(
    {"figure", "it", "they", "this", "these", "those", "which", "volume", "total"}
)
_GOODS = frozenset({"goods", "products", "produce", "commodities", "cargo"})
_FLOW_NOUNS = frozenset({"imports", "exports", "import", "export", "purchases", "sales"})
_SUPPLY_VERBS = word_class("supply_verb")
_BILATERAL_WORDS = word_class("bilateral")


_TOGETHER = frozenset({"together", "combined", "jointly"})
_MEMBERS_OF = frozenset({"countries", "states", "nations", "members"})


def _roles(clause: _Clause, cues: list[tuple[int, int, str]]) -> _Roles:
    tokens = clause.tokens
    roles = _Roles(bilateral=any(t.low in _BILATERAL_WORDS for t in tokens))
    compare_ends = {end for _, end, cue in cues if cue.startswith("compare:")}
    mentions = clause.mentions
    joined: set[int] = set()
    for position, mention in enumerate(mentions):
        if position in joined:
            continue
        if mention.how == "there":  # "exports of Armenian goods there": to that country
            roles.to_country = roles.to_country or mention.code
            continue
        before = tokens[mention.start - 1].low if mention.start > 0 else ""
        at = mention.start - 1
        if before == "the" and mention.start > 1:  # "from the EU", "to the UAE"
            at -= 1
            before = tokens[at].low
        if before == "of" and at >= 2 and tokens[at - 1].low in _MEMBERS_OF:
            before = tokens[at - 2].low  # "from countries of the Asian continent"
        if before == "into":  # "exports into Russia"
            before = "to"
        if before == "with" and tokens[0].low == "with" and mention.start <= 2:
            before = ""  # "With the United States imposing sanctions, ...": not a partner
        after = tokens[mention.end] if mention.end < len(tokens) else None
        following = mentions[position + 1] if position + 1 < len(mentions) else None
        adjacent = following is not None and following.start == mention.end + 1
        verb = tokens[following.end] if following and following.end < len(tokens) else None
        if (  # "The UAE and Hong Kong accounted for 34%": the two together
            adjacent
            and after is not None
            and after.low == "and"
            and following is not None
            and verb is not None
            and verb.low in _SUBJECT_VERBS
            and roles.subject is None
        ):
            roles.subject = f"{mention.code}+{following.code}"
            joined.add(position + 1)
            continue
        if (  # "trade with China and Russia together": the two summed, one partner
            adjacent
            and after is not None
            and after.low == "and"
            and before in ("with", "to", "from")
            and following is not None
            and any(t.low in _TOGETHER for t in tokens)
        ):
            mention = replace(mention, code=f"{mention.code}+{following.code}")
            joined.add(position + 1)
        if adjacent and after is not None and after.text in ("-", "–"):
            roles.pair = roles.pair or (mention.code, following.code)  # type: ignore[union-attr]
            continue
        if before == "between" and following is not None:
            roles.pair = roles.pair or (mention.code, following.code)
            continue
        if mention.start in compare_ends:
            roles.other = roles.other or mention.code
            continue
        plural = tokens[mention.end + 1] if mention.end + 1 < len(tokens) else None
        if (  # "EU countries' exports", "EU member states' exports"
            after is not None
            and after.low in ("countries", "states", "member")
            and any(
                t.kind == POSSESSIVE or t.text in ("'", "’")
                for t in tokens[mention.end + 1 : mention.end + 3]
            )
            and plural is not None
        ):
            roles.owner = roles.owner or mention.code
            continue
        if after is not None and after.kind == POSSESSIVE:
            owned = [t.low for t in tokens[mention.end + 1 : mention.end + 3]]
            if "share" in owned:
                roles.share_of = roles.share_of or mention.code
            else:
                roles.owner = roles.owner or mention.code
            continue
        if mention.how == "adjective" and after is not None and after.low in _GOODS:
            roles.from_country = roles.from_country or mention.code  # "Kazakh goods"
            continue
        if after is not None and (mention.how == "adjective" or before not in _PREPOSITIONS):
            cue = lexicon().cues.match_at(tokens, mention.end)  # "Kazakh exports", "EU exports"
            directed = cue is not None and cue[1] in ("flow:exports", "flow:imports")
            if (
                cue is not None
                and cue[1].startswith("flow:")
                and (directed or mention.how == "adjective")
            ):
                roles.owner = roles.owner or mention.code
                continue
        if before == "from" or (  # "wheat supplied by Russia": from Russia
            before == "by" and at >= 1 and tokens[at - 1].low in _SUPPLY_VERBS
        ):
            roles.from_country = roles.from_country or mention.code
            continue
        if before in ("to", "into"):
            roles.to_country = roles.to_country or mention.code
            continue
        if before == "with":
            roles.with_country = roles.with_country or mention.code
            continue
        if before == "by" and mention.start >= 2:  # "imports of Kazakh goods by Uzbekistan"
            window = {t.low for t in tokens[max(0, mention.start - 7) : mention.start - 1]}
            if window & _FLOW_NOUNS:
                roles.owner = mention.code  # the importer named after "by" reports
                continue
        if before == "of" and mention.start >= 2:
            window = {t.low for t in tokens[max(0, mention.start - 4) : mention.start - 1]}
            if window & _TRADE_OWNER_WORDS:
                roles.owner = roles.owner or mention.code
                continue
        if (
            roles.subject is None
            and after is not None
            and (
                after.low in _SUBJECT_VERBS
                or mention.start == 0
                or (mention.start == 1 and tokens[0].low == "the")  # "The EU, he said, ..."
            )
        ):
            roles.subject = mention.code
            roles.subject_trades = after.low in _TRADE_VERBS
            roles.subject_supplies = after.low in _SUPPLY_VERBS
            roles.subject_receives = after.low in _RECEIVE_VERBS
    return roles


def _settle(
    roles: _Roles, document: Document, flow: str, *, world_if_unnamed: bool = False
) -> tuple[str | None, str | None]:
    """Reporter and partner of a claim about ``flow``, from the roles and the text's pair.

    "from X to Y" reads as X exporting to Y; "X's" and "of X" make X the reporter; the
    grammatical subject is the reporter when it trades ("Kazakhstan exported") and the
    partner otherwise ("Russia is the largest partner", "Russia supplied"). An unnamed
    partner is the text's other country, or the world when ``world_if_unnamed`` (a
    product's total) or when the reporter is named and the clause is not about the pair.
    """
    if roles.pair is not None:
        a, b = roles.pair
        return (a, b) if document.subject not in roles.pair or a == document.subject else (b, a)
    reporter = roles.owner
    partner = roles.share_of
    if flow == "exports":
        reporter = reporter or roles.from_country
        partner = partner or roles.to_country
    elif flow == "imports":
        partner = partner or roles.from_country
        if roles.to_country and roles.to_country != partner:
            reporter = reporter or roles.to_country
    else:
        partner = partner or roles.with_country or roles.from_country or roles.to_country
    if roles.with_country and partner is None and roles.with_country != reporter:
        partner = roles.with_country
    subject = roles.subject
    if subject is not None and roles.subject_receives and flow == "exports":
        partner = subject  # the exports went to the subject
        if reporter == subject:
            reporter = None
    elif subject is not None:
        if roles.subject_trades and reporter is None and subject != partner:
            reporter = subject
        elif roles.with_country == partner and reporter is None and subject != partner:
            # "in trade with Kazakhstan, Russia is ...": the country after "with" reports
            reporter, partner = partner, subject
        elif partner is None and subject != reporter:
            partner = subject
        elif reporter is None and subject != partner:
            reporter = subject
    named = reporter is not None
    carried = _reporter_before(document.last_claims, flow)
    if reporter is None and carried is not None and carried != partner:
        reporter = carried  # "EU exports to Russia collapsed. ... exports to Belarus came to"
    if reporter is None:
        reporter = document.subject if partner != document.subject else document.partner
    if partner is None:
        if world_if_unnamed or (named and flow != "turnover" and not roles.bilateral):
            partner = WORLD
        else:
            partner = document.partner if reporter != document.partner else document.subject
    if reporter == partner:
        partner = document.partner if reporter == document.subject else document.subject
    return reporter, partner


def _reporter_before(claims: list[Claim], flow: str) -> str | None:
    """The one reporter of the sentence before's claims about the same flow, if one."""
    if flow not in ("exports", "imports"):
        return None
    return _the_one(c.reporter for c in claims if c.measure != UNCHECKABLE and c.flow == flow)


def _subject_first(
    reporter: str | None, partner: str | None, document: Document
) -> tuple[str | None, str | None]:
    """Turnover is the same seen from either side: put the text's subject first."""
    if partner is not None and partner == document.subject and reporter != document.subject:
        return partner, reporter
    return reporter, partner


# -- trade claims --------------------------------------------------------------------


def _flow_near(
    cues: list[tuple[int, int, str]], position: int, *, after_first: bool = False
) -> str | None:
    flows = [(s, c.split(":")[1]) for s, _, c in cues if c.startswith("flow:")]
    if not flows:
        return None
    before = [f for s, f in flows if s < position]
    later = [f for s, f in flows if s >= position]
    if after_first and later:
        return later[0]
    if before:
        return before[-1]
    return later[0] if later else None


def _products(clause: _Clause, start: int, end: int) -> list[Product]:
    found = lexicon().products_in(clause.tokens[start:end])
    taken = {i for m in clause.mentions for i in range(m.start, m.end)}
    taken |= _relative_clauses(clause.tokens)
    return [p for s, _, p in found if s + start not in taken]


def _relative_clauses(tokens: list[Token]) -> set[int]:
    """Tokens of a relative clause set off by commas ("exports to Asia, which took Europe's
    place as the chief buyer of Russian energy, rose"): its goods describe the partner,
    not the figure's flow."""
    inside: set[int] = set()
    for index, token in enumerate(tokens[:-1]):
        if token.text == "," and tokens[index + 1].low in ("which", "who"):
            close = next((i for i in range(index + 2, len(tokens)) if tokens[i].text == ","), None)
            if close is not None:
                inside.update(range(index + 1, close))
    return inside


def _union(products: list[Product]) -> Product | None:
    if not products:
        return None
    if len(products) == 1:
        return products[0]
    codes: list[str] = []
    for product in products:
        codes.extend(c for c in product.codes if c not in codes)
    widest = max(products, key=lambda p: len(p.codes))
    covered = all(
        any(code.startswith(w) or w.startswith(code) for w in widest.codes)
        for p in products
        for code in p.codes
    )
    label = widest.label if covered else " and ".join(dict.fromkeys(p.label for p in products))
    return Product(
        label, tuple(sorted(codes, key=lambda c: (c, len(c)))) if not covered else widest.codes
    )


def _stated(quantity: Quantity, tokens: list[Token], *, negative: bool = False) -> Stated:
    value = quantity.value
    high = quantity.high
    unit = quantity.unit or quantity.kind
    if quantity.kind == MONEY:
        unit = quantity.unit
    step = quantity.step
    if quantity.kind == MULTIPLE:
        value, unit, step = (quantity.value - 1) * 100, "%", quantity.step * 100
    if negative:
        value = -value
        high = None if high is None else -high
        if high is not None:
            value, high = high, value
    start = quantity.hedge_start if quantity.hedge_start >= 0 else quantity.start
    end = quantity.end
    unit_words = quantity.unit.lower().split()
    following = [t.low for t in tokens[end : end + len(unit_words)]]
    if quantity.kind == COUNT and following == unit_words:
        end += len(unit_words)  # "3,786 cars"; not a unit named before ("number of cars")
    text = _span(tokens, start, min(end, len(tokens)))
    return Stated(value, unit, quantity.hedge, high, step, text)


def _span(tokens: list[Token], start: int, end: int) -> str:
    out = ""
    for index in range(start, end):
        token = tokens[index]
        if out and index > start and token.start > tokens[index - 1].end:
            out += " "
        out += token.text
    return out


#: Verbs that give a rise or fall its size ("growth ... was 79%", "the increase amounted to").
_STATED_AS = frozenset({"was", "is", "were", "stood", "amounted", "reached", "totalled", "totaled"})


def _growth_direction(
    tokens: list[Token], quantity: Quantity, cues: list[tuple[int, int, str]]
) -> str | None:
    """'up'/'down' when a rise or fall word sits just before or after the figure."""
    start = quantity.hedge_start if quantity.hedge_start >= 0 else quantity.start
    for cue_start, cue_end, cue in cues:
        if not cue.startswith("growth:"):
            continue
        gap = tokens[cue_end:start]
        if (
            cue_end <= start
            and len(gap) <= 3
            and all(
                t.low in ("by", "of", "a", "an", "only", "just", "some", "the", "same") for t in gap
            )
        ):
            return cue.split(":")[1]
        if (  # "exceeded the 2021 level by 27.6%", "raised its imports from the EU by 42.2%"
            cue_end < start
            and len(gap) <= 7
            and gap[-1].low == "by"
            and not any(
                (t.kind == NUMBER and not _looks_like_year(t.text)) or t.text in (",", ";")
                for t in gap
            )
        ):
            return cue.split(":")[1]
        if (  # "growth in 2022 was about 79%": the rise named, then its size
            cue_end <= start
            and len(gap) <= 5
            and any(t.low in _STATED_AS for t in gap)
            and all(
                t.low in _STATED_AS | {"in", "of", "at", "to"}
                or (t.kind == NUMBER and _looks_like_year(t.text))
                for t in gap
            )
        ):
            return cue.split(":")[1]
        if (  # "decreased according to the same data, by 12.3%"
            cue_end < start
            and len(gap) <= 10
            and gap[0].low == "according"
            and [t.text for t in gap[-2:]] == [",", "by"]
            and not any(t.kind == NUMBER for t in gap)
        ):
            return cue.split(":")[1]
        after = tokens[quantity.end : cue_start]
        following = tokens[cue_end].low if cue_end < len(tokens) else ""
        if (
            cue_start >= quantity.end
            and quantity.kind in (PERCENT, MULTIPLE)
            and following != "from"  # "9.5%, up from 8%": a level, then where it started
            and (len(after) <= 1 or all(t.low in _YEAR_ON_YEAR for t in after))
        ):
            return cue.split(":")[1]
    if start > 0 and tokens[start - 1].text in ("+", "−", "-") and quantity.kind == PERCENT:
        before = tokens[start - 2].text if start > 1 else "("
        if before in ("(", ",", ":") or not before.isalnum():
            return "up" if tokens[start - 1].text == "+" else "down"  # "(+15.4%)"
    return None


def _looks_like_year(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1900 < int(text) < 2100


_YEAR_ON_YEAR = frozenset({"y", "/", "year-on-year", "yoy", "y-o-y", "year", "on", "-", "annual"})


def _trade_claim(
    quantity: Quantity,
    clause: _Clause,
    cues: list[tuple[int, int, str]],
    document: Document,
    figures: list[Quantity],
) -> list[Claim] | None:
    """The trade claims one figure makes (several for a share of a list of products)."""
    tokens = clause.tokens
    roles = _roles(clause, cues)
    direction = _growth_direction(tokens, quantity, cues)
    flow = _flow_near(cues, quantity.start)
    named_before = any(c.startswith("flow:") and s < quantity.start for s, _, c in cues)
    pronoun = next((i for i, t in enumerate(tokens[: quantity.start]) if t.low in _REFERRING), None)
    opening = quantity.hedge_start if quantity.hedge_start >= 0 else quantity.start
    refers = pronoun is not None and not any(  # "it rose by 2 percent to $965 million"
        pronoun < other.start < quantity.start and opening - other.end > 1 for other in figures
    )
    if refers and not named_before and clause.paragraph in document.flows:
        # "it rose by 2 percent ... thanks to a jump in exports": "it" is the trade before
        flow = document.flows[clause.paragraph]
    if flow is None and any(t.low in _REFERRING for t in tokens):
        flow = document.flows.get(clause.paragraph)  # "This was 7.2 percent higher"
    if flow is None and direction is not None and not clause.mentions:
        flow = document.flows.get(clause.paragraph)  # "A decrease of 2.5% was recorded."
        if flow is None:  # "Exports came to $5.4 billion in 2022." / "Growth was 79%."
            flow = _one_flow(document.last_claims)
    if flow is None and direction is not None and _directions_named(clause):
        flow = document.flows.get(clause.paragraph)  # "growth came from the UAE direction"
        if flow is not None:
            _as_direction(roles, flow, clause.mentions[-1].code)
    if quantity.kind == MULTIPLE:
        verb = tokens[quantity.start].low in VERB_MULTIPLES
        if direction is None and not verb:
            return None
        direction = "up"  # the multiple says which way: "halved" is 0.5 times
    if direction is not None and quantity.kind in (PERCENT, MULTIPLE):
        if flow is None:
            return None
        product = _union(_products(clause, 0, quantity.hedge_start))
        stated = _stated(quantity, tokens, negative=direction == "down")
        claim = _flow_claim(GROWTH, flow, product, stated, roles, document)
        counted = product is not None and (
            any(_counts_goods(q) for q in figures) or _names_a_number(tokens)
        )
        return [replace(claim, counted=counted)]
    if quantity.kind == PERCENT:
        return _share_claims(quantity, clause, cues, document, figures, roles)
    if quantity.kind == MONEY:
        if flow is None and _sent_to(tokens, quantity):
            flow = "exports"  # "vehicles valued at more than $226 million went to Azerbaijan"
        if flow is None:
            return None
        if direction is not None:  # "fell by EUR 12 billion": a change in level
            product = _union(_products(clause, 0, quantity.hedge_start))
            stated = _stated(quantity, tokens, negative=direction == "down")
            return [_flow_claim(CHANGE, flow, product, stated, roles, document)]
        product = _union(_products(clause, 0, quantity.start))
        return [_flow_claim(LEVEL, flow, product, _stated(quantity, tokens), roles, document)]
    return None


_AVERAGE_RATE = re.compile(
    r"\b(?:average annual|annual average|average yearly|yearly average)\b[\w\s]{0,25}$", re.I
)
_THIS_RATE = re.compile(r"\b(?:this|that|the) (?:rate|pace)\b", re.I)


def _average_rate_claim(
    quantity: Quantity,
    clause: _Clause,
    cues: list[tuple[int, int, str]],
    document: Document,
    quantities: list[Quantity],
    sentence: Sentence,
) -> Claim | None:
    """'Exports grew at an average annual rate of 18.6% in 2010-2020, while from 2020 to
    2023 this rate jumped to 64%': a compound yearly rate between the span's end years.
    'This rate' after such a figure in the same sentence is the same trade's rate over
    the span its own clause names."""
    if quantity.kind != PERCENT:
        return None
    span = _year_span(quantities)
    if span is None:
        return None
    tokens = clause.tokens
    opening = quantity.hedge_start if quantity.hedge_start >= 0 else quantity.start
    before = " ".join(t.text for t in tokens[max(0, opening - 6) : opening])
    earlier = document.last_trade
    if _AVERAGE_RATE.search(before):
        flow = _flow_near(cues, quantity.start) or document.flows.get(clause.paragraph)
        if flow is None:
            return None
        roles = _roles(clause, cues)
        product = _union(_products(clause, 0, opening))
        claim = _flow_claim(GROWTH, flow, product, _stated(quantity, tokens), roles, document)
    elif (
        earlier is not None
        and earlier[0] == sentence.index
        and earlier[1].per_year
        and _THIS_RATE.search(" ".join(t.text for t in tokens[:opening]))
    ):
        claim = replace(earlier[1], stated=_stated(quantity, tokens))
    else:
        return None
    first, last = span
    return replace(
        claim,
        per_year=True,
        base_year=first,
        year=last,
        candidate_years=(last,),
        year_basis="stated",
    )


#: Words before a level that call it the highest the flow has reached.
_RECORD_WORDS = (
    ("all", "-", "time", "high"),
    ("all", "-", "time", "record"),
    ("record", "high"),
    ("historic", "high"),
    ("record", "level"),
)


def _record_words(tokens: list[Token], quantity: Quantity) -> tuple[int, int] | None:
    """The span of 'an all-time high of' (or 'a record high', 'a historic high') just
    before a figure."""
    opening = quantity.hedge_start if quantity.hedge_start >= 0 else quantity.start
    end = opening - 1 if opening > 0 and tokens[opening - 1].low == "of" else opening
    for words in _RECORD_WORDS:
        start = end - len(words)
        if start >= 0 and tuple(t.low for t in tokens[start:end]) == words:
            return start, end
    return None


def _record_claim(level: Claim, tokens: list[Token], words: tuple[int, int]) -> Claim:
    """The level's year ranked first among the years the flow has had."""
    stated = Stated(1.0, "rank", "exact", None, 1.0, _span(tokens, *words))
    return replace(level, measure=RECORD, stated=stated)


def _year_span(quantities: list[Quantity]) -> tuple[int, int] | None:
    """The years a clause spans: '2010-2020', or 'from 2020 to 2023'."""
    years = [
        q
        for q in quantities
        if q.kind == YEAR or (q.kind == CHANGE_FROM and _looks_like_year(f"{q.value:g}"))
    ]
    ranged = [q for q in years if q.high and q.high > q.value]
    if ranged:
        return int(ranged[0].value), int(ranged[0].high or 0)
    if len(years) == 2 and years[0].value < years[1].value:
        return int(years[0].value), int(years[1].value)
    return None


def _directions_named(clause: _Clause) -> bool:
    """'the main growth came from the UAE direction': every country the clause names is a
    direction of the trade the paragraph speaks of, not a side of a flow it names."""
    tokens = clause.tokens
    return bool(clause.mentions) and all(
        m.end < len(tokens) and tokens[m.end].low in ("direction", "directions")
        for m in clause.mentions
    )


def _as_direction(roles: _Roles, flow: str, code: str) -> None:
    """The country named as a direction is the partner of the flow, whatever preposition
    came before it ('growth came from the UAE direction' in a text on exports)."""
    roles.from_country = roles.to_country = roles.with_country = None
    if flow == "exports":
        roles.to_country = code
    elif flow == "imports":
        roles.from_country = code
    else:
        roles.with_country = code


def _set_in_a_year(quantity: Quantity, tokens: list[Token]) -> bool:
    """'the record of $111 billion set in pre-pandemic 2019': a figure a past year holds,
    beside a forecast in the same clause ('will exceed $130 billion')."""
    after = tokens[quantity.end : quantity.end + 7]
    words = [t.low for t in after]
    return (
        bool(words)
        and words[0] in _SET_IN
        and "in" in words
        and any(t.kind == NUMBER and _looks_like_year(t.text) for t in after)
    )


_SET_IN = frozenset({"set", "recorded", "registered", "reached", "achieved", "seen"})


def _year_already_over(
    quantity: Quantity, quantities: list[Quantity], tokens: list[Token], date: TextDate | None
) -> bool:
    """'By the end of 2022, exports will rise by 300%' in a text dated March 2023: the year
    the clause names before the figure was over when the text was written, so the figure
    is that year's outcome, not a forecast (a year after it may be another figure's: 'will
    exceed $130 billion, above the record set in 2019')."""
    if date is None:
        return False
    years = [
        q
        for q in quantities
        if q.kind == YEAR and q.end <= quantity.start and not _is_base_year(tokens, q)
    ]
    return bool(years) and all(int(q.high or q.value) < date.year for q in years)


def _one_flow(claims: list[Claim]) -> str | None:
    """The flow every trade claim of a sentence states, if they state one and no goods
    (a growth carried on from poultry exports would lose the poultry)."""
    trade = [c for c in claims if c.measure != UNCHECKABLE]
    if any(c.product is not None for c in trade):
        return None
    return _the_one(c.flow for c in trade)


def _the_one(values: Iterable[str | None]) -> str | None:
    """The value all the claims share, if they share one."""
    found = set(values)
    return found.pop() if len(found) == 1 else None


_SENT = frozenset({"went", "go", "goes", "sent", "shipped", "headed"})


def _sent_to(tokens: list[Token], quantity: Quantity) -> bool:
    """Goods that 'went to' or were 'sent to' a country just after the figure: exports."""
    window = tokens[quantity.end : quantity.end + 3]
    return any(
        t.low in _SENT and i + 1 < len(window) and window[i + 1].low == "to"
        for i, t in enumerate(window)
    )


def _draft_claim(
    *,
    measure: str,
    flow: str | None,
    reporter: str | None,
    partner: str | None,
    stated: Stated,
    product: Product | None = None,
    other: str | None = None,
    kind: str | None = None,
    would_check: str | None = None,
) -> Claim:
    """A claim before its sentence is known: ``place`` fills in the text and the index."""
    return Claim(
        text="",
        sentence=0,
        measure=measure,
        flow=flow,
        reporter=reporter,
        partner=partner,
        stated=stated,
        product=product,
        other=other,
        kind=kind,
        would_check=would_check,
    )


#: The unit of a count of goods ("3,786 cars"): judged against the units a customs
#: declaration counts (UN Comtrade's quantity in unit "u"), not against money.
GOODS_UNITS = "units"


def _names_a_number(tokens: list[Token]) -> bool:
    """'the number of cars ... rose six-fold': a growth of a count, not of a value."""
    return any(
        [t.low for t in tokens[i : i + 3]] == ["the", "number", "of"] for i in range(len(tokens))
    )


def _counted_as_named(quantities: list[Quantity], tokens: list[Token]) -> list[Quantity]:
    """'the number of cars brought into Armenia rose six-fold, to almost 45,300': a bare
    count after 'the number of' goods counts those goods."""
    named = next(
        (
            (end, tokens[start].text)
            for start, end, _ in lexicon().products.find_all(tokens)
            if start >= 2 and [t.low for t in tokens[start - 2 : start]] == ["number", "of"]
        ),
        None,
    )
    if named is None:
        return quantities
    end, noun = named
    return [
        replace(q, unit=noun) if q.kind == COUNT and not q.unit and q.start >= end else q
        for q in quantities
    ]


def _counts_goods(quantity: Quantity) -> bool:
    """'1,435 cars', '(603 cars)': a count of goods, whose growth is one of units."""
    return (
        quantity.kind == COUNT
        and bool(quantity.unit)
        and bool(lexicon().products_in(tokenize(quantity.unit)[:1]))
    )


def _goods_count_claim(
    quantity: Quantity, clause: _Clause, cues: list[tuple[int, int, str]], document: Document
) -> list[Claim] | None:
    """'Georgia exported 3,786 cars to Russia', '13,916 vehicles valued at $235.8 million
    were exported to Kazakhstan': how many of a good crossed the border."""
    if not quantity.unit:
        return None
    noun = tokenize(quantity.unit)[:1]
    goods = lexicon().products_in(noun)
    flow = _flow_near(cues, quantity.start, after_first=True) or document.flows.get(
        clause.paragraph
    )
    if not goods or flow not in ("exports", "imports"):
        return None
    product = goods[0][2]
    words = _stated(quantity, clause.tokens)
    stated = replace(words, unit=GOODS_UNITS, step=1.0)
    claim = _flow_claim(LEVEL, flow, product, stated, _roles(clause, cues), document)
    tokens = clause.tokens
    after = [  # "14,206 vehicles went to Azerbaijan and 5,840 vehicles to Kyrgyzstan"
        m
        for m in clause.mentions
        if m.start > quantity.end and tokens[m.start - 1].low in ("to", "from")
    ]
    if after and after[0].code != claim.reporter:
        claim = replace(claim, partner=after[0].code)
    return [claim]


def _flow_claim(
    measure: str,
    flow: str,
    product: Product | None,
    stated: Stated,
    roles: _Roles,
    document: Document,
) -> Claim:
    """A growth or level claim about a flow: reporter and partner settled from the clause's
    roles (the subject first for turnover); the caller fills in text and sentence."""
    reporter, partner = _settle(roles, document, flow, world_if_unnamed=product is not None)
    if flow == "turnover" and roles.owner is None:  # "Armenia's trade with the EU" stays
        reporter, partner = _subject_first(reporter, partner, document)
    claim = _draft_claim(
        measure=measure,
        flow=flow,
        reporter=reporter,
        partner=partner,
        product=product,
        stated=stated,
    )
    claim = replace(claim, owned=roles.owner is not None or roles.subject_trades)
    unnamed = not any(
        (roles.owner, roles.share_of, roles.from_country, roles.to_country,
         roles.with_country, roles.pair, roles.subject)
    )  # fmt: skip
    no_partner = not any(
        (roles.share_of, roles.from_country, roles.to_country, roles.with_country, roles.pair)
    )  # "Armenia's economy posted export growth": whose exports, but to whom?
    if (unnamed or no_partner) and flow != "turnover" and partner not in (None, WORLD):
        claim = replace(claim, other_reading=WORLD)  # "exports rose 55%": to whom?
    elif partner == WORLD and flow in ("exports", "imports") and not _partner_named(roles, flow):
        # "shipments from Kazakhstan of wheat rose 32%" in a text on its trade with
        # Uzbekistan: to the world, or to the text's other country
        other = document.partner if reporter == document.subject else document.subject
        pair = (document.subject, document.partner)
        if other is not None and other != reporter and reporter in pair:
            claim = replace(claim, other_reading=other)
    return claim


def _partner_named(roles: _Roles, flow: str) -> bool:
    """Whether the words name the other side of an export or import flow ('to X' for
    exports, 'from X' for imports), not only its owner ('shipments from Kazakhstan')."""
    beyond = roles.to_country if flow == "exports" else roles.from_country
    return any((roles.pair, roles.share_of, roles.with_country, beyond))


def _share_claims(
    quantity: Quantity,
    clause: _Clause,
    cues: list[tuple[int, int, str]],
    document: Document,
    figures: list[Quantity],
    roles: _Roles,
) -> list[Claim] | None:
    tokens = clause.tokens
    following = [f for f in figures if f.start > quantity.start and f.kind == PERCENT]
    segment_end = following[0].hedge_start if following else len(tokens)
    of = quantity.end < len(tokens) and tokens[quantity.end].low == "of"
    share_cue = any(c in ("share", "supply") for _, _, c in cues)
    if not of and not share_cue:
        return None
    products = _products(clause, quantity.end, segment_end)
    if not products and following == [] and of:
        products = _products(clause, quantity.end, len(tokens))
    segment_cues = [(s, e, c) for s, e, c in cues if quantity.end <= s < segment_end]
    share_before = [s for s, _, c in cues if c == "share" and s < quantity.start]
    owned_cues = (  # "China's share of Russia's trade ... was 17.7%, made up of ... exports"
        [(s, e, c) for s, e, c in cues if share_before[-1] < s < quantity.start]
        if share_before
        else []
    )
    flow = (
        _flow_near(segment_cues, quantity.end, after_first=True)
        or _flow_near(owned_cues, quantity.start)
        or _flow_near(cues, quantity.end, after_first=True)
    )
    if products:
        flow = "exports" if flow == "exports" else "imports"
    if flow is None and clause.offset > 0:  # ", while 42% were attributable to Russia"
        flow = document.flows.get(clause.paragraph)
    flow = flow or "turnover"
    partners = (
        roles.share_of,
        roles.subject,
        roles.from_country,
        roles.to_country,
        roles.with_country,
        roles.pair,
    )
    if not products and not any(partners):
        return None  # a share of something, but not of a country's trade with a partner
    claims: list[Claim] = []
    named = _named_for(quantity, clause)
    for product in products or [None]:  # type: ignore[list-item]
        reporter, partner = _settle(roles, document, flow)
        if named is not None and named != reporter:
            partner = named  # "21.5%, compared with 19.4% for Russia": Russia's share
        claims.append(
            _draft_claim(
                measure=SHARE,
                flow=flow,
                reporter=reporter,
                partner=partner,
                product=product,
                stated=_stated(quantity, tokens),
            )
        )
    return claims


def _named_for(quantity: Quantity, clause: _Clause) -> str | None:
    """The country a figure is 'for', named right after it: '19.4% for Russia'."""
    tokens = clause.tokens
    if quantity.end >= len(tokens) or tokens[quantity.end].low != "for":
        return None
    after = quantity.end + 1
    if after < len(tokens) and tokens[after].low == "the":
        after += 1
    return next((m.code for m in clause.mentions if m.start == after), None)


def _listed_partner_share(
    quantity: Quantity, clause: _Clause, cues: list[tuple[int, int, str]], document: Document
) -> Claim | None:
    """A partner named with its share in brackets - "Switzerland (13.6%)", "the United Arab
    Emirates (6.4%)" - in a text ranking the subject's partners: that partner's share of the
    subject's flow (the flow named in the clause or before it in the paragraph), over the
    months the paragraph named."""
    tokens = clause.tokens
    opening = quantity.hedge_start if quantity.hedge_start >= 0 else quantity.start
    if quantity.kind != PERCENT or opening < 2 or tokens[opening - 1].text != "(":
        return None
    if quantity.end >= len(tokens) or tokens[quantity.end].text != ")":
        return None
    named = next((m for m in clause.mentions if m.end == opening - 1 and m.how == "name"), None)
    if named is None or document.subject is None:
        return None
    reporter: str | None = document.reporters.get(clause.paragraph) or document.reporters.get(
        clause.paragraph - 1, document.subject
    )
    if reporter == named.code:
        reporter = document.subject if named.code != document.subject else document.partner
    if reporter is None:
        return None
    flow = _flow_near(cues, quantity.start) or document.flows.get(clause.paragraph) or "turnover"
    named_at = document.months_paragraph
    near = named_at is not None and clause.paragraph - 1 <= named_at <= clause.paragraph
    months = document.months if near else None
    claim = _draft_claim(
        measure=SHARE,
        flow=flow,
        reporter=reporter,
        partner=named.code,
        stated=_stated(quantity, tokens),
    )
    return replace(claim, months=months)


def _starting_level(quantity: Quantity, figures: list[Quantity], tokens: list[Token]) -> bool:
    """'from $931 million to $1.8 billion': the first figure is where a change started."""
    opening = quantity.hedge_start if quantity.hedge_start >= 0 else quantity.start
    after = [f for f in figures if f.start > quantity.end and f.kind == quantity.kind]
    return (
        quantity.kind == MONEY
        and opening > 0
        and tokens[opening - 1].low == "from"
        and bool(after)
        and tokens[quantity.end].low == "to"
    )


def _same_reporter(claim: Claim, clause: _Clause, sentence: Sentence, document: Document) -> Claim:
    """ "EU exports to Armenia rose by 178%, while they climbed by 45% to Azerbaijan": a
    clause that refers back with "they" and names no owner goes on with the same reporter;
    one that names no country at all, with the same trade ("exports ... came to EUR 500
    million, whereas in November 2022 it tripled")."""
    index, before = document.last_trade
    if index != sentence.index or claim.flow != before.flow:
        return claim
    if not clause.mentions and not claim.owned and before.reporter and before.partner:
        # "exports from Armenia to Russia almost tripled, and ... they nearly quadrupled",
        # "shipments from Kazakhstan of ores rose 4.8 times, while exports of wheat went up
        # 32.3%": the same trade, settled once the sentence is read (_going_on)
        return replace(claim, goes_on=True)
    tokens = clause.tokens
    refers = any(t.low in ("they", "it") for t in tokens[:8])
    owned = any(m.end < len(tokens) and tokens[m.end].kind == POSSESSIVE for m in clause.mentions)
    if not refers or owned or before.reporter in (None, claim.partner):
        return claim
    return replace(claim, reporter=before.reporter)


def _listed_growth(
    quantity: Quantity, clause: _Clause, sentence: Sentence, document: Document
) -> Claim | None:
    """A growth in a list that goes on from an earlier one in the sentence - "EU exports to
    Armenia rose by 178%, ... by 41% to Georgia, by 116% to Kazakhstan": the same flow and
    reporter, the partner named after the figure."""
    tokens = clause.tokens
    if document.last_growth is None or quantity.kind not in (PERCENT, MULTIPLE):
        return None
    index, before = document.last_growth
    opening = quantity.hedge_start if quantity.hedge_start >= 0 else quantity.start
    if index != sentence.index or opening < 1 or tokens[opening - 1].low != "by":
        return None
    word = {"exports": "to", "imports": "from"}.get(before.flow or "", "with")
    named = next(
        (
            m
            for m in clause.mentions
            if quantity.end < m.start <= quantity.end + 2 and tokens[m.start - 1].low == word
        ),
        None,
    )
    if named is None or named.code == before.reporter:
        return None
    negative = (before.stated.value or 0) < 0
    return replace(before, partner=named.code, stated=_stated(quantity, tokens, negative=negative))


def _nearer_uncheckable(
    quantity: Quantity,
    uncheckable: list[tuple[int, int, Uncheckable]],
    cues: list[tuple[int, int, str]],
) -> bool:
    """True when a non-trade word ('investments') is nearer the figure than any trade word,
    and near it at all: a word a clause away ('Speaking on the ... programme, ... he said
    growth was about 79%') does not take the figure."""

    def distance(start: int, end: int) -> int:
        if end <= quantity.start:
            return quantity.start - end
        return max(0, start - quantity.end)

    nearest_other = min(distance(s, e) for s, e, _ in uncheckable)
    trade = [distance(s, e) for s, e, c in cues if c.startswith(("flow:", "share", "supply"))]
    return nearest_other <= _UNCHECKABLE_REACH and (not trade or nearest_other < min(trade))


#: How many words from a figure a non-trade word ('programme', 'investments') can be and
#: still say what the figure is about.
_UNCHECKABLE_REACH = 10


def _uncheckable_claim(
    quantity: Quantity,
    clause: _Clause,
    uncheckable: list[tuple[int, int, Uncheckable]],
    tokens: list[Token],
) -> Claim:
    def distance(item: tuple[int, int, Uncheckable]) -> int:
        start, end, _ = item
        if end <= quantity.start:
            return quantity.start - end
        return max(0, start - quantity.end)

    _, _, what = min(uncheckable, key=distance)
    mentions = clause.mentions
    return _draft_claim(
        measure=UNCHECKABLE,
        flow=None,
        reporter=mentions[0].code if mentions else None,
        partner=mentions[1].code
        if len(mentions) > 1 and mentions[1].code != mentions[0].code
        else None,
        stated=_stated(quantity, tokens),
        kind=what.kind,
        would_check=what.would_check,
    )


def _rank_claim(
    rank: RankMention, clause: _Clause, cues: list[tuple[int, int, str]], document: Document
) -> Claim | None:
    tokens = clause.tokens
    window_cues = [(s, e, c) for s, e, c in cues if rank.end <= s < rank.end + 8]
    flow = None
    for _, _, cue in window_cues:
        if cue.startswith("flow:"):
            flow = cue.split(":")[1]
            break
    if flow is None:
        nouns = {tokens[i].low for i in range(rank.end, min(len(tokens), rank.end + 3))}
        if nouns & {"supplier", "suppliers", "source"}:
            flow = "imports"
        elif nouns & {"market", "markets", "destination", "buyer"}:
            flow = "exports"
        else:  # "On the import side, Russia is Armenia's largest partner"
            before = [c for s, _, c in cues if s < rank.start and c.startswith("flow:")]
            flow = before[-1].split(":")[1] if before else "turnover"
    if flow == "turnover":
        flow = _share_flow_after(rank.end, cues) or flow
    structure = any(c == "structure" for _, _, c in cues)
    before_products = _products(clause, 0, rank.start)
    countries_before = [m for m in clause.mentions if m.end <= rank.start]
    roles = _roles(clause, cues)
    stated = Stated(
        float(rank.rank), "rank", "exact", None, 1.0, _span(tokens, rank.start, rank.end)
    )
    if structure or (before_products and not countries_before):
        product = _union(before_products or _products(clause, rank.end, len(tokens)))
        if product is None:
            return None
        reporter, partner = _settle(roles, document, flow)
        return _draft_claim(
            measure=PRODUCT_RANK,
            flow=flow,
            reporter=reporter,
            partner=partner,
            product=product,
            stated=stated,
        )
    product = _union(_products(clause, rank.end, min(len(tokens), rank.end + 6)))
    roles.subject_trades = False  # in "X is the largest partner of Y", X is the partner
    group = _ranked_among(clause)
    if group is not None:
        roles.owner = None if roles.owner == group else roles.owner
        clause.mentions = [m for m in clause.mentions if m.code != group]
        roles = _roles(clause, cues)
        roles.subject_trades = False
    reporter, partner = _settle(roles, document, flow)
    if roles.subject is not None and roles.subject != reporter:
        partner = roles.subject  # "the UAE joined Armenia's top three partners"
    named = _apposition(rank, clause)
    if named is not None:  # "to catch up with the main partner, Russia"
        partner = named
        if reporter == named:
            reporter = document.subject if named != document.subject else document.partner
    claim = _draft_claim(
        measure=RANK,
        flow=flow,
        reporter=reporter,
        partner=partner,
        product=product,
        stated=stated,
    )
    return replace(claim, among=group)


_GROUP_NOUNS = frozenset({"partners", "suppliers", "markets", "buyers", "destinations"})


#: "One of the largest partners" read as among the first ten (of some 200 partners): a
#: bound, stated in the explanation, for a rank the text gives without a number.
ONE_OF_THE_LARGEST = 10


def _among_the_first(rank: RankMention, tokens: list[Token]) -> tuple[int, int, int] | None:
    """'one of Kazakhstan's largest trading partners', 'Armenia's top three partners': a
    place among the first N (N as written, else :data:`ONE_OF_THE_LARGEST`), with the
    tokens that say so."""
    if rank.vague:
        ones = [i for i in range(max(0, rank.start - 5), rank.start) if tokens[i].low == "one"]
        return (ones[-1] if ones else rank.start - 1), rank.end, ONE_OF_THE_LARGEST
    if tokens[rank.start].low != "top" or rank.end >= len(tokens):
        return None
    written = word_number(tokens, rank.end)  # "top three", as quantities reads words
    count, end = (int(written[0]), written[1]) if written else (None, rank.end + 1)
    if count is None and tokens[rank.end].kind == NUMBER and tokens[rank.end].text.isdigit():
        count = int(tokens[rank.end].text)
    if count is None or count < 2:
        return None
    return rank.start, end, count


def _ranks_a_group(rank: RankMention, tokens: list[Token]) -> bool:
    """'Among the main partners', 'Armenia's top three main trading partners': several
    countries, not a first place."""
    after = {t.low for t in tokens[rank.end : rank.end + 4]}
    return rank.rank == 1 and bool(after & _GROUP_NOUNS)


_PARTNER_NOUNS = frozenset({"partner", "partners", "supplier", "market", "buyer", "destination"})


def _apposition(rank: RankMention, clause: _Clause) -> str | None:
    """'the main partner, Russia': the country set beside the ranked noun is the one
    ranked."""
    tokens = clause.tokens
    for noun in range(rank.end, min(len(tokens), rank.end + 3)):
        if tokens[noun].low not in _PARTNER_NOUNS:
            continue
        if noun + 1 < len(tokens) and tokens[noun + 1].text == ",":
            beside = next((m for m in clause.mentions if m.start == noun + 2), None)
            return beside.code if beside is not None and beside.how == "name" else None
    return None


def _share_flow_after(end: int, cues: list[tuple[int, int, str]]) -> str | None:
    """'the seventh largest trade partner, with a 5% share in total exports': the share
    that qualifies the rank names the flow it is counted in."""
    share = next((e for s, e, c in cues if s >= end and c == "share"), None)
    if share is None:
        return None
    named = [c for s, _, c in cues if share <= s < share + 4 and c.startswith("flow:")]
    return named[0].split(":")[1] if named else None


def _ranked_among(clause: _Clause) -> str | None:
    """'among the countries of the European Union', 'partners in the CIS': the group of
    countries a rank is counted in."""
    for mention in clause.mentions:
        group = countries().by_code.get(mention.code)
        if group is None or not group.members:
            continue
        before = {t.low for t in clause.tokens[max(0, mention.start - 5) : mention.start]}
        if before & {"among", "in", "within"}:
            return mention.code
    return None


def _comparison_claim(
    start: int,
    end: int,
    cue: str,
    clause: _Clause,
    cues: list[tuple[int, int, str]],
    document: Document,
    sentence: int,
) -> Claim | None:
    tokens = clause.tokens
    roles = _roles(clause, cues)
    if roles.other is None:
        return None
    direction = cue.split(":")[1]
    qualifier = {t.low for t in tokens[max(0, start - 3) : start]}
    degree = "slightly " if qualifier & _SLIGHT else "far " if qualifier & _FAR else ""
    named_flow = _flow_near(cues, start)
    flow = named_flow or "turnover"
    roles.subject_trades = False
    reporter, partner = _settle(roles, document, flow)
    product = None
    before = _trade_just_before(document, sentence, reporter, partner)
    if named_flow is None and before is not None:
        flow, product = before.flow or flow, before.product
    words = _span(
        tokens, max(0, start - (1 if degree else 0) - (1 if "only" in qualifier else 0)), end
    )
    stated = Stated(None, f"vs {roles.other}", f"{degree}{direction}", None, 1.0, words)
    claim = _draft_claim(
        measure=COMPARISON,
        flow=flow,
        reporter=reporter,
        partner=partner,
        other=roles.other,
        stated=stated,
        product=product,
    )
    return replace(claim, also_compared=_listed_after(clause, roles.other, partner))


def _listed_after(clause: _Clause, first: str, partner: str | None) -> tuple[str, ...]:
    """The countries listed after the one compared with ('behind Kazakhstan, Azerbaijan
    and Kyrgyzstan'), joined to it by commas and 'and' only."""
    mentions = clause.mentions
    at = next((i for i, m in enumerate(mentions) if m.code == first), None)
    if at is None:
        return ()
    listed: list[str] = []
    end = mentions[at].end
    for mention in mentions[at + 1 :]:
        between = clause.tokens[end : mention.start]
        if not between or any(t.text != "," and t.low != "and" for t in between):
            break
        if mention.code not in (first, partner, *listed):
            listed.append(mention.code)
        end = mention.end
    return tuple(listed)


def _trade_just_before(
    document: Document, sentence: int, reporter: str | None, partner: str | None
) -> Claim | None:
    """The trade claim of the last two sentences about the same pair, which a comparison
    naming no flow goes on with: "3,786 cars ... that Georgia exported to Russia. Russia is
    not the main buyer. It ranks behind Kazakhstan" compares Georgia's car exports."""
    if document.last_trade is None or partner is None:
        return None
    index, before = document.last_trade
    if sentence - index > 2 or (before.reporter, before.partner) != (reporter, partner):
        return None
    return before


# -- years ---------------------------------------------------------------------------


def _with_year(
    claim: Claim,
    sentence: Sentence,
    document: Document,
    paragraph_year: dict[int, int],
    stated_year: int | None,
    relative: str,
) -> Claim:
    if claim.measure == UNCHECKABLE:
        return claim
    date = document.date
    if claim.year_basis == "stated":
        return claim
    if claim.year_basis == _CLAUSE_LAST_YEAR:
        relative = "last year" if date is not None else relative
        stated_year = None if date is not None else stated_year
    if stated_year is not None:
        year = stated_year
        return replace(claim, year=year, candidate_years=(year,), year_basis="stated")
    if date is not None and relative == "last year":
        year = date.year - 1
        return replace(
            claim,
            year=year,
            candidate_years=(year,),
            year_basis=f"'last year' in a text dated {date.iso()}",
        )
    if date is not None and relative == "this year":
        return replace(
            claim,
            year=date.year,
            candidate_years=(date.year,),
            year_basis=f"'this year' in a text dated {date.iso()} (the year was not complete)",
        )
    if sentence.paragraph in paragraph_year:
        year = paragraph_year[sentence.paragraph]
        months = claim.months or document.paragraph_months.get(sentence.paragraph)
        return replace(  # "Figures for January-November 2018 show ... Russia's share is"
            claim,
            year=year,
            candidate_years=(year,),
            year_basis=f"context: {year} is stated earlier in the paragraph",
            months=months,
        )
    if date is None and document.years_stated:
        year = document.years_stated[-1]
        return replace(
            claim,
            year=year,
            candidate_years=(year,),
            year_basis=f"context: {year} is the last year stated earlier in the undated text",
        )
    if date is not None:
        full = date.year - 1
        return replace(
            claim,
            year=full,
            candidate_years=(full, date.year),
            year_basis=(
                f"inferred from the text's date ({date.iso()}): {full}, the last full year, "
                f"or {date.year}, the year of writing"
            ),
        )
    if date is None and document.years_in_text:
        year = max(document.years_in_text)
        return replace(
            claim,
            year=year,
            candidate_years=(year,),
            year_basis=f"context: {year} is the latest year the undated text states",
        )
    return replace(
        claim,
        year=None,
        candidate_years=(),
        year_basis="not stated and the text is undated: the latest year with data",
    )
