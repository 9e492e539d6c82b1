"""Three-way merge of concurrent edits (base, mine = the later save, theirs = stored meanwhile)."""

import copy

from cjm import editing, model
from cjm.editing import RowEdits
from cjm.merge import DELETED, merge_maps
from cjm.notes import VersionNote, note_text
from cjm.validation import validate_map


def base_map():
    G = model.new_map("Coffee", map_id="coffee")
    for name, stage in [("X", "awareness"), ("Y", "interest"), ("Z", "purchase")]:
        model.add_touchpoint(G, name, stage, emotion=0.0)
    model.add_transition(G, "tp-1", "tp-2", users=10)
    return validate_map(G)


def edit(G, tp, **fields):
    H = copy.deepcopy(G)
    H.nodes[tp].update(fields)
    return H


def test_edits_to_different_touchpoints_are_both_kept():
    B = base_map()
    r = merge_maps(B, edit(B, "tp-1", emotion=1.5), edit(B, "tp-2", pain_point="slow"))
    assert r.graph.nodes["tp-1"]["emotion"] == 1.5 and r.graph.nodes["tp-2"]["pain_point"] == "slow"
    assert r.conflicts == []


def test_edits_to_different_fields_of_one_touchpoint_are_both_kept():
    B = base_map()
    r = merge_maps(B, edit(B, "tp-1", emotion=-1.0), edit(B, "tp-1", channel="email"))
    assert r.graph.nodes["tp-1"]["emotion"] == -1.0 and r.graph.nodes["tp-1"]["channel"] == "email"
    assert not r.conflicts


def test_same_field_the_later_edit_wins_and_the_earlier_value_is_reported():
    B = base_map()
    theirs = edit(B, "tp-3", emotion=-2.0)  # stored first
    mine = edit(B, "tp-3", emotion=1.0)  # saved now: later
    r = merge_maps(B, mine, theirs)
    assert r.graph.nodes["tp-3"]["emotion"] == 1.0
    (c,) = r.conflicts
    assert (c.kind, c.key, c.name, c.field) == ("touchpoint", "tp-3", "Z", "emotion")
    assert (c.base, c.kept, c.replaced) == (0.0, 1.0, -2.0)
    note = note_text(VersionNote("edit").merged(2, r.conflicts), "en")
    assert "Z" in note and "“−2.0”" in note and "“+1.0”" in note  # emotions as cjm.text writes them


def test_equal_changes_on_both_sides_are_not_a_conflict():
    B = base_map()
    r = merge_maps(B, edit(B, "tp-1", emotion=1.0), edit(B, "tp-1", emotion=1.0))
    assert not r.conflicts and r.graph.nodes["tp-1"]["emotion"] == 1.0


def test_touchpoints_added_on_both_sides_with_the_same_new_id_are_both_kept():
    B = base_map()
    mine = editing.apply_touchpoint_edits(B, RowEdits(added=[{"name": "Chat", "stage": "purchase"}])).graph
    theirs = editing.apply_touchpoint_edits(B, RowEdits(added=[{"name": "Call", "stage": "purchase"}])).graph
    mine = editing.apply_transition_edits(mine, RowEdits(added=[{"source": "tp-3", "target": "tp-4"}])).graph
    r = merge_maps(B, mine, theirs)
    names = sorted(d["name"] for _, d in r.graph.nodes(data=True))
    assert names == ["Call", "Chat", "X", "Y", "Z"]
    new_id = r.renamed["tp-4"]
    assert r.graph.nodes[new_id]["name"] == "Chat" and r.graph.has_edge("tp-3", new_id)
    assert r.graph.nodes["tp-4"]["name"] == "Call" and not r.conflicts


def test_a_deleted_touchpoint_and_an_edit_elsewhere_merge():
    B = base_map()
    mine = editing.apply_touchpoint_edits(B, RowEdits(deleted=["tp-3"])).graph  # delete Z
    r = merge_maps(B, mine, edit(B, "tp-1", thought="hm"))
    assert "tp-3" not in r.graph and r.graph.nodes["tp-1"]["thought"] == "hm"


