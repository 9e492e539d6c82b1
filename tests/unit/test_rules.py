"""The ten rules' checks (issue 16): model fields, deliberate ends, and every sample map passing its
own ``python -m cjm check``."""

from pathlib import Path

import pytest

from cjm import health, model
from cjm.io.jsonio import dumps, loads
from cjm.io.tables import read_map_file, write_map_xlsx
from cjm.model import add_touchpoint, add_transition, new_map

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "maps").glob("*.json"))


def chain(*, intended_end: bool) -> object:
    G = new_map("Ends", map_id="ends", stages_template="phases")
    add_touchpoint(G, "Ad", "before_purchase", id="ad")
    add_touchpoint(G, "Review", "before_purchase", id="review", intended_end=intended_end)
    add_touchpoint(G, "Pay", "purchase", id="pay", conversion_point=True)
    add_transition(G, "ad", "pay")
    add_transition(G, "ad", "review")
    return G


def test_a_touchpoint_with_no_way_on_before_the_conversion_is_a_dead_end():
    assert model.dead_ends(chain(intended_end=False)) == ["review"]


def test_a_deliberate_end_is_not_a_dead_end_nor_reported_by_the_check():
    G = chain(intended_end=True)
    assert model.dead_ends(G) == []
    assert not [f for f in health.run_checks(G) if f.check == "dead_end"]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_every_sample_map_passes_its_own_check_command(path, capsys):
    assert health.main([str(path)]) == 0, capsys.readouterr().out


def test_new_touchpoint_fields_are_optional_and_default_to_empty():
    G = new_map("Fields", map_id="fields")
    tp = add_touchpoint(G, "Ad", "awareness")
    d = G.nodes[tp]
    assert (d["decision"], d["role"], d["captures_contact"], d["intended_end"], d["catalogue_id"]) == (
        "",
        "",
        False,
        False,
        "",
    )


def test_new_fields_and_the_competitor_mark_survive_json_and_xlsx():
    G = new_map("Rival", map_id="rival")
    G.graph["competitor"] = "Skyline Air"
    add_touchpoint(
        G,
        "Newsletter sign-up",
        "interest",
        id="news",
        decision="start",
        role="raise_interest",
        captures_contact=True,
        intended_end=True,
        catalogue_id="newsletter",
    )
    for H in (loads(dumps(G)), read_map_file(write_map_xlsx(G), filename="rival.xlsx")):
        d = H.nodes["news"]
        assert H.graph["competitor"] == "Skyline Air"
        assert (d["decision"], d["role"], d["captures_contact"], d["intended_end"], d["catalogue_id"]) == (
            "start",
            "raise_interest",
            True,
            True,
            "newsletter",
        )


def test_decision_and_role_are_read_from_their_russian_names():
    from cjm.errors import Place
    from cjm.validation import coerce_touchpoint

    problems: list = []
    raw = {"id": "a", "name": "A", "stage": "s", "decision": "Купить или отложить", "role": "Убеждает"}
    tp = coerce_touchpoint(raw, place=Place("touchpoint", {"id": "a"}), problems=problems)
    assert problems == []
    assert (tp["decision"], tp["role"]) == ("buy_or_postpone", "convince")


# --- one check per rule: a map that passes and a map that fails --------------------------------


def _base(**stage_kw):
    """Two stages per phase of the nine-stage template are not needed: the three-phase template
    (before purchase → purchase → after purchase) is enough for every rule."""
    G = new_map("Rules", map_id="rules", stages_template="phases", persona={"name": "Maria"})
    return G


def rules_of(G, check, competitors=()):
    return [f for f in health.run_checks(G, competitors=competitors) if f.check.split(":")[0] == check]


