"""SQL kept by the question it answers, so that a new process builds no Ibis expression
for a question an earlier process asked.

:class:`~bilateral.backends.compiled.SQLCache` finds compiled SQL by the expression, so
every process still builds the expression, and for a profile or a claim check building
costs more Python than DuckDB spends on the data. A :class:`Question` names a query by
what it is made of instead: the function that builds it, that function's arguments
(tables by their :func:`~bilateral.backends.compiled.fingerprint`, which is their name and
schema for the store's tables; other values by their ``repr``), the code of bilateral
itself (its source files' content: another build function is another question), the
versions of Ibis and sqlglot, the dialect, and which literals are bound as parameters.
The first process to ask builds and compiles the query and writes down its SQL, its
schema and the in-memory reference tables it reads (their rows beside it); the next ones
read that and hand the SQL to DuckDB directly.

A question whose arguments hold something that cannot be written down faithfully (a
table Ibis named at random, a lambda), or that runs on another engine, is built and run
as before.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache, partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bilateral.backends import compiled

if TYPE_CHECKING:
    import ibis.expr.schema as sch
    import ibis.expr.types as ir
    import pandas as pd
    import pyarrow as pa
    from ibis.backends import BaseBackend

#: Changes when what a question's file holds changes.
QUESTION_FORMAT = 1
#: How many compiled questions a backend keeps in memory (a claim check asks about 30).
REMEMBERED = 1024
#: The package's files whose content makes a question's SQL (code and reference data).
_CODE_SUFFIXES = (".py", ".csv", ".tsv", ".json")
_PACKAGE = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Question:
    """A query by what it is built from: ``build(*args, **dict(keywords))``, or part
    ``part`` of the tuple of tables ``build`` returns. ``build`` is a function defined at
    a module's top level (its name says which code builds the query)."""

    build: Callable[..., Any]
    args: tuple[Any, ...]
    part: int | None = None
    keywords: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, table: ir.Table) -> Question:
        """A ready expression as a question: named by its operations."""
        return cls(_itself, (table,))

    def expression(self) -> ir.Table:
        built = self.build(*self.args, **dict(self.keywords))
        table: ir.Table = built if self.part is None else built[self.part]
        return table

    def description(self) -> str | None:
        """A text naming everything the query's SQL is made of, the same in every process
        running the same code; None when some argument cannot be written down."""
        name = _function_name(self.build)
        if name is None:
            return None
        try:
            arguments = compiled.describe((self.args, self.keywords))
        except (compiled.Uncacheable, RecursionError):
            return None
        return f"{name} part {self.part}\n{arguments}"


@dataclass(frozen=True)
class CompiledQuestion:
    """What running a question needs: its SQL, the schema Ibis gives its result, and the
    in-memory reference tables it reads (registered on the engine before it runs)."""

    sql: str
    schema: sch.Schema
    references: tuple[str, ...]


