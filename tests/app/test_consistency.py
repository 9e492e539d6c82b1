"""No page, chart or export disagrees with another (docs/definitions.md): for every sample map, and a
map built where the old copies of the rules disagreed, each quantity is read off every page (AppTest
through app.py), the one-page summary, the journey-map figure and the command line, and compared
with the core's one definition.
"""

import html
import json
import re
from pathlib import Path

import networkx as nx
import pytest

from cjm import model
from cjm.cli import main as cli
from cjm.i18n import t
from cjm.io import jsonio
from cjm.io.report import summary_html
from cjm.overview import map_metrics
from cjm.store import get_store
from cjm.text import fmt_emotion, fmt_int
from tests.hostile import plain

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = {jsonio.read_json(p).graph["id"]: p for p in sorted((ROOT / "sample_data" / "maps").glob("*.json"))}
EDGE = "edge-cases"
MAPS = [*SAMPLES, EDGE]
#: One rule for an emotion on screen, per language: one decimal, a real minus, + when positive.
EMOTION_RE = {"en": re.compile(r"^(0\.0|[+−]\d\.\d)$"), "ru": re.compile(r"^(0,0|[+−]\d,\d)$")}


def _edge_map() -> nx.DiGraph:
    """Where the old copies disagreed: an entry point counted only by its outgoing transitions (the map
    showed 500, the overview nothing), a retired start, a dead end before the conversion, a loop that
    never converts, and an after-purchase tail that is neither a dead end nor lost."""
    G = model.new_map("Edge cases", map_id=EDGE)
    for tp, stage, extra in [
        ("old", "awareness", {"status": "retired"}),
        ("ad", "awareness", {"emotion": -1.0}),
        ("faq", "interest", {"emotion": 0.0}),
        ("blog", "interest", {"emotion": 0.5}),
        ("more", "intent", {}),
        ("site", "intent", {"emotion": 1.25}),
        ("pay", "purchase", {"conversion_point": True, "emotion": -0.04}),
        ("mail", "retention", {"emotion": 2.0}),
        ("survey", "loyalty", {"emotion": -2.0}),
    ]:
        model.add_touchpoint(G, tp.title(), stage, id=tp, **extra)
    for u, v, users in [
        ("old", "ad", None),
        ("ad", "site", 18455),
        ("ad", "faq", 1200),
        ("ad", "blog", 345),
        ("blog", "more", 300),
        ("more", "blog", 100),
        ("site", "pay", 7300),
        ("pay", "mail", 7000),
        ("mail", "survey", 2500),
    ]:
        model.add_transition(G, u, v, users=users)
    return G


def test_the_edge_map_is_one_where_the_definitions_used_to_disagree():
    G = _edge_map()
    assert model.entry_points(G) == ["ad"]  # not the retired start
    assert model.touchpoint_users(G, "ad") == 18455 + 1200 + 345  # from its outgoing transitions
    assert model.dead_ends(G) == ["faq"]
    assert model.no_way_to_conversion(G) == ["faq", "blog", "more"]  # not mail and survey: converted already


@pytest.fixture
def stored(tmp_path):
    """Every sample map and the edge map in the app's store; ``(graph, file)`` by map id."""
    store = get_store()
    store.create(_edge_map(), author="test")
    out = {}
    for map_id in MAPS:
        G = store.load(map_id).graph
        path = tmp_path / f"{map_id}.json"
        jsonio.write_json(G, path)
        out[map_id] = (G, path)
    return out


def _visit(at, page: str):
    """``at`` switched to ``page`` (one AppTest walks through every page: cheaper than a fresh one each)."""
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def _cli(capsys, *argv, codes=(0,)) -> str:
    capsys.readouterr()
    assert cli(list(argv)) in codes
    return capsys.readouterr().out


def _names(G, nodes) -> list[str]:
    return [str(G.nodes[n].get("name") or n) for n in nodes]


def _quoted(text: str) -> list[str]:
    return re.findall(r"«(.+?)»", text)


def _finding_names(texts, key: str, lang: str) -> list[str] | None:
    """The touchpoints named by the health finding ``key`` among ``texts`` (None when not shown)."""
    prefix = t(key, lang).split("{names}")[0]
    shown = [x for x in texts if x.startswith(prefix)]
    assert len(shown) <= 1, shown
    return _quoted(shown[0]) if shown else None


