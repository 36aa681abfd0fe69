"""Query engines: where the canonical Parquet files are read and indicators run.

DuckDB (embedded, no server) is the default. Apache Spark runs the same Ibis expressions
for data that outgrows one machine: a local session (``local[2]``), a cluster master URL
(``spark://host:7077``) or Spark Connect (``sc://host:15002``), chosen with
``BILATERAL_SPARK_MASTER``. Engine quirks belong here, never in the indicators.
"""

from __future__ import annotations

import os
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ibis
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

ENGINES = ("duckdb", "spark")
#: How many compiled queries a DuckDB backend keeps (a profile runs about ten).
COMPILED_QUERIES = 256


def duckdb_backend() -> BaseBackend:
    """An in-memory DuckDB: the store's Parquet files are attached as views on it.

    DuckDB's own progress bar is switched off: it would write into our tables and JSON.
    Parquet footers are cached between queries: a profile runs several queries over the
    same files, and thirty years of BACI are 174 files whose footers would otherwise be
    parsed again by every query (about a fifth of a warm profile's CPU; see
    bench/RESULTS.md). The store never rewrites a file in place.
    """
    import ibis

    backend = ibis.duckdb.connect()
    backend.raw_sql("SET enable_progress_bar = false")
    backend.raw_sql("SET parquet_metadata_cache = true")
    remember_compiled_sql(backend)
    return backend


class CompiledQueries:
    """The SQL of the last ``size`` expressions a backend compiled, reused when an equal
    expression comes again.

    Ibis turns an expression into SQL anew on every execution, and for the profile's
    queries that costs about as much as DuckDB's work on a year of BACI. Expressions are
    immutable and compare by structure, and the store's tables change only with an
    ingest, which opens new tables (new names), so an equal expression always means the
    same SQL. Small reference tables (product groups, HS sections) are built once per
    process for the same reason.
    """

    def __init__(self, backend: BaseBackend, size: int = COMPILED_QUERIES) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self._compile = backend.compile
        self._sql: OrderedDict[tuple[Any, bool], str] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._sql)

    def compile(
        self,
        expr: ir.Expr,
        /,
        *,
        limit: Any = None,
        params: Any = None,
        pretty: bool = False,
        **options: Any,
    ) -> str:
        """``backend.compile``, from memory when the same expression was compiled before
        (with a row limit, parameters or other options it is compiled every time)."""
        if limit is not None or params or options:
            return self._compile(expr, limit=limit, params=params, pretty=pretty, **options)
        import ibis.expr.operations as ops

        op = expr.op()
        if isinstance(op, ops.SQLQueryResult) and not pretty:
            # a table made from SQL (backend.sql): that SQL as it is, where Ibis would
            # parse and print it again (for a profile's query, as long as compiling it)
            return str(op.query)
        key = (op, pretty)
        with self._lock:  # the dashboard answers requests on several threads
            if key in self._sql:
                self.hits += 1
                self._sql.move_to_end(key)
                return self._sql[key]
            self.misses += 1
        sql = self._compile(expr, pretty=pretty)
        with self._lock:
            self._sql[key] = sql
            if len(self._sql) > self.size:
                self._sql.popitem(last=False)
        return sql


def remember_compiled_sql(backend: BaseBackend, size: int = COMPILED_QUERIES) -> CompiledQueries:
    """Make ``backend`` reuse the SQL of expressions it compiled before (see
    :class:`CompiledQueries`, kept as ``backend.compiled_queries``)."""
    queries = CompiledQueries(backend, size)
    backend.compile = queries.compile
    backend.compiled_queries = queries
    return queries


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
    raise ValueError(f"Unknown engine '{engine}'; choose one of {', '.join(ENGINES)}.")


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
