"""Parts of a year a figure may cover: months, quarters, halves, "the first nine months".

A figure for part of a year is checked against the sum of those months where a source
publishes monthly figures, and against the same months of the year before for a growth;
it is never judged against an annual total. :func:`find_months` reads the span from the
tokens of a clause, as the first and last month (1-12).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bilateral.claims.document import MONTH_NUMBERS
from bilateral.claims.tokens import Token

_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip
_QUARTERS = {"q1": (1, 3), "q2": (4, 6), "q3": (7, 9), "q4": (10, 12)}
_ORDINAL_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2}
_LAST = {"half": 2, "quarter": 4}  # "the last quarter" of a year
_HALVES = {"h1": (1, 6), "h2": (7, 12), "1h": (1, 6), "2h": (7, 12)}
_DASHES = ("-", "–", "—")
MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December",
)  # fmt: skip
_MONTHS_RANGE = re.compile(r"^([a-z]+)[-–—]([a-z]+)$")


@dataclass(frozen=True)
class Months:
    """A span of months within one year, as the text names it."""

    first: int
    last: int
    words: str  # "January-September", "the first half"

    @property
    def span(self) -> tuple[int, int]:
        """(first, last) month, as the evidence is asked for it."""
        return self.first, self.last

    def label(self, year: int | None) -> str:
        """ "January-September 2023", "March 2022"."""
        first, last = MONTH_NAMES[self.first - 1], MONTH_NAMES[self.last - 1]
        span = first if self.first == self.last else f"{first}-{last}"
        return f"{span} {year}" if year else span


def _month(token: Token | None) -> int | None:
    if token is None:
        return None
    number = MONTH_NUMBERS.get(token.low.rstrip("."))
    return number if number is not None and token.low.isascii() else None


def _count(token: Token | None) -> int | None:
    if token is None:
        return None
    if token.low.isdigit():
        return int(token.low)
    return _NUMBER_WORDS.get(token.low)


def find_months(tokens: list[Token]) -> Months | None:
    """The part of a year the clause speaks of, if it names one."""

    def get(i: int) -> Token | None:
        return tokens[i] if 0 <= i < len(tokens) else None

    for i, token in enumerate(tokens):
        low = token.low
        joined = _MONTHS_RANGE.match(low)
        if joined:  # "january-september" as one token
            a, b = MONTH_NUMBERS.get(joined[1]), MONTH_NUMBERS.get(joined[2])
            if a and b and a <= b:
                return Months(a, b, token.text)
        first = _month(token)
        if first is not None:
            nxt = get(i + 1)
            if nxt is not None and nxt.text in _DASHES:
                last = _month(get(i + 2))
                if last is not None and first <= last:
                    return Months(first, last, f"{token.text}-{tokens[i + 2].text}")
            prev = get(i - 1)
            joiner, end = get(i + 1), _month(get(i + 2))
            if prev is not None and end is not None and first <= end and joiner is not None:
                ranged = prev.low in ("from", "between") and joiner.low in _JOINERS
                # "in the January to October period", "for January through June"
                ranged = ranged or (prev.low in _BEFORE_RANGE and joiner.low in _TO)
                if ranged:
                    return Months(first, end, f"{token.text} to {tokens[i + 2].text}")
            if _single_month(tokens, i):
                return Months(first, first, token.text)
        if low in _QUARTERS:
            return Months(*_QUARTERS[low], token.text)
        if low in _HALVES:
            return Months(*_HALVES[low], token.text)
        if low in ("half", "quarter") and i > 0:
            order = _ORDINAL_WORDS.get(tokens[i - 1].low)
            if tokens[i - 1].low in ("last", "final"):
                order = _LAST[low]
            if order is not None:
                if low == "half" and order <= 2:
                    return Months(6 * order - 5, 6 * order, f"{tokens[i - 1].text} {token.text}")
                if low == "quarter" and order <= 4:
                    return Months(3 * order - 2, 3 * order, f"{tokens[i - 1].text} {token.text}")
        if low in ("thirds", "third") and _of_the_year(tokens, i):
            words = [t.low for t in tokens[max(0, i - 3) : i] if t.low != "-"]
            thirds = 1 if words[-1:] == ["first"] else 2 if words[-2:] == ["first", "two"] else 0
            if thirds:  # "the first third", "the first two-thirds of the year"
                return Months(
                    1, 4 * thirds, "the first two-thirds" if thirds == 2 else "the first third"
                )
        if low in ("months", "month") and i > 0:
            count = _count(tokens[i - 1])
            before = get(i - 2)
            if count is not None and 1 <= count <= 11:
                later = before is not None and before.low == "last"
                if not later and not _is_duration(tokens, i - 1):
                    return Months(1, count, f"{count} months")
    return None


def _of_the_year(tokens: list[Token], i: int) -> bool:
    """'... of the year', 'of 2023': a part of a year, not 'a third of exports'."""
    after = [t.low for t in tokens[i + 1 : i + 3]]
    return after[:1] == ["of"] and (after[1:] == ["the"] or after[1:2] != [] and after[1].isdigit())


_JOINERS = frozenset({"to", "and", "through", "till"})
_TO = frozenset({"to", "through", "till"})
_BEFORE_RANGE = frozenset({"the", "in", "for", "during", "over"})


def _single_month(tokens: list[Token], i: int) -> bool:
    """'in January', 'in March 2022', 'January's exports': one month, not a date."""
    prev = tokens[i - 1].low if i > 0 else ""
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and nxt.low.isdigit() and len(nxt.low) <= 2:
        return False  # "November 9": a day, the date of an event
    if prev.isdigit() and len(prev) <= 2:
        return False  # "9 November"
    return prev in ("in", "for", "during", "of", "over") or (
        nxt is not None and nxt.low in ("alone",)
    )


def _is_duration(tokens: list[Token], i: int) -> bool:
    """'within six months', 'for 11 months in a row': a length of time, not a span."""
    prev = tokens[i - 1].low if i > 0 else ""
    nxt = tokens[i + 2].low if i + 2 < len(tokens) else ""
    return prev in ("within", "after", "every", "next") or nxt in ("ago", "later")
