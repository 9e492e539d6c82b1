"""Persona journeys in a real browser, on a fresh server over an empty database (issue 17).

The facilitator builds a workshop map from a template (quick add, linking, a transition added as a
new row of the table with From and To picked by name, a vote, a comment, presenter mode); the
executive reads that map (overview, curve, the one-page summary). Every step is screenshotted into
test-artifacts/screenshots/persona-*.png. Each step also checks what a new user would first trip
over: no traceback, no internal ids, and the participant's name surviving a reload.
"""

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from cjm import model
from cjm.store import Store
from tests.e2e.helpers import open_cell_editor, replace_in_cell_editor, screenshot, wait_for_app, wait_stored

TOUCHPOINTS = [
    "Advert on the metro",
    "Friend's recommendation",
    "Website home page",
    "Price comparison",
    "Basket",
    "Payment",
    "Courier call",
    "Delivery",
]
ROW_H, HEADER_H = 35, 35


@pytest.fixture(scope="module")
def journey(browser, fresh_server):
    """One browser tab walking the whole journey; the map id it built."""
    url, data = fresh_server
    ctx = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    yield pg, url, Store(f"sqlite:///{data / 'cjm.db'}"), {}
    ctx.close()


def settle(pg) -> None:
    pg.wait_for_timeout(400)
    wait_for_app(pg)


def no_traceback(pg) -> None:
    expect(pg.get_by_test_id("stException")).to_have_count(0)
    expect(pg.get_by_text(re.compile(r"Traceback|Something went wrong"))).to_have_count(0)


def query(pg) -> dict[str, str]:
    return {k: v[0] for k, v in urllib.parse.parse_qs(urllib.parse.urlparse(pg.url).query).items()}


def test_1_the_first_load_of_a_fresh_server_shows_the_apps_own_navigation(journey):
    pg, url, store, _ = journey
    assert store.list_maps() == [], "the walk starts from an empty database"
    pg.goto(url + "/")
    wait_for_app(pg)
    nav = pg.get_by_test_id("stSidebarNav")
    expect(nav.get_by_text("Library")).to_be_visible()
    # Streamlit's raw page list would name the files ("emotion curve", "journey map").
    expect(nav.get_by_text(re.compile(r"^(emotion curve|journey map|editor)$"))).to_have_count(0)
    no_traceback(pg)
    screenshot(pg, "persona-facilitator-01-library")


def test_2_the_facilitator_creates_a_map_from_a_template(journey):
    pg, url, store, state = journey
    who = pg.get_by_test_id("stSidebar").get_by_label(re.compile("Your name"))
    who.fill("Olga")
    who.press("Enter")
    settle(pg)
    pg.get_by_label("Title").fill("Courier workshop")
    pg.get_by_role("button", name="Create map").click()
    settle(pg)
    expect(pg.get_by_text(re.compile("Courier workshop")).first).to_be_visible()
    state["map"] = query(pg)["map"]
    assert query(pg)["who"] == "Olga" and query(pg)["lang"] == "en"
    assert store.load(state["map"]).graph.number_of_nodes() == 0
    screenshot(pg, "persona-facilitator-02-created")


def test_3_eight_touchpoints_by_quick_add_each_linked_from_the_previous(journey):
    pg, url, store, state = journey
    pg.goto(f"{url}/editor?map={state['map']}&lang=en&who=Olga")
    wait_for_app(pg)
    no_traceback(pg)
    screenshot(pg, "persona-facilitator-03-empty-editor")
    box = pg.get_by_label("What was said")
    for i, name in enumerate(TOUCHPOINTS):
        box.fill(name)
        expect(box).to_have_value(name)
        pg.get_by_role("button", name="Add", exact=True).click()
        wait_stored(store, state["map"], lambda s, n=i + 1: s.graph.number_of_nodes() == n)
        settle(pg)
        expect(box).to_have_value("")  # emptied for the next call-out once it is on the map
    G = store.load(state["map"]).graph
    order = model.touchpoints_in_order(G)
    assert [G.nodes[n]["name"] for n in order] == TOUCHPOINTS
    assert G.number_of_edges() == len(TOUCHPOINTS) - 1
    assert store.history(state["map"])[0].author == "Olga"
    no_traceback(pg)
    screenshot(pg, "persona-facilitator-04-eight-touchpoints")


