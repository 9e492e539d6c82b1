"""The current-state CJM grid: columns, lanes, marks, branches and loops, asserted on the figure."""

import html
import re

import pytest

from cjm import model
from cjm.charts import current_state_figure, map_figure
from cjm.charts.common import wrap
from cjm.charts.synthetic import synthetic_map
from cjm.io import jsonio


def _plain(text: str) -> str:
    """Figure text as a reader sees it: tags dropped, line breaks as spaces, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text.replace("<br>", " ")))


def _trace(fig, role):
    return next(tr for tr in fig.data if (tr.meta or {}).get("role") == role)


def _shape(fig, name):
    return next(s for s in fig.layout.shapes if s.name == name)


def _col_of(fig, name_fragment):
    tps = _trace(fig, "touchpoints")
    return next(x for x, text in zip(tps.x, tps.text, strict=True) if name_fragment in text)


@pytest.fixture
def shop():
    G = model.new_map("Shop", map_id="shop")
    model.add_touchpoint(G, "See an ad", "awareness", id="ad", emotion=1.0, channel="social", evidence="observed")
    model.add_touchpoint(G, "Read reviews", "consideration", id="rev", emotion=None, action="Reads ten reviews")
    model.add_touchpoint(G, "Ask in chat", "consideration", id="chat", emotion=-1.0, status="missing")
    model.add_touchpoint(G, "Pay", "purchase", id="pay", emotion=-2.0, conversion_point=True, pain_point="Slow")
    model.add_transition(G, "ad", "rev")
    model.add_transition(G, "ad", "chat")  # a fork: reviews or chat
    model.add_transition(G, "rev", "pay")
    model.add_transition(G, "chat", "pay")
    model.add_transition(G, "pay", "rev", label="re-check")  # a loop back
    return G


def test_grid_has_one_header_per_stage_and_a_column_for_every_touchpoint_or_empty_stage(shop):
    fig = current_state_figure(shop, lang="en")
    stage_labels = [model.stage_label(s, "en") for s in model.stages(shop)]
    headers = [a.text for a in fig.layout.annotations if a.text.strip("<b>/") in stage_labels]
    assert [_plain(h) for h in headers] == stage_labels
    # 4 touchpoints in 3 stages + 6 empty stages, one column each
    assert fig.layout.meta["columns"] == 4 + 6
    assert fig.layout.xaxis.range == (0, 10)


def test_touchpoints_of_one_stage_sit_side_by_side_in_journey_order(shop):
    fig = current_state_figure(shop)
    assert _col_of(fig, "See an ad") < _col_of(fig, "Read reviews") < _col_of(fig, "Ask in chat") < _col_of(fig, "Pay")
    assert _col_of(fig, "Ask in chat") - _col_of(fig, "Read reviews") == 1


def test_missing_touchpoint_has_a_dashed_outline_and_a_label(shop):
    fig = current_state_figure(shop)
    box = _shape(fig, "tp:chat:missing")
    assert box.line.dash == "dash"
    assert _shape(fig, "tp:ad:existing").line.dash == "solid"
    assert any("MISSING" in text for text in _trace(fig, "badges").text)
    assert "Missing (dashed)" in [tr.name for tr in fig.data if tr.showlegend]


def test_conversion_point_gets_a_star_on_its_box(shop):
    fig = current_state_figure(shop)
    conv = _trace(fig, "conversion")
    assert len(conv.x) == 1 and conv.marker.symbol == "star"
    assert int(conv.x[0]) == int(_col_of(fig, "Pay"))
    assert conv.showlegend


def test_evidence_level_is_a_marker_style_per_level_with_a_legend(shop):
    fig = current_state_figure(shop)
    observed, assumed = _trace(fig, "evidence:observed"), _trace(fig, "evidence:assumed")
    assert observed.marker.symbol != assumed.marker.symbol and observed.marker.opacity > assumed.marker.opacity
    assert int(observed.x[0]) == int(_col_of(fig, "See an ad"))
    assert "Evidence: Observed" in [tr.name for tr in fig.data if tr.showlegend]


def test_unassessed_emotion_is_a_gap_not_zero(shop):
    fig = current_state_figure(shop)
    points = _trace(fig, "emotion_points")
    rev_x = _col_of(fig, "Read reviews")
    assert rev_x not in points.x
    assert "0.0" not in points.text and sorted(points.text) == sorted(["+1.0", "−1.0", "−2.0"])
    line = next(tr for tr in fig.data if (tr.meta or {}).get("lane") == "emotion" and tr.mode == "lines")
    assert rev_x not in [x for x in line.x if x is not None]
    assert _trace(fig, "emotion_unassessed").x == (rev_x,)
    assert any(s.name == "emotion_zero" for s in fig.layout.shapes)


def test_a_fork_leaves_one_box_twice_and_the_emotion_curve_forks_too(shop):
    fig = current_state_figure(shop)
    ad, rev, chat = _col_of(fig, "See an ad"), _col_of(fig, "Read reviews"), _col_of(fig, "Ask in chat")
    transitions = _trace(fig, "transitions")
    xs = list(transitions.x)
    starts = [xs[i] for i in range(len(xs)) if xs[i] is not None and (i == 0 or xs[i - 1] is None)]
    assert sum(1 for s in starts if int(s) == int(ad)) == 2  # two arrows leave the ad
    line = next(tr for tr in fig.data if (tr.meta or {}).get("lane") == "emotion" and tr.mode == "lines")
    pairs = {(line.x[i], line.x[i + 1]) for i in range(0, len(line.x) - 1, 3)}
    assert (ad, chat) in pairs  # the curve goes from the ad to the chat, not via the reviews
    assert (rev, chat) not in pairs


def test_back_edge_is_drawn_as_a_labelled_loop_below_the_boxes(shop):
    fig = current_state_figure(shop)
    loops = _trace(fig, "back_edges")
    assert [x for x in loops.x if x is not None], "the loop pay → reviews is drawn"
    assert loops.line.dash == "dash" and loops.showlegend
    assert any("re-check" in text for text in _trace(fig, "edge_labels").text)
    box = _shape(fig, "tp:pay:existing")
    assert max(y for y in loops.y if y is not None) > box.y1  # it bulges below the boxes


def test_loops_without_a_label_say_loop_back(shop):
    shop.edges["pay", "rev"]["label"] = ""
    fig = current_state_figure(shop)
    assert any("loop back" in text for text in _trace(fig, "edge_labels").text)


def test_lanes_can_be_chosen_and_unknown_ones_are_refused(shop):
    fig = current_state_figure(shop, lanes=["emotion", "touchpoint"])
    assert [_plain(t) for t in fig.layout.yaxis.ticktext] == [
        "Touchpoint & channel",
        "Emotion",
    ]
    with pytest.raises(ValueError, match="unknown lanes"):
        current_state_figure(shop, lanes=["smell"])


def test_every_default_lane_has_content_and_users_lane_appears_with_counts():
    G = synthetic_map(12)
    fig = current_state_figure(G)
    labels = [_plain(t) for t in fig.layout.yaxis.ticktext]
    assert labels == ["Touchpoint & channel", "Action", "Thought", "Emotion", "Pain points", "Opportunities", "Users"]
    for lane in ("action", "thought", "pain_point", "opportunity"):
        tr = next(tr for tr in fig.data if (tr.meta or {}).get("lane") == lane)
        assert any(tr.text)
    G2 = synthetic_map(12, with_users=False)
    assert "Users" not in "".join(current_state_figure(G2).layout.yaxis.ticktext)


def test_long_text_wraps_at_word_boundaries():
    text = "The customer compares the delivery options of three shops before deciding anything at all"
    wrapped = wrap(text, 24)
    assert "<br>" in wrapped and all(len(line) <= 24 for line in wrapped.split("<br>"))
    assert wrapped.replace("<br>", " ").replace("&amp;", "&") == text


def test_an_export_grows_with_the_number_of_touchpoints_and_a_page_figure_keeps_columns_a_fixed_width():
    small, big = current_state_figure(synthetic_map(10)), current_state_figure(synthetic_map(40))
    assert big.layout.width > small.layout.width
    page = current_state_figure(synthetic_map(40), column_px=150)
    x = page.layout.xaxis
    # one column is 150 y units (pixels) wide on any screen; plotly widens the range to the plot
    assert (x.scaleanchor, x.scaleratio, x.constrain, x.constraintoward) == ("y", 150, "range", "left")
    assert x.autorange is True and x.autorangeoptions.maxallowed <= 1 and page.layout.dragmode == "pan"
    assert page.layout.width is None and page.layout.meta["column_px"] == 150


def test_a_map_of_200_touchpoints_renders():
    fig = map_figure(synthetic_map(200))
    assert fig.layout.meta["columns"] == 200
    assert len(_trace(fig, "touchpoints").x) == 200
    assert fig.to_json()


def test_builders_never_modify_the_map(shop):
    before = jsonio.dumps(shop)
    current_state_figure(shop, lang="ru")
    assert jsonio.dumps(shop) == before


def test_russian_labels_are_used_in_russian(shop):
    fig = current_state_figure(shop, lang="ru")
    assert "Эмоции" in "".join(fig.layout.yaxis.ticktext)
    assert any("Осведомл" in a.text for a in fig.layout.annotations)


@pytest.mark.parametrize("map_type", ["current_state", "day_in_life", "future_state", "service_blueprint"])
def test_every_figure_is_valid_plotly(map_type):
    """The builders assemble figures unvalidated (for speed); plotly's full validation must accept them."""
    import plotly.graph_objects as go

    G = synthetic_map(15, map_type=map_type)
    fig = map_figure(G, baseline=synthetic_map(15) if map_type == "future_state" else None)
    go.Figure(fig.to_dict())  # raises ValueError on any invalid property


