"""Compiled SQL kept across processes (issue 14): the cache gives what a fresh build gives.

A profile's SQL is read from :class:`bilateral.backends.compiled.SQLCache` when an earlier process
compiled the same expression, and from :mod:`bilateral.backends.question_sql` when it asked
the same question. The differential tests below profile random pairs and years through
the cache (compiling, then reading as a new process would) and with it switched off, and
check (1) that every SQL text the compiling run used is the text Ibis compiles afresh for
the same expression, (2) that the reading run built nothing, and (3) that the profiles
are the same. A last test runs the command line in two processes
with different hash seeds: the second compiles nothing new.
"""

from __future__ import annotations

import gc
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import ibis
import pytest

import bilateral
from bilateral.backends import compiled, question_sql
from bilateral.indicators.rows import reference_table
from bilateral.store import Store

#: Countries of the starter store's sources (and some that trade with them).
COUNTRIES = ("KAZ", "RUS", "ARM", "KGZ", "BLR", "UZB", "CHN", "DEU", "TUR", "USA", "ITA")
YEARS = range(2018, 2024)


def _cases(count: int, seed: int) -> list[tuple[str, str, int]]:
    chosen = random.Random(seed)
    return [(*chosen.sample(COUNTRIES, 2), chosen.choice(YEARS)) for _ in range(count)]  # type: ignore[misc]


def _canonical(profile: dict[str, Any]) -> list[str]:
    """The records in one order, floats to 12 significant digits: DuckDB's parallel sums
    may differ in the last bit, and rows of equal rank come in either order."""

    def rounded(value: Any) -> Any:
        if isinstance(value, float):
            return float(f"{value:.12g}")
        if isinstance(value, dict):
            return {k: rounded(v) for k, v in value.items()}
        if isinstance(value, list):
            return [rounded(v) for v in value]
        return value

    return sorted(json.dumps(rounded(r), sort_keys=True) for r in profile["indicators"])


def _profile(root: Path, a: str, b: str, year: int, **options: Any) -> tuple[dict, Store]:
    store = Store.open(root, read_only=True)
    return bilateral.profile(store, a, b, year, **options).to_dict(), store


@pytest.mark.parametrize(("seed", "count"), [pytest.param(14, 8, id="eight-random-pairs")])
def test_cached_sql_is_a_fresh_compile(starter_store, tmp_path, monkeypatch, seed, count):
    groups = tmp_path / "groups.csv"
    groups.write_text("group,name,hs_codes,note\nmetals,Metals,72 73 7601,\n", encoding="utf-8")
    cases = _cases(count, seed)
    for number, (a, b, year) in enumerate(cases):
        options = {"user_groups": groups} if number % 3 == 2 else {}
        monkeypatch.setenv(compiled.SQL_CACHE_ENV, "0")
        fresh, _ = _profile(starter_store, a, b, year, **options)
        # a cache of the case's own: the first run compiles and writes, the second (a new
        # backend, as in a new process) reads the questions' SQL and builds nothing
        monkeypatch.setenv(compiled.SQL_CACHE_ENV, str(tmp_path / f"sql-{number}"))
        cached, first = _profile(starter_store, a, b, year, **options)
        assert _canonical(cached) == _canonical(fresh), (a, b, year)
        again, second = _profile(starter_store, a, b, year, **options)
        assert _canonical(again) == _canonical(fresh), (a, b, year)
        asked = question_sql.question_sql(second.backend)
        assert asked is not None and asked.read > 0 and asked.built == 0, (a, b, year)
        queries = first.backend.compiled_queries
        for (op, pretty), sql in list(queries._sql.items()):
            assert sql == queries._compile(op.to_expr(), pretty=pretty), (a, b, year)
        for (op, parameters), sql in list(queries._parameterised.items()):
            fresh_sql = queries._compile_parameterised(op.to_expr(), dict(parameters))
            assert sql == fresh_sql, (a, b, year)
        assert queries._parameterised  # the pair's queries were prepared


def test_the_next_process_compiles_nothing_new(starter_store, tmp_path):
    cache = tmp_path / "sql"
    env = {
        **os.environ,
        "BILATERAL_STORE": str(starter_store),
        "BILATERAL_STARTER": "0",
        compiled.SQL_CACHE_ENV: str(cache),
    }
    command = [
        sys.executable,
        "-c",
        "from bilateral.cli import app; app()",
        "profile",
        "KAZ",
        "RUS",
        "--year",
        "2022",
        "--format",
        "json",
    ]
    outputs, files = [], []
    for seed in ("1", "2"):
        done = subprocess.run(
            command, env={**env, "PYTHONHASHSEED": seed}, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        outputs.append(_canonical(json.loads(done.stdout)))
        files.append(sorted(p.name for p in cache.iterdir()))
    assert files[0] and files[1] == files[0]
    assert outputs[1] == outputs[0]


def _fingerprint(expr: Any) -> str:
    return compiled.fingerprint(expr.op())


@pytest.mark.parametrize(
    ("left", "right", "same"),
    [
        pytest.param(lambda t: t.filter(t.a == "KAZ"), lambda t: t.filter(t.a == "KAZ"), True,
                     id="equal-expressions"),
        pytest.param(lambda t: t.filter(t.a == "KAZ"), lambda t: t.filter(t.a == "RUS"), False,
                     id="another-code"),
        pytest.param(lambda t: t.filter(t.b == 1), lambda t: t.filter(t.b == 1.0), False,
                     id="int-or-float"),
        pytest.param(lambda t: t.filter(t.b == 2021), lambda t: t.filter(t.b == 2022), False,
                     id="another-year"),
        pytest.param(lambda t: t.select("a", "b"), lambda t: t.select("b", "a"), False,
                     id="column-order"),
    ],
)  # fmt: skip
def test_fingerprint_tells_expressions_apart(left, right, same):
    table = ibis.table({"a": "string", "b": "int64"}, name="flows")
    assert (_fingerprint(left(table)) == _fingerprint(right(table))) is same


def test_tables_named_at_random_are_not_kept():
    with pytest.raises(compiled.Uncacheable, match="named anew in every process"):
        _fingerprint(ibis.memtable({"a": [1, 2]}))
    assert _fingerprint(reference_table({"a": [1, 2]}))  # named after its content


def test_kept_rows_have_one_name_and_go_when_unused():
    backend = ibis.duckdb.connect()
    flows = backend.create_table("flows", ibis.memtable({"a": ["KAZ", "RUS", "KAZ"]}))

    def tables() -> set[str]:
        rows = backend.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()
        return {row[0] for row in rows}

    first = compiled.kept(flows.filter(flows.a == "KAZ"))
    again = compiled.kept(flows.filter(flows.a == "KAZ"))
    name = first.get_name().split(".")[-1]
    assert name == again.get_name().split(".")[-1] and name.startswith("bilateral_kept_")
    assert backend.to_pyarrow(first.count()).as_py() == 2
    assert name in tables()
    del first, again
    gc.collect()
    assert name not in tables()
