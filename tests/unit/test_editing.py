"""Applying table edits (keyed by row id) and the workshop helpers to a map (no Streamlit)."""

from datetime import date, time

import pytest

from cjm import editing, model, schema
from cjm.editing import RowEdits
from cjm.errors import ValidationError
from cjm.io.jsonio import graphs_equal
from cjm.validation import validate_map


def make_map():
    G = model.new_map("Coffee", map_id="coffee")
    model.add_touchpoint(G, "See an ad", "awareness", emotion=0.5, channel="social")
    model.add_touchpoint(G, "Visit the site", "interest", emotion=-0.5)
    model.add_touchpoint(G, "Pay", "purchase", emotion=1.0, conversion_point=True)
    model.add_transition(G, "tp-1", "tp-2", users=100)
    model.add_transition(G, "tp-2", "tp-3", users=40)
    return validate_map(G)


def frozen(G):
    return validate_map(G)  # a normalised copy to compare against later


def test_touchpoint_frame_rows_follow_journey_order_and_types():
    G = make_map()
    frame = editing.touchpoint_frame(G, "all")
    assert list(frame["id"]) == model.touchpoints_in_order(G)
    assert frame.columns[0] == "id"
    assert set(editing.TOUCHPOINT_EDITOR_FIELDS) <= set(frame.columns)
    assert str(frame["emotion"].dtype) == "Float64" and str(frame["users"].dtype) == "Int64"


def test_table_rows_are_the_ids_of_each_frames_rows_in_order():
    G = make_map()
    assert editing.table_rows(G, "touchpoints") == list(editing.touchpoint_frame(G)["id"])
    frame = editing.transition_frame(G)
    assert editing.table_rows(G, "transitions") == list(zip(frame["source"], frame["target"], strict=True))
    assert editing.table_rows(G, "stages") == list(editing.stage_frame(G)["id"])
    with pytest.raises(ValueError):
        editing.table_rows(G, "votes")


def test_a_change_to_values_keeps_every_tables_rows_so_an_open_cell_is_kept():
    # The editor keeps a table's widget (and the cell being typed) while its rows stay the same.
    G = make_map()
    H = G.copy()
    H.nodes["tp-2"].update(name="Renamed", emotion=-2.0, pain_point="Slow")
    H.edges["tp-1", "tp-2"]["users"] = 7
    H.graph["stages"] = [dict(s) for s in G.graph["stages"]]
    H.graph["stages"][0]["name"] = "Seeing"
    for table in ("touchpoints", "transitions", "stages"):
        assert editing.table_rows(H, table) == editing.table_rows(G, table)


@pytest.mark.parametrize(
    "change, tables",
    [
        (lambda H: model.add_touchpoint(H, "New first", "awareness", order=-1.0), {"touchpoints"}),
        (lambda H: H.remove_node("tp-2"), {"touchpoints", "transitions"}),
        (lambda H: H.nodes["tp-1"].update(stage="retention"), {"touchpoints", "transitions"}),
        (lambda H: model.add_transition(H, "tp-1", "tp-3"), {"transitions"}),
        (lambda H: H.graph["stages"].reverse(), {"stages", "touchpoints", "transitions"}),
    ],
    ids=["touchpoint added", "touchpoint deleted", "touchpoint moved", "transition added", "stages reordered"],
)
def test_adding_deleting_or_reordering_rows_changes_the_rows_of_the_tables_that_show_them(change, tables):
    # Such a change redraws the table: the editor holds it while a cell is being typed.
    G = make_map()
    H = G.copy()
    H.graph["stages"] = [dict(s) for s in G.graph["stages"]]
    change(H)
    changed = {
        t for t in ("touchpoints", "transitions", "stages") if editing.table_rows(H, t) != editing.table_rows(G, t)
    }
    assert changed == tables


