"""Requests bilateral cannot answer as given are domain errors (issue 14): the command line
prints one line and exits 1, the web API answers 422 with the same words, and the
library raises :class:`bilateral.errors.InvalidRequestError` (a ValueError too) naming
what was given, what was expected and what to do."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import ibis
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from bilateral.backends import engines
from bilateral.cli import app
from bilateral.errors import BilateralError, InvalidRequestError
from bilateral.indicators.flows import cagr
from bilateral.indicators.specialisation import rca, trade_intensity
from bilateral.indicators.structure import composition
from bilateral.schema import FLOW_SCHEMA
from bilateral.web.app import create_app
from tests.conftest import LOCAL

runner = CliRunner()
ONE_COUNTRY = r"two different countries; got KAZ twice\. Give a partner other than KAZ"


def _flows() -> Any:
    return ibis.memtable(FLOW_SCHEMA.empty_table())


@pytest.mark.parametrize(
    ("ask", "message"),
    [
        pytest.param(lambda: engines.connect("sqlite"),
                     r"Unknown engine 'sqlite'; choose one of duckdb, spark\.", id="engine"),
        pytest.param(lambda: composition(_flows(), "RUS", "KAZ", 2022, "aisle"),
                     r"Unknown level 'aisle'; choose one of section, chapter", id="level"),
        pytest.param(lambda: composition(_flows(), "RUS", "KAZ", 2022, rows="HS10"),
                     r"Unknown kind of rows 'HS10'; choose one of HS6, CN8, FAO\.", id="rows"),
        pytest.param(lambda: rca(_flows(), 2022, level="aisle"),
                     r"Unknown level 'aisle'; choose one of", id="rca-level"),
        pytest.param(lambda: trade_intensity(_flows(), "KAZ", "KAZ", 2022),
                     ONE_COUNTRY, id="one-country"),
        pytest.param(lambda: cagr(_flows(), 2023, 2021),
                     r"after the start year; got 2023-2021\. Give the earlier year first",
                     id="backwards"),
    ],
)  # fmt: skip
def test_the_library_names_what_was_given_and_what_to_do(
    ask: Callable[[], Any], message: str
) -> None:
    with pytest.raises(InvalidRequestError, match=message) as raised:
        ask()
    assert isinstance(raised.value, BilateralError) and isinstance(raised.value, ValueError)


def test_the_image_formats_and_ranking_flows_are_named() -> None:
    pytest.importorskip("vl_convert")
    import altair as alt

    from bilateral.report.figures import partner_ranking
    from bilateral.report.images import render_chart

    formats = r"Unknown image format 'gif'; choose one of png, svg, json\."
    with pytest.raises(InvalidRequestError, match=formats):
        render_chart(alt.Chart(), "gif")
    with pytest.raises(InvalidRequestError, match=r"Unknown flow 'transit'; choose one of"):
        partner_ranking(None, "KAZ", 2022, flow="transit")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "command",
    [
        pytest.param(["profile", "KAZ", "Kazakhstan", "--year", "2022"], id="profile"),
        pytest.param(["series", "KAZ", "KAZ"], id="series"),
    ],
)
def test_the_command_line_prints_one_line_for_a_pair_of_one_country(bns_store, command):
    result = runner.invoke(app, ["--store", str(bns_store), *command])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    [line] = [text for text in result.output.splitlines() if text.strip()]
    assert line.startswith("Error: A pair needs two different countries; got KAZ twice.")


def test_the_web_api_answers_422_for_a_pair_of_one_country(bns_store):
    with TestClient(create_app(bns_store), base_url=LOCAL) as client:
        answer = client.get(
            "/api/profile", params={"reporter": "KAZ", "partner": "kazakhstan", "year": 2022}
        )
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(
        "A pair needs two different countries; got KAZ twice."
    )
