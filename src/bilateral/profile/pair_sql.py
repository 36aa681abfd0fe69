"""A profile's SQL compiled once for every pair of countries.

Compiling a profile's expressions to SQL costs Ibis about as much as DuckDB spends
running them on a year of BACI, and a new pair of countries used to mean new SQL. The
query builders use a country code as a value only (a literal in a filter or a result
column, part of a column name such as ``exports_KAZ``) and never branch on it, so the
expression for KAZ and RUS is the expression for two stand-in codes with the codes
swapped, and so is its SQL. The builders are therefore run and compiled once with the
stand-ins, and each pair's SQL is that text with its codes written in.

Only on DuckDB (another engine builds and compiles each pair's expression as before),
only for plain three-letter codes of two different countries (not aggregates with
members, whose members the partner rankings leave out), and only when no other
argument mentions a stand-in: anything else (a pair of equal codes raises its usual
error) goes to the builder itself.
"""

from __future__ import annotations

import inspect
import re
import weakref
from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from functools import wraps
from typing import Any

import ibis
import ibis.expr.types as ir

from bilateral.indicators.coverage import members_of
from bilateral.profile.remember import Build, remembered

#: What the builders see in place of the pair's codes: no country code has a digit.
STAND_INS = ("Q0A", "Q0B")
#: False: every pair's expressions are built and compiled on their own (to compare).
ENABLED = True
_CODE = re.compile(r"^[A-Z]{3}$")


def for_any_pair(build: Build) -> Build:
    """``build`` (with parameters ``a`` and ``b``, returning a table or a tuple of
    tables) compiled once with :data:`STAND_INS`; each pair gets that SQL with its codes
    written in, as a table of the same backend. Both are remembered (see
    :func:`remembered`)."""
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
        if not (ENABLED and plain and not _mentions_stand_in(others) and _on_duckdb(args)):
            return build(*args)
        stand_in = list(args)
        for position, code in zip(at, STAND_INS, strict=True):
            stand_in[position] = code
        built = template(*stand_in)
        if isinstance(built, tuple):
            return tuple(_written(table, codes) for table in built)
        return _written(built, codes)

    return for_pair  # type: ignore[return-value]


def swap_codes(text: str, replacements: Mapping[str, str]) -> str:
    """``text`` with each code replaced (stand-ins by a pair's codes, or the reverse):
    codes are three capitals or a stand-in, so no replacement makes another's text."""
    for old, new in replacements.items():
        text = text.replace(old, new)
    return text


def _mentions_stand_in(value: Any) -> bool:
    """Whether a stand-in code appears in ``value``'s text (a user's product group named
    Q0A, say): its SQL could not tell the two apart."""
    if isinstance(value, str):
        return any(stand_in in value for stand_in in STAND_INS)
    if isinstance(value, list | tuple):
        return any(_mentions_stand_in(v) for v in value)
    if is_dataclass(value) and not isinstance(value, type):
        return any(_mentions_stand_in(getattr(value, f.name)) for f in fields(value))
    return False


def _on_duckdb(args: tuple[Any, ...]) -> bool:
    """Whether the tables among ``args`` are on a DuckDB backend of their own (not in
    memory only, not on another engine)."""
    tables = [a for a in args if isinstance(a, ir.Table)]
    try:
        return bool(tables) and all(t._find_backend().name == "duckdb" for t in tables)
    except Exception:  # memory tables only: no backend of their own
        return False


def _written(template: ir.Table, codes: tuple[str, str]) -> ir.Table:
    """``template``'s SQL with the stand-ins replaced by ``codes``, as a table."""
    backend = template._find_backend()
    written = dict(zip(STAND_INS, codes, strict=True))
    sql = swap_codes(backend.compile(template), written)
    schema = ibis.schema(
        {swap_codes(name, written): dtype for name, dtype in template.schema().items()}
    )
    # the in-memory tables the SQL reads (product groups, HS sections) are registered
    # when a query holding them runs: this one holds only their names. Each is built
    # once per process (indicators.rows.flow_sides and the like), so none is dropped
    # while a pair's SQL still names it. Once per template: finding them walks its
    # whole expression, as long for a new pair as running a small query.
    # Kept on the backend object: Ibis finds two in-memory DuckDB backends equal.
    registered = backend.__dict__.setdefault("registered_templates", weakref.WeakSet())
    if template.op() not in registered:
        backend._run_pre_execute_hooks(template)
        registered.add(template.op())
    table: ir.Table = backend.sql(sql, schema=schema)
    return table
