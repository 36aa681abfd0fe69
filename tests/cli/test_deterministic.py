"""The same store and question give the same bytes (issue 16), and JSON output is always
valid JSON: no NaN or Infinity, whatever a computation gives."""

from __future__ import annotations

import json
import math

import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.engine.records import Profile, Record, steady
from bilateral.formats import to_json
from tests.fixtures_baci import write_release

runner = CliRunner()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("deterministic")
    releases = [str(write_release(folder, hs)) for hs in ("HS92", "HS22")]
    path = str(folder / "store")
    result = runner.invoke(app, ["--store", path, "ingest", *releases])
    assert result.exit_code == 0, result.stderr
    return path


def test_profile_json_is_byte_identical_on_repeated_runs(store: str) -> None:
    args = ["--store", store, "profile", "KAZ", "RUS", "--year", "2022", "--format", "json"]
    outputs = {runner.invoke(app, args).stdout for _ in range(3)}
    assert len(outputs) == 1
    names = [r["name"] for r in json.loads(outputs.pop())["indicators"]]
    assert "trade_complementarity" in names


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(0.1 + 0.2, 0.3, id="last-digit-drift"),
        pytest.param(26_973_456_789.125, 26_973_456_789.1, id="money-12-digits"),
        pytest.param({"a": [1 / 3]}, {"a": [0.333333333333]}, id="nested"),
        pytest.param(math.inf, math.inf, id="infinite-left-to-json"),
        pytest.param(7, 7, id="integer"),
    ],
)
def test_steady_rounds_floats_to_twelve_significant_digits(value: object, expected: object) -> None:
    assert steady(value) == expected


@pytest.mark.parametrize(
    "payload",
    [
        pytest.param({"value": math.inf}, id="infinity"),
        pytest.param({"values": [math.nan, -math.inf]}, id="nan-in-a-list"),
        pytest.param({"detail": {"share": math.nan}}, id="nested-nan"),
    ],
)
def test_json_output_has_no_nan_or_infinity(payload: dict[str, object]) -> None:
    text = to_json(payload)
    assert "Infinity" not in text and "NaN" not in text
    json.loads(text, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))


def test_a_profile_with_an_infinite_value_gives_null() -> None:
    record = Record("rca", math.inf, "index", "baci", None, 2022, detail={"x": math.nan})
    profile = Profile("KAZ", "RUS", 2022, ["baci"], [record])
    (written,) = json.loads(profile.to_json())["indicators"]
    assert written["value"] is None and written["detail"] == {"x": None}
