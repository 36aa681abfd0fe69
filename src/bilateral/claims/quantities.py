"""Find figures in a sentence: percentages, money, counts, multiples, years and ranks.

Works on tokens (see :mod:`bilateral.claims.tokens`), left to right, looking at most a few
tokens back (for a hedge or a currency sign) and ahead (for a range, a scale word, a
unit): linear in the length of the sentence.
"""

from __future__ import annotations

from dataclasses import dataclass

from bilateral.claims.document import ENGLISH_MONTHS
from bilateral.claims.lexicon import lexicon, word_class
from bilateral.claims.tokens import (
    NUMBER,
    SYMBOL,
    WORD,
    Token,
    number_precision,
    number_step,
    number_value,
)

PERCENT = "percent"
MONEY = "money"
COUNT = "count"
MULTIPLE = "multiple"
YEAR = "year"
ORDINAL = "ordinal"
DATE = "date"  # the day in "November 9, 2023"
CHANGE_FROM = "from"  # the starting level in "from 24.6 to 27 billion"

MONTHS = ENGLISH_MONTHS

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {
    "thousand": 1e3,
    "thousands": 1e3,
    "million": 1e6,
    "millions": 1e6,
    "mn": 1e6,
    "mln": 1e6,
    "billion": 1e9,
    "billions": 1e9,
    "bn": 1e9,
    "bln": 1e9,
    "trillion": 1e12,
    "trillions": 1e12,
    "tn": 1e12,
    "trln": 1e12,
}
_SHORT_SCALES = {"k": 1e3, "m": 1e6, "b": 1e9}  # only right after a currency sign: "$5m"
_CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "₽": "RUB", "₸": "KZT", "¥": "CNY"}
_CURRENCY_CODES = {"usd": "USD", "eur": "EUR", "rub": "RUB", "kzt": "KZT", "cny": "CNY"}
_CURRENCY_WORDS = {
    "dollars": "USD",
    "dollar": "USD",
    "euros": "EUR",
    "euro": "EUR",
    "rubles": "RUB",
    "roubles": "RUB",
    "tenge": "KZT",
    "yuan": "CNY",
}
#: Nouns of physical quantities: "3.88 million tonnes" is a tonnage, never money.
PHYSICAL_UNITS = frozenset(
    {
        "tons", "tonnes", "tonne", "ton", "t", "kg", "kilograms", "barrels", "bbl", "litres",
        "liters", "cubic", "cars", "vehicles", "units", "pieces", "head", "heads",
        "passengers", "people", "tourists", "flights", "smartphones", "phones",
    }
)  # fmt: skip
#: Verbs that state a multiple: "doubled" is 2 times, a rise of 100%.
VERB_MULTIPLES = {
    "doubled": 2.0, "doubling": 2.0, "doubles": 2.0,
    "tripled": 3.0, "tripling": 3.0, "triples": 3.0, "trebled": 3.0,
    "quadrupled": 4.0, "quadrupling": 4.0, "quadruples": 4.0,
    "halved": 0.5, "halving": 0.5,
}  # fmt: skip
#: Words that state a multiple without being verbs: "exceeded last year's by more than twice".
MULTIPLE_WORDS = {"twice": 2.0, "thrice": 3.0}
_PERCENT_WORDS = {("percent",), ("per", "cent"), ("pct",)}
_MAX_DIGITS = 20
_ORDINAL_SUFFIXES = {"st", "nd", "rd", "th"}
ORDINALS = {
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
    "largest": 1,
    "biggest": 1,
    "main": 1,
    "leading": 1,
    "top": 1,
}
_SUPERLATIVES = {"largest", "biggest", "main", "leading", "top"}


@dataclass(frozen=True)
class Quantity:
    """A figure in a sentence: what it measures, its value and how it is hedged.

    Token positions: the figure spans [start, end); its hedge starts at ``hedge_start``
    (equal to ``start`` when there is none).
    """

    kind: str  # percent | money | count | multiple | year | ordinal
    value: float
    start: int
    end: int
    hedge: str = "exact"
    hedge_start: int = -1
    high: float | None = None
    step: float = 1.0
    unit: str = ""  # %, a currency code, the noun counted
    from_words: bool = False  # written in words ("two billion", "a fifth")


