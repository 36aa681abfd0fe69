"""Judge each claim against the data: a verdict, the evidence per source and year, and why.

For every year the claim may mean (one when the text states it; the last full year and
the year of writing when it is inferred from the text's date) and every source that has
the figure, the stated value is judged with :func:`bilateral.claims.judge.judge`. Then:

* per year, the source the text cites decides; failing that the reporter's own
  statistics, then the partner's mirror figures, then reconciled data. Other sources
  that disagree are named in the explanation;
* across candidate years, the best verdict is kept and the disagreement spelt out
  ("supported for 2023; contradicted for 2022"): a text written in November 2023 may have
  had either year in mind;
* a figure whose source groups goods differently from the claim (FAOSTAT's "dairy
  products and egg products" for fermented milk) is shown as indicative evidence, but the
  claim stays "not checkable";
* no figure at all: "no data" when the data cover other years, else "not checkable",
  naming the data that would check the claim.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Protocol

from bilateral.claims.document import STATISTICS_OF
from bilateral.claims.evidence import EXACT_MATCH, Evidence, Figure, PartnerTable
from bilateral.claims.hedges import accepted, close_band
from bilateral.claims.judge import judge
from bilateral.claims.lexicon import hs_chapter_sections, hs_section_names
from bilateral.claims.model import (
    CHANGE,
    CLOSE,
    COMPARISON,
    CONTRADICTED,
    GROWTH,
    LEVEL,
    NO_DATA,
    NOT_CHECKABLE,
    PRODUCT_RANK,
    RANK,
    RECORD,
    SHARE,
    SUPPORTED,
    UNCHECKABLE,
    CheckedClaim,
    Claim,
    EvidenceRow,
    ParsedText,
)
from bilateral.claims.parse import GOODS_UNITS
from bilateral.claims.periods import MONTH_NAMES
from bilateral.formats import format_money as _money
from bilateral.formats import format_percent, ordinal
from bilateral.reference.countries import EU27, WORLD, countries
from bilateral.reference.exchange_rates import usd_per_eur

_JUDGED = (SUPPORTED, CLOSE, CONTRADICTED)
_PREFERENCE = {SUPPORTED: 0, CLOSE: 1, CONTRADICTED: 2, NOT_CHECKABLE: 3, NO_DATA: 4}


@dataclass(frozen=True)
class Reading:
    """One source's figure for one year, judged."""

    row: EvidenceRow
    verdict: str
    words: str  # what the source shows, in a sentence fragment


def check(parsed: ParsedText, evidence: Evidence) -> list[CheckedClaim]:
    """Verdicts for every claim the parser found, in text order."""
    return [verify(claim, evidence) for claim in parsed.claims]


def verify(claim: Claim, evidence: Evidence) -> CheckedClaim:
    """The verdict on one claim, with the evidence per source and year.

    Where the words allow another partner ("exports rose 55%": to the text's partner, or
    to the world), both readings are judged, the better verdict is kept and the other
    reading is spelt out, as for the years a text may mean.
    """
    first = _verify_reading(claim, evidence)
    if claim.other_reading is None:
        return first
    other = _verify_reading(
        replace(claim, partner=claim.other_reading, other_reading=None), evidence
    )
    better = other.verdict in (SUPPORTED, CLOSE) and (
        _PREFERENCE[other.verdict] < _PREFERENCE[first.verdict]
    )
    best, second = (other, first) if better else (first, other)
    partner = _name(second.claim.partner or "")
    return replace(
        best,
        explanation=f"{best.explanation} Read with {partner} as the partner: "
        f"{second.verdict}. {second.explanation}",
    )


def _verify_reading(claim: Claim, evidence: Evidence) -> CheckedClaim:
    """The verdict on one reading of a claim."""
    if claim.measure == UNCHECKABLE:
        return CheckedClaim(
            claim,
            NOT_CHECKABLE,
            None,
            (),
            f"Not checkable with the loaded data: a figure on {claim.kind} "
            f"('{claim.stated.text}'); it would take {claim.would_check}.",
        )
    if claim.reporter is None or claim.partner is None:
        return CheckedClaim(
            claim, NOT_CHECKABLE, claim.year, (), "The text does not say whose trade this is."
        )
    if claim.months is not None and claim.measure not in (
        LEVEL,
        GROWTH,
        CHANGE,
        SHARE,
        RANK,
        COMPARISON,
    ):
        return CheckedClaim(
            claim,
            NOT_CHECKABLE,
            claim.year,
            (),
            f"The figure covers part of a year ('{claim.months.words}'); ranks of products "
            "and of years are computed over whole years.",
        )
    if claim.measure in (LEVEL, CHANGE) and claim.stated.unit not in (*_CURRENCIES, GOODS_UNITS):
        return CheckedClaim(
            claim,
            NOT_CHECKABLE,
            claim.year,
            (),
            f"The figure is stated in {claim.stated.unit}; the store holds US dollars and "
            f"the publishers' own currencies, and converts only {', '.join(_CURRENCIES)}.",
        )
    years = claim.candidate_years
    basis_note = ""
    if not years:
        available = evidence.years(claim.reporter, _years_partner(claim), claim.product)
        if not available:
            return _no_figures(claim, evidence, None)
        years = (max(available),)
        basis_note = (
            f" The text states no year and has no date: judged on {years[0]}, "
            "the latest year with data."
        )
    readings = {year: _READERS[claim.measure](claim, year, evidence) for year in years}
    if not any(readings.values()):
        if claim.months is not None:
            return _months_not_held(claim, evidence, years[0])
        return _no_figures(claim, evidence, years[0])
    return _combine(claim, readings, basis_note)


