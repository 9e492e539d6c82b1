"""The "Edit map" and presenter pages through app.py (AppTest), on a fresh seeded database."""

import json
from pathlib import Path

import pytest

from cjm import editing, model
from cjm.editing import RowEdits
from cjm.notes import VersionNote, note_text
from cjm.store import get_store
from cjm.text import fmt_date, md_escape
from tests.hostile import plain

SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "maps").glob("*.json"))
SAMPLE_IDS = [json.loads(p.read_text(encoding="utf-8"))["graph"]["id"] for p in SAMPLES]


def open_editor(make_app, map_id="airline-current", lang="en", layout=None):
    at = make_app(lang=lang, map_id=map_id)
    if layout:
        at.session_state["editor.preview_layout"] = layout
    at.switch_page("pages/editor.py").run()
    assert not at.exception, at.exception
    return at


def open_tab(at, label):
    """Tabs run lazily (only the selected one): select one through its session-state key."""
    at.session_state["editor.tab"] = label
    return at.run()


def write_delta(at, table, delta):
    """The data-editor recipe (docs/live-editing.md): put the edit state into the table's key, then run."""
    key = at.session_state["editor.tables.keys"][table]
    at.session_state[key] = {"edited_rows": {}, "added_rows": [], "deleted_rows": []} | delta
    return at.run()


def errors(at):
    return " ".join(plain(e.value) for e in at.error)


@pytest.mark.parametrize("lang", ["en", "ru"])
@pytest.mark.parametrize("map_id", SAMPLE_IDS)
def test_the_editor_renders_every_sample_map_in_both_languages(make_app, map_id, lang):
    at = open_editor(make_app, map_id, lang)
    G = get_store().load(map_id).graph
    assert at.header[0].value == md_escape(G.graph["title"])  # user text, shown literally
    assert "touchpoints" in at.session_state["editor.tables.keys"]
    assert not at.error
    tabs = [t.label for t in at.tabs]
    assert ("Touchpoints" if lang == "en" else "Точки контакта") in tabs
    assert ("History" if lang == "en" else "История") in tabs
    assert at.get("plotly_chart"), "the live preview draws the map"


TABS_EN = ["Touchpoints", "Transitions", "Stages", "Map & persona", "Votes, comments & catalogue", "History"]
TABS_RU = ["Точки контакта", "Переходы", "Этапы", "Карта и персона", "Голоса, комментарии и каталог", "История"]


@pytest.mark.parametrize(
    ("map_id", "lang", "tabs"), [("airline-blueprint", "en", TABS_EN), ("shop-current", "ru", TABS_RU)]
)
def test_every_tab_and_both_previews_render(make_app, map_id, lang, tabs):
    at = open_editor(make_app, map_id, lang)
    for label in tabs:
        open_tab(at, label)
        assert not at.exception, (label, at.exception)
        assert not at.error, label
    assert {"touchpoints", "transitions", "stages"} <= set(at.session_state["editor.tables.keys"])
    at.session_state["editor.preview_tab"] = "Emotion curve (live)" if lang == "en" else "Кривая эмоций (вживую)"
    at.run()
    assert not at.exception and at.get("plotly_chart")


def test_a_touchpoint_edit_written_into_the_editor_is_stored_as_a_new_version(make_app):
    at = open_editor(make_app, layout="off")
    store = get_store()
    G = store.load("airline-current").graph
    first = model.touchpoints_in_order(G)[0]
    drawn = at.session_state["editor.tables.keys"]["touchpoints"]
    write_delta(at, "touchpoints", {"edited_rows": {0: {"emotion": -1.5, "pain_point": "Too many ads"}}})
    assert not at.exception and not at.error
    stored = store.load("airline-current")
    assert stored.version == 2
    assert stored.graph.nodes[first]["emotion"] == -1.5 and stored.graph.nodes[first]["pain_point"] == "Too many ads"
    assert "Emotion" in note_text(stored.note, "en") and "Эмоция" in note_text(stored.note, "ru")
    # the editor was rebuilt from the saved version: a new key, and undo is available
    assert at.session_state["editor.tables.keys"]["touchpoints"] != drawn
    assert not at.button(key="editor.undo_btn").disabled


