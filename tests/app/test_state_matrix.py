"""The state matrix: every page × the map states a new user meets (AppTest through app.py).

Each state is one map in one database shared by the module; each test opens every page on it, then
changes one widget and reruns. No page may raise, show the "something went wrong" message, or leave
an empty map without a word on why it is empty. Hostile text must never reach Markdown unescaped.
"""

import re

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import InitialValue

from cjm import i18n, model, schema, services
from cjm.store import get_store
from tests.app.conftest import APP

PAGES = ["library", "journey_map", "editor", "presenter", "overview", "emotion_curve", "funnel", "flow", "audit"]

HTML = '<img src=x onerror="alert(1)"><b>bold</b>'
MARKDOWN = "**not bold** [link](javascript:alert(1)) # heading"
LATEX = "price $x$ and $$y$$"
RTL = "\u202eevil\u202c name"
HOSTILE = [HTML, MARKDOWN, LATEX, RTL, "N" * schema.NAME_MAX]
ACTOR = services.Actor("Matrix")


def _map(title, *, stages="nine_stages"):
    return model.new_map(title, map_id=title.lower().replace(" ", "-")[:40], stages_template=stages)


def _chain(G, names, *, emotion=True, link=True, **fields):
    stage_ids = [s["id"] for s in model.stages(G)]
    ids = []
    for i, name in enumerate(names):
        extra = dict(fields)
        if emotion:
            extra["emotion"] = [-2.0, -1.0, 0.0, 1.0, 1.5][i % 5]
        ids.append(model.add_touchpoint(G, name, stage_ids[i * len(stage_ids) // len(names)], **extra))
    if link:
        for u, v in zip(ids, ids[1:], strict=False):
            model.add_transition(G, u, v, users=1000 - 3 * ids.index(v))
    return G


def _states():
    empty = _map("Empty map")
    one = _chain(_map("One touchpoint"), ["Only one"])
    unlinked = _chain(_map("No transitions"), [f"Step {i}" for i in range(8)], link=False)
    # A map needs one stage (the validator refuses none): the fewest a user can leave is one bare
    # stage with no name and no template behind it.
    no_stages = _map("No stages")
    no_stages.graph["stages"] = [{"id": "only", "name": "", "phase": "purchase"}]
    _chain(no_stages, ["Alone 1", "Alone 2"])
    no_emotions = _chain(_map("No emotions"), [f"Calm {i}" for i in range(6)], emotion=False)
    big = _chain(_map("Three hundred"), [f"Touchpoint {i}" for i in range(300)], channel="website")
    hostile = _chain(
        _map("Hostile"),
        HOSTILE,
        pain_point=HTML + " " + "p" * (schema.TEXT_MAX - len(HTML) - 1),
        opportunity=MARKDOWN,
    )
    hostile.graph["title"] = HTML
    hostile.graph["stages"][0]["name"] = LATEX
    hostile.graph["persona"]["name"] = RTL
    return {
        "no_touchpoints": empty,
        "one_touchpoint": one,
        "no_transitions": unlinked,
        "no_stages": no_stages,
        "no_emotions": no_emotions,
        "300_touchpoints": big,
        "hostile_text": hostile,
    }


@pytest.fixture(scope="module")
def state_maps(tmp_path_factory):
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CJM_DATA_DIR", str(tmp_path_factory.mktemp("matrix") / "data"))
        mp.delenv("CJM_DATABASE_URL", raising=False)
        st.cache_data.clear()
        st.cache_resource.clear()
        store = get_store()
        ids = {name: services.create_map(store, ACTOR, G).map_id for name, G in _states().items()}
        yield ids
        st.cache_data.clear()
        st.cache_resource.clear()


@pytest.fixture(autouse=True)
def fresh_data_dir():
    """Overrides the per-test database of tests/app/conftest.py: the matrix shares one."""
    yield


def _interact(at) -> str | None:
    """Change one widget of the page body (not the sidebar); return what was changed."""
    for box in [*at.main.checkbox, *at.main.toggle]:
        if not box.disabled:
            box.set_value(not box.value)
            return f"checkbox {box.label!r}"
    for slider in at.main.slider:
        if not slider.disabled and not isinstance(slider.value, tuple):
            slider.set_value(slider.max)
            return f"slider {slider.label!r}"
    for box in at.main.selectbox:
        if len(box.options) > 1 and not box.disabled:
            # AppTest's select_index sets the label as the value, which only works when the
            # labels are the values: tried, and undone when they are not.
            box.select_index(1 if box.index in (0, None) else 0)
            try:
                box.index  # noqa: B018 - raises when the label is not a value
            except ValueError:
                box._value = InitialValue()
                continue
            return f"selectbox {box.label!r}"
    return None


def _problems(at, lang) -> list[str]:
    found = [f"exception: {e.value}" for e in at.exception]
    prefix = i18n.t("app.unexpected_ref", lang, ref="", error="").split(",")[0]
    found += [f"unexpected error: {e.value}" for e in at.error if e.value.startswith(prefix)]
    for md in at.markdown:
        if re.search(r"(?<!\\)<(img|b>bold)", md.value):
            found.append(f"unescaped HTML in Markdown: {md.value[:120]}")
    return found


def _says_something(at) -> bool:
    return bool(at.main.info or at.main.warning or at.main.caption or at.main.success)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize(
    "state",
    [
        "no_touchpoints",
        "one_touchpoint",
        "no_transitions",
        "no_stages",
        "no_emotions",
        "300_touchpoints",
        "hostile_text",
    ],
)
def test_every_page_survives_the_map_state_and_a_rerun_after_an_interaction(state_maps, state, lang):
    if state == "300_touchpoints" and lang == "ru":
        pytest.skip("the big map is checked once: its size, not its language, is what it tests")
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    at.query_params["map"] = state_maps[state]
    at.run()
    failures = []
    for page in PAGES:
        at.switch_page(f"pages/{page}.py").run()
        failures += [f"{page}: {p}" for p in _problems(at, lang)]
        if not _says_something(at):
            failures.append(f"{page}: says nothing on a map with {state}")
        what = _interact(at)
        if what:
            at.run()
            failures += [f"{page} after changing {what}: {p}" for p in _problems(at, lang)]
    assert not failures, "\n".join(failures)
