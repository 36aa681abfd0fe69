"""``bilateral download faostat`` and ``comext`` against a local HTTP server that answers
as the publishers do: their bulk files, and their error pages, rate limits and silences."""

from __future__ import annotations

import binascii
import hashlib
import io
import json
import socket
import struct
import zipfile

import pytest

from bilateral.sources.download import (
    DownloadError,
    check_7z,
    check_faostat_zip,
    comext_name,
    comext_url,
    comtrade_query,
    download,
    faostat_url,
)
from bilateral.store import Store
from tests import fixtures_comtrade as ct
from tests.fixtures_faostat import faostat_zip
from tests.publisher_server import Answer, Script, download_cli, one_line

# ---------------------------------------------------------------------- publishers' files

COMEXT_HEADER = (
    "REPORTER,PARTNER,TRADE_TYPE,PRODUCT_NC,PRODUCT_SITC,PRODUCT_CPA2_1,PRODUCT_BEC,"
    "PRODUCT_BEC5,PRODUCT_SECTION,FLOW,STAT_PROCEDURE,SUPPL_UNIT,PERIOD,VALUE_EUR,"
    "VALUE_NAC,QUANTITY_KG,QUANTITY_SUPPL_UNIT\n"
)
COMEXT_ROWS = (
    "DE,KZ,E,84295210,72341,28.92,41,41,XVI,2,1,NO_SU,202401,1250000,1250000,84000,3\n"
    "IT,KZ,E,30049000,54293,21.20,63,63,VI,2,1,NO_SU,202401,980000,980000,1200,0\n"
)


def _number(value: int) -> bytes:
    """7z's variable-length NUMBER."""
    for extra in range(9):
        if extra == 8 or value < 1 << (7 * (extra + 1)):  # 8 * extra + 7 - extra bits
            break
    if extra == 0:
        return bytes([value])
    high = value >> (8 * extra) if extra < 8 else 0
    first = (0xFF << (8 - extra)) & 0xFF | high
    return bytes([first]) + (value & ((1 << (8 * extra)) - 1)).to_bytes(extra, "little")


def seven_zip(name: str, data: bytes) -> bytes:
    """A 7z archive holding one file, stored (the Copy coder), with its CRC: the format of
    Comext's bulk files, written by hand (the spec is 7-Zip's 7zFormat.txt)."""
    utf16 = name.encode("utf-16-le") + b"\0\0"
    header = (
        b"\x01"  # Header
        + b"\x04"  # MainStreamsInfo
        + b"\x06"  # PackInfo
        + _number(0)
        + _number(1)
        + b"\x09"
        + _number(len(data))
        + b"\x00"
        + b"\x07"  # UnPackInfo
        + b"\x0b"
        + _number(1)
        + b"\x00"
        + _number(1)  # one coder
        + b"\x01\x00"  # id size 1, simple; id 00 = Copy
        + b"\x0c"
        + _number(len(data))
        + b"\x00"
        + b"\x08"  # SubStreamsInfo
        + b"\x0a\x01"
        + struct.pack("<I", binascii.crc32(data))
        + b"\x00"
        + b"\x00"  # end of MainStreamsInfo
        + b"\x05"  # FilesInfo
        + _number(1)
        + b"\x11"
        + _number(len(utf16) + 1)
        + b"\x00"
        + utf16
        + b"\x00"
        + b"\x00"  # end of Header
    )
    start = struct.pack("<QQI", len(data), len(header), binascii.crc32(header))
    return (
        b"7z\xbc\xaf\x27\x1c\x00\x04"
        + struct.pack("<I", binascii.crc32(start))
        + start
        + data
        + header
    )


def comext_7z(period: str = "202401") -> bytes:
    return seven_zip(f"full_v2_{period}.dat", (COMEXT_HEADER + COMEXT_ROWS).encode())


# The pages publishers send instead of data (shortened, same shape).
MAINTENANCE_PAGE = (
    b'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    b"<title>Eurostat - Service temporarily unavailable</title></head>"
    b"<body><h1>The service is temporarily unavailable due to maintenance.</h1></body></html>"
)
NOT_FOUND_PAGE = (
    b"<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1>"
    b"</center><hr><center>nginx</center></body></html>"
)
RATE_LIMIT_JSON = b'{"error":{"status":429,"label":"Too many requests, please retry later"}}'


FAO_PATH = "/production/Trade_DetailedTradeMatrix_E_All_Data_(Normalized).zip"
COMEXT_PATH = "/eurostat/api/dissemination/files?file=comext/COMEXT_DATA/PRODUCTS/full_v2_202401.7z"