def test_every_tabular_field_is_in_some_column_group_and_list_fields_are_not():
    grouped = {f for g, cols in editing.COLUMN_GROUPS.items() if g != "all" for f in cols}
    assert set(editing.TOUCHPOINT_EDITOR_FIELDS) == grouped
    assert "comments" not in grouped and "votes" not in grouped


def test_editing_a_cell_changes_only_that_touchpoint_field():
    G = make_map()
    before = frozen(G)
    res = editing.apply_touchpoint_edits(G, RowEdits({"tp-2": {"emotion": -1.5, "pain_point": "slow"}}))
    assert res.changed
    H = res.graph
    assert H.nodes["tp-2"]["emotion"] == -1.5 and H.nodes["tp-2"]["pain_point"] == "slow"
    assert H.nodes["tp-1"] == before.nodes["tp-1"]
    assert graphs_equal(G, before), "the input map must not be mutated"


def test_dates_and_times_from_the_editor_are_stored_as_iso_text():
    G = make_map()
    H = editing.apply_touchpoint_edits(
        G, RowEdits({"tp-1": {"deadline": "2027-03-01T00:00:00", "time_of_day": "08:30:00.000"}})
    ).graph
    assert H.nodes["tp-1"]["deadline"] == "2027-03-01" and H.nodes["tp-1"]["time_of_day"] == "08:30"
    frame = editing.touchpoint_frame(H, "all")
    assert frame.loc[0, "deadline"] == date(2027, 3, 1) and frame.loc[0, "time_of_day"] == time(8, 30)


def test_an_added_row_becomes_a_touchpoint_with_a_fresh_id_at_the_end_of_its_stage():
    G = make_map()
    H = editing.apply_touchpoint_edits(G, RowEdits(added=[{"name": "Chat", "stage": "purchase"}])).graph
    new = [n for n in H if n not in G]
    assert len(new) == 1 and H.nodes[new[0]]["name"] == "Chat" and H.nodes[new[0]]["stage"] == "purchase"
    assert model.touchpoints_in_order(H)[-1] == new[0]


def test_an_added_row_without_a_stage_goes_to_the_first_stage():
    H = editing.apply_touchpoint_edits(make_map(), RowEdits(added=[{"name": "Billboard"}])).graph
    assert H.nodes["tp-4"]["stage"] == "awareness"


def test_a_still_empty_added_row_is_pending_not_an_error():
    G = make_map()
    res = editing.apply_touchpoint_edits(G, RowEdits(added=[{}, {"name": None}]))
    assert not res.changed and res.pending_rows == 2 and res.graph is G


def test_deleting_a_row_removes_the_touchpoint_and_its_transitions():
    G = make_map()
    H = editing.apply_touchpoint_edits(G, RowEdits(deleted=["tp-2"])).graph
    assert "tp-2" not in H and H.number_of_edges() == 0


def test_reordering_by_order_and_stage_columns():
    G = make_map()
    H = editing.apply_touchpoint_edits(G, RowEdits({"tp-3": {"stage": "awareness", "order": 0.5}})).graph
    assert model.touchpoints_in_order(H)[0] == "tp-3"


def test_move_touchpoint_renumbers_and_crosses_stage_boundaries():
    G = make_map()
    H = editing.move_touchpoint(G, "tp-3", -1)
    assert model.touchpoints_in_order(H) == ["tp-1", "tp-3", "tp-2"]
    assert H.nodes["tp-3"]["stage"] == "interest"
    assert editing.move_touchpoint(G, "tp-1", -1).nodes["tp-1"] == G.nodes["tp-1"]


