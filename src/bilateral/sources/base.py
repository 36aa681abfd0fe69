"""What every reader shares: the contract between a publisher's file and the store.

A reader turns one publisher's file into canonical rows (see ``bilateral.schema``) and
nothing else: no store, no network, no indicators. Each publisher is a small subclass
that declares its source name, which files it takes and how to read them.
"""

from __future__ import annotations

import fnmatch
import hashlib
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

import pyarrow as pa

from bilateral.errors import SourceFormatError
from bilateral.sources.filetype import BY_SUFFIX


@dataclass
class ReadResult:
    """Rows read from one file, with what the store should record about them.

    ``release`` orders revisions: when two files of the same source hold the same
    observation, the one with the greater release wins (so releases must sort as strings:
    a year "2023", a date "2024-07-25", or BACI's "V202501").
    ``notes`` are caveats a user must see next to numbers from this file (extract
    thresholds, totals that do not add up, currency conversions).
    ``places``, when the reader knows them, say for each row of ``table`` where in the
    file it was found (columns ``member``, ``sheet``, ``row``, ``line``), so that a row
    refused by :func:`bilateral.sources.validation.check` is named as a spreadsheet shows it.
    ``progress``, from a reader that streams a big file in parts, is the share of the
    file's bytes read when the part was handed over (0 to 1), so that a long ingest can
    say how far it has got and how long it will still take (:mod:`bilateral.cli.progress`).
    """

    table: pa.Table
    release: str
    notes: list[str] = field(default_factory=list)
    places: pa.Table | None = None
    progress: float | None = None


class Reader(ABC):
    """One publisher format. Subclasses set the class attributes and implement :meth:`read`."""

    source: ClassVar[str]  # canonical source name, e.g. "kz_bns"
    title: ClassVar[str]  # a human name, e.g. "Kazakhstan BNS foreign trade by country"
    patterns: ClassVar[tuple[str, ...]]  # file-name globs this reader recognises
    #: Whether the publisher ships lines of text (CSV): then a plain file whose last line
    #: does not end with a line break was cut short, and is refused before it is read.
    text: ClassVar[bool] = False

    @classmethod
    def matches(cls, path: Path) -> bool:
        """True when the file name looks like this publisher's file."""
        name = path.name.lower()
        return any(fnmatch.fnmatch(name, pattern.lower()) for pattern in cls.patterns)

    def kinds(self, path: Path) -> frozenset[str] | None:
        """What ``path``'s content may be (see :mod:`bilateral.sources.filetype`), judged
        from its name; None to take any content."""
        return BY_SUFFIX.get(path.suffix.lower())

    @abstractmethod
    def read(self, path: Path, sha256: str) -> ReadResult:
        """Read ``path``; ``sha256`` goes into every row's ``file_sha256`` column.

        Raise :class:`bilateral.errors.SourceFormatError` naming the file, sheet, row or
        field and what was expected, whenever the file is not as the publisher ships it.
        """

    def read_parts(self, path: Path, sha256: str) -> Iterator[ReadResult]:
        """Read ``path`` as a sequence of tables that can be written one at a time.

        A BACI release holds hundreds of millions of rows, more than fits in memory at
        once; bulk readers override this to yield bounded parts (every part carries the
        same release). The default yields :meth:`read` whole.
        """
        yield self.read(path, sha256)


#: Suffixes of plain text files (never an archive) whose last byte :func:`require_complete`
#: checks.
TEXT_SUFFIXES = (".csv", ".tsv")


def require_complete(path: Path) -> None:
    """Refuse a plain text file cut inside its last line (ends without a line break).

    A file cut inside its last field still parses: "9713" cut to "97" is a number too.
    Publishers end every line with a line break, so a missing one is the sign.
    """
    if path.suffix.lower() not in TEXT_SUFFIXES:
        return
    with open(path, "rb") as stream:
        stream.seek(0, 2)
        if stream.tell() == 0:
            return
        stream.seek(-1, 2)
        last = stream.read(1)
    if last not in (b"\n", b"\r"):
        raise incomplete(path)


def incomplete(path: Path, member: str | None = None) -> SourceFormatError:
    """The error for a text file whose last line lacks its line break."""
    return SourceFormatError(
        path,
        "the last line does not end with a line break: the file was cut short",
        member=member,
        expected="a complete file as published; download it again",
    )


def file_sha256(path: Path, chunk_size: int = 1 << 20) -> str:
    """SHA-256 of a file's bytes: the identity under which the catalogue records it."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()
