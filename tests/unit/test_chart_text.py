"""Text inside plotly figures: user text escaped with exactly what plotly needs (cjm.text.plot_escape),
and numbers and dates written in the page's language (issue 17)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from cjm import audit, charts
from cjm.charts import audit as audit_charts
from cjm.charts import emotion as emotion_charts
from cjm.charts import flow as flow_charts
from cjm.charts.theme import date_axis
from cjm.funnel import charts as funnel_charts
from cjm.funnel.engine import EventLog, compute_funnel, conversion_by_week
from cjm.funnel.stats import display_table, funnel_table, segment_table
from cjm.text import plot_escape
from tests.hostile import hostile_map

QUOTED = 'Say "hi" it\'s <script>x</script> <img src=x onerror=alert(1)> $x$ %{evil} \u202eevil'
#: The entities plotly.js turns back into characters (svg_text_utils' entityToUnicode, and numeric ones).
_PLOTLY_ENTITIES = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|mu|amp|lt|gt|nbsp|times|plusmn|deg);")


def _strings(fig) -> list[str]:
    out: list[str] = []

    def walk(value):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, (list, tuple)):
            for v in value:
                walk(v)
        elif hasattr(value, "tolist"):
            walk(value.tolist())

    walk(json.loads(json.dumps(fig.to_plotly_json(), default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o))))
    return out


def _assert_plotly_safe(fig) -> None:
    texts = _strings(fig)
    blob = "\n".join(texts)
    assert "<script" not in blob and "<img" not in blob, "raw HTML from user text reached plotly"
    assert "$x$" not in blob, "a formula would be typeset"
    assert "%{evil}" not in blob, "a template field from user text"
    for text in texts:
        for entity in re.findall(r"&[#\w]+;", text):
            assert _PLOTLY_ENTITIES.fullmatch(entity), f"plotly shows {entity} literally: {text[:120]}"


def _hostile():
    G = hostile_map()
    first = next(iter(G.nodes))
    G.nodes[first]["name"] = QUOTED
    G.graph["stages"][1]["name"] = QUOTED
    return G


def test_plot_escape_keeps_quotes_and_makes_markup_inert():
    out = plot_escape(QUOTED)
    assert 'Say "hi" it\'s' in out and "&quot;" not in out and "&#x27;" not in out
    assert "&lt;script&gt;" in out and "&lt;img src=x onerror=alert(1)&gt;" in out
    assert "&#36;x&#36;" in out and "%&#123;evil&#125;" in out
    # an RTL override cannot reach past the user's text
    assert out.startswith("\u2068") and out.endswith("\u2069")
    assert plot_escape("plain text") == "plain text" and plot_escape(None) == ""


@pytest.mark.parametrize("map_type", ["current_state", "day_in_life", "future_state", "service_blueprint"])
def test_every_map_view_shows_quotes_as_typed_and_hostile_text_inert(map_type):
    G = _hostile()
    G.graph["map_type"] = map_type
    fig = charts.map_figure(G, baseline=_hostile() if map_type == "future_state" else None, lang="ru")
    _assert_plotly_safe(fig)
    assert any('Say "hi"' in s for s in _strings(fig))


def test_curve_flow_and_audit_charts_escape_user_text_for_plotly():
    G = _hostile()
    inventory = audit.inventory([G])
    figures = [
        emotion_charts.emotion_curve_figure([G]),
        flow_charts.network_figure(G, lang="ru"),
        flow_charts.sankey_figure(G, lang="ru"),
        audit_charts.priority_matrix_figure(audit.priority_table(inventory), show_map=True),
        audit_charts.coverage_heatmap_figure(audit.coverage_table(inventory, "stage", "channel")),
    ]
    for fig in figures:
        _assert_plotly_safe(fig)
    # the names themselves are there, quotes as typed
    assert any('Say "hi"' in s for s in _strings(figures[1]))
    assert any('Say "hi"' in s for s in _strings(figures[2]))


def test_funnel_charts_escape_step_and_segment_names():
    steps = [QUOTED, "<b>pay</b>"]
    table = funnel_table(steps, [1000, 400])
    segs = segment_table(steps, {QUOTED: [600, 300], "b": [400, 100]})
    for fig in (
        funnel_charts.funnel_figure(table, lang="ru"),
        funnel_charts.segments_figure(segs, lang="ru"),
    ):
        _assert_plotly_safe(fig)


def _weekly():
    frame = pd.DataFrame(
        {
            "user_id": ["p", "p", "q", "q", "r"],
            "event": ["A", "B", "A", "B", "A"],
            "timestamp": [
                "2026-08-31 10:00:00",
                "2026-08-31 10:30:00",
                "2026-09-07 10:00:00",
                "2026-09-07 12:00:00",
                "2026-09-14 09:00:00",
            ],
        }
    )
    return conversion_by_week(compute_funnel(EventLog("user_id", "event", "timestamp", frame=frame), ["A", "B"]))


def test_the_trend_chart_writes_dates_in_russian_on_the_axis_and_in_the_hover():
    fig = funnel_charts.trend_figure(_weekly(), lang="ru")
    ticks = list(fig.layout.xaxis.ticktext)
    assert ticks[0] == "31 авг<br>2026" and ticks[1:] == ["7 сен", "14 сен"]
    assert not any(m in " ".join(ticks) for m in ("Aug", "Sep"))
    assert fig.layout.xaxis.tickmode == "array" and fig.layout.xaxis.type == "date"
    hover = [row[0] for row in fig.data[1].customdata]
    assert hover == ["31 авг 2026", "7 сен 2026", "14 сен 2026"]
    assert [row[1] for row in fig.data[1].customdata][0] == "100,0\u00a0%"
    english = funnel_charts.trend_figure(_weekly(), lang="en")
    assert list(english.layout.xaxis.ticktext) == ["31 Aug<br>2026", "7 Sep", "14 Sep"]


def test_a_long_date_axis_is_thinned_and_marks_each_new_year():
    days = pd.date_range("2026-11-02", periods=20, freq="W-MON")
    ax = date_axis(days, "ru", max_ticks=5)
    assert len(ax["tickvals"]) <= 5
    assert sum("<br>" in t for t in ax["ticktext"]) == 2  # 2026 on the first tick, 2027 where it starts


def test_the_funnel_figure_and_table_write_numbers_in_russian():
    table = funnel_table(["a", "b"], [18455, 1355])
    fig = funnel_charts.funnel_figure(table, lang="ru")
    assert fig.data[0].text[0] == "18\u202f455<br>100\u00a0%"
    assert fig.data[0].text[1] == "1\u202f355<br>7,3\u00a0%"
    assert "93\u00a0%" in fig.layout.annotations[0].text
    shown = display_table(table, {}, lang="ru")
    assert shown["users"].tolist() == ["18\u202f455", "1\u202f355"]
    assert shown["overall_conversion"].tolist()[1] == "7,3\u00a0%"
    assert display_table(table, {}, lang="en")["users"].tolist() == ["18,455", "1,355"]
