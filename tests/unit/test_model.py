"""The journey graph and the questions pages ask of it."""

import networkx as nx
import pytest

from cjm import model


def _branching_map():
    G = model.new_map("Shop", map_id="shop")
    ad = model.add_touchpoint(G, "Ad in a social network", "awareness", emotion=0.5)
    site = model.add_touchpoint(G, "Product page", "consideration", emotion=1)
    chat = model.add_touchpoint(G, "Online consultant", "intent", emotion=-1, pain_point="Slow answer")
    form = model.add_touchpoint(G, "Question form", "intent", status="missing")
    pay = model.add_touchpoint(
        G, "Payment form", "purchase", conversion_point=True, emotion=-2, pain_point="Card declined"
    )
    for u, v in [(ad, site), (site, chat), (site, form), (chat, pay), (form, pay), (pay, site)]:
        model.add_transition(G, u, v)
    return G, (ad, site, chat, form, pay)


def test_new_map_uses_the_nine_stage_template_with_phases():
    G = model.new_map("Airline")
    ids = [s["id"] for s in model.stages(G)]
    assert ids[0] == "awareness" and ids[-1] == "loyalty" and len(ids) == 9
    assert model.stage_phase(G, "purchase") == "purchase"
    assert model.stage_phase(G, "retention") == "after_purchase"


def test_day_in_life_maps_get_the_day_template():
    G = model.new_map("A day", "day_in_life")
    assert [s["id"] for s in model.stages(G)] == ["morning", "daytime", "evening"]


def test_touchpoints_are_ordered_by_stage_then_order_not_by_insertion():
    G, (ad, site, chat, form, pay) = _branching_map()
    assert model.touchpoints_in_order(G) == [ad, site, chat, form, pay]


def test_parallel_touchpoints_in_one_stage_keep_their_order():
    G, (_, _, chat, form, _) = _branching_map()
    assert model.touchpoints_by_stage(G)["intent"] == [chat, form]
    assert model.touchpoints_by_stage(G)["loyalty"] == []


def test_entry_exit_conversion_pain_and_missing_points():
    G, (ad, site, chat, form, pay) = _branching_map()
    assert model.entry_points(G) == [ad]
    assert model.conversion_points(G) == [pay]
    assert model.pain_points(G) == [chat, pay]
    assert model.missing_touchpoints(G) == [form]
    assert model.exit_points(G) == []  # payment loops back to the product page


def test_a_loop_back_to_an_earlier_touchpoint_is_a_back_edge():
    G, (_, site, _, _, pay) = _branching_map()
    assert model.back_edges(G) == [(pay, site)]


def test_touchpoints_by_phase_groups_stages_under_their_phase():
    G, (ad, site, chat, form, pay) = _branching_map()
    assert model.touchpoints_by_phase(G) == {
        "before_purchase": [ad, site, chat, form],
        "purchase": [pay],
        "after_purchase": [],
    }


def test_touchpoint_table_has_one_row_per_touchpoint_with_next_ids():
    G, (ad, site, chat, form, pay) = _branching_map()
    table = model.touchpoint_table(G)
    assert list(table["id"]) == [ad, site, chat, form, pay]
    assert table.loc[table["id"] == site, "next"].item() == f"{chat};{form}"
    assert table.loc[table["id"] == pay, "phase"].item() == "purchase"


def test_adding_a_touchpoint_with_an_existing_id_is_refused():
    G, (ad, *_rest) = _branching_map()
    with pytest.raises(ValueError, match="already exists"):
        model.add_touchpoint(G, "Again", "awareness", id=ad)


def test_a_transition_to_a_missing_touchpoint_is_refused():
    G, (ad, *_rest) = _branching_map()
    with pytest.raises(KeyError):
        model.add_transition(G, ad, "nowhere")


def test_emotion_is_the_mean_of_the_workshop_votes():
    G, (ad, *_rest) = _branching_map()
    G.nodes[ad]["votes"] = [{"participant": "a", "score": -2}, {"participant": "b", "score": 1}]
    assert model.recompute_emotion_from_votes(G, ad) == -0.5
    assert G.nodes[ad]["emotion"] == -0.5


def test_a_duplicate_gets_a_new_id_and_leaves_the_original_alone():
    G, _ = _branching_map()
    H = model.copy_map(G, title="Shop (copy)")
    H.nodes["tp-1"]["name"] = "changed"
    assert H.graph["id"] != G.graph["id"] and G.nodes["tp-1"]["name"] == "Ad in a social network"


def test_template_stage_names_are_translated_but_custom_names_are_kept():
    assert (
        model.stage_label({"id": "awareness", "name": "Awareness", "phase": "before_purchase"}, "ru")
        == "Осведомлённость"
    )
    assert (
        model.stage_label({"id": "awareness", "name": "Noticing us", "phase": "before_purchase"}, "ru") == "Noticing us"
    )


def _chain(*names: str, conversion: str | None = None) -> nx.DiGraph:
    G = model.new_map("chain")
    for n in names:
        model.add_touchpoint(G, n, "awareness", id=n, conversion_point=n == conversion)
    return G


def test_an_entry_point_has_a_way_on_but_no_way_in_and_comes_no_later_than_the_first_conversion():
    G = _chain("ad", "lonely", "site", "pay", "review", "mail", conversion="pay")
    for u, v in [("ad", "site"), ("site", "pay"), ("review", "mail")]:
        model.add_transition(G, u, v)
    assert model.entry_points(G) == ["ad"]  # lonely has no transition; review starts after the conversion
    assert model.unreachable(G) == ["lonely", "review", "mail"]


def test_entry_points_ignore_retired_touchpoints_and_fall_back_to_journey_order():
    G = _chain("old", "ad", "site")
    model.add_transition(G, "old", "ad")
    model.add_transition(G, "ad", "site")
    G.nodes["old"]["status"] = "retired"
    assert model.entry_points(G) == ["ad"]
    H = _chain("a", "b")
    assert model.entry_points(H) == ["a"]  # no transitions: the journey reads in order
    model.add_transition(H, "a", "b")
    model.add_transition(H, "b", "a")
    assert model.entry_points(H) == ["a"]  # a loop at the start
    assert model.entry_points(model.new_map("empty")) == []


def test_dead_ends_stop_before_the_last_conversion_and_no_way_to_conversion_is_reached_unconverted():
    G = _chain("ad", "faq", "pay", "mail", "survey", conversion="pay")
    for u, v in [("ad", "faq"), ("ad", "pay"), ("pay", "mail"), ("mail", "survey")]:
        model.add_transition(G, u, v)
    assert model.dead_ends(G) == ["faq"]
    assert model.no_way_to_conversion(G) == ["faq"]  # mail and survey come after converting
    G.nodes["faq"]["status"] = "missing"
    assert model.dead_ends(G) == [] and model.no_way_to_conversion(G) == []


def test_people_at_an_entry_point_come_from_its_outgoing_counts_when_it_has_none_of_its_own():
    G = _chain("ad", "site", "pay")
    model.add_transition(G, "ad", "site", users=500)
    model.add_transition(G, "site", "pay", users=120)
    assert [model.touchpoint_users(G, n) for n in ("ad", "site", "pay")] == [500, 500, 120]
    G.nodes["site"]["users"] = 480
    assert model.users_by_touchpoint(G) == {"ad": 500, "site": 480, "pay": 120}
    assert model.touchpoint_users(_chain("x"), "x") is None
