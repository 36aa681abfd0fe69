"""Answers: one function per question a user asks, each returning one typed result.

Every result is a frozen dataclass holding an Arrow table and the metadata needed to read
it (currency, sources, notes, the question's parameters), with ``to_pandas()``,
``to_dict()`` and ``to_json()``. The command line, the JSON API and the report call these
functions alike and only render what they return:

- :func:`series`: every year of a pair's flow, one view per source and side, with growth
  and the gaps between sources and their reasons;
- :func:`partners`: a country's partners ranked per source, with shares, rank changes on
  the year before, and aggregates (World, CIS, EU27, ...) listed apart;
- :func:`profile`: every indicator of a pair in a year, per source, and the same as one
  grid (indicators by sources).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bilateral.answers.partners import Partners, partners
    from bilateral.answers.profile import PairProfile, profile
    from bilateral.answers.result import Answer
    from bilateral.answers.series import Series, every_flow, series

#: Where each public name lives: imported on first use, so that a command that asks no
#: question (``--help``, ``sources``) does not load Ibis and the indicators.
_HOMES = {
    "Answer": "result",
    "PairProfile": "profile",
    "profile": "profile",
    "Partners": "partners",
    "partners": "partners",
    "Series": "series",
    "series": "series",
    "every_flow": "series",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'bilateral.answers' has no attribute {name!r}")
    return getattr(import_module(f"bilateral.answers.{_HOMES[name]}"), name)


__all__ = [
    "Answer",
    "PairProfile",
    "Partners",
    "Series",
    "every_flow",
    "partners",
    "profile",
    "series",
]
