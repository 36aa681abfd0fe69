"""The sanctions lens's in-memory tables are named after their content (issue 14): a lens
asked again in a new process is the same SQL, found compiled in the SQL cache."""

from __future__ import annotations

import ibis
import pyarrow as pa

from bilateral.answers import sanctions
from bilateral.backends import compiled
from bilateral.reference.list_matching import MATCH_SCHEMA, ListMatch
from bilateral.reference.lists import ProductList


def _match(products: list[str]) -> ListMatch:
    rows = {
        "classification": ["CN8"] * len(products),
        "product": products,
        "year": [2022] * len(products),
        "list_code": products,
        "tier": ["listed"] * len(products),
    }
    product_list = ProductList(name="test", title="test", entries=())
    return ListMatch(product_list, pa.table(rows, schema=MATCH_SCHEMA))


def test_match_table_is_named_after_its_content_with_the_match_schema():
    first = sanctions._match_table(_match(["84011000", "85171300"]))
    again = sanctions._match_table(_match(["84011000", "85171300"]))
    other = sanctions._match_table(_match(["84011000"]))
    assert first.get_name() == again.get_name() != other.get_name()
    assert first.schema() == ibis.memtable(_match(["84011000"]).table).schema()
    assert compiled.fingerprint(first.op())  # never Uncacheable


def test_monthly_rates_are_named_after_their_content():
    assert compiled.fingerprint(sanctions._monthly_rates().op())
