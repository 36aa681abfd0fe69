"""SQL kept by the question it answers (``bilateral.backends.question_sql``, issue 14): a
new process that asks what an earlier one asked builds no Ibis expression, and gets what
a fresh build gives.

The differential test asks the claim checker's store evidence random questions (pairs,
years, products, months) on the starter store three ways: with no cache (every query
built and compiled afresh), through an empty cache (built, compiled and written down),
and through that cache again from a new store and backend, as a new process would, with
building made to fail: every answer must come from the kept SQL and equal the fresh one.
"""

from __future__ import annotations

import dataclasses
import json
import random
from pathlib import Path
from typing import Any

import ibis
import pytest

from bilateral.backends import compiled, question_sql
from bilateral.backends.question_sql import Question
from bilateral.claims.model import Product
from bilateral.claims.store_evidence import StoreEvidence
from bilateral.indicators.flows import pair_totals
from bilateral.indicators.rows import reference_table
from bilateral.store import Store, starter
from tests import fixtures_baci as fx

COUNTRIES = ("KAZ", "RUS", "ARM", "KGZ", "BLR", "CHN", "DEU", "TUR", "ITA")
YEARS = range(2019, 2024)
PRODUCTS = (
    None,
    Product("wheat", ("1001",)),
    Product("food", tuple(f"{chapter:02d}" for chapter in range(1, 25))),
    Product("cars", ("8703",)),
)


def _ask_everything(store: Store, cases: list[tuple[Any, ...]]) -> list[str]:
    """Every kind of question the claim checker asks, for each case, as canonical text
    (floats to 12 significant digits: DuckDB's parallel sums may differ in the last bit;
    rows of equal rank come in either order)."""
    evidence = StoreEvidence(store)
    answers: list[Any] = []
    for reporter, partner, year, product, flow in cases:
        answers += [
            evidence.bilateral(reporter, partner, flow, year, product),
            evidence.bilateral(reporter, "WLD", flow, year, product),
            evidence.partners(reporter, flow, year, product),
            evidence.partners(reporter, flow, year, product, span=(1, 6)),
            evidence.months(reporter, partner, flow, year, (1, 6), product),
            evidence.months(reporter, "WLD", flow, year, (1, 3), product),
            evidence.years(reporter, partner, product),
            evidence.last_month(reporter, partner, year, product),
        ]
        if flow != "turnover":
            answers.append(evidence.composition(reporter, partner, flow, year))
    return [_canonical(answer) for answer in answers]


def _canonical(value: Any) -> str:
    def plain(v: Any) -> Any:
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            return plain(dataclasses.asdict(v))
        if isinstance(v, float):
            return float(f"{v:.12g}")
        if isinstance(v, dict):
            return {str(k): plain(x) for k, x in v.items()}
        if isinstance(v, list | tuple):
            return sorted((plain(x) for x in v), key=repr)
        return v

    return json.dumps(plain(value), sort_keys=True, default=str)


def _cases(count: int, seed: int) -> list[tuple[Any, ...]]:
    chosen = random.Random(seed)
    return [
        (
            *chosen.sample(COUNTRIES, 2),
            chosen.choice(YEARS),
            chosen.choice(PRODUCTS),
            chosen.choice(("exports", "imports", "turnover")),
        )
        for _ in range(count)
    ]


def _open(root: Path, monkeypatch: pytest.MonkeyPatch, cache: Path | None) -> Store:
    monkeypatch.setenv(compiled.SQL_CACHE_ENV, str(cache) if cache else "off")
    return Store.open(root, read_only=True)


@pytest.mark.parametrize(("seed", "count"), [pytest.param(14, 10, id="ten-random-cases")])
def test_a_question_asked_again_builds_nothing_and_answers_as_a_fresh_build(
    starter_store, tmp_path, monkeypatch, seed, count
):
    cases = _cases(count, seed)
    fresh = _ask_everything(_open(starter_store, monkeypatch, None), cases)
    assert any('"value": ' in answer for answer in fresh)  # the draw finds data

    cache = tmp_path / "sql"
    first = _open(starter_store, monkeypatch, cache)
    assert _ask_everything(first, cases) == fresh
    written = question_sql.question_sql(first.backend)
    assert written is not None and written.built > 0

    def no_building(self: Question) -> None:
        raise AssertionError(f"built {self.build.__name__} again")

    monkeypatch.setattr(Question, "expression", no_building)
    second = _open(starter_store, monkeypatch, cache)
    assert _ask_everything(second, cases) == fresh
    read = question_sql.question_sql(second.backend)
    assert read is not None and read.read == written.built and read.built == 0
    # product groups are in-memory reference tables: their rows were read back too
    assert any(cache.glob(f"{compiled.NAMED_BY_CONTENT[0]}*.arrow"))


