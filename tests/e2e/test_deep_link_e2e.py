"""A shared link opens the right page and map, even as the first visit to a fresh server."""

from playwright.sync_api import expect

from tests.e2e.conftest import streamlit_server
from tests.e2e.helpers import wait_for_app


def test_a_link_to_a_page_and_map_works_on_a_freshly_started_server(browser, tmp_path):
    with streamlit_server(tmp_path / "data", tmp_path / "server.log") as url:
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        page = ctx.new_page()
        page.set_default_timeout(60_000)
        page.goto(f"{url}/audit?map=shop-current&lang=ru")
        wait_for_app(page)
        # app.py ran: its navigation (translated) and sidebar are there, not Streamlit's file list.
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav).to_contain_text("Библиотека карт")
        expect(nav).not_to_contain_text("journey map")
        expect(page.get_by_text("Язык")).to_be_visible()
        expect(page.get_by_test_id("stSidebar")).to_contain_text("точек контакта: 26")
        assert "/audit" in page.url
        ctx.close()
