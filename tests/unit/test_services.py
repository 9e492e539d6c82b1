"""The service layer, the one write path: every operation, its note, and the conflict policy; each test
runs on an empty SQLite file and on an empty PostgreSQL schema (the ``db_url`` fixture)."""

from __future__ import annotations

import threading

import networkx as nx
import pytest

from cjm import access, model, services
from cjm.editing import RowEdits
from cjm.errors import CJMError, MapNotFoundError, ValidationError
from cjm.history import UndoStack
from cjm.notes import VersionNote, note_text
from cjm.services import Actor
from cjm.store import Store

ANN, BOB = Actor("Ann"), Actor("Bob")


def journey(title: str = "Coffee to go", map_id: str = "coffee") -> nx.DiGraph:
    G = model.new_map(title, map_id=map_id, persona={"name": "Olga"})
    for name, stage in (("Ad", "awareness"), ("Site", "consideration"), ("Checkout", "purchase")):
        model.add_touchpoint(G, name, stage, emotion=0.0, channel="website")
    model.add_transition(G, "tp-1", "tp-2", users=100)
    model.add_transition(G, "tp-2", "tp-3", users=60)
    return G


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture
def coffee(store):
    services.create_map(store, ANN, journey())
    return "coffee"


def note(store, map_id, version=None) -> VersionNote:
    return VersionNote.from_text(store.load(map_id, version).note)


# --- actor and authorization ---------------------------------------------------------------------


def test_an_actor_needs_a_name_and_keeps_email_and_role():
    assert Actor("  Ann ", email="ann@example.org", role="editor").name == "Ann"
    with pytest.raises(ValueError):
        Actor("  ")


def test_open_mode_authorizes_every_action_and_refuses_unknown_ones():
    for action in services.ACTIONS:
        assert services.authorize(None, ANN, action, None) is None
    with pytest.raises(ValueError):
        services.authorize(None, ANN, "launch", "coffee")
    with pytest.raises(TypeError):
        services.authorize(None, "Ann", "edit", "coffee")


def test_every_write_asks_authorize_first_and_a_refusal_changes_nothing(store, coffee, monkeypatch):
    stack = UndoStack()
    services.cast_vote(store, ANN, coffee, "tp-1", 1, undo=stack)
    stack.undo(store.load(coffee).graph)  # something to redo as well: a step undone but not confirmed
    asked = []

    def refuse(store, actor, action, map_id):
        asked.append(action)
        raise CJMError("not allowed")

    monkeypatch.setattr(services, "authorize", refuse)
    edits = RowEdits({"tp-1": {"emotion": 1}})
    calls = {
        "create_map": lambda: services.create_map(store, BOB, journey(map_id="other")),
        "import_map": lambda: services.import_map(store, BOB, journey(map_id="other"), source="f.json"),
        "duplicate_map": lambda: services.duplicate_map(store, BOB, coffee, title="Copy"),
        "rename_map": lambda: services.rename_map(store, BOB, coffee, "New"),
        "delete_map": lambda: services.delete_map(store, BOB, coffee),
        "edit_map": lambda: services.edit_map(store, BOB, coffee, lambda G: G),
        "apply_table_edits": lambda: services.apply_table_edits(
            store, BOB, coffee, "touchpoints", edits, base_version=1
        ),
        "update_map_fields": lambda: services.update_map_fields(store, BOB, coffee, segment="x"),
        "quick_add": lambda: services.quick_add(store, BOB, coffee, "Kiosk", stage="purchase"),
        "connect_in_order": lambda: services.connect_in_order(store, BOB, coffee),
        "cast_vote": lambda: services.cast_vote(store, BOB, coffee, "tp-1", 2),
        "remove_vote": lambda: services.remove_vote(store, ANN, coffee, "tp-1"),
        "add_comment": lambda: services.add_comment(store, BOB, coffee, "tp-1", "hi"),
        "delete_comment": lambda: services.delete_comment(store, BOB, coffee, "tp-1", 0),
        "move_touchpoint": lambda: services.move_touchpoint(store, BOB, coffee, "tp-1", 1),
        "add_from_catalogue": lambda: services.add_from_catalogue(store, BOB, coffee, "chat"),
        "apply_audit_edits": lambda: services.apply_audit_edits(
            store, BOB, coffee, {"tp-1": {"score": 4}}, base_version=1
        ),
        "apply_funnel_counts": lambda: services.apply_funnel_counts(
            store, BOB, coffee, steps=["a"], counts=[5], mapping={"a": "tp-1"}, source="f.csv"
        ),
        "undo": lambda: services.undo(store, ANN, coffee, stack),
        "redo": lambda: services.redo(store, ANN, coffee, stack),
        "restore_version": lambda: services.restore_version(store, BOB, coffee, 1),
        "restore_map": lambda: services.restore_map(store, BOB, coffee),
        "purge_map": lambda: services.purge_map(store, BOB, coffee),
        "share_map": lambda: services.share_map(store, BOB, coffee, "bob@example.org", "editor"),
        "unshare_map": lambda: services.unshare_map(store, BOB, coffee, "bob@example.org"),
        "create_share_link": lambda: services.create_share_link(store, BOB, coffee),
        "revoke_share_link": lambda: services.revoke_share_link(store, BOB, coffee, "abcdefgh"),
        "activity_log": lambda: services.activity_log(store, BOB, coffee),
    }
    writes = {n for n in services.__all__ if n not in {"ACTIONS", "Actor", "SaveResult", "authorize"}}
    assert set(calls) == writes, "every service is checked here"
    for call in calls.values():
        with pytest.raises(CJMError, match="not allowed"):
            call()
    assert len(asked) == len(calls) and set(asked) == set(services.ACTIONS)
    assert store.latest_version(coffee) == 2 and [m.map_id for m in store.list_maps()] == [coffee]


