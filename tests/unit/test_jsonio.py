"""The JSON format: node-link data, exact round-trip, every problem of a broken file named."""

import json

import networkx as nx
import pytest

from cjm import model
from cjm.errors import FileFormatError, ValidationError
from cjm.io import jsonio


def _map():
    G = model.new_map("Round trip", map_id="rt", persona={"name": "Мария"})
    a = model.add_touchpoint(G, "Сайт", "consideration", emotion=1.5, votes=[{"participant": "a", "score": 1.5}])
    b = model.add_touchpoint(
        G, "Оплата", "purchase", emotion=None, comments=[{"author": "x", "text": "Долго", "time": "t"}]
    )
    model.add_transition(G, a, b, users=120, label="checkout")
    return jsonio.from_data(jsonio.to_data(G))


def test_load_save_load_is_exact():
    G = _map()
    text = jsonio.dumps(G)
    H = jsonio.loads(text)
    assert jsonio.graphs_equal(G, H)
    assert jsonio.dumps(H) == text


def test_a_file_loads_with_plain_networkx():
    data = json.loads(jsonio.dumps(_map()))
    G = nx.node_link_graph(data)
    assert G.is_directed() and G.nodes["tp-1"]["name"] == "Сайт" and G.edges["tp-1", "tp-2"]["users"] == 120


def test_cyrillic_text_is_kept_as_characters_not_escapes():
    assert "Оплата" in jsonio.dumps(_map())


def test_duplicate_ids_and_dangling_transitions_are_all_reported():
    data = json.loads(jsonio.dumps(_map()))
    data["nodes"].append(dict(data["nodes"][0]))
    data["edges"].append({"source": "tp-1", "target": "ghost", "users": None, "label": ""})
    with pytest.raises(ValidationError) as info:
        jsonio.from_data(data)
    messages = [str(p) for p in info.value.problems]
    assert any("duplicate touchpoint id" in m for m in messages)
    assert any("no touchpoint 'ghost'" in m for m in messages)


def test_a_broken_json_file_names_line_and_column():
    with pytest.raises(FileFormatError, match="line 1, column"):
        jsonio.loads('{"nodes": [', source="x.json")


def test_an_empty_file_is_a_clear_error():
    with pytest.raises(FileFormatError, match="empty"):
        jsonio.loads(b"  ")


def test_an_unknown_format_version_is_refused():
    data = json.loads(jsonio.dumps(_map()))
    data["cjm_format"] = 99
    with pytest.raises(FileFormatError, match="version 99"):
        jsonio.from_data(data)


def test_invalid_touchpoint_values_in_a_file_are_reported_with_their_place():
    data = json.loads(jsonio.dumps(_map()))
    data["nodes"][0]["emotion"] = 9
    with pytest.raises(ValidationError) as info:
        jsonio.from_data(data, source="bad.json")
    assert "bad.json" in str(info.value) and "touchpoint 'tp-1', field 'emotion'" in str(info.value)
