"""Load on a live server, on the loopback interface only: cached profiles while claim
checks run, and new profiles; requests per second and p50/p95/p99 per kind of request.

For each server under test (``--servers``), the script starts ``bilateral serve`` on a free
port of 127.0.0.1 over ``--store``, then:

1. asks the cached pair once (so it is cached) and waits for a check to be answered (so
   the check workers are up);
2. **checks**: ``--checks`` texts at once (the articles in ``--articles``, each a different
   text, so none is answered from the cache), while ``--readers`` threads ask the cached
   profile over and over and one thread asks profiles of pairs and years not asked before;
   the phase ends when the last check is answered;
3. **new profiles**: ``--new`` more pairs and years never asked before, two at a time, with
   nothing else running.

Every request is bounded (``--timeout``) and the whole run too (each phase stops asking
once ``--phase-limit`` seconds pass). Servers: ``processes`` (worker processes, the default
of ``bilateral serve``), ``threads`` (``--workers 0``: the jobs in threads of the server's
process), or a path to another checkout's ``src`` (its ``bilateral serve`` with its own
defaults: the code before a change).

    python bench/load.py --store STORE --servers processes,threads,../main/src
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT.parent / "shared" / "articles" / "dev"
CACHED = {"reporter": "KAZ", "partner": "RUS", "year": 2022}
REPORTERS = ("KAZ", "RUS", "ARM")
PARTNERS = ("CHN", "DEU", "TUR", "UZB", "KGZ", "BLR", "ITA", "USA", "IND", "KOR", "FRA", "POL")
YEARS = (2023, 2021, 2020, 2019)


@dataclass
class Timings:
    """Latencies (seconds) and statuses of one kind of request in one phase."""

    seconds: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    failures: int = 0  # no answer at all (timeout, connection refused)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, seconds: float, status: int | None) -> None:
        with self.lock:
            if status is None:
                self.failures += 1
            else:
                self.seconds.append(seconds)
                self.statuses[status] += 1

    def summary(self, wall: float) -> dict[str, object]:
        ordered = sorted(self.seconds)

        def pct(p: float) -> float | None:
            if not ordered:
                return None
            return round(ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))], 4)

        return {
            "requests": len(ordered) + self.failures,
            "per_second": round(len(ordered) / wall, 2) if wall else None,
            "p50": pct(50),
            "p95": pct(95),
            "p99": pct(99),
            "max": round(ordered[-1], 4) if ordered else None,
            "mean": round(statistics.fmean(ordered), 4) if ordered else None,
            "statuses": dict(sorted(self.statuses.items())),
            "no_answer": self.failures,
            "server_errors": sum(n for s, n in self.statuses.items() if s >= 500),
        }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start(server: str, store: Path, port: int, log: Path) -> subprocess.Popen[bytes]:
    """``bilateral serve`` of this checkout (``processes``, ``threads``) or of another."""
    src = ROOT / "src"
    extra: list[str] = []
    if server == "threads":
        extra = ["--workers", "0"]
    elif server != "processes":
        src = Path(server).resolve()
    env = {**os.environ, "PYTHONPATH": str(src), "BILATERAL_STORE": str(store)}
    command = [sys.executable, "-c", "from bilateral.cli import app; app()"]
    args = ["serve", "--host", "127.0.0.1", "--port", str(port), *extra]
    with log.open("wb") as out:
        return subprocess.Popen([*command, *args], env=env, stdout=out, stderr=subprocess.STDOUT)


def request(
    client: httpx.Client, timings: Timings, method: str, url: str, **kwargs: object
) -> int | None:
    started = time.perf_counter()
    try:
        response = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError:
        timings.add(time.perf_counter() - started, None)
        return None
    timings.add(time.perf_counter() - started, response.status_code)
    return response.status_code


def new_questions() -> itertools.product[tuple[str, str, int]]:
    return itertools.product(REPORTERS, PARTNERS, YEARS)


def run_server(server: str, args: argparse.Namespace, texts: list[str]) -> dict[str, object]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = args.out.with_suffix(f".{Path(server).name}.log")
    process = start(server, args.store, port, log)
    timeout = httpx.Timeout(args.timeout, connect=10)
    result: dict[str, object] = {"server": server}
    try:
        started = time.perf_counter()
        with httpx.Client(base_url=base, timeout=timeout) as client:
            while True:
                try:
                    client.get("/api/countries", params={"limit": 1})
                    break
                except httpx.TransportError:
                    if process.poll() is not None or time.perf_counter() - started > 120:
                        raise RuntimeError(f"{server}: no server, see {log}") from None
                    time.sleep(0.2)
            warm = Timings()
            request(client, warm, "GET", "/api/profile", params=CACHED)
            request(client, warm, "POST", "/api/check", json={"text": "Turnover grew."})
            result["warm_up"] = warm.summary(time.perf_counter() - started)

        questions = new_questions()
        result["checks_phase"] = checks_phase(base, timeout, args, texts, questions)
        result["new_profiles_phase"] = new_profiles_phase(base, timeout, args, questions)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            result["exit_code"] = process.wait(60)
        except subprocess.TimeoutExpired:
            process.kill()
            result["exit_code"] = "killed after 60 s"
    return result


def checks_phase(
    base: str,
    timeout: httpx.Timeout,
    args: argparse.Namespace,
    texts: list[str],
    questions: itertools.product[tuple[str, str, int]],
) -> dict[str, object]:
    checks, cached, new = Timings(), Timings(), Timings()
    stop = threading.Event()
    began = time.perf_counter()

    def check(text: str) -> None:
        with httpx.Client(base_url=base, timeout=timeout) as client:
            request(client, checks, "POST", "/api/check", json={"text": text})

    def read_cached() -> None:
        with httpx.Client(base_url=base, timeout=timeout) as client:
            while not stop.is_set() and time.perf_counter() - began < args.phase_limit:
                request(client, cached, "GET", "/api/profile", params=CACHED)
                time.sleep(args.pause)

    def ask_new() -> None:
        with httpx.Client(base_url=base, timeout=timeout) as client:
            for a, b, year in questions:
                if stop.is_set() or time.perf_counter() - began > args.phase_limit:
                    return
                params = {"reporter": a, "partner": b, "year": year}
                request(client, new, "GET", "/api/profile", params=params)

    checkers = [threading.Thread(target=check, args=(t,)) for t in texts[: args.checks]]
    others = [threading.Thread(target=read_cached) for _ in range(args.readers)]
    others.append(threading.Thread(target=ask_new))
    for thread in [*checkers, *others]:
        thread.start()
    for thread in checkers:
        thread.join()
    wall = time.perf_counter() - began
    stop.set()
    for thread in others:
        thread.join()
    return {
        "seconds": round(wall, 2),
        "checks": checks.summary(wall),
        "cached_profile": cached.summary(wall),
        "new_profile": new.summary(wall),
    }


def new_profiles_phase(
    base: str,
    timeout: httpx.Timeout,
    args: argparse.Namespace,
    questions: itertools.product[tuple[str, str, int]],
) -> dict[str, object]:
    new = Timings()
    lock = threading.Lock()
    began = time.perf_counter()
    asked = itertools.islice(questions, args.new)

    def ask() -> None:
        with httpx.Client(base_url=base, timeout=timeout) as client:
            while time.perf_counter() - began < args.phase_limit:
                with lock:
                    question = next(asked, None)
                if question is None:
                    return
                a, b, year = question
                params = {"reporter": a, "partner": b, "year": year}
                request(client, new, "GET", "/api/profile", params=params)

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {"seconds": round(wall, 2), "new_profile": new.summary(wall)}


def machine() -> dict[str, object]:
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "cpus": os.cpu_count(),
        "cpu": model,
        "python": platform.python_version(),
        "load_before": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, required=True)
    parser.add_argument("--servers", default="processes,threads")
    parser.add_argument("--articles", type=Path, default=ARTICLES)
    parser.add_argument("--checks", type=int, default=12)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--pause", type=float, default=0.05, help="between a reader's asks")
    parser.add_argument("--new", type=int, default=24, help="new profiles in the last phase")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--phase-limit", type=float, default=900)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = parser.parse_args()
    texts = [p.read_text(encoding="utf-8") for p in sorted(args.articles.glob("*.txt"))]
    if len(texts) < args.checks:
        parser.error(f"{args.articles} holds {len(texts)} texts; --checks asks {args.checks}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    results = {"machine": machine(), "store": str(args.store), "argv": sys.argv[1:], "runs": []}
    for server in args.servers.split(","):
        run = run_server(server, args, texts)
        run["load_after"] = os.getloadavg()
        results["runs"].append(run)  # type: ignore[attr-defined]
        print(json.dumps(run, indent=1))
        args.out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
