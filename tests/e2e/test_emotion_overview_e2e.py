"""The emotion curve and the executive overview in a real browser: screenshots, and the summary download
opening offline."""

from playwright.sync_api import expect

from tests.e2e.helpers import SCREENSHOTS, screenshot

SLOW = 60_000  # the machine running the suite may be busy; Streamlit's first plotly render is heavy


def _settle(page) -> None:
    """Like ``wait_for_app`` but patient: the script has finished; heavy elements may still be drawing
    (the checks that follow wait for them with long timeouts)."""
    page.wait_for_timeout(250)
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(state="attached")
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached", timeout=SLOW)


def _open(new_page, st_server, path: str, heading: str):
    """Open a page by URL and wait for its heading. A first direct visit to a page URL on a fresh
    server sometimes gets Streamlit's "page not found" and the main page; one reload fixes that."""
    page = new_page()
    for _attempt in range(2):
        page.goto(f"{st_server}/{path}")
        _settle(page)
        try:
            expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=SLOW)
            return page
        except AssertionError:
            continue
    expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=SLOW)
    return page


def _chart_drawn(page, index: int = 0):
    chart = page.get_by_test_id("stPlotlyChart").nth(index)
    expect(chart.locator(".main-svg").first).to_be_visible(timeout=SLOW)
    return chart


def _tall(page, height: int = 2200) -> None:
    page.set_viewport_size({"width": 1280, "height": height})
    page.wait_for_timeout(600)  # plotly re-lays out on resize


def test_curve_overlays_the_future_state_on_the_current_state_with_bands_and_callouts(new_page, st_server):
    page = _open(new_page, st_server, "emotion-curve?map=airline-current", "Emotion curve")
    chart = _chart_drawn(page)
    # current vs future: the future state is preselected as the related map, both lines in the legend
    legend = chart.locator(".legend")
    expect(legend.get_by_text("Current state", exact=False).first).to_be_visible(timeout=SLOW)
    expect(legend.get_by_text("Future state", exact=False).first).to_be_visible(timeout=SLOW)
    expect(chart.get_by_text("BEFORE PURCHASE")).to_be_visible(timeout=SLOW)  # phase labels over the stage bands
    expect(chart.get_by_text("Lowest:", exact=False).first).to_be_visible(timeout=SLOW)  # the lowest-moment callout
    assert chart.locator("path[d*='Z']").count() > 0  # shaded stage bands are drawn
    _tall(page, 1500)
    screenshot(page, "emotion-curve-current-vs-future")


def test_curve_of_a_russian_map_in_russian(new_page, st_server):
    page = _open(new_page, st_server, "emotion-curve?map=shop-current&lang=ru", "Кривая эмоций")
    chart = _chart_drawn(page)
    expect(chart.get_by_text("ДО ПОКУПКИ")).to_be_visible(timeout=SLOW)
    expect(chart.get_by_text("Хуже всего:", exact=False).first).to_be_visible(timeout=SLOW)
    _tall(page, 1500)
    screenshot(page, "emotion-curve-shop-ru")


def test_overview_shows_cards_ranked_moments_and_health_checks(new_page, st_server):
    page = _open(new_page, st_server, "overview?map=airline-current", "Executive overview")
    expect(page.get_by_test_id("stMetric")).to_have_count(6, timeout=SLOW)
    expect(page.get_by_role("heading", name="Moments to fix first")).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("heading", name="Journey health checks")).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("heading", name="1.", exact=False).first).to_be_visible(timeout=SLOW)
    _chart_drawn(page)
    _tall(page, 2600)
    screenshot(page, "overview-map")


def test_portfolio_overview_lists_every_map(new_page, st_server):
    page = _open(new_page, st_server, "overview?map=airline-current", "Executive overview")
    page.get_by_test_id("stButtonGroup").get_by_text("All maps (portfolio)").click()
    _settle(page)
    expect(page.get_by_role("heading", name="Maps at a glance")).to_be_visible(timeout=SLOW)
    expect(page.get_by_test_id("stDataFrame")).to_be_visible(timeout=SLOW)
    _tall(page, 2400)
    screenshot(page, "overview-portfolio")


