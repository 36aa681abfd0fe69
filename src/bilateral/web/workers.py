"""Heavy questions answered where they can be stopped: worker processes, or threads.

A claim check or a new profile costs seconds of Python and DuckDB. Answered in the
server's own process it would hold the interpreter lock and the one DuckDB connection that
cheap answers need, and an abandoned one could not be stopped: Python cannot kill a
thread. A :class:`ProcessPool` keeps a few worker processes, each with its own read-only
store; a job whose client has gone, or that runs past its time limit, is stopped by
killing its process, and a fresh one takes its place. A :class:`ThreadPool` answers the
same jobs in this process (an embedded app, an in-process test client): it can stop
waiting for a job, never the job itself.

Either way a job's answer is a finished HTTP body, validated against the route's model
where it was computed, so the server's own process only moves bytes.
"""

from __future__ import annotations

import asyncio
import json
import logging
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, Protocol

from pydantic import TypeAdapter

from bilateral.errors import BilateralError
from bilateral.report.verdicts import Checker
from bilateral.store.versions import Stamp
from bilateral.web import models
from bilateral.web.access import ReadOnlyStore
from bilateral.web.safety import INTERNAL_ERROR, status_of

log = logging.getLogger("bilateral.web")

#: The model each question's answer is checked against, as FastAPI would with the route's
#: ``response_model``; None: the answer is HTML text.
ANSWER_TYPES: dict[str, Any] = {
    "profile": models.Profile,
    "view": models.View,
    "series": list[models.SeriesRow],
    "partners": list[models.PartnerRow],
    "products": models.Products,
    "sanctions": dict[str, Any],
    "check": models.CheckResult,
    "report_html": None,
}
_ADAPTERS = {name: TypeAdapter(kind) for name, kind in ANSWER_TYPES.items() if kind is not None}


@dataclass(frozen=True)
class Job:
    """One question: a method of :class:`ReadOnlyStore` and its arguments (hashable, so
    the same question can share one answer)."""

    method: str
    args: tuple[Any, ...] = ()
    options: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True)
class Answer:
    """A finished body, its status and type, and the catalogue version it came from."""

    status: int
    body: bytes
    media_type: str = "application/json"
    stamp: Stamp | None = None
    seconds: float = 0.0


def error_answer(status: int, detail: str) -> Answer:
    return Answer(status, json.dumps({"detail": detail}).encode())


def answer(reader: ReadOnlyStore, job: Job) -> Answer:
    """Run ``job`` on ``reader``; our own errors become their status and sentence, anything
    else a 500 with a fixed sentence (the traceback goes to the log)."""
    started = time.perf_counter()
    try:
        value = getattr(reader, job.method)(*job.args, **dict(job.options))
        adapter = _ADAPTERS.get(job.method)
        if adapter is None:
            body, media = str(value).encode("utf-8"), "text/html; charset=utf-8"
        else:
            body, media = adapter.dump_json(adapter.validate_python(value)), "application/json"
        result = Answer(200, body, media, reader.store.version().stamp)
    except BilateralError as error:
        result = error_answer(status_of(error), str(error))
    except Exception:
        log.exception("Unexpected error answering %s", job.method)
        result = error_answer(500, INTERNAL_ERROR)
    return Answer(
        result.status,
        result.body,
        result.media_type,
        result.stamp,
        time.perf_counter() - started,
    )


class JobTimeout(Exception):
    """A job ran past its pool's time limit and was stopped (or, in a thread, abandoned)."""


class Pool(Protocol):
    """Where one kind of question is answered: ``size`` at a time, each within ``limit``."""

    name: str
    size: int
    limit: float

    async def start(self) -> None: ...

    async def run(self, job: Job) -> Answer: ...

    async def stop(self) -> None: ...


class ThreadPool:
    """Jobs in threads of this process, on one shared reader (one query at a time).

    A job past its time limit is abandoned, not stopped: it still holds the reader until it
    ends. This is how the server worked before the worker processes, and what an app
    created for an in-process test client uses.
    """

    def __init__(self, name: str, reader: ReadOnlyStore, size: int, limit: float) -> None:
        self.name = name
        self.reader = reader
        self.size = size
        self.limit = limit

    async def start(self) -> None:
        return None

    async def run(self, job: Job) -> Answer:
        try:
            async with asyncio.timeout(self.limit):
                return await asyncio.to_thread(answer, self.reader, job)
        except TimeoutError:
            raise JobTimeout(self.limit) from None

    async def stop(self) -> None:
        return None


def _exit_with(parent: int) -> None:
    """A worker outlives no parent (one killed with SIGKILL cannot stop its workers)."""
    while True:
        if os.getppid() != parent:
            os._exit(0)
        time.sleep(1.0)