@pytest.mark.parametrize("map_type", ["current_state", "day_in_life", "future_state", "service_blueprint"])
def test_an_empty_map_draws_its_empty_stages_without_error(map_type):
    G = model.new_map("Empty", map_type)
    fig = map_figure(G, baseline=model.new_map("Base") if map_type == "future_state" else None, column_px=190)
    assert fig.layout.meta["columns"] >= 1
    assert any(a.text for a in fig.layout.annotations)  # phase/stage headers


LONG_RU = "Достопримечательностью " * 3 + "сверхпредусмотрительность"


@pytest.mark.parametrize("column_px", [110, 140, 190, 250])
@pytest.mark.parametrize("map_type", ["current_state", "service_blueprint", "future_state"])
def test_every_line_of_card_text_fits_its_card_at_any_column_width(map_type, column_px):
    """Measured with the font's widths: no line of a card (name, channel, badge, action, pain) is
    wider than the card it sits in, for long Russian words and names at the length limit."""
    from cjm import schema
    from cjm.charts.common import CARD_PAD
    from cjm.charts.grid import CARD_COLS, CELL_COLS
    from cjm.charts.metrics import text_px

    G = model.new_map("Длинные слова", map_type)
    model.add_touchpoint(G, ("Ш" * schema.NAME_MAX)[: schema.NAME_MAX], "awareness", channel="social", status="missing")
    model.add_touchpoint(G, LONG_RU, "consideration", action=LONG_RU, pain_point=LONG_RU, opportunity=LONG_RU)
    model.add_touchpoint(G, "WWWWWWWWWWWWWWWWWWWWWWWWWWWWWW mmmmmmmmmmmmm", "purchase", channel="messenger")
    fig = map_figure(G, baseline=model.new_map("База") if map_type == "future_state" else None, column_px=column_px)
    checked = 0
    for trace in fig.data:
        role, lane = (trace.meta or {}).get("role"), (trace.meta or {}).get("lane")
        if role == "touchpoints" or (
            getattr(trace, "mode", None) == "text" and lane in ("pain_point", "opportunity", "action")
        ):
            room = (CARD_COLS if role == "touchpoints" else CELL_COLS) * column_px - 2 * CARD_PAD
            for text in trace.text:
                bold = False  # <b> … </b> may span lines
                for line in text.split("<br>"):
                    plain = html.unescape(re.sub(r"<[^>]+>", "", line))
                    line_bold = bold or "<b>" in line
                    bold = (bold or "<b>" in line) and "</b>" not in line
                    assert text_px(plain, 13, bold=line_bold) <= room + 0.5, (plain, room)
                    checked += 1
    assert checked > 6
