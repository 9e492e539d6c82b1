"""The emotion curve and the executive overview through app.py: every sample map, both languages,
read-only, with the figures and findings they promise."""

import base64
import json
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from cjm.io.jsonio import read_json

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
SAMPLES = sorted((ROOT / "sample_data" / "maps").glob("*.json"))
SAMPLE_IDS = [read_json(p).graph["id"] for p in SAMPLES]
PAGES = ("pages/overview.py", "pages/emotion_curve.py")
EDIT_WIDGETS = ("data_editor", "text_input", "text_area", "number_input", "date_input", "time_input", "file_uploader")


def open_page(page: str, map_id: str | None = None, lang: str = "en") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["lang"] = lang
    if map_id:
        at.query_params["map"] = map_id
    return at.switch_page(page).run()


def plotly_spec(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("plotly_chart")[index].proto.spec)


def decode(values):
    """Plotly ≥ 6 encodes numeric arrays as base64 ``bdata``."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values)


def test_there_are_sample_maps_to_render():
    assert len(SAMPLE_IDS) >= 6


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("map_id", SAMPLE_IDS)
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_every_sample_map_in_both_languages_without_edit_controls(page, map_id, lang):
    at = open_page(page, map_id, lang)
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.get("plotly_chart")) == 1
    for kind in EDIT_WIDGETS:
        assert len(getattr(at.main, kind)) == 0, f"{page} shows an edit control: {kind}"
    expected_title = {"en": {"pages/overview.py": "Executive overview", "pages/emotion_curve.py": "Emotion curve"},
                      "ru": {"pages/overview.py": "Обзор для руководителя", "pages/emotion_curve.py": "Кривая эмоций"}}  # fmt: skip
    assert at.title[0].value == expected_title[lang][page]


def test_overview_cards_match_the_map(fresh_data_dir):
    at = open_page("pages/overview.py", "airline-current")
    from cjm.overview import map_metrics
    from cjm.text import fmt_emotion, fmt_share

    m = map_metrics(read_json(ROOT / "sample_data" / "maps" / "airline-current.json"))
    values = [x.value for x in at.metric]
    assert values == [
        fmt_emotion(m.average_emotion),
        fmt_emotion(m.lowest_emotion),
        str(m.open_pain_points),
        str(m.missing),
        fmt_share(m.evidence_share),
        fmt_share(m.conversion),
    ]
    headings = [h.value for h in at.markdown if h.value.startswith("#### ")]
    assert len(headings) == 5 and headings[0].startswith("#### 1. ")


def test_overview_shows_health_findings_naming_touchpoints():
    at = open_page("pages/overview.py", "airline-current")
    messages = [e.value for e in at.error] + [w.value for w in at.warning] + [i.value for i in at.info]
    assert any("«" in msg for msg in messages), messages


def test_portfolio_scope_lists_maps_and_leaves_future_states_out_by_default():
    at = open_page("pages/overview.py", "airline-current")
    at.button_group(key="overview.scope").set_value("portfolio").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert "Northwind Airways — business trip, current state" in set(table.iloc[:, 0])
    assert not any("future" in str(t).lower() for t in table.iloc[:, 0])
    at.toggle(key="overview.include_future").set_value(True).run()
    assert any("future" in str(t).lower() for t in at.dataframe[0].value.iloc[:, 0])


def test_overview_without_a_current_map_offers_the_portfolio():
    at = open_page("pages/overview.py")
    assert not at.exception
    assert len(at.metric) == 6
    assert len(at.dataframe) == 1  # the maps-at-a-glance table


def test_curve_compares_a_future_state_with_its_baseline_by_default():
    at = open_page("pages/emotion_curve.py", "airline-future")
    # the baseline first, then the competitor's journey for the same persona and stages
    assert at.multiselect(key="curve.compare.airline-future").value == ["airline-current", "airline-competitor"]
    spec = plotly_spec(at)
    lines = [tr for tr in spec["data"] if tr.get("mode") == "lines"]
    assert len(lines) == 3
    assert "Future state" in lines[0]["name"] and lines[0]["line"]["dash"] == "dash"
    assert [s for s in spec["layout"]["shapes"] if s["type"] == "rect"], "stage bands"


def test_curve_leaves_unassessed_touchpoints_as_gaps():
    at = open_page("pages/emotion_curve.py", "airline-current")
    spec = plotly_spec(at)
    line = next(tr for tr in spec["data"] if tr.get("mode") == "lines")
    ys = decode(line["y"])
    assert line["connectgaps"] is False
    G = read_json(ROOT / "sample_data" / "maps" / "airline-current.json")
    unassessed = sum(1 for _, d in G.nodes(data=True) if d.get("emotion") is None and d.get("status") != "retired")
    assert sum(1 for y in ys if y is None or y != y) == unassessed  # None (or NaN once encoded), never 0


def test_curve_removing_the_comparison_shows_one_line():
    at = open_page("pages/emotion_curve.py", "airline-current")
    at.multiselect(key="curve.compare.airline-current").set_value([]).run()
    spec = plotly_spec(at)
    assert len([tr for tr in spec["data"] if tr.get("mode") == "lines"]) == 1


def test_curve_page_without_a_map_points_to_the_library():
    at = open_page("pages/emotion_curve.py")
    assert not at.exception
    assert len(at.get("plotly_chart")) == 0
    assert at.info


@pytest.mark.parametrize("page", PAGES)
def test_a_new_empty_map_renders_without_error(page):
    from cjm.model import new_map
    from cjm.store import get_store

    get_store().create(new_map("Blank workshop map", map_id="blank-map"), author="test")
    at = open_page(page, "blank-map", "ru")
    assert not at.exception, [e.message for e in at.exception]
    assert len(at.get("plotly_chart")) == 1
    if page == "pages/overview.py":
        assert [m.value for m in at.metric][:2] == ["—", "—"]


@pytest.mark.parametrize(("lang", "rule"), [("en", "Rule 10 — make it easy"), ("ru", "Правило 10 — сделайте просто")])
def test_overview_groups_health_findings_under_their_rules(lang, rule):
    at = open_page("pages/overview.py", "airline-current", lang=lang)
    assert not at.exception
    headers = [m.value for m in at.markdown]
    assert any(rule in h for h in headers), headers
    warnings = [w.value for w in at.warning]
    assert any("Seat selection and extras" in w for w in warnings), warnings


@pytest.mark.parametrize(
    ("lang", "journey", "peak", "end"),
    [
        ("en", "Journey", "Peak (remembered)", "End (remembered)"),
        ("ru", "Путь", "Пик (запомнится)", "Конец (запомнится)"),
    ],
)
def test_emotion_curve_compares_with_the_competitor_and_marks_peak_and_end(lang, journey, peak, end):
    at = open_page("pages/emotion_curve.py", "airline-current", lang=lang)
    assert not at.exception
    tables = [d.value for d in at.dataframe if journey in d.value.columns]
    assert len(tables) == 1, [list(d.value.columns) for d in at.dataframe]
    shown = set(tables[0][journey])
    assert "Skyline Air" in shown and "Northwind Airways — business trip, current state" in shown
    assert "airline-competitor" in at.multiselect[0].value  # the competitor is overlaid on the curve
    spec = plotly_spec(at)
    texts = [str(x) for tr in spec["data"] for x in (tr.get("text") or []) if isinstance(tr.get("text"), list)]
    assert any(peak in s for s in texts) and any(end in s for s in texts), texts


def test_emotion_curve_without_a_competitor_says_how_to_add_one():
    at = open_page("pages/emotion_curve.py", "shop-current")
    assert not at.exception
    assert any("competitor" in i.value for i in at.info)
