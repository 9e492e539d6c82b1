"""The touchpoint-audit and journey-flow pages through app.py (AppTest), on a fresh seeded database."""

import json
from pathlib import Path

import pytest

from cjm import audit, flow, model
from cjm.store import get_store
from tests.hostile import plain

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "maps").glob("*.json"))
SAMPLE_IDS = [json.loads(p.read_text(encoding="utf-8"))["graph"]["id"] for p in SAMPLES]


def open_page(make_app, page, map_id="shop-current", lang="en"):
    at = make_app(lang=lang, map_id=map_id)
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def metric(at, label):
    return next(m.value for m in at.metric if m.label == label)


def edit(at, step, rows):
    """The data-editor recipe (docs/live-editing.md): put the edit state into the table's key, then run."""
    key = at.session_state["audit.tables.keys"][step]
    at.session_state[key] = {"edited_rows": rows, "added_rows": [], "deleted_rows": []}
    return at.run()


def errors(at):
    return " ".join(plain(e.value) for e in at.error)


def save_errors(at):
    """Errors other than the (red, on purpose) list of overdue tasks."""
    return " ".join(e.value for e in at.error if "overdue" not in e.value and "Просрочено" not in e.value)


def test_there_are_sample_maps_to_render():
    assert len(SAMPLE_IDS) >= 4


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("map_id", SAMPLE_IDS)
def test_the_audit_page_renders_every_sample_map_in_both_languages(make_app, map_id, lang):
    at = open_page(make_app, "audit", map_id, lang)
    G = get_store().load(map_id).graph
    assert at.title[0].value == ("Touchpoint audit" if lang == "en" else "Аудит точек контакта")
    label = "Touchpoints" if lang == "en" else "Точки контакта"
    assert metric(at, label) == str(G.number_of_nodes())
    assert len(at.tabs) == 6 and at.tabs[0].label.startswith("1.")
    assert len(at.get("plotly_chart")) == 3  # two coverage heatmaps and the priority matrix


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("map_id", SAMPLE_IDS)
def test_the_flow_page_renders_every_sample_map_in_both_languages(make_app, map_id, lang):
    at = open_page(make_app, "flow", map_id, lang)
    G = get_store().load(map_id).graph
    assert at.title[0].value == ("Journey flow" if lang == "en" else "Маршруты клиентов")
    label = "Entry points" if lang == "en" else "Точки входа"
    assert metric(at, label) == str(len(model.entry_points(G)))
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert [s["data"][0]["type"] for s in specs][1] == "sankey"
    assert len(specs) == 2


def _unscored_key_row(map_id):
    G = get_store().load(map_id).graph
    frame = audit.audit_frame(G, audit.STEP_FIELDS["evaluate"], only_key=True)
    row = int(frame.index[frame["score"].isna()][0])
    return G, row, frame.loc[row, "id"]


def test_an_evaluation_is_stored_as_a_new_version_and_survives_a_fresh_run(make_app):
    G, row, tp = _unscored_key_row("shop-current")
    before = get_store().latest_version("shop-current")
    at = open_page(make_app, "audit")
    key_count = metric(at, "Key touchpoints")
    assert metric(at, "Evaluated") == f"{int(key_count) - 1} / {key_count}"
    at = edit(at, "evaluate", {row: {"score": 2, "evaluated_by": "mystery_shopper", "evaluation_note": "Slow"}})
    assert not at.exception and not save_errors(at), errors(at)
    stored = get_store().load("shop-current")
    assert stored.version == before + 1 and stored.author
    node = stored.graph.nodes[tp]
    assert (node["score"], node["evaluated_by"], node["evaluation_note"]) == (2, "mystery_shopper", "Slow")
    assert G.nodes[tp]["name"] in stored.note
    assert any("version" in s.value for s in at.success)

    fresh = open_page(make_app, "audit")
    assert metric(fresh, "Evaluated") == f"{key_count} / {key_count}"


