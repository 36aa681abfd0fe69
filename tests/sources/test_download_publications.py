"""``bilateral download bns URL`` and ``fcs URL`` against a local HTTP server that serves the
publishers' own workbooks (../shared/data) at addresses shaped like theirs: a document
number at stat.gov.kz, a storage path at customs.gov.ru. A download resumes, is verified
by reading it whole, and ingests to the printed figures; an HTML page, another
publisher's workbook or a workbook cut short is refused in one line and leaves nothing."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from bilateral.answers.series import series
from bilateral.sources.publications import PUBLICATIONS
from bilateral.store import Store
from tests.bns_cells import WORKBOOK_2023, bns_usd
from tests.conftest import shared
from tests.publisher_server import Answer, Script, download_cli, one_line

#: Addresses shaped like the publishers': BNS numbers its documents, FCS keeps file names.
BNS_PATH = "/api/iblock/element/176960/file/ru/"
FCS_PATH = "/storage/document/document_statistics_file/2022-02/94itog.xlsx"
XLS = "application/vnd.ms-excel"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOT_FOUND_PAGE = (
    '<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Страница не найдена'
    "</title></head><body><h1>404</h1><p>Запрашиваемая страница не найдена</p></body></html>"
).encode()


def test_a_bns_workbook_resumes_verifies_and_ingests_to_the_printed_row(tmp_path, serve):
    body = shared("kz-bns", WORKBOOK_2023).read_bytes()
    script = Script([Answer(body, content_type=XLS, drop=True), Answer(body, content_type=XLS)])
    url = serve(script, BNS_PATH)
    code, stdout, stderr = download_cli("bns", url, "--dest", str(tmp_path / "files"))
    assert code == 0, stderr
    target = tmp_path / "files" / PUBLICATIONS["bns"].file_name(url)
    assert target.name.startswith("bns_publication_") and target.suffix == ".xls"
    assert target.read_bytes() == body
    assert [r[1] for r in script.requests] == [None, f"bytes={len(body) // 2}-"]
    assert f"sha256 {hashlib.sha256(body).hexdigest()}" in stdout
    assert sorted(p.name for p in target.parent.iterdir()) == sorted(
        [target.name, f"{target.name}.sha256", f"{target.name}.source.json"]
    )
    store = Store.open(tmp_path / "store")
    store.ingest([target])
    # WORKBOOK_2023, sheet '2023', row 'Россия', turnover column (thousand USD)
    assert series(store, "KAZ", "RUS").values("kz_bns:KAZ")[2023] == pytest.approx(
        bns_usd(WORKBOOK_2023, "2023", "Россия", "turnover"), abs=1
    )


def test_an_fcs_workbook_keeps_its_own_name(tmp_path, serve):
    body = shared("ru-fcs", "94itog.xlsx").read_bytes()
    url = serve(Script([Answer(body, content_type=XLSX)]), FCS_PATH)
    code, _, stderr = download_cli("fcs", url, "--dest", str(tmp_path))
    assert code == 0, stderr
    assert (tmp_path / "94itog.xlsx").read_bytes() == body
    code, stdout, _ = download_cli("fcs", url, "--dest", str(tmp_path))  # again: kept, verified
    assert code == 0 and "already present, verified" in stdout


@pytest.mark.parametrize(
    ("command", "served", "message"),
    [
        pytest.param(
            "bns",
            ("ru-fcs", "94itog.xlsx"),
            "not a Kazakhstan BNS workbook bilateral can read",
            id="fcs-workbook-as-bns",
        ),
        pytest.param(
            "fcs",
            ("kz-bns", WORKBOOK_2023),
            "not a Russia FCS workbook bilateral can read",
            id="bns-workbook-as-fcs",
        ),
    ],
)
def test_another_publishers_workbook_is_refused_and_removed(
    tmp_path, serve, command, served, message
):
    url = serve(Script([Answer(shared(*served).read_bytes())]), "/file/1")
    code, _, stderr = download_cli(command, url, "--dest", str(tmp_path))
    assert code == 1
    line = one_line(stderr)
    assert line.startswith("Error: ") and message in line and "it was removed" in line
    assert list(tmp_path.iterdir()) == []


def test_a_workbook_cut_short_is_refused(tmp_path, serve):
    body = shared("kz-bns", WORKBOOK_2023).read_bytes()
    url = serve(Script([Answer(body[: len(body) // 3], content_type=XLS)]), BNS_PATH)
    code, _, stderr = download_cli("bns", url, "--dest", str(tmp_path))
    assert code == 1
    assert "not a Kazakhstan BNS workbook bilateral can read" in one_line(stderr)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        pytest.param(
            Answer(NOT_FOUND_PAGE, content_type="text/html; charset=utf-8"),
            'answered with an HTML page ("Страница не найдена") instead of the file',
            id="html-page-200",
        ),
        pytest.param(
            Answer(NOT_FOUND_PAGE, status=404, content_type="text/html"),
            "the server answered 404 Not Found. Check the address on the publisher's site.",
            id="not-found",
        ),
    ],
)
def test_a_page_instead_of_the_workbook_is_one_line(tmp_path, serve, answer, message):
    url = serve(Script([answer]), BNS_PATH)
    code, _, stderr = download_cli("bns", url, "--dest", str(tmp_path))
    assert code == 1
    assert message in one_line(stderr)
    assert list(tmp_path.iterdir()) == []


def test_a_name_the_reader_would_not_know_is_refused_before_asking(tmp_path, serve):
    script = Script([Answer(b"never sent")])
    url = serve(script, FCS_PATH)
    code, _, stderr = download_cli("fcs", url, "--dest", str(tmp_path), "--name", "russia.xlsx")
    assert code == 1
    line = one_line(stderr)
    assert "--name russia.xlsx is not a name the Russia FCS reader recognises" in line
    assert "94itog*.xlsx" in line
    assert script.requests == []


def test_file_names_follow_the_address_or_stay_the_same_for_it():
    bns, fcs = PUBLICATIONS["bns"], PUBLICATIONS["fcs"]
    assert fcs.file_name("https://customs.gov.ru" + FCS_PATH) == "94itog.xlsx"
    named = bns.file_name("https://stat.gov.kz" + BNS_PATH)
    assert named == bns.file_name("https://stat.gov.kz" + BNS_PATH)
    assert named != bns.file_name("https://stat.gov.kz/api/iblock/element/176961/file/ru/")
    assert bns.reader.matches(Path(named)) and fcs.reader.matches(Path(fcs.file_name("/9")))
