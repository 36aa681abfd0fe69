"""Judge a stated figure against what a source shows: supported, close or contradicted.

The source's figure is usually one number. Some sources only bound the truth: an extract
that leaves out small partners gives a share "at most" what it shows, a sum over listed
items "at least" what it shows. So the source's side is an interval ``[low, high]``:

* it lies inside the accepted range (see :mod:`bilateral.claims.hedges`): **supported**;
* it lies wholly outside: **close** when the gap is within the close band, else
  **contradicted**;
* it straddles the accepted range: **supported** when the source brackets the truth on both
  sides (the claim is consistent with everything the source allows), **not checkable** when
  the source bounds it on one side only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from bilateral.claims.hedges import Interval, accepted, close_band
from bilateral.claims.model import CLOSE, CONTRADICTED, NOT_CHECKABLE, SUPPORTED, Stated


@dataclass(frozen=True)
class Judgement:
    """A verdict with the accepted range and how far the source's value lies from it."""

    verdict: str
    accepted: Interval
    distance: float  # 0 when the source's value is within the accepted range
    side: str  # inside | below | above | straddles


def judge(stated: Stated, low: float, high: float | None = None) -> Judgement:
    """Compare ``stated`` with a source's value ``low`` (or its bracket ``[low, high]``).

    Examples
    --------
    >>> from bilateral.claims.model import Stated
    >>> judge(Stated(27e9, "USD", step=1e9), 26.97e9).verdict
    'supported'
    >>> judge(Stated(10.0, "%", "more than", step=10), 9.53).verdict
    'close'
    >>> judge(Stated(10.0, "%", "more than", step=10), 8.0).verdict
    'contradicted'

    ``high`` may be ``math.inf`` (the source gives a lower bound only); values are in the
    stated unit (USD, percent, rank).
    """
    top = low if high is None else high
    window = accepted(stated)
    inside_low = low > window.low if window.low_open else low >= window.low
    inside_high = top < window.high if window.high_open else top <= window.high
    if inside_low and inside_high:
        return Judgement(SUPPORTED, window, 0.0, "inside")
    if top < window.low or (top == window.low and window.low_open):
        return _outside(stated, window, window.low - top, "below")
    if low > window.high or (low == window.high and window.high_open):
        return _outside(stated, window, low - window.high, "above")
    bracketed = math.isfinite(low) and math.isfinite(top)
    return Judgement(SUPPORTED if bracketed else NOT_CHECKABLE, window, 0.0, "straddles")


def _outside(stated: Stated, window: Interval, distance: float, side: str) -> Judgement:
    verdict = CLOSE if distance <= close_band(stated) else CONTRADICTED
    return Judgement(verdict, window, distance, side)