# ---------------------------------------------------------------------- addresses


def test_publishers_addresses():
    assert faostat_url() == (
        "https://bulks-faostat.fao.org/production/"
        "Trade_DetailedTradeMatrix_E_All_Data_%28Normalized%29.zip"
    )
    assert comext_url("2024-01") == (
        "https://ec.europa.eu/eurostat/api/dissemination/files"
        "?file=comext/COMEXT_DATA/PRODUCTS/full_v2_202401.7z"
    )
    assert comext_name("2024") == "full_v2_202452.7z"  # Comext's "month 52": the year
    assert comext_name("202312") == "full_v2_202312.7z"
    with pytest.raises(DownloadError, match="neither a year"):
        comext_name("2024-13")


# ---------------------------------------------------------------------- FAOSTAT


def test_faostat_downloads_resumes_and_verifies(tmp_path, serve):
    body = faostat_zip()
    script = Script([Answer(body, content_type="application/zip", drop=True), Answer(body)])
    url = serve(script, FAO_PATH)
    code, stdout, stderr = download_cli("faostat", "--dest", str(tmp_path), "--url", url)
    assert code == 0, stderr
    target = tmp_path / "Trade_DetailedTradeMatrix_E_All_Data_(Normalized).zip"
    assert target.read_bytes() == body
    assert [r[1] for r in script.requests] == [None, f"bytes={len(body) // 2}-"]
    assert f"sha256 {hashlib.sha256(body).hexdigest()}" in stdout
    assert (tmp_path / f"{target.name}.sha256").exists()
    [report] = Store.open(tmp_path / "store").ingest([target])  # the bulk reader reads it
    assert (report.status, report.source, report.rows) == ("ingested", "faostat_bulk", 2)


def test_faostat_zip_of_another_dataset_is_refused(tmp_path, serve):
    body = faostat_zip(header=["Area Code", "Area", "Item Code", "Item", "Year", "Value"])
    url = serve(Script([Answer(body, content_type="application/zip")]), FAO_PATH)
    code, _, stderr = download_cli("faostat", "--dest", str(tmp_path), "--url", url)
    assert code == 1
    assert "lacks the columns Reporter Country Code, Partner Country Code" in one_line(stderr)
    assert list(tmp_path.iterdir()) == []


def test_check_faostat_zip_needs_the_data_member(tmp_path):
    path = tmp_path / "x.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("Trade_DetailedTradeMatrix_E_Flags.csv", "x")
    with pytest.raises(DownloadError, match=r"no '\*_All_Data_\(Normalized\)\.csv'"):
        check_faostat_zip(path, path)


# ---------------------------------------------------------------------- Comext


def test_comext_downloads_a_7z_and_checks_it(tmp_path, serve):
    body = comext_7z()
    script = Script([Answer(body, drop=True), Answer(body)])
    url = serve(script, COMEXT_PATH)
    code, stdout, stderr = download_cli(
        "comext", "--period", "2024-01", "--dest", str(tmp_path), "--url", url
    )
    assert code == 0, stderr
    assert (tmp_path / "full_v2_202401.7z").read_bytes() == body
    assert script.requests[0][0].endswith("full_v2_202401.7z")
    assert len(script.requests) == 2 and script.requests[1][1] is not None


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda b: b[:-7], "incomplete or corrupt"),
        (lambda b: b[:20] + bytes([b[20] ^ 1]) + b[21:], "start header fails its CRC"),
        (lambda b: b[:-3] + bytes([b[-3] ^ 1]) + b[-2:], "end header fails its CRC"),
        (lambda b: b"PK\x03\x04" + b[4:], "not a 7z archive"),
    ],
    ids=["truncated", "start-header", "end-header", "zip"],
)
def test_a_damaged_7z_is_refused_and_removed(tmp_path, serve, damage, message):
    url = serve(Script([Answer(damage(comext_7z()))]), COMEXT_PATH)
    args = ["--period", "202401", "--dest", str(tmp_path), "--url", url]
    code, _, stderr = download_cli("comext", *args)
    assert code == 1
    assert message in one_line(stderr)
    assert list(tmp_path.iterdir()) == []


def test_the_handmade_7z_checks(tmp_path):
    body = comext_7z()
    try:
        import py7zr
    except ImportError:
        py7zr = None
    if py7zr is not None:  # where py7zr is installed, it unpacks the fixture
        with py7zr.SevenZipFile(io.BytesIO(body)) as archive:
            archive.extractall(tmp_path / "unpacked")
        member = tmp_path / "unpacked" / "full_v2_202401.dat"
        assert member.read_bytes() == (COMEXT_HEADER + COMEXT_ROWS).encode()
    path = tmp_path / "full_v2_202401.7z"
    path.write_bytes(body)
    check_7z(path, path)


