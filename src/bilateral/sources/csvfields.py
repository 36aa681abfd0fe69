"""Checks shared by the readers that go through a CSV file row by row.

The bulk readers (BACI, Comtrade) convert whole columns with ``textcolumns``; the small
national extracts (Eurostat, FAOSTAT, Armstat) read a row at a time and use these, so a
missing column or a printed value that is not a number reads the same way in every one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from bilateral.errors import SourceFormatError


def require_all_fields(
    path: Path, line: int, row: dict[str | None, object], header: Sequence[str]
) -> None:
    """Raise unless a ``csv.DictReader`` row has exactly the header's fields: csv marks a
    missing field with the value None and extra ones with the key None (a file cut inside
    a line, a stray comma)."""
    if None in row or None in row.values():
        raise SourceFormatError(
            path,
            "the line has a different number of fields than the header",
            row=line,
            expected=f"{len(header)} fields: {', '.join(header)}",
        )


def require_columns(
    path: Path, header: Sequence[str], columns: Sequence[str], expected: str
) -> None:
    """Raise, naming the first missing column, unless ``header`` holds all of ``columns``."""
    missing = [c for c in columns if c not in header]
    if missing:
        raise SourceFormatError(
            path,
            f"the header lacks column '{missing[0]}'",
            row=1,
            field=missing[0],
            expected=expected,
        )


def number_or_missing(
    path: Path, line: int, field: str, text: str, *, missing: Collection[str], expected: str
) -> float | None:
    """A printed number; None for the publisher's marks of a missing value (never zero)."""
    if text.strip() in missing:
        return None
    try:
        return float(text)
    except ValueError:
        raise SourceFormatError(
            path, f"'{text.strip()}' is not a number", row=line, field=field, expected=expected
        ) from None
