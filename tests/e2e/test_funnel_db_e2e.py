"""The Funnel page's database source in a real browser: a server configured with an embedded
ClickHouse (chdb) connection counts the sample shop log there, and the counts are saved onto the
journey map (screenshots in test-artifacts/screenshots)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import streamlit_server
from tests.e2e.helpers import screenshot, wait_for_app
from tests.e2e.test_funnel_e2e import _ensure_map

ROOT = Path(__file__).resolve().parents[2]
SHOP_EVENTS = ROOT / "sample_data" / "funnels" / "shop_events.csv"
LOAD = """
import sys, chdb
conn = chdb.connect(sys.argv[1])
conn.query("CREATE TABLE shop_events (user_id String, event String, timestamp DateTime64(6, 'UTC'), "
           "channel String, device String, city String) ENGINE = MergeTree ORDER BY (user_id, timestamp)")
path = sys.argv[2].replace("'", "\\\\'")
conn.query(f"INSERT INTO shop_events SELECT user_id, event, parseDateTime64BestEffort(timestamp, 6, 'UTC'), "
           f"channel, device, city FROM file('{path}', 'CSVWithNames', 'user_id String, event String, "
           f"timestamp String, channel String, device String, city String')")
conn.close()
"""


@pytest.fixture(scope="module")
def db_server(tmp_path_factory):
    """A Streamlit server of its own whose environment names a chdb connection ``warehouse``
    (loaded by another process: chdb opens one data folder per process)."""
    folder = tmp_path_factory.mktemp("chdb-e2e")
    subprocess.run([sys.executable, "-c", LOAD, str(folder), str(SHOP_EVENTS)], check=True, timeout=300)
    data_dir = tmp_path_factory.mktemp("e2e-db-data")
    saved = os.environ.get("CJM_FUNNEL_DB_WAREHOUSE")
    os.environ["CJM_FUNNEL_DB_WAREHOUSE"] = f"chdb://{folder}"
    try:
        with streamlit_server(data_dir, tmp_path_factory.mktemp("st-db") / "server.log") as url:
            yield url, data_dir
    finally:
        if saved is None:
            os.environ.pop("CJM_FUNNEL_DB_WAREHOUSE", None)
        else:
            os.environ["CJM_FUNNEL_DB_WAREHOUSE"] = saved


def test_a_funnel_counted_in_clickhouse_is_saved_onto_the_journey_map(browser, db_server):
    url, data_dir = db_server
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = ctx.new_page()
        page.set_default_timeout(20_000)
        page.goto(url + "/?map=shop-current")
        wait_for_app(page)
        page.get_by_test_id("stSidebarNav").get_by_text("Funnel", exact=True).click()
        wait_for_app(page)
        page.get_by_text("Database (ClickHouse, PostgreSQL)", exact=True).click()
        wait_for_app(page)
        # the suggested steps start at view_product: the local engine counts 4,274 people there and
        # 2,863 at add_to_cart on the same file (tests/e2e/test_funnel_e2e.py saves those)
        expect(page.get_by_test_id("stMetric").filter(has_text="Entered (step 1)")).to_contain_text(
            "4,274", timeout=90_000
        )
        expect(page.get_by_text("Counted in the database", exact=False)).to_be_visible()
        expect(page.get_by_text("ClickHouse (embedded)", exact=False).first).to_be_visible()
        expect(page.get_by_test_id("stException")).to_have_count(0)
        page.set_viewport_size({"width": 1400, "height": 2400})
        page.wait_for_timeout(800)
        screenshot(page, "funnel-database")
        _ensure_map(page)
        page.get_by_role("button", name="Save the counts onto the map").click()
        wait_for_app(page)
        expect(page.get_by_text("Saved as version", exact=False)).to_be_visible()
        from cjm.store import get_store

        G = get_store(f"sqlite:///{(data_dir / 'cjm.db').resolve()}").load("shop-current").graph
        assert (G.nodes["view-product"]["users"], G.nodes["add-to-cart"]["users"]) == (4274, 2863)
        assert G.graph["counts_source"]["source"] == "warehouse: shop_events"
    finally:
        ctx.close()