def test_rule_3_flags_a_stage_known_only_from_assumptions_and_not_an_observed_one():
    G = _base()
    add_touchpoint(G, "Ad", "before_purchase", evidence="assumed")
    add_touchpoint(G, "Pay", "purchase", evidence="inferred")
    add_touchpoint(G, "Mail", "after_purchase", evidence="observed")
    (found,) = rules_of(G, "walk_the_path")
    assert found.rule == 3 and "«Before purchase»" in found.message and "«Purchase»" in found.message
    assert "After purchase" not in found.message
    for n in G:
        G.nodes[n]["evidence"] = "reported"
    assert rules_of(G, "walk_the_path") == []


def _drop_map(*, key_on_drop: bool, key_on_conversion: bool):
    G = _base()
    a = add_touchpoint(
        G, "Ad", "before_purchase", users=1000, key_touchpoint=key_on_drop, score=2 if key_on_drop else None
    )
    b = add_touchpoint(G, "Cart", "purchase", users=900)
    c = add_touchpoint(
        G,
        "Pay",
        "purchase",
        users=850,
        conversion_point=True,
        key_touchpoint=key_on_conversion,
        score=4 if key_on_conversion else None,
    )
    add_transition(G, a, b, users=900)
    add_transition(G, b, c, users=850)
    return G


def test_rule_5_wants_an_assessed_key_touchpoint_at_each_conversion_and_the_worst_drop_stage():
    found = rules_of(_drop_map(key_on_drop=False, key_on_conversion=False), "key_touchpoints")
    assert [f.rule for f in found] == [5, 5]
    assert "«Pay»" in found[0].message and "«Before purchase»" in found[1].message
    assert rules_of(_drop_map(key_on_drop=True, key_on_conversion=True), "key_touchpoints") == []


def test_rule_5_a_key_touchpoint_without_a_score_is_not_assessed():
    G = _drop_map(key_on_drop=True, key_on_conversion=True)
    G.nodes["tp-3"]["score"] = None
    assert len(rules_of(G, "key_touchpoints")) == 1


def _curve(*emotions):
    G = _base()
    for i, e in enumerate(emotions):
        add_touchpoint(G, f"T{i}", ("before_purchase", "purchase", "after_purchase")[min(i, 2)], emotion=e)
    return G


def test_rule_7_peak_end_flags_a_flat_end_and_a_negative_peak():
    found = rules_of(_curve(1.0, -2.0, 0.0), "peak_end")
    assert {f.rule for f in found} == {7}
    assert any("ends on a moment that is not positive" in f.message and "«T2»" in f.message for f in found)
    assert any("strongest moment of the journey is a bad one" in f.message and "«T1»" in f.message for f in found)


def test_rule_7_peak_end_flags_a_journey_without_a_memorable_moment():
    (found,) = rules_of(_curve(0.5, 0.2, 0.8), "peak_end")
    assert "no memorable moment" in found.message


def test_rule_7_peak_end_passes_a_strong_positive_peak_and_a_good_end():
    assert rules_of(_curve(-1.0, 2.0, 1.0), "peak_end") == []


def test_peak_end_moments_are_the_strongest_and_the_last_assessed():
    from cjm.emotion import peak_end

    G = _curve(1.0, -2.0, 2.0, None)
    assert peak_end(G) == ("tp-3", "tp-3")  # a tie between −2 and +2 goes to the positive one
    assert peak_end(_base()) == (None, None)


def test_rule_8_flags_a_purchase_map_that_never_takes_the_contact_before_the_purchase():
    G = _base()
    add_touchpoint(G, "Ad", "before_purchase")
    add_touchpoint(G, "Pay", "purchase", captures_contact=True)
    (found,) = rules_of(G, "contact_capture")
    assert found.rule == 8
    add_touchpoint(G, "Newsletter", "before_purchase", captures_contact=True)
    assert rules_of(G, "contact_capture") == []


def test_rule_8_does_not_apply_to_a_day_in_the_life_map():
    G = new_map("Day", map_id="day", map_type="day_in_life")
    add_touchpoint(G, "Coffee", "morning")
    assert rules_of(G, "contact_capture") == []