def _months_not_held(claim: Claim, evidence: Evidence, year: int) -> CheckedClaim:
    """Part of a year no source answered: 'no data' where the reporter's monthly figures
    stop before it (earlier that year, or with the year before), 'not checkable' where no
    source ever published those months of this flow."""
    assert claim.months is not None and claim.reporter is not None and claim.partner
    last_year, last_month = (
        year,
        evidence.last_month(claim.reporter, claim.partner, year, claim.product),
    )
    if last_month is None:
        last_year, last_month = (
            year - 1,
            evidence.last_month(claim.reporter, claim.partner, year - 1, claim.product),
        )
    if last_month is not None and (last_year < year or last_month < claim.months.last):
        return CheckedClaim(
            claim,
            NO_DATA,
            year,
            (),
            f"No data for {claim.months.label(year)}: the reporter's monthly figures "
            f"for this {'trade' if claim.product is None else 'product'} end at "
            f"{MONTH_NAMES[last_month - 1]} {last_year}.",
        )
    if claim.measure == SHARE and claim.flow is not None:
        partial = [t.source for t in _tables(claim, year, evidence) if t.partial]
        if partial:
            return CheckedClaim(
                claim,
                NOT_CHECKABLE,
                year,
                (),
                f"The figure covers part of a year ({claim.months.label(year)}); "
                f"{', '.join(dict.fromkeys(partial))} lists only some partners (the main "
                f"ones, or an extract's) for those months, without {_name(claim.reporter)}'s "
                "total, and a share of them is not a share of its trade.",
            )
    return CheckedClaim(
        claim,
        NOT_CHECKABLE,
        year,
        (),
        f"The figure covers part of a year ({claim.months.label(year)}) and no "
        "source in the store publishes those months for this flow; annual totals "
        "cannot check it.",
    )


# -- per measure -----------------------------------------------------------------------


_CURRENCIES = ("USD", "EUR")


def _figures(claim: Claim, year: int, evidence: Evidence) -> list[Figure]:
    """The claim's flow in ``year`` per source: summed over its months for part of a year,
    and with each value in its publisher's currency where that is not the dollar."""
    assert claim.reporter and claim.partner and claim.flow
    if claim.flow == "deficit":  # imports minus exports: the balance with its sign turned
        return [_sign_turned(f) for f in _figures(replace(claim, flow="balance"), year, evidence)]
    if claim.partner.startswith(f"{WORLD}-") or "+" in claim.partner:
        return _partners_combined(claim, year, evidence)
    if claim.months is not None:
        return evidence.months(
            claim.reporter, claim.partner, claim.flow, year, claim.months.span, claim.product
        )
    if claim.counted or claim.stated.unit == GOODS_UNITS:  # units: a year's twelve months
        return evidence.months(
            claim.reporter, claim.partner, claim.flow, year, (1, 12), claim.product
        )
    figures = evidence.bilateral(claim.reporter, claim.partner, claim.flow, year, claim.product)
    if claim.partner == WORLD or not figures:
        return figures
    originals = {
        (f.source, f.reported_by): f
        for f in evidence.months(
            claim.reporter, claim.partner, claim.flow, year, (1, 12), claim.product
        )
        if f.original is not None
    }
    return [
        replace(f, original=o.original, currency=o.currency)
        if (o := originals.get((f.source, f.reported_by))) is not None
        and f.original is None
        and math.isclose(o.value, f.value, rel_tol=1e-6)
        else f
        for f in figures
    ]


def _partners_combined(claim: Claim, year: int, evidence: Evidence) -> list[Figure]:
    """Partners named together ("Belarus, Armenia and Georgia": RUS+ARM+GEO) summed, or
    "other countries" (WLD-CHN): the world less the partners named, per source, from the
    same source's figures only; a source missing one of them gives no figure."""
    assert claim.partner
    rest = claim.partner.startswith(f"{WORLD}-")
    members = claim.partner.removeprefix(f"{WORLD}-").split("+")
    parts = ([WORLD] if rest else []) + members
    by_source: dict[tuple[str, str], list[Figure]] = {}
    for partner in parts:
        for figure in _figures(replace(claim, partner=partner), year, evidence):
            by_source.setdefault((figure.source, figure.reported_by), []).append(figure)
    combined = []
    for found in by_source.values():
        if len(found) != len(parts) or any(f.at_least or f.match != EXACT_MATCH for f in found):
            continue
        signs = [1.0] + [-1.0 if rest else 1.0] * (len(found) - 1)
        value = sum(sign * f.value for sign, f in zip(signs, found, strict=True))
        originals = [f.original for f in found if f.original is not None]
        original = (
            sum(sign * o for sign, o in zip(signs, originals, strict=True))
            if len(originals) == len(found)
            else None
        )
        note = "the world less the partners named" if rest else "the partners' figures summed"
        combined.append(replace(found[0], value=value, original=original, note=note))
    return combined


