"""Downloads against a local HTTP server that drops, corrupts and ignores ranges on purpose."""

from __future__ import annotations

import hashlib
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from bilateral.sources.baci import BaciReader
from bilateral.sources.download import DownloadError, baci_url, download
from tests import fixtures_baci as fx
from tests.publisher_server import Answer, Handler, Script, Servers

ZIP = "application/zip"


def release_server(
    body: bytes,
    *,
    drop_first: bool = False,
    drop_always: bool = False,
    ranges: bool = True,
    status: int = 200,
) -> Script:
    """How the test server answers a release's address: the body, and the ways it
    misbehaves (the first answer, or every one, stops half-way; a Range is ignored)."""
    whole = Answer(body, status=status, content_type=ZIP, drop=drop_always, ranges=ranges)
    if drop_first:
        return Script([Answer(body, content_type=ZIP, drop=True, ranges=ranges), whole])
    return Script([whole])


def ranges_asked(script: Script) -> list[str | None]:
    """The Range header of each request the server saw."""
    return [asked for _, asked in script.requests]


@pytest.fixture
def serve(servers: Servers) -> Callable[[Script], str]:
    def start(script: Script) -> str:
        return servers.start(Handler, "/BACI_HS22_V202501.zip", script=script)

    return start


@pytest.fixture
def release(tmp_path_factory) -> bytes:
    """A BACI release zip as bytes (members stored, so a flipped byte breaks a CRC)."""
    flows = [
        fx.Flow(2022, e, i, p, 1.5 + n, None if n % 7 == 0 else 0.25)
        for n, (e, i, p) in enumerate(
            (e, i, p) for e in fx.ISO3 for i in fx.ISO3 for p in fx.PRODUCTS["HS22"] if e != i
        )
    ]
    folder = tmp_path_factory.mktemp("build")
    return fx.write_release(
        folder, "HS22", flows=flows, compression=zipfile.ZIP_STORED
    ).read_bytes()


def assert_final(path: Path, body: bytes) -> None:
    assert path.read_bytes() == body
    assert not path.with_name(path.name + ".part").exists()
    digest = hashlib.sha256(body).hexdigest()
    assert path.with_name(path.name + ".sha256").read_text() == f"{digest}  {path.name}\n"


def test_plain_download(tmp_path, serve, release):
    script = release_server(release)
    target = tmp_path / "out" / "BACI_HS22_V202501.zip"
    result = download(serve(script), target)
    assert_final(target, release)
    assert result.sha256 == hashlib.sha256(release).hexdigest() and not result.resumed
    assert ranges_asked(script) == [None]
    assert BaciReader().read(target, result.sha256).table.num_rows > 0


def test_dropped_connection_resumes_with_range(tmp_path, serve, release):
    script = release_server(release, drop_first=True)
    target = tmp_path / "BACI_HS22_V202501.zip"
    result = download(serve(script), target, pause=0)
    assert_final(target, release)
    assert result.resumed
    assert ranges_asked(script) == [None, f"bytes={len(release) // 2}-"]


def test_server_ignoring_range_restarts_cleanly(tmp_path, serve, release):
    script = release_server(release, drop_first=True, ranges=False)
    target = tmp_path / "BACI_HS22_V202501.zip"
    download(serve(script), target, pause=0)
    assert_final(target, release)  # the whole body once, not half plus the whole
    assert ranges_asked(script) == [None, f"bytes={len(release) // 2}-"]


def test_partial_file_from_an_earlier_run_is_resumed(tmp_path, serve, release):
    script = release_server(release)
    target = tmp_path / "BACI_HS22_V202501.zip"
    target.with_name(target.name + ".part").write_bytes(release[:1000])
    result = download(serve(script), target)
    assert_final(target, release)
    assert result.resumed and ranges_asked(script) == ["bytes=1000-"]


