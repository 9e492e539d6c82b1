"""One chart theme (cjm.charts.theme): every figure uses its font, and an emotion has one colour in
every figure that colours touchpoints by emotion."""

from pathlib import Path

import pytest

from cjm import audit, charts, model
from cjm.charts import audit as audit_charts
from cjm.charts import flow as flow_charts
from cjm.charts import theme
from cjm.charts.emotion import emotion_curve_figure
from cjm.io import jsonio

SAMPLES = {p.stem: p for p in sorted((Path(__file__).resolve().parents[2] / "sample_data" / "maps").glob("*.json"))}


def _figures():
    G = jsonio.read_json(SAMPLES["airline-current"])
    inv = audit.inventory([G])
    yield "journey map", charts.map_figure(G)
    for name in ("airline-day", "airline-blueprint"):
        yield name, charts.map_figure(jsonio.read_json(SAMPLES[name]))
    yield "future state", charts.map_figure(jsonio.read_json(SAMPLES["airline-future"]), baseline=G)
    yield "emotion curve", emotion_curve_figure(G)
    yield "flow network", flow_charts.network_figure(G)
    yield "sankey", flow_charts.sankey_figure(G)
    yield "priority matrix", audit_charts.priority_matrix_figure(audit.priority_table(inv))
    yield "coverage", audit_charts.coverage_heatmap_figure(audit.coverage_table(inv, "phase", "category"))


@pytest.mark.parametrize("name,fig", list(_figures()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_figure_is_set_in_the_theme_font(name, fig):
    assert fig.layout.font.family == theme.FONT, name


def _tiny() -> tuple:
    G = model.new_map("tiny")
    a = model.add_touchpoint(G, "Ad", "awareness", emotion=-1.0)
    b = model.add_touchpoint(G, "Pay", "purchase", emotion=2.0, conversion_point=True)
    model.add_transition(G, a, b, users=10)
    return G, a, b


def test_an_emotion_of_minus_one_has_one_colour_in_every_figure():
    G, a, _ = _tiny()
    minus_one = theme.emotion_colour(-1)
    grid = charts.map_figure(G)
    points = next(tr for tr in grid.data if (tr.meta or {}).get("role") == "emotion_points")
    assert minus_one in points.marker.color
    curve = emotion_curve_figure(G)
    assert any(minus_one in (tr.marker.color or ()) for tr in curve.data if isinstance(tr.marker.color, tuple))
    sankey = flow_charts.sankey_figure(G)
    assert minus_one in sankey.data[0].node.color
    network = flow_charts.network_figure(G)
    scaled = [tr for tr in network.data if getattr(tr.marker, "colorscale", None)]
    assert scaled and all(tr.marker.cmin == -2 and tr.marker.cmax == 2 for tr in scaled)
    assert [list(s) for s in scaled[0].marker.colorscale] == [[p, c] for p, c in theme.EMOTION_SCALE]


def test_the_scale_runs_through_the_feeling_colours():
    assert theme.emotion_colour(-2) == theme.FEELING_COLOURS["negative"]
    assert theme.emotion_colour(0) == theme.FEELING_COLOURS["neutral"]
    assert theme.emotion_colour(2) == theme.FEELING_COLOURS["positive"]
    assert theme.emotion_colour(None) == theme.emotion_colour(float("nan")) == theme.UNASSESSED
    assert theme.emotion_colour(-5) == theme.emotion_colour(-2)  # clamped to the scale
