"""bilateral: the economic relationship between two countries, from real trade statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bilateral.errors import BilateralError, SourceFormatError

if TYPE_CHECKING:
    from bilateral.store import Store

__version__ = "0.1.0"

__all__ = ["BilateralError", "SourceFormatError", "__version__", "find_country", "open_store"]


def open_store(path: str | None = None, *, engine: str = "duckdb") -> Store:
    """Open (or create) the store at ``path``; see :class:`bilateral.store.Store`."""
    from bilateral.store import Store

    return Store.open(path, engine=engine)


def find_country(name: str) -> str | None:
    """The ISO alpha-3 code (or bilateral's aggregate code) that ``name`` stands for.

    ``find_country("Kyrgyz Republic") == "KGZ"``, ``find_country("Россия") == "RUS"``,
    ``find_country("EU") == "EU27"``; None for a name nobody knows. Codes, English, Russian
    and French names, publishers' aliases, then country_converter's names and regular
    expressions ("PRC", "the US", "Korea, Rep."): the look-up the CLI uses for its country
    arguments.
    """
    from bilateral.reference.countries import find_country as find

    return find(name)