def _sign_turned(figure: Figure) -> Figure:
    original = None if figure.original is None else -figure.original
    return replace(figure, value=-figure.value, original=original)


def _in_claim_currency(claim: Claim, figure: Figure) -> tuple[float, str]:
    """The figure in the currency the claim states, and how it was converted, if it was."""
    unit = claim.stated.unit
    if unit == figure.currency and figure.original is not None:
        return figure.original, ""
    if unit == "EUR":
        rate = usd_per_eur(figure.year)
        return figure.value / rate, (
            f" (converted from {_money(figure.value)} at the ECB's {figure.year} average "
            f"of {rate:.4f} USD per EUR)"
        )
    if figure.original is not None:
        return figure.value, (
            f" (converted from {_money(figure.original, figure.currency)} by the publisher's "
            "reader at the ECB's annual average rate)"
        )
    return figure.value, ""


def _period_words(claim: Claim, year: int) -> str:
    return claim.months.label(year) if claim.months else str(year)


def _level(claim: Claim, year: int, evidence: Evidence) -> list[Reading]:
    if claim.stated.unit == GOODS_UNITS:
        return _units(claim, year, evidence)
    readings = []
    for figure in _figures(claim, year, evidence):
        value, converted = _in_claim_currency(claim, figure)
        row = EvidenceRow(figure.source, figure.reported_by, figure.year, value)
        what = f"{_flow_words(claim, figure.product_label)} {_money(value, claim.stated.unit)}"
        if claim.months is not None:
            what += f" in {_period_words(claim, year)}"
        what += converted
        if figure.at_least:
            what = f"at least {what} (a sum over an extract)"
        readings.append(
            _reading(claim, figure, row, what, value, math.inf if figure.at_least else None)
        )
    return readings


def _units(claim: Claim, year: int, evidence: Evidence) -> list[Reading]:
    """A count of goods ('3,786 cars') against the units the source's rows count."""
    readings = []
    for figure in _figures(claim, year, evidence):
        if figure.units is None:
            continue
        row = EvidenceRow(figure.source, figure.reported_by, figure.year, figure.units)
        label = claim.product.label if claim.product else "units"
        what = f"{_flow_words(claim, figure.product_label)}: {figure.units:,.0f} {label}"
        if claim.months is not None:
            what += f" in {_period_words(claim, year)}"
        readings.append(_reading(claim, figure, row, what, figure.units))
    return readings


def _base_year(claim: Claim, year: int) -> int:
    """The year a growth or a change is measured from."""
    return claim.base_year or year - (claim.base_span or 1)


def _with_base(claim: Claim, year: int, evidence: Evidence) -> list[tuple[Figure, Figure]]:
    """Each source's figure for ``year`` with the same source's figure for the base year."""
    base = _base_year(claim, year)
    if base >= year:
        return []
    before = {(f.source, f.reported_by): f for f in _figures(claim, base, evidence)}
    return [
        (figure, previous)
        for figure in _figures(claim, year, evidence)
        if (previous := before.get((figure.source, figure.reported_by))) is not None
    ]


def _growth(claim: Claim, year: int, evidence: Evidence) -> list[Reading]:
    """Each source's growth from the base year, in units for a count of goods, else in
    the publisher's currency (a converted change carries the exchange rate's move); a
    yearly average rate is the compound rate over the span."""
    base = _base_year(claim, year)
    readings = []
    for figure, previous in _with_base(claim, year, evidence):
        if not previous.value:
            continue
        counted = bool(claim.counted and figure.units and previous.units)
        own = not counted and figure.original is not None and bool(previous.original)
        currency = figure.currency if own else "USD"
        if counted:  # "1,435 cars, 2.3 times"
            current, earlier = figure.units or 0.0, previous.units or 0.0
            now, then = f"{current:,.0f} units", f"{earlier:,.0f}"
        else:
            current = (figure.original if own else figure.value) or 0.0
            earlier = (previous.original if own else previous.value) or 0.0
            now, then = _money(current, currency), _money(earlier, currency)
        ratio = current / earlier
        growth = 100 * (ratio ** (1 / (year - base)) - 1) if claim.per_year else 100 * (ratio - 1)
        row = EvidenceRow(figure.source, figure.reported_by, year, round(growth, 4))
        what = (
            f"{_flow_words(claim)} {now} in {_period_words(claim, year)} "
            f"against {then} in {_period_words(claim, base)}: "
        )
        what += (
            f"x{ratio:.2f} over {year - base} years, {growth:+.1f}% a year (compound)"
            if claim.per_year
            else f"{growth:+.1f}%"
        )
        if own:
            what += f" (in {currency}, the publisher's currency)"
        bound = not counted and (figure.at_least or previous.at_least)
        readings.append(_reading(claim, figure, row, what, growth, indicative=bound))
    return readings


