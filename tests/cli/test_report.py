"""``bilateral report`` and ``bilateral chart``: one offline HTML file, and charts as files."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bilateral.cli import app
from bilateral.formats import format_money
from bilateral.report import contents
from bilateral.report.vendor import SCRIPTS
from tests.bns_cells import WORKBOOK_2022, WORKBOOK_2023, bns_usd
from tests.conftest import snapshot
from tests.ecb_rates import published_annual_rates

runner = CliRunner()
ARTICLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "articles" / ("kz-ru-2023-11-visit.txt")
)


def run(store, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--store", str(store), *args])
    return result.exit_code, result.stdout, result.stderr


class Resources(HTMLParser):
    """Every reference an HTML page makes to another file, and its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.references: list[str] = []
        self.inline_scripts: list[dict[str, str | None]] = []
        self.cells: list[str] = []
        self.headings: list[str] = []
        self._in_td = False
        self._in_th = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        for name in ("src", "href", "data"):
            if attributes.get(name) and not str(attributes[name]).startswith("#"):
                self.references.append(f"{tag} {name}={attributes[name]}")
        if tag == "script":
            self.inline_scripts.append(attributes)
        self._in_td = tag == "td"
        self._in_th = tag == "th"

    def handle_data(self, data):
        if self._in_td:
            self.cells.append(data.strip())
        if self._in_th:
            self.headings.append(data.strip())


def chart_specs(html: str) -> list[dict]:
    """The Vega-Lite specs a report inlines, parsed."""
    marker = '<script type="application/json" data-chart="'
    specs = []
    for chunk in html.split(marker)[1:]:
        body = chunk.split('">', 1)[1].split("</script>", 1)[0]
        specs.append(json.loads(body))
    return specs


