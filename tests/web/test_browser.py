"""End to end in headless Chromium: the dashboard over a real uvicorn, and the HTML report.

Every expected figure is read from the BNS workbooks in the test (tests/bns_cells.py);
screenshots of each view are kept in test-output/.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import httpx
import pytest

from bilateral.formats import format_money
from bilateral.report.contents import gather
from bilateral.report.html import render_html
from bilateral.report.tables import format_cell, format_evidence, format_stated
from bilateral.store import Store
from bilateral.web.app import create_app
from tests.bns_cells import WORKBOOK_2022, WORKBOOK_2023, bns_usd
from tests.browser import launch, screenshot_path
from tests.live_server import live_server
from tests.printed_figures import CELLS, EVIDENCE, STATED

ARTICLE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "articles" / ("kz-ru-2023-11-visit.txt")
)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    yield from launch()


@pytest.fixture(scope="module")
def server(bns_store):
    with live_server(create_app(bns_store)) as base:
        yield base


class Watched:
    """A page with a record of what it asked for and what went wrong in it."""

    def __init__(self, page, base: str) -> None:
        self.page = page
        self.base = base
        self.requests: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("pageerror", lambda e: self.errors.append(str(e)))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)

    def open(self, path: str = "/") -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_selector("body[data-ready=true]")

    def choose(self, role: str, typed: str, code: str) -> None:
        self.page.fill(f"#{role}-input", typed)
        self.page.click(f"#{role}-options li[data-code={code}]")

    def figure(self, indicator: str, source: str = "kz_bns", statistics_of: str = "KAZ"):
        return self.page.locator(
            f"dd[data-indicator={indicator}][data-source={source}]"
            f"[data-statistics-of={statistics_of}]"
        )


@pytest.fixture
def watched(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    yield Watched(page, server)
    context.close()


def test_pick_two_countries_and_a_year_and_read_the_turnover(watched):
    page = watched.page
    watched.open()
    watched.choose("reporter", "Казах", "KAZ")  # Russian name
    watched.choose("partner", "Russia", "RUS")  # English name
    page.select_option("#year-select", "2022")
    turnover = watched.figure("turnover")
    turnover.wait_for()
    page.wait_for_function("document.querySelector('#status').textContent === ''")
    page.wait_for_selector("#chart-series svg.marks")
    page.wait_for_selector("#chart-partners svg.marks")
    page.screenshot(path=screenshot_path("dashboard-kaz-rus-2022.png"), full_page=True)

    # 2023 publication (revises 2022), sheet '2022', row 'Россия', column B, thousand USD.
    printed = bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover")
    assert turnover.inner_text() == format_money(printed) == "$26.97 bn"
    assert float(turnover.get_attribute("data-value")) == pytest.approx(printed, abs=1)
    assert page.url == watched.base + "/?reporter=KAZ&partner=RUS&year=2022"
    first = page.locator("#section-partners tbody tr").first
    assert first.locator("td[data-key=partner_name]").inner_text() == "Russia"
    assert watched.errors == []


def test_a_shared_url_opens_the_same_view(watched):
    page = watched.page
    watched.open("/?reporter=KAZ&partner=RUS&year=2021")
    turnover = watched.figure("turnover")
    turnover.wait_for()
    assert page.input_value("#reporter-input") == "Kazakhstan"
    assert page.input_value("#partner-input") == "Russia"
    assert page.input_value("#year-select") == "2021"
    # 2022 publication (revises 2021), sheet '2021', row 'Россия', column B.
    printed = bns_usd(WORKBOOK_2022, "2021", "Россия", "turnover")
    assert float(turnover.get_attribute("data-value")) == pytest.approx(printed, abs=1)
    page.screenshot(path=screenshot_path("dashboard-shared-url-2021.png"), full_page=True)


def test_changing_the_year_updates_figures_and_url(watched):
    page = watched.page
    watched.open("/?reporter=KAZ&partner=RUS&year=2022")
    watched.figure("turnover").wait_for()
    page.select_option("#year-select", "2023")
    page.wait_for_url(re.compile(r"year=2023"))
    printed = bns_usd(WORKBOOK_2023, "2023", "Россия", "turnover")
    page.wait_for_function(
        "value => Math.abs(Number(document.querySelector("
        "'dd[data-indicator=turnover]').dataset.value) - value) < 1",
        arg=printed,
    )
    rank = watched.figure("partner_rank_turnover").inner_text()
    assert rank == "2nd"  # 2023: China first, Russia second (BNS 2023 sheet, by turnover)


def test_choosing_a_source_keeps_it_in_the_url(watched):
    page = watched.page
    watched.open("/?reporter=KAZ&partner=RUS&year=2022")
    watched.figure("turnover").wait_for()
    assert page.locator("#source-select option").all_inner_texts() == ["All sources", "kz_bns"]
    page.select_option("#source-select", "kz_bns")
    page.wait_for_url(watched.base + "/?reporter=KAZ&partner=RUS&year=2022&source=kz_bns")
    page.wait_for_function("document.querySelector('#view-title').textContent.endsWith('kz_bns')")
    link = page.get_attribute("#report-link", "href")
    assert link == "/api/report.html?reporter=KAZ&partner=RUS&year=2022&source=kz_bns"


def test_type_ahead_works_from_the_keyboard_in_russian(watched):
    page = watched.page
    watched.open()
    page.fill("#reporter-input", "росс")
    options = page.locator("#reporter-options li")
    assert options.first.get_attribute("data-code") == "RUS"
    page.screenshot(path=screenshot_path("dashboard-type-ahead.png"))
    page.press("#reporter-input", "Enter")
    assert page.input_value("#reporter-input") == "Russia"
    assert page.locator("#reporter-options").is_hidden()


def test_nothing_is_fetched_from_another_host(watched):
    watched.open("/?reporter=KAZ&partner=RUS&year=2022")
    watched.page.wait_for_selector("#chart-mirror svg.marks")
    others = [url for url in watched.requests if not url.startswith(watched.base)]
    assert others == []
    scripts = [u for u in watched.requests if u.endswith(".js")]
    vendored = {"vega.min.js", "vega-lite.min.js", "vega-embed.min.js"}
    assert {Path(u).name for u in scripts} >= vendored


@pytest.mark.parametrize(
    ("path", "message"),
    [
        pytest.param(
            "/?reporter=KAZ&partner=KAZ", "Choose two different countries.", id="same-country"
        ),
        pytest.param(
            "/?reporter=KAZ&partner=ATA",
            "No source in the store has figures for this pair.",
            id="pair-without-data",
        ),
    ],
)
def test_the_page_says_what_is_wrong(watched, path, message):
    watched.open(path)
    watched.page.wait_for_function(
        "text => document.querySelector('#status').textContent === text", arg=message
    )
    assert "error" in (watched.page.get_attribute("#status", "class") or "")


def test_verdicts_are_shown_as_text_never_as_markup(browser, bns_store):
    """The page prints whatever the checker returns without running it (a stand-in checker
    echoes the pasted text, so a script in the text would run if it were inserted as HTML)."""

    def echo(store, text):
        return {"claims": [{"text": text, "verdict": "not checkable", "evidence": []}]}

    hostile = '<img src=x onerror="window.pwned=1"> turnover reached $27 billion'
    with live_server(create_app(bns_store, checker=echo)) as base:
        context = browser.new_context()
        page = context.new_page()
        page.goto(base + "/")
        page.wait_for_selector("body[data-ready=true]")
        page.fill("#check-text", hostile)
        page.click("#check-button")
        page.wait_for_selector("tr.claim")
        assert page.locator("tr.claim td").first.inner_text() == hostile
        assert page.evaluate("window.pwned") is None
        assert page.locator("#check-results img").count() == 0
        context.close()


@pytest.mark.skipif(
    importlib.util.find_spec("bilateral.claims") is None,
    reason="the claim checker (bilateral.claims) is not in this installation",
)
def test_paste_the_article_and_see_its_verdicts(watched):
    text = ARTICLE.read_text(encoding="utf-8")
    page = watched.page
    watched.open()
    page.fill("#check-text", text)
    page.click("#check-button")
    page.wait_for_selector("tr.claim", timeout=60_000)
    page.screenshot(path=screenshot_path("dashboard-article-verdicts.png"), full_page=True)
    expected = httpx.post(watched.base + "/api/check", json={"text": text}, timeout=60).json()
    rows = page.locator("tr.claim")
    assert rows.count() == len(expected["claims"])
    shown = [rows.nth(i).get_attribute("data-verdict") for i in range(rows.count())]
    assert shown == [c["verdict"] for c in expected["claims"]]
    turnover = page.locator("tr.claim", has_text="reached $27 billion")
    assert turnover.count() >= 1
    printed = format_money(bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover"))
    assert printed in turnover.first.inner_text()


def test_the_html_report_draws_its_charts_with_the_network_cut(browser, bns_store):
    report = gather(Store.open(bns_store, read_only=True), "KAZ", "RUS", 2022)
    path = screenshot_path("report-kaz-rus-2022.html")
    path.write_text(render_html(report), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    fetched: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))

    def only_the_file(route):
        fetched.append(route.request.url)
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            route.abort()

    page.route("**/*", only_the_file)
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('svg.marks').length === 3")
    page.screenshot(path=screenshot_path("report-kaz-rus-2022.png"), full_page=True)
    assert fetched == [path.as_uri()]
    assert errors == []
    headline = page.locator("table.headline tbody tr").first.inner_text()
    assert format_money(bns_usd(WORKBOOK_2023, "2022", "Россия", "turnover")) in headline
    context.close()


@pytest.mark.parametrize(("value", "kind", "printed"), CELLS)
def test_the_dashboard_prints_cells_as_the_report_does(watched, value, kind, printed):
    watched.open()
    shown = watched.page.evaluate("([v, k]) => formatCell(v, k)", [value, kind])
    assert shown == printed == format_cell(value, kind)


def test_the_dashboard_prints_claims_as_the_report_does(watched):
    watched.open()
    for case in STATED:
        stated, printed = case.values
        assert watched.page.evaluate("s => formatStated(s)", stated) == printed
        assert format_stated(stated) == printed
    for case in EVIDENCE:
        item, unit, printed = case.values
        shown = watched.page.evaluate("([i, u]) => formatEvidence(i, u)", [item, unit])
        assert shown == printed == format_evidence(item, unit)