# --- library operations -----------------------------------------------------------------------------


def test_create_stores_version_one_with_a_created_note(store):
    result = services.create_map(store, ANN, journey())
    assert (result.map_id, result.version, result.changed) == ("coffee", 1, True)
    stored = store.load("coffee")
    assert stored.author == "Ann" and note(store, "coffee").kind == "created"
    assert note_text(stored.note, "ru") == "создана"
    with pytest.raises(CJMError):
        services.create_map(store, BOB, journey())


def test_import_keeps_a_free_id_gives_a_taken_one_a_fresh_id_and_names_the_file(store):
    assert services.import_map(store, ANN, journey(map_id="imp"), source="a.json").map_id == "imp"
    again = journey("Imported", map_id="imp")
    result = services.import_map(store, BOB, again, source="b.csv")
    assert result.map_id != "imp" and result.map_id.startswith("imported")
    assert again.graph["id"] == "imp", "the caller's graph is not changed"
    assert note_text(store.load(result.map_id).note, "en") == "imported from b.csv"
    assert note_text(store.load(result.map_id).note, "ru") == "импортирована из b.csv"


def test_an_invalid_import_writes_nothing(store):
    G = journey(map_id="imp")
    G.graph["map_type"] = "mind_map"
    with pytest.raises(ValidationError):
        services.import_map(store, ANN, G, source="x.json")
    assert store.list_maps() == []


def test_duplicate_copies_the_latest_version_under_a_new_id(store, coffee):
    services.cast_vote(store, ANN, coffee, "tp-1", 2)
    result = services.duplicate_map(store, BOB, coffee, title="Копия")
    assert result.map_id != coffee and result.version == 1
    copy = store.load(result.map_id)
    assert copy.graph.graph["title"] == "Копия" and copy.author == "Bob"
    assert copy.graph.nodes["tp-1"]["votes"] == store.load(coffee).graph.nodes["tp-1"]["votes"]
    assert note_text(copy.note, "en") == "copy of “Coffee to go” version 2"
    with pytest.raises(MapNotFoundError):
        services.duplicate_map(store, BOB, "nope", title="x")


def test_rename_is_a_new_version_whose_note_names_the_old_title(store, coffee):
    result = services.rename_map(store, BOB, coffee, "Tea to go", base_version=1)
    assert result.version == 2 and store.list_maps()[0].title == "Tea to go"
    assert note_text(store.load(coffee).note, "en") == "renamed from “Coffee to go”"
    assert store.load(coffee, 1).graph.graph["title"] == "Coffee to go"
    with pytest.raises(ValidationError):
        services.rename_map(store, BOB, coffee, "")
    assert store.latest_version(coffee) == 2


