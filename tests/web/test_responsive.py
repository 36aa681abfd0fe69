"""A responsive server (issue 16, requirement 6), as a process of its own with worker
processes: heavy work never holds up cheap answers; each kind of request is bounded and
refused with 503 and Retry-After beyond that; a job past its time limit or abandoned by its
client is stopped (its worker process killed); SIGTERM stops the server cleanly (exit 0);
claim checks are cached per text and store version.

The claim checker here is :func:`tests.web_checkers.scripted`, steered by the text: a
``spin`` keeps a worker busy with pure Python until told to stop.
"""

from __future__ import annotations

import signal
import threading
from pathlib import Path

import httpx
import pytest

from bilateral.store import Store
from tests.bns_workbook import write_bns_xls
from tests.live_server import alive, output_of, server_process, wait_until

KAZ_RUS = {"reporter": "KAZ", "partner": "RUS", "year": 2022}


class Pending:
    """A request answered in a background thread: ``response`` once it came back."""

    def __init__(self, method: str, url: str, timeout: float = 300, **kwargs: object) -> None:
        self.response: httpx.Response | None = None
        self.error: BaseException | None = None

        def send() -> None:
            try:
                self.response = httpx.request(method, url, timeout=timeout, **kwargs)  # type: ignore[arg-type]
            except BaseException as exc:  # noqa: BLE001 - the test looks at it
                self.error = exc

        self.thread = threading.Thread(target=send, daemon=True)
        self.thread.start()

    def done(self) -> bool:
        return not self.thread.is_alive()

    def result(self, bound: float = 120) -> httpx.Response:
        self.thread.join(bound)
        assert self.response is not None, self.error
        return self.response


def spin(base: str, pidfile: Path, seconds: float = 600, timeout: float = 300) -> Pending:
    """A check that keeps its worker busy until ``pidfile``.stop exists (or ``seconds``)."""
    return Pending("POST", f"{base}/api/check", timeout, json={"text": f"spin {pidfile} {seconds}"})


def running(pidfile: Path) -> int:
    """The worker process spinning for ``pidfile``, once it has started."""
    wait_until(
        lambda: pidfile.exists() and pidfile.read_text() != "", 180, what=f"{pidfile} written"
    )
    return int(pidfile.read_text())


def ready(base: str) -> None:
    """Once a check has been answered, the check worker has started: the next one runs at
    once rather than waiting for the worker process to come up."""
    httpx.post(f"{base}/api/check", json={"text": "ready?"}, timeout=120).raise_for_status()


def release(pidfile: Path) -> None:
    pidfile.with_name(pidfile.name + ".stop").touch()


def test_cheap_answers_and_new_profiles_do_not_wait_behind_checks(bns_store, tmp_path):
    with server_process(bns_store, workers=1) as (base, _):
        first = httpx.get(f"{base}/api/profile", params=KAZ_RUS, timeout=120)
        assert first.status_code == 200
        ready(base)
        checks = [spin(base, tmp_path / f"spin{i}") for i in range(3)]
        wait_until(  # one check runs, two wait for the check worker
            lambda: any((tmp_path / f"spin{i}").exists() for i in range(3)), 180, "a check runs"
        )
        cached = httpx.get(f"{base}/api/profile", params=KAZ_RUS, timeout=120)
        assert cached.status_code == 200 and cached.content == first.content
        for path in ("/", "/static/dashboard.js", "/api/countries?q=kaz", "/api/sources"):
            assert httpx.get(base + path, timeout=120).status_code == 200, path
        new = httpx.get(f"{base}/api/profile", params={**KAZ_RUS, "year": 2021}, timeout=120)
        assert new.status_code == 200 and new.json()["year"] == 2021
        assert not any(check.done() for check in checks), "the checks should still be running"
        for i in range(3):
            release(tmp_path / f"spin{i}")
        assert [check.result().status_code for check in checks] == [200, 200, 200]


def test_a_kind_beyond_its_bound_is_refused_with_retry_after(bns_store, tmp_path):
    with server_process(bns_store, workers=1, queue=0) as (base, _):
        ready(base)
        under_way = spin(base, tmp_path / "a")
        running(tmp_path / "a")
        refused = httpx.post(f"{base}/api/check", json={"text": "second"}, timeout=60)
        assert refused.status_code == 503
        assert int(refused.headers["retry-after"]) >= 1
        assert "try again in" in refused.json()["detail"]
        assert refused.headers["x-content-type-options"] == "nosniff"
        profile = httpx.get(f"{base}/api/profile", params=KAZ_RUS, timeout=120)
        assert profile.status_code == 200, "another kind is not refused"
        release(tmp_path / "a")
        assert under_way.result().status_code == 200
        again = httpx.post(f"{base}/api/check", json={"text": "second"}, timeout=60)
        assert again.status_code == 200


