"""Query engines: where the canonical Parquet files are read and indicators run.

DuckDB (embedded, no server) is the default. Apache Spark runs the same Ibis expressions
for data that outgrows one machine: a local session (``local[2]``), a cluster master URL
(``spark://host:7077``) or Spark Connect (``sc://host:15002``), chosen with
``BILATERAL_SPARK_MASTER``. Engine quirks belong here, never in the indicators.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import hashlib
import os
import tempfile
import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from contextlib import suppress
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
#: Where compiled SQL is kept across processes (a folder; "0" or "off": nowhere).
SQL_CACHE_ENV = "BILATERAL_SQL_CACHE"


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

    def __init__(
        self, backend: BaseBackend, size: int = COMPILED_QUERIES, disk: SQLCache | None = None
    ) -> None:
        self.size = size
        self.hits = 0
        self.misses = 0
        self.disk = disk
        self._dialect = backend.name
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
        if limit == "default":  # what Expr.execute passes: Ibis' default, no limit unless set
            import ibis

            limit = ibis.options.sql.default_limit
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
        sql = self._compile_or_read(expr, pretty)
        with self._lock:
            self._sql[key] = sql
            if len(self._sql) > self.size:
                self._sql.popitem(last=False)
        return sql


    def _compile_or_read(self, expr: ir.Expr, pretty: bool) -> str:
        """The SQL of ``expr``: from the disk cache when an earlier process compiled the
        same expression, else compiled (and written there)."""
        disk = self.disk
        key = disk.key(expr, self._dialect, pretty) if disk is not None else None
        if disk is None or key is None:
            return self._compile(expr, pretty=pretty)
        if (sql := disk.read(key)) is not None:
            return sql
        sql = self._compile(expr, pretty=pretty)
        disk.write(key, sql)
        return sql


class SQLCache:
    """Compiled SQL kept on disk, so that a new process does not compile again what an
    earlier one did (for a profile, compiling costs about half of a cold process).

    The key is a fingerprint of the whole expression, every operation and every value in
    it (:func:`fingerprint`), with the versions of bilateral, Ibis and sqlglot and the
    engine's dialect: everything the SQL text is made of. Tables enter by their name and
    schema, which is all their SQL holds of them; their data are registered on the
    backend by the caller as before. An expression holding a value the fingerprint cannot
    write down faithfully, or a table Ibis named at random (:data:`RANDOM_NAMES`), is
    compiled and not kept. A hit costs a walk over the expression and a file read; a key
    nobody wrote (another Ibis, another question) only means compiling as before. The
    store's tables and bilateral's reference tables are named after their files and
    content for this (:func:`bilateral.indicators.rows.reference_table`, :func:`kept`).
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hits = 0
        self.writes = 0

    @classmethod
    def from_environment(cls) -> SQLCache | None:
        """The cache in ``$BILATERAL_SQL_CACHE``, else in the per-user cache directory;
        None when the variable is "0" or "off"."""
        setting = os.environ.get(SQL_CACHE_ENV, "").strip()
        if setting.lower() in {"0", "off", "no", "false"}:
            return None
        if setting:
            return cls(Path(setting).expanduser())
        from platformdirs import user_cache_dir

        return cls(Path(user_cache_dir("bilateral")) / "sql")

    def key(self, expr: ir.Expr, dialect: str, pretty: bool) -> str | None:
        """The file name of ``expr``'s SQL, or None if it cannot be kept."""
        try:
            text = fingerprint(expr.op())
        except (Uncacheable, RecursionError):
            return None
        return hashlib.sha256(
            "\n".join((_versions(), dialect, str(pretty), text)).encode()
        ).hexdigest()

    def read(self, key: str) -> str | None:
        try:
            sql = (self.folder / f"{key}.sql").read_text(encoding="utf-8")
        except OSError:
            return None
        self.hits += 1
        return sql

    def write(self, key: str, sql: str) -> None:
        """Write atomically (another process may read it meanwhile); a folder that cannot
        be written only means no cache."""
        target = self.folder / f"{key}.sql"
        temporary = self.folder / f".{key}.{uuid.uuid4().hex}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_text(sql, encoding="utf-8")
            os.replace(temporary, target)
            self.writes += 1
        except OSError:
            temporary.unlink(missing_ok=True)


@cache
def _versions() -> str:
    import ibis
    import sqlglot

    from bilateral import __version__

    return f"bilateral {__version__}; ibis {ibis.__version__}; sqlglot {sqlglot.__version__}"


class Uncacheable(Exception):
    """An expression holds a value :func:`fingerprint` cannot write down faithfully."""


