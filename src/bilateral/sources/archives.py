"""Archives and text streams read within bounds: a zip bomb, a damaged member or a line
no publisher writes is refused in one line, before a parser runs out of memory or aborts.

Limits are checked twice: on the sizes a zip's directory declares, before anything is
inflated, and on the bytes actually inflated, while they stream (a directory can lie).
"""

from __future__ import annotations

import gzip
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from bilateral.errors import SourceFormatError
from bilateral.sources.base import incomplete

#: Most bytes one archive may inflate to, all members together. A full BACI release
#: (HS92, thirty years) inflates to about 10 GB.
MAX_UNCOMPRESSED = 64 << 30
#: Most a member may inflate per byte stored, once it is larger than :data:`RATIO_FLOOR`.
#: Publishers' CSV files deflate about 5 to 20 times; a zip bomb, 1000 times.
MAX_RATIO = 200
RATIO_FLOOR = 1 << 20
#: Longest stretch of a text stream without a line break (a BACI line is under 100 bytes).
#: Arrow's CSV reader cannot parse a line longer than its block (8 MiB), and can abort
#: the process on one, so a line that long is refused here first.
MAX_LINE = 1 << 20

DAMAGED = "an intact archive as published; download it again"


def damaged(path: Path, exc: BaseException, member: str | None = None) -> SourceFormatError:
    """The error for an archive that cannot be inflated (bad CRC, cut short, not a zip)."""
    detail = str(exc) or type(exc).__name__
    return SourceFormatError(
        path, f"the archive is damaged ({detail})", member=member, expected=DAMAGED
    )


def open_zip(path: Path) -> zipfile.ZipFile:
    """``path`` as a zip whose declared sizes are within bounds (see :func:`check_sizes`)."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, zlib.error, EOFError, ValueError) as exc:
        raise damaged(path, exc) from None
    try:
        check_sizes(path, archive.infolist())
    except BaseException:
        archive.close()
        raise
    return archive


def check_sizes(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse an archive whose directory declares more than :data:`MAX_UNCOMPRESSED` in
    all, or a member inflating more than :data:`MAX_RATIO` times its stored size."""
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR and ratio > MAX_RATIO:
            raise SourceFormatError(
                path,
                f"inflates {info.compress_size:,} bytes to {info.file_size:,} "
                f"({ratio:,.0f} times; a zip bomb?)",
                member=info.filename,
                expected=f"at most {MAX_RATIO} times, as publishers' files compress",
            )
    if total > MAX_UNCOMPRESSED:
        raise SourceFormatError(
            path,
            f"inflates to {total:,} bytes",
            expected=f"at most {MAX_UNCOMPRESSED:,} bytes in all members",
        )


@contextmanager
def member_stream(path: Path, member: str) -> Iterator[BoundedStream]:
    """A member of a zip as a stream of its inflated bytes, within bounds (see
    :class:`BoundedStream`); a member cut inside its last line is refused once it has been
    read (see :func:`bilateral.sources.base.incomplete`)."""
    with open_zip(path) as archive:
        try:
            stream = archive.open(member)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise damaged(path, exc, member) from None
        with stream:
            info = archive.getinfo(member)
            watched = BoundedStream(stream, path, member, limit=info.file_size)
            yield watched
            if watched.last not in (b"", b"\n", b"\r") and watched.at_end:
                raise incomplete(path, member)


def check_zip(path: Path) -> None:
    """Refuse a zip (an .xlsx workbook too) whose directory is damaged or out of bounds."""
    open_zip(path).close()


class BoundedStream:
    """A binary stream read within bounds, remembering its last byte.

    Counts the bytes read and refuses more than ``limit``, more than :data:`MAX_RATIO`
    times the ``compressed`` bytes read, or (with ``lines``) a line longer than
    :data:`MAX_LINE`; a damaged zip member or gzip stream (bad CRC, cut short) becomes a
    :class:`SourceFormatError` naming the file and member.
    """

    def __init__(
        self,
        stream: IO[bytes],
        path: Path,
        member: str | None = None,
        limit: int | None = None,
        compressed: Callable[[], int] | None = None,
        lines: bool = True,
    ) -> None:
        self._stream = stream
        self.path = path
        self.member = member
        self.limit = MAX_UNCOMPRESSED if limit is None else limit
        #: How many compressed bytes have been read so far, for a stream that inflates
        #: (gzip: no directory declares its size, so its ratio is checked as it streams).
        self._compressed = compressed
        self._lines = lines  # whether to refuse long lines (not in a JSON document)
        self.read_bytes = 0
        self.last = b""
        self.at_end = False
        self.closed = False
        self._run = 0  # bytes since the last line break

    def read(self, size: int = -1) -> bytes:
        return self._account(self._stream.read, size)

    def readline(self, size: int = -1) -> bytes:
        return self._account(self._stream.readline, size)

    def seek(self, offset: int, whence: int = 0) -> int:
        """Move in the stream (a byte-order mark looked at, then the start again)."""
        position = self._stream.seek(offset, whence)
        self.read_bytes, self._run, self.last, self.at_end = position, 0, b"", False
        return position

    def _account(self, read: Callable[[int], bytes], size: int) -> bytes:
        try:
            data = read(size)
        except (zipfile.BadZipFile, gzip.BadGzipFile, zlib.error, EOFError) as exc:
            raise damaged(self.path, exc, self.member) from None
        if not data:
            self.at_end = True
            return data
        self.last = data[-1:]
        self.read_bytes += len(data)
        if self.read_bytes > self.limit:
            raise SourceFormatError(
                self.path,
                f"inflates to more than {self.limit:,} bytes",
                member=self.member,
                expected="a file within the size its archive declares",
            )
        if self._compressed is not None and self.read_bytes > RATIO_FLOOR:
            stored = max(self._compressed(), 1)
            if self.read_bytes / stored > MAX_RATIO:
                raise SourceFormatError(
                    self.path,
                    f"inflates {stored:,} bytes to {self.read_bytes:,} and more "
                    f"({self.read_bytes / stored:,.0f} times; a zip bomb?)",
                    member=self.member,
                    expected=f"at most {MAX_RATIO} times, as publishers' files compress",
                )
        if self._lines:
            self._check_lines(data)
        return data

    def _check_lines(self, data: bytes) -> None:
        """Refuse a stretch of :data:`MAX_LINE` bytes without a line break. Windows of that
        length are looked at, not lines: a few ``find`` per block, not one per line; any
        line of twice that length or more holds a whole window and is refused."""
        first = data.find(b"\n")
        self._run += len(data) if first < 0 else first
        long = self._run > MAX_LINE
        if first >= 0 and not long:
            for start in range(first + 1, len(data) - MAX_LINE + 1, MAX_LINE):
                if data.find(b"\n", start, start + MAX_LINE) < 0:
                    long = True
                    break
            self._run = len(data) - 1 - data.rfind(b"\n")
            long = long or self._run > MAX_LINE
        if long:
            raise SourceFormatError(
                self.path,
                f"a line runs over {MAX_LINE:,} bytes without a line break "
                f"(within bytes {self.read_bytes - len(data):,}-{self.read_bytes:,})",
                member=self.member,
                expected="lines of a few fields, as the publisher writes them",
            )

    def readable(self) -> bool:
        return True