def test_new_rows_in_the_store_are_a_new_question(starter_store, tmp_path, monkeypatch):
    """An ingest gives the store's tables new names, so no SQL kept for the old content
    answers a question about the new one."""
    root = tmp_path / "store"
    starter.install(root)
    cache = tmp_path / "sql"
    store = _open(root, monkeypatch, cache)
    before = StoreEvidence(store).bilateral("KAZ", "RUS", "imports", 2022)
    releases = tmp_path / "releases"
    releases.mkdir()
    Store.open(root).ingest([fx.write_release(releases, "HS22")])
    store = _open(root, monkeypatch, cache)
    after = StoreEvidence(store).bilateral("KAZ", "RUS", "imports", 2022)
    asked = question_sql.question_sql(store.backend)
    assert asked is not None and asked.built > 0
    # BACI (fixtures_baci.FLOWS: Russia to Kazakhstan, HS 100190, 2022) is among the sources now
    assert {f.source for f in after} - {f.source for f in before} == {"baci"}


def test_a_damaged_entry_is_built_again(starter_store, tmp_path, monkeypatch):
    cache = tmp_path / "sql"
    expected = StoreEvidence(_open(starter_store, monkeypatch, cache)).partners(
        "KAZ", "imports", 2022
    )
    entries = sorted(cache.glob("q-*.json"))
    assert entries
    for entry in entries:
        entry.write_text('{"sql": "SELECT', encoding="utf-8")  # cut short
    store = _open(starter_store, monkeypatch, cache)
    assert StoreEvidence(store).partners("KAZ", "imports", 2022) == expected
    asked = question_sql.question_sql(store.backend)
    assert asked is not None and asked.read == 0 and asked.built == len(entries)


def _key(question: Question, backend: Any) -> str | None:
    asked = question_sql.QuestionSQL(backend, compiled.SQLCache(Path("unused")))
    return asked.key(question, ())


@pytest.fixture()
def flows() -> tuple[Any, Any, Any]:
    """An empty flow table on a DuckDB backend, and the in-memory table it was made of."""
    from bilateral.schema import FLOW_SCHEMA

    backend = ibis.duckdb.connect()
    rows = ibis.memtable(FLOW_SCHEMA.empty_table())
    return backend.create_table("flows_example", rows), backend, rows


def test_a_question_is_named_by_everything_its_sql_is_made_of(flows):
    table, backend, _ = flows
    base = Question(pair_totals, (table, "KAZ", "RUS"))
    others = [
        Question(pair_totals, (table, "KAZ", "CHN")),
        Question(pair_totals, (table, "RUS", "KAZ")),
        Question(pair_totals, (table, "KAZ", "RUS"), keywords=(("totals", None),)),
        Question(pair_totals, (table.filter(table.year == 2022), "KAZ", "RUS")),
        Question(pair_totals, (table, "KAZ", "RUS"), part=0),
        Question.of(table),
    ]
    keys = [_key(q, backend) for q in [base, *others]]
    assert None not in keys and len(set(keys)) == len(keys)
    assert _key(Question(pair_totals, (table, "KAZ", "RUS")), backend) == keys[0]
    # parameters are part of the question: the same query with bound codes is another SQL
    asked = question_sql.QuestionSQL(backend, compiled.SQLCache(Path("unused")))
    assert asked.key(base, (("KAZ", "p0"),)) != keys[0]


def test_what_cannot_be_written_down_is_not_kept(flows):
    table, backend, memtable = flows
    assert _key(Question(lambda t: t, (table,)), backend) is None  # its code is not its name
    assert _key(Question(pair_totals, (memtable, "KAZ", "RUS")), backend) is None  # random name
    named = reference_table({"exporter": ["KAZ"]})
    assert _key(Question.of(named), backend) is not None  # named by content
