"""bilateral: the economic relationship between two countries, from real trade statistics."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bilateral.errors import BilateralError, SourceFormatError

if TYPE_CHECKING:
    from bilateral.store import Store

__version__ = "0.1.0"

__all__ = ["BilateralError", "SourceFormatError", "__version__", "find_country", "open_store"]


def open_store(path: str | None = None, *, engine: str = "duckdb", starter: bool = False) -> Store:
    """Open (or create) the store at ``path``; see :class:`bilateral.store.Store`. With
    ``starter``, a store that does not exist yet starts as a copy of the starter store
    shipped with bilateral (see :mod:`bilateral.starter`), as the command line does."""
    from bilateral import starter as starter_store
    from bilateral.store import Store

    store = Store.open(path, engine=engine)
    if starter and not store.catalogue_path.exists():
        starter_store.install(store.root)
    return store


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
