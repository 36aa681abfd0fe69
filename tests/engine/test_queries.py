"""A profile's expressions are built once per question: the same question gets the same
expressions back (and so the SQL compiled the first time), a different one never does,
and the answer is always read from the data as it is now."""

from __future__ import annotations

import threading
from dataclasses import asdict, replace

import ibis
import pytest

import bilateral
from bilateral.engine import build_profile, detail, pair_sql, queries, remember
from bilateral.engine.context import first_revision
from bilateral.reference.products import ProductSelection
from bilateral.schema import FLOW_SCHEMA
from bilateral.store import Store
from tests import fixtures_baci as fx


def _values(profile):
    return [(r.name, r.source, r.product, r.group, r.value, r.note) for r in profile.records]


def test_the_same_arguments_give_the_same_expression_and_others_do_not():
    built = []

    @remember.remembered
    def exports_of(table, country, years):
        built.append(country)
        return table.filter((table.exporter == country) & table.year.isin(years))

    flows = ibis.table({"exporter": "string", "year": "int16"}, name="flows")
    first = exports_of(flows, "KAZ", [2021, 2022])
    # an equal table built anew, a tuple for the list: the same question
    again = exports_of(ibis.table(flows.schema(), name="flows"), "KAZ", (2021, 2022))
    assert again is first and built == ["KAZ"]
    assert exports_of(flows, "RUS", [2021, 2022]) is not first
    assert exports_of(ibis.table(flows.schema(), name="other"), "KAZ", [2021, 2022]) is not first
    assert built == ["KAZ", "RUS", "KAZ"]


def test_only_the_latest_questions_are_remembered(monkeypatch):
    monkeypatch.setattr(remember, "REMEMBERED", 2)
    built = []

    @remember.remembered
    def square(n):
        built.append(n)
        return n * n

    for n in (1, 2, 3, 1):
        square(n)
    assert built == [1, 2, 3, 1]  # 1 was forgotten when 3 came
    square(3)
    assert built == [1, 2, 3, 1]


def test_a_profile_asked_again_compiles_nothing_and_reads_the_data_again(tmp_path):
    Store.open(tmp_path / "store").ingest([fx.write_release(tmp_path, "HS92")])
    store = Store.open(tmp_path / "store")
    compiled = store.backend.compiled_queries
    first = bilateral.profile(store, "KAZ", "RUS", 2022, "baci")
    misses = compiled.misses
    again = bilateral.profile(store, "KAZ", "RUS", 2022, "baci")
    assert compiled.misses == misses
    assert _values(again) == _values(first)
    # a later release revises Russia's exports to Kazakhstan: a new answer, not a memory
    revised = [
        replace(f, value=f.value * 2) if (f.exporter, f.importer) == (643, 398) else f
        for f in fx.FLOWS["HS92"]
    ]
    store.ingest([fx.write_release(tmp_path, "HS92", release="V202601", flows=revised)])
    later = bilateral.profile(store, "KAZ", "RUS", 2022, "baci")
    fresh = bilateral.profile(Store.open(tmp_path / "store"), "KAZ", "RUS", 2022, "baci")
    assert _values(later) == _values(fresh) != _values(first)