def test_delete_moves_the_map_to_the_trash_restore_brings_it_back_and_purge_removes_it(store, coffee):
    services.delete_map(store, ANN, coffee)
    assert store.list_maps() == [] and [i.map_id for i in access.trash(store)] == [coffee]
    with pytest.raises(access.AccessDeniedError, match="trash"):
        services.delete_map(store, ANN, coffee)
    with pytest.raises(access.AccessDeniedError, match="trash"):
        services.cast_vote(store, ANN, coffee, "tp-1", 1)
    services.restore_map(store, ANN, coffee)
    assert [m.map_id for m in store.list_maps()] == [coffee] and store.latest_version(coffee) == 1
    with pytest.raises(CJMError, match="not in the trash"):
        services.purge_map(store, ANN, coffee)
    services.delete_map(store, ANN, coffee)
    services.purge_map(store, ANN, coffee)
    assert not store.exists(coffee) and access.trash(store) == []
    with pytest.raises(MapNotFoundError):
        services.delete_map(store, ANN, coffee)
    assert [e.action for e in access.events(store, coffee)] == ["purged", "trashed", "untrashed", "trashed"]


# --- editor operations ------------------------------------------------------------------------------


def test_table_edits_keyed_by_row_id_are_saved_with_a_summary_note(store, coffee):
    r = services.apply_table_edits(
        store, ANN, coffee, "touchpoints",
        RowEdits({"tp-2": {"emotion": -1.5}}, [{"name": "Kiosk", "stage": "purchase"}, {}], ["tp-1"]),
        base_version=1,
    )  # fmt: skip
    assert r.version == 2 and r.changed and r.detail == 1  # one added row is still empty
    G = store.load(coffee).graph
    assert "tp-1" not in G and G.nodes["tp-2"]["emotion"] == -1.5
    assert any(d["name"] == "Kiosk" for _, d in G.nodes(data=True))
    text = note_text(store.load(coffee).note, "en")
    assert "added “Kiosk”" in text and "removed “Ad”" in text and "Emotion" in text
    assert "Эмоция" in note_text(store.load(coffee).note, "ru")

    r = services.apply_table_edits(
        store, ANN, coffee, "transitions", RowEdits({("tp-2", "tp-3"): {"users": 55}}), base_version=2
    )
    assert store.load(coffee).graph.edges["tp-2", "tp-3"]["users"] == 55
    r = services.apply_table_edits(
        store, ANN, coffee, "stages", RowEdits({"loyalty": {"name": "Fans"}}), base_version=r.version
    )
    assert [s["name"] for s in model.stages(store.load(coffee).graph) if s["id"] == "loyalty"] == ["Fans"]


def test_an_edit_that_changes_nothing_stores_nothing(store, coffee):
    r = services.apply_table_edits(
        store, ANN, coffee, "touchpoints", RowEdits({"tp-1": {"emotion": 0.0}}), base_version=1
    )
    assert not r.changed and r.version == 1 and store.latest_version(coffee) == 1
    assert not services.apply_table_edits(
        store, ANN, coffee, "touchpoints", RowEdits(added=[{}]), base_version=1
    ).changed


def test_an_invalid_table_edit_raises_and_stores_nothing(store, coffee):
    with pytest.raises(ValidationError) as info:
        services.apply_table_edits(
            store, ANN, coffee, "touchpoints", RowEdits({"tp-1": {"emotion": 7}}), base_version=1
        )
    assert info.value.problems[0].field == "emotion"
    with pytest.raises(ValidationError):
        services.apply_table_edits(
            store, ANN, coffee, "transitions", RowEdits(added=[{"source": "tp-1", "target": "x"}]), base_version=1
        )
    with pytest.raises(ValueError):
        services.apply_table_edits(store, ANN, coffee, "people", RowEdits({"a": {}}), base_version=1)
    assert store.latest_version(coffee) == 1