@pytest.mark.parametrize(
    ("edits", "where", "field"),
    [
        (RowEdits({"tp-1": {"emotion": 7}}), "touchpoint 'tp-1'", "emotion"),
        (RowEdits({"tp-2": {"name": ""}}), "touchpoint 'tp-2'", "name"),
        (RowEdits({"tp-1": {"stage": "nowhere"}}), "touchpoint 'tp-1'", "stage"),
        (RowEdits(added=[{"pain_point": "no name given"}]), "new row 1", "name"),
        (RowEdits({"tp-1": {"id": "other"}}), "touchpoint 'tp-1'", "id"),
        (RowEdits({"tp-9": {"emotion": 1}}), "touchpoint 'tp-9'", None),
    ],
)
def test_invalid_touchpoint_edits_raise_naming_the_place_and_leave_the_map_unchanged(edits, where, field):
    G = make_map()
    before = frozen(G)
    with pytest.raises(ValidationError) as err:
        editing.apply_touchpoint_edits(G, edits)
    assert any(p.location == where and p.field == field for p in err.value.problems), err.value.problems
    assert graphs_equal(G, before)


def test_an_edge_to_a_deleted_touchpoint_is_refused_with_the_transition_named():
    G = make_map()
    G2 = editing.apply_touchpoint_edits(G, RowEdits(deleted=["tp-3"])).graph  # tp-3 gone
    # the transition table was built before the deletion and the user points an edge at tp-3
    with pytest.raises(ValidationError) as err:
        editing.apply_transition_edits(G2, RowEdits(added=[{"source": "tp-1", "target": "tp-3"}]))
    (problem,) = err.value.problems
    assert problem.location == "new transition row 1" and problem.field == "target" and "tp-3" in problem.message
    with pytest.raises(ValidationError) as err:
        editing.apply_transition_edits(G2, RowEdits({("tp-1", "tp-2"): {"target": "tp-3"}}))
    assert err.value.problems[0].location == "transition 'tp-1' → 'tp-2'"


def test_transition_rows_can_be_edited_moved_added_and_deleted():
    G = make_map()
    frame = editing.transition_frame(G)
    assert list(zip(frame["source"], frame["target"], strict=True)) == [("tp-1", "tp-2"), ("tp-2", "tp-3")]
    H = editing.apply_transition_edits(
        G,
        RowEdits(
            {("tp-1", "tp-2"): {"users": 90, "label": "clicks"}, ("tp-2", "tp-3"): {"source": "tp-1"}},
            [{"source": "tp-3", "target": "tp-1", "label": "repeat"}],
        ),
    ).graph
    assert H.edges["tp-1", "tp-2"] == {"users": 90, "label": "clicks"}
    assert H.has_edge("tp-1", "tp-3") and not H.has_edge("tp-2", "tp-3")
    assert H.edges["tp-1", "tp-3"]["users"] == 40, "a moved transition keeps its fields"
    assert H.edges["tp-3", "tp-1"]["label"] == "repeat"
    assert editing.apply_transition_edits(H, RowEdits(deleted=[("tp-1", "tp-2")])).graph.number_of_edges() == 2


def test_a_duplicate_transition_is_refused():
    with pytest.raises(ValidationError, match="exists already"):
        editing.apply_transition_edits(make_map(), RowEdits(added=[{"source": "tp-1", "target": "tp-2"}]))


def test_a_transition_added_twice_is_refused_naming_its_ends_by_touchpoint_names_not_ids():
    # The table's From and To show touchpoint names; the reason a new row is refused names them too.
    G = make_map()
    with pytest.raises(ValidationError) as err:
        editing.apply_transition_edits(G, RowEdits(added=[{"source": "tp-1", "target": "tp-2"}]))
    en = editing.describe_problem(err.value.problems[0], G, "en")
    ru = editing.describe_problem(err.value.problems[0], G, "ru")
    assert en == "transition 'See an ad' → 'Visit the site': this transition exists already"
    assert ru == "переход 'See an ad' → 'Visit the site': такой переход уже есть"


