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