def _summary_findings(G, lang: str) -> list[str]:
    page = summary_html([G], lang=lang)
    items = re.findall(r'<li class="lvl-[a-z]+">(.*?)</li>', page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", item)).split(" · ", 1)[-1] for item in items]


def _plotly_data(page_html: str) -> list[dict]:
    """The traces of the first plotly figure in an HTML page (as ``export --format html`` writes it)."""
    start = page_html.index("Plotly.newPlot(")
    after_id = page_html.index(",", start) + 1
    data, _ = json.JSONDecoder().raw_decode(page_html[after_id:].lstrip())
    return data


def _users_labels(traces) -> list[str]:
    bars = [tr for tr in traces if (tr.get("meta") or {}).get("lane") == "users" and tr.get("type") == "bar"]
    return sorted(label.split("<br>")[0] for tr in bars for label in tr.get("hovertext") or [])


def _emotion_labels(traces) -> list[str]:
    points = [tr for tr in traces if (tr.get("meta") or {}).get("role") == "emotion_points"]
    return sorted(label for tr in points for label in tr.get("text") or [])


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("map_id", MAPS)
def test_every_page_and_export_agrees_with_the_one_definition(make_app, stored, capsys, tmp_path, map_id, lang):
    G, path = stored[map_id]
    entries = model.entry_points(G)
    users = model.users_by_touchpoint(G)
    dead, no_way = model.dead_ends(G), model.no_way_to_conversion(G)
    only_no_way = [n for n in no_way if n not in dead]  # the health check does not repeat dead ends
    emotions = sorted(fmt_emotion(G.nodes[n]["emotion"], lang) for n in G if G.nodes[n].get("emotion") is not None)
    assert all(EMOTION_RE[lang].match(e) for e in emotions), emotions
    at = make_app(lang=lang, map_id=map_id)

    # Journey map page and the figure the export command writes: people at each touchpoint, emotions.
    _visit(at, "journey_map")
    page_traces = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    out = tmp_path / "map.html"
    _cli(capsys, "export", map_id, "--format", "html", "--lang", lang, "-o", str(out))
    exported = _plotly_data(out.read_text(encoding="utf-8"))
    if G.graph.get("map_type") in ("current_state", "future_state"):  # the types with a users lane
        expected = sorted(fmt_int(u, lang) for u in users.values())
        assert _users_labels(page_traces) == _users_labels(exported) == expected
    if G.graph.get("map_type") != "service_blueprint":  # the blueprint has no emotion lane
        assert _emotion_labels(page_traces) == _emotion_labels(exported) == emotions

    # Executive overview, the one-page summary and the check and summary commands: health findings,
    # people at the entry points, emotion.
    _visit(at, "overview")
    shown = [e.value.replace("\\", "") for e in [*at.error, *at.warning]]
    summary = summary_html([G], lang=lang)
    summary_findings = _summary_findings(G, lang)
    checked = json.loads(_cli(capsys, "check", str(path), "--json", "--lang", lang, codes=(0, 1)))[0]["findings"]
    for key, nodes, check in (
        ("health.dead_end", dead, "dead_end"),
        ("health.no_way_to_conversion", only_no_way, "no_way_to_conversion"),
    ):
        expected = _names(G, nodes) or None
        assert _finding_names(shown, key, lang) == expected, (key, shown)
        assert _finding_names(summary_findings, key, lang) == expected, (key, summary_findings)
        assert [f["touchpoints"] for f in checked if f["check"] == check] == ([nodes] if nodes else [])
    m = map_metrics(G)
    average = fmt_emotion(m.average_emotion, lang)
    assert {x.label: x.value for x in at.metric}[t("overview.metric.average", lang)] == average
    assert f'<div class="value">{html.escape(average)}</div>' in summary
    assert average in _cli(capsys, "summary", str(path), "--format", "text", "--lang", lang)
    if m.conversion is not None:
        entered = fmt_int(sum(model.touchpoint_users(G, n) for n in entries), lang)
        assert m.entered == sum(users[n] for n in entries)
        detail = t("overview.metric.conversion_help", lang, converted=fmt_int(m.converted, lang), entered=entered)
        assert detail in [plain(c.value) for c in at.caption] and html.escape(detail) in summary

    # Emotion curve page: every emotion in its tables follows the one rule.
    _visit(at, "emotion_curve")
    skip = {
        t(k, lang)
        for k in (
            "curve.col.stage",
            "curve.col.phase",
            "field.name",
            "curve.col.votes",
            "curve.col.std",
            "curve.col.map",
            "curve.col.touchpoints",
            "curve.col.channels",
            "curve.col.names",
        )
    }
    for frame in at.dataframe:
        for column in frame.value.columns:
            values = [str(v) for v in frame.value[column]]
            assert column in skip or all(v == "—" or EMOTION_RE[lang].match(v) for v in values), (column, values)

    # Journey flow page (last: its target picker's state does not survive a page switch in AppTest) and
    # the flow command: entry points, dead ends, no way to a conversion, emotions.
    _visit(at, "flow")
    assert next(m.value for m in at.metric if m.label == t("flow.metric.entries", lang)) == str(len(entries))
    titles = [m.value for m in at.markdown]
    assert f"**{t('flow.dead_ends_title', lang, n=len(dead))}**" in titles
    assert f"**{t('flow.no_way_title', lang, n=len(no_way))}**" in titles
    bullets = [x.value for x in at.text if x.value.startswith("• ")]
    assert bullets == ["• " + n for n in _names(G, [*model.unreachable(G), *dead, *no_way])]
    for frame in at.dataframe:  # the table of paths
        for column in (t("flow.col.mean_emotion", lang), t("flow.col.min_emotion", lang)):
            if column in frame.value.columns:
                assert all(EMOTION_RE[lang].match(str(v)) or v == "—" for v in frame.value[column]), column
    for caption in (c.value for c in at.caption):
        for v in re.findall(re.escape(t("flow.mean_emotion", lang, v="§")).replace("§", r"(\S+)"), caption):
            assert EMOTION_RE[lang].match(v), caption
    flow_json = json.loads(_cli(capsys, "flow", str(path), "--format", "json"))
    assert flow_json["entries"] == entries
    assert flow_json["dead_ends"] == dead and flow_json["no_way_to_conversion"] == no_way


def test_the_edge_map_shows_the_entry_points_people_on_every_page_in_russian(make_app, stored):
    # The bug this issue started from: the map showed 500 people at the entry, the overview nothing.
    entered = fmt_int(18455 + 1200 + 345, "ru")
    assert entered == "20\u202f000"
    at = make_app(lang="ru", map_id=EDGE)
    assert any(entered in plain(c.value) for c in _visit(at, "overview").caption)
    assert entered in _users_labels(json.loads(_visit(at, "journey_map").get("plotly_chart")[0].proto.spec)["data"])
