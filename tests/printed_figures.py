"""How the report prints figures: table cells, the figures a text states, and the evidence
beside them, each as (input, printed). The Python formatters (test_report_tables) and the
dashboard's JavaScript (test_web_browser) must print the same."""

from __future__ import annotations

import math

import pytest

CELLS = [
    pytest.param(26_972_021_445.17, "money", "$26.97 bn", id="billions"),
    pytest.param(-8_789_239_611.37, "money", "-$8.79 bn", id="negative-balance"),
    pytest.param(412_300_000.0, "money", "$412.3 m", id="millions"),
    pytest.param(12_345.4, "money", "$12,345", id="dollars"),
    pytest.param(19.901521990745966, "percent", "19.90%", id="share"),
    pytest.param(-2.401581, "percent", "-2.40%", id="negative-gap"),
    pytest.param(3.0, "rank", "3rd", id="rank-from-float"),
    pytest.param(False, "yesno", "no", id="flag"),
    pytest.param("kz_bns", "text", "kz_bns", id="text"),
    pytest.param(None, "money", "n/a", id="unknown-is-n/a"),
    pytest.param(math.nan, "percent", "n/a", id="nan-is-n/a"),
]


STATED = [
    pytest.param({"value": 27e9, "unit": "USD", "hedge": "exact"}, "$27.00 bn", id="money"),
    pytest.param({"value": 10.0, "unit": "%", "hedge": "more than"}, "more than 10%", id="hedged"),
    pytest.param({"value": [80.0, 90.0], "unit": "%", "hedge": "range"}, "80-90%", id="range"),
    pytest.param({"value": 3.0, "unit": "rank", "hedge": "exact"}, "3rd", id="rank"),
    pytest.param(
        {"value": 60.0, "unit": "projects", "hedge": "more than"},
        "more than 60 projects",
        id="count",
    ),
    pytest.param(
        {"value": 1234567.0, "unit": "t", "hedge": "about"}, "about 1,234,567 t", id="large-number"
    ),
    pytest.param(
        {"value": None, "unit": "vs CHN", "hedge": "slightly below"},
        "slightly below",
        id="comparison",
    ),
]


EVIDENCE = [
    pytest.param(
        {"source": "kz_bns", "reported_by": "KAZ", "year": 2022, "value": 9.5343},
        "%",
        "9.53% (kz_bns, KAZ, 2022)",
        id="percent",
    ),
    pytest.param(
        {"source": "kz_bns", "reported_by": "KAZ", "year": 2022, "value": 26972021445.17},
        "USD",
        "$26.97 bn (kz_bns, KAZ, 2022)",
        id="money",
    ),
    pytest.param(
        {"source": "kz_bns", "reported_by": "KAZ", "year": 2023, "value": -9.9847},
        "vs CHN",
        "-10.0% vs CHN (kz_bns, KAZ, 2023)",
        id="comparison",
    ),
    pytest.param(
        {"source": "kz_bns", "year": 2022, "value": 1.0},
        "rank",
        "1st (kz_bns, 2022)",
        id="rank-without-reporter",
    ),
]