def _tables(claim: Claim, year: int, evidence: Evidence) -> list[PartnerTable]:
    """The reporter's partner tables for the claim's year, or for its months."""
    assert claim.reporter and claim.flow
    span = claim.months.span if claim.months is not None else None
    return evidence.partners(claim.reporter, claim.flow, year, claim.product, span=span)


def _share(claim: Claim, year: int, evidence: Evidence) -> list[Reading]:
    assert claim.reporter and claim.partner and claim.flow
    readings = []
    for table in _tables(claim, year, evidence):
        if table.partial:
            continue  # main partners only: a share of them is not a share of the trade
        low, high, what = _share_of(table, claim.partner, claim)
        row = EvidenceRow(table.source, table.reported_by, table.year, round(high, 4))
        readings.append(_reading(claim, table, row, what, low, high))
    return readings


def _grouped(table: PartnerTable, partner: str) -> PartnerTable:
    """The table with a group of countries (EU27, CIS) as one partner: the sum of its
    members listed, so that it is ranked against the countries outside it."""
    if partner in table.values:
        return table
    group = countries().by_code.get(partner)
    if "+" in partner:  # "the UAE and Hong Kong": partners named together
        members = set(partner.split("+"))
    elif group is None or not group.members:
        return table
    else:
        members = set(group.members)
    values = {code: v for code, v in table.values.items() if code not in members}
    values[partner] = sum(v for code, v in table.values.items() if code in members)
    return replace(table, values=values)


def _share_of(table: PartnerTable, partner: str, claim: Claim) -> tuple[float, float, str]:
    """The partner's share in percent as a bracket [low, high], and how it was found."""
    table = _grouped(table, partner)
    value = table.values.get(partner, 0.0)
    name = _name(partner)
    of_what = _flow_words(claim, table.product_label)
    if table.total:
        share = 100 * value / table.total
        return (
            share,
            share,
            f"{name} {format_percent(share)} of {of_what} "
            f"({_money(value)} of {_money(table.total)})",
        )
    listed = sum(table.values.values())
    threshold = table.threshold or 0.0
    if not listed:
        return 0.0, 100 * threshold, f"no partner listed for {of_what}"
    if partner not in table.values:
        return (
            0.0,
            100 * threshold,
            (
                f"{name} is not among the partners listed for {of_what}, so below "
                f"{format_percent(100 * threshold, 0)} of it"
            ),
        )
    share = 100 * value / listed
    alone = " (the only partner listed)" if len(table.values) == 1 else ""
    return (
        share * (1 - threshold),
        share,
        (
            f"{name} {format_percent(share, 1)} of {of_what} among the partners listed{alone} "
            f"({_money(value)} of {_money(listed)}); the extract omits partners under "
            f"{format_percent(100 * threshold, 0)}, so the share is at most "
            f"{format_percent(share, 1)} and, if one such "
            f"partner is missing, at least {format_percent(share * (1 - threshold), 1)}"
        ),
    )


def _rank(claim: Claim, year: int, evidence: Evidence) -> list[Reading]:
    assert claim.reporter and claim.partner and claim.flow
    readings = []
    for table in _tables(claim, year, evidence):
        table = _grouped(table, claim.partner)
        of_what = _flow_words(claim, table.product_label)
        if claim.months is not None:
            of_what += f" in {_period_words(claim, year)}"
        group = countries().by_code.get(claim.among or "")
        if group is not None:
            members = set(group.members)
            table = replace(table, values={c: v for c, v in table.values.items() if c in members})
            of_what += f" among the members of {_name(group.code)}"
        ranked = sorted(table.values.items(), key=lambda item: -item[1])
        codes = [code for code, _ in ranked]
        if claim.partner in codes:
            rank = codes.index(claim.partner) + 1
            what = f"{_name(claim.partner)} ranks {ordinal(rank)} in {of_what}: " + ", ".join(
                f"{ordinal(i + 1)} {_name(code)} {_money(value)}"
                for i, (code, value) in enumerate(ranked[: max(rank, 3)])
            )
        else:
            rank = len(codes) + 1
            what = (
                f"{_name(claim.partner)} is not among the {len(codes)} partners listed "
                f"for {of_what}"
            )
        row = EvidenceRow(table.source, table.reported_by, table.year, float(rank))
        reading = _reading(claim, table, row, what, float(rank))
        if table.partial:
            reading = _rank_floor(claim, reading, rank, len(codes))
        vague = claim.stated.text.casefold().startswith(("one of", "a ", "an "))
        if reading.verdict == CONTRADICTED and vague:
            reading = replace(reading, verdict=NOT_CHECKABLE)  # a rank without a number
        readings.append(reading)
    return readings


def _placed(table: PartnerTable, code: str) -> str:
    """'Kazakhstan $235.7 m (2nd)': a partner's value and place in the table."""
    ranked = sorted(table.values, key=lambda c: -table.values[c])
    return f"{_name(code)} {_money(table.values[code])} ({ordinal(ranked.index(code) + 1)})"


