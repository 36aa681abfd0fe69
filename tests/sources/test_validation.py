"""Nothing impossible enters the store (issue 16): each bad input below, in its publisher's
exact format, is refused with one line naming the file, (sheet,) row or line, column and
value, and the store is byte-identical afterwards. A publisher's own "not available" mark
stays not available: no row, never zero, never an error."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pytest

from bilateral.errors import SourceFormatError, UnknownSourceError
from bilateral.schema import flow_table
from bilateral.sources import reader_for
from bilateral.sources.validation import check
from bilateral.store import Store
from bilateral.store.store import expand_inputs
from tests.bns_workbook import write_bns_xls
from tests.conftest import shared, snapshot
from tests.fixtures_baci import write_release, write_year

BACI_HEADER = "t,i,j,k,v,q\n"
BACI_GOOD = "2022,643,398,100199,499999.999,1799999.000\n"
BNS_TOTAL = ["Всего", 25.0, 100, 5.0, 100, 20.0, 100]
ARMSTAT_HEADER = "country,year,month,export,import_origin,import_consignment,date\n"
EUROSTAT_HEADER = "REPORTER,PARTNER,FLOW,period,VALUE_IN_EUR\n"


def baci_zip(body: str) -> Callable[[Path], Path]:
    return lambda folder: write_release(folder, "HS22", year_texts={2022: BACI_HEADER + body})


def baci_csv(text: str) -> Callable[[Path], Path]:
    return lambda folder: write_year(folder, "HS22", 2022, text=text, with_country_codes=True)


def bns(partner: list[object], total: list[object] = BNS_TOTAL) -> Callable[[Path], Path]:
    return lambda folder: write_bns_xls(folder / "bns_bad.xls", [total, partner])


def text_file(name: str, text: str) -> Callable[[Path], Path]:
    def write(folder: Path) -> Path:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


def armstat(line: str) -> Callable[[Path], Path]:
    return text_file("armstat_trade_by_country_monthly.csv", ARMSTAT_HEADER + line)


def eurostat(line: str) -> Callable[[Path], Path]:
    return text_file("eu_member_exports_to_KAZ_monthly.csv", EUROSTAT_HEADER + line)


MEMBER = r"BACI_HS22_V202501\.zip, member BACI_HS22_Y2022_V202501\.csv"

BAD_INPUTS = [
    pytest.param(baci_zip(BACI_GOOD + "2022,156,398,851713,nan,900.125\n"),
                 MEMBER + r", line 3, field 'value_original': nan \(2022 CHN -> KAZ HS22 851713\);"
                 r" expected a finite number >= 0", id="baci-nan"),
    pytest.param(baci_zip(BACI_GOOD + "2022,156,398,851713,inf,900.125\n"),
                 MEMBER + r", line 3, field 'value_original': inf", id="baci-inf"),
    pytest.param(baci_zip(BACI_GOOD + "2022,156,398,851713,1e400,900.125\n"),
                 MEMBER + r", line 3, field 'value_original': inf", id="baci-1e400"),
    pytest.param(baci_zip(BACI_GOOD + "2022,156,398,851713,-5.000,900.125\n"),
                 MEMBER + r", line 3, field 'value_original': -5\.0", id="baci-negative"),
    pytest.param(baci_zip(BACI_GOOD + "2022,156,398,851713,5.000,-1\n"),
                 MEMBER + r", line 3, field 'quantity': -1\.0", id="baci-negative-quantity"),
    pytest.param(baci_zip(BACI_GOOD + "2022,156,398,8517AB,5.000,1\n"),
                 MEMBER + r", line 3, field 'k': product code '8517AB'; expected an HS code",
                 id="baci-letters-in-product"),
    pytest.param(baci_zip(BACI_GOOD + "2022,156,398,851713,5.000,1\n" + BACI_GOOD),
                 MEMBER + r", line 4: the observation 2022 RUS -> KAZ HS22 100199 appears 2 "
                 r"times \(also line 2\); expected one row per observation",
                 id="baci-duplicate-row"),
    pytest.param(baci_zip(BACI_GOOD + "2022,156,398,851713,5.000,97"),
                 MEMBER + r": the last line does not end with a line break", id="baci-cut-zip"),
    pytest.param(baci_csv(BACI_HEADER + BACI_GOOD + "2022,156,398,851713,250000.25,97"),
                 r"BACI_HS22_Y2022_V202501\.csv: the last line does not end with a line break",
                 id="baci-cut-csv"),
    pytest.param(bns(["Россия", 20.0, 66.7, 5.0, 50, -15.0, 75]),
                 r"bns_bad\.xls, sheet '2022', row 7, field 'value_original': -15\.0 "
                 r"\(2022 RUS -> KAZ TOTAL TOTAL\)", id="bns-negative"),
    pytest.param(bns(["Россия", 20.0, 66.7, 5.0, 50, "inf", 75]),
                 r"bns_bad\.xls, sheet '2022', row 7, field 'value_original': inf",
                 id="bns-inf"),
    pytest.param(bns(["Россия", 20.0, 66.7, 5.0, 50, "nan", 75]),
                 r"bns_bad\.xls, sheet '2022', row 7, field 'value_original': nan",
                 id="bns-nan"),
    pytest.param(bns(["Россия", 28.4, 100, 8.4, 100, 20.0, 100],
                     ["Всего", 30.0, 100, 10.0, 100, 20.0, 100]),
                 r"bns_bad\.xls, sheet '2022', row 6, field 'exports': the partner countries' "
                 r"exports add up to 8\.4 thousand USD, -16\.00% off the printed total 10\.0",
                 id="bns-partner-sum-16pct-off"),
    pytest.param(armstat('"Georgia",2022,1,-1,2,3,"2022-01-01"\n'),
                 r"armstat_trade_by_country_monthly\.csv, row 2, field 'value_original': -1\.0 "
                 r"\(2022-01 KAZ -> GEO|2022-01 ARM -> GEO", id="armstat-negative"),
    pytest.param(armstat('"Georgia",2022,1,1,nan,3,"2022-01-01"\n'),
                 r"row 2, field 'value_original': nan", id="armstat-nan"),
    pytest.param(armstat('"Georgia",2022,1,1,2,3,"2022-01-01"'),
                 r"the last line does not end with a line break", id="armstat-cut"),
    pytest.param(eurostat("Austria,Kazakhstan,EXPORT,2019-01,-100\n"),
                 r"eu_member_exports_to_KAZ_monthly\.csv, row 2, field 'value_original': "
                 r"-100\.0 \(2019-01 AUT -> KAZ TOTAL TOTAL\)", id="eurostat-negative"),
    pytest.param(eurostat("Austria,Kazakhstan,EXPORT,2019-01,1e400\n"),
                 r"row 2, field 'value_original': inf", id="eurostat-1e400"),
]  # fmt: skip


@pytest.fixture
def store(store_holding_a_file: Store) -> Store:
    return store_holding_a_file


@pytest.mark.parametrize(("write", "message"), BAD_INPUTS)
def test_a_bad_input_is_refused_and_the_store_is_unchanged(
    store: Store, tmp_path: Path, write: Callable[[Path], Path], message: str
) -> None:
    folder = tmp_path / "bad"
    folder.mkdir()
    path = write(folder)
    before = snapshot(store.root)
    with pytest.raises(SourceFormatError, match=message) as refused:
        store.ingest([path])
    assert "\n" not in str(refused.value)
    assert snapshot(store.root) == before


NOT_AVAILABLE = [
    pytest.param(["Россия", 20.0, 66.7, 5.0, 50, mark, 75], id=f"bns-{name}")
    for name, mark in (("ellipsis", "…"), ("colon", ":"), ("dash", "-"), ("x", "x"))
]


@pytest.mark.parametrize("partner", NOT_AVAILABLE)
def test_a_publishers_not_available_mark_gives_no_row(
    store: Store, tmp_path: Path, partner: list[object]
) -> None:
    path = write_bns_xls(
        tmp_path / "bns_marks.xls",
        [["Всего", 30.0, 100, 5.0, 100, 20.0, 100], partner],
    )
    (report,) = store.ingest([path])
    assert report.status == "ingested"
    flows = store.execute(store.flows("kz_bns"))
    pairs = set(zip(flows.exporter, flows.importer, strict=True))
    assert ("KAZ", "RUS") in pairs
    assert ("RUS", "KAZ") not in pairs  # not available: no row, never a zero


def test_a_missing_comext_value_is_not_available(store: Store, tmp_path: Path) -> None:
    path = eurostat("Austria,Kazakhstan,EXPORT,2019-01,:\nAustria,Kazakhstan,EXPORT,2019-02,7\n")(
        tmp_path
    )
    store.ingest([path])
    flows = store.execute(store.flows("eurostat"))
    assert flows.month.tolist() == [2]


ROW = dict(
    source="kz_bns",
    release="2023",
    year=2023,
    exporter="KAZ",
    importer="RUS",
    reported_by="exporter",
    classification="TOTAL",
    product="TOTAL",
    value_usd=1.0,
    file_sha256="ab",
)

RULES = [
    pytest.param({"year": 1800}, r"field 'year': 1800", id="year"),
    pytest.param({"month": 13}, r"field 'month': 13", id="month"),
    pytest.param({"exporter": "kaz"}, r"field 'exporter': 'kaz'", id="lower-case-code"),
    pytest.param({"reported_by": "both"}, r"field 'reported_by': 'both'", id="reported-by"),
    pytest.param({"currency": "dollars"}, r"field 'currency': 'dollars'", id="currency"),
    pytest.param({"classification": "HS22", "product": "10011"},
                 r"field 'product': '10011'.*expected for HS22, an HS or CN code", id="odd-hs"),
    pytest.param({"classification": "CN8", "product": "1001 19 00"},
                 r"field 'product': '1001 19 00'", id="cn8-with-spaces"),
    pytest.param({"classification": "TOTAL", "product": "1001"},
                 r"field 'product': '1001'", id="total-with-a-code"),
    pytest.param({"product": None}, r"field 'product': the value is missing", id="no-product"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), RULES)
def test_column_rules(change: dict[str, object], message: str) -> None:
    table = flow_table([ROW, {**ROW, "importer": "CHN", **change}])
    places = pa.table({"sheet": ["2023", "2023"], "row": [7, 8]})
    with pytest.raises(SourceFormatError, match=r"x\.xls, sheet '2023', row 8, " + message):
        check(table, Path("x.xls"), places)


def test_good_rows_pass_and_come_back_canonical() -> None:
    table = flow_table([ROW, {**ROW, "importer": "CHN", "value_usd": None}])
    assert check(table, Path("x.xls")).num_rows == 2


def test_a_repeat_across_parts_of_one_file_is_refused(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A zip of repeated rows: in a year of millions of rows the repeat falls in another
    part than the first, so each part alone has no repeat."""
    import bilateral.sources.baci as baci

    whole = baci.read_year

    def one_row_parts(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        for table, places, done in whole(*args, **kwargs):  # type: ignore[arg-type]
            for i in range(table.num_rows):
                yield table.slice(i, 1), places.slice(i, 1), done

    monkeypatch.setattr(baci, "read_year", one_row_parts)
    path = write_release(tmp_path, "HS22", year_texts={2022: BACI_HEADER + BACI_GOOD * 3})
    before = snapshot(store.root)
    with pytest.raises(
        SourceFormatError,
        match=r"BACI_HS22_V202501\.zip: the observation 2022 RUS -> KAZ HS22 100199 appears 3 "
        r"times; expected one row per observation",
    ):
        store.ingest([path])
    assert snapshot(store.root) == before


@pytest.mark.shared_data
def test_every_published_file_passes_the_checks() -> None:
    """The published files in ../shared/data are all accepted (checked as the store checks
    them on ingest, without writing a store; of Comext's 23 workbooks of one layout, one)."""
    checked = 0
    for path, _ in expand_inputs([shared()]):
        if path.parent.name == "comext-cn8" and not path.name.startswith(("22_", "eu_total")):
            continue
        try:
            reader = reader_for(path)
        except UnknownSourceError:
            continue
        if "codes" in path.name:  # BACI's country and product lists, read with the data
            continue
        for part in reader.read_parts(path, "0" * 64):
            check(part.table, path, part.places)
        checked += 1
    assert checked >= 20