def test_an_added_row_and_a_stage_change_are_stored(make_app):
    at = open_editor(make_app, layout="off")
    write_delta(at, "touchpoints", {"added_rows": [{"name": "Airport lounge", "stage": "post_purchase"}]})
    G = get_store().load("airline-current").graph
    new = [n for n, d in G.nodes(data=True) if d["name"] == "Airport lounge"]
    assert len(new) == 1 and G.nodes[new[0]]["stage"] == "post_purchase"
    row = model.touchpoints_in_order(G).index(new[0])
    write_delta(at, "touchpoints", {"edited_rows": {row: {"stage": "retention"}}})
    assert get_store().load("airline-current").graph.nodes[new[0]]["stage"] == "retention"


@pytest.mark.parametrize(
    ("table", "delta", "expected"),
    [
        ("touchpoints", {"edited_rows": {0: {"emotion": 7}}}, "Emotion"),
        ("touchpoints", {"edited_rows": {1: {"name": ""}}}, "Touchpoint"),
        (
            "transitions",
            {"added_rows": [{"source": "ad-social", "target": "no-such-touchpoint"}]},
            "no-such-touchpoint",
        ),
    ],
)
def test_an_invalid_edit_shows_the_reason_and_nothing_is_stored(make_app, table, delta, expected):
    at = open_editor(make_app, layout="off")
    open_tab(at, {"touchpoints": "Touchpoints", "transitions": "Transitions"}[table])
    write_delta(at, table, delta)
    assert not at.exception
    assert get_store().latest_version("airline-current") == 1
    text = errors(at)
    assert "Not saved" in text and expected in text


def test_the_invalid_emotion_error_names_the_touchpoint_and_field_in_russian(make_app):
    at = open_editor(make_app, lang="ru", layout="off")
    write_delta(at, "touchpoints", {"edited_rows": {0: {"emotion": 7}}})
    name = (
        get_store()
        .load("airline-current")
        .graph.nodes[model.touchpoints_in_order(get_store().load("airline-current").graph)[0]]["name"]
    )
    assert "Не сохранено" in errors(at) and name in errors(at) and "Эмоция" in errors(at)
    assert get_store().latest_version("airline-current") == 1


def test_undo_and_redo_buttons_revert_and_reapply_a_saved_edit(make_app):
    at = open_editor(make_app, layout="off")
    first = model.touchpoints_in_order(get_store().load("airline-current").graph)[0]
    before = get_store().load("airline-current").graph.nodes[first]["emotion"]
    write_delta(at, "touchpoints", {"edited_rows": {0: {"emotion": 2.0}}})
    at.button(key="editor.undo_btn").click().run()
    assert not at.exception
    stored = get_store().load("airline-current")
    assert stored.version == 3 and stored.graph.nodes[first]["emotion"] == before
    assert at.button(key="editor.undo_btn").disabled and not at.button(key="editor.redo_btn").disabled
    at.button(key="editor.redo_btn").click().run()
    assert get_store().load("airline-current").graph.nodes[first]["emotion"] == 2.0


def test_an_edit_made_on_an_old_version_merges_with_what_others_saved_meanwhile(make_app):
    at = open_editor(make_app, layout="off")
    store = get_store()
    stored = store.load("airline-current")
    ids = model.touchpoints_in_order(stored.graph)
    other = editing.apply_touchpoint_edits(stored.graph, RowEdits({ids[1]: {"pain_point": "Nobody answers"}})).graph
    store.save(other, expected_version=1, author="Anna")  # another browser, meanwhile
    write_delta(at, "touchpoints", {"edited_rows": {0: {"emotion": -2.0}}})  # on the table of version 1
    G = store.load("airline-current").graph
    assert G.nodes[ids[0]]["emotion"] == -2.0 and G.nodes[ids[1]]["pain_point"] == "Nobody answers"
    assert store.latest_version("airline-current") == 3


def test_a_same_field_conflict_keeps_the_later_value_and_tells_the_user(make_app):
    at = open_editor(make_app, layout="off")
    store = get_store()
    stored = store.load("airline-current")
    first = model.touchpoints_in_order(stored.graph)[0]
    other = editing.apply_touchpoint_edits(stored.graph, RowEdits({first: {"emotion": 1.0}})).graph
    store.save(other, expected_version=1, author="Anna")
    write_delta(at, "touchpoints", {"edited_rows": {0: {"emotion": -1.0}}})
    latest = store.load("airline-current")
    assert latest.graph.nodes[first]["emotion"] == -1.0
    assert store.load("airline-current", 2).graph.nodes[first]["emotion"] == 1.0, "the earlier value stays in history"
    assert VersionNote.from_text(latest.note).has_conflicts and "“+1.0”" in note_text(latest.note, "en")
    warning = " ".join(w.value for w in at.warning).replace("\\", "")  # Markdown escapes off
    assert "Anna" in warning and "“−1.0”" in warning and "“+1.0”" in warning  # emotions as cjm.text writes them