def _rank_floor(claim: Claim, reading: Reading, rank: int, listed: int) -> Reading:
    """A rank among a table of main partners: the partners left out can only push the
    partner down, so a higher rank stated than the listed one is refuted, and any other
    is not proven."""
    floor = (
        f"; the table lists {listed} partners only (the main ones, or an extract's), so "
        f"{ordinal(rank)} is the highest rank the partner can have"
    )
    stated = claim.stated.value
    if stated is not None and stated < rank and claim.stated.hedge in ("exact", "up to"):
        return replace(reading, verdict=CONTRADICTED, words=reading.words + floor)
    return replace(reading, verdict=NOT_CHECKABLE, words=reading.words + floor)


def _comparison(claim: Claim, year: int, evidence: Evidence) -> list[Reading]:
    """The partner against the one compared with; against a list ('behind Kazakhstan,
    Azerbaijan and Kyrgyzstan'), the nearest of them decides, as the claim holds against
    each only if it holds against that one."""
    assert claim.reporter and claim.partner and claim.flow and claim.other
    others = (claim.other, *claim.also_compared)
    below = claim.stated.hedge.endswith("below")
    readings = []
    for table in _tables(claim, year, evidence):
        mine = table.values.get(claim.partner)
        theirs = {code: table.values.get(code) for code in others}
        if not mine or not all(theirs.values()):
            continue
        gaps = {code: 100 * (mine / (value or 1.0) - 1) for code, value in theirs.items()}
        name = _name(claim.partner)
        against = "; ".join(
            f"{_placed(table, code)}: {name} {abs(gap):.1f}% {'below' if gap < 0 else 'above'}"
            for code, gap in gaps.items()
        )
        what = (
            f"{_flow_words(claim, table.product_label)}: {_placed(table, claim.partner)}, "
            f"{against}"
        )
        gap = max(gaps.values()) if below else min(gaps.values())  # the nearest one
        row = EvidenceRow(table.source, table.reported_by, table.year, round(gap, 4))
        readings.append(_reading(claim, table, row, what, gap))
    return readings


def _product_rank(claim: Claim, year: int, evidence: Evidence) -> list[Reading]:
    assert claim.reporter and claim.partner and claim.flow and claim.product
    group = {code[:2] for code in claim.product.codes}
    if any(len(code) > 2 for code in claim.product.codes):
        return []  # ranking a heading needs heading-level composition
    sections = hs_chapter_sections()
    names = hs_section_names()
    readings = []
    for composition in evidence.composition(claim.reporter, claim.partner, claim.flow, year):
        totals: dict[str, float] = {claim.product.label: 0.0}
        for chapter, value in composition.chapters.items():
            if chapter in group:
                totals[claim.product.label] += value
            else:
                section = sections.get(chapter, "other")
                label = names.get(section, section).capitalize()
                totals[label] = totals.get(label, 0.0) + value
        ranked = sorted(totals, key=lambda label: -totals[label])
        rank = ranked.index(claim.product.label) + 1
        what = f"{claim.product.label} ranks {ordinal(rank)} in {_flow_words(claim)}: " + ", ".join(
            f"{ordinal(i + 1)} {label} {_money(totals[label])}"
            for i, label in enumerate(ranked[:3])
        )
        row = EvidenceRow(
            composition.source, composition.reported_by, composition.year, float(rank)
        )
        verdict = judge(claim.stated, float(rank)).verdict
        readings.append(
            Reading(
                row,
                verdict,
                _by(composition.source, composition.reported_by, what, composition.note),
            )
        )
    return readings


def _change(claim: Claim, year: int, evidence: Evidence) -> list[Reading]:
    """A change stated as an amount: the year's value less the base year's, in the claim's
    currency (the publisher's own where it is the claim's)."""
    base = _base_year(claim, year)
    readings = []
    for figure, previous in _with_base(claim, year, evidence):
        now, converted = _in_claim_currency(claim, figure)
        then, _ = _in_claim_currency(claim, previous)
        change = now - then
        unit = claim.stated.unit
        row = EvidenceRow(figure.source, figure.reported_by, year, round(change, 2))
        what = (
            f"{_flow_words(claim)} {_money(now, unit)} in {_period_words(claim, year)} against "
            f"{_money(then, unit)} in {_period_words(claim, base)}: a change of "
            f"{_money(change, unit)}{converted}"
        )
        readings.append(_reading(claim, figure, row, what, change))
    return readings


def _record(claim: Claim, year: int, evidence: Evidence) -> list[Reading]:
    """'Rose to an all-time high': the year's level ranked among every earlier year the
    same source holds for the flow (later years do not count against it)."""
    assert claim.reporter and claim.partner
    level = replace(claim, measure=LEVEL)
    held = [y for y in evidence.years(claim.reporter, claim.partner, claim.product) if y < year]
    history: dict[tuple[str, str], dict[int, float]] = {}
    for earlier in held:
        for figure in _figures(level, earlier, evidence):
            history.setdefault((figure.source, figure.reported_by), {})[earlier] = figure.value
    readings = []
    for figure in _figures(level, year, evidence):
        before = history.get((figure.source, figure.reported_by), {})
        if not before:
            continue
        rank = 1 + sum(value > figure.value for value in before.values())
        best = max(before, key=lambda y: before[y])
        place = "the highest" if rank == 1 else f"the {ordinal(rank)} highest"
        what = (
            f"{_flow_words(claim)} {_money(figure.value)} in {year}, {place} against the "
            f"{len(before)} years {min(before)}-{max(before)} before it (highest of those: "
            f"{best}, {_money(before[best])})"
        )
        row = EvidenceRow(figure.source, figure.reported_by, year, float(rank))
        readings.append(_reading(claim, figure, row, what, float(rank)))
    return readings


