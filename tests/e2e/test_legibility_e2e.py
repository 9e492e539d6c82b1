"""Legible at 1440×900 and on a 1920×1080 projector, in both languages (issue 17).

Every page is opened on a sample map at both sizes; a screenshot of each goes to
test-artifacts/screenshots/legibility-<size>-<lang>-<page>.png. Element boxes are measured in the
browser: no button's or tab's text is cut («Откр…»), no text sticks out of its bordered card, and the
read-only tables of the overview and the curve page show every column without scrolling sideways.
"""

import pytest

from tests.e2e.helpers import screenshot, wait_for_app

PAGES = ["", "journey-map", "editor", "presenter", "overview", "emotion-curve", "funnel", "flow", "audit"]
SIZES = {"1440": (1440, 900), "1920": (1920, 1080)}
MAP = "shop-current"
WHOLE_TABLES = {"overview", "emotion-curve"}

MEASURE = """
(wholeTables) => {
  const out = [];
  const text = (el) => (el.innerText || '').trim().slice(0, 60);
  for (const el of document.querySelectorAll('[data-testid="stMain"] button, [role="tab"]')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !text(el)) continue;
    for (const inner of el.querySelectorAll('p, span, div')) {
      if (inner.children.length === 0 && inner.scrollWidth > inner.clientWidth + 2
          && getComputedStyle(inner).overflow !== 'visible') {
        out.push('cut text: ' + text(el)); break;
      }
    }
  }
  for (const card of document.querySelectorAll('[data-testid="stMain"] [data-testid="stVerticalBlockBorderWrapper"]')) {
    const c = card.getBoundingClientRect();
    if (!c.width) continue;
    for (const el of card.querySelectorAll('p, h1, h2, h3, h4, li, label')) {
      const r = el.getBoundingClientRect();
      if (r.width && r.right > c.right + 2) { out.push('out of its card: ' + text(el)); break; }
    }
  }
  if (wholeTables) {
    for (const grid of document.querySelectorAll('[data-testid="stDataFrame"] .dvn-scroller')) {
      if (grid.scrollWidth > grid.clientWidth + 2) out.push('a table hides columns sideways');
    }
  }
  return out;
}
"""


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("size", list(SIZES))
def test_every_page_is_legible_at_the_size_in_the_language(browser, st_server, size, lang):
    width, height = SIZES[size]
    ctx = browser.new_context(viewport={"width": width, "height": height})
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    problems = []
    try:
        for path in PAGES:
            pg.goto(f"{st_server}/{path}?map={MAP}&lang={lang}&who=Reader")
            wait_for_app(pg, initial_wait_ms=800)
            pg.wait_for_timeout(600)  # charts and grids lay themselves out after the run
            found = pg.evaluate(MEASURE, path in WHOLE_TABLES)
            problems += [f"{path or 'library'}: {p}" for p in found]
            if pg.get_by_test_id("stException").count():
                problems.append(f"{path or 'library'}: a traceback")
            screenshot(pg, f"legibility-{size}-{lang}-{path or 'library'}")
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)