def test_deleting_what_the_other_side_edited_is_reported_later_wins():
    B = base_map()
    theirs = edit(B, "tp-3", pain_point="queue")
    mine = editing.apply_touchpoint_edits(B, RowEdits(deleted=["tp-3"])).graph
    r = merge_maps(B, mine, theirs)
    assert "tp-3" not in r.graph
    (c,) = r.conflicts
    assert c.key == "tp-3" and c.kept == DELETED and c.replaced == {"changed": ["pain_point"]}
    # the other order: theirs deleted, mine (later) edited it → it comes back
    r2 = merge_maps(B, theirs, mine)
    assert r2.graph.nodes["tp-3"]["pain_point"] == "queue" and r2.conflicts[0].replaced == DELETED


def test_a_transition_to_a_touchpoint_deleted_meanwhile_is_dropped_and_reported():
    B = base_map()
    theirs = editing.apply_touchpoint_edits(B, RowEdits(deleted=["tp-3"])).graph  # Z deleted
    mine = editing.apply_transition_edits(B, RowEdits(added=[{"source": "tp-2", "target": "tp-3"}])).graph
    r = merge_maps(B, mine, theirs)
    assert "tp-3" not in r.graph and not r.graph.has_edge("tp-2", "tp-3")
    assert any(c.kind == "transition" and c.key == ("tp-2", "tp-3") for c in r.conflicts)


def test_comments_from_both_sides_are_all_kept():
    B = base_map()
    mine = editing.add_comment(B, "tp-1", "Ann", "mine", when="t1")
    theirs = editing.add_comment(B, "tp-1", "Bob", "theirs", when="t2")
    r = merge_maps(B, mine, theirs)
    assert sorted(c["text"] for c in r.graph.nodes["tp-1"]["comments"]) == ["mine", "theirs"]


def test_votes_merge_per_participant_and_emotion_is_their_mean():
    B = base_map()
    mine = editing.cast_vote(B, "tp-2", "Ann", 2.0, when="t1")
    theirs = editing.cast_vote(B, "tp-2", "Bob", -1.0, when="t2")
    r = merge_maps(B, mine, theirs)
    assert sorted(v["participant"] for v in r.graph.nodes["tp-2"]["votes"]) == ["Ann", "Bob"]
    assert r.graph.nodes["tp-2"]["emotion"] == 0.5
    assert not r.conflicts, "two people voting is not a conflict"


def test_stage_edits_and_persona_merge_and_a_used_stage_is_never_dropped():
    B = base_map()
    mine = editing.apply_stage_edits(B, RowEdits({"awareness": {"name": "Seeing"}}, deleted=["consideration"])).graph
    theirs = editing.update_map_fields(B, persona={"name": "Anna"})
    theirs = editing.apply_touchpoint_edits(theirs, RowEdits({"tp-1": {"stage": "consideration"}})).graph
    r = merge_maps(B, mine, theirs)
    stages = {s["id"]: s for s in r.graph.graph["stages"]}
    assert stages["awareness"]["name"] == "Seeing" and "consideration" in stages
    assert r.graph.graph["persona"]["name"] == "Anna"
    assert any(c.kind == "stage" and c.key == "consideration" for c in r.conflicts)


def test_stage_order_from_the_side_that_reordered():
    B = base_map()
    mine = editing.apply_stage_edits(B, RowEdits({"loyalty": {"position": 1}})).graph
    theirs = editing.apply_stage_edits(B, RowEdits(added=[{"name": "Win-back", "phase": "after_purchase"}])).graph
    ids = [s["id"] for s in merge_maps(B, mine, theirs).graph.graph["stages"]]
    assert ids[0] == "loyalty" and ids[-1] == "win_back" and len(ids) == 10