# ------------------------------------------------------------ what publishers send instead


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        pytest.param(
            Answer(MAINTENANCE_PAGE, content_type="text/html; charset=utf-8"),
            '127.0.0.1:{port} answered with an HTML page ("Eurostat - Service temporarily '
            'unavailable") instead of the file',
            id="maintenance-page-200",
        ),
        pytest.param(
            Answer(MAINTENANCE_PAGE, content_type="application/octet-stream"),
            "answered with an HTML page",
            id="html-labelled-as-data",
        ),
        pytest.param(
            Answer(NOT_FOUND_PAGE, status=404, content_type="text/html"),
            "answered 404 Not Found",
            id="not-found",
        ),
        pytest.param(
            Answer(
                RATE_LIMIT_JSON,
                status=429,
                content_type="application/json",
                headers={"Retry-After": "3600"},
            ),
            "127.0.0.1:{port} answered 429 Too Many Requests: it limits how often its files "
            "may be fetched; try again in about 60 minutes.",
            id="rate-limited",
        ),
        pytest.param(
            Answer(RATE_LIMIT_JSON, status=429, content_type="application/json"),
            "try again later.",
            id="rate-limited-no-retry-after",
        ),
    ],
)
@pytest.mark.parametrize("command", ["faostat", "comext"])
def test_error_pages_and_rate_limits_are_one_line(tmp_path, serve, answer, message, command):
    script = Script([answer])
    url = serve(script, FAO_PATH if command == "faostat" else COMEXT_PATH)
    port = url.split(":")[2].split("/")[0]
    extra = ["--period", "202401"] if command == "comext" else []
    code, _, stderr = download_cli(command, *extra, "--dest", str(tmp_path), "--url", url)
    assert code == 1
    line = one_line(stderr)
    assert line.startswith("Error: ")
    assert message.format(port=port) in " ".join(line.split())
    assert list(tmp_path.iterdir()) == []
    assert len(script.requests) == 1


def test_a_short_retry_after_is_waited_out(tmp_path, serve):
    body = faostat_zip()
    script = Script(
        [
            Answer(RATE_LIMIT_JSON, status=429, headers={"Retry-After": "0"}),
            Answer(body, content_type="application/zip"),
        ]
    )
    target = tmp_path / "Trade_DetailedTradeMatrix_E_All_Data_(Normalized).zip"
    download(serve(script, FAO_PATH), target, check=check_faostat_zip)
    assert target.read_bytes() == body and len(script.requests) == 2


def test_a_server_error_that_persists(tmp_path, serve):
    script = Script([Answer(MAINTENANCE_PAGE, status=503, content_type="text/html")])
    with pytest.raises(
        DownloadError, match=r"did not deliver .* in 3 attempts \(the server answered 503"
    ):
        download(serve(script, FAO_PATH), tmp_path / "x.zip", attempts=3, pause=0)
    assert list(tmp_path.iterdir()) == []


def test_an_unreachable_publisher_is_one_line(tmp_path):
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}{FAO_PATH}"
    code, _, stderr = download_cli("faostat", "--dest", str(tmp_path), "--url", url)
    assert code == 1
    line = " ".join(one_line(stderr).split())
    assert f"127.0.0.1:{port} cannot be reached (" in line
    assert "check the network connection, or try again later." in line


def test_a_host_that_does_not_resolve_is_not_asked_again(tmp_path):
    with pytest.raises(DownloadError, match=r"^nowhere\.invalid cannot be reached"):
        download("http://nowhere.invalid/x.zip", tmp_path / "x.zip", pause=5)


# ---------------------------------------------------------------------- UN Comtrade

COMTRADE_PATH = "/public/v1/preview/C/A/HS?reporterCode=398&period=2022&partnerCode=643"
KEY = "0123456789abcdef0123456789abcdef"


def comtrade_answer(rows: int = 2) -> bytes:
    records = [
        ct.plus_record(
            flow=flow, partner="643", cmd="TOTAL", primary=1e9 + n, year=2022, month=None
        )
        for n, flow in zip(range(rows), ["M", "X"] * rows, strict=False)
    ]
    document = {"elapsedTime": "0.12 secs", "count": len(records), "data": records, "error": ""}
    return json.dumps(document).encode()


