"""A profile's queries compiled once for every pair, the pair bound as parameters
(``bilateral.engine.pair_sql``, issue 14): the same rows as each pair's own build.

The differential test draws pairs of the store's countries, years and product groups
(shipped and a user's) at random, with a fixed seed, and runs every pair query twice:
as the prepared query compiled for the stand-in codes (in memory, then read back from
the disk cache by a new backend, as a new process would) and as the pair's own
expression built and compiled afresh with no cache. Rows are compared by position
(values rounded to 12 significant digits: DuckDB's parallel sums of floats may differ in
the last bit), column names with each code read as its stand-in.
"""

from __future__ import annotations

import inspect
import random
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyarrow as pa
import pytest

from bilateral.backends import compiled, question_sql
from bilateral.engine import pair_sql, queries
from bilateral.engine.build import PROFILE_GROUPS
from bilateral.indicators.coverage import members_of
from bilateral.reference.products import product_groups
from bilateral.store import Store, starter
from tests import fixtures_baci as fx

#: A user's groups, one of them named like a shipped one.
USER_GROUPS = (
    "group,name,hs_codes,note\n"
    "metals,Metals,72 73 7601,\n"
    "phones,Telephone sets,851713,\n"
    "wheat,Wheat (user's),1001,\n"
)


@pytest.fixture(scope="module")
def mixed_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The starter store (national statistics, FAOSTAT, Eurostat) with two BACI releases:
    every kind of source a profile reads, the world matrix included."""
    root = tmp_path_factory.mktemp("pair-queries")
    if not starter.available() or starter.install(root / "store") is None:
        pytest.skip("no starter store in this installation")
    releases = root / "releases"
    releases.mkdir()
    Store.open(root / "store").ingest(
        [fx.write_release(releases, "HS92"), fx.write_release(releases, "HS22")]
    )
    (root / "groups.csv").write_text(USER_GROUPS, encoding="utf-8")
    return root


def _open(root: Path, monkeypatch: pytest.MonkeyPatch, cache: Path | None) -> Store:
    monkeypatch.setenv(compiled.SQL_CACHE_ENV, str(cache) if cache else "0")
    return Store.open(root / "store", read_only=True)


Case = tuple[str, str, int, tuple[str, ...], bool]


def _cases(store: Store, count: int, seed: int) -> list[Case]:
    """Random pairs, years and groups. Most pairs trade with each other in the store (so
    that rows come back), some are any two of its countries; aggregates with members
    are left out (their queries are built for the pair: pair_sql)."""
    chosen = random.Random(seed)
    years = [y for y in store.years() if y >= 2015]
    flows = store.flows()
    cases: list[Case] = []
    while len(cases) < count:
        year = chosen.choice(years)
        rows = store.arrow(
            flows.filter(flows.year == year).select("exporter", "importer").distinct()
        )
        pairs = sorted(
            (x, m)
            for x, m in zip(*(rows.column(c).to_pylist() for c in rows.column_names), strict=True)
            if x != m and all(_plain(code) for code in (x, m))
        )
        if not pairs:
            continue
        a, b = chosen.choice(pairs)
        if chosen.random() < 0.3:  # any two of the store's countries
            codes = sorted({code for pair in pairs for code in pair})
            a, b = chosen.sample(codes, 2)
        if chosen.random() < 0.5:
            a, b = b, a
        groups = tuple(chosen.sample(PROFILE_GROUPS, chosen.randint(1, len(PROFILE_GROUPS))))
        user = chosen.random() < 0.4
        if user:
            groups += tuple(chosen.sample(("metals", "phones", "wheat"), 2))
        cases.append((a, b, year, groups, user))
    return cases


def _plain(code: str | None) -> bool:
    """A country's three capitals (not S19, not an aggregate with members)."""
    return (
        bool(code) and len(code) == 3 and code.isalpha() and code.isupper() and not members_of(code)
    )