def test_stages_can_be_renamed_added_reordered_and_moved_to_another_phase():
    G = make_map()
    H = editing.apply_stage_edits(
        G,
        RowEdits(
            {"awareness": {"name": "Noticing us", "phase": "purchase"}, "loyalty": {"position": 1}},
            [{"name": "Referral bonus", "phase": "after_purchase"}],
        ),
    ).graph
    ids = [s["id"] for s in H.graph["stages"]]
    assert ids[0] == "loyalty" and ids[1] == "awareness" and ids[-1] == "referral_bonus"
    assert H.graph["stages"][1] == {"id": "awareness", "name": "Noticing us", "phase": "purchase"}


def test_changing_a_stage_id_moves_its_touchpoints_with_it():
    H = editing.apply_stage_edits(make_map(), RowEdits({"awareness": {"id": "seen"}})).graph
    assert H.nodes["tp-1"]["stage"] == "seen"


def test_a_stage_with_touchpoints_cannot_be_deleted_but_an_empty_one_can():
    G = make_map()
    with pytest.raises(ValidationError, match="still has 1 touchpoint"):
        editing.apply_stage_edits(G, RowEdits(deleted=["awareness"]))
    H = editing.apply_stage_edits(G, RowEdits(deleted=["consideration"])).graph  # consideration is empty
    assert "consideration" not in [s["id"] for s in H.graph["stages"]]


def test_an_invalid_phase_is_refused():
    with pytest.raises(ValidationError) as err:
        editing.apply_stage_edits(make_map(), RowEdits({"awareness": {"phase": "someday"}}))
    assert err.value.problems[0].field == "phase"


def test_map_and_persona_fields_are_editable():
    H = editing.update_map_fields(
        make_map(), title="Coffee to go", map_type="future_state", segment="students",
        persona={"name": "Anna", "goals": "be on time"},
    )  # fmt: skip
    assert H.graph["title"] == "Coffee to go" and H.graph["map_type"] == "future_state"
    assert H.graph["persona"]["name"] == "Anna" and H.graph["persona"]["goals"] == "be on time"
    with pytest.raises(ValidationError):
        editing.update_map_fields(make_map(), title="  ")


def test_quick_add_touchpoint_pain_point_and_idea():
    G = make_map()
    G, tp = editing.quick_add(G, "Courier call", stage="post_purchase")
    assert G.nodes[tp]["stage"] == "post_purchase" and G.nodes[tp]["name"] == "Courier call"
    G, same = editing.quick_add(G, "Courier is late", kind="pain_point", target=tp)
    G, same2 = editing.quick_add(G, "SMS with ETA", kind="idea", target=tp)
    assert same == same2 == tp and G.nodes[tp]["opportunity"] == "SMS with ETA"
    G, again = editing.quick_add(G, "Second late courier", kind="pain_point", target=tp)
    assert G.nodes[tp]["pain_point"] == "Courier is late\nSecond late courier"
    G, created = editing.quick_add(G, "Cannot find opening hours", kind="pain_point", stage="interest")
    assert created != tp and G.nodes[created]["pain_point"] == "Cannot find opening hours"
    with pytest.raises(ValidationError):
        editing.quick_add(G, "   ")


def test_a_quick_touchpoint_too_long_for_a_name_keeps_its_whole_text_as_the_action():
    text = "Calls the shop to ask " + "whether the order left the warehouse, " * 8 + "and waits."
    assert len(text) > schema.NAME_MAX
    G, tp = editing.quick_add(make_map(), text, stage="post_purchase")
    name = G.nodes[tp]["name"]
    assert len(name) == schema.NAME_MAX and name.endswith("…") and text.startswith(name[:-1])
    assert G.nodes[tp]["action"] == text  # nothing typed is lost
    G, short = editing.quick_add(G, "Courier call", stage="post_purchase")
    assert not G.nodes[short].get("action")


