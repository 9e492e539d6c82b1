"""The emotion curve: journey order, shared stage axis, gaps, votes, escaping, overlays."""

import copy
import math

import pytest

from cjm import emotion
from cjm.charts.emotion import emotion_curve_figure
from cjm.emotion import curve_table, feeling, stage_spans, vote_stats
from cjm.model import add_touchpoint, add_transition, new_map, touchpoints_in_order


def linear_map():
    G = new_map("Shop", map_id="shop", stages_template="phases")
    a = add_touchpoint(G, "See an ad", "before_purchase", id="ad", emotion=1.0)
    b = add_touchpoint(G, "Pay", "purchase", id="pay", emotion=-2.0, pain_point="Card declined", conversion_point=True)
    c = add_touchpoint(G, "Unbox", "after_purchase", id="unbox", emotion=None)
    d = add_touchpoint(G, "Review", "after_purchase", id="review", emotion=0.0)
    add_transition(G, a, b)
    add_transition(G, b, c)
    add_transition(G, c, d)
    return G


def branching_map():
    """Two branches in purchase (card / cash on delivery) that join again; ``order`` is given out of
    insertion order and a loop goes back from delivery to the catalogue."""
    G = new_map("Branches", map_id="branches", stages_template="phases")
    add_touchpoint(G, "Delivery", "after_purchase", id="delivery", order=1, emotion=0.5)
    add_touchpoint(G, "Cash on delivery", "purchase", id="cash", order=3, emotion=-1.0)
    add_touchpoint(G, "Catalogue", "before_purchase", id="catalogue", order=9, emotion=1.0)
    add_touchpoint(G, "Card payment", "purchase", id="card", order=2, emotion=0.0)
    for u, v in [
        ("catalogue", "card"),
        ("catalogue", "cash"),
        ("card", "delivery"),
        ("cash", "delivery"),
        ("delivery", "catalogue"),
    ]:
        add_transition(G, u, v)
    return G


def _trace(fig, name_part):
    return [tr for tr in fig.data if tr.name and name_part in tr.name]


def test_feeling_thresholds_are_exclusive_at_half_a_point():
    assert [feeling(x) for x in (-2, -0.51, -0.5, 0, 0.5, 0.51, 2)] == [
        "negative", "negative", "neutral", "neutral", "neutral", "positive", "positive",
    ]  # fmt: skip
    assert feeling(None) == "unassessed"
    assert feeling(float("nan")) == "unassessed"


def test_curve_follows_journey_order_not_insertion_order():
    G = branching_map()
    assert list(curve_table(G)["id"]) == ["catalogue", "card", "cash", "delivery"]
    assert list(curve_table(G)["id"]) == touchpoints_in_order(G)


def test_branching_map_keeps_branches_side_by_side_inside_their_stage():
    G = branching_map()
    df = curve_table(G).set_index("id")
    spans = {s.id: s for s in stage_spans(G)}
    purchase = spans["purchase"]
    assert purchase.end - purchase.start == 2  # two touchpoints → the band is two units wide
    assert purchase.start < df.loc["card", "x"] < df.loc["cash", "x"] < purchase.end
    xs = list(curve_table(G)["x"])
    assert xs == sorted(xs), "x must increase along the journey even with a back-edge"


def test_unassessed_touchpoints_are_gaps_not_zero():
    G = linear_map()
    fig = emotion_curve_figure(G)
    line = next(tr for tr in fig.data if tr.mode == "lines")
    assert list(line.y) == [1.0, -2.0, None, 0.0]
    assert line.connectgaps is False
    rug = _trace(fig, "Not assessed")
    markers = [tr for tr in fig.data if tr.mode == "markers" and tr.x and tr.x[0] is not None and tr not in rug]
    for tr in markers:  # only the "not assessed" trace draws the unassessed touchpoint
        for x in tr.x:
            assert not math.isclose(x, curve_table(G).set_index("id").loc["unbox", "x"])
    # On the neutral axis as grey crosses, never below −2 where they would read as very negative.
    assert rug and all(y == 0 for y in rug[0].y) and rug[0].marker.symbol == "x-thin-open"


