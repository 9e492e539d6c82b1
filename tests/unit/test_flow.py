"""Journey flow analysis on small crafted graphs: paths, most travelled and worst paths,
bottlenecks, unreachable touchpoints, loops and the layout."""

from __future__ import annotations

import networkx as nx
import pytest

from cjm import flow, model


def _map(spec: list[tuple[str, str, dict]], edges: list[tuple[str, str, int | None]]) -> nx.DiGraph:
    """A map from (id, stage, fields) rows and (source, target, users) transitions; names = ids."""
    G = model.new_map("Test", map_id="test")
    for i, (tp, stage, fields) in enumerate(spec):
        model.add_touchpoint(G, tp.upper(), stage, id=tp, order=float(i), **fields)
    for u, v, users in edges:
        model.add_transition(G, u, v, users=users)
    return G


@pytest.fixture
def diamond() -> nx.DiGraph:
    """ad → (site | shop) → pay (conversion); site is unpleasant; counts make shop the main road."""
    return _map(
        [
            ("ad", "awareness", {"emotion": 1.0}),
            ("site", "consideration", {"emotion": -2.0}),
            ("shop", "consideration", {"emotion": 1.0}),
            ("pay", "purchase", {"emotion": 0.0, "conversion_point": True}),
        ],
        [("ad", "site", 600), ("ad", "shop", 400), ("site", "pay", 100), ("shop", "pay", 350)],
    )


def test_paths_go_from_every_entry_to_every_conversion_point(diamond):
    assert flow.enumerate_paths(diamond).paths == [["ad", "site", "pay"], ["ad", "shop", "pay"]]


def test_a_path_stops_at_the_first_conversion_point_and_loops_do_not_repeat_touchpoints():
    G = _map(
        [("a", "awareness", {}), ("b", "interest", {}), ("c", "purchase", {"conversion_point": True}),
         ("d", "loyalty", {"conversion_point": True})],
        [("a", "b", None), ("b", "a", None), ("b", "c", None), ("c", "d", None), ("b", "d", None)],
    )  # fmt: skip
    assert flow.enumerate_paths(G, ["a"]).paths == [["a", "b", "c"], ["a", "b", "d"]]


def test_path_search_is_bounded_and_says_so():
    # A ladder of 20 rungs has 2**20 paths; the search stops at max_paths and reports truncation.
    spec, edges = [("s", "awareness", {})], []
    prev = ["s"]
    for i in range(20):
        rung = [f"u{i}", f"l{i}"]
        spec += [(n, "consideration", {}) for n in rung]
        edges += [(p, n, None) for p in prev for n in rung]
        prev = rung
    spec.append(("t", "purchase", {"conversion_point": True}))
    edges += [(p, "t", None) for p in prev]
    G = _map(spec, edges)
    res = flow.enumerate_paths(G, max_paths=50)
    assert len(res.paths) == 50 and res.truncated
    short = flow.enumerate_paths(G, cutoff=5)
    assert short.paths == [] and short.truncated


def test_without_conversion_points_paths_end_at_exit_touchpoints():
    G = _map(
        [("a", "awareness", {}), ("b", "purchase", {}), ("c", "loyalty", {})], [("a", "b", None), ("b", "c", None)]
    )
    assert flow.journey_targets(G) == ["c"]
    assert flow.enumerate_paths(G).paths == [["a", "b", "c"]]


def test_most_travelled_path_maximises_the_users_who_can_walk_all_of_it(diamond):
    # ad→site carries more users (600) but only 100 go on to pay; via shop 350 do.
    assert flow.most_travelled_path(diamond) == ["ad", "shop", "pay"]


def test_most_travelled_path_needs_transition_counts():
    G = _map([("a", "awareness", {}), ("b", "purchase", {"conversion_point": True})], [("a", "b", None)])
    assert flow.most_travelled_path(G) is None


