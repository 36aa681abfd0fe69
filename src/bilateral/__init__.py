"""bilateral: the economic relationship between two countries, from real trade statistics."""

from bilateral.errors import BilateralError, SourceFormatError

__version__ = "0.1.0"

__all__ = ["BilateralError", "SourceFormatError", "__version__", "open_store"]


def open_store(path: str | None = None, *, engine: str = "duckdb"):  # type: ignore[no-untyped-def]
    """Open (or create) the store at ``path``; see :class:`bilateral.store.Store`."""
    from bilateral.store import Store

    return Store.open(path, engine=engine)
