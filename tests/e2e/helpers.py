"""Browser-test helpers (Streamlit's own readiness recipe)."""

from pathlib import Path

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"


def wait_for_app(page, initial_wait_ms: int = 250) -> None:
    """Wait until the Streamlit script has finished its run and nothing is loading."""
    from playwright.sync_api import expect

    page.wait_for_timeout(initial_wait_ms)  # the rerun may not have started yet
    page.locator("[data-testid='stApp'][data-test-connection-state='CONNECTED']").wait_for(state="attached")
    page.locator("[data-testid='stApp'][data-test-script-state='notRunning']").wait_for(state="attached")
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot to test-artifacts/screenshots/<name>.png and return its path."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_stored(store, map_id: str, check, timeout: float = 60.0):
    """Poll the database until ``check(stored_map)`` holds (a ``cjm.store.StoredMap``: ``.graph``,
    ``.version``); return it. The state the test waits for is what is stored, never a fixed time."""
    import time

    from cjm.errors import MapNotFoundError

    deadline = time.monotonic() + timeout
    while True:
        try:
            stored = store.load(map_id)
        except MapNotFoundError:  # not stored yet (e.g. the samples are seeded by a first page load)
            stored = None
        if stored is not None and check(stored):
            return stored
        if time.monotonic() > deadline:
            state = "is not stored" if stored is None else f"is at version {stored.version}"
            raise AssertionError(f"the stored map {map_id!r} never reached the expected state (it {state})")
        time.sleep(0.2)


#: The open cell editor of a data editor: glide-data-grid draws it in the "portal" overlay.
CELL_EDITOR = ".gdg-clip-region textarea, .gdg-clip-region input"


def cell_editor(page):
    """The cell editor that Enter (or a double click) opened in a data editor."""
    return page.get_by_test_id("portal").locator(CELL_EDITOR).first


def open_cell_editor(page, select, tries: int = 3):
    """Select a cell (``select()``: a click on the grid, then arrow keys), press Enter and return the
    cell editor once it is open.

    On a busy machine the grid can be drawn again between the click and the key (the rerun an earlier
    action started, or the live-follow fragment's): the selection is gone and Enter opens nothing. A
    person then clicks the cell again; so does this helper, after the page has settled, up to
    ``tries`` times."""
    from playwright.sync_api import expect

    editor = cell_editor(page)
    for attempt in range(tries):
        select()
        page.keyboard.press("Enter")
        try:
            expect(editor).to_be_visible(timeout=5_000)
            return editor
        except AssertionError:
            if attempt == tries - 1:
                raise
            wait_for_app(page, initial_wait_ms=400)
    raise AssertionError("unreachable")


def replace_in_cell_editor(editor, text: str) -> None:
    """Replace what the open cell editor holds with ``text``, key by key as a person types, and wait
    until the editor holds it.

    Not ``fill``: a fill sets the value in one synthetic step, and a rerun of the page's live-follow
    fragment (several times a second) landing at that moment can leave the grid's own copy of the
    value unchanged, so Enter then commits the old value and no edit reaches the app (seen in 2 of 15
    tries on a busy machine; never with key presses, nor with the fragment switched off)."""
    from playwright.sync_api import expect

    editor.press("ControlOrMeta+a")
    editor.press("Delete")
    if text:
        editor.press_sequentially(text)
    expect(editor).to_have_value(text)
