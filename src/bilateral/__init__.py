"""bilateral: the economic relationship between two countries, from real trade statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bilateral.errors import BilateralError, SourceFormatError

if TYPE_CHECKING:
    from bilateral.store import Store

__version__ = "0.1.0"

__all__ = ["BilateralError", "SourceFormatError", "__version__", "open_store"]


def open_store(path: str | None = None, *, engine: str = "duckdb") -> Store:
    """Open (or create) the store at ``path``; see :class:`bilateral.store.Store`."""
    from bilateral.store import Store

    return Store.open(path, engine=engine)
