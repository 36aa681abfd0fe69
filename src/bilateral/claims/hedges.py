"""What a hedged figure asserts: the range of true values that bear it out.

A text rarely says "26.97 billion"; it says "$27 billion", "almost 20%", "more than 10%",
"80-90%". Each hedge turns the stated figure ``s`` into an *accepted range*. A true value
inside it supports the claim; one outside it but within the *close band* is "close";
anything further off contradicts it. docs/claims.md carries the same table.

Rounding. A figure is read to the precision it is written with: ``r`` is half a unit of its
last digit ("27 billion" -> 0.5 bn, "19.9%" -> 0.05), trailing zeros of whole numbers count
as rounding ("70%" -> 5 points), but ``r`` never exceeds ``ROUNDING_CAP`` (5%) of ``s``.

======================  =========================================  ===========================
hedge                   accepted range                             example (true value)
======================  =========================================  ===========================
exact (no hedge)        [s - r, s + r]                             "$27 billion": 26.5..27.5 bn
about, around, some     [s - w, s + w], w = max(r, 10% of s)       "about $2 bn": 1.8..2.2 bn
almost, nearly          [s - w, s], w = max(r, 5% of s)            "almost 20%": 19..20%
more than, over         (s, inf)                                   "more than 10%": > 10%
at least                [s, inf)
slightly more than      (s, s + w], w = max(r, 10% of s)           "just over $20 bn"
up to, at most          (-inf, s]                                  "up to 75%"
less than, under        (-inf, s)
slightly less than      [s - w, s), w = max(r, 10% of s)
range "a-b"             [a - r, b + r], r from the last digit      "80-90%": 79.5..90.5%
======================  =========================================  ===========================

A decline ("fell by more than 5%") is stated as a negative figure; its hedge applies to
the size of the fall, so the accepted range is mirrored: below -5%.

Close band. A true value outside the accepted range is "close" when its distance to the
range is at most ``c = max(r, 5% of |s|)``, and at least one percentage point for figures
in percent (shares, growth rates): so "more than 10%" against +9.5% is close, against
+8.5% contradicted. Ranks have no close band: second is not first.

The ends of a range state their bounds outright, so there trailing zeros are digits:
"80-90%" is read to the point, 79.5..90.5%.

Comparisons between partners ("Russia is only slightly inferior to China") are judged on
the gap ``g = (partner / other - 1) * 100``: "slightly below" accepts -15 <= g < 0,
"below" g < 0, "far below" g < -15, and the mirror images for "above"; the close band is
two points of gap, and for "far" 15 points: a gap in the stated direction but smaller than
"far" is close, never contradicted.

Fractions in words ("a fifth", "two thirds") are read as "about" unless the text hedges
them otherwise ("almost a fifth").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bilateral.claims.model import Stated

ROUNDING_CAP = 0.05
ABOUT = 0.10
ALMOST = 0.05
SLIGHTLY = 0.10
CLOSE_RELATIVE = 0.05
CLOSE_POINTS = 1.0
SLIGHT_GAP = 15.0
COMPARISON_CLOSE = 2.0

INF = math.inf

# The hedge names a Stated figure may carry (see the table above).
EXACT = "exact"
HEDGES = (
    EXACT,
    "about",
    "almost",
    "more than",
    "at least",
    "slightly more than",
    "up to",
    "less than",
    "slightly less than",
    "range",
)
COMPARISON_HEDGES = (
    "slightly below",
    "below",
    "far below",
    "slightly above",
    "above",
    "far above",
)


@dataclass(frozen=True)
class Interval:
    """A range of values; open ends exclude their bound."""

    low: float
    high: float
    low_open: bool = False
    high_open: bool = False

    def contains(self, value: float) -> bool:
        above_low = value > self.low if self.low_open else value >= self.low
        below_high = value < self.high if self.high_open else value <= self.high
        return above_low and below_high

    def distance(self, value: float) -> float:
        """How far ``value`` lies outside the range (0 inside or on an open bound)."""
        if self.contains(value):
            return 0.0
        if value <= self.low:
            return self.low - value
        return value - self.high

    def mirrored(self) -> Interval:
        return Interval(-self.high, -self.low, self.high_open, self.low_open)

    def describe(self, unit: str = "") -> str:
        """Plain words for the range, e.g. 'between 19 and 20', 'above 10'."""
        if self.low == -INF and self.high == INF:
            return "any value"
        if self.low == -INF:
            return f"{'below' if self.high_open else 'at most'} {_num(self.high)}{unit}"
        if self.high == INF:
            return f"{'above' if self.low_open else 'at least'} {_num(self.low)}{unit}"
        return f"between {_num(self.low)}{unit} and {_num(self.high)}{unit}"


def _num(value: float) -> str:
    return f"{value:,.4g}" if abs(value) < 1e6 else f"{value:,.0f}"


def rounding(stated: Stated) -> float:
    """Half a unit of the last digit written, at most ROUNDING_CAP of the figure."""
    if stated.unit == "rank" or stated.value is None:
        return 0.0
    size = abs(stated.high if stated.high is not None else stated.value)
    return min(stated.step / 2, ROUNDING_CAP * size)


def accepted(stated: Stated) -> Interval:
    """The true values that support ``stated``, following the table in the module docstring."""
    if stated.hedge in COMPARISON_HEDGES:
        return _comparison(stated.hedge)
    if stated.value is None:
        raise ValueError(f"a '{stated.hedge}' figure needs a value")
    if stated.value < 0 and stated.high is None:
        magnitude = Stated(-stated.value, stated.unit, stated.hedge, None, stated.step)
        return accepted(magnitude).mirrored()
    s = stated.value
    r = rounding(stated)
    hedge = stated.hedge
    if stated.high is not None:
        widen = max(r, ABOUT * abs(stated.high)) if hedge == "about" else r
        return Interval(s - widen, stated.high + widen)
    if hedge == EXACT:
        return Interval(s - r, s + r)
    if hedge == "about":
        w = max(r, ABOUT * abs(s))
        return Interval(s - w, s + w)
    if hedge == "almost":
        return Interval(s - max(r, ALMOST * abs(s)), s)
    if hedge == "more than":
        return Interval(s, INF, low_open=True)
    if hedge == "at least":
        return Interval(s, INF)
    if hedge == "slightly more than":
        return Interval(s, s + max(r, SLIGHTLY * abs(s)), low_open=True)
    if hedge == "up to":
        return Interval(-INF, s)
    if hedge == "less than":
        return Interval(-INF, s, high_open=True)
    if hedge == "slightly less than":
        return Interval(s - max(r, SLIGHTLY * abs(s)), s, high_open=True)
    raise ValueError(f"unknown hedge '{hedge}'; expected one of {', '.join(HEDGES)}")


def _comparison(hedge: str) -> Interval:
    below = {
        "slightly below": Interval(-SLIGHT_GAP, 0.0, high_open=True),
        "below": Interval(-INF, 0.0, high_open=True),
        "far below": Interval(-INF, -SLIGHT_GAP, high_open=True),
    }
    if hedge in below:
        return below[hedge]
    return below[hedge.replace("above", "below")].mirrored()


def close_band(stated: Stated) -> float:
    """How far outside the accepted range a true value may lie and still be 'close'."""
    if stated.hedge in COMPARISON_HEDGES:
        # "well ahead of China" with Russia 11% ahead: the direction is right and "well" a
        # matter of degree, so close; a gap the other way is still contradicted.
        return SLIGHT_GAP if stated.hedge.startswith("far ") else COMPARISON_CLOSE
    if stated.unit == "rank" or stated.value is None:
        return 0.0
    size = abs(stated.high if stated.high is not None else stated.value)
    band = max(rounding(stated), CLOSE_RELATIVE * size)
    if stated.unit == "%":
        band = max(band, CLOSE_POINTS)
    return band
