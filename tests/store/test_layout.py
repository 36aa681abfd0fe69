"""Parquet layout: year slices sorted by exporter, importer, product; text read back as text."""

from __future__ import annotations

import random

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from bilateral.schema import FLOW_SCHEMA, conform
from bilateral.store import layout as parquet_layout


def flows(rows: list[tuple[int, str, str, str, float]]) -> pa.Table:
    """Canonical rows (year, exporter, importer, product, value) with constant provenance."""
    year, exporter, importer, product, value = (list(c) for c in zip(*rows, strict=True))
    return conform(
        pa.table(
            {
                "source": ["baci"] * len(rows),
                "release": ["V202501"] * len(rows),
                "year": year,
                "exporter": exporter,
                "importer": importer,
                "reported_by": ["reconciled"] * len(rows),
                "classification": ["HS22"] * len(rows),
                "product": product,
                "value_usd": value,
                "file_sha256": ["f" * 64] * len(rows),
            }
        )
    )


ROWS = [
    (2022, "RUS", "KAZ", "100199", 1.0),
    (2021, "KAZ", "RUS", "270900", 2.0),
    (2022, "KAZ", "RUS", "100199", 3.0),
    (2022, "CHN", "KAZ", "847130", 4.0),
    (2021, "KAZ", "CHN", "260300", 5.0),
    (2022, "KAZ", "CHN", "010121", 6.0),
    (2022, "KAZ", "CHN", "010111", 7.0),
    (2021, "AFG", "ZWE", "999999", 8.0),
]


def key(row: dict[str, object]) -> tuple[object, ...]:
    return (row["year"], row["exporter"], row["importer"], row["product"])


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param(ROWS, id="two-years-shuffled"),
        pytest.param(sorted(ROWS), id="already-in-order"),
        pytest.param(ROWS[:1], id="one-row"),
        pytest.param(random.Random(6).sample(ROWS * 50, 400), id="repeated-keys"),
    ],
)
def test_year_slices_hold_every_row_sorted(rows):
    table = flows(rows)
    slices = list(parquet_layout.years(table))
    assert [year for year, _ in slices] == sorted({r[0] for r in rows})
    seen = []
    for year, part in slices:
        records = part.to_pylist()
        assert {r["year"] for r in records} == {year}
        assert [key(r) for r in records] == sorted(key(r) for r in records)
        seen.extend(records)
    # Same rows, none lost or doubled; a stable sort keeps equal keys in input order.
    expected = sorted(table.to_pylist(), key=key)
    assert seen == expected


def test_written_files_read_back_as_the_canonical_schema(tmp_path):
    table = flows(ROWS)
    for year, part in parquet_layout.years(table):
        target = tmp_path / f"{year}.parquet"
        parquet_layout.write(part, target)
        back = pq.read_table(target)
        assert back.schema.equals(FLOW_SCHEMA, check_metadata=False)
        assert back.to_pylist() == part.cast(FLOW_SCHEMA).to_pylist()


def test_text_columns_are_dictionaries_and_constants_have_one_entry():
    encoded = parquet_layout.encode(flows(ROWS))
    assert pa.types.is_dictionary(encoded.schema.field("exporter").type)
    assert len(encoded.column("source").chunk(0).dictionary) == 1
    assert len(encoded.column("exporter").chunk(0).dictionary) == 4  # RUS KAZ CHN AFG
    # A column that is null throughout stays a plain null string column.
    assert encoded.schema.field("transport_mode").type == pa.string()
    assert encoded.schema.field("exporter").nullable is False


def test_a_key_too_wide_for_integers_falls_back_to_arrow_sort(monkeypatch):
    monkeypatch.setattr(parquet_layout, "_LARGEST_KEY", 4)
    table = flows(ROWS)
    assert parquet_layout.sort_order(parquet_layout.encode(table), ("year", "exporter")) is None
    slices = list(parquet_layout.years(table))
    seen = [r for _, part in slices for r in part.to_pylist()]
    assert [key(r) for r in seen] == sorted(key(r) for r in table.to_pylist())


def test_an_empty_table_has_no_slices():
    assert list(parquet_layout.years(FLOW_SCHEMA.empty_table())) == []