def test_corrupted_body_fails_verification_and_leaves_nothing(tmp_path, serve, release):
    corrupted = bytearray(release)
    middle = len(corrupted) // 2
    corrupted[middle : middle + 8] = bytes(b ^ 0xFF for b in corrupted[middle : middle + 8])
    target = tmp_path / "BACI_HS22_V202501.zip"
    with pytest.raises(DownloadError, match=r"BACI_HS22_V202501\.zip: .*(CRC|corrupt|not a)"):
        download(serve(release_server(bytes(corrupted))), target)
    assert list(tmp_path.iterdir()) == []


def test_not_a_zip_at_all(tmp_path, serve):
    target = tmp_path / "BACI_HS22_V202501.zip"
    with pytest.raises(DownloadError, match="not a readable zip archive"):
        download(serve(release_server(b"t,i,j,k,v,q\n2022,4,8,10111,1.5,0.2\n")), target)
    assert list(tmp_path.iterdir()) == []


def test_an_html_page_instead_of_the_zip(tmp_path, serve):
    target = tmp_path / "BACI_HS22_V202501.zip"
    with pytest.raises(DownloadError, match="answered with an HTML page"):
        download(serve(release_server(b"<html>maintenance</html>")), target)
    assert list(tmp_path.iterdir()) == []


def test_connection_that_keeps_dropping_keeps_the_part(tmp_path, serve, release):
    target = tmp_path / "BACI_HS22_V202501.zip"
    with pytest.raises(DownloadError, match=r"kept breaking off.*run the command again to resume"):
        download(serve(release_server(release, drop_always=True)), target, attempts=3, pause=0)
    assert not target.exists()
    part = target.with_name(target.name + ".part")
    assert 0 < part.stat().st_size < len(release)
    assert release.startswith(part.read_bytes())


def test_missing_release_is_a_clear_error(tmp_path, serve):
    target = tmp_path / "BACI_HS22_V209901.zip"
    with pytest.raises(DownloadError, match="answered 404"):
        download(serve(release_server(b"", status=404)), target)
    assert list(tmp_path.iterdir()) == []


def test_existing_verified_file_is_not_fetched_again(tmp_path, serve, release):
    script = release_server(release)
    target = tmp_path / "BACI_HS22_V202501.zip"
    target.write_bytes(release)
    result = download(serve(script), target)
    assert result.already_present and ranges_asked(script) == []


@pytest.mark.parametrize(
    ("hs", "release", "url"),
    [
        ("22", "202501", "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS22_V202501.zip"),
        ("HS92", "V202301", "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS92_V202301.zip"),
        ("2", "202401b", "https://www.cepii.fr/DATA_DOWNLOAD/baci/data/BACI_HS02_V202401b.zip"),
    ],
    ids=["hs22", "prefixed", "hs02-corrected-release"],
)
def test_baci_url(hs, release, url):
    assert baci_url(hs, release) == url


@pytest.mark.parametrize(
    ("hs", "release", "message"),
    [("23", "202501", "Unknown HS revision '23'"), ("22", "2025", "not of the form YYYYMM")],
)
def test_baci_url_rejects(hs, release, message):
    with pytest.raises(DownloadError, match=message):
        baci_url(hs, release)


# ---------------------------------------------------------------------- command line


@pytest.fixture
def cli() -> typer.Typer:
    from bilateral.cli import app

    return app


def test_cli_downloads_to_dest(tmp_path, serve, release, cli):
    url = serve(release_server(release, drop_first=True))
    args = ["download", "baci", "--hs", "22", "--release", "202501", "--dest", str(tmp_path)]
    result = CliRunner().invoke(cli, [*args, "--url", url])
    assert result.exit_code == 0, result.output
    target = tmp_path / "BACI_HS22_V202501.zip"
    assert_final(target, release)
    assert f"sha256 {hashlib.sha256(release).hexdigest()}" in result.stdout


def test_cli_error_is_one_line(tmp_path, cli):
    args = ["download", "baci", "--hs", "23", "--release", "202501", "--dest", str(tmp_path)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("Error: Unknown HS revision '23'")
    assert len(result.stderr.strip().splitlines()) == 1