def test_rule_10_flags_a_touchpoint_with_many_steps_and_not_a_short_one():
    G = _base()
    add_touchpoint(G, "Checkout", "purchase", steps=health.MANY_STEPS + 1)
    add_touchpoint(G, "One click", "purchase", steps=1)
    (found,) = rules_of(G, "many_steps")
    assert found.rule == 10 and "«Checkout»" in found.message and "One click" not in found.message
    G.nodes["tp-1"]["steps"] = health.MANY_STEPS
    assert rules_of(G, "many_steps") == []


def test_rule_10_dead_end_and_rule_2_unreachable_are_named_with_their_rules():
    G = chain(intended_end=False)
    add_touchpoint(G, "Lost", "purchase", id="lost")
    add_transition(G, "lost", "lost")
    rules = {f.check: f.rule for f in health.run_checks(G)}
    assert rules["dead_end"] == 10 and rules["unreachable"] == 2


def test_rule_9_channel_check_skips_day_maps_and_one_way_ads():
    G = _base()
    add_touchpoint(G, "Social ad", "before_purchase", channel="social", category="communications")
    add_touchpoint(G, "Pay", "purchase", channel="website")
    add_touchpoint(G, "Account", "after_purchase", channel="website")
    assert rules_of(G, "abandoned_channel") == []  # an ad is one-way: nothing to keep answering
    add_touchpoint(G, "Social chat", "before_purchase", channel="social", category="staff")
    (found,) = rules_of(G, "abandoned_channel")
    assert found.rule == 9 and "«Social chat»" in found.message
    D = new_map("Day", map_id="day", map_type="day_in_life")
    add_touchpoint(D, "Chat", "morning", channel="messenger")
    add_touchpoint(D, "Coffee", "evening", channel="office")
    assert rules_of(D, "abandoned_channel") == []


def test_rule_6_open_missing_touchpoints_are_named_with_their_rule():
    G = _base()
    add_touchpoint(G, "Pickup point", "purchase", status="missing")
    (found,) = rules_of(G, "missing_open")
    assert found.rule == 6
    G.nodes["tp-1"]["status"] = "planned"
    assert rules_of(G, "missing_open") == []


def _rival(**tp):
    H = _base()
    H.graph.update(id="rival", competitor="Skyline")
    add_touchpoint(H, "Their ad", "before_purchase", emotion=1.5, **tp)
    add_touchpoint(H, "Their chat", "after_purchase", emotion=1.0)
    return H


def test_rules_1_and_4_flag_stages_where_a_competitor_is_ahead():
    G = _base()
    add_touchpoint(G, "Our ad", "before_purchase", emotion=-0.5)
    found = rules_of(G, "competitor", competitors=[_rival()])
    assert [f.rule for f in found] == [1, 1]
    text = " ".join(f.message for f in found)
    assert "«Before purchase»" in text and "feel better" in text
    assert "«After purchase»" in text and "has a touchpoint and we have none" in text


def test_rules_1_and_4_pass_when_we_match_the_competitor_and_ignore_other_personas():
    G = _base()
    add_touchpoint(G, "Our ad", "before_purchase", emotion=1.5)
    add_touchpoint(G, "Our chat", "after_purchase", emotion=1.0)
    assert rules_of(G, "competitor", competitors=[_rival()]) == []
    other = _rival()
    other.graph["persona"] = {"name": "Somebody else"}
    assert rules_of(_base(), "competitor", competitors=[other]) == []


def test_every_finding_names_its_rule_and_a_fix_in_both_languages():
    G = _drop_map(key_on_drop=False, key_on_conversion=False)
    for lang in ("en", "ru"):
        for f in health.run_checks(G, lang):
            assert 1 <= f.rule <= 10 and f.hint
        text = health.format_findings(G, health.run_checks(G, lang), lang)
        assert health.rule_title(5, lang) in text
    assert "Правило 5" in health.rule_title(5, "ru")
