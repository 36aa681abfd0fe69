"""``bilateral download comtrade --bulk`` against a local server that answers as UN
Comtrade's bulk API does: a listing of the reporter's files for the period, then each
file (gzipped, tab-separated, PascalCase header). The key is sent in a header and written
nowhere; each file is named as Comtrade's own client names it, verified whole, and
ingests to the rows it holds."""

from __future__ import annotations

import gzip
import json

import pytest

from bilateral.sources.comtrade_bulk import bulk_listing_url
from bilateral.sources.download import comtrade_query
from bilateral.store import Store
from tests import fixtures_comtrade as ct
from tests.publisher_server import Answer, Script, download_cli, one_line

KEY = "fedcba9876543210fedcba9876543210"
LISTING_PATH = "/bulk/v1/get/C/A/HS?reporterCode=398&period=2022"
NAME = "COMTRADE-FINAL-CA398202200H6[2024-05-14].gz"


def cli(*args: str) -> tuple[int, str, str]:
    return download_cli("comtrade", *args)


def bulk_body(tmp_path) -> bytes:
    """Kazakhstan's 2022 exports to Russia and China and imports from Russia, as a bulk file."""
    folder = tmp_path / "built"
    folder.mkdir(exist_ok=True)
    records = [
        ct.plus_record(flow=f, partner=p, cmd="TOTAL", primary=v, year=2022, month=None)
        for f, p, v in (("X", "643", 8.8e9), ("X", "156", 13.2e9), ("M", "643", 17.5e9))
    ]
    return ct.write_bulk(folder, records).read_bytes()


def listing(file_url: str, **changes: object) -> bytes:
    entry = {
        "typeCode": "C",
        "freqCode": "A",
        "period": 2022,
        "reporterCode": 398,
        "reporterISO": "KAZ",
        "classificationCode": "H6",
        "publicationDate": "2024-05-14T00:00:00",
        "fileSize": "1.2 MB",
        "fileUrl": file_url,
        **changes,
    }
    return json.dumps({"elapsedTime": "0.2 secs", "count": 1, "data": [entry]}).encode()


def served(serve, body: bytes, **changes: object) -> tuple[Script, str]:
    """A listing naming one file on the same server, then that file."""
    script = Script([])
    url = serve(script, LISTING_PATH)
    base = url.split("/bulk/")[0]
    script.answers += [
        Answer(
            listing(f"{base}/bulk/v1/file/398/abc123", **changes), content_type="application/json"
        ),
        Answer(body, content_type="application/octet-stream"),
    ]
    return script, url


def test_the_listing_address():
    query, _ = comtrade_query("Kazakhstan", "2022")
    assert bulk_listing_url(query) == "https://comtradeapi.un.org" + LISTING_PATH


def test_bulk_files_download_with_the_key_in_a_header_and_ingest(tmp_path, serve, monkeypatch):
    monkeypatch.setenv("COMTRADE_API_KEY", KEY)
    body = bulk_body(tmp_path)
    script, url = served(serve, body)
    dest = tmp_path / "downloads"
    code, stdout, stderr = cli(
        "--reporter", "KAZ", "--period", "2022", "--bulk", "--dest", str(dest), "--url", url
    )
    assert code == 0, stderr
    assert [path for path, _ in script.requests] == [LISTING_PATH, "/bulk/v1/file/398/abc123"]
    assert all(h["Ocp-Apim-Subscription-Key"] == KEY for h in script.headers)
    assert (dest / NAME).read_bytes() == body
    for path in [*tmp_path.rglob("*")]:
        assert not path.is_file() or KEY.encode() not in path.read_bytes(), path
    assert KEY not in stdout + stderr
    [report] = Store.open(tmp_path / "store").ingest([dest / NAME])
    # the file's three rows: X to 643 and 156, M from 643
    assert (report.status, report.source, report.rows, report.release) == (
        "ingested",
        "comtrade",
        3,
        "2024-05-14",
    )


def test_bulk_needs_the_key_and_no_partner(tmp_path, monkeypatch):
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    code, _, stderr = cli(
        "--reporter", "KAZ", "--period", "2022", "--bulk", "--dest", str(tmp_path)
    )
    assert code == 1
    assert "bulk files need a subscription key: set $COMTRADE_API_KEY" in one_line(stderr)
    monkeypatch.setenv("COMTRADE_API_KEY", KEY)
    args = ["--reporter", "KAZ", "--partner", "RUS", "--period", "2022", "--bulk"]
    code, _, stderr = cli(*args, "--dest", str(tmp_path))
    assert code == 1 and "drop --partner and --commodity" in one_line(stderr)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        pytest.param(lambda b: b[: len(b) - 12], "not a whole gzip file", id="cut-short"),
        pytest.param(
            lambda b: gzip.compress(b"Period\tReporterCode\tCmdCode\n2022\t398\tTOTAL\n"),
            "the header lacks the columns flowcode, partnercode, primaryvalue",
            id="other-columns",
        ),
    ],
)
def test_a_damaged_bulk_file_is_refused_and_removed(tmp_path, serve, monkeypatch, damage, message):
    monkeypatch.setenv("COMTRADE_API_KEY", KEY)
    _, url = served(serve, damage(bulk_body(tmp_path)))
    dest = tmp_path / "downloads"
    code, _, stderr = cli(
        "--reporter", "KAZ", "--period", "2022", "--bulk", "--dest", str(dest), "--url", url
    )
    assert code == 1
    line = one_line(stderr)
    assert line.startswith(f"Error: {NAME}:") and message in line
    assert not dest.exists() or list(dest.iterdir()) == []


def test_an_empty_listing_says_what_was_asked(tmp_path, serve, monkeypatch):
    monkeypatch.setenv("COMTRADE_API_KEY", KEY)
    empty = json.dumps({"elapsedTime": "0.1 secs", "count": 0, "data": []}).encode()
    url = serve(Script([Answer(empty, content_type="application/json")]), LISTING_PATH)
    code, _, stderr = cli(
        "--reporter", "KAZ", "--period", "2022", "--bulk", "--dest", str(tmp_path), "--url", url
    )
    assert code == 1
    assert "UN Comtrade lists no bulk file for reporter KAZ in 2022" in one_line(stderr)
    assert list(tmp_path.iterdir()) == []
