"""The store: canonical flows as Parquet files and the DuckDB catalogue of what was
ingested (``store.py``), how an ingest is staged and swapped in (``staging.py``), the
Parquet layout (``layout.py``), each year's summaries (``summaries.py``), the catalogue
versions readers hold (``versions.py``), what each source holds (``holdings.py``), the
starter store (``starter.py``) and updates from the publishers (``update.py``).

Only :class:`Store` is imported here: listing the catalogue needs DuckDB alone.
"""

from bilateral.store.store import Store

__all__ = ["Store"]