def test_ranking_and_a_task_are_stored_and_a_new_key_touchpoint_counts(make_app):
    at = open_page(make_app, "audit", "airline-day")
    assert metric(at, "Key touchpoints") == "0"
    at = edit(at, "select", {0: {"key_touchpoint": True, "importance": 5}})
    assert not save_errors(at), errors(at)
    G = get_store().load("airline-day").graph
    first = model.touchpoints_in_order(G)[0]
    assert G.nodes[first]["key_touchpoint"] and G.nodes[first]["importance"] == 5
    at = edit(at, "tasks", {1: {"task": "Call back within 10 minutes", "owner": "Olga", "deadline": "2020-01-31"}})
    assert not save_errors(at), errors(at)
    second = model.touchpoints_in_order(get_store().load("airline-day").graph)[1]
    node = get_store().load("airline-day").graph.nodes[second]
    assert (node["owner"], node["deadline"]) == ("Olga", "2020-01-31")
    fresh = open_page(make_app, "audit", "airline-day")
    assert metric(fresh, "Key touchpoints") == "1" and metric(fresh, "Overdue tasks") == "1"
    assert "Olga" not in errors(fresh) and "1 overdue" in errors(fresh)


def test_an_invalid_edit_names_the_touchpoint_and_field_and_is_not_saved(make_app):
    G, row, tp = _unscored_key_row("shop-current")
    before = get_store().latest_version("shop-current")
    at = open_page(make_app, "audit")
    at = edit(at, "evaluate", {row: {"score": 9}})
    assert not at.exception
    message = errors(at)
    assert "Not saved" in message and G.nodes[tp]["name"] in message and "Score" in message
    assert get_store().latest_version("shop-current") == before
    assert get_store().load("shop-current").graph.nodes[tp]["score"] is None


def test_an_edit_made_while_someone_else_saved_is_merged_not_lost(make_app):
    G, row, tp = _unscored_key_row("shop-current")
    at = open_page(make_app, "audit")
    store = get_store()
    other = store.load("shop-current")
    other.graph.nodes[tp]["owner"] = "Someone else"
    store.save(other.graph, expected_version=other.version, author="bob")
    at = edit(at, "evaluate", {row: {"score": 3}})  # typed into the table drawn for the old version
    assert not at.exception and not save_errors(at), errors(at)
    latest = store.load("shop-current")
    assert latest.version == other.version + 2  # bob's version, then ours on top of it
    assert latest.graph.nodes[tp]["score"] == 3 and latest.graph.nodes[tp]["owner"] == "Someone else"


def test_an_edit_of_a_field_someone_else_changed_meanwhile_keeps_the_later_value_and_tells_the_user(make_app):
    G, row, tp = _unscored_key_row("shop-current")
    at = open_page(make_app, "audit")
    store = get_store()
    other = store.load("shop-current")
    other.graph.nodes[tp]["score"] = 5
    store.save(other.graph, expected_version=other.version, author="bob")
    at = edit(at, "evaluate", {row: {"score": 1}})
    assert not at.exception and not save_errors(at), errors(at)
    warning = " ".join(w.value for w in at.warning).replace("\\", "")  # Markdown escapes off
    assert "changed these fields meanwhile" in warning and G.nodes[tp]["name"] in warning and "Score" in warning
    latest = store.load("shop-current")
    assert latest.version == other.version + 2 and latest.graph.nodes[tp]["score"] == 1, "the later edit wins"
    assert store.load("shop-current", other.version + 1).graph.nodes[tp]["score"] == 5, "bob's value stays in history"


def test_one_click_adds_a_missing_typical_touchpoint_as_a_new_version(make_app):
    at = open_page(make_app, "audit", "airline-day", "ru")
    before = get_store().latest_version("airline-day")
    at.radio(key="audit.add_status").set_value("planned").run()
    at.button(key="audit.add.chat").click().run()
    assert not at.exception and not save_errors(at), errors(at)
    stored = get_store().load("airline-day")
    assert stored.version == before + 1
    node = stored.graph.nodes["cat-chat"]
    assert (node["name"], node["status"], node["channel"]) == ("Чат", "planned", "messenger")
    assert not any(b.key == "audit.add.chat" for b in at.button)


def test_filters_narrow_the_inventory_and_the_task_list_downloads(make_app):
    at = open_page(make_app, "audit")
    at.multiselect(key="audit.channels").set_value(["website"]).run()
    assert not at.exception
    assert any("Showing" in c.value for c in at.caption)
    downloads = at.get("download_button")
    assert len(downloads) == 2


