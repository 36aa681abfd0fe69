"""A command imports only what it uses: help and ``sources`` load no query engine.

Every command is a new process, so what it imports it pays for each time (issue 14:
``bilateral --help`` took 2.7 s, most of it importing pandas, Ibis, Altair and FastAPI).
Each row runs the command in a fresh Python and lists the modules it holds at the end;
it asserts which are absent, never how long anything took.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

#: Runs the command line in this process with the arguments after the first, then writes
#: the names of the top-level packages it imported to the file named first.
PROBE = """
import json, sys
from bilateral.cli import app
try:
    app(args=sys.argv[2:])
except SystemExit:
    pass
with open(sys.argv[1], "w") as f:
    json.dump(sorted({name.split(".")[0] for name in sys.modules}), f)
"""

def modules_imported(
    probe: str, args: list[str], env: dict[str, str], listing: Path, timeout: int
) -> set[str]:
    """The modules the command line imports with ``args``, in a fresh Python running
    ``probe`` (which writes them to ``listing``) within ``timeout`` seconds."""
    done = subprocess.run(
        [sys.executable, "-c", probe, str(listing), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stderr
    return set(json.loads(listing.read_text()))


#: What answering a question needs, and only that.
ENGINE = {"ibis", "sqlglot", "pandas", "numpy", "pyarrow"}
SERVING = {"altair", "fastapi", "uvicorn", "starlette", "jinja2", "vl_convert"}


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        pytest.param(["--help"], ENGINE | SERVING | {"duckdb"}, id="help"),
        pytest.param(["profile", "--help"], ENGINE | SERVING | {"duckdb"}, id="profile-help"),
        pytest.param(["check", "--help"], ENGINE | SERVING | {"duckdb"}, id="check-help"),
        pytest.param(["report", "--help"], ENGINE | SERVING | {"duckdb"}, id="report-help"),
        pytest.param(["download", "--help"], ENGINE | SERVING | {"duckdb"}, id="download-help"),
        # the catalogue is a DuckDB file: DuckDB, but no engine above it
        pytest.param(["sources"], ENGINE | SERVING, id="sources"),
        pytest.param(["sources", "--format", "json"], ENGINE | SERVING, id="sources-json"),
    ],
)
def test_command_imports_only_what_it_uses(
    args: list[str], absent: set[str], starter_store: Path, tmp_path: Path
) -> None:
    env = {**os.environ, "BILATERAL_STORE": str(starter_store), "BILATERAL_STARTER": "0"}
    imported = modules_imported(PROBE, args, env, tmp_path / "modules.json", timeout=120)
    assert "bilateral" in imported
    assert imported & absent == set()


#: Runs the command line with the arguments after the first and writes the full names of
#: every module it imported to the file named first.
FULL_PROBE = PROBE.replace('name.split(".")[0] for', "name for")
#: Ibis' DuckDB backend and the compilers its package imports: needed to build a query.
BUILDING = ("ibis.backends.duckdb", "ibis.backends.sql.compilers")
TEXT = "Kazakhstan's exports to Russia reached $8.8 billion in 2022, 11.6% more than in 2021.\n"


@pytest.mark.parametrize(
    "args",
    [
        pytest.param(["profile", "KAZ", "RUS", "--year", "2022"], id="profile"),
        pytest.param(["check", "{text}"], id="check"),
        pytest.param(["report", "KAZ", "RUS", "--year", "2022", "--output", "{out}"], id="report"),
    ],
)
def test_a_question_an_earlier_process_compiled_imports_no_compiler(
    args: list[str], starter_store: Path, tmp_path: Path
) -> None:
    """The first process builds the queries (Ibis' DuckDB backend and its compilers);
    the next reads their SQL and runs it on DuckDB (``bilateral.backends.lazy_duckdb``)."""
    text = tmp_path / "claim.txt"
    text.write_text(TEXT, encoding="utf-8")
    argv = [a.format(text=text, out=tmp_path / "report.html") for a in args]
    env = {
        **os.environ,
        "BILATERAL_STORE": str(starter_store),
        "BILATERAL_STARTER": "0",
        "BILATERAL_SQL_CACHE": str(tmp_path / "sql"),
    }
    first, second = (
        modules_imported(FULL_PROBE, argv, env, tmp_path / f"{run}.json", timeout=300)
        for run in ("first", "second")
    )
    assert set(BUILDING) <= first
    assert not [name for name in second if name.startswith(BUILDING)]
    assert "ibis" in second  # the answers are still typed and converted as Ibis does