def _queries(store: Store, root: Path, case: Case) -> dict[str, Callable[..., Any]]:
    """Each pair query of the case's profile, as a function of a builder's wrapping."""
    a, b, year, names, user = case
    known = product_groups(root / "groups.csv" if user else None)
    groups = [known[name] for name in names]
    span = (year - 1, year)
    flows, summaries = store.flows(years=span), store.summaries(years=span)
    totals = summaries.totals
    return {
        "flow_totals": lambda f: f(queries.flow_totals)(flows, totals, a, b, year),
        "partner_ranks": lambda f: f(queries.partner_ranks)(flows, totals, a, b, year),
        "sections": lambda f: f(queries.sections)(flows, a, b, year),
        "groups_of_flows": lambda f: f(queries.groups_of_flows)(flows, totals, a, b, groups, year),
        "supplier_shares": lambda f: f(queries.partner_shares)(flows, a, b, groups, year)[0],
        "destination_shares": lambda f: f(queries.partner_shares)(flows, a, b, groups, year)[1],
        "mirror": lambda f: f(queries.mirror)(flows, totals, a, b, year),
        "matrix": lambda f: f(queries.matrix)(flows, summaries, a, b, year),
    }


def _as_is(builder: Callable[..., Any]) -> Callable[..., Any]:
    return builder


def _rows(table: pa.Table) -> list[tuple[Any, ...]]:
    def rounded(value: Any) -> Any:
        return float(f"{value:.12g}") if isinstance(value, float) else value

    return sorted((tuple(rounded(v) for v in row.values()) for row in table.to_pylist()), key=repr)


def _as_stand_ins(name: str, a: str, b: str) -> str:
    """A column name with each of the pair's codes (a word of it) read as its stand-in."""
    words = dict(zip((a, b), pair_sql.STAND_INS, strict=True))
    return "_".join(words.get(word, word) for word in name.split("_"))


@pytest.mark.parametrize(("seed", "count"), [pytest.param(2026, 12, id="twelve-random-cases")])
def test_a_query_compiled_once_equals_the_pair_s_own_build(
    mixed_store, tmp_path, monkeypatch, seed, count
):
    cache = tmp_path / "sql"
    fresh = _open(mixed_store, monkeypatch, None)
    cases = _cases(fresh, count, seed)
    assert len({(a, b) for a, b, *_ in cases}) > count // 2  # the draw varies
    rows_seen = 0
    for case in cases:
        a, b = case[:2]
        own = {
            name: fresh.arrow(query(inspect.unwrap))
            for name, query in _queries(fresh, mixed_store, case).items()
        }
        # the first backend compiles and writes the SQL; the second, like a new process,
        # reads it from the disk cache
        for _ in range(2):
            store = _open(mixed_store, monkeypatch, cache)
            for name, query in _queries(store, mixed_store, case).items():
                prepared = query(_as_is)
                assert isinstance(prepared, question_sql.Prepared), name
                got = prepared.to_pyarrow()
                expected = own[name]
                assert got.column_names == [
                    _as_stand_ins(n, a, b) for n in expected.column_names
                ], (case, name)
                assert _rows(got) == _rows(expected), (case, name)
                rows_seen += got.num_rows
    assert rows_seen > 0
    asked = question_sql.question_sql(store.backend)
    assert asked is not None and asked.read > 0 and asked.built == 0


def test_the_sql_of_a_pair_query_holds_no_code_and_one_text_serves_every_pair(
    mixed_store, monkeypatch
):
    """The codes are bound when the query runs: the SQL names parameters, never a code."""
    store = _open(mixed_store, monkeypatch, None)
    flows = store.flows(years=(2021, 2022))
    texts = set()
    for a, b in (("KAZ", "RUS"), ("CHN", "IND"), ("FRA", "CHE")):
        query = queries.flow_totals(flows, None, a, b, 2022)
        assert isinstance(query, question_sql.Prepared)
        assert query.bound() == {"p0": a, "p1": b}
        texts.add(query.sql())
    [sql] = texts
    assert "$p0" in sql and "$p1" in sql
    assert not any(code in sql for code in ("KAZ", "RUS", *pair_sql.STAND_INS))


def test_a_group_named_like_a_stand_in_is_not_bound(mixed_store, monkeypatch):
    """A user's group named exactly like a stand-in code would have its name bound to a
    code: such a question is built for its pair."""
    store = _open(mixed_store, monkeypatch, None)
    [wheat] = [g for g in product_groups().values() if g.label == "wheat"]
    named = replace(wheat, label="Q0A", name="Q0A")
    imports, _ = queries.partner_shares(store.flows(), "KAZ", "RUS", [named], 2022)
    assert not isinstance(imports, question_sql.Prepared)
    assert set(store.arrow(imports).column("product").to_pylist()) <= {"Q0A"}