_READERS: dict[str, Callable[[Claim, int, Evidence], list[Reading]]] = {
    LEVEL: _level,
    GROWTH: _growth,
    CHANGE: _change,
    SHARE: _share,
    RANK: _rank,
    COMPARISON: _comparison,
    PRODUCT_RANK: _product_rank,
    RECORD: _record,
}


# -- combining ----------------------------------------------------------------------------


def whose_figure(claim: Claim) -> str | None:
    """The country whose statistics the claim states: the one the text cites, else the
    claim's reporter."""
    if claim.source_hint and claim.source_hint.startswith(STATISTICS_OF):
        return claim.source_hint.removeprefix(STATISTICS_OF)
    return claim.reporter


def _priority(claim: Claim, reading: Reading) -> int:
    if claim.source_hint and reading.row.source == claim.source_hint:
        return 0
    if reading.row.reported_by == whose_figure(claim):
        return 1
    if reading.row.reported_by == claim.partner:
        return 2
    return 3


def _year_verdict(claim: Claim, readings: list[Reading]) -> tuple[str, list[Reading]]:
    """The verdict for one year and the readings in the order they are reported.

    Only the statistics of the country whose figure the claim states can contradict it:
    another country's mirror figure (or reconciled data) differs legitimately - CIF and
    FOB, re-exports, country of origin or of consignment - so a claim that no own figure
    bears out and only a mirror figure contradicts is not checkable.
    """
    if not readings:
        return NO_DATA, []
    ordered = sorted(  # among equals, a publisher's second count that bears the figure out
        readings,
        key=lambda r: (r.verdict not in _JUDGED, _priority(claim, r), _PREFERENCE[r.verdict]),
    )
    verdict = ordered[0].verdict
    if verdict == CONTRADICTED and not any(_can_contradict(claim, r) for r in ordered):
        verdict = NOT_CHECKABLE
    if verdict == CONTRADICTED and claim.unplaced:
        verdict = NOT_CHECKABLE  # the figure may be about what the reading leaves out
    if verdict == CONTRADICTED and _other_side_unheld(claim, ordered):
        verdict = NOT_CHECKABLE
    return verdict, ordered


def _other_side_unheld(claim: Claim, readings: list[Reading]) -> bool:
    """Trade between two countries, neither source nor owner named ("trade between
    Kazakhstan and China", not "Kazakhstan's trade with China"): each country publishes its own
    figure of it, and they differ by CIF/FOB, timing and re-exports, often by a quarter.
    Where the store holds one side's statistics only, a figure they do not bear out may
    be the other side's (Chinese customs' $31.2 bn for Kazakhstan-China 2022 against the
    BNS's $24.2 bn): not refuted."""
    if claim.flow != "turnover" or claim.source_hint is not None or claim.owned:
        return False
    if claim.measure not in (LEVEL, GROWTH, CHANGE) or claim.product is not None:
        return False
    pair = [countries().by_code.get(code or "") for code in (claim.reporter, claim.partner)]
    if any(country is None or country.is_aggregate for country in pair):
        return False
    held = {r.row.reported_by for r in readings}
    return not {claim.reporter, claim.partner} <= held


def _can_contradict(claim: Claim, reading: Reading) -> bool:
    """The source the text cites, else the figure's own statistics; for an order (rank,
    comparison), reconciled data too: valuation moves every partner's figure alike."""
    hint = claim.source_hint
    if hint is not None and not hint.startswith(STATISTICS_OF):
        return reading.row.source == hint  # "BNS data show ...": by the BNS's numbers
    if _national_office_against_eurostat(claim, reading):
        return False
    if reading.row.reported_by == whose_figure(claim):
        return True
    if claim.flow == "turnover" and hint is None and reading.row.reported_by == claim.partner:
        return True  # trade between the two: either country's own statistics state it
    ordering = claim.measure in (RANK, PRODUCT_RANK, COMPARISON, RECORD)
    return ordering and reading.row.reported_by == "reconciled"


_COMMUNITY_CONCEPT = frozenset({"eurostat", "comext_cn8"})


def _national_office_against_eurostat(claim: Claim, reading: Reading) -> bool:
    """A member state's own statistics office (Destatis, INSEE) publishes its trade under
    the national concept; Eurostat publishes the same country's trade under the Community
    concept (goods in transit, quasi-transit, country of consignment), and the two differ
    by several percent. Eurostat's figure does not refute the office's."""
    hint = claim.source_hint or ""
    return (
        hint.startswith(STATISTICS_OF)
        and hint.removeprefix(STATISTICS_OF) != EU27
        and reading.row.source in _COMMUNITY_CONCEPT
    )