def test_profiles_on_several_threads_equal_the_same_profiles_one_by_one(tmp_path):
    """Each thread has its own in-process DuckDB for the matrix sums (one table name)."""
    Store.open(tmp_path / "store").ingest([fx.write_release(tmp_path, "HS22")])
    pairs = [("KAZ", "RUS"), ("RUS", "KAZ"), ("KAZ", "CHN"), ("CHN", "KAZ")]
    one_by_one = {}
    for a, b in pairs:
        one_by_one[a, b] = _values(
            bilateral.profile(Store.open(tmp_path / "store"), a, b, 2022, "baci")
        )
    together: dict[tuple[str, str], list] = {}

    def run(a: str, b: str) -> None:
        # a store per thread: one DuckDB connection is not shared between threads
        together[a, b] = _values(
            bilateral.profile(Store.open(tmp_path / "store"), a, b, 2022, "baci")
        )

    threads = [threading.Thread(target=run, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert together == one_by_one
    assert any(v is not None for name, *_, v, _ in one_by_one["KAZ", "CHN"] if name == "rca")


def test_a_new_pair_reuses_the_first_pair_s_sql_with_its_codes_bound(tmp_path, monkeypatch):
    """The SQL compiled once serves every pair (pair_sql): same records as
    building and compiling each pair's own expressions, and nothing compiled again."""
    Store.open(tmp_path / "store").ingest(
        [fx.write_release(tmp_path, "HS92"), fx.write_release(tmp_path, "HS22")]
    )
    pairs = [("KAZ", "RUS"), ("RUS", "KAZ"), ("CHN", "KAZ"), ("USA", "IND"), ("KAZ", "CHE")]
    store = Store.open(tmp_path / "store")
    compiled = store.backend.compiled_queries
    templated = [_values(bilateral.profile(store, a, b, 2022)) for a, b in pairs[:1]]
    misses = compiled.misses
    templated += [_values(bilateral.profile(store, a, b, 2022)) for a, b in pairs[1:]]
    assert compiled.misses == misses  # four new pairs, no new SQL

    monkeypatch.setattr(pair_sql, "ENABLED", False)
    own = Store.open(tmp_path / "store")  # new tables: nothing remembered applies
    one_by_one = [_values(bilateral.profile(own, a, b, 2022)) for a, b in pairs]
    assert own.backend.compiled_queries.misses > misses * len(pairs) / 2
    assert templated == one_by_one
    # the pairs differ, so their codes were bound (not the stand-ins, not the first)
    assert len({str(v) for v in templated}) == len(pairs)
    assert not any(pair_sql.STAND_INS[0] in str(v) for v in templated)


def test_a_pair_of_one_country_is_still_refused():
    flows = ibis.memtable(FLOW_SCHEMA.empty_table())
    with pytest.raises(ValueError, match="two different countries"):
        queries.flow_totals(flows, None, "KAZ", "KAZ", 2022)


def test_a_group_named_like_a_stand_in_is_built_for_its_pair(tmp_path):
    """A user's group named with a stand-in code would have the pair's codes written into
    its name in a shared SQL: such a question is built and compiled on its own."""
    Store.open(tmp_path / "store").ingest([fx.write_release(tmp_path, "HS92")])
    store = Store.open(tmp_path / "store")
    cereals = ProductSelection("cereals", "Q0B cereals (Q0A)", ("1001",))
    flows = store.flows()
    imports, _ = queries.partner_shares(flows, "KAZ", "RUS", [cereals], 2022)
    [row] = store.execute(imports).to_dict("records")
    assert (row["product"], row["product_name"], row["partner"]) == (
        "cereals",
        "Q0B cereals (Q0A)",
        "RUS",
    )


def test_a_profile_read_as_arrow_equals_the_profile_read_through_pandas(tmp_path):
    """bilateral.profile fetches each result as Arrow and makes rows of it; the records are
    those of the same profile through the store's pandas results."""
    Store.open(tmp_path / "store").ingest(
        [fx.write_release(tmp_path, "HS92"), fx.write_release(tmp_path, "HS22")]
    )
    store = Store.open(tmp_path / "store")
    span = (2021, 2022)
    arrow_only = Store.open(tmp_path / "store")
    arrow_only.execute = _no_pandas  # type: ignore[method-assign]
    for a, b in (("KAZ", "RUS"), ("CHN", "KAZ")):
        through_arrow = bilateral.profile(arrow_only, a, b, 2022)
        through_pandas = build_profile(
            store.flows(years=span),
            store.execute,
            a,
            b,
            2022,
            holdings=store.holdings(),
            summaries=store.summaries(years=span),
        )
        assert _records(through_arrow) == _records(through_pandas)
        assert any(r.name == "rca" and r.value is not None for r in through_arrow.records)


def _no_pandas(expr):
    raise AssertionError("the profile asked for pandas")


def _records(profile):
    return sorted((asdict(r) for r in profile.records), key=repr)


def test_the_first_revision_is_kept_per_source():
    rows = [
        {"source": "baci", "classification": "HS22", "v": 1},
        {"source": "baci", "classification": "HS92", "v": 2},
        {"source": "comtrade", "classification": "HS17", "v": 3},
        {"source": "fao", "classification": "FAO", "v": 4},
    ]
    assert [r["v"] for r in first_revision(rows)] == [2, 3, 4]
    assert first_revision([]) == []


def test_rca_is_given_for_the_largest_exports_ties_in_their_order():
    rows = [{"product": str(n), "value_usd": v} for n, v in enumerate([5, None, 9, 5, 1, 7, 5])]
    assert [r["product"] for r in detail._largest(rows)] == ["2", "5", "0", "3", "6"]
