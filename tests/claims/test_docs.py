"""docs/claims.md tells the same story as the code: every measure, verdict and kind is there."""

from __future__ import annotations

import doctest
import importlib
from pathlib import Path

import pytest

from bilateral.claims.lexicon import DATA_DIR
from bilateral.claims.model import VERDICTS

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "claims.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    "name",
    [
        "turnover_growth",
        "partner_share_turnover",
        "partner_share_imports",
        "partner_rank_imports",
        "partner_rank_exports",
        "partner_comparison_turnover",
        "product_rank_imports",
        "year_basis",
        "--subject",
        "--format json",
    ],
)
def test_indicators_and_options_are_documented(name):
    assert name in DOCS


@pytest.mark.parametrize("verdict", VERDICTS)
def test_verdicts_are_documented(verdict):
    assert f"| {verdict} |" in DOCS


def test_kinds_of_uncheckable_figures_are_documented():
    kinds = {
        line.split("\t")[1]
        for line in (DATA_DIR / "uncheckable.tsv").read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    words = {
        "direct investment",
        "foreign companies",
        "joint projects",
        "oil export routes",
        "forum participation",
        "agreements signed",
        "local seed supply",
    }
    assert words <= kinds
    for word in (
        "direct investment",
        "companies",
        "joint projects",
        "pipelines",
        "forums",
        "agreements",
        "seeds",
        "forecasts",
    ):
        assert word in DOCS


@pytest.mark.parametrize("name", ["bilateral.claims.model", "bilateral.claims.judge"])
def test_docstring_examples_run(name):
    result = doctest.testmod(
        importlib.import_module(name), optionflags=doctest.NORMALIZE_WHITESPACE
    )
    assert result.attempted > 0 and result.failed == 0
