"""The starter store shipped inside the package: small, complete, installed into a store
that does not exist yet by the first command that reads one, rebuilt to the same bytes."""

from __future__ import annotations

import fnmatch
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.errors import BilateralError
from bilateral.store import Store, starter
from tests.conftest import SHARED_DATA, shared

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()
NEW_STORE_LINE = "starting from the data shipped with bilateral"
TEXT = "Kazakhstan's trade with Russia reached $26.1 billion in 2022.\n"


def run(store: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--store", str(store), *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def shipped_files() -> list[Path]:
    folder = starter.starter_dir()
    manifest = starter.Manifest.read()
    return [folder / e["path"] for e in [*manifest.parts, *manifest.summaries]]


# ------------------------------------------------------------------ what ships


def test_the_starter_is_a_few_megabytes_and_matches_its_manifest():
    manifest = starter.Manifest.read()
    files = shipped_files()
    assert sum(f.stat().st_size for f in files) < 4_000_000
    for entry in [*manifest.parts, *manifest.summaries]:
        data = (starter.starter_dir() / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["parquet_sha256"], entry["path"]
        assert pq.read_metadata(starter.starter_dir() / entry["path"]).num_rows == entry["rows"]
    assert {f["source"] for f in manifest.files} == set(starter.PUBLISHERS)
    assert {f["folder"] for f in manifest.files} == set(starter.STARTER_FILES)


def test_every_shipped_file_is_package_data_and_every_source_has_a_licence():
    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["bilateral"]
    package = ROOT / "src" / "bilateral"
    folder = starter.starter_dir()
    for path in [*shipped_files(), folder / "manifest.json", folder / "README.md"]:
        relative = str(path.relative_to(package))
        assert any(fnmatch.fnmatchcase(relative, p) for p in patterns), relative
    readme = (folder / "README.md").read_text(encoding="utf-8")
    for source in starter.PUBLISHERS:
        section = readme.split(f"### `{source}`", 1)[1].split("###", 1)[0]
        assert "- Terms:" in section and "- Cite:" in section, source


# ------------------------------------------------------------------ a store that does not exist yet


def test_the_first_profile_installs_the_starter_and_says_so_once(tmp_path):
    store = tmp_path / "new"
    code, stdout, stderr = run(store, "profile", "KAZ", "RUS", "--year", "2022", "-f", "json")
    assert code == 0, stderr
    [line] = [line for line in stderr.splitlines() if line.strip()]
    assert NEW_STORE_LINE in line and "Kazakhstan BNS 2018-2023" in line and "README.md" in line
    turnover = {
        r["source"]: r["value"]
        for r in json.loads(stdout)["indicators"]
        if r["name"] == "turnover" and r["source"] in ("kz_bns", "ru_fcs")
    }
    # BNS, edition 2023, sheet 2022, row Россия: turnover 26,972,021.44517 thousand USD
    assert turnover["kz_bns"] == pytest.approx(26_972_021_445.17)
    assert "ru_fcs" in {r["source"] for r in json.loads(stdout)["indicators"]}
    code, _, stderr = run(store, "profile", "KAZ", "RUS", "--year", "2022", "-f", "json")
    assert code == 0 and NEW_STORE_LINE not in stderr


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["check", "-", "-f", "json"], id="check"),
        pytest.param(["report", "KAZ", "RUS", "--year", "2022", "-o", "{tmp}/r.html"], id="report"),
        pytest.param(["sources", "-f", "json"], id="sources"),
    ],
)
def test_reading_commands_offer_the_starter(tmp_path, command):
    store = tmp_path / "new"
    args = [part.replace("{tmp}", str(tmp_path)) for part in command]
    code, stdout, stderr = run(store, *args, stdin=TEXT)
    assert code == 0, stderr
    assert NEW_STORE_LINE in stderr and "is empty" not in stderr
    assert (store / "catalogue.duckdb").exists()
    if command[0] == "check":
        [claim] = json.loads(stdout)["claims"]
        assert claim["verdict"] != "not checkable"


def test_serve_offers_the_starter_before_it_listens(tmp_path, monkeypatch):
    from bilateral.web import app as web_app

    served = []
    monkeypatch.setattr(web_app, "run_server", lambda app, *args, **kw: served.append(app))
    code, _, stderr = run(tmp_path / "new", "serve", "--port", "8765")
    assert code == 0, stderr
    assert NEW_STORE_LINE in stderr and served
    assert "kz_bns" in served[0].state.store.store.sources()


