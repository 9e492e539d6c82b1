"""Version notes as data: stored as JSON, rendered in the reader's language, conflicts as data."""

import pytest

from cjm.merge import DELETED, Conflict
from cjm.notes import NOTE_KINDS, VersionNote, conflict_text, note_text

EXAMPLES = {
    "text": {"text": "typed by hand"},
    "created": {},
    "sample": {},
    "imported": {"file": "shop.csv"},
    "copy": {"title": "Shop", "version": 3},
    "renamed": {"old": "Shop"},
    "edit": {"added": ["Chat"], "changed": [["Checkout", ["emotion", "pain_point"]]], "transitions": 2},
    "undo": {"step": VersionNote("renamed", {"old": "Shop"}).to_dict()},
    "redo": {"step": VersionNote("edit", {"removed": ["Ad"]}).to_dict()},
    "restored": {"version": 4},
    "audit": {"items": [["Checkout", ["score", "owner"]]]},
    "catalogue": {"key": "chat"},
    "funnel_counts": {"source": "events.csv"},
}


def test_every_kind_has_an_example():
    assert set(EXAMPLES) == set(NOTE_KINDS)


@pytest.mark.parametrize("kind", NOTE_KINDS)
def test_every_kind_round_trips_and_renders_in_both_languages(kind):
    note = VersionNote(kind, EXAMPLES[kind])
    assert VersionNote.from_text(note.to_text()) == note
    en, ru = note_text(note, "en"), note_text(note, "ru")
    assert en and ru
    if kind != "text":
        assert en != ru, "a note reads in the reader's language"


def test_edit_and_audit_notes_name_fields_in_the_readers_language():
    assert note_text(VersionNote("edit", EXAMPLES["edit"]), "ru").startswith(
        "добавлена «Chat»; изменена «Checkout»: Эмоция"
    )
    assert note_text(VersionNote("audit", EXAMPLES["audit"]), "en") == "audit: Checkout (Score, Owner)"
    assert note_text(VersionNote("undo", EXAMPLES["undo"]), "en") == "undo: renamed from “Shop”"


def test_a_merge_and_its_conflicts_are_data_and_rendered_after_the_note():
    c = Conflict("touchpoint", "tp-1", "Checkout", "emotion", 0.0, -1.0, 1.0)
    gone = Conflict("touchpoint", "tp-2", "Ad", None, "", DELETED, {"changed": ["pain_point"]})
    note = VersionNote("edit", {"changed": [["Checkout", ["emotion"]]]}).merged(7, [c, gone])
    back = VersionNote.from_text(note.to_text())
    assert back.merged_with == 7 and back.conflicts == (c, gone) and back.has_conflicts
    text = note_text(back, "en")
    assert "(merged with version 7)" in text and "touchpoint “Checkout” Emotion: “−1.0” replaced “+1.0”" in text
    assert conflict_text(gone, "ru") == "точка контакта «Ad» —: «удалено» заменило «изменено: Боль»"
    stage = Conflict("stage", "interest", "Interest", None, "", {"still_used": True}, DELETED)
    assert conflict_text(stage, "en") == "stage “Interest” —: “kept: touchpoints are still in it” replaced “deleted”"


def test_many_conflicts_are_counted_not_lost():
    many = [Conflict("touchpoint", f"tp-{i}", f"T{i}", "emotion", 0, 1, 2) for i in range(25)]
    note = VersionNote.from_text(VersionNote("edit").merged(3, many).to_text())
    assert len(note.conflicts) == 20 and note.more_conflicts == 5
    assert note_text(note, "en").endswith("15 more")


def test_free_text_and_foreign_json_are_shown_as_they_are():
    for text in ("resolved the conflicts by hand", '{"kind": "edit"}', "{not json", ""):
        note = VersionNote.from_text(text)
        assert note.kind == "text" and not note.has_conflicts and note_text(note, "ru") == text


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        VersionNote("launch")
