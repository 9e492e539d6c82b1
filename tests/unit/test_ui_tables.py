"""The data editor's wire format, read in one place (cjm_ui/tables.py): row numbers become row ids."""

import pytest

from cjm.editing import RowEdits
from cjm.errors import Place, ValidationError
from cjm_ui.tables import row_edits, state_is_empty


def test_row_numbers_become_the_ids_of_the_rows_as_drawn():
    state = {
        "edited_rows": {"2": {"emotion": 1.5}, 0: {"name": "Ad", "pain_point": "loud"}},
        "added_rows": [{"name": "Chat"}, {}],
        "deleted_rows": [1, 1],
    }
    edits = row_edits(state, ["tp-3", "tp-1", "tp-2"])
    assert edits == RowEdits(
        {"tp-3": {"name": "Ad", "pain_point": "loud"}, "tp-2": {"emotion": 1.5}}, [{"name": "Chat"}, {}], ["tp-1"]
    )


def test_row_ids_may_be_transition_pairs():
    edits = row_edits({"edited_rows": {1: {"users": 5}}, "deleted_rows": [0]}, [("a", "b"), ("b", "c")])
    assert edits.changed == {("b", "c"): {"users": 5}} and edits.deleted == [("a", "b")]


def test_a_row_outside_the_table_is_an_error_naming_the_row_not_a_lost_edit():
    with pytest.raises(ValidationError) as info:
        row_edits({"edited_rows": {4: {"score": 1}}, "deleted_rows": [7]}, ["a", "b"], what="touchpoint")
    assert [p.place for p in info.value.problems] == [
        Place("touchpoint_table_row", {"n": 5}),
        Place("touchpoint_table_row", {"n": 8}),
    ]
    with pytest.raises(ValidationError) as info:
        row_edits({"edited_rows": {2: {"score": 1}}}, ["a"])
    assert info.value.problems[0].place == Place("row", {"n": 3}) and info.value.problems[0].code == "no_such_row"


def test_an_empty_or_missing_state_is_no_edit():
    assert state_is_empty(None) and state_is_empty({"edited_rows": {}, "added_rows": [], "deleted_rows": []})
    assert not state_is_empty({"edited_rows": {}, "added_rows": [{}], "deleted_rows": []})
    assert row_edits(None, []).empty