def test_two_actors_editing_different_fields_of_one_version_are_merged(store, coffee):
    services.apply_table_edits(store, ANN, coffee, "touchpoints", RowEdits({"tp-1": {"emotion": 1.0}}), base_version=1)
    r = services.apply_table_edits(
        store, BOB, coffee, "touchpoints", RowEdits({"tp-1": {"pain_point": "Slow"}}), base_version=1
    )
    assert (r.version, r.merged_with, r.others, r.conflicts) == (3, 2, ("Ann",), ())
    G = store.load(coffee).graph
    assert G.nodes["tp-1"]["emotion"] == 1.0 and G.nodes["tp-1"]["pain_point"] == "Slow"
    n = note(store, coffee)
    assert n.merged_with == 2 and not n.has_conflicts
    assert note_text(n, "en").endswith("(merged with version 2)")


def test_the_same_field_keeps_the_later_value_and_records_the_other_in_the_note(store, coffee):
    services.apply_table_edits(store, ANN, coffee, "touchpoints", RowEdits({"tp-1": {"emotion": 1.0}}), base_version=1)
    r = services.apply_table_edits(
        store, BOB, coffee, "touchpoints", RowEdits({"tp-1": {"emotion": -1.0}}), base_version=1
    )
    assert store.load(coffee).graph.nodes["tp-1"]["emotion"] == -1.0, "the later edit wins"
    assert store.load(coffee, 2).graph.nodes["tp-1"]["emotion"] == 1.0, "the earlier value stays in its version"
    [c] = r.conflicts
    assert (c.kind, c.key, c.field, c.kept, c.replaced) == ("touchpoint", "tp-1", "emotion", -1.0, 1.0)
    stored = note(store, coffee)
    assert stored.has_conflicts and stored.conflicts == r.conflicts, "conflicts are data in the note"
    assert "“−1.0” replaced “+1.0”" in note_text(stored, "en")
    assert "«−1,0» заменило «+1,0»" in note_text(stored, "ru")


def test_a_free_text_note_mentioning_conflicts_is_not_a_conflict():
    assert not VersionNote.from_text("resolved the conflicts by hand").has_conflicts
    assert note_text("resolved the conflicts by hand", "ru") == "resolved the conflicts by hand"


def test_concurrent_writers_from_threads_all_land(store, coffee):
    errors = []

    def vote(i):
        try:
            services.cast_vote(store, Actor(f"P{i}"), coffee, "tp-2", (i % 5) - 2, base_version=1)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    votes = store.load(coffee).graph.nodes["tp-2"]["votes"]
    assert sorted(v["participant"] for v in votes) == [f"P{i}" for i in range(6)]
    assert store.latest_version(coffee) == 7


def test_quick_add_returns_the_touchpoint_it_landed_on(store, coffee):
    r = services.quick_add(store, ANN, coffee, "Call centre", stage="purchase")
    assert store.load(coffee).graph.nodes[r.detail]["name"] == "Call centre"
    r = services.quick_add(store, ANN, coffee, "Long wait", kind="pain_point", target=r.detail)
    assert store.load(coffee).graph.nodes[r.detail]["pain_point"] == "Long wait"
    with pytest.raises(ValidationError):
        services.quick_add(store, ANN, coffee, "  ")


def test_votes_are_per_actor_and_merge_across_versions(store, coffee):
    services.cast_vote(store, ANN, coffee, "tp-1", 2, base_version=1)
    services.cast_vote(store, BOB, coffee, "tp-1", -1, base_version=1)
    services.cast_vote(store, ANN, coffee, "tp-1", 1)
    node = store.load(coffee).graph.nodes["tp-1"]
    assert sorted((v["participant"], v["score"]) for v in node["votes"]) == [("Ann", 1.0), ("Bob", -1.0)]
    assert node["emotion"] == 0.0
    services.remove_vote(store, BOB, coffee, "tp-1")
    assert [v["participant"] for v in store.load(coffee).graph.nodes["tp-1"]["votes"]] == ["Ann"]


def test_comments_are_added_by_the_actor_and_deleted_by_position(store, coffee):
    services.add_comment(store, ANN, coffee, "tp-3", "Queue too long")
    r = services.add_comment(store, BOB, coffee, "tp-3", "Card reader broken")
    comments = store.load(coffee).graph.nodes["tp-3"]["comments"]
    assert [(c["author"], c["text"]) for c in comments] == [("Ann", "Queue too long"), ("Bob", "Card reader broken")]
    services.add_comment(store, ANN, coffee, "tp-3", "Third")  # meanwhile
    services.delete_comment(store, ANN, coffee, "tp-3", 0, base_version=r.version)
    assert [c["text"] for c in store.load(coffee).graph.nodes["tp-3"]["comments"]] == ["Card reader broken", "Third"]
    with pytest.raises(ValidationError):
        services.add_comment(store, ANN, coffee, "tp-3", " ")


