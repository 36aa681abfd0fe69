"""Hedges and tolerances: what each hedged figure accepts, and the verdict for a true value.

The table is the one in docs/claims.md and in the docstring of claims/hedges.py.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from bilateral.claims.hedges import (
    COMPARISON_HEDGES,
    HEDGES,
    accepted,
    close_band,
    rounding,
)
from bilateral.claims.judge import judge
from bilateral.claims.lexicon import lexicon
from bilateral.claims.model import Stated

DOCS = Path(__file__).resolve().parents[2] / "docs" / "claims.md"


def pct(value: float, hedge: str = "exact", step: float = 1.0, high: float | None = None) -> Stated:
    return Stated(value, "%", hedge, high, step)


def usd(value: float, hedge: str = "exact", step: float = 1e9) -> Stated:
    return Stated(value, "USD", hedge, None, step)


@pytest.mark.parametrize(
    ("stated", "true", "verdict"),
    [
        # exact figures are read to their rounding: "$27 billion" is 26.5-27.5 bn
        pytest.param(usd(27e9), 26.972e9, "supported", id="27bn-vs-26.97bn"),
        pytest.param(usd(27e9), 26.4e9, "close", id="27bn-vs-26.4bn-rounding"),
        pytest.param(usd(27e9), 24.6e9, "contradicted", id="27bn-vs-24.6bn"),
        pytest.param(pct(98), 98.4, "supported", id="98pct-vs-98.4"),
        pytest.param(pct(70, step=10), 67.0, "supported", id="70pct-trailing-zero-rounds"),
        pytest.param(pct(70, step=10), 60.0, "contradicted", id="70pct-vs-60"),
        # more than: strictly above, 1 point (or 5%) close band for percentages
        pytest.param(pct(10, "more than", 10), 12.0, "supported", id="more-than-10-vs-12"),
        pytest.param(pct(10, "more than", 10), 9.53, "close", id="more-than-10-vs-9.5"),
        pytest.param(pct(10, "more than", 10), 10.0, "close", id="more-than-10-vs-exactly-10"),
        pytest.param(pct(10, "more than", 10), 8.5, "contradicted", id="more-than-10-vs-8.5"),
        pytest.param(pct(10, "at least", 10), 10.0, "supported", id="at-least-10-vs-10"),
        # almost: up to 5% below, not above
        pytest.param(pct(20, "almost", 10), 19.90, "supported", id="almost-20-vs-19.90"),
        pytest.param(pct(20, "almost", 10), 19.39, "supported", id="almost-20-vs-19.39"),
        pytest.param(pct(20, "almost", 10), 20.4, "close", id="almost-20-vs-20.4-wrong-side"),
        pytest.param(pct(20, "almost", 10), 17.0, "contradicted", id="almost-20-vs-17"),
        # about: 10% either side
        pytest.param(usd(2e9, "about"), 2.11e9, "supported", id="about-2bn-vs-2.11bn"),
        pytest.param(usd(2e9, "about"), 2.25e9, "close", id="about-2bn-vs-2.25bn"),
        pytest.param(usd(2e9, "about"), 2.6e9, "contradicted", id="about-2bn-vs-2.6bn"),
        # up to / less than
        pytest.param(pct(75, "up to", 5), 75.0, "supported", id="up-to-75-vs-75"),
        pytest.param(pct(75, "up to", 5), 76.0, "close", id="up-to-75-vs-76"),
        pytest.param(pct(10, "less than", 10), 10.0, "close", id="less-than-10-vs-10"),
        pytest.param(pct(10, "less than", 10), 4.0, "supported", id="less-than-10-vs-4"),
        # slightly more / less: within 10% of the figure on the stated side
        pytest.param(usd(20e9, "slightly more than", 10e9), 21e9, "supported", id="just-over-20bn"),
        pytest.param(
            usd(20e9, "slightly more than", 10e9), 25e9, "contradicted", id="just-over-20bn-vs-25"
        ),
        pytest.param(pct(50, "slightly less than", 10), 48.0, "supported", id="slightly-under-50"),
        # ranges: both ends with their rounding
        pytest.param(pct(80, "range", 1, high=90), 85.0, "supported", id="80-90-vs-85"),
        pytest.param(pct(80, "range", 1, high=90), 90.4, "supported", id="80-90-vs-90.4"),
        pytest.param(pct(80, "range", 1, high=90), 93.0, "close", id="80-90-vs-93"),
        pytest.param(pct(80, "range", 1, high=90), 70.0, "contradicted", id="80-90-vs-70"),
        # a fall: the hedge applies to its size
        pytest.param(pct(-5, "more than", 1), -6.0, "supported", id="fell-more-than-5-vs-6"),
        pytest.param(pct(-5, "more than", 1), -4.5, "close", id="fell-more-than-5-vs-4.5"),
        pytest.param(pct(-6, "about", 1), -5.78, "supported", id="fell-about-6-vs-5.8"),
        # ranks are exact, no close band
        pytest.param(Stated(1.0, "rank"), 1.0, "supported", id="rank-1-vs-1"),
        pytest.param(Stated(1.0, "rank"), 2.0, "contradicted", id="rank-1-vs-2"),
        # comparisons are judged on the gap in percent
        pytest.param(
            Stated(None, "vs CHN", "slightly below"), -9.98, "supported", id="slightly-below-10pct"
        ),
        pytest.param(
            Stated(None, "vs CHN", "slightly below"),
            11.44,
            "contradicted",
            id="slightly-below-but-ahead",
        ),
        pytest.param(
            Stated(None, "vs CHN", "slightly below"), -16.0, "close", id="slightly-below-16pct"
        ),
        pytest.param(
            Stated(None, "vs CHN", "slightly below"),
            -30.0,
            "contradicted",
            id="slightly-below-30pct",
        ),
        pytest.param(Stated(None, "vs RUS", "above"), 11.1, "supported", id="overtook"),
        # "well ahead" with a 5% lead: the direction holds, the degree is disputable
        pytest.param(Stated(None, "vs RUS", "far above"), 5.0, "close", id="far-above-5pct"),
        pytest.param(Stated(None, "vs RUS", "far above"), -3.0, "contradicted", id="far-behind"),
        pytest.param(Stated(None, "vs RUS", "far above"), 22.0, "supported", id="far-above-22pct"),
    ],
)
def test_verdict_for_a_true_value(stated, true, verdict):
    assert judge(stated, true).verdict == verdict


@pytest.mark.parametrize(
    ("stated", "low", "high", "verdict"),
    [
        # FAOSTAT extract: Russia the only wheat supplier listed -> share in [95, 100]
        pytest.param(pct(98), 95.0, 100.0, "supported", id="bracket-straddles-98"),
        pytest.param(pct(60, "more than", 10), 53.9, 56.7, "contradicted", id="bracket-below-60"),
        pytest.param(pct(50), 95.0, 100.0, "contradicted", id="bracket-above-50"),
        # a sum over an extract is a lower bound
        pytest.param(usd(6e9), 4.40e9, math.inf, "not checkable", id="lower-bound-below-claim"),
        pytest.param(usd(3e9), 4.40e9, math.inf, "contradicted", id="lower-bound-above-claim"),
    ],
)
def test_verdict_for_a_bracket(stated, low, high, verdict):
    assert judge(stated, low, high).verdict == verdict


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        pytest.param(usd(27e9), 0.5e9, id="27bn"),
        pytest.param(pct(19.9, step=0.1), 0.05, id="19.9pct"),
        pytest.param(pct(70, step=10), 3.5, id="70pct-capped-at-5pct"),
        pytest.param(usd(6e9), 0.3e9, id="6bn-capped-at-5pct"),
        pytest.param(Stated(3.0, "rank"), 0.0, id="rank"),
    ],
)
def test_rounding(stated, expected):
    assert rounding(stated) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("stated", "expected"),
    [
        pytest.param(pct(10, "more than", 10), 1.0, id="percent-at-least-1-point"),
        pytest.param(pct(98), 4.9, id="percent-5pct-of-98"),
        pytest.param(usd(27e9), 1.35e9, id="money-5pct"),
        pytest.param(Stated(1.0, "rank"), 0.0, id="rank-none"),
        pytest.param(Stated(None, "vs CHN", "slightly below"), 2.0, id="comparison-2-points"),
        pytest.param(Stated(None, "vs CHN", "far below"), 15.0, id="far-comparison-15-points"),
    ],
)
def test_close_band(stated, expected):
    assert close_band(stated) == pytest.approx(expected)


def test_every_hedge_word_maps_to_a_known_hedge():
    words = lexicon().hedges
    assert set(words._entries.values()) <= set(HEDGES)


def test_unknown_hedge_is_an_error_naming_the_known_ones():
    with pytest.raises(ValueError, match="unknown hedge 'roughly-ish'; expected one of exact"):
        accepted(pct(10, "roughly-ish"))


def test_every_hedge_is_documented():
    text = DOCS.read_text(encoding="utf-8")
    for hedge in [h for h in HEDGES if h != "range"] + ["slightly below", "far below"]:
        assert hedge in text, f"docs/claims.md does not describe the hedge '{hedge}'"
    assert set(COMPARISON_HEDGES) >= {"slightly below", "far above"}
