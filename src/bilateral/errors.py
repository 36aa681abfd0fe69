"""Errors a user can act on: each names the input, where in it, and what was expected."""

from __future__ import annotations

from collections.abc import Iterable
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


class UnknownProductError(BilateralError):
    """A product code, group or FAO item that the product reference cannot place."""


class StoreAccessError(BilateralError):
    """The store's folder cannot be written or read (permissions, a full disk, read-only)."""


class InvalidRequestError(BilateralError, ValueError):
    """A request bilateral cannot answer as given: a pair of one country, an unknown
    level, flow, image format or engine, a period that ends before it starts. Also a
    ValueError, which library callers may already catch."""


def pair_of_one_country(code: str) -> InvalidRequestError:
    """The error for a pair whose two countries are one (KAZ and Kazakhstan, say)."""
    return InvalidRequestError(
        f"A pair needs two different countries; got {code} twice. Give a partner other "
        f"than {code} (codes or names: KAZ RUS, Kazakhstan Russia)."
    )


def not_one_of(what: str, given: str, choices: Iterable[str]) -> InvalidRequestError:
    """The error for a value outside a fixed set: names what was given and the choices."""
    return InvalidRequestError(f"Unknown {what} '{given}'; choose one of {', '.join(choices)}.")


def os_problem(exc: OSError) -> str:
    """An OS error in words, with the file it concerns: 'Permission denied: /x/y'."""
    what = exc.strerror or str(exc) or type(exc).__name__
    return f"{what}: {exc.filename}" if exc.filename else what


def unreadable(path: str | Path, exc: BaseException) -> BilateralError | None:
    """The one-line error for a publisher's file that failed below its reader (an
    encoding, a damaged archive, the operating system), or None for any other failure.
    """
    import gzip
    import zipfile
    import zlib

    if isinstance(exc, UnicodeDecodeError):
        byte = exc.object[exc.start : exc.start + 1].hex()
        return SourceFormatError(
            path,
            f"byte 0x{byte} is not {exc.encoding.upper().replace('_', '-')} text",
            expected="text in the publisher's encoding (UTF-8); download the file again "
            "or convert it to UTF-8",
        )
    if isinstance(exc, (zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, EOFError)):
        return SourceFormatError(
            path,
            f"the archive is damaged ({exc or type(exc).__name__})",
            expected="an intact archive as published; download it again",
        )
    if isinstance(exc, OSError):
        return SourceFormatError(
            path,
            f"cannot be read ({os_problem(exc)})",
            expected="a file you may read; check its permissions",
        )
    return None
