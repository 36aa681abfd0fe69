"""How far a long read has got: rows read, share of the file, and the time it will still take.

An 11-million-row BACI year takes minutes to ingest; a name alone on the screen does not
say whether to wait or to go for coffee. Readers that stream a file in parts say after each
part what share of the file's bytes they have read (:attr:`bilateral.sources.base.
ReadResult.progress`); :class:`ReadProgress` turns that and the clock into a line such as
``BACI_HS22_Y2022_V202501.csv: 4,000,000 rows read, 36%, about 1 min 45 s left``. The
estimate assumes the rest of the file reads at the pace of what has been read so far.

This module imports only the standard library.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


def format_duration(seconds: float) -> str:
    """A time left as people say it: '8 s', '1 min 45 s', '2 h 05 min'.

    >>> format_duration(7.6), format_duration(105), format_duration(7500)
    ('8 s', '1 min 45 s', '2 h 05 min')
    """
    whole = max(0, round(seconds))
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        minutes, rest = divmod(whole, 60)
        return f"{minutes} min {rest:02d} s" if rest else f"{minutes} min"
    hours, rest = divmod(whole, 3600)
    return f"{hours} h {rest // 60:02d} min"


def time_left(fraction: float | None, elapsed: float) -> float | None:
    """Seconds still needed when ``fraction`` of the work took ``elapsed`` seconds, or None
    when nothing can be said yet (no share known, or none done).

    >>> time_left(0.25, 30.0), time_left(1.0, 30.0), time_left(None, 30.0), time_left(0.0, 1.0)
    (90.0, 0.0, None, None)
    """
    if fraction is None or fraction <= 0:
        return None
    return elapsed * (1.0 - min(fraction, 1.0)) / min(fraction, 1.0)


def describe(name: str, rows: int, fraction: float | None, elapsed: float) -> str:
    """One line of progress: the file, rows read and, where known, share and time left.

    >>> describe("BACI_HS22_Y2022_V202501.csv", 4_000_000, 0.36, 59.0)
    'BACI_HS22_Y2022_V202501.csv: 4,000,000 rows read, 36%, about 1 min 45 s left'
    >>> describe("kz.xls", 1_204, None, 2.0)
    'kz.xls: 1,204 rows read'
    """
    line = f"{name}: {rows:,} rows read"
    if fraction is None:
        return line
    left = time_left(fraction, elapsed)
    line += f", {min(fraction, 1.0):.0%}"
    return line + (f", about {format_duration(left)} left" if left else "")


@dataclass
class ReadProgress:
    """The progress of one ingest, file by file: feed it each part's rows and share read,
    and it hands each new line to ``show``.

    ``clock`` is :func:`time.monotonic` but for tests. Each file's time left is measured
    from when its first part was asked for (:meth:`start`).
    """

    show: Callable[[str], None]
    clock: Callable[[], float] = time.monotonic
    _started: float = field(default=0.0, init=False)

    def start(self, path: Path) -> None:
        """A new file is being read: its clock starts now."""
        self._started = self.clock()

    def update(self, path: Path, rows: int, fraction: float | None) -> None:
        """``rows`` read of ``path`` so far, ``fraction`` of its bytes (None if unknown)."""
        self.show(describe(path.name, rows, fraction, self.clock() - self._started))