def test_a_check_past_the_time_limit_is_stopped_and_its_worker_replaced(bns_store, tmp_path):
    with server_process(bns_store, workers=1, time_limit=3) as (base, _):
        ready(base)
        check = spin(base, tmp_path / "long")
        pid = running(tmp_path / "long")
        answer = check.result()
        assert answer.status_code == 503
        assert "longer than the server's limit of 3 s" in answer.json()["detail"]
        wait_until(lambda: not alive(pid), what=f"worker {pid} killed")
        after = httpx.post(f"{base}/api/check", json={"text": "next"}, timeout=120)
        assert after.status_code == 200 and after.json()["claims"][0]["pid"] != pid


def test_a_client_that_goes_away_frees_its_worker(bns_store, tmp_path):
    with server_process(bns_store, workers=1) as (base, process):
        ready(base)
        check = spin(base, tmp_path / "gone", timeout=3)  # the client gives up after 3 s
        pid = running(tmp_path / "gone")
        check.thread.join(60)
        assert isinstance(check.error, httpx.ReadTimeout)
        wait_until(lambda: not alive(pid), what=f"worker {pid} killed after the disconnect")
        after = httpx.post(f"{base}/api/check", json={"text": "next"}, timeout=120)
        assert after.status_code == 200 and after.json()["claims"][0]["pid"] != pid
        assert process.poll() is None


def test_the_same_text_waiting_twice_runs_once(bns_store, tmp_path):
    with server_process(bns_store, workers=1, queue=0) as (base, _):
        ready(base)
        text = {"text": f"spin {tmp_path / 'shared'} 600"}
        both = [Pending("POST", f"{base}/api/check", json=text) for _ in range(2)]
        running(tmp_path / "shared")
        release(tmp_path / "shared")
        answers = [p.result() for p in both]
        assert [a.status_code for a in answers] == [200, 200]  # queue=0: not a second job
        assert answers[0].content == answers[1].content


@pytest.mark.parametrize(
    ("spin_seconds", "expected"),
    [
        pytest.param(2, 200, id="a-job-within-the-bound-finishes"),
        pytest.param(600, 503, id="a-job-past-the-bound-is-stopped"),
    ],
)
def test_sigterm_stops_the_server_cleanly(bns_store, tmp_path, spin_seconds, expected):
    with server_process(bns_store, workers=1, shutdown_timeout=10) as (base, process):
        ready(base)
        check = spin(base, tmp_path / "job", seconds=spin_seconds)
        pid = running(tmp_path / "job")
        process.send_signal(signal.SIGTERM)
        assert process.wait(120) == 0, output_of(process)
        answer = check.result()
        assert answer.status_code == expected
        if expected == 503:
            assert "shutting down" in answer.json()["detail"] and "retry-after" in answer.headers
        wait_until(lambda: not alive(pid), what=f"worker {pid} gone")
        with pytest.raises(httpx.TransportError):
            httpx.get(f"{base}/api/countries", timeout=5)
        log = output_of(process)
        assert "Traceback" not in log


def test_workers_end_with_a_server_killed_outright(bns_store, tmp_path):
    with server_process(bns_store, workers=1) as (base, process):
        ready(base)
        spin(base, tmp_path / "orphan", timeout=5)
        pid = running(tmp_path / "orphan")
        process.kill()
        process.wait(30)
        wait_until(lambda: not alive(pid), what=f"worker {pid} ended with its server")


def bns_workbook(folder: Path, name: str, russia: float) -> Path:
    folder.mkdir(exist_ok=True)
    rows = [
        ["Всего", 20.0 + russia, 100, russia, 100, 20.0, 100],
        ["Россия", 20.0 + russia, 100, russia, 100, 20.0, 100],
    ]
    write_bns_xls(folder / name, rows, sheet="2022")
    return folder / name


def test_checks_are_cached_per_text_and_store_version(tmp_path):
    root = tmp_path / "store"
    store = Store.open(root)
    store.ingest([bns_workbook(tmp_path / "a", "bns_a.xls", 5.0)])
    calls = tmp_path / "calls.txt"

    def count() -> int:
        return len(calls.read_text().splitlines()) if calls.exists() else 0

    with server_process(root, workers=1) as (base, _):

        def check(text: str) -> int:
            answer = httpx.post(f"{base}/api/check", json={"text": text}, timeout=120)
            assert answer.status_code == 200
            return count()

        text = f"count {calls}"
        assert check(text) == 1
        assert check(text) == 1, "the same text on the same store is answered from the cache"
        assert check(text + " again") == 2, "another text is checked"
        store.ingest([bns_workbook(tmp_path / "b", "bns_b.xls", 7.0)])
        assert check(text) == 3, "a new store version checks the text again"
        assert check(text) == 3