def test_quick_add_puts_a_pain_point_on_the_chosen_touchpoint(make_app):
    at = open_editor(make_app, layout="off")
    target = model.touchpoints_in_order(get_store().load("airline-current").graph)[2]
    at.selectbox(key="editor.quick_kind").set_value("pain_point")
    at.selectbox(key="editor.quick_target").set_value(target)
    at.text_input(key="editor.quick_text").input("Prices change between tabs")
    at.button(key="editor.quick_add").click().run()
    assert not at.exception
    assert "Prices change between tabs" in get_store().load("airline-current").graph.nodes[target]["pain_point"]


def test_each_participant_votes_once_and_the_emotion_is_the_mean(make_app, monkeypatch):
    monkeypatch.setenv("CJM_USER", "Ann")
    at = open_editor(make_app, layout="off")
    tp = model.touchpoints_in_order(get_store().load("airline-current").graph)[0]
    open_tab(at, "Votes, comments & catalogue")
    at.selectbox(key="editor.ws_tp").set_value(tp).run()
    slider = next(s for s in at.slider if s.key.startswith(f"editor.ws_score.{tp}."))
    slider.set_value(-2.0).run()
    at.button(key="editor.ws_vote").click().run()
    slider = next(s for s in at.slider if s.key.startswith(f"editor.ws_score.{tp}."))
    slider.set_value(1.0).run()
    at.button(key="editor.ws_vote").click().run()
    G = get_store().load("airline-current").graph
    anns = [v for v in G.nodes[tp]["votes"] if v["participant"] == "Ann"]
    assert len(anns) == 1 and anns[0]["score"] == 1.0
    scores = [float(v["score"]) for v in G.nodes[tp]["votes"]]
    assert G.nodes[tp]["emotion"] == pytest.approx(sum(scores) / len(scores))


def test_comments_are_added_to_a_touchpoint(make_app):
    at = open_editor(make_app, layout="off")
    tp = model.touchpoints_in_order(get_store().load("airline-current").graph)[3]
    open_tab(at, "Votes, comments & catalogue")
    at.selectbox(key="editor.ws_tp").set_value(tp).run()
    area = next(a for a in at.text_area if a.label == "New comment")
    area.input("Seen in the usability test")
    next(b for b in at.button if b.label == "Add comment").click().run()
    comments = get_store().load("airline-current").graph.nodes[tp]["comments"]
    assert comments[-1]["text"] == "Seen in the usability test"


def test_a_catalogue_touchpoint_is_added_in_one_click(make_app):
    at = open_editor(make_app, map_id="shop-current", layout="off")
    before = get_store().load("shop-current").graph.number_of_nodes()
    open_tab(at, "Votes, comments & catalogue")
    button = next(b for b in at.button if b.key and b.key.startswith("editor.cat."))
    button.click().run()
    assert not at.exception
    assert get_store().load("shop-current").graph.number_of_nodes() == before + 1


def test_persona_fields_save_on_change(make_app):
    at = open_editor(make_app, layout="off")
    open_tab(at, "Map & persona")
    (name,) = [w for w in at.text_input if w.key.startswith("editor.persona.name.")]
    name.input("Maria, 38").run()
    assert get_store().load("airline-current").graph.graph["persona"]["name"] == "Maria, 38"


def test_history_shows_a_readable_diff_and_restores_a_version(make_app):
    at = open_editor(make_app, layout="off")
    first = model.touchpoints_in_order(get_store().load("airline-current").graph)[0]
    old = get_store().load("airline-current").graph.nodes[first]["emotion"]
    write_delta(at, "touchpoints", {"edited_rows": {0: {"emotion": -2.0}}})
    open_tab(at, "History")
    frames = [df.value for df in at.dataframe]
    diff = next(f for f in frames if "Field" in f.columns)
    assert "Emotion" in set(diff["Field"]) and "−2" not in set(diff["After"])
    at.button(key="editor.hist_restore").click().run()
    stored = get_store().load("airline-current")
    assert stored.version == 3 and stored.graph.nodes[first]["emotion"] == old


