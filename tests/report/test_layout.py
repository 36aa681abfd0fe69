"""The whole HTML report laid out in headless Chromium at 1300 px (issue 17, requirement 7).

Measured in the page, not eyeballed: no table is wider than the section holding it or than
the window (the headline table used to run off the page on the right), the page never
scrolls sideways, and no two labels of a chart axis touch or overlap (thirty years of
Kazakhstan-Russia trade once printed "19941996"). A screenshot of the page goes to the
test's tmp_path.
"""

from __future__ import annotations

import pytest

from bilateral.report.contents import gather
from bilateral.report.html import render_html
from bilateral.store import Store
from tests.browser import launch

pytestmark = pytest.mark.browser

WIDTH = 1300

#: Every table whose right edge passes its container's or the window's (CSS pixels).
TOO_WIDE = """() => [...document.querySelectorAll("table")].map((table) => {
  const box = table.getBoundingClientRect();
  const holder = table.parentElement.getBoundingClientRect();
  return { table: table.className || table.closest("section").id, right: box.right,
           holder: holder.right, window: document.documentElement.clientWidth };
}).filter((t) => t.right > t.holder + 0.5 || t.right > t.window)"""

#: Each axis's drawn labels (Vega hides a dropped one with opacity 0) and their boxes.
AXES = """() => [...document.querySelectorAll("svg g.role-axis")].map((axis) =>
  [...axis.querySelectorAll(".role-axis-label text")]
    .filter((t) => t.textContent && getComputedStyle(t).opacity !== "0")
    .map((t) => { const b = t.getBoundingClientRect();
                  return [t.textContent, b.left, b.right, b.top, b.bottom]; }))"""


def touching(labels: list[list]) -> list[tuple[str, str, float]]:
    """Pairs of labels less than 2 px apart, with the gap between their boxes."""
    found = []
    for i, (a, left, right, top, bottom) in enumerate(labels):
        for b, left2, right2, top2, bottom2 in labels[i + 1 :]:
            gap = max(left2 - right, left - right2, top2 - bottom, top - bottom2)
            if gap < 2:
                found.append((a, b, round(gap, 1)))
    return found


@pytest.fixture(scope="module")
def browser():
    yield from launch()


@pytest.mark.parametrize("currency", ["USD", "EUR"])
def test_the_whole_report_fits_1300_px_and_its_axis_labels_stand_apart(
    browser, bns_fcs_store, tmp_path, currency
):
    # BNS (2018-2023) and Russia's FCS (1994-2021): thirty years on the series chart.
    store = Store.open(bns_fcs_store, read_only=True)
    report = gather(store, "KAZ", "RUS", 2021, currency=currency)
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    context = browser.new_context(viewport={"width": WIDTH, "height": 900})
    page = context.new_page()
    page.goto(path.as_uri())
    page.wait_for_function("document.querySelectorAll('svg.marks').length === 3")
    page.screenshot(path=tmp_path / f"report-{currency}-{WIDTH}px.png", full_page=True)

    assert page.locator("table.headline").count() == 1
    assert page.evaluate(TOO_WIDE) == []
    scroll = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll[0] <= scroll[1]

    axes = page.evaluate(AXES)
    years = [
        labels for labels in axes if len(labels) >= 10 and all(t.isdigit() for t, *_ in labels)
    ]
    assert years, "the series chart's year axis has many labels"
    for labels in axes:
        assert touching(labels) == []
    context.close()
