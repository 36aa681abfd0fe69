"""Where queries run: the DuckDB and Spark backends Ibis expressions are executed on
(``engines.py``), and the compiled SQL reused across queries and processes
(``compiled.py``)."""