def test_worst_path_has_the_lowest_mean_emotion_and_the_largest_drop_off(diamond):
    stats = [flow.path_stats(diamond, p) for p in flow.enumerate_paths(diamond).paths]
    worst = flow.worst_path_by_emotion(stats)
    assert worst.path == ("ad", "site", "pay") and worst.mean_emotion == pytest.approx(-1 / 3, abs=1e-3)
    drop = flow.worst_path_by_drop_off(stats)
    # people at "ad" (no count of its own) are its outgoing 600 + 400, as everywhere (cjm.model.touchpoint_users)
    assert drop.path == ("ad", "site", "pay") and drop.drop_off == 900 and drop.drop_off_share == pytest.approx(0.9)


def test_drop_off_counts_the_starters_who_did_not_walk_the_whole_path():
    G = _map(
        [("ad", "awareness", {"users": 1000}), ("a", "interest", {}), ("b", "interest", {}),
         ("pay", "purchase", {"conversion_point": True})],
        [("ad", "a", 300), ("ad", "b", 500), ("a", "pay", 250), ("b", "pay", 900)],
    )  # fmt: skip
    stats = {s.path: s for s in (flow.path_stats(G, p) for p in flow.enumerate_paths(G).paths)}
    via_a, via_b = stats[("ad", "a", "pay")], stats[("ad", "b", "pay")]
    assert (via_a.start_users, via_a.users, via_a.drop_off) == (1000, 250, 750)
    assert (via_b.users, via_b.drop_off) == (500, 500)  # 900 reach pay from b, but only 500 came via b
    assert flow.worst_path_by_drop_off(list(stats.values())) is via_a


def test_path_stats_ignore_unassessed_emotions_and_incomplete_counts():
    G = _map(
        [("a", "awareness", {"emotion": None}), ("b", "purchase", {"emotion": -1.0}), ("c", "loyalty", {})],
        [("a", "b", 10), ("b", "c", None)],
    )
    s = flow.path_stats(G, ["a", "b", "c"])
    assert (s.mean_emotion, s.min_emotion, s.users, s.drop_off) == (-1.0, -1.0, None, None)


def test_a_touchpoint_every_path_passes_through_is_the_top_bottleneck():
    G = _map(
        [("a", "awareness", {}), ("b", "awareness", {}), ("hub", "intent", {}), ("x", "purchase", {"conversion_point": True}),
         ("y", "purchase", {"conversion_point": True}), ("side", "intent", {})],
        [("a", "hub", None), ("b", "hub", None), ("hub", "x", None), ("hub", "y", None), ("b", "side", None),
         ("side", "y", None)],
    )  # fmt: skip
    res = flow.enumerate_paths(G)
    assert len(res.paths) == 5
    table = flow.bottlenecks(G, res.paths)
    top = table.iloc[0]
    assert top["id"] == "hub" and top["paths"] == 4 and top["share"] == pytest.approx(0.8)
    assert set(table["id"]) == {"hub", "side"}
    assert isinstance(table["paths"].tolist()[0], int)


def test_unreachable_touchpoints_include_disconnected_ones_and_islands():
    G = _map(
        [("a", "awareness", {}), ("b", "purchase", {"conversion_point": True}), ("lonely", "interest", {}),
         ("i1", "retention", {}), ("i2", "loyalty", {})],
        [("a", "b", None), ("i1", "i2", None), ("i2", "i1", None)],
    )  # fmt: skip
    res = flow.analyse(G)
    assert res.entries == model.entry_points(G) == ["a"]
    assert res.unreachable == model.unreachable(G) == ["lonely", "i1", "i2"]


