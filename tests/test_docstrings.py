"""The examples in indicator and reference docstrings run, and every public indicator has
a docstring that says how it treats a missing flow."""

from __future__ import annotations

import doctest
import importlib
import inspect
from pathlib import Path

import pytest

MODULES = [
    "bilateral.indicators.flows",
    "bilateral.indicators.partners",
    "bilateral.indicators.structure",
    "bilateral.indicators.dependence",
    "bilateral.indicators.mirror",
    "bilateral.indicators.specialisation",
    "bilateral.reference.products",
    "bilateral.sources.validation",
]
INDICATORS = MODULES[:-2]
#: Modules beside the indicators whose docstring examples run too.
ANSWERS = [
    "bilateral.answers.gaps",
    "bilateral.formats",
    "bilateral.cli.progress",
    "bilateral.cli.render",
    "bilateral.sources.filetype",
]


@pytest.mark.parametrize("name", [*MODULES, *ANSWERS])
def test_docstring_examples_run(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


@pytest.mark.parametrize("name", INDICATORS)
def test_every_indicator_says_what_a_missing_flow_means(name):
    module = importlib.import_module(name)
    public = [
        f
        for n, f in inspect.getmembers(module, inspect.isfunction)
        if f.__module__ == name and not n.startswith("_")
    ]
    assert public
    for function in public:
        doc = (function.__doc__ or "").lower()
        assert any(word in doc for word in ("null", "unknown", "absent", "zero")), function


DOCS = Path(__file__).parents[1] / "docs" / "indicators.md"


@pytest.mark.parametrize("name", INDICATORS)
def test_every_indicator_is_in_the_docs(name):
    text = DOCS.read_text(encoding="utf-8")
    module = importlib.import_module(name)
    for function, _ in inspect.getmembers(module, inspect.isfunction):
        if getattr(module, function).__module__ == name and not function.startswith("_"):
            assert f"`{function}`" in text, function
