"""Executive figures: drop-off, end-to-end conversion, per-map and portfolio metrics, fix-first ranking."""

import pytest

from cjm.model import add_touchpoint, add_transition, new_map
from cjm.overview import (
    end_to_end_conversion,
    fix_score,
    map_metrics,
    metrics_table,
    moments_to_fix,
    portfolio_metrics,
    touchpoint_drop_offs,
)


def funnel_map():
    """ad (1000) → site (400) → {card 150, cash 50} → thanks; a loop from cash back to site."""
    G = new_map("Funnel", map_id="funnel", stages_template="phases")
    add_touchpoint(G, "Ad", "before_purchase", id="ad", users=1000, emotion=0.5, evidence="observed")
    add_touchpoint(
        G, "Site", "before_purchase", id="site", users=400, emotion=-1.0, evidence="reported", pain_point="Slow"
    )
    add_touchpoint(G, "Card", "purchase", id="card", users=150, emotion=1.0, conversion_point=True)
    add_touchpoint(
        G, "Cash", "purchase", id="cash", users=50, emotion=-2.0, conversion_point=True, pain_point="No change"
    )
    add_touchpoint(G, "Thanks", "after_purchase", id="thanks", emotion=None, status="missing")
    add_touchpoint(G, "Old flyer", "before_purchase", id="old", status="retired", emotion=-2.0, pain_point="gone")
    add_transition(G, "ad", "site")
    add_transition(G, "site", "card", users=150)
    add_transition(G, "site", "cash", users=50)
    add_transition(G, "card", "thanks")
    add_transition(G, "cash", "thanks")
    add_transition(G, "cash", "site", users=10)
    return G


def test_drop_off_compares_users_with_the_users_who_went_on():
    df = touchpoint_drop_offs(funnel_map()).set_index("id")
    # site has 400 users, 10 of them came back through the loop from cash: 390 came from the ad
    assert df.loc["ad", "next_users"] == 390
    assert df.loc["ad", "drop_off"] == 610 and df.loc["ad", "drop_off_rate"] == 0.61
    assert df.loc["site", "next_users"] == 200 and df.loc["site", "drop_off_rate"] == 0.5
    assert df.loc["thanks", "drop_off"] is None  # a journey end has no drop-off
    assert df.loc["card", "drop_off"] is None  # the flow to "thanks" is unknown (it has two ways in)
    assert "old" not in df.index  # retired


def test_drop_off_uses_incoming_transition_counts_when_the_touchpoint_has_none():
    G = new_map("x", stages_template="phases")
    add_touchpoint(G, "a", "before_purchase", id="a", users=100)
    add_touchpoint(G, "b", "purchase", id="b")
    add_touchpoint(G, "c", "after_purchase", id="c", users=20)
    add_transition(G, "a", "b", users=80)
    add_transition(G, "b", "c")
    df = touchpoint_drop_offs(G).set_index("id")
    assert df.loc["b", "users"] == 80 and df.loc["b", "drop_off"] == 60


def test_end_to_end_conversion_adds_parallel_conversion_points():
    assert end_to_end_conversion(funnel_map()) == pytest.approx(0.2)  # (150 + 50) / 1000


def test_end_to_end_conversion_takes_the_last_of_sequential_conversion_points():
    G = new_map("x", stages_template="phases")
    add_touchpoint(G, "a", "before_purchase", id="a", users=1000)
    add_touchpoint(G, "lead", "purchase", id="lead", users=300, conversion_point=True)
    add_touchpoint(G, "pay", "after_purchase", id="pay", users=90, conversion_point=True)
    add_transition(G, "a", "lead")
    add_transition(G, "lead", "pay")
    add_transition(G, "pay", "a")  # a loop back to the start must not make "pay" lead to "lead"
    assert end_to_end_conversion(G) == pytest.approx(0.09)


def test_end_to_end_conversion_is_none_without_counts_or_conversion_points():
    G = funnel_map()
    G.nodes["ad"]["users"] = None
    assert end_to_end_conversion(G) is None
    H = new_map("x")
    add_touchpoint(H, "a", "awareness", users=10)
    assert end_to_end_conversion(H) is None


