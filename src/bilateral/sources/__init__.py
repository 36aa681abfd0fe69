"""Readers, one module per publisher format, and the registry that picks one for a file."""

from __future__ import annotations

from pathlib import Path

from bilateral.errors import UnknownSourceError
from bilateral.sources.base import Reader


def registered_readers() -> list[type[Reader]]:
    """Every reader bilateral knows, in the order they are tried."""
    from bilateral.sources.armstat import ArmstatReader
    from bilateral.sources.baci import BaciReader
    from bilateral.sources.comext_cn8 import ComextCn8Reader
    from bilateral.sources.comtrade import ComtradeReader
    from bilateral.sources.eurostat import EurostatReader
    from bilateral.sources.faostat import FaostatReader
    from bilateral.sources.faostat_bulk import FaostatBulkReader
    from bilateral.sources.kz_bns import KzBnsReader
    from bilateral.sources.ru_fcs import RuFcsReader

    readers: list[type[Reader]] = [KzBnsReader]
    readers += [RuFcsReader, EurostatReader, FaostatBulkReader, FaostatReader]
    readers += [BaciReader, ComtradeReader]
    readers += [ComextCn8Reader, ArmstatReader]
    return readers


def reader_for(path: Path, source: str | None = None) -> Reader:
    """The reader for ``path``: the one named by ``source``, else the first that matches."""
    readers = registered_readers()
    if source is not None:
        for reader in readers:
            if reader.source == source:
                return reader()
        known = ", ".join(r.source for r in readers)
        raise UnknownSourceError(f"Unknown source '{source}'. Known sources: {known}.")
    for reader in readers:
        if reader.matches(path):
            return reader()
    raise UnknownSourceError(
        f"{path.name}: no reader recognises this file name. Pass --source with one of: "
        + ", ".join(r.source for r in readers)
        + "."
    )
