"""Future state against its baseline: the comparison and the figure."""

import pytest

from cjm import model
from cjm.charts import compare_maps, end_to_end_conversion, future_state_figure, map_figure
from cjm.io import jsonio


@pytest.fixture
def baseline():
    B = model.new_map("Today", map_id="today")
    model.add_touchpoint(B, "Ad", "awareness", id="ad", emotion=0.0, users=1000)
    model.add_touchpoint(B, "Registration form", "purchase", id="reg", emotion=-2.0, users=300,
                         pain_point="Eleven fields")  # fmt: skip
    model.add_touchpoint(B, "Pay", "purchase", id="pay", emotion=-1.0, users=100, conversion_point=True,
                         pain_point="Card only")  # fmt: skip
    model.add_transition(B, "ad", "reg", users=300)
    model.add_transition(B, "reg", "pay", users=100)
    return B


@pytest.fixture
def future(baseline):
    F = model.copy_map(baseline, title="Tomorrow", map_id="tomorrow")
    F.graph.update(map_type="future_state", baseline_id="today")
    F.remove_node("reg")  # registration dropped: its pain goes with it
    model.add_touchpoint(F, "Guest checkout", "purchase", id="guest", emotion=1.0, users=600, order=1.5)
    model.add_transition(F, "ad", "guest", users=600)
    model.add_transition(F, "guest", "pay", users=250)
    F.nodes["pay"].update(emotion=1.0, users=250, pain_point="")  # pay by any method: pain cleared
    return F


def test_compare_finds_added_removed_and_changed_touchpoints_with_their_fields(future, baseline):
    cmp = compare_maps(future, baseline)
    assert cmp.added == ["guest"] and cmp.removed == ["reg"]
    assert cmp.changed == {"pay": ["emotion", "pain_point", "users"]}
    assert cmp.matches["ad"] == "ad"


def test_a_resolved_pain_point_appears_in_the_comparison(future, baseline):
    cmp = compare_maps(future, baseline)
    resolved = {r.baseline_id: (r.how, r.pain_point) for r in cmp.resolved_pains}
    assert resolved == {"reg": ("removed", "Eleven fields"), "pay": ("cleared", "Card only")}


def test_emotion_per_stage_before_and_after(future, baseline):
    cmp = compare_maps(future, baseline)
    purchase = next(s for s in cmp.stage_emotion if s.stage == "purchase")
    assert (purchase.baseline, purchase.future, purchase.delta) == (-1.5, 1.0, 2.5)
    assert next(s for s in cmp.stage_emotion if s.stage == "loyalty").delta is None


def test_end_to_end_conversion_of_both_and_the_projected_change(future, baseline):
    cmp = compare_maps(future, baseline)
    assert cmp.baseline_conversion == 0.1 and cmp.future_conversion == 0.25
    assert cmp.conversion_change == 15.0
    assert end_to_end_conversion(model.new_map("empty")) is None


def test_conversion_counts_alternative_conversion_points_once_each_and_a_checkout_chain_once():
    G = model.new_map("c")
    model.add_touchpoint(G, "Ad", "awareness", id="ad", users=1000)
    model.add_touchpoint(G, "Cart", "intent", id="cart", users=200, conversion_point=True)
    model.add_touchpoint(G, "Pay online", "purchase", id="online", users=80, conversion_point=True)
    model.add_touchpoint(G, "Pay in store", "purchase", id="store", users=20, conversion_point=True)
    for u, v in (("ad", "cart"), ("cart", "online"), ("cart", "store")):
        model.add_transition(G, u, v)
    assert end_to_end_conversion(G) == 0.1


def test_the_figure_shows_badges_ghosts_both_curves_deltas_and_resolved_pains(future, baseline):
    fig = future_state_figure(future, baseline, lang="en")
    names = {s.name: s for s in fig.layout.shapes if s.name}
    assert "tp:reg:removed" in names and names["tp:reg:removed"].line.dash == "dot"
    badges = next(tr for tr in fig.data if (tr.meta or {}).get("role") == "badges").text
    assert (
        any("NEW" in b for b in badges) and any("CHANGED" in b for b in badges) and any("REMOVED" in b for b in badges)
    )
    legend = [tr.name for tr in fig.data if tr.showlegend]
    assert "Baseline emotion" in legend and "Future emotion" in legend
    delta = next(tr for tr in fig.data if (tr.meta or {}).get("lane") == "emotion_delta" and tr.type == "bar")
    assert len(delta.x) == 2  # awareness (0 → 0) and purchase (−1.5 → +1)
    pain = next(tr for tr in fig.data if (tr.meta or {}).get("lane") == "pain_point")
    resolved = [t for t in pain.text if "RESOLVED" in t]
    assert any("Eleven fields" in t for t in resolved) and any("Card only" in t for t in resolved)
    assert "10.0% → 25.0%" in fig.layout.title.subtitle.text and "+15.0 pp" in fig.layout.title.subtitle.text


def test_without_a_baseline_the_future_map_is_a_plain_grid(future):
    fig = map_figure(future)
    assert not any((tr.meta or {}).get("lane") == "emotion_delta" for tr in fig.data)
    assert "Baseline emotion" not in [tr.name for tr in fig.data]


def test_neither_map_is_modified(future, baseline):
    a, b = jsonio.dumps(future), jsonio.dumps(baseline)
    map_figure(future, baseline=baseline, lang="ru")
    compare_maps(future, baseline)
    assert (jsonio.dumps(future), jsonio.dumps(baseline)) == (a, b)


def test_touchpoints_with_new_ids_are_matched_to_the_baseline_by_name(baseline):
    F = model.new_map("Renamed ids", "future_state", map_id="f2")
    model.add_touchpoint(F, "ad", "awareness", id="x1", emotion=0.0, users=1000)
    cmp = compare_maps(F, baseline)
    assert cmp.matches == {"x1": "ad"} and cmp.added == [] and set(cmp.removed) == {"reg", "pay"}


def test_comparison_tables_list_what_changed_with_translated_columns(future, baseline):
    from cjm.charts.future import comparison_tables, conversion_metrics

    cmp = compare_maps(future, baseline)
    tables = comparison_tables(cmp, future, baseline, "ru")
    assert list(tables["resolved"].columns) == ["Точка контакта и канал", "Боли", "Как"]
    assert sorted(tables["resolved"]["Боли"]) == ["Card only", "Eleven fields"]
    assert list(tables["added"].iloc[:, 0]) == ["Guest checkout"]
    assert list(tables["removed"].iloc[:, 0]) == ["Registration form"]
    assert "Эмоция" in tables["changed"].iloc[0, 1]
    assert conversion_metrics(cmp, "en") == [
        ("Baseline conversion", "10.0%"),
        ("Future conversion", "25.0%"),
        ("Projected change", "+15.0 pp"),
    ]


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_the_emotion_by_stage_table_writes_emotions_as_the_language_does_never_raw_floats(future, baseline, lang):
    from cjm.charts.future import comparison_tables
    from cjm.text import fmt_emotion

    cmp = compare_maps(future, baseline)
    stages = comparison_tables(cmp, future, baseline, lang)["stages"]
    cells = [v for c in stages.columns[1:] for v in stages[c]]
    assert cells and all(isinstance(v, str) for v in cells)
    assert not any(len(v.split(".")[-1]) > 1 and "." in v for v in cells)  # never -1.6667
    assert fmt_emotion(-1.6667, lang) in {"−1.7", "−1,7"}