@dataclass(frozen=True)
class RankMention:
    """An ordinal or superlative that ranks something: 'the largest partner', 'third in exports'."""

    rank: int
    start: int
    end: int
    vague: bool = False  # "one of the largest": a rank that states no number


def word_number(tokens: list[Token], index: int) -> tuple[float, int] | None:
    """A number in words at ``index`` ('two', 'twenty five', 'a hundred'): (value, end)."""
    token = tokens[index]
    if token.kind != WORD:
        return None
    low = token.low
    if low in _TENS:
        value = _TENS[low]
        end = index + 1
        if end + 1 < len(tokens) and tokens[end].text == "-" and tokens[end + 1].low in _UNITS:
            return value + _UNITS[tokens[end + 1].low], end + 2
        if end < len(tokens) and tokens[end].low in _UNITS and _UNITS[tokens[end].low] < 10:
            return value + _UNITS[tokens[end].low], end + 1
        return value, end
    if low in _UNITS:
        value = _UNITS[low]
        end = index + 1
        if end < len(tokens) and tokens[end].low == "hundred":
            return value * 100, end + 1
        return value, end
    if low == "a" and index + 1 < len(tokens) and tokens[index + 1].low in ("hundred", "dozen"):
        return (100 if tokens[index + 1].low == "hundred" else 12), index + 2
    return None


def _read_number(tokens: list[Token], index: int) -> tuple[float, float, int, bool] | None:
    """(value, step, end, in_words) for a number at ``index``."""
    token = tokens[index]
    if token.kind == NUMBER:
        if len(token.text) > _MAX_DIGITS:
            return None  # a run of digits, not a figure anyone states
        return number_value(token.text), number_step(token.text), index + 1, False
    words = word_number(tokens, index)
    if words is not None:
        value, end = words
        return float(value), 1.0, end, True
    return None


def _currency_before(tokens: list[Token], index: int) -> tuple[str, int] | None:
    if index >= 1 and tokens[index - 1].text in _CURRENCY_SIGNS:
        start = index - 1
        if start >= 1 and tokens[start - 1].text in ("US", "USD"):
            start -= 1
        return _CURRENCY_SIGNS[tokens[index - 1].text], start
    if index >= 1 and tokens[index - 1].low in _CURRENCY_CODES:
        return _CURRENCY_CODES[tokens[index - 1].low], index - 1
    return None


def find_quantities(tokens: list[Token]) -> list[Quantity]:
    """Every figure in a sentence, in order."""
    words = lexicon()
    found: list[Quantity] = []
    index = 0
    while index < len(tokens):
        fraction = words.fractions.match_at(tokens, index)
        if fraction is not None and _is_share_fraction(tokens, index, fraction[0]):
            size, percent = fraction
            found.append(
                _hedged(
                    tokens,
                    Quantity(
                        PERCENT,
                        percent,
                        index,
                        index + size,
                        hedge="about",
                        step=percent,
                        unit="%",
                        from_words=True,
                    ),
                )
            )
            index += size
            continue
        if fraction is not None and _is_growth_fraction(tokens, index):
            size, percent = fraction  # "grew by about a third": +33%
            growth = Quantity(
                PERCENT, percent, index, index + size, hedge="about", step=percent, unit="%",
                from_words=True,
            )  # fmt: skip
            found.append(_hedged(tokens, growth))
            index += size
            continue
        times = VERB_MULTIPLES.get(tokens[index].low) or _multiple_word(tokens, index)
        if times is not None:  # "doubled", "nearly tripled", "by more than twice"
            multiple = Quantity(
                MULTIPLE, times, index, index + 1, step=1.0, unit="times", from_words=True
            )
            found.append(_hedged(tokens, multiple))
            index += 1
            continue
        number = _read_number(tokens, index)
        if number is None:
            index += 1
            continue
        quantity = _quantity_at(tokens, index, number)
        if quantity is not None:
            found.append(quantity)
            index = max(quantity.end, index + 1)
        else:
            index = number[2]
    return found