def test_comtrade_addresses():
    query, name = comtrade_query("Kazakhstan", "2022", "Россия")
    assert name == "comtrade_KAZ_RUS_A_2022_TOTAL.json"
    parameters = "reporterCode=398&period=2022&partnerCode=643&cmdCode=TOTAL&flowCode=M,X"
    assert query.url(keyed=False) == (
        f"https://comtradeapi.un.org/public/v1/preview/C/A/HS?{parameters}"
    )
    assert query.url(keyed=True) == f"https://comtradeapi.un.org/data/v1/get/C/A/HS?{parameters}"
    monthly, name = comtrade_query("USA", "2023-03", commodity="8703")
    assert "C/M/HS?reporterCode=842&period=202303&cmdCode=8703" in monthly.url(keyed=False)
    assert name == "comtrade_USA_all_M_202303_8703.json"
    with pytest.raises(DownloadError, match="no UN Comtrade country code"):
        comtrade_query("EU27", "2022")


def test_comtrade_with_a_key_sends_it_and_writes_it_nowhere(tmp_path, serve, monkeypatch):
    monkeypatch.setenv("COMTRADE_API_KEY", KEY)
    script = Script([Answer(comtrade_answer(), content_type="application/json")])
    url = serve(script, COMTRADE_PATH)
    dest = tmp_path / "downloads"
    args = ["--reporter", "KAZ", "--partner", "RUS", "--period", "2022", "--dest", str(dest)]
    code, stdout, stderr = download_cli("comtrade", *args, "--url", url)
    assert code == 0, stderr
    assert script.headers[0]["Ocp-Apim-Subscription-Key"] == KEY
    assert KEY not in script.requests[0][0] and KEY not in stdout + stderr
    for path in [*dest.rglob("*"), *tmp_path.rglob("*")]:
        assert not path.is_file() or KEY.encode() not in path.read_bytes(), path
    [report] = Store.open(tmp_path / "store").ingest([dest / "comtrade_KAZ_RUS_A_2022_TOTAL.json"])
    assert (report.status, report.source, report.rows) == ("ingested", "comtrade", 2)


def test_comtrade_preview_says_when_it_was_cut_at_500_rows(tmp_path, serve, monkeypatch):
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    script = Script([Answer(comtrade_answer(500), content_type="application/json")])
    url = serve(script, COMTRADE_PATH)
    code, _, stderr = download_cli(
        "comtrade", "--reporter", "KAZ", "--period", "2022", "--dest", str(tmp_path), "--url", url
    )
    assert code == 0, stderr
    assert "Ocp-Apim-Subscription-Key" not in script.headers[0]
    assert "stops at 500 rows" in " ".join(stderr.split())


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        pytest.param(
            Answer(
                b'{"statusCode": 429, "message": "Rate limit is exceeded. '
                b'Try again in 41 seconds."}',
                status=429,
                content_type="application/json",
                headers={"Retry-After": "41"},
            ),
            None,  # waited out, then answered
            id="rate-limited-briefly",
        ),
        pytest.param(
            Answer(
                b'{ "statusCode": 401, "message": "Access denied due to invalid subscription '
                b'key. Make sure to provide a valid key for an active subscription." }',
                status=401,
                content_type="application/json",
            ),
            "answered 401 Unauthorized: it wants a valid key or permission (for UN Comtrade, "
            "a subscription key in $COMTRADE_API_KEY)",
            id="bad-key",
        ),
        pytest.param(
            Answer(
                b'{"elapsedTime":"0.01 secs","count":0,"data":null,"error":"Invalid reporterCode"}',
                content_type="application/json",
            ),
            "UN Comtrade answered without data: Invalid reporterCode",
            id="error-in-a-200",
        ),
    ],
)
def test_comtrade_errors(tmp_path, serve, monkeypatch, answer, message):
    monkeypatch.setenv("COMTRADE_API_KEY", KEY)
    waits: list[float] = []
    monkeypatch.setattr("bilateral.sources.download.time.sleep", waits.append)
    script = Script([answer, Answer(comtrade_answer(), content_type="application/json")])
    url = serve(script, COMTRADE_PATH)
    args = ["--reporter", "KAZ", "--period", "2022", "--dest", str(tmp_path), "--url", url]
    code, _, stderr = download_cli("comtrade", *args)
    if message is None:
        assert code == 0, stderr
        assert waits == [41.0] and len(script.requests) == 2
        return
    assert code == 1
    assert message in " ".join(one_line(stderr).split())
    assert KEY not in stderr
    assert list(tmp_path.iterdir()) == []