def test_the_flow_analysis_names_dead_ends_and_touchpoints_with_no_way_to_a_conversion_apart():
    G = _map(
        [("a", "awareness", {}), ("faq", "interest", {}), ("blog", "interest", {}), ("more", "intent", {}),
         ("b", "purchase", {"conversion_point": True}), ("mail", "retention", {})],
        [("a", "faq", None), ("a", "blog", None), ("blog", "more", None), ("more", "blog", None), ("a", "b", None),
         ("b", "mail", None)],
    )  # fmt: skip
    res = flow.analyse(G)
    assert res.dead_ends == model.dead_ends(G) == ["faq"]  # no way on before the conversion
    assert (
        res.no_way_to_conversion == model.no_way_to_conversion(G) == ["faq", "blog", "more"]
    )  # a loop that never converts
    assert "mail" not in res.no_way_to_conversion  # after the conversion: already converted


def test_loops_are_listed_from_their_earliest_touchpoint_and_bounded():
    G = _map(
        [("a", "awareness", {}), ("b", "interest", {}), ("c", "intent", {}), ("d", "purchase", {})],
        [("a", "b", None), ("b", "c", None), ("c", "a", None), ("c", "d", None), ("d", "c", None)],
    )
    assert flow.loops(G) == [["c", "d"], ["a", "b", "c"]]
    assert flow.loops(G, max_loops=1) == [["c", "d"]]
    assert flow.loops(G, length_bound=2) == [["c", "d"]]
    assert sorted(model.back_edges(G)) == [("c", "a"), ("d", "c")]
    assert sorted(flow.back_edge_table(G)[["source", "target"]].itertuples(index=False, name=None)) == [
        ("C", "A"), ("D", "C")]  # fmt: skip
    assert sorted(flow.forward_edges(G)) == [("a", "b"), ("b", "c"), ("c", "d")]


def test_layout_is_deterministic_left_to_right_and_stacks_alternatives(diamond):
    pos = flow.layered_layout(diamond)
    assert pos == flow.layered_layout(diamond.copy())
    assert pos["ad"][0] < pos["site"][0] == pos["shop"][0] < pos["pay"][0]
    assert pos["site"][1] != pos["shop"][1]
    assert abs(pos["site"][1] + pos["shop"][1]) < 1e-9  # centred


def test_layout_gives_a_chain_inside_one_stage_its_own_columns():
    G = _map(
        [("a", "awareness", {}), ("b", "awareness", {}), ("c", "awareness", {})], [("a", "b", None), ("b", "c", None)]
    )
    xs = [flow.layered_layout(G)[n][0] for n in "abc"]
    assert xs == [0.0, 1.0, 2.0]


def test_analyse_collects_everything_for_the_page(diamond):
    res = flow.analyse(diamond)
    assert res.entries == ["ad"] and res.targets == ["pay"] and res.targets_are_conversions
    assert res.most_travelled.path == ("ad", "shop", "pay") and res.most_travelled.users == 350
    assert res.worst_emotion.path[1] == "site" and res.has_counts
    assert res.unreachable == [] and res.loops == [] and res.back_edges == []
    table = flow.paths_table(diamond, res.stats)
    assert table["path"].tolist() == ["AD → SITE → PAY", "AD → SHOP → PAY"]
    assert table["users"].tolist() == [100, 350]
    table = flow.bottleneck_table(diamond, res, lang="ru")
    assert table["name"].tolist() == ["SITE", "SHOP"] and table["stage"].tolist() == ["Рассмотрение"] * 2


def test_an_empty_map_has_nothing_to_analyse():
    res = flow.analyse(model.new_map("Empty"))
    assert res.entries == [] and res.stats == [] and res.most_travelled is None and res.bottlenecks.empty


def test_layout_folds_long_chains_into_the_column_budget():
    spec = [(f"n{i}", "awareness", {}) for i in range(10)] + [("p", "purchase", {})]
    edges = [(f"n{i}", f"n{i + 1}", None) for i in range(9)] + [("n9", "p", None)]
    G = _map(spec, edges)
    assert len({x for x, _ in flow.layered_layout(G).values()}) == 11
    folded = flow.layered_layout(G, max_columns=4)
    assert len({x for x, _ in folded.values()}) <= 4
    assert folded["n0"][0] <= folded["n9"][0] < folded["p"][0]