def _is_growth_fraction(tokens: list[Token], index: int) -> bool:
    """'grew by a third', 'rose by about a quarter', 'dropped by more than two-thirds': a
    fraction as a change."""
    before = [t.low for t in tokens[max(0, index - 4) : index]]
    return "by" in before and all(t not in ("of", "to") for t in before[before.index("by") :])


def _is_share_fraction(tokens: list[Token], index: int, size: int) -> bool:
    """'a fifth of', not 'the first half of 2023'."""
    after = index + size
    if after >= len(tokens) or tokens[after].low != "of":
        return False
    before = tokens[index - 1].low if index > 0 else ""
    return before not in ORDINALS and before not in ("the", "second", "this", "last")


def _quantity_at(
    tokens: list[Token], index: int, number: tuple[float, float, int, bool]
) -> Quantity | None:
    value, step, end, in_words = number
    start = index
    if end < len(tokens) and tokens[end].low in _ORDINAL_SUFFIXES and not in_words:
        return Quantity(ORDINAL, value, start, end + 1)
    if _is_date_part(tokens, index, end) and not _is_year(value, tokens[index].text):
        return Quantity(DATE, value, start, end)
    if (
        index > 0
        and tokens[index - 1].low == "from"
        and end + 1 < len(tokens)
        and tokens[end].low == "to"
    ):
        return Quantity(CHANGE_FROM, value, start, end)  # "from 24.6 to 27 billion"
    currency = None
    before = _currency_before(tokens, index)
    if before is not None:
        currency, start = before
    if in_words and index > 0 and tokens[index - 1].low == "the" and currency is None:
        return None  # "the two countries": a reference, not a count
    high = None
    dash = end + 1 < len(tokens) and tokens[end].text in ("-", "–", "—")
    to_range = (
        end + 1 < len(tokens)
        and tokens[end].low == "to"
        and tokens[end + 1].kind == NUMBER
        and not (index > 0 and tokens[index - 1].low == "from")  # "from 24 to 27": a change
    )
    between = (
        index > 0
        and tokens[index - 1].low == "between"
        and end + 1 < len(tokens)
        and tokens[end].low == "and"
        and tokens[end + 1].kind == NUMBER
    )
    if dash or to_range or between:
        other = _read_number(tokens, end + 1)
        if other is not None and other[0] >= value:
            high, end = other[0], other[2]
            step = _range_step(tokens[index], tokens[end - 1], step)
    elif (
        end < len(tokens)
        and tokens[end].text == "%"
        and end + 2 < len(tokens)
        and (tokens[end + 1].text in ("-", "–", "—") and tokens[end + 2].kind == NUMBER)
    ):
        other = _read_number(tokens, end + 2)
        if other is not None and other[0] >= value:
            high, end = other[0], other[2]
            step = _range_step(tokens[index], tokens[end - 1], step)
    scale = 1.0
    if end < len(tokens) and tokens[end].low in _SCALES:
        scale = _SCALES[tokens[end].low]
        end += 1
    elif currency and end < len(tokens) and tokens[end].low in _SHORT_SCALES:
        scale = _SHORT_SCALES[tokens[end].low]
        end += 1
    kind = COUNT
    unit = ""
    if end < len(tokens) and tokens[end].text == "%":
        kind, unit, end = PERCENT, "%", end + 1
    elif (size := _percent_words(tokens, end)) > 0:
        kind, unit, end = PERCENT, "%", end + size
    elif currency is not None:
        kind, unit = MONEY, currency
        if end < len(tokens) and tokens[end].low in _CURRENCY_WORDS:
            end += 1
    else:
        suffix = _currency_after(tokens, end)
        if suffix is not None:
            (kind, unit), end = (MONEY, suffix[0]), suffix[1]
        elif end < len(tokens) and tokens[end].low in ("times", "fold"):
            kind, unit, end = MULTIPLE, "times", end + 1
        elif (
            end + 1 < len(tokens)
            and tokens[end].text in ("-", "–")
            and tokens[end + 1].low == "fold"
        ):
            kind, unit, end = MULTIPLE, "times", end + 2  # "six-fold"
        elif scale > 1 and not (end < len(tokens) and tokens[end].low in PHYSICAL_UNITS):
            kind, unit = MONEY, "USD"  # "turnover reached 27 billion": read as US dollars
    if kind == COUNT:
        if (
            not in_words
            and scale == 1
            and _is_year(value, tokens[index].text)
            and (high is None or 1900 <= high <= 2100)
        ):
            return Quantity(YEAR, value, start, end, high=high)
        unit = _counted_noun(tokens, end)
    quantity = Quantity(
        kind,
        value * scale,
        start,
        end,
        high=None if high is None else high * scale,
        step=step * scale,
        unit=unit,
        from_words=in_words,
    )
    return _hedged(tokens, quantity)