def test_choosing_a_conversion_point_narrows_the_paths(make_app):
    at = open_page(make_app, "flow", "shop-current")
    G = get_store().load("shop-current").graph
    conversions = model.conversion_points(G)
    assert metric(at, "Conversion points") == str(len(conversions))
    at.selectbox(key="flow.target").set_value(conversions[-1]).run()
    assert not at.exception
    assert metric(at, "Conversion points") == "1"
    expected = flow.analyse(G, targets=[conversions[-1]], cutoff=25)
    paths = metric(at, "Paths")
    assert paths.rstrip("+") == str(len(expected.stats))


def test_the_flow_page_lists_loops_left_out_of_the_sankey(make_app):
    at = open_page(make_app, "flow", "shop-current")
    G = get_store().load("shop-current").graph
    assert model.back_edges(G)
    assert any("cannot draw loops" in m.value for m in at.markdown)


@pytest.mark.parametrize("page", ["audit", "flow"])
def test_an_empty_map_and_a_map_without_transitions_render_without_errors(make_app, page):
    store = get_store()
    empty = model.new_map("Blank", map_id="blank")
    store.create(empty, author="test")
    loose = model.new_map("Loose", map_id="loose", map_type="day_in_life")
    for name in ("Alarm", "Coffee", "Commute"):
        model.add_touchpoint(loose, name, "morning")
    store.create(loose, author="test")
    for map_id in ("blank", "loose"):
        at = open_page(make_app, page, map_id, "ru")
        assert not at.exception and not save_errors(at), errors(at)
    if page == "flow":
        # Without transitions the map reads in journey order: nothing is unreachable (as in the health checks).
        assert metric(at, "Недостижимые") == "0" and any("нет переходов" in i.value for i in at.info)


def test_a_facilitator_rejects_and_confirms_catalogue_matches_by_similar_name(make_app):
    from cjm import catalogue

    at = open_page(make_app, "audit", "shop-current")
    before = [m for m in catalogue.catalogue_matches(get_store().load("shop-current").graph) if m.how == "similar"]
    assert before, "the shop sample has descriptive names matched by similarity"
    first, second = before[0], before[1]
    assert any(e.label.startswith("Matches by similar name to confirm") for e in at.expander)
    at.button(key=f"audit.match_no.{first.touchpoint}.{first.key}").click().run()
    assert not at.exception
    G = get_store().load("shop-current").graph
    assert first.key in G.nodes[first.touchpoint]["catalogue_rejected"].split(",")
    assert first.key not in catalogue.covered_keys(G) or any(
        m.key == first.key and m.touchpoint != first.touchpoint for m in catalogue.catalogue_matches(G)
    )
    at.button(key=f"audit.match_yes.{second.touchpoint}.{second.key}").click().run()
    assert not at.exception
    G = get_store().load("shop-current").graph
    assert G.nodes[second.touchpoint]["catalogue_id"] == second.key


def _cells(at) -> list[str]:
    return [str(v) for df in at.dataframe for v in df.value.to_numpy().ravel() if v is not None]


def test_flow_tables_write_shares_and_decimals_the_russian_way(make_app):
    import re

    at = open_page(make_app, "flow", "shop-current", "ru")
    cells = _cells(at)
    shares = [c for c in cells if re.fullmatch(r"[−+]?[\d\u202f.,]+\s?%", c)]
    assert shares and all(c.endswith("\u00a0%") for c in shares), shares[:5]
    assert not [c for c in cells if re.fullmatch(r"[−-]?\d+\.\d+", c)], "a decimal point on a Russian page"
    assert not [c for c in cells if re.fullmatch(r"\d{1,3}(,\d{3})+", c)], "English digit grouping on a Russian page"


def test_the_audit_page_writes_dates_as_people_do_never_iso(make_app):
    import re

    at = open_page(make_app, "audit", "shop-current", "ru")
    G = get_store().load("shop-current").graph
    assert any(d.get("deadline") for _, d in G.nodes(data=True)), "the sample map has task deadlines"
    at.session_state["audit.tab"] = "6. Выполнить"  # tabs run lazily: the task list with its deadlines
    at.run()
    assert not at.exception
    # the tables people read (the editable grids hold dates as dates, drawn DD.MM.YYYY by the browser)
    read_only = [df for df in at.dataframe if df.editing_mode == "read_only"]
    assert read_only
    shown = " ".join(str(v) for df in read_only for v in df.value.to_numpy().ravel())
    shown += " ".join(m.value for m in at.markdown)
    assert re.search(r"\d{1,2} [а-я]{3} \d{4}", shown), "dates written in Russian"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", shown), "a raw ISO date on the audit page"
