"""Validation names every problem with its place, and converts other emotion scales explicitly."""

import networkx as nx
import pytest

from cjm import model
from cjm.errors import ValidationError
from cjm.validation import convert_emotion, validate_map


def _map():
    G = model.new_map("Test", map_id="t")
    a = model.add_touchpoint(G, "Site", "consideration", emotion=1)
    b = model.add_touchpoint(G, "Payment", "purchase", emotion=-1)
    model.add_transition(G, a, b, users=10)
    return G


def _problems(G):
    with pytest.raises(ValidationError) as info:
        validate_map(G)
    return info.value.problems


def test_a_valid_map_is_returned_with_every_field_typed():
    H = validate_map(_map())
    assert H.nodes["tp-1"]["emotion"] == 1.0 and H.nodes["tp-1"]["status"] == "existing"
    assert H.edges["tp-1", "tp-2"]["users"] == 10


def test_every_problem_is_reported_at_once_with_its_place():
    G = _map()
    G.nodes["tp-1"]["emotion"] = 7
    G.nodes["tp-1"]["stage"] = "nowhere"
    G.nodes["tp-2"]["name"] = ""
    G.nodes["tp-2"]["importance"] = "very"
    G.nodes["tp-2"]["action"] = "x" * 5000
    problems = _problems(G)
    got = {(p.location, p.field) for p in problems}
    assert got == {
        ("touchpoint 'tp-1'", "emotion"),
        ("touchpoint 'tp-1'", "stage"),
        ("touchpoint 'tp-2'", "name"),
        ("touchpoint 'tp-2'", "importance"),
        ("touchpoint 'tp-2'", "action"),
    }
    assert "7 is outside -2 … 2" in str(next(p for p in problems if p.field == "emotion"))


def test_choices_accept_english_and_russian_labels():
    G = _map()
    G.nodes["tp-1"]["channel"] = "Сайт"
    G.nodes["tp-2"]["channel"] = "Mobile app"
    G.nodes["tp-2"]["category"] = "технологии"
    H = validate_map(G)
    assert (H.nodes["tp-1"]["channel"], H.nodes["tp-2"]["channel"], H.nodes["tp-2"]["category"]) == (
        "website",
        "mobile_app",
        "technology",
    )


def test_an_unknown_channel_names_the_allowed_ones():
    G = _map()
    G.nodes["tp-1"]["channel"] = "telepathy"
    [problem] = _problems(G)
    assert problem.field == "channel" and "website" in problem.message


def test_decimal_commas_and_yes_no_words_are_read():
    G = _map()
    G.nodes["tp-1"]["emotion"] = "-1,5"
    G.nodes["tp-1"]["conversion_point"] = "да"
    H = validate_map(G)
    assert H.nodes["tp-1"]["emotion"] == -1.5 and H.nodes["tp-1"]["conversion_point"] is True


def test_an_empty_emotion_means_not_assessed_not_zero():
    G = _map()
    G.nodes["tp-1"]["emotion"] = ""
    assert validate_map(G).nodes["tp-1"]["emotion"] is None


def test_negative_transition_users_are_rejected():
    G = _map()
    G.edges["tp-1", "tp-2"]["users"] = -5
    [problem] = _problems(G)
    assert problem.location == "transition 'tp-1' → 'tp-2'" and problem.field == "users"


def test_map_level_problems_are_named():
    G = _map()
    G.graph["map_type"] = "mood_board"
    G.graph["title"] = ""
    G.graph["stages"].append({"id": "awareness", "name": "Again", "phase": "later"})
    fields = {(p.location, p.field) for p in _problems(G)}
    assert ("map", "map_type") in fields and ("map", "title") in fields
    assert ("stage 10", "id") in fields and ("stage 10", "phase") in fields


def test_a_vote_outside_the_scale_is_rejected():
    G = _map()
    G.nodes["tp-1"]["votes"] = [{"participant": "ann", "score": 5}]
    [problem] = _problems(G)
    assert problem.field == "votes"


def test_a_multigraph_is_not_a_map():
    with pytest.raises(ValidationError):
        validate_map(nx.MultiDiGraph())


@pytest.mark.parametrize(
    ("value", "scale", "expected"),
    [
        (1, "1..10", -2.0),
        (10, "1..10", 2.0),
        (5.5, "1..10", 0.0),
        (0, "0..5", -2.0),
        (3, "-3..3", 2.0),
        (-1.5, "-3..3", -1.0),
    ],
)
def test_other_emotion_scales_convert_linearly_onto_minus_two_to_two(value, scale, expected):
    assert convert_emotion(value, scale) == expected


def test_a_value_outside_the_source_scale_is_refused():
    with pytest.raises(ValueError, match="outside the scale"):
        convert_emotion(11, "1..10")