def test_ingest_into_a_new_store_does_not_install_it(tmp_path):
    store = tmp_path / "new"
    code, _, stderr = run(store, "ingest", str(shared("kz-bns")))
    assert code == 0 and NEW_STORE_LINE not in stderr
    assert Store.open(store).sources() == ["kz_bns"]


def test_switched_off_a_new_store_stays_empty(tmp_path, monkeypatch):
    monkeypatch.setenv("BILATERAL_STARTER", "0")
    code, _, stderr = run(tmp_path / "new", "sources")
    assert code == 0 and "is empty" in " ".join(stderr.split())
    assert not (tmp_path / "new" / "catalogue.duckdb").exists()


def test_installed_files_are_known_to_ingest(tmp_path):
    store = Store.open(tmp_path / "store")
    manifest = starter.install(store.root)
    assert manifest is not None
    assert starter.install(store.root) is None  # a store exists now: nothing is done
    reports = store.ingest([shared("kz-bns")])
    assert {r.status for r in reports} == {"unchanged"}
    assert store.years("kz_bns") == list(range(2018, 2024))
    assert store.summaries().totals is not None


def test_a_damaged_starter_leaves_no_store(tmp_path):
    copy = tmp_path / "starter"
    shutil.copytree(starter.starter_dir(), copy)
    victim = copy / starter.Manifest.read(copy).parts[-1]["path"]
    victim.write_bytes(victim.read_bytes()[:-10])
    root = tmp_path / "store"
    with pytest.raises(BilateralError, match="does not match its manifest"):
        starter.install(root, copy)
    assert not (root / "catalogue.duckdb").exists()
    assert not list(root.rglob("*.parquet"))


# ------------------------------------------------------------------ rebuilding


@pytest.mark.shared_data
def test_rebuilding_from_the_publishers_files_gives_the_same_bytes(tmp_path):
    shared("kz-bns")
    manifest = starter.build(SHARED_DATA, tmp_path)
    shipped = starter.Manifest.read()
    assert manifest.files == shipped.files
    for entry in [*shipped.parts, *shipped.summaries]:
        ours = pq.read_table(tmp_path / entry["path"])
        theirs = pq.read_table(starter.starter_dir() / entry["path"])
        assert ours.equals(theirs), entry["path"]
    if shipped.built_with != manifest.built_with:
        pytest.skip(
            f"contents equal; bytes not compared: shipped by {shipped.built_with}, rebuilt "
            f"by {manifest.built_with} (run scripts/build_starter_store.py)"
        )
    names = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file())
    assert names == sorted(
        p.relative_to(starter.starter_dir())
        for p in starter.starter_dir().rglob("*")
        if p.is_file() and p.name != "README.md"
    )
    for name in names:
        assert (tmp_path / name).read_bytes() == (starter.starter_dir() / name).read_bytes(), name


# ------------------------------------------------------------------ installed from a wheel


def test_a_wheel_ships_the_starter_and_a_new_store_uses_it(tmp_path):
    """Build the wheel, unpack it where nothing else is, and run the README's first
    command against it with a fresh store and home."""
    wheels = tmp_path / "wheels"
    # pyproject.toml needs setuptools >= 77; without it here, pip fetches one to build with
    isolation = ["--no-build-isolation"] if _setuptools_major() >= 77 else []
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", *isolation]
        + ["-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert built.returncode == 0, built.stderr
    [wheel] = wheels.glob("bilateral-*.whl")
    target = tmp_path / "site"
    shutil.unpack_archive(wheel, target, "zip")
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "HOME": str(tmp_path / "home"),
        "BILATERAL_STORE": str(tmp_path / "home" / "store"),
    }
    env.pop("BILATERAL_STARTER", None)
    code = (
        "import sys, bilateral; from bilateral.cli import app; "
        "print(bilateral.__file__, file=sys.stderr); "
        "app(['profile', 'KAZ', 'RUS', '--year', '2022', '-f', 'json'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert str(target) in result.stderr.splitlines()[0]
    assert NEW_STORE_LINE in result.stderr
    sources = {r["source"] for r in json.loads(result.stdout)["indicators"]}
    assert {"kz_bns", "ru_fcs", "faostat"} <= sources
    assert pa.__version__  # the wheel's starter is read by this process's pyarrow


def _setuptools_major() -> int:
    try:
        import setuptools
    except ImportError:
        return 0
    return int(setuptools.__version__.split(".")[0])