def serve_jobs(
    connection: Connection, store_path: str | None, checker: Checker | None, parent: int
) -> None:
    """A worker process's life: open the store, say ready, answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server decides when its workers stop
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    threading.Thread(target=_exit_with, args=(parent,), daemon=True).start()
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING)
    try:
        reader = ReadOnlyStore(store_path, checker=checker)
        reader.store.version()
    except Exception as error:  # reported to the server, which logs it
        connection.send(("failed", "".join(traceback.format_exception_only(error)).strip()))
        return
    connection.send(("ready", os.getpid()))
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(answer(reader, job))


@dataclass(eq=False)
class Worker:
    process: multiprocessing.process.BaseProcess
    connection: Connection
    pid: int = 0
    jobs: int = field(default=0)


async def _receive(connection: Connection) -> Any:
    """The next object on ``connection``, waiting in the event loop rather than a thread."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    fd = connection.fileno()

    def readable() -> None:
        loop.remove_reader(fd)
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, readable)
    try:
        await ready
    finally:
        loop.remove_reader(fd)
    return connection.recv()


class ProcessPool:
    """``size`` worker processes (started with ``spawn``: no state shared with the server),
    each answering one job at a time from its own read-only store.

    A job that runs past ``limit`` seconds or whose caller is cancelled (its client went
    away, the server is shutting down) is stopped by killing its worker, which a new one
    replaces; the time from the decision to the process being gone is logged.
    """

    def __init__(
        self,
        name: str,
        store_path: str | Path | None,
        size: int,
        limit: float,
        checker: Checker | None = None,
    ) -> None:
        if checker is not None:
            try:
                pickle.dumps(checker)
            except (pickle.PicklingError, AttributeError, TypeError) as error:
                raise BilateralError(
                    f"The checker {checker!r} cannot be sent to a worker process ({error}); "
                    "give a function defined at the top of a module, or use workers=0."
                ) from None
        self.name = name
        self.store_path = None if store_path is None else str(store_path)
        self.size = size
        self.limit = limit
        self.checker = checker
        self._context = multiprocessing.get_context("spawn")
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._workers: set[Worker] = set()
        self._starting: set[asyncio.Task[None]] = set()
        self._stopping = False
        #: Seconds from deciding to stop a job to its process being gone, latest last.
        self.kills: list[float] = []

    @property
    def pids(self) -> list[int]:
        """The worker processes now alive (for tests and the benchmark)."""
        return sorted(w.pid for w in self._workers if w.pid)

    async def start(self) -> None:
        self._idle = asyncio.Queue()
        for _ in range(self.size):
            self._spawn()

    def _spawn(self) -> None:
        if self._stopping:
            return
        mine, theirs = self._context.Pipe()
        process = self._context.Process(
            target=serve_jobs,
            args=(theirs, self.store_path, self.checker, os.getpid()),
            name=f"bilateral-{self.name}",
            daemon=True,
        )
        process.start()
        theirs.close()
        worker = Worker(process, mine)
        self._workers.add(worker)
        task = asyncio.get_running_loop().create_task(self._welcome(worker))
        self._starting.add(task)
        task.add_done_callback(self._starting.discard)

    async def _welcome(self, worker: Worker) -> None:
        try:
            message = await _receive(worker.connection)
        except (EOFError, OSError):
            message = ("failed", "the worker process ended while starting")
        if message[0] != "ready":
            log.error("A %s worker could not start: %s", self.name, message[1])
            await self._kill(worker)
            return
        worker.pid = message[1]
        self._idle.put_nowait(worker)

    async def run(self, job: Job) -> Answer:
        worker = await self._idle.get()
        try:
            worker.connection.send(job)
            async with asyncio.timeout(self.limit):
                result: Answer = await _receive(worker.connection)
        except TimeoutError:
            await self._replace(worker, f"past its limit of {self.limit:g} s")
            raise JobTimeout(self.limit) from None
        except asyncio.CancelledError:
            await asyncio.shield(
                self._replace(worker, "its client went away or the server is stopping")
            )
            raise
        except (EOFError, OSError):  # the worker died under the job (out of memory, a kill)
            log.error("A %s worker ended during %s; starting another", self.name, job.method)
            await self._replace(worker, "it ended")
            return error_answer(500, INTERNAL_ERROR)
        worker.jobs += 1
        self._idle.put_nowait(worker)
        return result

    async def _replace(self, worker: Worker, why: str) -> None:
        started = time.perf_counter()
        await self._kill(worker)
        self.kills.append(time.perf_counter() - started)
        log.warning(
            "Stopped a %s job (%s): worker %s gone in %.3f s",
            self.name,
            why,
            worker.pid,
            self.kills[-1],
        )
        self._spawn()

    async def _kill(self, worker: Worker) -> None:
        self._workers.discard(worker)
        worker.process.kill()
        await asyncio.to_thread(worker.process.join, 10)
        worker.connection.close()

    async def stop(self) -> None:
        """Kill every worker (a job still running was given the server's shutdown bound)."""
        self._stopping = True
        for task in list(self._starting):
            task.cancel()
        for worker in list(self._workers):
            await self._kill(worker)
