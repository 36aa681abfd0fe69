"""``bilateral update``: what is newer at each publisher than the store holds, against a
local HTTP server whose file changes; offline in one line."""

from __future__ import annotations

import http.server
import json
import re
import socket
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.sources.download import download, read_sidecar
from bilateral.store import Store, starter
from bilateral.store.update import NEWER, NO_ADDRESS, STARTER, SUPERSEDED, UP_TO_DATE
from tests import fixtures_comtrade as ct
from tests.publisher_server import Servers

runner = CliRunner()
NAME = "comtrade_KAZ_RUS_A_2022_TOTAL.json"


def answer(value: float) -> bytes:
    records = [
        ct.plus_record(flow="M", partner="643", cmd="TOTAL", primary=value, year=2022, month=None)
    ]
    return json.dumps({"count": 1, "data": records, "error": ""}).encode()


@dataclass
class Publication:
    """The file the server serves, with its validators; ``head`` False refuses HEAD."""

    body: bytes
    etag: str = '"v1"'
    last_modified: str = "Mon, 06 Jan 2025 10:00:00 GMT"
    head: bool = True
    methods: list[str] = field(default_factory=list)


class Handler(http.server.BaseHTTPRequestHandler):
    publication: Publication

    def _headers(self, status: int, length: int) -> None:
        p = self.publication
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(length))
        self.send_header("ETag", p.etag)
        self.send_header("Last-Modified", p.last_modified)
        if status == 206:
            self.send_header("Content-Range", f"bytes 0-0/{len(p.body)}")
        self.end_headers()

    def do_HEAD(self) -> None:  # noqa: N802 (http.server's naming)
        self.publication.methods.append("HEAD")
        if not self.publication.head:
            self.send_error(405)
            return
        self._headers(200, len(self.publication.body))

    def do_GET(self) -> None:  # noqa: N802
        p = self.publication
        ranged = self.headers.get("Range") == "bytes=0-0"
        p.methods.append("GET range" if ranged else "GET")
        body = p.body[:1] if ranged else p.body
        self._headers(206 if ranged else 200, len(body))
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def publisher(servers: Servers) -> Callable[[Publication], str]:
    def start(publication: Publication) -> str:
        path = "/public/v1/preview/C/A/HS?x=1"
        return servers.start(Handler, path, publication=publication)

    return start


@pytest.fixture
def store(tmp_path, monkeypatch):
    monkeypatch.setenv("BILATERAL_STARTER", "0")
    return tmp_path / "store"


def update(store, *args: str) -> tuple[int, list[dict[str, str]], str]:
    result = runner.invoke(app, ["--store", str(store), "update", "-f", "json", *args])
    rows = json.loads(result.stdout) if result.exit_code == 0 else []
    return result.exit_code, rows, result.stderr


def downloaded_and_ingested(tmp_path, store, url):
    path = download(url, tmp_path / "downloads" / NAME, verify_zip=False)
    Store.open(store).ingest([path.path])
    return path.path


def test_a_download_records_where_it_came_from(tmp_path, publisher):
    url = publisher(Publication(answer(1e9)))
    path = download(url, tmp_path / NAME, verify_zip=False).path
    record = read_sidecar(path)
    assert record is not None
    assert record["url"] == url and record["etag"] == '"v1"'
    assert record["last_modified"] == "Mon, 06 Jan 2025 10:00:00 GMT"
    assert record["size"] == path.stat().st_size


def test_unchanged_then_newer_then_fetched_and_ingested(tmp_path, publisher, store):
    publication = Publication(answer(1e9))
    downloaded_and_ingested(tmp_path, store, publisher(publication))
    code, [row], _ = update(store)
    assert code == 0 and (row["file"], row["status"]) == (NAME, UP_TO_DATE)

    publication.body, publication.etag = answer(2e9), '"v2"'
    publication.last_modified = "Tue, 07 Jan 2025 10:00:00 GMT"
    code, [row], _ = update(store)
    assert code == 0 and row["status"] == NEWER and '"v1" -> "v2"' in row["detail"]

    code, rows, stderr = update(store, "--fetch")
    assert code == 0, stderr
    assert "Fetched 1 newer file" in " ".join(stderr.split())
    names = {p.name for p in (tmp_path / "downloads").iterdir()}
    old = [n for n in names if re.fullmatch(re.escape(NAME) + r"\.[0-9a-f]{12}", n)]
    assert len(old) == 1 and {NAME, f"{NAME}.sha256", f"{NAME}.source.json"} <= names
    assert (tmp_path / "downloads" / NAME).read_bytes() == answer(2e9)
    assert len(Store.open(store).catalogue()) == 2  # the new file was ingested beside the old
    code, rows, _ = update(store)
    assert sorted(row["status"] for row in rows) == [SUPERSEDED, UP_TO_DATE]


def test_a_publisher_refusing_head_is_asked_for_one_byte(tmp_path, publisher, store):
    publication = Publication(answer(1e9), head=False)
    downloaded_and_ingested(tmp_path, store, publisher(publication))
    code, [row], _ = update(store)
    assert code == 0 and row["status"] == UP_TO_DATE
    assert publication.methods[-2:] == ["HEAD", "GET range"]


def test_offline_is_one_line(tmp_path, publisher, store):
    downloaded_and_ingested(tmp_path, store, publisher(Publication(answer(1e9))))
    path = tmp_path / "downloads" / NAME
    record = read_sidecar(path)
    assert record is not None
    with socket.socket() as probe:  # nobody listens there any more
        probe.bind(("127.0.0.1", 0))
        record["url"] = f"http://127.0.0.1:{probe.getsockname()[1]}/x.json"
    path.with_name(path.name + ".source.json").write_text(json.dumps(record))
    result = runner.invoke(app, ["--store", str(store), "update"])
    assert result.exit_code == 1
    [line] = [line for line in result.stderr.splitlines() if line.strip()]
    assert line.startswith("Error: Offline: cannot reach 127.0.0.1:")
    assert "nothing was checked" in " ".join(result.stderr.split())


def test_files_without_an_address_and_the_starter_are_listed(tmp_path, monkeypatch):
    root = tmp_path / "store"
    starter.install(root)
    local = tmp_path / NAME
    local.write_bytes(answer(3e9))
    Store.open(root).ingest([local])
    code, rows, _ = update(root)
    assert code == 0
    statuses = {row["source"]: row["status"] for row in rows}
    assert statuses["kz_bns"] == STARTER and statuses["comtrade"] == NO_ADDRESS
