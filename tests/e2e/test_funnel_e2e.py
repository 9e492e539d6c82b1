"""The Funnel page in a real browser: upload a sample file, see the funnel and its biggest drop, save
the counts onto the journey map (screenshots in test-artifacts/screenshots)."""

from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.helpers import screenshot, wait_for_app

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data" / "funnels"


def _open_funnel(new_page):
    # start at the app's root and use the sidebar: a deep link on a fresh server can bypass app.py
    page = new_page("?map=shop-current")
    page.get_by_test_id("stSidebarNav").get_by_text("Funnel", exact=True).click()
    wait_for_app(page)
    return page


def _ensure_map(page) -> None:
    """The shop's current-state map is still the current map after the upload. (A websocket
    reconnect under load starts a new session; the map, the language and the participant are read
    back from the URL, which app.py keeps up to date on every run.)"""
    expect(page.get_by_test_id("stSidebar").get_by_text("26 touchpoints", exact=False)).to_be_visible()
    assert "map=shop-current" in page.url


def _upload(page, name: str) -> None:
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(SAMPLES / name))
    # the first run reads the file and counts: allow for a slow, shared machine before the usual wait
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(
        state="attached", timeout=90_000
    )
    expect(page.get_by_test_id("stMetric").first).to_be_visible(timeout=90_000)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=60_000)
    wait_for_app(page, 500)


def test_uploading_the_event_log_shows_the_funnel_and_the_biggest_drop(new_page):
    page = _open_funnel(new_page)
    expect(page.get_by_role("heading", name="Funnel: where customers drop off")).to_be_visible()
    _upload(page, "shop_events.csv")
    expect(page.get_by_text("event log", exact=False).first).to_be_visible()
    metric = page.get_by_test_id("stMetric").filter(has_text="Biggest drop")
    expect(metric).to_contain_text("51%")
    expect(page.get_by_text("are lost between “add_to_cart” and “checkout”", exact=False)).to_be_visible()
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".main-svg").first).to_be_visible()
    expect(chart.get_by_text("Biggest drop", exact=False).first).to_be_attached()
    page.set_viewport_size({"width": 1400, "height": 2600})
    page.wait_for_timeout(800)
    screenshot(page, "funnel-event-log")


def test_saving_the_counts_puts_them_on_the_journey_map(new_page, e2e_data_dir):
    page = _open_funnel(new_page)
    _upload(page, "shop_funnel_en.csv")
    expect(page.get_by_test_id("stMetric").filter(has_text="Entered (step 1)")).to_contain_text("10,500")
    _ensure_map(page)
    page.get_by_role("button", name="Save the counts onto the map").click()
    wait_for_app(page)
    expect(page.get_by_text("Saved as version", exact=False)).to_be_visible()
    from cjm.store import get_store

    G = get_store(f"sqlite:///{(e2e_data_dir / 'cjm.db').resolve()}").load("shop-current").graph
    assert G.nodes["view-product"]["users"] == 10500
    assert G.edges["add-to-cart", "checkout"]["users"] == 2200
    page.set_viewport_size({"width": 1400, "height": 2200})
    page.wait_for_timeout(800)
    screenshot(page, "funnel-saved")


def test_an_event_log_funnels_counts_are_saved_onto_the_map_and_shown_there(new_page, e2e_data_dir):
    page = _open_funnel(new_page)
    _upload(page, "shop_events.csv")
    expect(page.get_by_test_id("stMetric").filter(has_text="Entered (step 1)")).to_contain_text("4,800")
    _ensure_map(page)
    page.get_by_role("button", name="Save the counts onto the map").click()
    wait_for_app(page)
    expect(page.get_by_text("Saved as version", exact=False)).to_be_visible()
    expect(page.get_by_test_id("stException")).to_have_count(0)
    from cjm.store import get_store

    G = get_store(f"sqlite:///{(e2e_data_dir / 'cjm.db').resolve()}").load("shop-current").graph
    assert (G.nodes["view-product"]["users"], G.nodes["add-to-cart"]["users"]) == (4274, 2863)
    assert G.graph["counts_source"]["source"] == "shop_events.csv"
    page.set_viewport_size({"width": 1400, "height": 2200})
    page.wait_for_timeout(800)
    screenshot(page, "funnel-event-log-saved")
    page.get_by_test_id("stSidebarNav").get_by_text("Journey map", exact=True).click()
    wait_for_app(page)
    chart = page.get_by_test_id("stPlotlyChart").first
    expect(chart.locator(".main-svg").first).to_be_visible()
    expect(chart).to_contain_text("4,274")  # the saved count of “Просмотр товара”, drawn on the map
    screenshot(page, "journey-map-with-event-log-counts")
