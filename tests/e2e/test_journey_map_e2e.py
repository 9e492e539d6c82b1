"""The Journey map page in a real browser: the four map types drawn (screenshots), user text that looks
like HTML stays text, and the exports download and open."""

import re

import pytest
from playwright.sync_api import expect

from cjm import model
from tests.e2e.helpers import SCREENSHOTS, screenshot, wait_for_app

XSS = "<img src=x onerror=alert(1)>"
TYPES = {
    "shop-current": ("current_state", ["Touchpoint", "Action", "Thought", "Emotion", "Pain points", "MISSING"]),
    "airline-day": ("day_in_life", ["Clock", "Moment", "Emotion", "Time of day"]),
    "shop-future": ("future_state", ["Baseline emotion", "Future emotion", "RESOLVED", "CHANGED"]),
    "airline-blueprint": ("service_blueprint", ["Line of interaction", "Line of visibility", "Frontstage"]),
}


def _open(page, path: str):
    """Go to a page of the running app and wait until its map is drawn (plotly's bundle loads lazily:
    allow for a slow, busy machine)."""
    base = re.match(r"^https?://[^/]+", page.url).group(0)
    page.goto(f"{base}/{path}")
    return _chart(page)


def _chart(page):
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=90_000
    )
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".main-svg").first).to_be_visible(timeout=90_000)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=90_000)
    wait_for_app(page)
    return chart


def _tall(page, height: int = 2000) -> None:
    page.set_viewport_size({"width": 1280, "height": height})
    page.wait_for_timeout(700)  # plotly re-lays out on resize


@pytest.mark.parametrize("map_id", list(TYPES))
def test_each_map_type_is_drawn_with_its_lanes(page, map_id):
    map_type, texts = TYPES[map_id]
    chart = _open(page, f"journey-map?map={map_id}")
    expect(page.get_by_role("heading", name="Journey map")).to_be_visible()
    for text in texts:
        expect(chart.get_by_text(text, exact=False).first).to_be_attached()
    _tall(page, {"future_state": 2400, "service_blueprint": 1800}.get(map_type, 2150))
    screenshot(page, f"journey-map-{map_type}")


@pytest.fixture
def xss_map(page, e2e_data_dir):
    """A map whose touchpoint name, action and title look like HTML, saved in the server's database."""
    from cjm.store import get_store

    store = get_store(f"sqlite:///{(e2e_data_dir / 'cjm.db').resolve()}")
    G = model.new_map(f"XSS {XSS}", map_id="xss-e2e", persona={"name": XSS, "goals": XSS})
    model.add_touchpoint(G, XSS, "awareness", id="a", action=XSS, emotion=-1.0, pain_point=XSS)
    model.add_touchpoint(G, "Next step", "purchase", id="b", emotion=1.0)
    model.add_transition(G, "a", "b", label=XSS)
    if not store.exists("xss-e2e"):
        store.create(G, author="e2e")
    return "xss-e2e"


def test_a_touchpoint_named_like_an_img_tag_shows_as_text_and_runs_nothing(page, xss_map):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    chart = _open(page, f"journey-map?map={xss_map}")
    # the name, drawn as literal text (wrapped over two lines in its box)
    expect(chart.get_by_text("<img src=x").first).to_be_visible()
    expect(chart.get_by_text("onerror=alert(1)>").first).to_be_visible()
    expect(page.get_by_text(XSS).first).to_be_visible()  # the persona card, as plain text
    page.wait_for_timeout(500)
    assert page.locator('img[src="x"]').count() == 0
    assert dialogs == []
    screenshot(page, "journey-map-escaping")


def test_exports_download_and_open(page, tmp_path):
    _open(page, "journey-map?map=airline-current")
    with page.expect_download() as dl:
        page.get_by_role("button", name="HTML (interactive)").click()
    html_path = tmp_path / "map.html"
    dl.value.save_as(html_path)
    html = html_path.read_text(encoding="utf-8")
    assert '<script src="http' not in html and "Plotly.newPlot" in html and len(html) > 1_000_000
    assert dl.value.suggested_filename == "airline-current.html"

    with page.expect_download() as dl:
        page.get_by_role("button", name="Mermaid flowchart").click()
    flow = tmp_path / "flow.mmd"
    dl.value.save_as(flow)
    assert flow.read_text(encoding="utf-8").startswith("flowchart LR")

    # the downloaded HTML opens offline and draws the map
    offline = page.context.new_page()
    offline.route(re.compile(r"^https?://(?!127\.0\.0\.1).*"), lambda route: route.abort())
    offline.goto(html_path.as_uri())
    expect(offline.locator(".main-svg").first).to_be_visible()
    expect(offline.get_by_text("Emotion").first).to_be_attached()
    offline.close()

    page.get_by_role("button", name="Render PNG / SVG / PDF").click()
    png_button = page.get_by_role("button", name="PNG image")
    expect(png_button).to_be_visible(timeout=120_000)
    wait_for_app(page)
    with page.expect_download() as dl:
        png_button.click()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png_path = SCREENSHOTS / "journey-map-export.png"
    dl.value.save_as(png_path)
    data = png_path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 50_000
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert width > 2000 and height > 1000  # the whole map at 2x, not a thumbnail
    with page.expect_download() as dl:
        page.get_by_role("button", name="SVG image").click()
    svg = tmp_path / "map.svg"
    dl.value.save_as(svg)
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<svg")
