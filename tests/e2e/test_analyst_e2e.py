"""The analyst persona in a real browser, on a fresh server over an empty database (issue 17).

One walk in one tab over every sample funnel file in sample_data/funnels/: upload it on the Funnel
page of the shop's map, bind its steps to the map's touchpoints (the page pre-selects the sure
matches; the analyst picks the others by name), save the counts onto the map, check what is stored,
and see the drop-off on the Journey map ("N % of start" under each touchpoint). Screenshots of
each file's funnel and map go to test-artifacts/screenshots/persona-analyst-*.png.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from cjm import model
from cjm.funnel.engine import EventLog, compute_funnel, event_counts, first_events, suggest_steps
from cjm.funnel.readers import detect, load
from cjm.funnel.table import ingest, is_ingested
from cjm.i18n import t
from cjm.store import Store
from cjm.text import fmt_int, fmt_share
from tests.e2e.helpers import SCREENSHOTS, screenshot, wait_for_app, wait_stored

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "funnels").glob("*.*"))
MAP = "shop-current"
UNMAPPED = "— not on the map —"
# What the analyst binds, file by file: step -> touchpoint id of the shop's map. Steps left out stay
# off the map (an entry such as a session start or the home page is no touchpoint of this map). A
# sample added later needs its line here: the walk refuses a file it has no binding for.
BINDINGS = {
    "ga4_bigquery_events.csv": {
        "view_item": "view-product",
        "add_to_cart": "add-to-cart",
        "begin_checkout": "checkout",
        "purchase": "order-confirmed",
    },
    "ga4_data_api_funnel.csv": {
        "view_item": "view-product",
        "add_to_cart": "add-to-cart",
        "begin_checkout": "checkout",
        "purchase": "order-confirmed",
    },
    "ga4_funnel_export.csv": {
        "view_item": "view-product",
        "add_to_cart": "add-to-cart",
        "begin_checkout": "checkout",
        "purchase": "order-confirmed",
    },
    "metrica_funnel_export.csv": {
        "Карточка товара": "view-product",
        "Корзина": "add-to-cart",
        "Оформление заказа": "checkout",
        "Заказ оплачен": "order-confirmed",
    },
    "metrica_logs_hits.tsv": {"/product/*": "view-product", "/cart": "add-to-cart", "goal 31337001": "checkout"},
    "metrica_logs_visits.tsv": {"goal 31337001": "checkout", "goal 31337002": "order-confirmed"},
    "shop_events.csv": {
        "view_product": "view-product",
        "add_to_cart": "add-to-cart",
        "checkout": "checkout",
        "payment": "payment",
        "order_confirmed": "order-confirmed",
    },
    "shop_funnel_en.csv": {
        "view_product": "view-product",
        "add_to_cart": "add-to-cart",
        "checkout": "checkout",
        "payment": "payment",
        "order_confirmed": "order-confirmed",
    },
    "shop_funnel_ru.csv": {
        "Карточка товара": "view-product",
        "Корзина": "add-to-cart",
        "Оформление заказа": "checkout",
        "Оплата": "payment",
        "Заказ подтверждён": "order-confirmed",
    },
}


def funnel_of(path: Path) -> dict[str, int]:
    """Step -> people of a file as the Funnel page first shows it (cjm.funnel: a table's own steps; an
    event log's suggested steps, in order, within 14 days)."""
    obj = load(detect(path, name=path.name))
    if not isinstance(obj, EventLog):
        return dict(zip(obj.steps, obj.counts, strict=True))
    if not is_ingested(obj):
        ingest(obj)
    firsts = first_events(obj)
    steps = suggest_steps(event_counts(obj)["event"].tolist(), first=firsts["event"].iloc[0] if len(firsts) else None)
    result = compute_funnel(obj, steps)
    return dict(zip(result.steps, result.counts, strict=True))


@pytest.fixture(scope="module")
def analyst(browser, fresh_server):
    url, data = fresh_server
    store = Store(f"sqlite:///{data / 'cjm.db'}")
    assert store.list_maps() == [], "the walk starts from an empty database"
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(90_000)
    pg.goto(f"{url}/?map={MAP}&lang=en&who=Analyst")
    wait_for_app(pg)
    # The first page load seeds the sample maps; the page can be drawn before that commit is seen here.
    wait_stored(store, MAP, lambda stored: stored.graph.number_of_nodes() > 0)
    yield pg, store
    ctx.close()


def _open(pg, page_name: str) -> None:
    pg.get_by_test_id("stSidebarNav").get_by_text(page_name, exact=True).click()
    wait_for_app(pg)


def _bind(pg, step: str, option: str) -> None:
    """Show ``option`` in the step's touchpoint picker (picked by typing its name, as a user does)."""
    picker = pg.get_by_role("combobox", name=f"Step “{step}”", exact=True)
    if picker.input_value() == option:
        return
    picker.click()
    pg.keyboard.type(option)  # the list opens and narrows as one types (fill() would not open it)
    pg.get_by_role("option", name=option, exact=True).click()
    wait_for_app(pg)
    expect(picker).to_have_value(option)


def _shot(pg, locator, name: str) -> None:
    """A screenshot of the page with ``locator`` in view (Streamlit scrolls inside its own container)."""
    locator.scroll_into_view_if_needed()
    screenshot(pg, name)


def test_there_is_a_binding_for_each_sample_funnel_file():
    assert len(SAMPLES) >= 9
    assert sorted(BINDINGS) == [p.name for p in SAMPLES]


def test_the_analyst_saves_each_sample_funnel_onto_the_map_and_sees_the_drop_off(analyst):
    pg, store = analyst
    names = {n: d["name"] for n, d in store.load(MAP).graph.nodes(data=True)}
    for i, sample in enumerate(SAMPLES):
        counts, binding = funnel_of(sample), BINDINGS[sample.name]
        assert set(binding) <= set(counts), f"{sample.name}: steps {sorted(set(binding) - set(counts))} not counted"
        _open(pg, "Funnel")
        pg.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(sample))
        expect(pg.get_by_text(f"{sample.name}:").first).to_be_visible()  # this file, read …
        # … and its run drew every step's picker (the file is sent before the run starts: the page
        # is idle for a moment after the upload, so idle alone is no sign the run is over)
        expect(pg.get_by_role("combobox", name=f"Step “{list(counts)[-1]}”", exact=True)).to_be_visible()
        wait_for_app(pg)
        entered = pg.get_by_test_id("stMetric").filter(has_text="Entered (step 1)")
        expect(entered).to_contain_text(fmt_int(next(iter(counts.values())), "en"))
        expect(pg.get_by_test_id("stException")).to_have_count(0)
        for step in counts:
            _bind(pg, step, names[binding[step]] if step in binding else UNMAPPED)
        if i == 0:  # the sample map's own counts go, so the map shows this funnel alone
            pg.get_by_test_id("stCheckbox").filter(has_text="Also clear the counts").click()
            wait_for_app(pg)
        before = store.latest_version(MAP)
        pg.get_by_role("button", name="Save the counts onto the map").click()
        wait_for_app(pg)
        saved = pg.get_by_test_id("stAlert").filter(has_text="Saved as version")
        expect(saved).to_be_visible()
        expect(pg.get_by_test_id("stException")).to_have_count(0)
        _shot(pg, saved, f"persona-analyst-{sample.stem}-saved")

        stored = wait_stored(store, MAP, lambda s, v=before: s.version > v)
        G = stored.graph
        assert G.graph["counts_source"]["source"] == sample.name
        assert {tp: G.nodes[tp]["users"] for tp in binding.values()} == {
            tp: counts[step] for step, tp in binding.items()
        }
        assert {tp for tp in G if G.nodes[tp].get("users") is not None} == set(binding.values()), "this funnel alone"

        # The drop-off on the map: the last bound touchpoint's people and their share of the first's.
        users = model.users_by_touchpoint(G)
        known = [users[n] for n in model.touchpoints_in_order(G) if n in users]
        _open(pg, "Journey map")
        chart = pg.get_by_test_id("stPlotlyChart").first
        expect(chart.locator(".main-svg").first).to_be_visible()
        expect(chart).to_contain_text(t("mapview.users_share", "en", pct=fmt_share(known[-1] / known[0], "en")))
        expect(chart).to_contain_text(fmt_int(known[-1], "en"))
        expect(pg.get_by_test_id("stException")).to_have_count(0)
        chart.scroll_into_view_if_needed()
        chart.screenshot(path=str(SCREENSHOTS / f"persona-analyst-{sample.stem}-map.png"))