#: How Ibis begins the names it makes up (``Table.cache()``, ``ibis.memtable``): an
#: expression over such a table is never asked again in another process.
RANDOM_NAMES = ("ibis_",)
#: Values written as their ``repr``: it tells any two of them apart.
_PLAIN = (
    type(None),
    bool,
    int,
    float,
    str,
    bytes,
    decimal.Decimal,
    datetime.date,
    datetime.time,
    datetime.timedelta,
    uuid.UUID,
)


def fingerprint(root: Any) -> str:
    """A text that tells expressions apart by everything their SQL is made of, the same
    in every process: each operation (its class and its arguments, other operations by
    their position), depth first. Tables are their name and schema (a
    ``DatabaseTable``'s backend and an ``InMemoryTable``'s data are not in its SQL).
    Raises :class:`Uncacheable` for a value whose ``repr`` could hide a difference
    (arrays, functions, objects of other kinds)."""
    import ibis.expr.operations as ops
    from ibis.common.grounds import Concrete

    numbers: dict[Any, int] = {}
    lines: list[str] = []

    def value(v: Any) -> str:
        if isinstance(v, ops.Node):
            return f"#{node(v)}"
        if isinstance(v, enum.Enum):
            return f"{type(v).__qualname__}.{v.name}"
        if isinstance(v, _PLAIN):
            return f"{type(v).__name__}:{v!r}"
        if isinstance(v, tuple | list):
            return "(" + ",".join(value(x) for x in v) + ")"
        if isinstance(v, frozenset | set):
            return "{" + ",".join(sorted(value(x) for x in v)) + "}"
        if isinstance(v, Mapping):
            return "{" + ",".join(f"{value(k)}:{value(x)}" for k, x in v.items()) + "}"
        if isinstance(v, Concrete):  # data types, schemas, namespaces
            fields = dict(zip(v.__argnames__, v.__args__, strict=True))
            return f"{type(v).__module__}.{type(v).__qualname__}{value(fields)}"
        raise Uncacheable(type(v).__qualname__)

    def node(op: Any) -> int:
        if op in numbers:
            return numbers[op]
        if isinstance(op, ops.PhysicalTable) and op.name.startswith(RANDOM_NAMES):
            raise Uncacheable(f"table {op.name}, named anew in every process")
        skip = {"source"} if isinstance(op, ops.DatabaseTable | ops.SQLQueryResult) else set()
        if isinstance(op, ops.InMemoryTable):
            skip = {"data"}
        arguments = ",".join(
            f"{name}={value(arg)}"
            for name, arg in zip(op.__argnames__, op.__args__, strict=True)
            if name not in skip
        )
        numbers[op] = len(lines)
        lines.append(f"{type(op).__module__}.{type(op).__qualname__}({arguments})")
        return numbers[op]

    node(root)
    return "\n".join(lines)


#: Reentrant: a table dropped by the garbage collector may be dropped while one is kept.
_KEPT_LOCK = threading.RLock()


def kept(table: ir.Table) -> ir.Table:
    """``table``'s rows kept in the engine for the questions that follow, as
    ``Table.cache()`` keeps them, and dropped when nothing refers to them any more.

    Ibis names a cached table at random, so every question over it is new SQL in every
    process. On DuckDB the kept table is named after its expression (:func:`fingerprint`)
    instead: the same rows get the same name, and questions over them the same SQL,
    found in :class:`SQLCache` by the next process. Other engines use ``Table.cache()``
    (which may raise NotImplementedError).
    """
    try:
        backend = table._find_backend()
        text = fingerprint(table.op()) if backend.name == "duckdb" else None
    except Exception:  # no backend of its own (memory tables only), or Uncacheable
        text = None
    if text is None:
        return table.cache()
    name = "bilateral_kept_" + hashlib.sha256(text.encode()).hexdigest()[:20]
    with _KEPT_LOCK:
        tables: dict[str, weakref.ref[Any]] = backend.__dict__.setdefault("kept_tables", {})
        reference = tables.get(name)
        op = reference() if reference is not None else None
        if op is None:
            op = backend.create_table(name, table, temp=True, overwrite=True).op()
            tables[name] = weakref.ref(op)
            weakref.finalize(op, _drop_kept, backend, name)
        return op.to_expr()


def _drop_kept(backend: BaseBackend, name: str) -> None:
    with _KEPT_LOCK:
        reference = backend.__dict__.get("kept_tables", {}).get(name)
        if reference is not None and reference() is None:
            del backend.__dict__["kept_tables"][name]
            with suppress(Exception):  # a backend closing takes its temporary tables along
                backend.drop_table(name, force=True)


def remember_compiled_sql(backend: BaseBackend, size: int = COMPILED_QUERIES) -> CompiledQueries:
    """Make ``backend`` reuse the SQL of expressions it compiled before, in this process
    and, through :class:`SQLCache`, in earlier ones (see :class:`CompiledQueries`, kept as
    ``backend.compiled_queries``)."""
    queries = CompiledQueries(backend, size, SQLCache.from_environment())
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