def test_map_metrics_count_active_touchpoints_only():
    m = map_metrics(funnel_map())
    assert m.touchpoints == 5
    assert m.assessed == 4
    assert m.average_emotion == pytest.approx((0.5 - 1.0 + 1.0 - 2.0) / 4, abs=0.01)
    assert (m.lowest_id, m.lowest_name, m.lowest_emotion) == ("cash", "Cash", -2.0)
    assert m.open_pain_points == 2
    assert m.missing == 1
    assert m.evidence_share == pytest.approx(2 / 5)
    assert (m.entered, m.converted, m.conversion) == (1000, 200, 0.2)


def test_a_pain_point_with_its_task_done_is_no_longer_open():
    G = funnel_map()
    G.nodes["site"]["task_status"] = "done"
    assert map_metrics(G).open_pain_points == 1


def test_portfolio_pools_touchpoints_and_keeps_the_worst_moment():
    a = funnel_map()
    b = new_map("Other", map_id="other")
    add_touchpoint(b, "Great", "awareness", emotion=2.0, evidence="observed", users=10)
    add_touchpoint(b, "Bought", "purchase", emotion=1.0, conversion_point=True, users=5)
    add_transition(b, "tp-1", "tp-2")
    p = portfolio_metrics([a, b])
    assert p.touchpoints == 7
    assert p.average_emotion == pytest.approx((0.5 - 1.0 + 1.0 - 2.0 + 2.0 + 1.0) / 6, abs=0.01)
    assert (p.lowest_map, p.lowest_name) == ("funnel", "Cash")
    assert p.missing == 1 and p.open_pain_points == 2
    assert (p.entered, p.converted) == (1010, 205)
    assert list(metrics_table([a, b])["map_id"]) == ["funnel", "other"]


def test_fix_score_is_negativity_plus_drop_off_times_importance():
    assert fix_score(-2, None, 5) == 5.0
    assert fix_score(-1, 0.5, 2) == 2.0
    assert fix_score(0.5, 0.0, 5) == 0.0
    assert fix_score(None, None, None) == 0.0
    assert fix_score(-2, 1.0, None) == 6.0  # unset importance counts as 3
    assert fix_score(-2, 1.0, None, key_touchpoint=True) == 8.0


def test_ranking_orders_a_crafted_example_as_documented():
    G = new_map("Rank", map_id="rank", stages_template="phases")
    # score = (max(0, -emotion)/2 + drop) * importance
    add_touchpoint(G, "A", "before_purchase", id="a", emotion=-2.0, importance=2)  # 1.0 * 2 = 2.0
    add_touchpoint(G, "B", "before_purchase", id="b", emotion=-1.0, importance=5)  # 0.5 * 5 = 2.5
    add_touchpoint(G, "C", "purchase", id="c", emotion=0.0, importance=4, users=100)  # (0 + 0.8) * 4 = 3.2
    add_touchpoint(G, "D", "purchase", id="d", emotion=1.0, users=20)  # not negative, end: 0 → not listed
    add_touchpoint(G, "E", "after_purchase", id="e", emotion=-2.0, importance=5, task_status="done")  # done
    add_touchpoint(G, "F", "after_purchase", id="f", emotion=-1.0, importance=4)  # 0.5 * 4 = 2.0, ties A
    add_transition(G, "c", "d")
    ranked = moments_to_fix(G, limit=None)
    assert list(ranked["id"]) == ["c", "b", "a", "f"]  # A before F: lower emotion wins the tie
    assert list(ranked["score"]) == [3.2, 2.5, 2.0, 2.0]
    assert moments_to_fix(G, limit=2)["id"].tolist() == ["c", "b"]


def test_moments_carry_pain_point_opportunity_owner_and_evidence():
    G = funnel_map()
    G.nodes["cash"].update(opportunity="Card terminal for couriers", owner="Ops", evidence="observed")
    row = moments_to_fix(G).iloc[0]
    assert row["id"] == "cash"
    assert (row["pain_point"], row["opportunity"], row["owner"], row["evidence"]) == (
        "No change",
        "Card terminal for couriers",
        "Ops",
        "observed",
    )
    assert row["map_title"] == "Funnel" and row["stage_name"] == "Purchase"