def test_presenter_mode_shows_the_map_read_only_by_link(make_app):
    at = make_app(map_id="airline-current")
    at.switch_page("pages/presenter.py").run()
    assert not at.exception
    assert at.title[0].value == md_escape(get_store().load("airline-current").graph.graph["title"])
    assert len(at.get("plotly_chart")) == 2
    assert not at.text_input and not at.get("arrow_data_editor")


def test_presenter_mode_without_a_map_says_how_to_open_one(make_app):
    at = make_app()
    at.switch_page("pages/presenter.py").run()
    assert not at.exception and at.info


def test_a_conflict_warning_shows_hostile_names_as_text(make_app):
    store = get_store()
    stored = store.load("airline-current")
    first = model.touchpoints_in_order(stored.graph)[0]
    hostile = editing.apply_touchpoint_edits(stored.graph, RowEdits({first: {"name": "*Pay* [now](x) $5$"}})).graph
    store.save(hostile, expected_version=1, author="setup")
    at = open_editor(make_app, layout="off")
    other = editing.apply_touchpoint_edits(store.load("airline-current").graph, RowEdits({first: {"emotion": 1.0}}))
    store.save(other.graph, expected_version=2, author="Anna")
    write_delta(at, "touchpoints", {"edited_rows": {0: {"emotion": -1.0}}})
    warning = " ".join(w.value for w in at.warning)
    assert r"\*Pay\* \[now\]\(x\) \$5\$" in warning and "[now](x)" not in warning


# --- typing is never interrupted: others' changes flow into the tables in place --------------------


def remote_edit(map_id: str, who: str, change) -> None:
    """Another participant's save (another browser, maybe another process), through the one write path."""
    from cjm import services

    services.edit_map(get_store(), services.Actor(who), map_id, change)


def rename(tp: str, name: str):
    def change(G):
        G.nodes[tp]["name"] = name
        return G

    return change


def test_a_change_saved_by_someone_else_keeps_the_table_widget_and_flows_into_it(make_app):
    at = open_editor(make_app, layout="off")
    ids = model.touchpoints_in_order(get_store().load("airline-current").graph)
    drawn = at.session_state["editor.tables.keys"]["touchpoints"]
    remote_edit("airline-current", "Anna", rename(ids[1], "Renamed by Anna"))
    at.run()
    # the same widget (a cell being typed in the browser survives), showing Anna's value
    assert at.session_state["editor.tables.keys"]["touchpoints"] == drawn
    frame = next(df.value for df in at.dataframe if "name" in df.value.columns)
    assert frame["name"].iloc[1] == "Renamed by Anna"
    # what this participant then commits in that table is merged with Anna's change
    write_delta(at, "touchpoints", {"edited_rows": {0: {"pain_point": "Mine"}}})
    G = get_store().load("airline-current").graph
    assert (G.nodes[ids[0]]["pain_point"], G.nodes[ids[1]]["name"]) == ("Mine", "Renamed by Anna")
    assert not at.warning  # different cells: no conflict


def test_a_change_to_the_very_cell_being_typed_is_reported_as_a_conflict_after_the_commit(make_app):
    at = open_editor(make_app, layout="off")
    first = model.touchpoints_in_order(get_store().load("airline-current").graph)[0]
    remote_edit("airline-current", "Anna", rename(first, "Anna's <b>name</b>"))  # while I type in that cell
    at.run()
    write_delta(at, "touchpoints", {"edited_rows": {0: {"name": "My name"}}})
    stored = get_store().load("airline-current")
    assert stored.graph.nodes[first]["name"] == "My name"  # the later edit wins …
    warning = " ".join(w.value for w in at.warning)
    assert "Anna" in warning and "My name" in warning  # … and the replaced value is shown, never dropped
    assert md_escape("Anna's <b>name</b>") in warning
    assert get_store().load("airline-current", version=stored.version - 1).graph.nodes[first]["name"] == (
        "Anna's <b>name</b>"
    )


def test_a_field_of_the_map_keeps_its_widget_when_another_field_changes(make_app):
    at = open_editor(make_app, layout="off")
    open_tab(at, "Map & persona")
    keys = {w.key for w in at.text_input}

    def change_goals(G):
        G.graph["persona"] = {**(G.graph.get("persona") or {}), "goals": "Fly cheaper"}
        return G

    remote_edit("airline-current", "Anna", change_goals)
    at.run()
    after = {w.key for w in at.text_input}
    assert [k for k in after if k.startswith("editor.map.title.")] == [
        k for k in keys if k.startswith("editor.map.title.")
    ]
    assert any(w.value == "Fly cheaper" for w in [*at.text_input, *at.text_area])  # the changed field shows it


