"""Errors a user can act on: each names the input, where in it, and what was expected."""

from __future__ import annotations

from pathlib import Path


class BilateralError(Exception):
    """Base class for errors the CLI reports as one line without a traceback."""


class SourceFormatError(BilateralError):
    """A publisher's file does not look the way its reader expects.

    The message names the file, the archive member (for zip releases), the sheet (for
    workbooks), the row (1-based, as a spreadsheet program shows it) or the line (1-based,
    header included, for text files), the field, and what was expected there.
    """

    def __init__(
        self,
        path: str | Path,
        problem: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        field: str | None = None,
        expected: str | None = None,
        member: str | None = None,
        line: int | None = None,
    ) -> None:
        self.path = Path(path)
        self.problem = problem
        self.member = member
        self.sheet = sheet
        self.row = row
        self.line = line
        self.field = field
        self.expected = expected
        super().__init__(self._message())

    def _message(self) -> str:
        where = [self.path.name]
        if self.member is not None:
            where.append(f"member {self.member}")
        if self.sheet is not None:
            where.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field is not None:
            where.append(f"field '{self.field}'")
        text = f"{', '.join(where)}: {self.problem}"
        if self.expected:
            text += f"; expected {self.expected}"
        return text


class UnknownCountryError(BilateralError):
    """A country name or code that the reference tables cannot place."""


class UnknownSourceError(BilateralError):
    """A file that no reader recognises, or a source name nobody registered."""


class NotAvailableError(BilateralError):
    """The store holds no data for what was asked (a year, a source, a detail level)."""