def test_move_map_fields_and_catalogue(store, coffee):
    services.move_touchpoint(store, ANN, coffee, "tp-3", -2)
    assert model.touchpoints_in_order(store.load(coffee).graph)[0] == "tp-3"
    services.update_map_fields(store, ANN, coffee, segment="commuters", persona={"name": "Maria"})
    G = store.load(coffee).graph
    assert G.graph["segment"] == "commuters" and G.graph["persona"]["name"] == "Maria"
    r = services.add_from_catalogue(store, BOB, coffee, "chat", status="planned", lang="ru")
    assert store.load(coffee).graph.nodes[r.detail]["status"] == "planned"
    assert note(store, coffee).params == {"key": "chat"}
    assert note_text(store.load(coffee).note, "en") != note_text(store.load(coffee).note, "ru")
    with pytest.raises(CJMError):
        services.add_from_catalogue(store, BOB, coffee, "no-such-entry")


# --- audit and funnel ---------------------------------------------------------------------------------


def test_audit_edits_follow_the_same_conflict_policy(store, coffee):
    services.apply_audit_edits(store, ANN, coffee, {"tp-1": {"score": 2}}, base_version=1)
    r = services.apply_audit_edits(store, BOB, coffee, {"tp-1": {"score": 4, "owner": "Bob"}}, base_version=1)
    node = store.load(coffee).graph.nodes["tp-1"]
    assert (node["score"], node["owner"]) == (4, "Bob")
    assert [(c.field, c.kept, c.replaced) for c in r.conflicts] == [("score", 4, 2)]
    assert note_text(store.load(coffee).note, "en").startswith("audit: Ad (Score, Owner)")
    unchanged = services.apply_audit_edits(store, ANN, coffee, {"tp-1": {"score": 4.0}}, base_version=r.version)
    assert not unchanged.changed
    with pytest.raises(ValidationError):
        services.apply_audit_edits(store, ANN, coffee, {"tp-1": {"score": 9}}, base_version=r.version)


def test_funnel_counts_are_written_onto_the_map(store, coffee):
    r = services.apply_funnel_counts(
        store, ANN, coffee, steps=["view", "buy"], counts=[800, 120], mapping={"view": "tp-2", "buy": "tp-3"},
        source="events.csv",
    )  # fmt: skip
    G = store.load(coffee).graph
    assert G.nodes["tp-2"]["users"] == 800 and G.edges["tp-2", "tp-3"]["users"] == 120
    assert len(r.detail.touchpoints) == 2
    assert note_text(store.load(coffee).note, "en") == "people counts from the funnel events.csv"


# --- undo, redo, restore ------------------------------------------------------------------------------


def test_undo_reverts_only_the_own_step_and_redo_reapplies_it(store, coffee):
    stack = UndoStack()
    services.apply_table_edits(
        store, ANN, coffee, "touchpoints", RowEdits({"tp-1": {"emotion": 2.0}}), base_version=1, undo=stack
    )
    services.apply_table_edits(store, BOB, coffee, "touchpoints", RowEdits({"tp-2": {"emotion": -2.0}}), base_version=2)
    r = services.undo(store, ANN, coffee, stack)
    G = store.load(coffee).graph
    assert r.version == 4 and G.nodes["tp-1"]["emotion"] == 0.0 and G.nodes["tp-2"]["emotion"] == -2.0
    assert note_text(store.load(coffee).note, "en").startswith("undo: changed “Ad”: Emotion")
    assert not stack.can_undo and stack.can_redo
    assert services.undo(store, ANN, coffee, stack) is None
    services.redo(store, ANN, coffee, stack)
    assert store.load(coffee).graph.nodes["tp-1"]["emotion"] == 2.0
    assert note_text(store.load(coffee).note, "ru").startswith("повтор: изменена «Ad»")


