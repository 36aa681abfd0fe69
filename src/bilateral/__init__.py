"""bilateral: the economic relationship between two countries, from real trade statistics.

The public API: :func:`open_store`, :func:`profile`, :func:`find_country`, the errors, and
the packages :mod:`bilateral.answers` (the questions the command line answers, as typed
results), :mod:`bilateral.indicators` (the indicators, as Ibis expressions) and
:mod:`bilateral.claims` (the claim checker). Nothing heavy is imported until a function
needs it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bilateral.errors import BilateralError, SourceFormatError
from bilateral.version import __version__

if TYPE_CHECKING:
    from bilateral.engine import Profile
    from bilateral.store import Store


__all__ = [
    "BilateralError",
    "SourceFormatError",
    "__version__",
    "find_country",
    "open_store",
    "profile",
]


def open_store(path: str | None = None, *, engine: str = "duckdb", starter: bool = False) -> Store:
    """Open (or create) the store at ``path``; see :class:`bilateral.store.Store`. With
    ``starter``, a store that does not exist yet starts as a copy of the starter store
    shipped with bilateral (see :mod:`bilateral.store.starter`), as the command line does."""
    from bilateral.store import Store
    from bilateral.store import starter as starter_store

    store = Store.open(path, engine=engine)
    if starter and not store.catalogue_path.exists():
        starter_store.install(store.root)
    return store


def profile(
    store: Store, a: str, b: str, year: int, source: str | None = None, **options: Any
) -> Profile:
    """Every indicator for countries ``a`` and ``b`` in ``year``, per source (or only
    ``source``), each with its provenance: ``bilateral.profile(store, "KAZ", "RUS", 2022)``.
    A :class:`~bilateral.engine.Profile` (``.to_pandas()``, ``.to_arrow()``, ``.to_json()``);
    options: ``groups``, ``user_groups`` (see :func:`bilateral.engine.build_profile`)."""
    from bilateral.engine import profile as build

    return build(store, a, b, year, source, **options)


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
