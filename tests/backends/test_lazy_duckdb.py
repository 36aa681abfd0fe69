"""The store's DuckDB answers as Ibis' DuckDB backend does, without importing it until a
query must be built (issue 14: importing it imports every compiler Ibis ships).

Each expression runs twice on the same connection: through :class:`LazyDuckDB`'s own
execution and through Ibis' backend; the results, their types and the tables' schemas
must be the same.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import pandas as pd
import pyarrow as pa
import pytest

from bilateral.backends.lazy_duckdb import LazyDuckDB
from bilateral.store import Store


@pytest.fixture(scope="module")
def store(starter_store: Path) -> Store:
    opened = Store.open(starter_store, read_only=True)
    # one thread: DuckDB's parallel sums of floats differ in their last bits from one
    # run to the next, and the two runs of each question are compared exactly
    opened.backend.raw_sql("SET threads = 1")
    return opened


def expressions(flows: ibis.Table) -> dict[str, ibis.Table]:
    """Questions of every shape the conversions treat apart: text, integers with and
    without nulls, floats, arrays, a column of type null, an in-memory table joined in."""
    kaz = flows.filter(flows.exporter == "KAZ")
    partners = ibis.memtable({"code": ["RUS", "CHN", "XXX"], "rank": [1, 2, None]})
    return {
        "rows": kaz.order_by(list(kaz.columns)).limit(50),
        "sums": kaz.group_by(["source", "year"])
        .aggregate(value=kaz.value_usd.sum(), rows=kaz.count(), months=kaz.month.max())
        .order_by(["source", "year"]),
        "arrays": kaz.group_by("source")
        .aggregate(years=kaz.year.collect(distinct=True).sort())
        .order_by("source"),
        "nothing": kaz.select("source", nothing=ibis.null()).distinct().order_by("source"),
        "joined": kaz.join(partners, kaz.importer == partners.code)
        .group_by(["importer", "rank"])
        .aggregate(value=kaz.value_usd.sum())
        .order_by("importer"),
    }


@pytest.mark.parametrize("name", ["rows", "sums", "arrays", "nothing", "joined"])
def test_results_are_ibis_backend_s(store: Store, name: str) -> None:
    backend = store.backend
    assert isinstance(backend, LazyDuckDB)
    expr = expressions(store.flows())[name]
    ours = backend.execute(expr)
    theirs = backend.ibis_backend.execute(expr)
    assert len(ours) > 0
    pd.testing.assert_frame_equal(ours, theirs)
    assert list(ours.dtypes) == list(theirs.dtypes)
    arrow = backend.to_pyarrow(expr)
    assert arrow.equals(backend.ibis_backend.to_pyarrow(expr))
    assert arrow.schema == expr.schema().to_pyarrow()
    pd.testing.assert_frame_equal(expr.execute(), theirs)  # Ibis' own entry point finds ours


def test_tables_are_typed_as_ibis_backend_types_them(store: Store) -> None:
    backend = store.backend
    assert isinstance(backend, LazyDuckDB)
    flows = store.flows(resolved=False)
    name = flows.op().name
    ours, theirs = backend.table(name), backend.ibis_backend.table(name)
    assert ours.schema() == theirs.schema()
    assert ours.op().namespace == theirs.op().namespace
    assert ours.op().source is backend
    assert backend.compile(ours) == backend.ibis_backend.compile(theirs)


def test_a_missing_table_is_ibis_error(store: Store) -> None:
    with pytest.raises(ibis.common.exceptions.TableNotFound, match="nowhere"):
        store.backend.table("nowhere")


def test_anything_else_is_asked_of_ibis_backend() -> None:
    backend = LazyDuckDB()
    assert "not built yet" in repr(backend)
    rows = pa.table({"a": [1, 2, 3]})
    backend.con.register("numbers", rows)
    assert backend.current_database == "main"  # Ibis' backend's
    assert "built" in repr(backend) and "not" not in repr(backend)
    assert backend.table("numbers").a.sum().execute() == 6