def test_add_and_delete_rows_switches_the_table_to_a_version_keyed_dynamic_one(make_app):
    at = open_editor(make_app, layout="off")
    fixed = at.session_state["editor.tables.keys"]["touchpoints"]
    at.toggle(key="editor.rows").set_value(True).run()
    dynamic = at.session_state["editor.tables.keys"]["touchpoints"]
    assert dynamic != fixed and ".rows." not in dynamic
    write_delta(at, "touchpoints", {"added_rows": [{"name": "Lounge", "stage": "post_purchase"}]})
    assert any(d["name"] == "Lounge" for _, d in get_store().load("airline-current").graph.nodes(data=True))


@pytest.mark.parametrize(("lang", "words"), [("en", "upgrade cjm"), ("ru", "обновите cjm")])
def test_a_database_upgraded_by_a_newer_cjm_is_a_clear_message_not_a_traceback(tmp_path, monkeypatch, lang, words):
    from sqlalchemy import create_engine, text
    from streamlit.testing.v1 import AppTest

    from cjm.store import Store
    from tests.app.conftest import APP

    url = f"sqlite:///{tmp_path / 'newer.db'}"
    Store(url).close()
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099_from_the_future'"))
    engine.dispose()
    monkeypatch.setenv("CJM_DATABASE_URL", url)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["lang"] = lang
    at.run()
    assert not at.exception
    assert any(words in e.value and "0099_from_the_future" in e.value for e in at.error)


def test_an_unreachable_database_is_a_clear_message_not_a_traceback(monkeypatch):
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    monkeypatch.setenv("CJM_DATABASE_URL", "postgresql+psycopg://cjm@127.0.0.1:1/cjm?connect_timeout=2")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    assert any("The maps database cannot be opened" in e.value for e in at.error)


def _blank_map(map_id="blank"):
    from cjm import services

    services.create_map(get_store(), services.Actor("Ann"), model.new_map("Workshop", map_id=map_id))
    return map_id


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_a_new_map_opens_in_every_editor_tab_without_an_error(make_app, lang):
    at = open_editor(make_app, map_id=_blank_map(), lang=lang, layout="off")
    tabs = TABS_EN if lang == "en" else [t.label for t in at.tabs][: len(TABS_EN)]
    for label in tabs:
        open_tab(at, label)
        assert not at.exception and not at.error, (label, at.exception, at.error)
    open_tab(at, tabs[1])
    assert at.info, "the Transitions tab says why flows stay empty"


def test_quick_add_links_each_new_touchpoint_from_the_previous_one_by_default(make_app):
    at = open_editor(make_app, map_id=_blank_map(), layout="off")
    assert at.checkbox(key="editor.quick_link").value is True
    for name in ("Advert", "Website", "Basket"):
        at.text_input(key="editor.quick_text").input(name)
        at.button(key="editor.quick_add").click().run()
    G = get_store().load("blank").graph
    order = model.touchpoints_in_order(G)
    assert [G.nodes[n]["name"] for n in order] == ["Advert", "Website", "Basket"]
    assert set(G.edges) == {(order[0], order[1]), (order[1], order[2])}


def test_quick_add_empties_its_box_once_the_text_is_on_the_map_and_warns_on_an_empty_box(make_app):
    # The box is emptied by the app after the add, never by the form on submit: a submit that meets
    # the live watcher's rerun would otherwise arrive with an empty box and lose what was typed.
    at = open_editor(make_app, map_id=_blank_map(), layout="off")
    at.text_input(key="editor.quick_text").input("Advert")
    at.button(key="editor.quick_add").click().run()
    G = get_store().load("blank").graph
    assert [d["name"] for _, d in G.nodes(data=True)] == ["Advert"]
    assert at.text_input(key="editor.quick_text").value == ""
    at.button(key="editor.quick_add").click().run()
    assert [w.value for w in at.warning] == ["Type something to add first."]
    assert get_store().load("blank").graph.number_of_nodes() == 1 and not at.exception


