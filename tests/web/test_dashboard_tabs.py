"""The dashboard's tabs in headless Chromium (issue 17): profile, series, partners and products.

Each tab's state is in the URL, so reloading or sharing it opens the same tab with the same
inputs; every figure a tab prints is the JSON API's answer to the question its URL asks,
compared cell by cell with what the API returns to httpx; money is in the chosen currency,
which every money heading and chart axis names. The store holds the BNS workbooks and a
BACI release built at test time (tests/fixtures_baci.py), so the products tab has rows.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from bilateral.formats import format_money
from bilateral.store import Store
from bilateral.web.app import create_app
from tests.browser import launch
from tests.conftest import shared
from tests.fixtures_baci import write_release
from tests.live_server import live_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def store_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard-tabs")
    root = folder / "store"
    Store.open(root).ingest([shared("kz-bns"), write_release(folder, "HS92")])
    return root


@pytest.fixture(scope="module")
def browser():
    yield from launch()


@pytest.fixture(scope="module")
def base(store_root):
    with live_server(create_app(store_root)) as url:
        yield url


@pytest.fixture
def page(browser, base):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield page
    context.close()
    assert errors == []


def open_page(page, base: str, path: str) -> None:
    page.goto(base + path)
    page.wait_for_selector("body[data-ready=true]")


def shown(page, selector: str) -> str:
    """The API path a panel drew, once it has drawn it and the status is clear."""
    page.wait_for_selector(f"{selector}[data-shown]:not([hidden])")
    page.wait_for_function("document.querySelector('#status').textContent === ''")
    return page.get_attribute(selector, "data-shown")


def asked(path: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(path)
    return parts.path, dict(parse_qsl(parts.query))


def cells(page, selector: str, keys: tuple[str, ...]) -> dict[tuple[str, ...], tuple[str, str]]:
    """Value cells by their data-* keys: (data-value, the printed text)."""
    found = page.eval_on_selector_all(
        selector,
        "(cells, keys) => cells.map(c => [keys.map(k => c.dataset[k]), c.dataset.value,"
        " c.textContent])",
        list(keys),
    )
    return {tuple(key): (value, text) for key, value, text in found}


def test_tabs_switch_and_keep_the_countries_in_the_url(page, base):
    open_page(page, base, "/?reporter=KAZ&partner=RUS&year=2022")
    shown(page, "#view")
    expected = {
        "series": "/?tab=series&reporter=KAZ&partner=RUS",
        "partners": "/?tab=partners&reporter=KAZ&partner=RUS&year=2022",
        "products": "/?tab=products&reporter=KAZ&partner=RUS&year=2022",
        "profile": "/?reporter=KAZ&partner=RUS&year=2022",
    }
    for tab, url in expected.items():
        page.click(f"#tab-{tab}")
        panel = "#view" if tab == "profile" else f"#panel-{tab}"
        shown(page, panel)
        assert page.url == base + url
        assert page.get_attribute(f"#tab-{tab}", "aria-selected") == "true"
        others = [p for p in ("#view", "#panel-series", "#panel-partners", "#panel-products")]
        visible = [p for p in others if page.locator(p).is_visible()]
        assert visible == [panel]
        assert page.is_visible("#year-select") == (tab != "series")
        assert page.is_visible("#from-select") == (tab == "series")


SERIES = "/?tab=series&reporter=KAZ&partner=RUS&from=2019&flow=exports&currency=EUR"
PARTNERS = "/?tab=partners&reporter=KAZ&partner=RUS&year=2022&flow=imports&top=10&currency=EUR"
PRODUCTS = "/?tab=products&reporter=KAZ&partner=RUS&year=2021&level=hs6"


@pytest.mark.parametrize(
    ("url", "panel", "api", "inputs"),
    [
        pytest.param(
            SERIES,
            "#panel-series",
            ("/api/series", {"flow": "exports", "from": "2019", "currency": "EUR"}),
            {"#from-select": "2019", "#to-select": "", "#flow-select": "exports"},
            id="series",
        ),
        pytest.param(
            PARTNERS,
            "#panel-partners",
            ("/api/partners", {"year": "2022", "flow": "imports", "top": "10", "currency": "EUR"}),
            {"#year-select": "2022", "#flow-select": "imports", "#top-select": "10"},
            id="partners",
        ),
        pytest.param(
            PRODUCTS,
            "#panel-products",
            ("/api/products", {"year": "2021", "level": "hs6", "top": "20", "currency": "USD"}),
            {"#year-select": "2021", "#level-select": "hs6", "#flow-select": ""},
            id="products",
        ),
    ],
)
def test_a_shared_url_reopens_the_tab_and_asks_the_api_the_same(
    page, base, url, panel, api, inputs
):
    open_page(page, base, url)
    drawn = shown(page, panel)
    path, params = asked(drawn)
    pair = {"reporter": "KAZ"} if "partners" in path else {"reporter": "KAZ", "partner": "RUS"}
    assert (path, params) == (api[0], {**pair, **api[1]})
    currency = api[1]["currency"]
    for selector, value in {**inputs, "#currency-select": currency}.items():
        assert page.input_value(selector) == value, selector
    page.reload()
    page.wait_for_selector("body[data-ready=true]")
    assert shown(page, panel) == drawn
    assert page.url == base + url
    for selector, value in {**inputs, "#currency-select": currency}.items():
        assert page.input_value(selector) == value, selector


def test_series_cells_are_the_apis_figures(page, base):
    open_page(page, base, SERIES)
    answer = httpx.get(base + shown(page, "#panel-series")).json()
    printed = cells(page, "#panel-series td[data-key=value]", ("source", "statisticsOf", "year"))
    expected = {(r["source"], r["statistics_of"], str(r["year"])): r["value_usd"] for r in answer}
    assert len(expected) >= 6  # kz_bns 2019-2023, BACI 2021
    for key, (data, text) in printed.items():
        value = expected.get(key)  # a year a view lacks is a cell of the grid too
        if value is None:
            assert (data, text) == ("", "n/a"), key
        else:
            assert float(data) == value and text == format_money(value, "EUR"), key
    assert set(expected) <= set(printed)


def test_a_balance_shows_its_change_in_money(page, base):
    """A balance has no percent growth: its column is the change on the year before, in
    money, each cell the API's ``change`` in its ``change_currency``."""
    open_page(page, base, SERIES.replace("flow=exports", "flow=balance"))
    answer = httpx.get(base + shown(page, "#panel-series")).json()
    headings = page.eval_on_selector_all(
        "#panel-series thead th", "hs => hs.map(h => h.textContent)"
    )
    assert "Change" in headings and "Growth" not in headings
    printed = cells(page, "#panel-series td[data-key=growth]", ("source", "statisticsOf", "year"))
    changes = [r for r in answer if r["change"] is not None]
    assert changes
    for row in changes:
        money = format_money(row["change"], row["change_currency"])
        expected = "+" + money if row["change"] > 0 else money
        assert printed[(row["source"], row["statistics_of"], str(row["year"]))][1] == expected


