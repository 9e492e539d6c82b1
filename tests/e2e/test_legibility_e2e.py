"""Legible at 1440×900 and on a 1920×1080 projector, in both languages (issue 17).

Every page is opened on a sample map and on a workshop-built map (touchpoints called out through quick
add, few fields filled, long Russian words and a name at the length limit) in each language; each page
is measured and photographed at 1440×900, then the window is resized to 1920×1080 (no reload) and it is
measured and photographed again: test-artifacts/screenshots/legibility-<size>-<lang>-<map>-<page>.png.
Element boxes are measured in the browser: no button's or tab's text is cut («Откр…»), no text sticks
out of its bordered card, the read-only tables of the overview and the curve page show every column
without scrolling sideways, and every text of a journey-map card (touchpoint, pain point, opportunity,
stage header) lies inside the card's rectangle as drawn.
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.helpers import screenshot, wait_for_app

PAGES = ["", "journey-map", "editor", "presenter", "overview", "emotion-curve", "funnel", "flow", "audit"]
SIZES = {"1440": (1440, 900), "1920": (1920, 1080)}
SAMPLE = "shop-current"
WORKSHOP = "workshop-legibility"
WHOLE_TABLES = {"overview", "emotion-curve"}
#: Pages that draw the journey map's cards (the editor's live preview opens on the map).
CARD_PAGES = {"journey-map", "editor", "presenter"}
SAMPLE_FUNNEL = {"en": "Sample file", "ru": "Пример"}
#: Pages also photographed whole at 1440 px (the page scrolls inside Streamlit's own container, so
#: the window is made as tall as the page): the funnel below its controls, the editor's table.
WHOLE_PAGES = {"funnel", "editor"}

MEASURE = """
(wholeTables) => {
  const out = [];
  const text = (el) => (el.innerText || '').trim().slice(0, 60);
  for (const el of document.querySelectorAll('[data-testid="stMain"] button, [role="tab"]')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !text(el)) continue;
    for (const inner of el.querySelectorAll('p, span, div')) {
      // a label wider than its box: clipped or ellipsised by it or by a box around it («Откр…»)
      if (inner.textContent.trim() && inner.scrollWidth > inner.clientWidth + 2
          && (inner.children.length === 0 || getComputedStyle(inner).overflow !== 'visible')) {
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

#: Every SVG text whose middle lies in a map card (a shape named tp:, cell: or stage:, fully inside
#: the plot) must lie inside that card, as the browser drew both. Returns [texts checked, problems].
CARD_TEXT = """
() => {
  let checked = 0;
  const out = [];
  for (const gd of document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot')) {
    const fl = gd._fullLayout;
    if (!fl || !fl.shapes || !fl.xaxis || !fl.yaxis) continue;
    const box = gd.getBoundingClientRect();
    const x = (v) => box.left + fl._size.l + fl.xaxis.l2p(v);
    const y = (v) => box.top + fl._size.t + fl.yaxis.l2p(v);
    const plot = {left: x(fl.xaxis.range[0]), right: x(fl.xaxis.range[1])};
    const cards = [];
    for (const s of fl.shapes) {
      if (!s.name || !/^(tp|cell|stage):/.test(s.name)) continue;
      const c = {name: s.name, left: Math.min(x(s.x0), x(s.x1)), right: Math.max(x(s.x0), x(s.x1)),
                 top: Math.min(y(s.y0), y(s.y1)), bottom: Math.max(y(s.y0), y(s.y1))};
      if (c.left >= plot.left - 1 && c.right <= plot.right + 1) cards.push(c);
    }
    for (const el of gd.querySelectorAll('.scatterlayer .textpoint text, .annotation-text')) {
      const r = el.getBoundingClientRect();
      if (!r.width || !el.textContent.trim()) continue;
      const mx = (r.left + r.right) / 2, my = (r.top + r.bottom) / 2;
      const card = cards.find((c) => mx > c.left && mx < c.right && my > c.top && my < c.bottom);
      if (!card) continue;
      checked += 1;
      if (r.left < card.left - 1.5 || r.right > card.right + 1.5 || r.top < card.top - 1.5 || r.bottom > card.bottom + 1.5) {
        out.push(`text out of its card ${card.name}: ${el.textContent.slice(0, 50)}`
                 + ` (text ${Math.round(r.left)}…${Math.round(r.right)}, card ${Math.round(card.left)}…${Math.round(card.right)})`);
      }
    }
  }
  return [checked, out];
}
"""

LONG_NAME = ("Участница долго ищет, где оформить возврат товара, и в итоге звонит на горячую линию " * 3)[:200]
#: What a facilitator calls out in a Russian workshop: (text, what it is, stage).
CALLED_OUT = [
    ("Реклама во ВКонтакте", "touchpoint", "awareness"),
    ("Достопримечательность высокопревосходительство", "touchpoint", "awareness"),
    ("Сравнивает цены", "touchpoint", "consideration"),
    (LONG_NAME, "touchpoint", "consideration"),
    ("Оформление заказа", "touchpoint", "purchase"),
    ("Непредсказуемость сроков доставки переполняет терпение", "pain_point", None),
    ("Переподготовка операторов колл-центра", "idea", None),
    ("Курьер звонит за 10 минут", "touchpoint", "post_purchase"),
]


def _build_workshop_map(store) -> None:
    """The map as a facilitator builds it: a new map, then every call-out through quick add (the
    service the Quick add box calls), each new touchpoint linked from the one before it."""
    from cjm import services
    from cjm.model import new_map
    from cjm.services import Actor

    if store.exists(WORKSHOP):
        return
    who = Actor("Фасилитатор")
    services.create_map(store, who, new_map("Воркшоп: доставка и возвраты", map_id=WORKSHOP))
    last = None
    for text, kind, stage in CALLED_OUT:
        target = last if kind != "touchpoint" else None
        result = services.quick_add(
            store, who, WORKSHOP, text, kind=kind, stage=stage, target=target, link_previous=True
        )
        last = result.detail


@pytest.fixture(scope="module")
def workshop_map(browser, st_server, e2e_data_dir):
    from cjm.store import get_store

    ctx = browser.new_context()
    pg = ctx.new_page()
    pg.goto(st_server)  # the server seeds its database with the samples before the map is added
    wait_for_app(pg)
    ctx.close()
    _build_workshop_map(get_store(f"sqlite:///{e2e_data_dir.resolve() / 'cjm.db'}"))
    return WORKSHOP


def _whole_page_screenshot(pg, name: str) -> None:
    width, height = pg.viewport_size["width"], pg.viewport_size["height"]
    tall = pg.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    pg.set_viewport_size({"width": width, "height": max(height, min(int(tall) + 40, 4000))})
    pg.wait_for_timeout(500)  # charts lay themselves out again
    screenshot(pg, name)
    pg.set_viewport_size({"width": width, "height": height})


def _check(pg, path: str, where: str) -> list[str]:
    problems = [f"{where}: {p}" for p in pg.evaluate(MEASURE, path in WHOLE_TABLES)]
    if path in CARD_PAGES:
        checked, out = pg.evaluate(CARD_TEXT)
        problems += [f"{where}: {p}" for p in out]
        if not checked:
            problems.append(f"{where}: no card text drawn to measure")
    if pg.get_by_test_id("stException").count():
        problems.append(f"{where}: a traceback")
    return problems


@pytest.mark.parametrize("which", ["sample", "workshop"])
@pytest.mark.parametrize("lang", ["en", "ru"])
def test_every_page_is_legible_at_both_sizes_on_the_map_in_the_language(browser, st_server, workshop_map, lang, which):
    map_id = SAMPLE if which == "sample" else workshop_map
    ctx = browser.new_context(viewport={"width": SIZES["1440"][0], "height": SIZES["1440"][1]})
    pg = ctx.new_page()
    pg.set_default_timeout(60_000)
    problems = []
    try:
        for path in PAGES:
            pg.set_viewport_size(dict(zip(("width", "height"), SIZES["1440"], strict=True)))
            pg.goto(f"{st_server}/{path}?map={map_id}&lang={lang}&who=Reader")
            wait_for_app(pg, initial_wait_ms=800)
            if path == "funnel" and which == "sample":  # the funnel of the sample event log
                pg.get_by_test_id("stRadio").get_by_text(SAMPLE_FUNNEL[lang], exact=True).click()
                wait_for_app(pg, initial_wait_ms=500)
                expect(pg.get_by_test_id("stPlotlyChart").first).to_be_visible()
            if path in CARD_PAGES:
                expect(pg.get_by_test_id("stPlotlyChart").locator(".main-svg").first).to_be_visible()
            for size, (width, height) in SIZES.items():
                if size != "1440":
                    pg.set_viewport_size({"width": width, "height": height})
                pg.wait_for_timeout(500)  # charts and grids lay themselves out again after a resize
                problems += _check(pg, path, f"{size} {path or 'library'}")
                screenshot(pg, f"legibility-{size}-{lang}-{which}-{path or 'library'}")
                if size == "1440" and which == "sample" and path in WHOLE_PAGES:
                    _whole_page_screenshot(pg, f"legibility-1440-{lang}-{which}-{path}-whole")
    finally:
        ctx.close()
    assert not problems, "\n".join(problems)
