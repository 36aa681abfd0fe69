"""Split a sentence into word, number and symbol tokens, remembering where each came from.

The claim parser works on tokens rather than on regular expressions over whole sentences:
one pass of a simple, unambiguous pattern, then look-ups in dictionaries. That keeps the
parser linear in the length of the text, whatever the text holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Alternatives are disjoint (possessive, number, word, single symbol), so matching never
# backtracks more than one character.
_TOKEN = re.compile(
    r"(?P<poss>['’]s\b)"
    r"|(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<symbol>[^\w\s])",
)

WORD = "word"
NUMBER = "number"
SYMBOL = "symbol"
POSSESSIVE = "poss"


@dataclass(frozen=True)
class Token:
    """A token: its text, its kind, and its character span in the sentence."""

    text: str
    kind: str  # word | number | symbol | poss
    start: int
    end: int
    low: str = ""  # the text case-folded, for look-ups

    def __post_init__(self) -> None:
        if not self.low:
            object.__setattr__(self, "low", self.text.casefold())

    @property
    def is_capitalised(self) -> bool:
        return self.kind == WORD and self.text[:1].isupper()


def tokenize(text: str) -> list[Token]:
    """Tokens of ``text`` in order; whitespace is dropped."""
    return [
        Token(text, match.lastgroup or SYMBOL, match.start(), match.end(), text.casefold())
        for match in _TOKEN.finditer(text)
        for text in (match.group(),)
    ]


def number_value(text: str) -> float:
    """The value of a number token: '26,972,021.4' -> 26972021.4, '27,5' -> 27.5."""
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        return float(text.replace(",", ""))
    return float(text.replace(",", "."))


def number_step(text: str) -> float:
    """One unit of the last digit written: '27' -> 1, '19.9' -> 0.1, '70' -> 10, '100' -> 100.

    Trailing zeros of a whole number are read as rounding ("70%" may stand for 68%).
    """
    digits = text.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text) else text
    digits = digits.replace(",", ".")
    if "." in digits:
        return 10.0 ** -len(digits.split(".", 1)[1])
    stripped = digits.rstrip("0")
    if not stripped:
        return 1.0
    return 10.0 ** (len(digits) - len(stripped))


def number_precision(text: str) -> float:
    """One unit of the last digit, trailing zeros included: '90' -> 1, '2.5' -> 0.1.

    Used for the ends of a range ("80-90%"), which state their bounds outright.
    """
    digits = text.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text) else text
    digits = digits.replace(",", ".")
    return 10.0 ** -len(digits.split(".", 1)[1]) if "." in digits else 1.0