_NOT_NOUNS = word_class("not_noun")  # words that end what a count counts


def _percent_words(tokens: list[Token], end: int) -> int:
    """How many tokens 'percent', 'per cent' or 'pct' take at ``end`` (0 if none)."""
    if end >= len(tokens) or tokens[end].low not in ("percent", "per", "pct"):
        return 0
    for words in _PERCENT_WORDS:
        if tuple(t.low for t in tokens[end : end + len(words)]) == words:
            return len(words)
    return 0


def _counted_noun(tokens: list[Token], end: int) -> str:
    """What a count counts: 'projects', 'joint ventures' (up to two words)."""
    words = []
    for token in tokens[end : end + 2]:
        if token.kind != WORD or token.low in _NOT_NOUNS:
            break
        words.append(token.low)
    return " ".join(words)


def _is_date_part(tokens: list[Token], index: int, end: int) -> bool:
    """'November 9, 2023' and '9 November 2023': the day of a date."""
    if tokens[index].kind != NUMBER or "." in tokens[index].text:
        return False
    before = tokens[index - 1].low.rstrip(".") if index > 0 else ""
    after = tokens[end].low if end < len(tokens) else ""
    return before in MONTHS or (after in MONTHS and after != "may")


def _range_step(first: Token, last: Token, step: float) -> float:
    """The ends of a range are read to their last digit, trailing zeros included."""
    if first.kind == NUMBER and last.kind == NUMBER:
        return min(number_precision(first.text), number_precision(last.text))
    return min(step, 1.0)


def _is_year(value: float, text: str) -> bool:
    return value == int(value) and 1900 <= value <= 2100 and text.isdigit()


def _currency_after(tokens: list[Token], end: int) -> tuple[str, int] | None:
    if (
        end + 1 < len(tokens)
        and tokens[end].low in ("us", "u.s")
        and tokens[end + 1].low in ("dollars", "dollar")
    ):
        return "USD", end + 2
    if end < len(tokens) and tokens[end].low in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[tokens[end].low], end + 1
    if end < len(tokens) and tokens[end].low in _CURRENCY_CODES:
        return _CURRENCY_CODES[tokens[end].low], end + 1
    return None


#: Nouns after a figure that make it a threshold passed: "the $5 billion mark".
_MARKS = frozenset({"mark", "threshold", "milestone", "barrier", "level"})


