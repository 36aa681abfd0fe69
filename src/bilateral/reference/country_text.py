"""Country names in running text: where a capitalised country name names something else.

A text scanner (the claim parser's ``claims/lexicon.py``) finds countries by exact look-ups
of runs of capitalised words in the country index (``CountryIndex.find`` without
``patterns``: country_converter's regular expressions are for a whole name, and would read
"Kazakhstan Ministry" as a country). Lower-case words are never names there, so "us",
"guinea pig", "a hanging chad" and "turkey" are safe; what is left are capitalised names
that, next to certain words, are not the country: "Chad Bown" (a person), "Lake Chad",
"New Guinea" (the island), "the Gulf of Guinea", "Atlanta, Georgia" (the US state).
"""

from __future__ import annotations

import re

# ISO3 -> (what the text before the name ends with, what the text after it starts with:
# re.match at the name's end) when the name is not the country.
_NOT_THE_COUNTRY: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "TCD": (
        re.compile(r"\bLake\s+$"),
        # a first name: "Chad Bown of the Peterson Institute"
        re.compile(r" (?!(?:And|Or|Of|The|In|To)\b)[A-Z][a-z]+\b"),
    ),
    "GIN": (
        re.compile(r"(?:\bNew|\bGulf\s+of)\s+$"),
        re.compile(r"\s+(?:[Pp]igs?|[Ff]owls?)\b"),
    ),
    "GEO": (
        re.compile(
            r"(?:\b[Ss]tate\s+of|\bU\.?S\.?\s+[Ss]tate(?:\s+of)?"
            r"|\b(?:Atlanta|Savannah|Augusta|Macon|Athens|Columbus),)\s*$"
        ),
        re.compile(
            r"(?:\s*,\s*(?:USA|U\.S\.A?\.?)(?!\w)|\s+State\b|\s*\((?:the\s+)?U\.?S\.?\s+state\))"
        ),
    ),
}


def not_the_country(code: str, text: str, start: int, end: int) -> bool:
    """Whether the name of ``code`` at ``text[start:end]`` names something else here.

    >>> not_the_country("GEO", "Atlanta, Georgia is growing", 9, 16)
    True
    >>> not_the_country("GEO", "Georgia exported wine", 0, 7)
    False
    """
    rule = _NOT_THE_COUNTRY.get(code)
    if rule is None:
        return False
    before, after = rule
    return bool(before.search(text, max(0, start - 40), start) or after.match(text, end))