def money_axis_titles(spec: dict) -> list[str]:
    """The titles of every axis that draws money (the ``billions`` field) in a spec."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            if node.get("field") == "billions" and "title" in node:
                found.append(node["title"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk({k: v for k, v in spec.items() if k != "datasets"})
    return found


@pytest.fixture(scope="module")
def report_html(bns_store, tmp_path_factory) -> str:
    out = tmp_path_factory.mktemp("report") / "report.html"
    code, _, stderr = run(bns_store, "report", "KAZ", "Россия", "--year", "2022", "-o", str(out))
    assert code == 0, stderr
    return out.read_text(encoding="utf-8")


def test_report_refers_to_no_other_file_and_inlines_the_vega_libraries(report_html):
    page = Resources()
    page.feed(report_html)
    assert page.references == []
    assert all("src" not in script for script in page.inline_scripts)
    for filename, version in SCRIPTS.values():
        assert version in report_html, filename
    assert 't.version="6.4.0"' in report_html  # Vega's own source, not a link to it


def test_report_headline_turnover_is_the_printed_bns_figure(report_html):
    # 2023 publication, sheet '2022', row 'Россия', column B (thousand USD).
    expected = format_money(bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover"))
    page = Resources()
    page.feed(report_html)
    assert expected == "$26.97 bn"
    assert expected in page.cells


@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_report_names_its_currency_in_every_money_heading_and_axis(bns_store, tmp_path, currency):
    out = tmp_path / "report.html"
    code, _, stderr = run(
        bns_store, "report", "KAZ", "RUS", "-y", "2022", "--currency", currency, "-o", str(out)
    )
    assert code == 0, stderr
    html = out.read_text(encoding="utf-8")
    page = Resources()
    page.feed(html)
    # 2023 publication, sheet '2022', row 'Россия', column B; in euro at the ECB's 2022 mean
    usd = bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover")
    rate = published_annual_rates()[2022] if currency == "EUR" else 1.0
    assert format_money(usd / rate, currency) in page.cells
    for heading in ("Turnover", "Exports", "Imports", "Balance"):
        assert f"{heading}, {currency}" in page.headings
    other = {"USD": "EUR", "EUR": "USD"}[currency]
    assert not [h for h in page.headings if h.endswith(f", {other}")]
    titles = [t for spec in chart_specs(html) for t in money_axis_titles(spec)]
    assert titles and set(titles) == {f"{currency} bn"}


def test_report_chart_specs_are_vega_lite_with_their_data_inline(report_html):
    specs = chart_specs(report_html)
    assert len(specs) == 3  # series, partners, mirror; structure and dependence lack data
    for spec in specs:
        assert spec["$schema"].endswith("/v6.4.1.json")
        assert spec.get("datasets"), "every chart carries its rows"
        assert "url" not in json.dumps(spec.get("data", {}))


def test_report_does_not_touch_the_store(bns_store, tmp_path):
    before = snapshot(bns_store)
    code, _, _ = run(
        bns_store, "report", "KAZ", "RUS", "--year", "2023", "-o", str(tmp_path / "r.html")
    )
    assert code == 0
    assert snapshot(bns_store) == before


def fake_checker(store, text):
    """Stands in for the claim checker to test rendering only: echoes the text as a claim."""
    return {
        "claims": [
            {
                "text": text,
                "verdict": "contradicted",
                "stated": {"value": 27e9, "unit": "USD", "hedge": "about"},
                "evidence": [
                    {"source": "kz_bns", "reported_by": "KAZ", "year": 2022, "value": 2.5e10}
                ],
                "explanation": "</td></tr></table><script>alert('explanation')</script>",
            }
        ]
    }


def test_claims_from_the_text_are_shown_escaped(bns_store, tmp_path, monkeypatch):
    monkeypatch.setattr(contents, "check_text", fake_checker)
    text = tmp_path / "article.txt"
    text.write_text("Turnover <script>alert('x')</script> reached $27 bn", encoding="utf-8")
    out = tmp_path / "r.html"
    code, _, stderr = run(
        bns_store, "report", "KAZ", "RUS", "-y", "2022", "--check", str(text), "-o", str(out)
    )
    assert code == 0, stderr
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert 'class="verdict verdict-contradicted"' in html
    assert "$25.00 bn (kz_bns, KAZ, 2022)" in html


def test_report_with_the_article_shows_the_checkers_verdicts(bns_store, tmp_path):
    article = ARTICLE if ARTICLE.exists() else pytest.skip("article not available")
    out = tmp_path / "r.html"
    code, _, stderr = run(
        bns_store, "report", "KAZ", "RUS", "-y", "2022", "--check", str(article), "-o", str(out)
    )
    assert code == 0, stderr
    html = out.read_text(encoding="utf-8")
    claims = html.split('<section id="claims">', 1)[1].split("</section>", 1)[0]
    rows = claims.split("<tr>")[2:]
    # The same verdicts, in the same order, as `bilateral check --format json`.
    code, stdout, _ = run(bns_store, "check", str(article), "--format", "json")
    expected = json.loads(stdout)["claims"]
    assert len(rows) == len(expected)
    for row, claim in zip(rows, expected, strict=True):
        assert f'verdict-{"-".join(claim["verdict"].split())}"' in row
    # "... reached $27 billion": the 2022 turnover, 2023 publication, sheet '2022', row
    # 'Россия', column B; "increased by more than 10%": against the 2021 figure revised in
    # the 2022 publication, sheet '2021'.
    turnover = format_money(bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover"))
    growth = (
        bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover")
        / bns_usd(WORKBOOK_2022, "2021", "Россия", "turnover")
        - 1
    ) * 100
    assert f"{turnover} (kz_bns, KAZ, 2022)" in claims
    assert f"{growth:.2f}% (kz_bns, KAZ, 2022)" in claims


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["report", "KAZ", "Atlantis", "-y", "2022"],
            "Unknown country or aggregate 'Atlantis'",
            id="unknown-country",
        ),
        pytest.param(
            ["report", "KAZ", "Казахстан", "-y", "2022"],
            "Reporter and partner are both Kazakhstan; choose two countries.",
            id="same-country",
        ),
        pytest.param(
            ["report", "KAZ", "RUS", "-y", "1999"],
            "No figures for KAZ-RUS in 1999 in the store; it has KAZ-RUS for 2018-2023.",
            id="year-not-held",
        ),
        pytest.param(
            ["report", "KAZ", "RUS", "-y", "2022", "--source", "baci"],
            "Source 'baci' is not in the store; it holds kz_bns.",
            id="source-not-held",
        ),
        pytest.param(
            ["chart", "pie", "KAZ", "RUS", "-y", "2022", "-o", "x.png"],
            "Unknown chart 'pie'; choose one of series, partners, structure, dependence, mirror.",
            id="unknown-chart",
        ),
        pytest.param(
            ["chart", "series", "KAZ", "RUS", "-y", "2022", "-f", "gif", "-o", "x.gif"],
            "Unknown chart format 'gif'; choose one of png, svg, json.",
            id="unknown-image-format",
        ),
        pytest.param(
            ["chart", "structure", "KAZ", "RUS", "-y", "2022", "-o", "x.png"],
            "No structure chart for Kazakhstan and Russia, 2022: "
            "not available in kz_bns: it has no HS product detail",
            id="chart-without-data",
        ),
    ],
)
def test_bad_requests_are_one_line_and_exit_1(bns_store, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = run(bns_store, *args)
    assert code == 1
    assert message in " ".join(stderr.split())
    assert "Traceback" not in stdout + stderr


def test_check_file_that_is_not_utf8_is_named(bns_store, tmp_path):
    text = tmp_path / "latin1.txt"
    text.write_bytes("Товарооборот".encode("cp1251"))
    code, _, stderr = run(
        bns_store,
        "report",
        "KAZ",
        "RUS",
        "-y",
        "2022",
        "--check",
        str(text),
        "-o",
        str(tmp_path / "r.html"),
    )
    assert code == 1
    assert "latin1.txt: byte 0 is not UTF-8; expected a UTF-8 text file." in " ".join(
        stderr.split()
    )


@pytest.mark.parametrize("kind", ["series", "partners", "mirror"])
def test_chart_renders_png_and_svg(bns_store, tmp_path, kind):
    png, svg = tmp_path / f"{kind}.png", tmp_path / f"{kind}.svg"
    for fmt, path in (("png", png), ("svg", svg)):
        code, _, stderr = run(
            bns_store, "chart", kind, "KAZ", "RUS", "-y", "2022", "-f", fmt, "-o", str(path)
        )
        assert code == 0, stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    width = int.from_bytes(png.read_bytes()[16:20], "big")
    assert width > 300
    root = ET.fromstring(svg.read_text(encoding="utf-8"))
    assert root.tag.endswith("svg")
    assert len(root.findall(".//{http://www.w3.org/2000/svg}path")) > 0


def test_partner_chart_draws_the_partners_it_ranks(bns_store, tmp_path):
    out = tmp_path / "partners.svg"
    code, _, stderr = run(
        bns_store, "chart", "partners", "KAZ", "RUS", "-y", "2022", "-f", "svg", "-o", str(out)
    )
    assert code == 0, stderr
    svg = out.read_text(encoding="utf-8")
    for name in ("Russia", "China", "Italy"):
        assert f">{name}<" in svg
