"""Where queries run: the DuckDB and Spark backends Ibis expressions are executed on, and
the compiled SQL kept across queries and processes (``engines.py``)."""