def test_network_figure_colours_by_emotion_sizes_by_users_and_draws_loops(diamond):
    from cjm.charts.flow import network_figure

    model.add_transition(diamond, "pay", "ad", users=20)  # a loop back
    diamond.nodes["ad"]["users"] = 1000
    diamond.nodes["shop"]["emotion"] = None
    fig = network_figure(diamond, lang="ru", analysis=flow.analyse(diamond), highlight=["ad", "shop", "pay"])
    nodes = {}
    for tr in fig.data:
        if tr.customdata is not None:
            for i, n in enumerate(tr.customdata):
                color = tr.marker.color if isinstance(tr.marker.color, str) else tr.marker.color[i]
                nodes[n] = (color, tr.marker.size[i], tr.marker.symbol[i], tr.text[i])
    assert set(nodes) == {"ad", "site", "shop", "pay"}
    assert nodes["site"][0] == -2.0 and nodes["shop"][0] == "#9aa5b1"  # emotion scale; grey = not assessed
    assert nodes["ad"][1] > nodes["site"][1]  # sized by users
    assert nodes["pay"][2] == "diamond" and nodes["ad"][2] == "circle"
    assert nodes["site"][3] == "SITE"  # every node labelled on a small map
    names = {tr.name for tr in fig.data}
    assert "Возврат назад" in names and "Выделенный путь" in names
    assert diamond.has_edge("pay", "ad") and diamond.nodes["shop"]["emotion"] is None  # the map is untouched


def test_network_of_a_few_hundred_touchpoints_labels_only_the_notable_ones():
    from cjm.charts.flow import network_figure

    spec = [(f"n{i}", model.schema.DEFAULT_STAGES[i * 9 // 300][0], {"emotion": 0.0}) for i in range(300)]
    spec[-1][2]["conversion_point"] = True
    edges = [(f"n{i}", f"n{i + 1}", 10) for i in range(299)] + [(f"n{i}", f"n{i + 7}", 3) for i in range(0, 290, 5)]
    G = _map(spec, edges)
    fig = network_figure(G, analysis=flow.analyse(G))
    texts = [t for tr in fig.data if tr.customdata is not None for t in tr.text]
    assert len(texts) == 300 and 0 < sum(bool(t) for t in texts) <= 30
    assert fig.layout.height <= 3000


def test_sankey_leaves_out_loops_and_uses_user_counts_as_widths(diamond):
    from cjm.charts.flow import sankey_figure

    model.add_transition(diamond, "pay", "ad", users=20)
    sk = sankey_figure(diamond).data[0]
    pairs = {(sk.node.customdata[s], sk.node.customdata[t]): v
             for s, t, v in zip(sk.link.source, sk.link.target, sk.link.value, strict=True)}  # fmt: skip
    assert pairs == {("AD", "SITE"): 600, ("AD", "SHOP"): 400, ("SITE", "PAY"): 100, ("SHOP", "PAY"): 350}


def test_sankey_without_counts_draws_equal_widths_and_says_so():
    from cjm.charts.flow import sankey_figure

    G = _map([("a", "awareness", {}), ("b", "purchase", {})], [("a", "b", None)])
    fig = sankey_figure(G, lang="en")
    assert list(fig.data[0].link.value) == [1] and "same width" in fig.layout.title.text


def test_sankey_keeps_only_the_busiest_transitions_of_a_big_map():
    from cjm.charts.flow import sankey_figure

    spec = [(f"n{i}", "awareness", {}) for i in range(30)]
    edges = [(f"n{i}", f"n{j}", i + j) for i in range(30) for j in range(i + 1, min(30, i + 4))]
    fig = sankey_figure(_map(spec, edges), max_links=20)
    assert len(fig.data[0].link.value) == 20 and min(fig.data[0].link.value) >= 40
