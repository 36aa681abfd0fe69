"""Writing the parts of an ingest as Parquet on two more threads, while the reader parses
the next part: a three-stage pipeline.

Parsing a part (Arrow's CSV reader, code lookups), preparing the one before (encoding
text, sorting) and writing the one before that (compressing, writing) all run mostly in
Arrow's and NumPy's C++ code, outside Python's lock, so they overlap on two cores. Each
stage holds one part at most, so memory holds three parts, never the whole file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from types import TracebackType

#: What writing one file gives: (sha256, source, year, path, rows).
Written = tuple[str, str, int, str, int]
#: A part prepared: one function per file still to write.
Prepare = Callable[[], Iterable[Callable[[], Written]]]


class PartWriter:
    """Prepares each part on one worker thread and writes its files on another, in order.

    Use as a context manager. :meth:`submit` hands over a part (waiting until the part
    before it is prepared); :meth:`finish` waits for everything and returns what was
    written. An error in either stage is raised by the next :meth:`submit` or
    :meth:`finish`; leaving the block waits for both workers, so nothing is still being
    written when the caller removes the staging directory.
    """

    def __init__(self) -> None:
        self._preparing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bilateral-sort")
        self._writing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bilateral-write")
        self._prepared: Future[None] | None = None
        self._queued: list[Future[Written]] = []  # touched by the preparing thread only
        self.written: list[Written] = []

    def __enter__(self) -> PartWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._preparing.shutdown(wait=True, cancel_futures=True)
        self._writing.shutdown(wait=True, cancel_futures=True)

    def submit(self, prepare: Prepare) -> None:
        """Prepare a part once the one before it is prepared, then queue its files."""
        self._wait_prepared()
        self._prepared = self._preparing.submit(self._prepare_and_queue, prepare)

    def finish(self) -> list[Written]:
        """Wait until every part handed over is written; everything written so far."""
        self._wait_prepared()
        self._collect()
        return self.written

    def _wait_prepared(self) -> None:
        if self._prepared is not None:
            prepared, self._prepared = self._prepared, None
            prepared.result()

    def _prepare_and_queue(self, prepare: Prepare) -> None:
        files = list(prepare())
        self._collect()  # the part before is written: at most one part waits for the writer
        self._queued = [self._writing.submit(write) for write in files]

    def _collect(self) -> None:
        queued, self._queued = self._queued, []
        self.written.extend(future.result() for future in queued)