def test_downloaded_summary_opens_offline(new_page, st_server, browser):
    page = _open(new_page, st_server, "overview?map=shop-current&lang=ru", "Обзор для руководителя")
    _chart_drawn(page)
    _tall(page, 2600)
    screenshot(page, "overview-map-ru")
    with page.expect_download(timeout=SLOW) as info:
        page.get_by_role("button", name="Скачать сводку", exact=False).click()
    download = info.value
    assert download.suggested_filename.startswith("cjm-summary-shop-current") and download.suggested_filename.endswith(
        ".html"
    )
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS.parent / download.suggested_filename
    download.save_as(path)
    # A fresh browser context with every network request refused: only the file itself may load.
    ctx = browser.new_context(viewport={"width": 1280, "height": 2400}, offline=True)
    requested = []
    ctx.route("**/*", lambda route: (requested.append(route.request.url), route.continue_())[1])
    offline = ctx.new_page()
    offline.goto(path.as_uri())
    expect(offline.locator(".main-svg").first).to_be_visible(timeout=20_000)
    expect(offline.get_by_role("heading", name="Что исправить в первую очередь")).to_be_visible(timeout=SLOW)
    assert [u for u in requested if not u.startswith("file:")] == []
    offline.screenshot(path=str(SCREENSHOTS / "summary-offline.png"), full_page=True)
    ctx.close()


def test_user_text_is_shown_as_text_and_runs_nothing(new_page, st_server, e2e_data_dir):
    from cjm.model import add_touchpoint, add_transition, new_map
    from cjm.store import get_store

    new_page()  # the server has seeded its database before we add a map to it
    evil = "<img src=x onerror=window.__xss=1>"
    G = new_map("<script>window.__xss=2</script> map", map_id="xss-map")
    a = add_touchpoint(G, evil, "awareness", emotion=-2.0, pain_point="<b>bold?</b>", conversion_point=True)
    b = add_touchpoint(G, "Next", "purchase", emotion=1.0, conversion_point=True)
    add_transition(G, a, b)
    get_store(f"sqlite:///{e2e_data_dir.resolve() / 'cjm.db'}").create(G, author="e2e")
    for path, heading in (
        ("overview?map=xss-map", "Executive overview"),
        ("emotion-curve?map=xss-map", "Emotion curve"),
    ):
        page = _open(new_page, st_server, path, heading)
        chart = _chart_drawn(page)
        expect(chart.get_by_text("onerror", exact=False).first).to_be_visible(timeout=SLOW)  # shown as text
        assert page.evaluate("window.__xss") is None
        assert page.locator("img[src='x']").count() == 0


def test_hovering_a_touchpoint_shows_its_action_thought_pain_point_and_evidence(new_page, st_server):
    page = _open(new_page, st_server, "emotion-curve?map=airline-current", "Emotion curve")
    page.get_by_test_id("stMultiSelect").get_by_role("button", name="Clear all").click()  # the map alone
    _settle(page)
    chart = _chart_drawn(page)
    _tall(page, 1500)
    hover = chart.locator(".hoverlayer")
    for point in chart.locator(".scatterlayer path.point").all():
        point.hover(force=True)
        if "Pain point" in (hover.text_content() or ""):
            break
    text = hover.text_content() or ""
    for word in ("Action:", "Pain point:", "Evidence:"):
        assert word in text, text
    screenshot(page, "emotion-curve-hover")


def test_curve_compares_with_the_competitor_and_marks_peak_and_end_in_both_languages(new_page, st_server):
    for lang, title, peak, end, heading, legend_name in (
        ("en", "Emotion curve", "Peak (remembered)", "End (remembered)", "Competitors, stage by stage", "Skyline Air"),
        ("ru", "Кривая эмоций", "Пик (запомнится)", "Конец (запомнится)", "Конкуренты по этапам", "Skyline Air"),
    ):
        page = _open(new_page, st_server, f"emotion-curve?map=airline-current&lang={lang}", title)
        chart = _chart_drawn(page)
        expect(chart.get_by_text(peak).first).to_be_visible(timeout=SLOW)
        expect(chart.get_by_text(end).first).to_be_visible(timeout=SLOW)
        expect(chart.locator(".legend").get_by_text(legend_name, exact=False).first).to_be_visible(timeout=SLOW)
        expect(page.get_by_role("heading", name=heading)).to_be_visible(timeout=SLOW)
        expect(page.get_by_test_id("stDataFrame").first).to_be_visible(timeout=SLOW)
        _tall(page, 2400)
        screenshot(page, f"emotion-curve-competitor-peak-end-{lang}")