def test_a_participants_new_vote_replaces_their_earlier_one_and_emotion_is_the_mean():
    G = make_map()
    G = editing.cast_vote(G, "tp-2", "Ann", 2.0)
    G = editing.cast_vote(G, "tp-2", "Bob", -1.0)
    G = editing.cast_vote(G, "tp-2", "Ann", 0.0)
    votes = G.nodes["tp-2"]["votes"]
    assert sorted((v["participant"], v["score"]) for v in votes) == [("Ann", 0.0), ("Bob", -1.0)]
    assert G.nodes["tp-2"]["emotion"] == -0.5
    G = editing.remove_vote(G, "tp-2", "Bob")
    assert G.nodes["tp-2"]["emotion"] == 0.0
    with pytest.raises(ValidationError):
        editing.cast_vote(G, "tp-2", "Ann", 7)


def test_comments_are_added_and_deleted():
    G = editing.add_comment(make_map(), "tp-1", "Ann", "Seen it on the metro")
    G = editing.add_comment(G, "tp-1", "Bob", "Mostly students")
    assert [c["author"] for c in G.nodes["tp-1"]["comments"]] == ["Ann", "Bob"]
    G = editing.delete_comment(G, "tp-1", 0)
    assert [c["text"] for c in G.nodes["tp-1"]["comments"]] == ["Mostly students"]
    with pytest.raises(ValidationError):
        editing.add_comment(G, "tp-1", "Ann", "  ")


def test_problems_are_described_with_the_touchpoint_name_and_translated_field():
    G = make_map()
    with pytest.raises(ValidationError) as err:
        editing.apply_touchpoint_edits(G, RowEdits({"tp-1": {"emotion": 7}}))
    en = editing.describe_problem(err.value.problems[0], G, "en")
    ru = editing.describe_problem(err.value.problems[0], G, "ru")
    assert "See an ad" in en and "Emotion" in en and "7" in en
    assert "See an ad" in ru and "Эмоция" in ru


def test_every_text_choice_and_date_column_of_an_empty_map_is_an_object_column_never_float():
    # An empty list becomes a float column, which st.data_editor refuses for a text column: the
    # crash of Library → New map → Edit map and of the Transitions tab of a map without transitions.
    G = model.new_map("Blank", map_id="blank")
    frames = [editing.touchpoint_frame(G, group) for group in editing.COLUMN_GROUPS]
    frames += [editing.transition_frame(G)]
    for frame in frames:
        for column in frame.columns:
            assert frame[column].dtype.kind != "f" or str(frame[column].dtype) == "Float64", column
    assert editing.transition_frame(G)["label"].dtype == object
    assert editing.touchpoint_frame(G)["name"].dtype == object


def test_quick_add_links_a_new_touchpoint_from_the_one_before_it_in_the_journey():
    G = model.new_map("Workshop", map_id="ws")
    G, first = editing.quick_add(G, "Advert", stage="awareness", link_previous=True)
    assert G.number_of_edges() == 0  # nothing before the first one
    G, second = editing.quick_add(G, "Website", stage="consideration", link_previous=True)
    G, early = editing.quick_add(G, "Word of mouth", stage="awareness", link_previous=True)
    assert G.has_edge(first, second) and G.has_edge(first, early)
    G, unlinked = editing.quick_add(G, "Shop", stage="purchase")
    assert not any(unlinked in edge for edge in G.edges)


def test_connect_in_order_links_a_stages_touchpoints_one_to_the_next_and_keeps_existing_transitions():
    G = model.new_map("Workshop", map_id="ws")
    ids = []
    for name, stage in [("A", "awareness"), ("B", "awareness"), ("C", "awareness"), ("D", "purchase")]:
        G, tp = editing.quick_add(G, name, stage=stage)
        ids.append(tp)
    model.add_transition(G, ids[0], ids[1], users=50)
    H, added = editing.connect_in_order(G, "awareness")
    assert added == 1 and set(H.edges) == {(ids[0], ids[1]), (ids[1], ids[2])}
    assert H.edges[ids[0], ids[1]]["users"] == 50
    whole, added = editing.connect_in_order(G)
    assert added == 2 and whole.has_edge(ids[2], ids[3])
    with pytest.raises(ValidationError):
        editing.connect_in_order(G, "no-such-stage")