def test_portfolio_ranking_spans_maps():
    a = funnel_map()
    b = new_map("Other", map_id="other")
    add_touchpoint(b, "Awful", "awareness", emotion=-2.0, importance=5)
    ranked = moments_to_fix([a, b], limit=3)
    assert ranked.iloc[0]["map_id"] == "other"


def test_summary_html_is_self_contained_and_escapes_user_text():
    import re

    from cjm.io.report import summary_html

    G = funnel_map()
    G.nodes["cash"]["name"] = "<script>alert(1)</script>"
    G.nodes["cash"]["owner"] = "<img src=x onerror=alert(2)>"
    G.graph["title"] = "Q&A <b>map</b>"
    doc = summary_html(G, lang="en")
    assert doc.startswith("<!DOCTYPE html>")
    assert not re.search(r"<script[^>]+src=", doc), "no external script"
    markup = re.sub(r"<script[^>]*>.*?</script>", "", doc, flags=re.S)  # plotly.js's own strings aside
    assert not re.search(r"""(?:src|href)=["']?(?:https?:)?//""", markup), "no network resource"
    assert "<link" not in markup and "@import" not in markup
    assert "Plotly" in doc and len(doc) > 1_000_000  # plotly.js is inline
    assert "<script>alert(1)</script>" not in doc and "&lt;script&gt;alert(1)&lt;/script&gt;" in doc
    assert "<img src=x" not in doc and "&lt;img src=x onerror=alert(2)&gt;" in doc
    assert "Q&amp;A &lt;b&gt;map&lt;/b&gt;" in doc


def test_summary_html_lists_the_moments_and_findings_in_the_chosen_language():
    from cjm.io.report import summary_html

    G = funnel_map()
    doc = summary_html([G, funnel_map()], lang="ru")
    assert "Что исправить в первую очередь" in doc and "Cash" in doc
    assert "Карты коротко" in doc  # the per-map table appears for a portfolio
    assert 'lang="ru"' in doc


def test_headline_cards_speak_plain_words():
    from cjm.overview import headline_cards

    cards = {c.key: c for c in headline_cards(map_metrics(funnel_map()), "en")}
    assert cards["conversion"].value == "20%" and "200 of 1,000" in cards["conversion"].detail
    assert cards["lowest"].value == "−2.0" and cards["lowest"].detail == "Cash"
    assert cards["lowest"].tone == "negative"
    assert cards["missing"].value == "1"


def test_leaving_after_the_final_conversion_point_is_not_a_drop_off_to_fix():
    G = new_map("After", map_id="after", stages_template="phases")
    add_touchpoint(G, "Ad", "before_purchase", id="ad", users=1000, emotion=0.0)
    add_touchpoint(G, "Buy", "purchase", id="buy", users=100, emotion=0.0, conversion_point=True)
    add_touchpoint(G, "Newsletter", "after_purchase", id="news", users=10, emotion=1.0)
    add_touchpoint(G, "Reorder", "after_purchase", id="reorder", users=1, emotion=1.0)
    add_transition(G, "ad", "buy")
    add_transition(G, "buy", "news")
    add_transition(G, "news", "reorder")
    ranked = moments_to_fix(G, limit=None)
    assert list(ranked["id"]) == ["ad"]  # 90 % drop-off before buying; buy and news lose users after it
    G.nodes["news"]["emotion"] = -2.0
    after = moments_to_fix(G, limit=None).set_index("id")
    assert after.loc["news", "drop_off_rate"] is None  # shown as unknown, never as NaN
    assert ranked.iloc[0]["score"] == pytest.approx(0.9 * 3)


def test_summary_lists_the_findings_under_their_rules_with_a_fix_in_both_languages():
    from cjm.io.report import summary_html, summary_text

    G = funnel_map()
    for lang, rule, fix in (
        ("en", "Rule 5 — find the key touchpoints", "Fix"),
        ("ru", "Правило 5 — найдите", "Что сделать"),
    ):
        doc = summary_html([G], lang=lang)
        assert '<h3 class="rule">' in doc and rule in doc and f"{fix}:" in doc
        text = summary_text([G], lang=lang)
        assert rule in text and f"{fix}:" in text
