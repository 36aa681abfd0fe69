"""Checks shared by the readers that go through a CSV file row by row.

The bulk readers (BACI, Comtrade) convert whole columns with ``textcolumns``; the small
national extracts (Eurostat, FAOSTAT, Armstat) read a row at a time and use these, so a
missing column or a printed value that is not a number reads the same way in every one.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from pathlib import Path

from bilateral.errors import SourceFormatError


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
