"""Run the bilateral profile on a local standalone Spark cluster and check it against DuckDB.

Starts a Spark master and two workers (one core and a little memory each) from the
``spark-class`` launcher bundled with PySpark, all bound to 127.0.0.1 on free ports;
points bilateral at the master with ``BILATERAL_SPARK_MASTER=spark://127.0.0.1:<port>``;
runs the same Ibis workload over the same Parquet files as DuckDB does; compares the
results (row counts and column sums); prints both times; and stops the cluster.

    python bench/spark_cluster.py --store bench/data/store1 --year 2022
    python bench/spark_cluster.py --rows 200000        # builds a small store first
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from measure import measure  # noqa: E402
from summaries import disagreements  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def spark_class() -> Path:
    import pyspark

    return Path(pyspark.__file__).parent / "bin" / "spark-class"


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Spark process ended early; see {log}:\n{log.read_text()[-2000:]}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {seconds:.0f} s; see {log}")


@contextmanager
def local_cluster(
    workers: int = 2, cores: int = 1, memory: str = "1g"
) -> Iterator[tuple[str, dict[str, str]]]:
    """A standalone master and ``workers`` workers on 127.0.0.1; yields the master URL and
    the environment a driver needs. Stops exactly the processes it started."""
    scratch = Path(tempfile.mkdtemp(prefix="bilateral-spark-cluster-"))
    env = {
        **os.environ,
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_LOG_DIR": str(scratch / "logs"),
        "SPARK_WORKER_DIR": str(scratch / "work"),
        "SPARK_NO_DAEMONIZE": "1",
    }
    launcher = str(spark_class())
    port = free_port()
    master_url = f"spark://127.0.0.1:{port}"
    started: list[subprocess.Popen[bytes]] = []
    try:
        log = scratch / "master.log"
        master = subprocess.Popen(
            [
                launcher, "org.apache.spark.deploy.master.Master",
                "--host", "127.0.0.1", "--port", str(port), "--webui-port", str(free_port()),
            ],
            env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        started.append(master)
        wait_for_port(port, master, log, 90)
        for n in range(workers):
            log = scratch / f"worker-{n}.log"
            worker = subprocess.Popen(
                [
                    launcher, "org.apache.spark.deploy.worker.Worker", master_url,
                    "--host", "127.0.0.1", "--cores", str(cores), "--memory", memory,
                    "--webui-port", str(free_port()), "--work-dir", str(scratch / f"work-{n}"),
                ],
                env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
            )  # fmt: skip
            started.append(worker)
        wait_for_registration(scratch / "master.log", workers, started, 120)
        yield (
            master_url,
            {
                "BILATERAL_SPARK_MASTER": master_url,
                "SPARK_LOCAL_IP": "127.0.0.1",
            },
        )
    finally:
        for process in reversed(started):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        shutil.rmtree(scratch, ignore_errors=True)


def wait_for_registration(
    log: Path, workers: int, started: list[subprocess.Popen[bytes]], seconds: float
) -> None:
    """Wait until the master's log says every worker registered."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(p.poll() is not None for p in started):
            raise RuntimeError(f"a Spark process ended early; logs in {log.parent}")
        if log.read_text(errors="replace").count("Registering worker") >= workers:
            return
        time.sleep(0.5)
    raise RuntimeError(f"{workers} workers did not register in {seconds:.0f} s; see {log}")


def small_store(rows: int, data: Path) -> Path:
    """Synthesise a one-year release of ``rows`` rows and ingest it (for a quick check)."""
    import synth

    from bilateral.store import Store

    zip_path, _ = synth.synthesise(data, rows, [2022], log=False)
    store = data / "store"
    Store.open(store).ingest([zip_path])
    zip_path.unlink()
    return store


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--store", type=Path, help="a store to query (else --rows builds one)")
    parser.add_argument("--rows", type=int, default=200_000, help="rows of the store to build")
    parser.add_argument("--workload", default="profile")
    parser.add_argument(
        "--runner",
        choices=("bilateral", "direct"),
        default="bilateral",
        help="bilateral's API (bilateral.profile, indicators) or the hand-written queries",
    )
    parser.add_argument("--a", default="KAZ")
    parser.add_argument("--b", default="RUS")
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--worker-memory", default="1g")
    parser.add_argument("--json", type=Path, help="append the results here")
    args = parser.parse_args()
    sys.path.append(str(BENCH.parent / "src"))

    built = None
    if args.store is None:
        built = Path(tempfile.mkdtemp(prefix="bilateral-spark-store-", dir=BENCH / "data"))
        args.store = small_store(args.rows, built)
    try:
        common = {"a": args.a, "b": args.b, "year": args.year, "repeat": args.repeat}
        duck = measure(args.runner, args.workload, args.store, **common)
        started = time.perf_counter()
        with local_cluster(args.workers, 1, args.worker_memory) as (url, env):
            up = time.perf_counter() - started
            print(f"cluster up at {url} in {up:.1f} s ({args.workers} workers)")
            spark_runner = "spark-direct" if args.runner == "direct" else "spark"
            spark = measure(spark_runner, args.workload, args.store, env=env, **common)
        problems = disagreements(duck["summary"], spark["summary"])
    finally:
        if built is not None:
            shutil.rmtree(built, ignore_errors=True)
    for name, t in (("duckdb", duck), ("spark", spark)):
        extra = f", session start {t['connect_s']:.1f} s" if name == "spark" else ""
        warm = f"{t['warm_s']:.2f} s" if t.get("warm_s") is not None else "-"
        print(
            f"{name:<7} {args.workload} ({t['runner']}): cold {t['cold_s']:.2f} s, warm {warm}, "
            f"driver+JVM peak RSS {t['peak_rss_mb']:.0f} MB{extra}"
        )
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        with args.json.open("a") as f:
            record = {"benchmark": "spark_cluster", "cluster_up_s": up, "workers": args.workers}
            f.write(json.dumps({**record, "duckdb": duck, "spark": spark}) + "\n")
    if problems:
        print("Spark and DuckDB disagree:\n  " + "\n  ".join(problems))
        sys.exit(1)
    print(f"Spark on {url} and DuckDB agree on every {args.workload} figure")
    seconds = {t["runner"]: t.get("warm_s") or t["cold_s"] for t in (duck, spark)}
    print(" ".join(f"{runner}_s={value:.2f}" for runner, value in seconds.items()))


if __name__ == "__main__":
    main()
