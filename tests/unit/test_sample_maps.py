"""The six sample maps every page demos (sample_data/maps/*.json, the source of truth): present, valid,
loadable by plain networkx, and written back exactly as read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from cjm import model, schema
from cjm.io.jsonio import dumps, graphs_equal, loads, read_json
from cjm.validation import validate_map

ROOT = Path(__file__).resolve().parents[2]
MAPS_DIR = ROOT / "sample_data" / "maps"
MAP_IDS = (
    "airline-current",
    "airline-day",
    "airline-future",
    "airline-blueprint",
    "airline-competitor",
    "shop-current",
    "shop-future",
)
CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def _path(map_id: str) -> Path:
    return MAPS_DIR / f"{map_id}.json"


@pytest.fixture(scope="module")
def maps() -> dict[str, nx.DiGraph]:
    return {map_id: read_json(_path(map_id)) for map_id in MAP_IDS}


def test_sample_folder_holds_exactly_the_seven_maps():
    assert sorted(p.stem for p in MAPS_DIR.glob("*.json")) == sorted(MAP_IDS)


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_each_sample_map_validates_and_its_id_matches_the_file_name(map_id, maps):
    G = maps[map_id]
    validate_map(G)
    assert G.graph["id"] == map_id
    assert G.graph["map_type"] in schema.MAP_TYPES


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_each_sample_map_loads_with_plain_networkx_node_link_graph(map_id, maps):
    with _path(map_id).open(encoding="utf-8") as f:
        H = nx.node_link_graph(json.load(f))
    assert set(H.nodes) == set(maps[map_id].nodes)
    assert set(H.edges) == set(maps[map_id].edges)


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_each_sample_map_round_trips_exactly(map_id):
    text = _path(map_id).read_text(encoding="utf-8")
    G = loads(text)
    assert dumps(G) == text
    assert graphs_equal(G, loads(dumps(G)))


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_each_sample_map_has_12_to_30_touchpoints_in_known_stages(map_id, maps):
    G = maps[map_id]
    assert 12 <= G.number_of_nodes() <= 30
    stage_ids = {s["id"] for s in model.stages(G)}
    assert all(d["stage"] in stage_ids for _, d in G.nodes(data=True))
    # every stage shows something, so no column of a map is empty
    assert all(model.touchpoints_by_stage(G).values())


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_each_sample_map_has_a_conversion_point_and_a_branch_or_loop(map_id, maps):
    G = maps[map_id]
    assert model.conversion_points(G)
    has_branch = any(G.out_degree(n) >= 2 for n in G)
    assert has_branch or model.back_edges(G)


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_each_sample_map_uses_five_channels_and_five_categories(map_id, maps):
    G = maps[map_id]
    assert len({d["channel"] for _, d in G.nodes(data=True)} - {""}) >= 5
    assert len({d["category"] for _, d in G.nodes(data=True)} - {""}) >= 5


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_each_sample_map_has_pains_opportunities_and_varied_emotions(map_id, maps):
    G = maps[map_id]
    emotions = [d["emotion"] for _, d in G.nodes(data=True) if d["emotion"] is not None]
    future = G.graph["map_type"] == "future_state"
    # a current journey has real lows; a future one still has a dip or two, just shallower
    assert min(emotions) <= (-0.5 if future else -1.5) and max(emotions) >= 1.0
    assert len(set(emotions)) >= 5
    assert len(model.pain_points(G)) >= 3
    assert sum(1 for _, d in G.nodes(data=True) if d["opportunity"].strip()) >= 8


@pytest.mark.parametrize("map_id", ["airline-current", "shop-current"])
def test_current_state_maps_show_missing_touchpoints_and_the_main_path_funnel(map_id, maps):
    G = maps[map_id]
    assert model.missing_touchpoints(G)
    assert len(model.conversion_points(G)) >= 2
    assert model.back_edges(G)
    assert any(G.out_degree(n) >= 2 for n in G)
    counted = [d["users"] for _, d in G.nodes(data=True) if d["users"] is not None]
    assert len(counted) >= 12
    assert sum(1 for *_, d in G.edges(data=True) if d["users"] is not None) >= 15


def test_airline_current_has_audit_tasks_overdue_and_future_votes_and_comments(maps):
    G = maps["airline-current"]
    today = "2026-11-26"
    tasks = [d for _, d in G.nodes(data=True) if d["task"]]
    assert any(d["deadline"] < today and d["task_status"] != "done" for d in tasks)
    assert any(d["deadline"] > today for d in tasks)
    assert {d["task_status"] for d in tasks} == {"todo", "in_progress", "done"}
    voted = [n for n, d in G.nodes(data=True) if d["votes"]]
    assert len(voted) >= 4
    for n in voted:
        scores = [v["score"] for v in G.nodes[n]["votes"]]
        assert 3 <= len(scores) <= 6
        assert G.nodes[n]["emotion"] == pytest.approx(sum(scores) / len(scores), abs=1e-3)
    assert sum(1 for _, d in G.nodes(data=True) if d["comments"]) >= 2
    assert sum(1 for _, d in G.nodes(data=True) if d["key_touchpoint"]) >= 3
    assert {d["evidence"] for _, d in G.nodes(data=True)} == set(schema.EVIDENCE_LEVELS)


def test_airline_current_main_path_counts_form_a_decreasing_funnel(maps):
    G = maps["airline-current"]
    path = ["ad-social", "aggregator-search", "fare-page", "seat-extras", "payment", "confirmation-email"]
    users = [G.nodes[n]["users"] for n in path]
    assert users == sorted(users, reverse=True) and users[0] > users[-1]
    assert all(G.has_edge(u, v) for u, v in zip(path, path[1:], strict=False))


@pytest.mark.parametrize("map_id", ["airline-current", "airline-blueprint"])
def test_airline_maps_fill_the_blueprint_lanes(map_id, maps):
    G = maps[map_id]
    filled = [n for n, d in G.nodes(data=True) if all(d[lane].strip() for lane in schema.BLUEPRINT_LANES)]
    share = len(filled) / G.number_of_nodes()
    assert share >= (1.0 if map_id == "airline-blueprint" else 0.6)


def test_the_day_in_life_map_has_a_time_on_every_touchpoint_and_moments_without_the_company(maps):
    G = maps["airline-day"]
    assert G.graph["map_type"] == "day_in_life"
    times = [G.nodes[n]["time_of_day"] for n in model.touchpoints_in_order(G)]
    assert all(times)
    assert times == sorted(times)  # the day reads left to right
    absent = [n for n, d in G.nodes(data=True) if not d["company_present"]]
    assert 4 <= len(absent) < G.number_of_nodes() - 4


@pytest.mark.parametrize(
    ("future_id", "baseline_id"), [("airline-future", "airline-current"), ("shop-future", "shop-current")]
)
def test_future_maps_point_at_their_baseline_and_share_its_touchpoint_ids(future_id, baseline_id, maps):
    future, baseline = maps[future_id], maps[baseline_id]
    assert future.graph["map_type"] == "future_state"
    assert future.graph["baseline_id"] == baseline_id
    assert set(baseline.nodes) <= set(future.nodes)
    statuses = {d["status"] for _, d in future.nodes(data=True)}
    assert {"planned", "retired"} <= statuses
    # every gap of the current state is planned; the future-state workshop found a new one
    for n in model.missing_touchpoints(baseline):
        assert future.nodes[n]["status"] == "planned"
    new_gaps = set(model.missing_touchpoints(future)) - set(baseline)
    assert new_gaps
    # the pains that hurt most are eased
    worst = [n for n, d in baseline.nodes(data=True) if d["emotion"] is not None and d["emotion"] <= -1.5]
    assert worst and all(future.nodes[n]["emotion"] > baseline.nodes[n]["emotion"] for n in worst)


def test_future_maps_project_higher_conversion_than_their_baseline(maps):
    for future_id, baseline_id, first, last in (
        ("airline-future", "airline-current", "fare-page", "confirmation-email"),
        ("shop-future", "shop-current", "view-product", "order-confirmed"),
    ):
        f, b = maps[future_id], maps[baseline_id]
        future_rate = f.nodes[last]["users"] / f.nodes[first]["users"]
        baseline_rate = b.nodes[last]["users"] / b.nodes[first]["users"]
        assert future_rate > baseline_rate, future_id


@pytest.mark.parametrize("map_id", ["shop-current", "shop-future"])
def test_the_shop_maps_are_in_russian(map_id, maps):
    G = maps[map_id]
    assert G.graph["language"] == "ru"
    assert CYRILLIC.search(G.graph["title"]) and CYRILLIC.search(G.graph["persona"]["name"])
    assert all(CYRILLIC.search(d["name"]) for _, d in G.nodes(data=True))
    assert all(CYRILLIC.search(s["name"]) for s in model.stages(G))
    texts = [c["text"] for _, d in G.nodes(data=True) for c in d["comments"]]
    assert texts and all(CYRILLIC.search(t) for t in texts)


def test_the_shop_funnel_steps_are_on_the_main_path(maps):
    G = maps["shop-current"]
    # the e-commerce funnel events (view_product … order_confirmed) of the sample event log
    path = ["view-product", "add-to-cart", "checkout", "payment", "order-confirmed"]
    assert all(nx.has_path(G, u, v) for u, v in zip(path, path[1:], strict=False))
    users = [G.nodes[n]["users"] for n in path]
    assert users == sorted(users, reverse=True)


def test_no_generator_script_stands_behind_the_sample_files():
    # the JSON files are the source of truth, edited through the app or by hand
    assert not (ROOT / "scripts" / "build_samples.py").exists()
    for map_id in MAP_IDS:
        assert json.loads(_path(map_id).read_text(encoding="utf-8"))["cjm_format"] == schema.FORMAT_VERSION


@pytest.mark.parametrize("map_id", MAP_IDS)
def test_an_edit_to_a_sample_map_changes_only_that_value_in_its_file(map_id):
    original = _path(map_id).read_text(encoding="utf-8")
    G = loads(original)
    tp_id = model.touchpoints_in_order(G)[0]
    G.nodes[tp_id]["thought"] = "Edited by hand"
    before, after = original.splitlines(), dumps(G).splitlines()
    # the file stays diff-friendly: one line changes, nothing is reordered
    changed = [(a, b) for a, b in zip(before, after, strict=True) if a != b]
    assert len(changed) == 1 and '"thought": "Edited by hand"' in changed[0][1]
