"""Shared fixtures: where the published data lives, stores in temporary folders, and the
engines (DuckDB, local Spark) that indicator tests run on."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path

import ibis
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from ibis.backends import BaseBackend

from bilateral.backends import compiled, engines
from bilateral.schema import conform
from tests.publisher_server import serve, servers  # noqa: F401 (fixtures for every test module)

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
#: Where tests reach the web app through a TestClient: a name it answers to by default.
LOCAL = "http://127.0.0.1"


def shared(*parts: str) -> Path:
    """A path under ../shared/data, skipping the test when the published files are absent."""
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"published data not available: {path}")
    return path


def snapshot(root: Path) -> dict[str, str]:
    """Every file under ``root`` with the SHA-256 of its bytes: equal snapshots, equal stores."""
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def store_dir(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def store_holding_a_file(store_dir: Path, tmp_path: Path) -> object:
    """A store that already holds a BACI release, so that 'unchanged' after a refused
    ingest means something."""
    from bilateral.store import Store
    from tests.fixtures_baci import write_release

    store = Store.open(store_dir)
    folder = tmp_path / "held"
    folder.mkdir()
    store.ingest([write_release(folder, "HS92")])
    return store


@pytest.fixture(scope="module")
def starter_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the starter store shipped in the package, one per test module; the test
    is skipped where the installation ships none."""
    from bilateral.store import starter

    root = tmp_path_factory.mktemp("starter-store")
    if not starter.available() or starter.install(root) is None:
        pytest.skip("no starter store in this installation")
    return root


@pytest.fixture(scope="session", autouse=True)
def sql_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Compiled SQL goes to a folder of the test run, not the user's cache directory
    (commands run in subprocesses inherit it)."""
    folder = tmp_path_factory.mktemp("sql-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(compiled.SQL_CACHE_ENV, str(folder))
        yield folder


# ---------------------------------------------------------------- engines for indicators


class Engine:
    """One Ibis backend, with canonical tables loaded from Parquet as the store writes them."""

    def __init__(self, name: str, backend: BaseBackend, folder: Path) -> None:
        self.name = name
        self.backend = backend
        self.folder = folder
        self._loaded: dict[str, ibis.Table] = {}

    def load(self, name: str, table: pa.Table | pd.DataFrame) -> ibis.Table:
        """Write a canonical table to Parquet (once per name) and open it on this engine."""
        if name not in self._loaded:
            arrow = table if isinstance(table, pa.Table) else pa.Table.from_pandas(table)
            path = self.folder / f"{name}.parquet"
            pq.write_table(conform(arrow), path)
            self._loaded[name] = self.backend.read_parquet(str(path), table_name=name)
        return self._loaded[name]

    def execute(self, expr: ibis.Expr) -> pd.DataFrame:
        return self.backend.execute(expr)


@pytest.fixture(scope="session")
def spark_session() -> object:
    """The process's one local Spark session (about 15 s to start on two cores), shared
    with any store opened with engine='spark'."""
    pytest.importorskip("pyspark")
    session = engines.spark_session()
    session.sparkContext.setLogLevel("ERROR")
    return session


_ENGINES: dict[str, Engine] = {}


def _engine(name: str, request: pytest.FixtureRequest) -> Engine:
    """The session's engine of that name, created on first use."""
    if name not in _ENGINES:
        folder = request.getfixturevalue("tmp_path_factory").mktemp(f"{name}-tables")
        if name == "duckdb":
            backend = ibis.duckdb.connect()
        else:
            backend = ibis.pyspark.connect(request.getfixturevalue("spark_session"))
        _ENGINES[name] = Engine(name, backend, folder)
    return _ENGINES[name]


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def backend(request: pytest.FixtureRequest) -> Engine:
    """Indicator tests run on DuckDB and on Spark (leave Spark out with -m 'not spark')."""
    return _engine(request.param, request)


@pytest.fixture(scope="session")
def duckdb_engine(request: pytest.FixtureRequest) -> Engine:
    return _engine("duckdb", request)


@pytest.fixture(scope="session")
def spark_engine(request: pytest.FixtureRequest) -> Engine:
    return _engine("spark", request)


@pytest.fixture(scope="session")
def bns_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding every BNS workbook (ingested once per test run; do not write to it)."""
    from bilateral.store import Store

    root = tmp_path_factory.mktemp("bns") / "store"
    Store.open(root).ingest([shared("kz-bns")])
    return root


@pytest.fixture(scope="session")
def bns_fcs_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kazakhstan's statistics (every BNS workbook) and Russia's mirror statistics (FCS
    94itog and 96stran), ingested once per test run; do not write to it."""
    from bilateral.store import Store

    root = tmp_path_factory.mktemp("bns-fcs") / "store"
    Store.open(root).ingest(
        [shared("kz-bns"), shared("ru-fcs", "94itog.xlsx"), shared("ru-fcs", "96stran.xlsx")]
    )
    return root
