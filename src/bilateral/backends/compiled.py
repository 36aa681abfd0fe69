"""Compiled SQL, reused: Ibis compiles an expression to SQL anew on every execution, and
for the profile's queries that costs about as much as DuckDB's work on a year of BACI.

:class:`CompiledQueries` keeps the SQL of the expressions a backend compiled, and
:class:`SQLCache` keeps it across processes, keyed by :func:`fingerprint`; :func:`kept`
names a table after its content so that the same content compiles to the same SQL.
:mod:`bilateral.backends.question_sql` keeps SQL by the question it answers, and runs a
query compiled once for any value of some literals (a DuckDB prepared statement).
"""

from __future__ import annotations

import dataclasses
import datetime
import decimal
import enum
import hashlib
import inspect
import os
import threading
import uuid
import weakref
from collections import OrderedDict
from collections.abc import Callable, Mapping
from contextlib import suppress
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import ibis.expr.types as ir
    from ibis.backends import BaseBackend

#: String literals made named parameters: (literal, parameter name) pairs, in order.
Parameters = tuple[tuple[str, str], ...]
#: Changes when :meth:`CompiledQueries.parameterised` writes parameters another way.
PARAMETERS_FORMAT = 1
#: How many compiled queries a DuckDB backend keeps (a profile runs about ten).
COMPILED_QUERIES = 256
#: Where compiled SQL is kept across processes (a folder; "0" or "off": nowhere).
SQL_CACHE_ENV = "BILATERAL_SQL_CACHE"


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
        self._backend = weakref.ref(backend)
        self._sql: OrderedDict[tuple[Any, bool], str] = OrderedDict()
        #: SQL with parameters (:meth:`parameterised`), by expression and parameter names
        self._parameterised: OrderedDict[tuple[Any, Parameters], str] = OrderedDict()
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
        return self._remembered(
            self._sql, (op, pretty), expr, str(pretty), lambda: self._compile(expr, pretty=pretty)
        )

    def parameterised(self, expr: ir.Expr, parameters: Parameters) -> str:
        """``expr``'s SQL with each string literal named in ``parameters`` (a tuple of
        (value, parameter name) pairs) written as that named parameter (``$name``), to be
        bound when the query runs (:class:`bilateral.backends.question_sql.Prepared`); from
        memory or the disk cache when compiled before."""
        variant = f"parameters {PARAMETERS_FORMAT}: " + ",".join(
            f"{value!r}=${name}" for value, name in parameters
        )
        return self._remembered(
            self._parameterised,
            (expr.op(), parameters),
            expr,
            variant,
            lambda: self._compile_parameterised(expr, dict(parameters)),
        )

    def _remembered(
        self,
        memory: OrderedDict[Any, str],
        key: Any,
        expr: ir.Expr,
        variant: str,
        compile_sql: Callable[[], str],
    ) -> str:
        with self._lock:  # the dashboard answers requests on several threads
            if key in memory:
                self.hits += 1
                memory.move_to_end(key)
                return memory[key]
            self.misses += 1
        sql = self._compile_or_read(expr, variant, compile_sql)
        with self._lock:
            memory[key] = sql
            if len(memory) > self.size:
                memory.popitem(last=False)
        return sql

    def _compile_or_read(self, expr: ir.Expr, variant: str, compile_sql: Callable[[], str]) -> str:
        """The SQL of ``expr``: from the disk cache when an earlier process compiled the
        same expression the same way (``variant``), else compiled (and written there)."""
        disk = self.disk
        key = disk.key(expr, self._dialect, variant) if disk is not None else None
        if disk is None or key is None:
            return compile_sql()
        if (sql := disk.read(key)) is not None:
            return sql
        sql = compile_sql()
        disk.write(key, sql)
        return sql

    def _compile_parameterised(self, expr: ir.Expr, names: Mapping[str, str]) -> str:
        """Compile ``expr`` and make its string literals named in ``names`` parameters, in
        the compiled query's tree (never in its text): only a whole literal equal to a
        value becomes a parameter, a longer text holding it stays as it is."""
        import sqlglot as sg
        import sqlglot.expressions as sge

        backend = self._backend()
        if backend is None:  # pragma: no cover - the backend owns this object
            raise RuntimeError("the backend of these compiled queries is gone")

        def bind(node: sge.Expression) -> sge.Expression:
            if isinstance(node, sge.Literal) and node.is_string and node.this in names:
                return sge.Placeholder(this=names[node.this])
            return node

        tree = backend.compiler.to_sqlglot(expr)
        # transform copies the tree first: Ibis shares one node between several places
        return str(
            tree.transform(bind).sql(dialect=backend.dialect, unsupported_level=sg.ErrorLevel.RAISE)
        )


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

    def key(self, expr: ir.Expr, dialect: str, variant: str) -> str | None:
        """The file name of ``expr``'s SQL as compiled for ``dialect`` in a ``variant``
        (pretty or not, which literals are parameters), or None if it cannot be kept."""
        try:
            text = fingerprint(expr.op())
        except (Uncacheable, RecursionError):
            return None
        return hashlib.sha256("\n".join((versions(), dialect, variant, text)).encode()).hexdigest()

    def read(self, key: str) -> str | None:
        try:
            sql = (self.folder / f"{key}.sql").read_text(encoding="utf-8")
        except OSError:
            return None
        self.hits += 1
        return sql

    def write(self, key: str, sql: str) -> None:
        self.write_bytes(f"{key}.sql", sql.encode("utf-8"))

    def write_bytes(self, name: str, content: bytes) -> None:
        """Write a file of the cache atomically (another process may read it meanwhile);
        a folder that cannot be written only means no cache."""
        target = self.folder / name
        temporary = self.folder / f".{name}.{uuid.uuid4().hex}.tmp"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(content)
            os.replace(temporary, target)
            self.writes += 1
        except OSError:
            temporary.unlink(missing_ok=True)


