"""The store's DuckDB, with Ibis' DuckDB backend imported only when a query must be built.

Importing ``ibis.backends.duckdb`` imports every SQL compiler Ibis ships (Athena, Trino,
BigQuery... and their sqlglot dialects): about a tenth of a second, paid by every command
in a new process. A command whose questions were compiled by an earlier process
(:mod:`bilateral.backends.question_sql`) needs none of it: it opens views over the
store's Parquet files, asks DuckDB for their schemas, and runs SQL read from the cache.

:class:`LazyDuckDB` does those things itself on a DuckDB connection, and makes Ibis'
backend over the same connection the first time anything else is asked of it (compiling
an expression, a method it does not have): it then answers as that backend does. The
tables it makes are bound to it, so expressions over them find it, and it runs them as
Ibis' backend runs them (same SQL, same conversion of the results).
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:
    import ibis.expr.types as ir
    import pandas as pd
    import pyarrow as pa
    from ibis.backends import BaseBackend


class LazyDuckDB:
    """An in-memory DuckDB that answers as Ibis' DuckDB backend, importing it on demand."""

    name = "duckdb"

    def __init__(self) -> None:
        self.con = duckdb.connect()
        # what Ibis sets on a connection it makes (``Backend._post_connect``)
        self.con.execute("SET TimeZone = 'UTC'")
        self.con.execute("SET python_enable_replacements = false")
        self._ibis: BaseBackend | None = None
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        built = "built" if self._ibis is not None else "not built yet"
        return f"<LazyDuckDB: Ibis' backend {built}>"

    @property
    def ibis_backend(self) -> BaseBackend:
        """Ibis' DuckDB backend over this connection (made, and imported, on first use)."""
        with self._lock:
            if self._ibis is None:
                import ibis

                self._ibis = ibis.duckdb.from_connection(self.con)
            return self._ibis

    def __getattr__(self, name: str) -> Any:
        # only for what this class does not define: Ibis' backend answers
        if name.startswith("__") or name in {"_ibis", "_lock", "con"}:
            raise AttributeError(name)
        return getattr(self.ibis_backend, name)

    # -- what a command over compiled questions needs ------------------------------------
    def raw_sql(self, query: str) -> duckdb.DuckDBPyConnection:
        return self.con.execute(query)

    def compile(self, expr: ir.Expr, /, **options: Any) -> str:
        """Ibis' compilation (replaced by :func:`bilateral.backends.compiled.remember_compiled_sql`
        with one that reads the SQL an earlier process wrote first)."""
        sql: str = self.ibis_backend.compile(expr, **options)
        return sql

    def read_parquet(self, paths: Sequence[str], /, *, table_name: str) -> ir.Table:
        """A temporary view ``table_name`` over the Parquet files ``paths``, as Ibis'
        ``read_parquet`` makes it."""
        files = ", ".join(_literal(str(path)) for path in paths)
        self.con.execute(
            f"CREATE OR REPLACE TEMPORARY VIEW {identifier(table_name)} AS "
            f"SELECT * FROM read_parquet([{files}])"
        )
        return self.table(table_name)

    def table(self, name: str, /, *, database: tuple[str, str] | None = None) -> ir.Table:
        """The table or view ``name`` (in ``database``: catalog and schema), typed as
        Ibis' backend types it."""
        import ibis.expr.operations as ops
        import ibis.expr.schema as sch
        from ibis.backends.sql.datatypes import DuckDBType

        catalog, schema = database if database is not None else (None, None)
        try:
            described = self.con.execute(f"DESCRIBE {_place(name, database)}").fetchall()
        except duckdb.CatalogException:
            import ibis.common.exceptions as exc

            raise exc.TableNotFound(name) from None
        columns = {
            column: DuckDBType.from_string(kind, nullable=null == "YES")
            for column, kind, null, *_ in described
        }
        return ops.DatabaseTable(
            name,
            schema=sch.Schema(columns),
            source=self,
            namespace=ops.Namespace(catalog=catalog, database=schema),
        ).to_expr()

    def drop_table(
        self, name: str, /, *, database: tuple[str, str] | None = None, force: bool = False
    ) -> None:
        self.con.execute(f"DROP TABLE {'IF EXISTS ' if force else ''}{_place(name, database)}")

    def to_pyarrow(
        self,
        expr: ir.Expr,
        /,
        *,
        params: Mapping[Any, Any] | None = None,
        limit: int | str | None = None,
        **options: Any,
    ) -> pa.Table:
        """Run ``expr``; Arrow, converted as Ibis' backend converts it."""
        if params or _limit(limit) is not None or options:
            table: pa.Table = self.ibis_backend.to_pyarrow(
                expr, params=params, limit=limit, **options
            )
            return table
        from bilateral.backends.question_sql import as_arrow

        return as_arrow(self._relation(expr).to_arrow_table(), expr)

    def execute(
        self,
        expr: ir.Expr,
        /,
        *,
        params: Mapping[Any, Any] | None = None,
        limit: int | str | None = None,
        **options: Any,
    ) -> pd.DataFrame | pd.Series | Any:
        """Run ``expr``; pandas, converted as Ibis' backend converts it."""
        if params or _limit(limit) is not None or options:
            return self.ibis_backend.execute(expr, params=params, limit=limit, **options)
        from bilateral.backends.question_sql import as_pandas

        frame = as_pandas(self._relation(expr).to_arrow_table(), expr.as_table().schema())
        return expr.__pandas_result__(frame)

    def _relation(self, expr: ir.Expr) -> duckdb.DuckDBPyRelation:
        """``expr``'s SQL run, its in-memory tables registered first, as Ibis runs it."""
        from bilateral.backends.question_sql import register_in_memory_tables

        table = expr.as_table()
        register_in_memory_tables(self, table)
        return self.con.sql(self.compile(table))


def _limit(limit: int | str | None) -> int | str | None:
    """The row limit Ibis' ``execute`` means: "default" is its option (none, unless set)."""
    if limit == "default":
        import ibis

        default: int | None = ibis.options.sql.default_limit
        return default
    return limit


def identifier(name: str) -> str:
    """``name`` quoted as a DuckDB identifier."""
    return '"' + name.replace('"', '""') + '"'


def _place(name: str, database: tuple[str, str] | None) -> str:
    """``name``, qualified by ``database`` (catalog and schema) when given, quoted."""
    return ".".join(identifier(part) for part in (*(database or ()), name))


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
