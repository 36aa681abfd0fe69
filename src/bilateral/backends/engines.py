"""Query engines: where the canonical Parquet files are read and indicators run.

DuckDB (embedded, no server) is the default. Apache Spark runs the same Ibis expressions
for data that outgrows one machine: a local session (``local[2]``), a cluster master URL
(``spark://host:7077``) or Spark Connect (``sc://host:15002``), chosen with
``BILATERAL_SPARK_MASTER``. Engine quirks belong here, never in the indicators.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from bilateral.backends.compiled import remember_compiled_sql
from bilateral.errors import not_one_of

if TYPE_CHECKING:
    import ibis
    from ibis.backends import BaseBackend

ENGINES = ("duckdb", "spark")


def duckdb_backend() -> BaseBackend:
    """An in-memory DuckDB: the store's Parquet files are attached as views on it.

    DuckDB's own progress bar is switched off: it would write into our tables and JSON.
    Parquet footers are cached between queries: a profile runs several queries over the
    same files, and thirty years of BACI are 174 files whose footers would otherwise be
    parsed again by every query (about a fifth of a warm profile's CPU; see
    bench/RESULTS.md). The store never rewrites a file in place.
    """
    from bilateral.backends.lazy_duckdb import LazyDuckDB

    backend = cast("BaseBackend", LazyDuckDB())  # Ibis' own, imported when a query is built
    backend.raw_sql("SET enable_progress_bar = false")
    backend.raw_sql("SET parquet_metadata_cache = true")
    remember_compiled_sql(backend)
    return backend


@cache
def spark_session(master: str | None = None) -> Any:
    """One Spark session per process; warehouse and Derby files go to a temp dir, not the CWD."""
    from pyspark.sql import SparkSession

    master = master or os.environ.get("BILATERAL_SPARK_MASTER", "local[2]")
    scratch = Path(tempfile.mkdtemp(prefix="bilateral-spark-"))
    if master.startswith("sc://"):
        return SparkSession.builder.remote(master).getOrCreate()
    return (
        SparkSession.builder.master(master)
        .appName("bilateral")
        .config("spark.sql.warehouse.dir", str(scratch / "warehouse"))
        .config("spark.driver.extraJavaOptions", f"-Dderby.system.home={scratch / 'derby'}")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )


def spark_backend(master: str | None = None) -> BaseBackend:
    """Ibis on PySpark, on the shared session."""
    import ibis

    return ibis.pyspark.connect(spark_session(master))


def connect(engine: str) -> BaseBackend:
    """The Ibis backend for an engine name ('duckdb' or 'spark')."""
    if engine == "duckdb":
        return duckdb_backend()
    if engine == "spark":
        return spark_backend()
    raise not_one_of("engine", engine, ENGINES)


def read_parquet(backend: BaseBackend, paths: Sequence[Path], name: str) -> ibis.Table:
    """A table over Parquet files, registered under ``name`` on either engine.

    Ibis's PySpark backend takes one path only (a list becomes the text of the list, which
    Spark then fails to glob), so on Spark the files are handed to Spark's own reader.
    """
    files = [str(p) for p in paths]
    if backend.name == "pyspark":
        frame = backend._session.read.parquet(*files)
        frame.createOrReplaceTempView(name)
        return backend.table(name)
    return backend.read_parquet(files, table_name=name)
