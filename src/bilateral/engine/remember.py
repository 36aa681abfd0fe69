"""Expressions remembered per question: the same arguments give the very same
expressions back, and with them the SQL compiled the first time
(:class:`bilateral.backends.compiled.CompiledQueries`)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import fields
from functools import wraps
from typing import Any, TypeVar

import ibis.expr.types as ir

from bilateral.backends.compiled import backend_of
from bilateral.store.summaries import Summaries

#: Questions remembered per kind of query; a dashboard rarely asks more at once.
REMEMBERED = 64

Build = TypeVar("Build", bound=Callable[..., Any])


def remembered(build: Build) -> Build:
    """``build`` returning the same expressions for the same arguments (the last
    :data:`REMEMBERED`). Tables and other expressions are compared by structure."""
    built: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
    lock = threading.Lock()

    @wraps(build)
    def wrapper(*args: Any) -> Any:
        key = tuple(_comparable(a) for a in args)
        with lock:
            if key in built:
                built.move_to_end(key)
                return built[key]
        result = build(*args)
        with lock:
            built[key] = result
            if len(built) > REMEMBERED:
                built.popitem(last=False)
        return result

    return wrapper  # type: ignore[return-value]


def _comparable(value: Any) -> Any:
    if isinstance(value, ir.Expr):
        # Ibis finds two in-memory DuckDB backends equal, and a store's tables have the
        # same names on every backend (see bilateral.backends.compiled.SQLCache): an expression is
        # remembered for the backend object it was built on
        return value.op(), id(backend_of(value))
    if isinstance(value, list | tuple):
        return tuple(_comparable(v) for v in value)
    if isinstance(value, Summaries):
        return (Summaries, *(_comparable(getattr(value, f.name)) for f in fields(value)))
    return value