def test_undo_over_a_later_change_of_the_same_field_keeps_the_undo_and_records_it(store, coffee):
    stack = UndoStack()
    services.apply_table_edits(
        store, ANN, coffee, "touchpoints", RowEdits({"tp-1": {"emotion": 2.0}}), base_version=1, undo=stack
    )
    services.apply_table_edits(store, BOB, coffee, "touchpoints", RowEdits({"tp-1": {"emotion": 1.0}}), base_version=2)
    r = services.undo(store, ANN, coffee, stack)
    assert store.load(coffee).graph.nodes["tp-1"]["emotion"] == 0.0
    assert r.conflicts and note(store, coffee).has_conflicts


def test_a_failed_undo_leaves_the_stack_as_it_was(store, coffee):
    stack = UndoStack()
    services.apply_table_edits(
        store, ANN, coffee, "touchpoints", RowEdits({"tp-1": {"emotion": 2.0}}), base_version=1, undo=stack
    )
    services.delete_map(store, BOB, coffee)
    services.purge_map(store, BOB, coffee)
    with pytest.raises(MapNotFoundError):
        services.undo(store, ANN, coffee, stack)
    assert stack.can_undo and not stack.can_redo


def test_restore_makes_an_old_version_the_latest_and_is_undoable(store, coffee):
    stack = UndoStack()
    services.rename_map(store, ANN, coffee, "Tea")
    r = services.restore_version(store, BOB, coffee, 1, undo=stack)
    assert r.version == 3 and store.load(coffee).graph.graph["title"] == "Coffee to go"
    assert note_text(store.load(coffee).note, "ru") == "восстановлена версия 1"
    assert not services.restore_version(store, BOB, coffee, 3).changed
    services.undo(store, BOB, coffee, stack)
    assert store.load(coffee).graph.graph["title"] == "Tea"


def test_errors_a_user_can_cause_are_translated(store, coffee):
    from cjm.i18n import error_text, problem_line

    with pytest.raises(CJMError) as info:
        services.create_map(store, ANN, journey())
    assert error_text(info.value, "ru") == "карта с идентификатором 'coffee' уже есть"
    with pytest.raises(ValidationError) as info:
        services.add_from_catalogue(store, ANN, coffee, "chat", stage="gone-meanwhile")
    assert "неизвестный этап" in problem_line(info.value.problems[0], "ru")
    with pytest.raises(CJMError) as info:
        services.add_from_catalogue(store, ANN, coffee, "no-such-entry")
    assert error_text(info.value, "ru") == "«no-such-entry» нельзя добавить из каталога"
    assert store.latest_version(coffee) == 1


def test_connect_in_order_is_saved_through_services_as_a_new_version_with_the_count_added(store):
    G = model.new_map("Workshop", map_id="ws")
    for name in ("A", "B", "C"):
        model.add_touchpoint(G, name, "awareness")
    services.create_map(store, ANN, G)
    result = services.connect_in_order(store, ANN, "ws", "awareness", base_version=1)
    assert result.changed and result.detail == 2 and result.version == 2
    assert store.load("ws").graph.number_of_edges() == 2
    again = services.connect_in_order(store, ANN, "ws", "awareness")
    assert not again.changed and store.latest_version("ws") == 2


def test_quick_add_with_link_previous_saves_the_touchpoint_and_its_transition_in_one_version(store):
    services.create_map(store, ANN, model.new_map("Workshop", map_id="ws"))
    a = services.quick_add(store, ANN, "ws", "Advert", stage="awareness", link_previous=True).detail
    b = services.quick_add(store, ANN, "ws", "Website", stage="awareness", link_previous=True)
    assert b.version == 3 and store.load("ws").graph.has_edge(a, b.detail)


def test_a_comment_can_be_deleted_by_its_author_only(store, coffee):
    services.add_comment(store, ANN, coffee, "tp-1", "Ann's point")
    with pytest.raises(ValidationError) as refused:
        services.delete_comment(store, BOB, coffee, "tp-1", 0)
    assert refused.value.problems[0].code == "not_your_comment"
    assert len(store.load(coffee).graph.nodes["tp-1"]["comments"]) == 1
    assert services.delete_comment(store, ANN, coffee, "tp-1", 0).changed
    assert store.load(coffee).graph.nodes["tp-1"]["comments"] == []
