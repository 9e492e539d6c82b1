"""The Journey map page through app.py: every sample map in both languages, lanes, baseline, exports."""

import base64
import html
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP


def _plain(text: str) -> str:
    """Figure text as a reader sees it: tags dropped, line breaks as spaces, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text.replace("<br>", " ")))


SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "maps").glob("*.json"))
SAMPLE_IDS = [json.loads(p.read_text(encoding="utf-8"))["graph"]["id"] for p in SAMPLES]
PAGE = "pages/journey_map.py"


def _open(map_id: str | None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if lang != "en":
        at.query_params["lang"] = lang
    if map_id:
        at.query_params["map"] = map_id
    at.switch_page(PAGE)
    return at.run()


def _spec(at) -> dict:
    charts = at.get("plotly_chart")
    assert len(charts) == 1
    return json.loads(charts[0].proto.spec)


def _decode(arr):
    """Plotly ≥ 6 sends numeric arrays as base64 typed arrays."""
    if isinstance(arr, dict) and "bdata" in arr:
        return np.frombuffer(base64.b64decode(arr["bdata"]), dtype=arr["dtype"]).tolist()
    return arr


def test_there_are_seven_sample_maps_covering_the_four_types():
    types = {json.loads(p.read_text(encoding="utf-8"))["graph"]["map_type"] for p in SAMPLES}
    assert len(SAMPLES) == 7
    assert types == {"current_state", "day_in_life", "future_state", "service_blueprint"}


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("map_id", SAMPLE_IDS)
def test_each_sample_map_renders_in_both_languages(map_id, lang):
    at = _open(map_id, lang)
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    assert at.title[0].value == ("Journey map" if lang == "en" else "Карта пути")
    spec = _spec(at)
    tps = next(t for t in spec["data"] if (t.get("meta") or {}).get("role") in ("touchpoints",))
    assert len(tps["text"]) > 5, "the map's touchpoints are drawn"
    lanes = "".join(spec["layout"]["yaxis"]["ticktext"])
    assert ("Emotion" in lanes or "Frontstage" in lanes) if lang == "en" else ("Эмоции" in lanes or "Видимые" in lanes)


def test_the_persona_card_shows_the_persona_as_plain_text():
    at = _open("shop-current")
    persona = json.loads(SAMPLES[SAMPLE_IDS.index("shop-current")].read_text(encoding="utf-8"))["graph"]["persona"]
    # captions are markdown with every markup character backslash-escaped: the text reads literally
    captions = [c.value.replace("\\", "") for c in at.caption]
    assert persona["goals"] in captions and persona["demographics"] in captions
    assert any("Goals" in m.value for m in at.markdown)


def test_persona_text_with_markdown_or_html_is_shown_literally(monkeypatch):
    from cjm.store import get_store

    store = get_store()
    G = store.load("airline-current").graph
    G.graph["persona"]["goals"] = "**loud** [click](http://evil.example) <b>x</b>"
    store.save(G, expected_version=store.latest_version("airline-current"), author="test")
    at = _open("airline-current")
    goals = next(c.value for c in at.caption if "loud" in c.value)
    assert goals == r"\*\*loud\*\* \[click\]\(http\:" + "\u2060" + r"//evil\.example\) \<b\>x\</b\>"


def test_future_map_is_read_against_its_baseline():
    future = next(i for i in SAMPLE_IDS if i.endswith("future"))
    at = _open(future)
    assert not at.exception
    spec = _spec(at)
    names = [t.get("name") for t in spec["data"]]
    assert "Baseline emotion" in names and "Future emotion" in names
    assert any(s.value == "Resolved pain points" for s in at.subheader)
    assert [m.label for m in at.metric][:3] == ["Baseline conversion", "Future conversion", "Projected change"]


def test_lanes_can_be_hidden_from_the_page():
    at = _open("airline-current")
    at.multiselect(key="journey_map.lanes.current_state").set_value(["touchpoint", "emotion"]).run()
    assert not at.exception
    ticks = _spec(at)["layout"]["yaxis"]["ticktext"]
    assert [_plain(t) for t in ticks] == ["Touchpoint & channel", "Emotion"]
    at.multiselect(key="journey_map.lanes.current_state").set_value([]).run()
    assert not at.get("plotly_chart") and any("at least one lane" in i.value for i in at.info)


def test_the_column_width_choice_sets_the_pixels_a_column_is_drawn_and_its_text_wrapped_for():
    at = _open("shop-current")
    layout = _spec(at)["layout"]
    assert layout["xaxis"]["scaleratio"] == 190 and layout["dragmode"] == "pan"
    assert any("drag it sideways" in c.value for c in at.caption)  # 26 touchpoints: wider than a screen
    at.select_slider(key="journey_map.columns").set_value("narrow").run()
    layout = _spec(at)["layout"]
    assert layout["xaxis"]["scaleratio"] == 150 and layout["meta"]["column_px"] == 150


def test_exports_are_offered_and_an_unavailable_renderer_is_explained(monkeypatch):
    monkeypatch.setenv("CJM_CHROMIUM", "/nonexistent/chromium")
    at = _open("airline-blueprint")
    assert not at.exception
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["HTML (interactive)", "Mermaid journey", "Mermaid flowchart"]
    assert any("Image export is unavailable here" in i.value and "/nonexistent/chromium" in i.value for i in at.info)


def test_without_a_map_the_page_points_to_the_library():
    at = _open(None)
    assert not at.exception
    assert not at.get("plotly_chart")
    assert at.info


def test_a_map_of_200_touchpoints_renders_on_the_page():
    from cjm.charts.synthetic import synthetic_map
    from cjm.store import get_store

    get_store().create(synthetic_map(200), author="test")
    at = _open("synthetic-200-current_state")
    assert not at.exception
    spec = _spec(at)
    assert spec["layout"]["meta"]["columns"] == 200
    tps = next(t for t in spec["data"] if (t.get("meta") or {}).get("role") == "touchpoints")
    assert len(tps["text"]) == 200


def test_a_renderer_that_fails_gives_a_clear_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("CJM_CHROMIUM", "/bin/false")  # "a browser" that exits at once
    at = _open("airline-blueprint")
    at.button(key="journey_map.render_image").click().run(timeout=120)
    assert not at.exception
    assert any("Could not render the image" in e.value and "/bin/false" in e.value for e in at.error)
    assert not any(b.proto.label == "PNG image" for b in at.get("download_button"))


def test_journey_map_filters_by_decision_and_role():
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["map"] = "airline-competitor"
    at.switch_page("pages/journey_map.py").run()
    assert not at.exception
    at.multiselect(key="journey_map.role").set_value(["convince"]).run()
    assert not at.exception
    assert any("2 touchpoint(s) shown" in c.value for c in at.caption), [c.value for c in at.caption]
    at.multiselect(key="journey_map.decision").set_value(["stay_or_leave"]).run()
    assert any("1 touchpoint(s) shown" in c.value for c in at.caption)


@pytest.mark.parametrize(("lang", "marks"), [("en", ".,"), ("ru", ",\u202f")])
def test_plotly_writes_its_own_numbers_with_the_languages_separators(make_app, lang, marks):
    import json as _json

    at = make_app(lang=lang, map_id="shop-current")
    at.switch_page("pages/flow.py").run()
    specs = [_json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert specs and all(s["layout"].get("separators") == marks for s in specs)


def test_the_chart_toolbar_and_plotly_s_own_texts_follow_the_page_language():
    ru = json.loads(_open("shop-current", "ru").get("plotly_chart")[0].proto.config)
    assert ru["locale"] == "ru" and ru["displaylogo"] is False  # the page's own config is kept
    assert ru["locales"]["ru"]["dictionary"]["Download plot as a PNG"] == "Скачать как PNG"
    assert ru["locales"]["ru"]["format"]["shortMonths"][8] == "сен"
    en = json.loads(_open("shop-current", "en").get("plotly_chart")[0].proto.config)
    assert "locale" not in en
