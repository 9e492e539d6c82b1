"""The undo/redo stack and the readable diff between two versions."""

import copy

import pytest

from cjm import editing, model
from cjm.editing import RowEdits
from cjm.history import UndoStack, diff_maps, diff_table, summarize
from cjm.validation import validate_map


def base_map():
    G = model.new_map("Coffee", map_id="coffee")
    model.add_touchpoint(G, "Ad", "awareness", emotion=0.0)
    model.add_touchpoint(G, "Checkout", "purchase", emotion=0.0)
    model.add_transition(G, "tp-1", "tp-2")
    return validate_map(G)


def apply(stack, G, fn):
    H = fn(G)
    stack.push(G, H)
    return H


def test_twenty_five_steps_can_all_be_undone_and_redone():
    stack = UndoStack()
    G = base_map()
    states = [G]
    for i in range(25):
        G = apply(
            stack,
            G,
            lambda g, i=i: editing.apply_touchpoint_edits(g, RowEdits({"tp-1": {"action": f"step {i}"}})).graph,
        )
        states.append(G)
    for i in range(25):
        G, conflicts = stack.undo(G)
        stack.confirm()
        assert not conflicts
        assert G.nodes["tp-1"]["action"] == states[24 - i].nodes["tp-1"]["action"]
    assert not stack.can_undo and stack.undo(G) is None
    for i in range(25):
        G, _ = stack.redo(G)
        stack.confirm()
        assert G.nodes["tp-1"]["action"] == f"step {i}"
    assert not stack.can_redo


def test_the_stack_keeps_at_least_twenty_steps_and_drops_the_oldest_beyond_its_limit():
    stack = UndoStack(limit=20)
    G = base_map()
    for i in range(30):
        G = apply(
            stack, G, lambda g, i=i: editing.apply_touchpoint_edits(g, RowEdits({"tp-1": {"action": str(i)}})).graph
        )
    n = 0
    while stack.can_undo:
        G, _ = stack.undo(G)
        stack.confirm()
        n += 1
    assert n == 20 and G.nodes["tp-1"]["action"] == "9"


def test_a_new_edit_clears_redo():
    stack = UndoStack()
    G0 = base_map()
    G1 = apply(stack, G0, lambda g: editing.quick_add(g, "Chat", stage="purchase")[0])
    G, _ = stack.undo(G1)
    stack.confirm()
    assert stack.can_redo
    apply(stack, G, lambda g: editing.quick_add(g, "Phone", stage="purchase")[0])
    assert not stack.can_redo and stack.redo(G) is None


def test_undo_reverts_only_my_edit_and_keeps_what_others_changed_meanwhile():
    stack = UndoStack()
    G0 = base_map()
    mine = apply(stack, G0, lambda g: editing.apply_touchpoint_edits(g, RowEdits({"tp-1": {"emotion": 2.0}})).graph)
    others = copy.deepcopy(mine)
    others.nodes["tp-2"]["pain_point"] = "card declined"  # another participant, saved after me
    G, conflicts = stack.undo(others)
    stack.confirm()
    assert G.nodes["tp-1"]["emotion"] == 0.0 and G.nodes["tp-2"]["pain_point"] == "card declined"
    assert not conflicts


def test_an_unconfirmed_undo_leaves_the_stack_as_it_was():
    stack = UndoStack()
    G0 = base_map()
    G1 = apply(stack, G0, lambda g: editing.quick_add(g, "Chat", stage="purchase")[0])
    stack.undo(G1)  # the save failed: no confirm()
    assert stack.can_undo and not stack.can_redo
    with pytest.raises(RuntimeError):
        UndoStack().confirm()


def test_diff_lists_added_removed_and_changed_touchpoints_with_fields():
    A = base_map()
    B = editing.apply_touchpoint_edits(
        A,
        RowEdits(
            {"tp-2": {"emotion": -1.0, "channel": "website"}},
            [{"name": "Chat", "stage": "purchase"}],
            ["tp-1"],
        ),
    ).graph
    B = editing.apply_stage_edits(B, RowEdits({"awareness": {"name": "Seeing"}})).graph
    B = editing.update_map_fields(B, title="Coffee 2", persona={"name": "Anna"})
    d = diff_maps(A, B)
    assert d.touchpoints_added == [("tp-3", "Chat")]
    assert d.touchpoints_removed == [("tp-1", "Ad")]
    ((tp, name, changes),) = d.touchpoints_changed
    assert (tp, name) == ("tp-2", "Checkout")
    assert {(c.field, c.old, c.new) for c in changes} == {("emotion", 0.0, -1.0), ("channel", "", "website")}
    assert d.transitions_removed == [("tp-1", "tp-2")]
    assert d.stages_changed[0][0] == "awareness"
    assert {c.field for c in d.map_fields} == {"title", "persona.name"}
    assert diff_maps(A, A).empty


def test_diff_table_is_readable_in_both_languages():
    A = base_map()
    B = editing.apply_touchpoint_edits(A, RowEdits({"tp-2": {"emotion": -1.0, "channel": "website"}})).graph
    en = diff_table(diff_maps(A, B), "en")
    assert list(en.columns) == ["change", "item", "field", "before", "after"]
    row = en[en["field"] == "Channel"].iloc[0]
    assert row["item"] == "Touchpoint “Checkout”" and row["before"] == "—" and row["after"] == "Website"
    ru = diff_table(diff_maps(A, B), "ru")
    assert "Сайт" in set(ru["after"]) and "Эмоция" in set(ru["field"])
    assert "Checkout" in summarize(diff_maps(A, B), "en") and "Emotion" in summarize(diff_maps(A, B), "en")