def _refuted_note(claim: Claim, readings: list[Reading]) -> str:
    sides = {r.row.reported_by for r in readings} & {claim.reporter, claim.partner}
    if _other_side_unheld(claim, readings) and len(sides) == 1:
        side = sides.pop()
        held = _name(side or "")
        other = _name((claim.partner if side == claim.reporter else claim.reporter) or "")
        return (
            f"The text names no source, and the store holds {held}'s statistics of this "
            f"trade but not {other}'s, whose figure of the same trade differs legitimately "
            "(CIF/FOB valuation, timing, re-exports): the figure may be "
            f"{other}'s, so {held}'s does not refute it."
        )
    if any(_national_office_against_eurostat(claim, r) for r in readings):
        whose = _name(whose_figure(claim) or "")
        return (
            f"The text cites {whose}'s statistics office, which publishes trade under the "
            "national concept; the store holds Eurostat's figures for it, compiled under "
            "the Community concept (goods in transit, country of consignment), which differ "
            "legitimately: they do not bear the figure out, but cannot contradict it."
        )
    return _mirror_note(claim)


def _mirror_note(claim: Claim) -> str:
    whose = _name(whose_figure(claim) or "")
    return (
        f"The store holds no figures of {whose}'s own for this, only other countries' "
        "mirror figures (or reconciled data), which differ legitimately (CIF/FOB valuation, "
        "re-exports, country of origin or consignment): they do not bear the figure out, "
        "but cannot contradict it."
    )


def _combine(claim: Claim, readings: dict[int, list[Reading]], basis_note: str) -> CheckedClaim:
    per_year = {year: _year_verdict(claim, found) for year, found in readings.items()}
    best_year = min(per_year, key=lambda y: (_PREFERENCE[per_year[y][0]], list(per_year).index(y)))
    verdict = per_year[best_year][0]
    parts: list[str] = []
    distinct = {v for v, _ in per_year.values()}
    if len(per_year) > 1:
        if len(distinct) > 1:
            ordered_years = sorted(per_year, key=lambda y: (_PREFERENCE[per_year[y][0]], y))
            parts.append(
                _capital("; ".join(f"{per_year[y][0]} for {y}" for y in ordered_years)) + "."
            )
        else:
            parts.append(f"{_capital(verdict)} for {' and '.join(str(y) for y in per_year)}.")
    else:
        parts.append(f"{_capital(verdict)} for {best_year}.")
    parts.append(_hedge_words(claim))
    for year, (_, ordered) in sorted(per_year.items(), key=lambda kv: kv[0] != best_year):
        if not ordered:
            parts.append(f"{year}: no source in the store has this figure.")
            continue
        primary = ordered[0]
        text = f"{year}: {primary.words}"
        others = [r for r in ordered[1:] if r.verdict != primary.verdict]
        agreeing = [r for r in ordered[1:] if r.verdict == primary.verdict]
        if agreeing:
            text += "; likewise " + "; ".join(r.words for r in agreeing)
        if others:
            text += ". Sources disagree: " + "; ".join(f"{r.words} ({r.verdict})" for r in others)
        parts.append(text + ".")
    refuted = any(
        ordered and ordered[0].verdict == CONTRADICTED for _, ordered in per_year.values()
    )
    if verdict == NOT_CHECKABLE and refuted and claim.unplaced:
        parts.append(
            f"This reading leaves out '{claim.unplaced}'; the figure may be about it, so the "
            "difference does not refute it."
        )
    elif verdict == NOT_CHECKABLE and refuted:
        parts.append(_refuted_note(claim, [r for _, found in per_year.values() for r in found]))
    elif verdict == NOT_CHECKABLE:
        parts.append(f"Checking it would take {_would_check(claim)}.")
    evidence = tuple(r.row for _, ordered in per_year.values() for r in ordered)
    return CheckedClaim(claim, verdict, best_year, evidence, " ".join(parts) + basis_note)


def _no_figures(claim: Claim, evidence: Evidence, year: int | None) -> CheckedClaim:
    assert claim.reporter is not None
    available = sorted(set(evidence.years(claim.reporter, _years_partner(claim), claim.product)))
    need = _would_check(claim)
    if available and year is not None and year not in available:
        span = f"{available[0]}-{available[-1]}" if len(available) > 1 else str(available[0])
        return CheckedClaim(
            claim,
            NO_DATA,
            year,
            (),
            f"No data for {', '.join(str(y) for y in claim.candidate_years or (year,))}: the "
            f"loaded data cover {span} for this figure.",
        )
    return CheckedClaim(
        claim, NOT_CHECKABLE, year, (), f"Not checkable with the loaded data: it would take {need}."
    )


def _years_partner(claim: Claim) -> str | None:
    return None if claim.measure in (SHARE, RANK, COMPARISON) else claim.partner