def _hedged(tokens: list[Token], quantity: Quantity) -> Quantity:
    """Attach the hedge written just before the figure ('more than', 'almost', 'up to')."""
    words = lexicon()
    start = quantity.start
    if start > 0 and tokens[start - 1].low == "between" and quantity.high is not None:
        start -= 1
    match = words.hedges.match_ending_at(tokens, start)
    if (  # "exceeded the $5 billion mark": the hedge before "the"
        match is None
        and start > 1
        and tokens[start - 1].low == "the"
        and quantity.end < len(tokens)
        and tokens[quantity.end].low in _MARKS
    ):
        found = words.hedges.match_ending_at(tokens, start - 1)
        match = (found[0] + 1, found[1]) if found is not None else None
    if (
        match is None
        and start > 0
        and tokens[start - 1].kind == SYMBOL
        and tokens[start - 1].text == "~"
    ):
        match = (1, "about")
    hedge = quantity.hedge
    hedge_start = quantity.start
    if match is not None:
        size, hedge = match
        hedge_start = start - size
        reached = hedge_start > 0 and tokens[hedge_start - 1].low in word_class("reaching")
        if hedge == "up to" and reached:  # "climbing up to $174 bn": the level reached
            hedge, hedge_start = quantity.hedge, quantity.start
    elif quantity.high is not None:
        hedge = "range"
    if quantity.high is not None and hedge not in ("about", "range"):
        hedge = "range"
    return Quantity(
        quantity.kind,
        quantity.value,
        quantity.start,
        quantity.end,
        hedge=hedge,
        hedge_start=hedge_start,
        high=quantity.high,
        step=quantity.step,
        unit=quantity.unit,
        from_words=quantity.from_words,
    )


def find_ranks(tokens: list[Token]) -> list[RankMention]:
    """Ordinals and superlatives that rank a partner or a product ('third in exports')."""
    words = lexicon()
    ranks: list[RankMention] = []
    for index, token in enumerate(tokens):
        rank = None
        end = index + 1
        if token.low in ORDINALS and token.kind == WORD:
            rank = ORDINALS[token.low]
            if (
                token.low not in _SUPERLATIVES
                and end < len(tokens)
                and tokens[end].low in ("largest", "biggest", "most")
            ):
                end += 1
            elif (
                token.low not in _SUPERLATIVES
                and end + 1 < len(tokens)
                and tokens[end].text == "-"
                and tokens[end + 1].low in ("largest", "biggest")
            ):
                end += 2  # "second-largest"
        elif (
            token.kind == NUMBER
            and end < len(tokens)
            and tokens[end].low in _ORDINAL_SUFFIXES
            and "." not in token.text
            and "," not in token.text
        ):
            rank, end = int(token.text), end + 1
            if end < len(tokens) and tokens[end].low in ("largest", "biggest"):
                end += 1  # "8th largest": one rank
        after_ordinal = index > 0 and (
            tokens[index - 1].low in ORDINALS
            or (
                tokens[index - 1].low in _ORDINAL_SUFFIXES
                and index > 1
                and tokens[index - 2].kind == NUMBER
            )
        )
        hyphenated = (
            index > 1 and tokens[index - 1].text == "-" and tokens[index - 2].low in ORDINALS
        )
        if rank is None or after_ordinal or hyphenated:
            continue
        window = tokens[end : end + 7]
        cued = any(
            (cue := words.cues.match_at(window, i)) is not None and cue[1] == "rank"
            for i in range(len(window))
        )
        elliptic = (
            len(window) >= 2
            and window[0].low == "in"
            and ((cue := words.cues.match_at(window, 1)) is not None and cue[1].startswith("flow:"))
        )
        before = tokens[max(0, index - 2) : index]
        ranked_verb = any(t.low in ("ranks", "ranked", "ranking") for t in before)
        if not (cued or elliptic or ranked_verb):
            continue
        lead = [t.low for t in tokens[max(0, index - 5) : index]]
        vague = (
            any(  # "one of the largest", "one of Kazakhstan's largest"
                lead[i : i + 2] == ["one", "of"] for i in range(len(lead) - 1)
            )
            or (lead[-1:] in (["a"], ["an"]) and token.low in _SUPERLATIVES)
        )  # "a leading partner"
        ranks.append(RankMention(rank, index, end, vague))
    return ranks


def _multiple_word(tokens: list[Token], index: int) -> float | None:
    """'twice' as a size of change ('by more than twice', 'grew twice'), not 'twice as
    large as' (a comparison) or 'met twice' (a count of events)."""
    times = MULTIPLE_WORDS.get(tokens[index].low)
    if times is None:
        return None
    following = tokens[index + 1].low if index + 1 < len(tokens) else ""
    before = [t.low for t in tokens[max(0, index - 3) : index]]
    return times if following != "as" and ("by" in before or "grew" in before) else None