class QuestionSQL:
    """Compiled questions of one DuckDB backend, in memory and in the folder of an
    :class:`~bilateral.backends.compiled.SQLCache` (``q-<key>.json`` for a question,
    ``<table name>.arrow`` for a reference table's rows)."""

    def __init__(self, backend: BaseBackend, disk: compiled.SQLCache) -> None:
        self.backend = backend
        self.disk = disk
        self.built = 0
        self.read = 0
        self._memory: OrderedDict[str, CompiledQuestion] = OrderedDict()
        self._lock = threading.Lock()

    def compile(self, question: Question, parameters: compiled.Parameters = ()) -> CompiledQuestion:
        """The question's SQL (with ``parameters``' literals as named parameters): from
        memory, from an earlier process, else built, compiled and written down."""
        return self._compiled(question, parameters, self.key(question, parameters))

    def _compiled(
        self, question: Question, parameters: compiled.Parameters, key: str | None
    ) -> CompiledQuestion:
        if key is None:
            return self._build(question, parameters, None)
        with self._lock:
            found = self._memory.get(key)
            if found is not None:
                self._memory.move_to_end(key)
                return found
        found = self._read(key) or self._build(question, parameters, key)
        with self._lock:
            self._memory[key] = found
            if len(self._memory) > REMEMBERED:
                self._memory.popitem(last=False)
        return found

    def key(self, question: Question, parameters: compiled.Parameters) -> str | None:
        description = question.description()
        if description is None:
            return None
        variant = ",".join(f"{value!r}=${name}" for value, name in parameters)
        text = "\n".join(
            (
                f"question {QUESTION_FORMAT}",
                compiled.versions(),
                code_identity(),
                self.backend.name,
                variant,
                description,
            )
        )
        return hashlib.sha256(text.encode()).hexdigest()

    def to_pyarrow(self, question: Question, values: Mapping[str, str] | None = None) -> pa.Table:
        """Run the question, with ``values`` (literal: value) bound; Arrow, typed as
        Ibis types the question's expression."""
        values = dict(values or {})
        parameters = parameters_for(values)
        query = self.compile(question, parameters)
        self._register(query.references)
        bound = {name: values[literal] for literal, name in parameters}
        rows = self.backend.con.sql(query.sql, params=bound or None).to_arrow_table()
        return rows.cast(query.schema.to_pyarrow())

    def execute(self, question: Question) -> pd.DataFrame:
        """Run the question; pandas, converted as Ibis' ``execute`` converts (a column
        with nulls as Python objects, then to the schema's types)."""
        key = self.key(question, ())
        if key is None:  # an expression of in-memory tables, say
            result: pd.DataFrame = question.expression().execute()
            return result
        query = self._compiled(question, (), key)
        self._register(query.references)
        return as_pandas(self.backend.con.sql(query.sql).to_arrow_table(), query.schema)

    # -- building and reading ----------------------------------------------------------
    def _build(
        self, question: Question, parameters: compiled.Parameters, key: str | None
    ) -> CompiledQuestion:

        expr = question.expression()
        queries = getattr(self.backend, "compiled_queries", None)
        if queries is None:
            queries = compiled.remember_compiled_sql(self.backend)
        sql = (
            queries.parameterised(expr, parameters)
            if parameters
            else queries.compile(expr, limit=None)
        )
        tables = register_in_memory_tables(self.backend, expr)
        references = tuple(sorted({table.name for table in tables}))
        with self._lock:
            self.built += 1
        query = CompiledQuestion(sql, expr.schema(), references)
        by_content = all(name.startswith(compiled.NAMED_BY_CONTENT) for name in references)
        if key is not None and by_content:  # another process finds the same rows by name
            self._write(key, query, tables)
        return query

    def _read(self, key: str) -> CompiledQuestion | None:
        import ibis

        try:
            text = (self.disk.folder / f"q-{key}.json").read_text(encoding="utf-8")
            entry = json.loads(text)
            schema = ibis.schema({name: ibis.dtype(kind) for name, kind in entry["schema"]})
            query = CompiledQuestion(entry["sql"], schema, tuple(entry["references"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None
        missing = [n for n in query.references if not (self.disk.folder / f"{n}.arrow").exists()]
        if missing:
            return None
        with self._lock:
            self.read += 1
        return query

    def _write(self, key: str, query: CompiledQuestion, tables: list[Any]) -> None:
        import pyarrow as pa

        for table in tables:
            target = self.disk.folder / f"{table.name}.arrow"
            if target.exists():
                continue
            rows = table.data.to_pyarrow(table.schema)
            sink = pa.BufferOutputStream()
            with pa.ipc.new_file(sink, rows.schema) as writer:
                writer.write_table(rows)
            self.disk.write_bytes(target.name, sink.getvalue().to_pybytes())
        entry = {
            "sql": query.sql,
            "schema": [[name, str(kind)] for name, kind in query.schema.items()],
            "references": list(query.references),
        }
        self.disk.write_bytes(f"q-{key}.json", json.dumps(entry).encode("utf-8"))

    def _register(self, references: tuple[str, ...]) -> None:
        """Register the reference tables a question read, from the folder where the
        first process wrote them (the ones this process built are registered already)."""
        import pyarrow as pa

        def stored(name: str) -> pa.Table:
            with pa.memory_map(str(self.disk.folder / f"{name}.arrow")) as source:
                return pa.ipc.open_file(source).read_all()

        for name in references:
            _register_rows(self.backend, name, partial(stored, name))


def question_sql(backend: BaseBackend) -> QuestionSQL | None:
    """The compiled questions of ``backend`` (made on first use); None on an engine other
    than DuckDB, or when compiled SQL is kept nowhere (``BILATERAL_SQL_CACHE=off``)."""
    if backend.name != "duckdb":
        return None
    with _LOCK:
        found: QuestionSQL | None = backend.__dict__.get("question_sql")
        if found is None and "question_sql" not in backend.__dict__:
            disk = compiled.SQLCache.from_environment()
            found = QuestionSQL(backend, disk) if disk is not None else None
            backend.__dict__["question_sql"] = found
        return found


_LOCK = threading.Lock()


def execute(question: Question) -> pd.DataFrame:
    """Run ``question`` on the engine its tables live on, as pandas: through the SQL kept
    for it on DuckDB, else (in-memory tables only, another engine, no cache) built and
    run by Ibis."""
    backend = backend_of_arguments(question.args, question.keywords)
    kept = question_sql(backend) if backend is not None else None
    if kept is None:
        result: pd.DataFrame = question.expression().execute()
        return result
    return kept.execute(question)


def as_pandas(table: pa.Table, schema: sch.Schema) -> pd.DataFrame:
    """DuckDB's result ``table`` as pandas, converted as Ibis' DuckDB backend converts
    it (``Backend.execute``): a column with nulls as Python objects, then every column
    to ``schema``'s type."""
    import pandas as pd
    import pyarrow.types as pat

    frame = pd.DataFrame(
        {
            name: (
                column.to_pylist()
                if pat.is_nested(column.type) or pat.is_dictionary(column.type) or column.null_count
                else column.to_pandas()
            )
            for name, column in zip(table.column_names, table.columns, strict=True)
        }
    )
    converted: pd.DataFrame = _converters()[0].convert_table(frame, schema)
    return converted


def as_arrow(table: pa.Table, expr: ir.Expr) -> pa.Table:
    """DuckDB's result ``table`` of ``expr``, typed as Ibis' DuckDB backend types it
    (``Backend.to_pyarrow``)."""
    result: pa.Table = expr.__pyarrow_result__(table, data_mapper=_converters()[1])
    return result


@cache
def _converters() -> tuple[Any, Any]:
    """Ibis' conversions of DuckDB's results (``ibis.backends.duckdb.converter``, whose
    package imports every SQL compiler Ibis ships), made from their bases: pandas, where
    an array's NaN is a missing value, and Arrow, where a column of type null is nulls."""
    import pyarrow as pa
    from ibis.formats.pandas import PandasData
    from ibis.formats.pyarrow import PyArrowData

    class DuckDBPandasData(PandasData):
        @staticmethod
        def convert_Array(s: Any, dtype: Any, pandas_type: Any) -> Any:
            return s.replace(float("nan"), None)

    class DuckDBPyArrowData(PyArrowData):
        @classmethod
        def convert_scalar(cls, scalar: Any, dtype: Any) -> Any:
            return pa.scalar(None) if dtype.is_null() else super().convert_scalar(scalar, dtype)

        @classmethod
        def convert_column(cls, column: Any, dtype: Any) -> Any:
            if dtype.is_null():
                return pa.nulls(len(column))
            return super().convert_column(column, dtype)

    return DuckDBPandasData, DuckDBPyArrowData


def _function_name(function: Callable[..., Any]) -> str | None:
    """``module.qualname`` of a function defined at a module's top level; None for a
    lambda or a function defined inside another (its closure is not in its name)."""
    function = inspect.unwrap(function)
    qualname = getattr(function, "__qualname__", "")
    module = getattr(function, "__module__", None)
    if not qualname or module is None or "<" in qualname:
        return None
    return f"{module}.{qualname}"


@cache
def code_identity() -> str:
    """A digest of the package's code and reference data: a question built by other code
    is another question."""
    digest = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*")):
        if path.suffix in _CODE_SUFFIXES and "static" not in path.parts and path.is_file():
            digest.update(str(path.relative_to(_PACKAGE)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _itself(table: ir.Table) -> ir.Table:
    """A ready expression as a question (:meth:`Question.of`)."""
    return table


class Prepared:
    """A query compiled once for every value of some of its string literals, and the
    values of one question: a DuckDB prepared statement.

    The template's SQL is compiled with each literal named in ``values`` written as a
    named parameter (``$p0``, ``$p1``: :meth:`CompiledQueries.parameterised
    <bilateral.backends.compiled.CompiledQueries.parameterised>`), and DuckDB binds the
    values when the query runs. The same SQL therefore serves every value, in this
    process and the next, and no value is ever written into SQL text. The template is a
    :class:`Question`, built only when no earlier process compiled it, or a ready
    expression. The result has the template's schema (column names included: a column
    named after a literal keeps the literal's name); only rows differ.
    """

    def __init__(
        self,
        template: ir.Table | Question,
        values: Mapping[str, str],
        backend: BaseBackend | None = None,
    ) -> None:
        self.question = template if isinstance(template, Question) else Question.of(template)
        backend = backend or backend_of_arguments(self.question.args)
        if backend is None or backend.name != "duckdb":
            raise ValueError("a prepared query runs on one DuckDB backend, which reads its tables")
        self.values = dict(values)
        self.backend = backend
        self.parameters = parameters_for(self.values)

    def __repr__(self) -> str:
        return f"Prepared({_function_name(self.question.build)}, {self.values})"

    @property
    def template(self) -> ir.Table:
        """The expression the SQL is compiled from (built on first use)."""
        return self.question.expression()

    def sql(self) -> str:
        """The SQL, with parameters; compiled the first time only."""
        kept = question_sql(self.backend)
        if kept is not None:
            return kept.compile(self.question, self.parameters).sql
        queries = getattr(self.backend, "compiled_queries", None)
        if queries is None:
            queries = compiled.remember_compiled_sql(self.backend)
        sql: str = queries.parameterised(self.template, self.parameters)
        return sql

    def bound(self) -> dict[str, str]:
        """The values, by parameter name."""
        return {name: self.values[literal] for literal, name in self.parameters}

    def to_pyarrow(self) -> pa.Table:
        """Run the query with the values bound; the rows as an Arrow table with the types
        Ibis gives the template."""
        kept = question_sql(self.backend)
        if kept is not None:
            return kept.to_pyarrow(self.question, self.values)
        template = self.template
        sql = self.sql()
        register_in_memory_tables(self.backend, template)
        rows = self.backend.con.sql(sql, params=self.bound()).to_arrow_table()
        return rows.cast(template.schema().to_pyarrow())


def backend_of_arguments(
    args: tuple[Any, ...], keywords: tuple[tuple[str, Any], ...] = ()
) -> BaseBackend | None:
    """The one backend whose tables a question's arguments read (None: none, or several)."""
    import ibis.expr.types as ir

    values = [*args, *(value for _, value in keywords)]
    found = {
        id(backend): backend
        for arg in values
        if isinstance(arg, ir.Table) and (backend := compiled.backend_of(arg)) is not None
    }
    return next(iter(found.values())) if len(found) == 1 else None


def parameters_for(values: Mapping[str, str]) -> compiled.Parameters:
    """The named parameter each literal of ``values`` becomes: ``$p0``, ``$p1``... in the
    literals' order, so the same literals always make the same SQL."""
    return tuple((literal, f"p{number}") for number, literal in enumerate(sorted(values)))


#: Guards the record of which in-memory tables a backend holds.
_REGISTER_LOCK = threading.Lock()


def _register_rows(backend: BaseBackend, name: str, rows: Callable[[], pa.Table]) -> None:
    """Register ``rows()`` on ``backend``'s DuckDB under ``name``, unless a table of that
    name was registered there before: an in-memory table's name stands for its rows
    (bilateral's are named after their content, Ibis' at random)."""
    with _REGISTER_LOCK:
        # kept on the backend object: Ibis finds two in-memory DuckDB backends equal
        registered: set[str] = backend.__dict__.setdefault("registered_tables", set())
        if name not in registered:
            backend.con.register(name, rows())
            registered.add(name)


def register_in_memory_tables(backend: BaseBackend, template: ir.Table) -> list[Any]:
    """Register the in-memory tables (product groups, HS sections) ``template`` reads, as
    Ibis does before running an expression: compiled SQL holds only their names. Returns
    them."""
    import ibis.expr.operations as ops

    tables = list(template.op().find(ops.InMemoryTable))
    for table in tables:
        _register_rows(backend, table.name, partial(table.data.to_pyarrow, table.schema))
    return tables