def test_vote_spread_is_population_std_and_min_max():
    stats = vote_stats([{"participant": p, "score": s} for p, s in zip("abcd", (-2, -1, 0, 1), strict=True)])
    assert stats.n == 4
    assert stats.mean == -0.5
    assert stats.std == pytest.approx(math.sqrt(1.25), abs=1e-4)
    assert (stats.low, stats.high) == (-2.0, 1.0)
    assert vote_stats([{"score": None}, {"participant": "x"}]).n == 0


def test_votes_are_drawn_as_mean_with_min_max_error_bars_and_counts():
    G = linear_map()
    G.nodes["pay"]["votes"] = [{"participant": p, "score": s} for p, s in zip("abc", (-2, -1, 0), strict=True)]
    fig = emotion_curve_figure(G)
    votes = _trace(fig, "votes")[0]
    assert list(votes.y) == [-1.0]
    assert list(votes.error_y.array) == [1.0] and list(votes.error_y.arrayminus) == [1.0]
    assert list(votes.text) == ["n=3"]


def test_stage_bands_cover_every_stage_with_phase_labels():
    G = linear_map()
    fig = emotion_curve_figure(G)
    rects = [s for s in fig.layout.shapes if s.type == "rect"]
    assert len(rects) == 3
    texts = " ".join(a.text for a in fig.layout.annotations)
    assert "BEFORE PURCHASE" in texts and "AFTER PURCHASE" in texts


def test_lowest_moment_and_pain_point_are_annotated_and_conversion_marked():
    G = linear_map()
    fig = emotion_curve_figure(G)
    callouts = [a for a in fig.layout.annotations if a.showarrow]
    assert any("Lowest" in a.text and "Pay" in a.text and "Card declined" in a.text for a in callouts)
    assert _trace(fig, "Pain point")
    star = [tr for tr in fig.data if tr.marker and isinstance(tr.marker.symbol, tuple) and "star" in tr.marker.symbol]
    assert star, "the conversion point is drawn as a star"
    assert any(s.type == "line" for s in fig.layout.shapes), "a dotted line marks the conversion point"


def test_overlay_aligns_current_and_future_by_stage_and_dashes_the_future():
    current = linear_map()
    future = copy.deepcopy(current)
    future.graph.update(id="shop-future", title="Shop future", map_type="future_state", baseline_id="shop")
    future.nodes["pay"]["emotion"] = 1.0
    add_touchpoint(future, "One-click pay", "purchase", id="oneclick", emotion=1.5)
    fig = emotion_curve_figure([current, future])
    lines = [tr for tr in fig.data if tr.mode == "lines"]
    assert len(lines) == 2
    assert lines[1].line.dash == "dash" and lines[0].line.dash == "solid"
    spans = {s.id: s for s in stage_spans([current, future])}
    assert spans["purchase"].end - spans["purchase"].start == 2  # the busier map sets the width
    cur = curve_table(current, spans=list(spans.values())).set_index("id")
    fut = curve_table(future, spans=list(spans.values())).set_index("id")
    for df in (cur, fut):  # both maps' purchase touchpoints sit inside the same band
        assert spans["purchase"].start < df.loc["pay", "x"] < spans["purchase"].end
    assert cur.loc["ad", "x"] == fut.loc["ad", "x"]


def test_maps_with_different_stages_share_one_axis():
    G = linear_map()
    H = new_map("Day", map_type="day_in_life")  # morning / daytime / evening
    add_touchpoint(H, "Coffee", "morning", emotion=1.0)
    ids = [s.id for s in stage_spans([G, H])]
    assert ids[:3] == ["before_purchase", "purchase", "after_purchase"]
    assert set(ids[3:]) == {"morning", "daytime", "evening"}