def _would_check(claim: Claim) -> str:
    reporter = _name(claim.reporter or "")
    partner = _name(claim.partner or "")
    flow = claim.flow or "trade"
    if claim.measure == PRODUCT_RANK:
        return (
            f"{reporter}'s {flow} from {partner} by HS section or chapter (national statistics "
            "by commodity, UN Comtrade or CEPII BACI)"
        )
    if claim.product is not None:
        by_partner = "" if claim.partner == WORLD else " by partner country"
        return (
            f"{reporter}'s {flow} of {claim.product.describe()}{by_partner} (national "
            "statistics by commodity, UN Comtrade or CEPII BACI at HS level)"
        )
    return (
        f"{reporter}'s {flow} by partner country (its statistics office's trade by country, "
        f"or {partner}'s mirror figures)"
    )


# -- wording ------------------------------------------------------------------------------


def _amount(value: float, unit: str) -> str:
    """Money in its currency; a count of goods as a plain number."""
    return f"{value:,.0f}" if unit == GOODS_UNITS else _money(value, unit)


def _hedge_words(claim: Claim) -> str:
    stated = claim.stated
    if stated.unit == "rank" and stated.hedge == "up to":
        return f"The text says among the first {int(stated.value or 0)} ('{stated.text}')."
    if stated.unit == "rank":
        return f"The text says {ordinal(int(stated.value or 0))} ('{stated.text}')."
    window = accepted(stated)
    unit = "%" if stated.unit == "%" or stated.unit.startswith("vs ") else ""
    if stated.unit not in ("%",) and not stated.unit.startswith("vs "):
        low = _amount(window.low, stated.unit) if math.isfinite(window.low) else None
        high = _amount(window.high, stated.unit) if math.isfinite(window.high) else None
        span = (
            f"between {low} and {high}"
            if low and high
            else f"above {low}"
            if low
            else f"at most {high}"
        )
        band = _amount(close_band(stated), stated.unit)
    else:
        span = window.describe(unit)
        points = close_band(stated)
        band = f"{points:.3g} percentage point{'' if points == 1 else 's'}"
        if stated.unit.startswith("vs "):
            band = f"{points:.3g} points of gap"
    what = "a gap of" if stated.unit.startswith("vs ") else "a true value"
    return f"'{stated.text}' accepts {what} {span}; close within {band}."


class _Found(Protocol):
    """What a reading needs of a figure or a partner table."""

    @property
    def source(self) -> str: ...
    @property
    def reported_by(self) -> str: ...
    @property
    def product_label(self) -> str: ...
    @property
    def match(self) -> str: ...
    @property
    def note(self) -> str: ...


def _reading(
    claim: Claim,
    found: _Found,
    row: EvidenceRow,
    what: str,
    low: float,
    high: float | None = None,
    *,
    indicative: bool = False,
) -> Reading:
    """One source's reading: judged against the stated value, or indicative only when the
    source groups the goods otherwise (or its figure is a bound, not a value)."""
    if indicative or found.match != EXACT_MATCH:
        text = _indicative(found.source, found.product_label, what, found.note)
        return Reading(row, NOT_CHECKABLE, text)
    verdict = judge(claim.stated, low, high).verdict
    return Reading(row, verdict, _by(found.source, found.reported_by, what, found.note))


def _by(source: str, reported_by: str, what: str, note: str) -> str:
    whose = "reconciled" if reported_by == "reconciled" else f"{_name(reported_by)}'s figures"
    text = f"{source} ({whose}): {what}"
    return f"{text} [{note}]" if note else text


def _indicative(source: str, label: str, what: str, note: str) -> str:
    grouping = f" groups the goods as '{label}'" if label else " groups the goods differently"
    text = f"{source}{grouping}, not as the claim does; indicative only: {what}"
    return f"{text} [{note}]" if note else text


def _flow_words(claim: Claim, label: str = "") -> str:
    reporter = _name(claim.reporter or "")
    label = label or (claim.product.label if claim.product else "")
    product = f" of {label}" if label else ""
    if claim.measure in (SHARE, RANK, COMPARISON):
        return {
            "turnover": f"{reporter}'s trade{product}",
            "exports": f"{reporter}'s exports{product}",
            "imports": f"{reporter}'s imports{product}",
        }.get(claim.flow or "", f"{reporter}'s trade")
    partner = _name(claim.partner or "")
    flow = _FLOW_NAMES.get(claim.flow or "", claim.flow)
    if claim.partner == WORLD:
        return f"{reporter}'s {flow}{product}"
    preposition = {"exports": "to", "imports": "from"}.get(claim.flow or "", "with")
    return f"{reporter}'s {flow}{product} {preposition} {partner}"


_FLOW_NAMES = {"balance": "trade balance", "deficit": "trade deficit"}


def _name(code: str) -> str:
    if code.startswith(f"{WORLD}-"):
        return f"the world except {_name(code.removeprefix(f'{WORLD}-'))}"
    if "+" in code:
        names = [_name(part) for part in code.split("+")]
        return ", ".join(names[:-1]) + " and " + names[-1]
    if code == WORLD:
        return "the world"
    country = countries().by_code.get(code)
    if country is None:
        return code
    short = {
        "RUS": "Russia",
        "USA": "the United States",
        "GBR": "the United Kingdom",
        "KOR": "South Korea",
        "IRN": "Iran",
    }
    return short.get(code, country.name_en)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
