"""A profile's queries compiled once for every pair of countries, the pair bound as
parameters.

Compiling a profile's expressions to SQL costs Ibis about as much as DuckDB spends
running them on a year of BACI, and a new pair of countries used to mean new SQL. The
query builders are therefore run once with two stand-in codes (:data:`STAND_INS`), and
each pair's query is that expression's SQL with the stand-ins' string literals made
parameters, which DuckDB binds to the pair's codes when the query runs
(:class:`bilateral.backends.question_sql.Prepared`): no code is ever written into SQL text, and the
SQL is kept across processes like any other (:class:`bilateral.backends.compiled.SQLCache`).

This holds because a builder uses a country code as a value only (a literal in a filter
or a result column, part of a column name such as ``exports_KAZ``) and never branches
on it: its expression for KAZ and RUS is its expression for the stand-ins with other
values. ``tests/engine/test_pair_sql.py`` checks that claim on many random pairs, years and
groups against each pair's own build. Result columns named after a code keep the
stand-in's name (the matrix sums' ``exports_Q0A``); their reader renames them
(:func:`bilateral.engine.queries.specialisation`).

Only on DuckDB (another engine builds and compiles each pair's expressions, Spark
included), only for plain three-letter codes of two different countries (not aggregates
with members, whose members the partner rankings leave out), and only when no other
argument mentions a stand-in (a user's group named Q0A): anything else (a pair of equal
codes raises its usual error) goes to the builder itself.
"""

from __future__ import annotations

import inspect
import re
from dataclasses import fields, is_dataclass
from functools import wraps
from typing import Any, TypeAlias

import ibis.expr.types as ir
from ibis.backends import BaseBackend

from bilateral.backends import compiled
from bilateral.backends.question_sql import Prepared, Question
from bilateral.engine.remember import Build, remembered
from bilateral.indicators.coverage import members_of

#: What the builders see in place of the pair's codes: no country code has a digit.
STAND_INS = ("Q0A", "Q0B")
#: False: every pair's expressions are built and compiled on their own (to compare).
ENABLED = True
_CODE = re.compile(r"^[A-Z]{3}$")

#: What a pair's query is: the pair's own expression, or the stand-ins' bound to the pair.
Query: TypeAlias = ir.Table | Prepared


def for_any_pair(build: Build | None = None, *, parts: int | None = None) -> Any:
    """``build`` (with parameters ``a`` and ``b``, returning a table, or a tuple of
    ``parts`` tables) built and compiled once with :data:`STAND_INS`; each pair gets those
    queries with its codes bound (:class:`bilateral.backends.question_sql.Prepared`). The
    stand-ins' queries are :class:`~bilateral.backends.question_sql.Question` s: a process
    builds them only when no earlier one compiled them. Both are remembered (see
    :func:`remembered`)."""
    if build is None:
        return lambda function: for_any_pair(function, parts=parts)
    names = list(inspect.signature(build).parameters)
    at = (names.index("a"), names.index("b"))
    template = remembered(build)

    @remembered
    @wraps(build)
    def for_pair(*args: Any) -> Any:
        codes = (args[at[0]], args[at[1]])
        plain = codes[0] != codes[1] and all(_CODE.match(c) for c in codes)
        # an aggregate with members (CIS) is a reporter whose members are not partners:
        # its expressions differ from a country's
        plain = plain and not any(members_of(c) for c in codes)
        others = [value for position, value in enumerate(args) if position not in at]
        backend = _duckdb_of(args)
        if not (ENABLED and plain and not _mentions_stand_in(others) and backend is not None):
            return build(*args)
        stand_in = list(args)
        for position, code in zip(at, STAND_INS, strict=True):
            stand_in[position] = code
        values = dict(zip(STAND_INS, codes, strict=True))
        if parts is None:
            return Prepared(Question(template, tuple(stand_in)), values, backend)
        return tuple(
            Prepared(Question(template, tuple(stand_in), part), values, backend)
            for part in range(parts)
        )

    return for_pair


def _mentions_stand_in(value: Any) -> bool:
    """Whether a stand-in code appears in ``value``'s text (a user's product group named
    Q0A, say): its literal would be bound to a code."""
    if isinstance(value, str):
        return any(stand_in in value for stand_in in STAND_INS)
    if isinstance(value, list | tuple):
        return any(_mentions_stand_in(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return any(_mentions_stand_in(getattr(value, f.name)) for f in fields(value))
    return False


def _duckdb_of(args: tuple[Any, ...]) -> BaseBackend | None:
    """The DuckDB backend the tables among ``args`` are on, if they are all on one of its
    own (not in memory only, not on another engine)."""
    found = [compiled.backend_of(a) for a in args if isinstance(a, ir.Table)]
    backends = [b for b in found if b is not None]
    if not backends or len(backends) < len(found):
        return None
    if len({id(b) for b in backends}) == 1 and backends[0].name == "duckdb":
        return backends[0]
    return None