def _cell(grid, col: int, row: int):
    """A cell of the grid's accessibility table (with "Add and delete rows" on, column 0 is the row
    marker). It holds a cell's value: for From and To the touchpoint's id, drawn as its name."""
    return grid.locator(f"#glide-cell-{col}-{row}")


def _select_in_cell(pg, grid, row: int, col: int, name: str, tp_id: str, *, completes_row: bool = False) -> None:
    """Pick touchpoint ``name`` in the drop-down of a From/To cell, by typing it as a user does."""
    options = pg.get_by_role("option")
    for _attempt in range(3):  # a rerun landing as the cell opens closes its drop-down: open it again
        settle(pg)
        grid.click(position={"x": 60, "y": HEADER_H + row * ROW_H + ROW_H // 2})  # the From cell …
        for _ in range(col - 1):
            pg.keyboard.press("ArrowRight")  # … then along the row
        pg.keyboard.press("Enter")
        pg.keyboard.type(name)
        try:
            # Enter takes the highlighted option: wait until the list has narrowed to the typed name
            # (a click is intercepted by the grid's tooltip).
            expect(options).to_have_count(1, timeout=10_000)
            break
        except AssertionError:
            pg.keyboard.press("Escape")
    expect(options).to_have_count(1)
    expect(pg.get_by_role("option", name=name, exact=True)).to_be_visible()
    pg.keyboard.press("Enter")
    if not completes_row:  # a completed row is saved and the table redrawn in its order
        expect(_cell(grid, col, row)).to_have_text(tp_id)


def _half_row(grid, rows: int, source: str) -> int:
    """The row of the table whose From is ``source`` and whose To is still empty."""
    for _ in range(100):
        for row in range(rows + 1):
            if _cell(grid, 1, row).text_content() == source and not (_cell(grid, 2, row).text_content() or ""):
                return row
        grid.page.wait_for_timeout(200)
    raise AssertionError(f"no half-filled row from {source!r} in the table")


def test_4_a_transition_added_as_a_new_row_of_the_table_by_touchpoint_names(journey):
    pg, url, store, state = journey
    map_id = state["map"]
    G = store.load(map_id).graph
    order = model.touchpoints_in_order(G)
    advert, website = order[0], order[2]
    assert not G.has_edge(advert, website)
    before, n = store.latest_version(map_id), G.number_of_edges()
    pg.get_by_role("tab", name="Transitions").click()
    settle(pg)
    pg.get_by_test_id("stCheckbox").get_by_text("Add and delete rows").click()
    settle(pg)
    grid = pg.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    expect(_cell(grid, 1, n - 1)).to_have_text(order[n - 1])  # the table is drawn, its last row is the last link
    grid.hover()
    grid.get_by_role("button", name="Add row").click()
    settle(pg)
    expect(_cell(grid, 1, n)).to_be_attached()
    # How many people take it, typed first: a row without its ends is kept in the table, not refused.

    def people_cell():
        grid.click(position={"x": 60, "y": HEADER_H + n * ROW_H + ROW_H // 2})
        pg.keyboard.press("ArrowRight")
        pg.keyboard.press("ArrowRight")

    editor = open_cell_editor(pg, people_cell)
    replace_in_cell_editor(editor, "300")
    editor.press("Enter")
    expect(_cell(grid, 3, n)).to_have_text("300")
    _select_in_cell(pg, grid, n, 1, TOUCHPOINTS[0], advert)
    settle(pg)
    expect(pg.get_by_test_id("stAlert").filter(has_text="Not saved")).to_have_count(0)
    assert store.latest_version(map_id) == before  # half a transition is not saved
    # The half row may be drawn again in the table's order (after the advert's other transition):
    # the To cell is picked on whichever row now holds it, as a person would find it.
    half = _half_row(grid, n, advert)
    _select_in_cell(pg, grid, half, 2, TOUCHPOINTS[2], website, completes_row=True)
    stored = wait_stored(store, map_id, lambda s: s.version > before)  # saved once both ends are set
    assert stored.version == before + 1 and store.history(map_id)[0].author == "Olga"
    assert stored.graph.number_of_edges() == n + 1
    assert stored.graph.edges[advert, website]["users"] == 300
    settle(pg)
    # The table is redrawn from the saved map: the new transition sits after the other one from the advert.
    grid = pg.get_by_test_id("stDataFrame").first
    expect(_cell(grid, 1, 1)).to_have_text(advert)
    expect(_cell(grid, 2, 1)).to_have_text(website)
    expect(_cell(grid, 3, 1)).to_have_text("300")
    no_traceback(pg)
    screenshot(pg, "persona-facilitator-05-transition-added")

    # Flow shows the new path: two ways from the advert to the delivery.
    pg.goto(f"{url}/flow?map={map_id}&lang=en&who=Olga")
    wait_for_app(pg)
    expect(pg.get_by_test_id("stMetric").filter(has_text="Paths")).to_contain_text("2")
    pg.get_by_role("tab", name="Paths and bottlenecks").click()
    settle(pg)
    path = " → ".join([TOUCHPOINTS[0], *TOUCHPOINTS[2:]])
    expect(pg.get_by_test_id("stDataFrame").first.get_by_text(path, exact=True)).to_be_attached()
    no_traceback(pg)
    screenshot(pg, "persona-facilitator-05b-flow-paths")
    pg.goto(f"{url}/editor?map={map_id}&lang=en&who=Olga")
    wait_for_app(pg)


def test_5_a_vote_and_a_comment_and_the_name_survives_a_reload(journey):
    pg, url, store, state = journey
    pg.reload()
    wait_for_app(pg)
    expect(pg.get_by_test_id("stSidebar").get_by_label(re.compile("Your name"))).to_have_value("Olga")
    pg.get_by_role("tab", name=re.compile("Votes, comments")).click()
    settle(pg)
    pg.get_by_role("button", name="Vote", exact=True).click()
    settle(pg)
    pg.get_by_label("New comment").fill("Couriers call too late")
    pg.get_by_role("button", name="Add comment").click()
    settle(pg)
    G = store.load(state["map"]).graph
    first = model.touchpoints_in_order(G)[0]
    assert [v["participant"] for v in G.nodes[first]["votes"]] == ["Olga"]
    assert G.nodes[first]["comments"][-1]["author"] == "Olga"
    expect(pg.get_by_text("(tp-")).to_have_count(0)  # pickers name touchpoints, never their ids
    no_traceback(pg)
    screenshot(pg, "persona-facilitator-06-vote-comment")


def test_6_presenter_mode(journey):
    pg, url, _, state = journey
    pg.goto(f"{url}/presenter?map={state['map']}&lang=en&who=Olga")
    wait_for_app(pg)
    expect(pg.get_by_test_id("stPlotlyChart").first).to_be_visible()
    no_traceback(pg)
    screenshot(pg, "persona-facilitator-07-presenter")


@pytest.mark.parametrize("path", ["overview", "emotion-curve", "journey-map"])
def test_7_the_executive_reads_the_workshop_map(journey, path):
    pg, url, _, state = journey
    pg.goto(f"{url}/{path}?map={state['map']}&lang=en&who=Boss")
    wait_for_app(pg)
    expect(pg.get_by_test_id("stPlotlyChart").first).to_be_visible()
    no_traceback(pg)
    screenshot(pg, f"persona-executive-{path}")
