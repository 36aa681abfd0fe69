"""Without ../shared: the publisher's files fetched over HTTP (a local server stands in)."""

from __future__ import annotations

from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.store import Store
from tests.conftest import shared
from tests.publisher_server import Servers

WORKBOOK = "bns_osnovnye_pokazateli_vneshney_torgovli_po_stranam_2022.xls"


class FolderHandler(SimpleHTTPRequestHandler):
    """Serves the files of ``folder`` (bound by :class:`tests.publisher_server.Servers`)."""

    folder: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, directory=self.folder, **kwargs)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture
def publisher(servers: Servers) -> str:
    """An HTTP server on 127.0.0.1 that serves the published BNS folder as BNS would."""
    return servers.start(FolderHandler, "", folder=str(shared("kz-bns")))


def test_ingest_from_an_address_equals_ingest_from_the_file(publisher, tmp_path):
    args = ["--store", str(tmp_path / "web"), "ingest", f"{publisher}/{WORKBOOK}"]
    result = CliRunner().invoke(app, [*args, "--download-dir", str(tmp_path / "dl")])
    assert result.exit_code == 0, result.output
    from_web = Store.open(tmp_path / "web")
    from_file = Store.open(tmp_path / "file")
    from_file.ingest([shared("kz-bns", WORKBOOK)])
    assert [e.sha256 for e in from_web.catalogue()] == [e.sha256 for e in from_file.catalogue()]
    columns = ["year", "exporter", "importer", "value_usd"]
    web_rows = from_web.execute(from_web.flows().select(columns).order_by(columns))
    file_rows = from_file.execute(from_file.flows().select(columns).order_by(columns))
    assert web_rows.equals(file_rows)
    assert (tmp_path / "dl" / WORKBOOK).exists()


def test_missing_file_on_the_server_is_one_clear_line(publisher, tmp_path):
    args = ["--store", str(tmp_path / "s"), "ingest", f"{publisher}/no_such.xls"]
    result = CliRunner().invoke(app, [*args, "--download-dir", str(tmp_path / "dl")])
    assert result.exit_code == 1
    assert "no_such.xls" in result.stderr and "404" in result.stderr
    assert "Traceback" not in result.output
    assert not Path(tmp_path / "s" / "catalogue.duckdb").exists()
