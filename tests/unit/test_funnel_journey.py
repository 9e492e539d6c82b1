"""Tying funnel steps to touchpoints: suggestions, saving counts, pain × drop-off."""

from __future__ import annotations

from pathlib import Path

import pytest

from cjm.funnel.errors import FunnelParameterError
from cjm.funnel.journey import apply_counts, mapping_table, pain_dropoff, suggest_touchpoints
from cjm.io import jsonio
from cjm.model import add_touchpoint, add_transition, new_map

SHOP = Path(__file__).resolve().parents[2] / "sample_data" / "maps" / "shop-current.json"
STEPS = ["view_product", "add_to_cart", "checkout", "payment", "order_confirmed"]


def tiny():
    G = new_map("demo")
    a = add_touchpoint(G, "Просмотр товара", "interest")
    b = add_touchpoint(G, "Корзина", "intent")
    c = add_touchpoint(G, "Оформление заказа", "purchase")
    add_transition(G, a, b)
    G.nodes[b]["emotion"] = -1.5
    G.nodes[b]["pain_point"] = "Не видна дата доставки"
    return G, a, b, c


def test_shop_event_names_are_suggested_onto_the_shop_map_touchpoints():
    G = jsonio.loads(SHOP.read_text(encoding="utf-8"))
    assert suggest_touchpoints(G, STEPS) == {
        "view_product": "view-product",
        "add_to_cart": "add-to-cart",
        "checkout": "checkout",
        "payment": "payment",
        "order_confirmed": "order-confirmed",
    }


def test_russian_step_names_find_touchpoints_by_name():
    G, a, b, c = tiny()
    assert suggest_touchpoints(G, ["Карточка товара", "Корзина", "Оформление", "Доставка"]) == {
        "Карточка товара": a,
        "Корзина": b,
        "Оформление": c,
        "Доставка": None,
    }


def test_a_touchpoint_is_suggested_for_one_step_only():
    G, a, *_ = tiny()
    got = suggest_touchpoints(G, ["Просмотр товара", "просмотр товара 2"])
    assert list(got.values()).count(a) == 1


def test_the_mapping_table_names_each_steps_touchpoint():
    G, a, b, c = tiny()
    t = mapping_table(G, ["x", "y"], {"x": a, "y": None})
    assert list(t["touchpoint"]) == ["Просмотр товара", ""]


def test_applying_counts_sets_touchpoint_and_transition_users_on_a_copy():
    G, a, b, c = tiny()
    res = apply_counts(G, ["v", "k", "o"], [1000, 300, 120], {"v": a, "k": b, "o": c})
    H = res.graph
    assert (H.nodes[a]["users"], H.nodes[b]["users"], H.nodes[c]["users"]) == (1000, 300, 120)
    assert H.edges[a, b]["users"] == 300
    assert res.missing_transitions == ((b, c),) and not H.has_edge(b, c)
    assert "users" not in G.nodes[a] or G.nodes[a]["users"] != 1000  # the input is untouched


def test_missing_transitions_are_added_only_when_asked():
    G, a, b, c = tiny()
    H = apply_counts(G, ["v", "k", "o"], [10, 5, 2], {"v": a, "k": b, "o": c}, add_missing_transitions=True).graph
    assert H.edges[b, c]["users"] == 2


def test_unmapped_steps_and_unknown_touchpoints():
    G, a, b, c = tiny()
    res = apply_counts(G, ["v", "k"], [10, 5], {"v": a, "k": None})
    assert res.transitions == () and res.touchpoints == ((a, None, 10),)
    with pytest.raises(FunnelParameterError, match="not on the map"):
        apply_counts(G, ["v"], [1], {"v": "ghost"})


def test_pain_meets_drop_off_where_a_negative_emotion_sees_many_people_leave():
    G, a, b, c = tiny()
    table = pain_dropoff(G, ["v", "k", "o"], [1000, 800, 200], {"v": a, "k": b, "o": c})
    assert list(table["touchpoint_id"]) == [a, b]
    assert list(table["flag"]) == [False, True]
    row = table.set_index("touchpoint_id").loc[b]
    assert row["left"] == 600 and row["leave_rate"] == 0.75 and row["pain_point"].startswith("Не видна")


