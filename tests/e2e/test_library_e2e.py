"""The map library in a real browser: create, rename, reload, still there."""

from playwright.sync_api import expect

from tests.e2e.helpers import screenshot, wait_for_app


def test_a_map_created_and_renamed_in_the_browser_survives_a_reload(page):
    expect(page.get_by_role("heading", name="Map library")).to_be_visible()
    screenshot(page, "library")
    page.get_by_label("Title").last.fill("Workshop map e2e")
    page.get_by_role("button", name="Create map").click()
    wait_for_app(page)
    expect(page.get_by_text("Created “Workshop map e2e”")).to_be_visible()
    # Rename it (the rename form is the first "Title" field, in the selected map's tab).
    page.get_by_role("tab", name="Rename").click()
    rename = page.get_by_label("Title").first
    rename.fill("Workshop map e2e renamed")
    page.get_by_role("button", name="Rename").last.click()
    wait_for_app(page)
    expect(page.get_by_text("Workshop map e2e renamed").first).to_be_visible()
    assert "map=" in page.url
    page.reload()
    wait_for_app(page)
    expect(page.get_by_text("Workshop map e2e renamed").first).to_be_visible()
    screenshot(page, "library-after-reload")


def test_the_sample_maps_are_listed(page):
    for title in ("Northwind Airways — business trip, current state", "Интернет-магазин «ДомТех»"):
        expect(page.get_by_text(title).first).to_be_visible()
