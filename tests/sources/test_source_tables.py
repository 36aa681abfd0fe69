"""Every published file of the FCS, Eurostat and FAOSTAT readers becomes a canonical table
whose codes the country reference knows and whose rows the store can key."""

from __future__ import annotations

from pathlib import Path

import pyarrow.compute as pc
import pytest

from bilateral.reference.countries import countries
from bilateral.schema import FLOW_SCHEMA, REPORTED_BY, VALUATIONS
from bilateral.sources import reader_for
from bilateral.sources.base import file_sha256

SHARED = Path(__file__).parents[2].parent / "shared" / "data"
FILES = [
    ("ru_fcs", "ru-fcs/94itog.xlsx"),
    ("ru_fcs", "ru-fcs/96stran.xlsx"),
    ("ru_fcs", "ru-fcs/fcs_strany_122023.xlsx"),
    ("ru_fcs", "ru-fcs/fcs_publikaciya_TSTV_2022.xlsx"),
    ("eurostat", "eurostat/eu_member_exports_to_KAZ_monthly.csv"),
    ("eurostat", "eurostat/eu_member_exports_to_RUS_monthly.csv"),
    ("eurostat", "eurostat/eu27_exports_by_partner_annual_2010_2023.csv"),
    ("faostat", "faostat/KAZ_faostattm.csv"),
    ("faostat", "faostat/RUS_faostattm.csv"),
]
KEY = ["year", "month", "exporter", "importer", "reported_by", "classification", "product"]


@pytest.mark.shared_data
@pytest.mark.parametrize(("source", "relative"), FILES, ids=[f[1] for f in FILES])
def test_published_file_gives_a_canonical_table(source: str, relative: str) -> None:
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{relative} is not present")
    reader = reader_for(path)
    assert reader.source == source
    sha = file_sha256(path)
    result = reader.read(path, sha)
    table = result.table
    assert table.schema == FLOW_SCHEMA and table.num_rows > 0
    assert set(table.column("source").to_pylist()) == {source}
    assert set(table.column("release").to_pylist()) == {result.release}
    assert set(table.column("file_sha256").to_pylist()) == {sha}
    assert set(table.column("reported_by").to_pylist()) <= set(REPORTED_BY)
    assert set(table.column("valuation").to_pylist()) <= set(VALUATIONS)
    assert table.column("value_usd").null_count == 0
    assert pc.all(pc.greater_equal(table.column("value_usd"), 0)).as_py()
    known = countries().by_code
    for column in ("exporter", "importer"):
        assert set(table.column(column).to_pylist()) <= set(known)
    assert pc.sum(pc.equal(table.column("exporter"), table.column("importer"))).as_py() == 0
    keys = list(zip(*(table.column(c).to_pylist() for c in KEY), strict=True))
    assert len(keys) == len(set(keys)), "two rows share an observation key"