def test_partners_cells_are_the_apis_figures_and_aggregates_stand_apart(page, base):
    open_page(page, base, PARTNERS)
    answer = httpx.get(base + shown(page, "#panel-partners")).json()
    printed = cells(
        page, "#panel-partners td[data-key=value_usd]", ("source", "statisticsOf", "partner")
    )
    expected = {(r["source"], r["statistics_of"], r["partner"]): r["value_usd"] for r in answer}
    assert set(printed) == set(expected)
    for key, value in expected.items():
        assert float(printed[key][0]) == value and printed[key][1] == format_money(value, "EUR")
    ranked = page.eval_on_selector_all(
        "table.partners tbody tr", "rs => rs.map(r => r.dataset.partner)"
    )
    countries = [r["partner"] for r in answer if r["kind"] == "country"]
    assert ranked == countries
    bns = [r for r in answer if r["source"] == "kz_bns" and r["kind"] == "country"]
    assert [r["rank"] for r in bns] == list(range(1, 11))  # top=10 of each source
    apart = page.eval_on_selector_all(
        "table.aggregates tbody tr", "rs => rs.map(r => r.dataset.partner)"
    )
    assert "WLD" in apart and "WLD" not in ranked
    marked = page.eval_on_selector_all(
        "table.partners tr.chosen", "rs => [...new Set(rs.map(r => r.dataset.partner))]"
    )
    assert marked == ["RUS"]


MONEY = r"/^(Value|Turnover|Exports|Imports|Balance|Exporter reports|Importer reports|Gap)(, |$)/"


def money_headings(page, selector: str) -> list[str]:
    """The texts of the headings over money (not shares or changes) under ``selector``."""
    return page.eval_on_selector_all(
        selector,
        f"hs => hs.map(h => h.textContent).filter(t => {MONEY}.test(t) && !t.includes('%'))",
    )


@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_every_money_heading_and_axis_names_the_currency(page, base, currency):
    open_page(page, base, f"/?reporter=KAZ&partner=RUS&year=2022&currency={currency}")
    shown(page, "#view")
    page.wait_for_selector("#chart-series svg.marks")
    page.wait_for_selector("#chart-partners svg.marks")
    headings = money_headings(page, "#view th, #headline-cards dt")
    assert [h for h in headings if not h.endswith(f", {currency}")] == []
    kinds = {"Turnover", "Exports", "Imports", "Balance", "Value"}  # cards, partners, structure
    assert {f"{kind}, {currency}" for kind in kinds} <= set(headings)
    axes = page.eval_on_selector_all(
        "#view svg .role-axis-title text", "ts => ts.map(t => t.textContent)"
    )
    money_axes = [t for t in axes if t.endswith(" bn")]
    assert len(money_axes) >= 3 and set(money_axes) == {f"{currency} bn"}
    # The profile's turnover in this currency is /api/profile's.
    profile = httpx.get(
        base + "/api/profile",
        params={"reporter": "KAZ", "partner": "RUS", "year": 2022, "currency": currency},
    ).json()
    turnover = next(
        r["value"]
        for r in profile["indicators"]
        if r["name"] == "turnover" and r["source"] == "kz_bns"
    )
    card = page.locator("dd[data-indicator=turnover][data-source=kz_bns]")
    assert float(card.get_attribute("data-value")) == pytest.approx(turnover, rel=1e-12)
    assert card.inner_text() == format_money(turnover, currency)


def test_changing_the_currency_redraws_the_series_and_drops_it_from_the_url(page, base):
    open_page(page, base, SERIES)
    shown(page, "#panel-series")
    page.wait_for_selector("#chart-series-tab svg.marks")
    assert "EUR bn" in page.inner_text("#chart-series-tab")
    page.select_option("#currency-select", "USD")
    page.wait_for_url(base + "/?tab=series&reporter=KAZ&partner=RUS&from=2019&flow=exports")
    page.wait_for_function("!document.querySelector('#panel-series').dataset.shown.includes('EUR')")
    page.wait_for_function(
        "document.querySelector('#chart-series-tab').textContent.includes('USD bn')"
    )
    headings = page.eval_on_selector_all("#panel-series th", "hs => hs.map(h => h.textContent)")
    assert "Value, USD" in headings and not [h for h in headings if "EUR" in h]
