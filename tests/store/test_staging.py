"""The ingest's write pipeline: parts prepared and written on two threads, in order, at
most one part waiting for each stage, and any error raised to the reader's thread."""

from __future__ import annotations

import threading
import time

import pytest

from bilateral.store.staging import PartWriter, Written


def part(number: int, log: list[str], in_flight: list[int], most: list[int]):
    """A part whose preparing and writing are logged, and that counts how many parts are
    held (prepared or being prepared, not yet written) at once."""

    def write() -> Written:
        time.sleep(0.02)  # a slow disk: the writer is the bottleneck
        log.append(f"write {number}")
        in_flight[0] -= 1
        return ("sha", "baci", 2000 + number, f"part-{number}", number)

    def prepare():
        in_flight[0] += 1
        most[0] = max(most[0], in_flight[0])
        log.append(f"prepare {number} on {threading.current_thread().name}")
        return [write]

    return prepare


def test_parts_are_written_in_order_off_the_reading_thread():
    log: list[str] = []
    in_flight, most = [0], [0]
    with PartWriter() as writer:
        for number in range(6):
            writer.submit(part(number, log, in_flight, most))
        written = writer.finish()
    assert [w[3] for w in written] == [f"part-{n}" for n in range(6)]
    assert [line for line in log if line.startswith("write")] == [f"write {n}" for n in range(6)]
    preparing = {line.split(" on ")[1] for line in log if line.startswith("prepare")}
    assert preparing and threading.current_thread().name not in preparing
    # one part being written, one waiting for the writer, one being prepared
    assert most[0] <= 3


def test_a_failing_write_is_raised_to_the_reader_and_stops_the_rest():
    log: list[str] = []

    def broken() -> Written:
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"), PartWriter() as writer:
        writer.submit(lambda: [broken])
        for number in range(1, 20):
            writer.submit(part(number, log, [0], [0]))
        writer.finish()
    assert len([line for line in log if line.startswith("write")]) < 19


def test_a_failing_preparation_is_raised_by_the_next_submit():
    def broken():
        raise ValueError("cannot sort")

    with pytest.raises(ValueError, match="cannot sort"), PartWriter() as writer:
        writer.submit(broken)
        writer.submit(lambda: [])