@cache
def versions() -> str:
    """The versions of everything compiled SQL is made by."""
    import ibis
    import sqlglot

    from bilateral.version import __version__

    return f"bilateral {__version__}; ibis {ibis.__version__}; sqlglot {sqlglot.__version__}"


class Uncacheable(Exception):
    """An expression holds a value :func:`fingerprint` cannot write down faithfully."""


#: How Ibis begins the names it makes up (``Table.cache()``, ``ibis.memtable``): an
#: expression over such a table is never asked again in another process.
RANDOM_NAMES = ("ibis_",)
#: How bilateral begins the names of in-memory tables named after their content
#: (:func:`bilateral.indicators.rows.reference_table`): the same name, the same rows.
NAMED_BY_CONTENT = ("bilateral_ref_",)
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
    writer = _Writer()
    writer.node(root)
    return "\n".join(writer.lines)


def describe(value: Any) -> str:
    """A text that tells any two values apart the way :func:`fingerprint` tells
    expressions apart: plain values by their ``repr``, expressions by their operations,
    data classes by their fields, functions by their module and name. Raises
    :class:`Uncacheable` for anything else."""
    writer = _Writer()
    head = writer.value(value)
    return "\n".join([head, *writer.lines])


class _Writer:
    """Writes values and operations down for :func:`fingerprint` and :func:`describe`."""

    def __init__(self) -> None:
        import ibis.expr.operations as ops
        import ibis.expr.types as ir
        from ibis.common.grounds import Concrete

        self.numbers: dict[Any, int] = {}
        self.lines: list[str] = []
        self._kinds = (ops, ir, Concrete)

    def value(self, v: Any) -> str:
        ops, ir, Concrete = self._kinds
        if isinstance(v, ir.Expr):
            v = v.op()
        if isinstance(v, ops.Node):
            return f"#{self.node(v)}"
        if isinstance(v, enum.Enum):
            return f"{type(v).__qualname__}.{v.name}"
        if isinstance(v, _PLAIN):
            return f"{type(v).__name__}:{v!r}"
        if isinstance(v, tuple | list):
            return "(" + ",".join(self.value(x) for x in v) + ")"
        if isinstance(v, frozenset | set):
            return "{" + ",".join(sorted(self.value(x) for x in v)) + "}"
        if isinstance(v, Mapping):
            return "{" + ",".join(f"{self.value(k)}:{self.value(x)}" for k, x in v.items()) + "}"
        if isinstance(v, Concrete):  # data types, schemas, namespaces
            fields = dict(zip(v.__argnames__, v.__args__, strict=True))
            return f"{type(v).__module__}.{type(v).__qualname__}{self.value(fields)}"
        if dataclasses.is_dataclass(v) and not isinstance(v, type):
            fields = {f.name: getattr(v, f.name) for f in dataclasses.fields(v)}
            return f"{type(v).__module__}.{type(v).__qualname__}{self.value(fields)}"
        if inspect.isfunction(v) and "<" not in v.__qualname__:
            return f"function {v.__module__}.{v.__qualname__}"
        raise Uncacheable(type(v).__qualname__)

    def node(self, op: Any) -> int:
        ops = self._kinds[0]
        if op in self.numbers:
            return self.numbers[op]
        if isinstance(op, ops.PhysicalTable) and op.name.startswith(RANDOM_NAMES):
            raise Uncacheable(f"table {op.name}, named anew in every process")
        skip = {"source"} if isinstance(op, ops.DatabaseTable | ops.SQLQueryResult) else set()
        if isinstance(op, ops.InMemoryTable):
            skip = {"data"}
        arguments = ",".join(
            f"{name}={self.value(arg)}"
            for name, arg in zip(op.__argnames__, op.__args__, strict=True)
            if name not in skip
        )
        self.numbers[op] = len(self.lines)
        self.lines.append(f"{type(op).__module__}.{type(op).__qualname__}({arguments})")
        return self.numbers[op]


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
    backend = backend_of(table)
    try:
        text = fingerprint(table.op()) if backend is not None and backend.name == "duckdb" else None
    except (Uncacheable, RecursionError):
        text = None
    if backend is None or text is None:
        return table.cache()
    name = "bilateral_kept_" + hashlib.sha256(text.encode()).hexdigest()[:20]
    with _KEPT_LOCK:
        tables: dict[str, weakref.ref[Any]] = backend.__dict__.setdefault("kept_tables", {})
        reference = tables.get(name)
        op = reference() if reference is not None else None
        if op is None:
            op = _create_temporary_table(backend, name, table).op()
            tables[name] = weakref.ref(op)
            weakref.finalize(op, _drop_kept, backend, name)
        return op.to_expr()


def _create_temporary_table(backend: BaseBackend, name: str, table: ir.Table) -> ir.Table:
    """``table``'s rows as DuckDB's temporary table ``name``, in one statement from the
    SQL compiled for ``table`` (remembered or read from the cache). Ibis'
    ``create_table`` compiles the expression anew, fills an empty table and, to replace
    one, copies it into another: three times the work for the reporter's rows a claim
    check keeps."""
    from bilateral.backends.lazy_duckdb import identifier
    from bilateral.backends.question_sql import register_in_memory_tables

    register_in_memory_tables(backend, table)
    sql = backend.compile(table)
    backend.con.execute(f"CREATE OR REPLACE TEMPORARY TABLE {identifier(name)} AS {sql}")
    return backend.table(name, database=("temp", "main"))  # where Ibis' create_table puts it


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


def backend_of(expr: ir.Expr) -> BaseBackend | None:
    """The one backend whose tables ``expr`` reads; None when it reads only in-memory
    tables (which have no backend of their own) or tables of several backends."""
    import ibis.expr.operations as ops

    found = {
        id(op.source): op.source for op in expr.op().find((ops.DatabaseTable, ops.SQLQueryResult))
    }
    return next(iter(found.values())) if len(found) == 1 else None
