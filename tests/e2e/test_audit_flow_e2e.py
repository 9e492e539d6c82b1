"""The audit and flow pages in a real browser: the charts are drawn (screenshots to look at) and an
audit edit typed into the table is stored and survives a page reload."""

import re

from playwright.sync_api import expect

from tests.e2e.helpers import SCREENSHOTS, open_cell_editor, replace_in_cell_editor, wait_for_app


def _settle(page, timeout=60_000):
    """wait_for_app with room for a slow first run (a cold page on a busy machine takes seconds)."""
    page.wait_for_timeout(300)
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=timeout
    )
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout)
    wait_for_app(page)


def _open(page, base, path):
    page.goto(f"{base}/{path}")
    _settle(page)
    expect(page.locator("h1").first).to_be_visible(timeout=60_000)


def _chart(page, key):
    chart = page.locator(f".st-key-{key}")
    expect(chart.locator(".main-svg").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(600)  # let plotly finish laying out labels
    return chart


def _shot(locator, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    locator.screenshot(path=str(path))
    assert path.stat().st_size > 10_000  # a drawn chart, not an empty box
    return path


def test_the_priority_matrix_and_the_coverage_heatmaps_are_drawn(page, st_server):
    _open(page, st_server, "audit?map=shop-current")
    page.get_by_role("tab", name=re.compile(r"^4\.")).click()
    _settle(page)
    matrix = _chart(page, "audit-matrix")
    expect(matrix).to_contain_text("FIX FIRST")
    _shot(matrix, "audit-priority-matrix")
    page.get_by_role("tab", name=re.compile(r"^1\.")).click()
    _settle(page)
    heat = _chart(page, "audit-heat_pc")
    expect(heat).to_contain_text("✕")
    _shot(heat, "audit-coverage-phase-category")
    page.screenshot(path=str(SCREENSHOTS / "audit-page.png"), full_page=True)


def test_the_network_and_the_sankey_are_drawn(page, st_server):
    page.set_viewport_size({"width": 1280, "height": 2400})  # the charts are tall: capture them whole
    _open(page, st_server, "flow?map=airline-current")
    network = _chart(page, "flow-network")
    expect(network).to_contain_text("Card payment on the website")
    _shot(network, "flow-network")
    page.get_by_role("tab", name="Sankey").click()
    _settle(page)
    sankey = _chart(page, "flow-sankey")
    expect(sankey.locator(".sankey-node").first).to_be_attached()
    _shot(sankey, "flow-sankey")
    page.get_by_role("tab", name="Paths and bottlenecks").click()
    _settle(page)
    expect(page.get_by_test_id("stTabs").get_by_text("Most travelled path", exact=True)).to_be_visible()
    page.screenshot(path=str(SCREENSHOTS / "flow-paths.png"), full_page=True)


def test_a_task_typed_into_the_audit_table_survives_a_reload(page, st_server):
    _open(page, st_server, "audit?map=airline-day")
    expect(page.get_by_test_id("stMetric").filter(has_text="Tasks done")).to_contain_text("0 / 0")
    page.get_by_role("tab", name=re.compile(r"^5\.")).click()
    _settle(page)
    grid = page.locator("[role='tabpanel']:visible [data-testid='stDataFrame']").first
    expect(grid).to_be_visible()

    def owner_cell():
        grid.click(position={"x": 60, "y": 52})  # first row, first column (the touchpoint's name)
        for _ in range(3):  # name → stage → task → owner
            page.keyboard.press("ArrowRight")

    cell = open_cell_editor(page, owner_cell)
    replace_in_cell_editor(cell, "Olga")
    cell.press("Enter")
    _settle(page)
    expect(page.get_by_text(re.compile(r"Saved as version \d+"))).to_be_visible(timeout=30_000)
    expect(page.get_by_test_id("stMetric").filter(has_text="Tasks done")).to_contain_text("0 / 1")

    page.reload()
    _settle(page)
    expect(page.get_by_test_id("stMetric").filter(has_text="Tasks done")).to_contain_text("0 / 1", timeout=30_000)
