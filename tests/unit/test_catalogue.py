"""The catalogue of typical touchpoints: complete, bilingual, and able to fill gaps on a map."""

from __future__ import annotations

import pytest

from cjm import model, schema
from cjm.catalogue import (
    CatalogueEntry,
    add_from_catalogue,
    catalogue,
    catalogue_entry,
    covered_keys,
    missing_from_catalogue,
)
from cjm.validation import validate_map


def test_catalogue_has_every_phase_list_the_seven_categories_and_twelve_website_touchpoints():
    entries = catalogue("en")
    by_group = {g: [e for e in entries if e.group == g] for g in ("phase", "category", "website")}
    phase_counts = {p: sum(e.phase == p for e in by_group["phase"]) for p in schema.PHASES}
    assert phase_counts == {"before_purchase": 8, "purchase": 5, "after_purchase": 8}
    assert {e.category for e in by_group["category"]} == set(schema.CATEGORIES)
    assert len(by_group["website"]) == 12


def test_every_entry_has_a_unique_key_valid_choices_and_names_in_both_languages():
    entries = catalogue("ru")
    assert len({e.key for e in entries}) == len(entries)
    stage_ids = {s for s, _, _ in schema.DEFAULT_STAGES}
    for e in entries:
        assert isinstance(e, CatalogueEntry)
        assert e.stage in stage_ids and e.channel in schema.CHANNELS and e.category in schema.CATEGORIES
        assert e.phase in schema.PHASES
        assert e.name == e.name_ru and e.name_en and e.name_ru and e.name_en != f"catalogue.tp.{e.key}"
        assert e.name_ru != e.name_en


def test_entries_are_frozen_values():
    entry = catalogue_entry("chat")
    with pytest.raises(AttributeError):
        entry.name = "Other"  # type: ignore[misc]


def test_an_empty_map_misses_the_whole_catalogue():
    G = model.new_map("Empty")
    assert [e.key for e in missing_from_catalogue(G)] == [e.key for e in catalogue()]


def test_a_touchpoint_named_like_an_entry_in_either_language_covers_it():
    G = model.new_map("Shop")
    model.add_touchpoint(G, "  ЧАТ ", "purchase")
    model.add_touchpoint(G, "Loyalty Programme", "loyalty")
    model.add_touchpoint(G, "Кнопка «Поделиться»", "advocacy")
    missing = {e.key for e in missing_from_catalogue(G, "ru")}
    assert {"chat", "loyalty_programme", "web_share_button"}.isdisjoint(missing)
    assert "sales_team" in missing


def test_added_entry_is_no_longer_missing_and_the_map_stays_valid():
    G = model.new_map("Shop")
    tp = add_from_catalogue(G, "web_payment_form", status="missing", lang="ru")
    assert tp == "cat-web_payment_form"
    d = G.nodes[tp]
    assert (d["name"], d["stage"], d["status"], d["channel"]) == ("Форма оплаты", "purchase", "missing", "website")
    assert "web_payment_form" in covered_keys(G)
    assert "web_payment_form" not in {e.key for e in missing_from_catalogue(G)}
    validate_map(G)


def test_adding_goes_to_the_end_of_the_stage_and_accepts_a_chosen_stage():
    G = model.new_map("Shop")
    model.add_touchpoint(G, "Checkout", "purchase", order=7.0)
    tp = add_from_catalogue(G, "chat", status="planned")
    assert G.nodes[tp]["order"] == 8.0 and G.nodes[tp]["status"] == "planned"
    other = add_from_catalogue(G, "chat", stage="intent")
    assert other != tp and G.nodes[other]["stage"] == "intent"


def test_on_a_map_without_the_template_stage_the_entry_goes_to_a_stage_of_its_phase():
    G = model.new_map("Day", "day_in_life")  # morning/daytime/evening
    tp = add_from_catalogue(G, "billing")  # after purchase
    assert G.nodes[tp]["stage"] == "evening"


def test_adding_rejects_unknown_keys_stages_and_statuses():
    G = model.new_map("Shop")
    with pytest.raises(KeyError, match="nope"):
        add_from_catalogue(G, "nope")
    with pytest.raises(ValueError, match="unknown stage"):
        add_from_catalogue(G, "chat", stage="moon")
    with pytest.raises(ValueError, match="retired"):
        add_from_catalogue(G, "chat", status="retired")
    assert G.number_of_nodes() == 0


def test_reading_reviews_and_leaving_a_review_are_different_touchpoints():
    G = model.new_map("Shop")
    model.add_touchpoint(G, "Reading reviews", "awareness")
    assert "reviews_read" in covered_keys(G)
    assert "review_written" not in covered_keys(G)


def test_a_touchpoint_added_from_the_catalogue_keeps_the_entry_id_after_a_rename():
    from cjm import catalogue
    from cjm.model import new_map

    G = new_map("demo")
    tp = catalogue.add_from_catalogue(G, "chat", status="planned")
    G.nodes[tp]["name"] = "Talk to us"
    assert G.nodes[tp]["catalogue_id"] == "chat" and "chat" in catalogue.covered_keys(G)


def test_descriptive_names_match_the_catalogue_in_both_languages_but_a_shared_word_does_not():
    from cjm import catalogue
    from cjm.model import add_touchpoint, new_map

    for name in ("Форма вопроса о товаре", "Question form on the product page"):
        G = new_map("demo")
        add_touchpoint(G, name, "consideration")
        (m,) = [m for m in catalogue.catalogue_matches(G) if m.key == "web_question_form"]
        assert (m.touchpoint, m.how) == ("tp-1", "similar") and m.score >= catalogue.MATCH_AT_LEAST
    G = new_map("demo")
    add_touchpoint(G, "Форма оплаты картой", "purchase")
    assert "web_feedback_form" not in catalogue.covered_keys(G)


def test_a_rejected_match_stops_counting_and_a_confirmed_one_counts_by_id():
    from cjm import catalogue
    from cjm.model import add_touchpoint, new_map

    G = new_map("demo")
    tp = add_touchpoint(G, "Форма обратной связи: жалоба на доставку", "post_purchase")
    assert "web_feedback_form" in catalogue.covered_keys(G)
    H = catalogue.reject_match(G, tp, "web_feedback_form")
    assert "web_feedback_form" not in catalogue.covered_keys(H)
    K = catalogue.confirm_match(H, tp, "web_feedback_form")
    (m,) = [m for m in catalogue.catalogue_matches(K) if m.key == "web_feedback_form"]
    assert m.how == "id" and K.nodes[tp]["catalogue_rejected"] == ""


@pytest.mark.parametrize("map_id", ["shop-current", "shop-future"])
def test_the_shop_samples_cover_all_twelve_website_touchpoints(map_id):
    from pathlib import Path

    from cjm import catalogue
    from cjm.io.jsonio import read_json

    G = read_json(Path(__file__).resolve().parents[2] / "sample_data" / "maps" / f"{map_id}.json")
    website = [e.key for e in catalogue.catalogue("en") if e.group == "website"]
    assert len(website) == 12 and set(website) <= catalogue.covered_keys(G)
