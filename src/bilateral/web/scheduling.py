"""Which question waits for what: cached answers at once, heavy ones in bounded pools.

Every question the store answers is a :class:`~bilateral.web.workers.Job` of one kind:
``check`` (a claim check) or ``query`` (a profile, a view, a report, series, partners,
products, sanctions). Each kind has its own pool, so checks never hold up profiles, and the
server's own process answers only from memory: a question asked before, of the same
catalogue version, is answered from the cache without touching a pool.

Each kind admits at most ``size + queue`` different questions at once; the next one is
refused at once with 503 and a ``Retry-After`` estimated from the kind's recent jobs,
rather than waiting in an unbounded queue. The same question asked again while it is being
answered waits for that answer instead of running twice; the job is stopped when every
request waiting for it is gone (the clients disconnected), and when it runs past the
kind's time limit.
"""

from __future__ import annotations

import asyncio
import math
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from bilateral.store import versions
from bilateral.web.workers import Answer, Job, JobTimeout, Pool

#: Bytes of answers kept in memory, across every kind.
CACHE_BYTES = 64 * 1024 * 1024


class Busy(Exception):
    """A kind has as many questions under way and waiting as it admits."""

    def __init__(self, kind: str, retry_after: int) -> None:
        super().__init__(kind)
        self.kind = kind
        self.retry_after = retry_after


@dataclass
class Flight:
    """One job under way and how many requests wait for its answer."""

    task: asyncio.Task[Answer]
    waiting: int = 0


@dataclass
class Kind:
    """A pool, how many more questions than workers may wait for it, and what it has done."""

    pool: Pool
    queue: int
    flights: dict[Any, Flight] = field(default_factory=dict)
    recent: float = 5.0  # seconds a job of this kind has lately taken (moving average)

    def retry_after(self) -> int:
        """Seconds until a place is likely to be free: the jobs ahead, shared by the workers."""
        ahead = max(1, len(self.flights) - self.pool.size + 1)
        return max(1, math.ceil(self.recent * ahead / max(1, self.pool.size)))


class AnswerCache:
    """Finished answers per question and catalogue version, the least recent dropped first."""

    def __init__(self, limit: int = CACHE_BYTES) -> None:
        self.limit = limit
        self.size = 0
        self._answers: OrderedDict[Any, Answer] = OrderedDict()
        self.hits = 0

    def get(self, key: Any) -> Answer | None:
        found = self._answers.get(key)
        if found is not None:
            self._answers.move_to_end(key)
            self.hits += 1
        return found

    def put(self, key: Any, answer: Answer) -> None:
        if len(answer.body) > self.limit or key in self._answers:
            return
        self._answers[key] = answer
        self.size += len(answer.body)
        while self.size > self.limit:
            _, dropped = self._answers.popitem(last=False)
            self.size -= len(dropped.body)

    def keep_only(self, stamp: versions.Stamp | None) -> None:
        """Forget the answers of every other catalogue version."""
        for key in [k for k in self._answers if k[0] != stamp]:
            self.size -= len(self._answers.pop(key).body)


class Dispatcher:
    """Answers a job from the cache, by joining the same job under way, or in its pool."""

    def __init__(self, kinds: dict[str, Kind], catalogue: Path) -> None:
        self.kinds = kinds
        self.catalogue = catalogue
        self.cache = AnswerCache()
        self._stamp: versions.Stamp | None = None

    async def start(self) -> None:
        for kind in self.kinds.values():
            await kind.pool.start()

    async def stop(self) -> None:
        for kind in self.kinds.values():
            for flight in list(kind.flights.values()):
                flight.task.cancel()
            await kind.pool.stop()

    def _current(self) -> versions.Stamp | None:
        stamp = versions.stamp(self.catalogue)
        if stamp != self._stamp:
            self._stamp = stamp
            self.cache.keep_only(stamp)
        return stamp

    async def respond(self, request: Request, kind_name: str, job: Job) -> Response:
        """The HTTP answer to ``job``; refusals are 503 with ``Retry-After``."""
        try:
            result = await self.answer(request, kind_name, job)
        except Busy as busy:
            return JSONResponse(
                {
                    "detail": f"The server is answering as many {busy.kind} requests as it "
                    f"takes at once; try again in {busy.retry_after} s."
                },
                status_code=503,
                headers={"Retry-After": str(busy.retry_after)},
            )
        except asyncio.CancelledError:
            # Only a stopping server cancels a request (a client that leaves is noticed
            # above): its answer says so, rather than a traceback in the log and a 500.
            task = asyncio.current_task()
            if task is not None:
                task.uncancel()
            return JSONResponse(
                {
                    "detail": "The server is shutting down and stopped this request; try again "
                    "once it is back."
                },
                status_code=503,
                headers={"Retry-After": "10", "Connection": "close"},
            )
        except JobTimeout as limit:
            return JSONResponse(
                {
                    "detail": f"This {kind_name} took longer than the server's limit of "
                    f"{limit.args[0]:g} s and was stopped; ask a smaller question, or start "
                    "the server with a larger --time-limit."
                },
                status_code=503,
            )
        if result is None:  # the client went away; nobody reads this
            return Response(status_code=499)
        return Response(result.body, status_code=result.status, media_type=result.media_type)

    async def answer(self, request: Request, kind_name: str, job: Job) -> Answer | None:
        """The answer to ``job``, or None when the client disconnected before it came."""
        kind = self.kinds[kind_name]
        stamp = self._current()
        found = self.cache.get((stamp, job))
        if found is not None:
            return found
        flight = kind.flights.get((stamp, job))
        if flight is None:
            if len(kind.flights) >= kind.pool.size + kind.queue:
                raise Busy(kind_name, kind.retry_after())
            flight = Flight(asyncio.get_running_loop().create_task(kind.pool.run(job)))
            kind.flights[(stamp, job)] = flight
            flight.task.add_done_callback(lambda task: self._landed(kind, stamp, job, task))
        flight.waiting += 1
        gone = asyncio.get_running_loop().create_task(disconnected(request))
        try:
            await asyncio.wait({flight.task, gone}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            gone.cancel()
            flight.waiting -= 1
            if flight.waiting == 0 and not flight.task.done():
                flight.task.cancel()  # nobody waits for it any more: stop the work
        if not flight.task.done():
            return None
        return flight.task.result()

    def _landed(self, kind: Kind, stamp: Any, job: Job, task: asyncio.Task[Answer]) -> None:
        kind.flights.pop((stamp, job), None)
        if task.cancelled() or task.exception() is not None:
            return
        result = task.result()
        kind.recent = 0.7 * kind.recent + 0.3 * result.seconds
        if result.status < 500:  # a 404 or 422 is as lasting as the figures
            self.cache.put((result.stamp, job), result)


async def disconnected(request: Request) -> None:
    """Return when the client has closed its connection (the body, if any, is read)."""
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return