def test_connect_in_order_links_the_touchpoints_of_the_chosen_stage(make_app):
    at = open_editor(make_app, map_id=_blank_map(), layout="off")
    for name in ("Advert", "Website", "Basket"):
        at.checkbox(key="editor.quick_link").set_value(False)
        at.text_input(key="editor.quick_text").input(name)
        at.button(key="editor.quick_add").click().run()
    assert get_store().load("blank").graph.number_of_edges() == 0
    open_tab(at, "Transitions")
    at.button(key="editor.connect_btn").click().run()
    assert get_store().load("blank").graph.number_of_edges() == 2
    assert not at.exception


def test_restore_asks_for_confirmation_in_a_popover_first(make_app):
    at = open_editor(make_app, layout="off")
    write_delta(at, "touchpoints", {"edited_rows": {0: {"emotion": -2.0}}})
    open_tab(at, "History")
    popover = at.get("popover")
    assert popover and popover[0].proto.popover.label == "Restore version 1"
    assert at.button(key="editor.hist_restore").label == "Yes, restore version 1"
    saved = get_store().history("airline-current")[-1].saved_at
    confirm = " ".join(w.value for w in at.warning)
    assert f"(saved {fmt_date(saved, 'en', with_time=True)} by " in confirm, confirm  # when, never an ISO time
    assert get_store().load("airline-current").version == 2  # nothing restored until confirmed


def test_only_the_author_can_delete_a_comment(make_app):
    from cjm import services

    tp = model.touchpoints_in_order(get_store().load("airline-current").graph)[0]
    services.add_comment(get_store(), services.Actor("Bob"), "airline-current", tp, "Bob's note")
    at = make_app(map_id="airline-current")
    at.query_params["who"] = "Ann"
    at.session_state["app.user"] = "Ann"
    at.session_state["editor.preview_layout"] = "off"
    at.switch_page("pages/editor.py").run()
    open_tab(at, "Votes, comments & catalogue")
    at.selectbox(key="editor.ws_tp").set_value(tp).run()
    delete = [b for b in at.button if b.key and b.key.startswith(f"editor.ws_del.{tp}.")]
    assert delete[-1].disabled and "Bob" in delete[-1].help


def test_pickers_name_touchpoints_without_internal_ids(make_app):
    at = open_editor(make_app, layout="off")
    options = at.selectbox(key="editor.quick_target").options
    assert options and not any("(tp-" in o for o in options)


def test_editor_lists_the_health_findings_under_their_rules():
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["map"] = "airline-current"
    at.switch_page("pages/editor.py").run()
    assert not at.exception
    assert any(e.label.startswith("Health checks:") for e in at.expander), [e.label for e in at.expander]
    assert any("Rule 10 — make it easy" in m.value for m in at.markdown)


def test_the_history_tab_in_russian_shows_field_labels_and_dates_never_ids_or_iso_times(make_app):
    import re

    from cjm.merge import Conflict

    store = get_store()
    stored = store.load("airline-current")
    first = model.touchpoints_in_order(stored.graph)[0]
    edited = editing.apply_touchpoint_edits(stored.graph, RowEdits({first: {"deadline": "2026-09-06"}})).graph
    conflicts = [
        Conflict("persona", None, "Olga", "goals", "", "Fly cheap", "Fly fast"),
        Conflict("touchpoint", first, "Search", "pain_point", "", "Slow", "Too slow"),
        Conflict("map", None, "", "counts_source", None, {"source": "f.csv", "saved_at": "2026-12-03T14:47:10"}, ""),
    ]
    note = VersionNote("edit", {"changed": [["Search", ["deadline", "pain_point"]]]}).merged(1, conflicts)
    store.save(edited, expected_version=1, author="Anna", note=note.to_text())
    at = open_editor(make_app, lang="ru", layout="off")
    open_tab(at, "История")
    assert not at.exception
    shown = " ".join(str(v) for df in at.dataframe for v in df.value.to_numpy().ravel())
    shown += " ".join(plain(w.value) for w in [*at.warning, *at.markdown, *at.caption, *at.info])
    for raw in ("pain_point", "goals", "counts_source", "deadline"):
        assert raw not in shown, f"field id {raw} shown"
    assert not re.search(r"\d{4}-\d{2}-\d{2}", shown), "a raw ISO date is shown"
    assert "Персона: Цели" in shown and "Боль" in shown and "3 дек 2026, 14:47" in shown and "6 сен 2026" in shown
