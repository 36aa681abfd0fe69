"""The vendored JavaScript: the files VENDORED.md lists, unchanged, in the versions Altair needs."""

from __future__ import annotations

import hashlib
import re

import altair as alt
import pytest
from altair.vegalite.v6 import display

from bilateral.report.vendor import SCRIPTS, VENDOR_DIR

LISTED = re.findall(
    r"^\| `([^`]+)` \| ([\w-]+) \| ([\d.]+) \| .* \| `([0-9a-f]{64})` \|$",
    (VENDOR_DIR / "VENDORED.md").read_text(encoding="utf-8"),
    flags=re.MULTILINE,
)


@pytest.mark.parametrize(
    ("file", "package", "version", "sha256"), LISTED, ids=[r[0] for r in LISTED]
)
def test_each_listed_file_is_the_published_one(file, package, version, sha256):
    data = (VENDOR_DIR / file).read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha256
    if file.endswith(".js"):  # the libraries name their own version
        assert version.encode() in data
    assert (VENDOR_DIR / f"LICENSE-{package.removesuffix('-dist')}").exists()


def test_every_script_the_pages_load_is_listed():
    assert {file for file, _ in SCRIPTS.values()} <= {row[0] for row in LISTED}
    listed_versions = {row[1]: row[2] for row in LISTED}
    assert {p: v for p, (_, v) in SCRIPTS.items()} == {p: listed_versions[p] for p in SCRIPTS}


def test_vendored_versions_are_the_ones_altair_writes_specs_for():
    assert "v" + SCRIPTS["vega-lite"][1] == alt.SCHEMA_VERSION
    assert SCRIPTS["vega"][1].split(".")[0] == display.VEGA_VERSION.split(".")[0]
    assert SCRIPTS["vega-embed"][1].split(".")[0] == display.VEGAEMBED_VERSION.split(".")[0]