def test_a_large_drop_without_negative_emotion_is_not_flagged():
    G, a, b, c = tiny()
    assert not pain_dropoff(G, ["v", "k"], [1000, 10], {"v": a, "k": b})["flag"].any()


def test_only_confident_matches_are_marked_so_and_russian_look_alikes_are_not():
    from cjm.funnel.journey import match_steps

    G = jsonio.loads(SHOP.read_text(encoding="utf-8"))
    table = match_steps(G, ["Главная страница", "Карточка товара", "Корзина", "Оформление заказа"]).set_index("step")
    # «Главная страница» shares one word of two with «Страница отзывов»: shown as a guess, not confident
    assert not table.loc["Главная страница", "confident"]
    assert table.loc["Главная страница", "score"] < 0.75
    # «Карточка товара» is as like «Просмотр товара» as «Форма вопроса о товаре»: not confident either
    assert not table.loc["Карточка товара", "confident"]
    assert table.loc["Корзина", "touchpoint_id"] == "add-to-cart" and table.loc["Корзина", "confident"]
    assert table.loc["Оформление заказа", "touchpoint_id"] == "checkout"
    assert table.loc["Оформление заказа", "confident"]


def test_shop_event_names_are_confident_matches():
    from cjm.funnel.journey import match_steps

    G = jsonio.loads(SHOP.read_text(encoding="utf-8"))
    table = match_steps(G, ["page_view", *STEPS])
    assert table.set_index("step").loc[STEPS, "confident"].all()
    assert not table.set_index("step").loc["page_view", "confident"]


def test_saving_a_funnel_records_its_source_and_replaces_an_earlier_funnels_counts():
    G, a, b, c = tiny()
    G.nodes[c]["users"] = 77  # typed by hand: not from a funnel
    first = apply_counts(G, ["v", "k"], [100, 40], {"v": a, "k": b}, source="one.csv", saved_at="2024-03-01T10:00:00")
    H = first.graph
    assert H.graph["counts_source"] == {
        "source": "one.csv",
        "saved_at": "2024-03-01T10:00:00",
        "touchpoints": [a, b],
        "transitions": [[a, b]],
    }
    assert first.others == (c,)  # a count this funnel did not set stays, and is reported
    second = apply_counts(H, ["k2"], [30], {"k2": a}, source="two.csv")
    K = second.graph
    assert K.nodes[a]["users"] == 30
    assert K.nodes[b]["users"] is None and K.edges[a, b]["users"] is None  # the earlier funnel's, gone
    assert K.nodes[c]["users"] == 77  # not the earlier funnel's: kept unless asked
    assert set(second.cleared) == {(b, 40), ((a, b), 40)}
    assert K.graph["counts_source"]["source"] == "two.csv" and K.graph["counts_source"]["saved_at"]
    cleared = apply_counts(H, ["k2"], [30], {"k2": a}, source="two.csv", clear_others=True).graph
    assert cleared.nodes[c]["users"] is None


def test_the_counts_source_round_trips_through_json_and_validation():
    from cjm.validation import validate_map

    G, a, b, _ = tiny()
    H = apply_counts(G, ["v", "k"], [100, 40], {"v": a, "k": b}, source="log.csv", saved_at="2024-03-01T10:00:00").graph
    back = jsonio.loads(jsonio.dumps(validate_map(H)))
    assert back.graph["counts_source"] == H.graph["counts_source"]
    assert "counts_source" not in validate_map(G).graph  # a map never given funnel counts has no such field


def test_the_counts_source_survives_an_xlsx_round_trip():
    from cjm.io import tables

    G, a, b, _ = tiny()
    H = apply_counts(G, ["v", "k"], [100, 40], {"v": a, "k": b}, source="log.csv", saved_at="2024-03-01T10:00:00").graph
    back = tables.read_map_table(tables.write_map_xlsx(H), filename="map.xlsx")
    assert back.graph["counts_source"] == H.graph["counts_source"]
