"""How table cells are printed in the report (the dashboard's JavaScript must agree)."""

from __future__ import annotations

import pytest

from bilateral.report.tables import format_cell, format_evidence, format_stated
from tests.printed_figures import CELLS, EVIDENCE, STATED


@pytest.mark.parametrize(("value", "kind", "printed"), CELLS)
def test_cells_print_with_units_and_unknown_is_not_available(value, kind, printed):
    assert format_cell(value, kind) == printed


@pytest.mark.parametrize(("stated", "printed"), STATED)
def test_stated_figures_read_as_written(stated, printed):
    assert format_stated(stated) == printed


@pytest.mark.parametrize(("item", "unit", "printed"), EVIDENCE)
def test_evidence_is_printed_in_the_claims_unit_with_its_source(item, unit, printed):
    assert format_evidence(item, unit) == printed