def test_user_text_is_escaped_in_hover_labels_and_annotations():
    G = linear_map()
    G.nodes["pay"]["name"] = "<script>alert(1)</script>"
    G.nodes["pay"]["thought"] = "<b>bold</b>"
    G.graph["title"] = "<img src=x onerror=alert(1)>"
    fig = emotion_curve_figure([G, linear_map()])
    blob = fig.to_json()
    assert "<script>" not in blob and "<img" not in blob and "<b>bold" not in blob
    assert "&lt;script&gt;" in blob


def test_figure_builder_does_not_mutate_the_map():
    G = linear_map()
    before = copy.deepcopy(dict(G.nodes(data=True)))
    emotion_curve_figure(G)
    assert dict(G.nodes(data=True)) == before


def test_empty_map_draws_bands_without_crashing():
    G = new_map("Empty")
    fig = emotion_curve_figure(G)
    assert len([s for s in fig.layout.shapes if s.type == "rect"]) == 9


def test_stage_emotion_table_gives_change_between_first_and_last_map():
    current = linear_map()
    future = copy.deepcopy(current)
    future.graph.update(id="f", title="Future")
    future.nodes["pay"]["emotion"] = 1.0
    df = emotion.stage_emotion_table([current, future]).set_index("stage")
    assert df.loc["purchase", "change"] == 3.0
    assert df.loc["after_purchase", "Shop"] == 0.0  # the unassessed touchpoint does not count as 0


def test_callouts_sit_above_the_scale_and_never_overlap():
    from cjm.charts.emotion import _PLOT_PX, _lane_positions

    width = 205 * 30.0 / _PLOT_PX
    for xs in ([3.0, 3.1, 3.2], [0.1, 29.9, 15.0], [28.0, 29.0, 29.9]):
        pos = _lane_positions(xs, (0.0, 30.0))
        ordered = sorted(pos)
        assert all(b - a >= width - 1e-3 for a, b in zip(ordered, ordered[1:], strict=False)), pos
        assert min(pos) >= width / 2 - 1e-3 and max(pos) <= 30.0 - width / 2 + 1e-3, pos
    crowded = _lane_positions([5.0] * 6, (0.0, 30.0))  # more than fit: spread evenly, still inside
    assert sorted(crowded) == pytest.approx([2.5, 7.5, 12.5, 17.5, 22.5, 27.5])
    G = linear_map()
    fig = emotion_curve_figure(G)
    callout = next(a for a in fig.layout.annotations if a.showarrow)
    assert callout.ayref == "y" and callout.ay > 2  # in the lane above +2: it hides no touchpoint


def test_a_quiet_stage_keeps_room_for_its_name():
    G = new_map("Busy", stages_template="phases")
    for i in range(12):
        add_touchpoint(G, f"t{i}", "purchase")
    spans = {s.id: s for s in stage_spans(G)}
    assert spans["before_purchase"].end - spans["before_purchase"].start == 3.0  # 3/4 of 12/3
    assert spans["purchase"].end - spans["purchase"].start == 12.0


def test_the_compact_preview_curve_keeps_its_height_has_no_callouts_and_never_runs_phase_titles_together():
    from cjm.charts.emotion import MIN_HEIGHT

    G = new_map("Shop", map_id="shop", language="ru")
    for stage in ("awareness", "purchase", "after_purchase"):
        add_touchpoint(G, f"Point in {stage}", stage, emotion=-1.5, pain_point="Queue")
    fig = emotion_curve_figure(G, lang="ru", height=50, compact=True)
    assert fig.layout.height >= MIN_HEIGHT
    plot_px = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert plot_px >= 200  # the curve itself, not a sliver between titles and legend
    texts = [a.text for a in fig.layout.annotations]
    assert not any("Queue" in x for x in texts)  # no callouts over the narrow curve
    phases = [a for a in fig.layout.annotations if a.yshift == 40]
    for a in phases:  # each phase title fits over its own stages; the full name is on hover
        assert a.text.endswith("…</b>") == bool(a.hovertext)
    assert any(a.hovertext for a in phases)  # «ПОСЛЕ ПОКУПКИ» over one narrow stage is cut
