"""The analyst persona in a real browser: every sample funnel file in sample_data/funnels/ is
uploaded on the Funnel page of the shop's map; each shows its funnel with no traceback (a
screenshot per file in test-artifacts/screenshots/persona-analyst-*.png). Saving counts onto the
map and seeing them there is walked in tests/e2e/test_funnel_e2e.py."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import screenshot, wait_for_app

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "funnels").glob("*.*"))


@pytest.fixture(scope="module")
def funnel_page(browser, st_server):
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(90_000)
    pg.goto(f"{st_server}/?map=shop-current&lang=en&who=Analyst")
    wait_for_app(pg)
    pg.get_by_test_id("stSidebarNav").get_by_text("Funnel", exact=True).click()
    wait_for_app(pg)
    yield pg
    ctx.close()


def test_there_are_sample_funnel_files():
    assert len(SAMPLES) >= 5


@pytest.mark.parametrize("sample", SAMPLES, ids=[p.name for p in SAMPLES])
def test_each_sample_funnel_file_shows_its_funnel(funnel_page, sample):
    pg = funnel_page
    pg.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(sample))
    pg.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached")
    wait_for_app(pg, 800)
    expect(pg.get_by_test_id("stException")).to_have_count(0)
    expect(pg.get_by_text("Something went wrong")).to_have_count(0)
    expect(pg.get_by_text(f"{sample.name}:", exact=False).first).to_be_visible()  # this file, read
    expect(pg.get_by_test_id("stMetric").filter(has_text="Entered (step 1)")).to_be_visible()
    assert "map=shop-current" in pg.url  # still the shop's map after the upload
    screenshot(pg, f"persona-analyst-{sample.stem}")
