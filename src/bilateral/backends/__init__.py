"""Where queries run: the DuckDB and Spark backends Ibis expressions are executed on
(``engines.py``), the compiled SQL reused across queries and processes (``compiled.py``),
and SQL found by the question it answers, so that a new process builds no expression
(``question_sql.py``)."""
