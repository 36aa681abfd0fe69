"""The public API is ``bilateral/__init__.py``: every name in ``__all__`` is there, importing
it loads no query engine, and the package's imports point down its layers (the
import-linter contract in pyproject.toml, as ``.ci/run`` checks it)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import bilateral

ROOT = Path(__file__).resolve().parents[1]


def test_every_public_name_is_there() -> None:
    assert bilateral.__all__
    for name in bilateral.__all__:
        assert hasattr(bilateral, name), name


def test_importing_bilateral_loads_no_engine() -> None:
    probe = "import json, sys, bilateral; print(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    loaded = {name.split(".")[0] for name in json.loads(done.stdout)}
    assert loaded & {"ibis", "pandas", "pyarrow", "duckdb"} == set()


def test_imports_point_down_the_layers() -> None:
    lint = shutil.which("lint-imports", path=str(Path(sys.executable).parent))
    if lint is None:
        pytest.skip("import-linter is not installed")
    done = subprocess.run([lint], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
