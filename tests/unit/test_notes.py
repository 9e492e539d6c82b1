"""Version notes as data: stored as JSON, rendered in the reader's language, conflicts as data."""

import re
from datetime import UTC, datetime, timedelta

import pytest

from cjm import merge, schema
from cjm.merge import DELETED, Conflict
from cjm.notes import NOTE_KINDS, VersionNote, ago_text, conflict_text, note_text

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


# ---- no field ids and no raw ISO times where people read notes (issue 17) ----------------------------

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _every_conflict() -> list[Conflict]:
    """A conflict on every field a merge can report (cjm.merge): touchpoint, transition, stage,
    persona and map fields, votes, with values of every kind (choices, dates, time stamps)."""
    samples = {"bool": True, "float": -1.5, "int": 42, "date": "2026-09-06", "time": "09:30", "list": ["a", "b"]}
    out = []
    for f in schema.TOUCHPOINT_FIELDS:
        if f.name in ("id", "comments", "votes"):
            continue
        value = (f.choices or ("x",))[0] if f.kind == "choice" else samples.get(f.kind, "Old")
        out.append(Conflict("touchpoint", "tp-1", "Checkout", f.name, None, value, value))
    out += [Conflict("transition", ("a", "b"), "A → B", f.name, None, 5, 7) for f in schema.TRANSITION_FIELDS]
    out += [
        Conflict("stage", "interest", "Interest", "name", "Interest", "Ideas", "Choice"),
        Conflict("stage", "interest", "Interest", "phase", "purchase", "purchase", "after_purchase"),
        Conflict("touchpoint", "tp-1", "Checkout", "votes[Anna]", None, 2, -1),
        Conflict("touchpoint", "tp-1", "Checkout", "stage", None, "awareness", "purchase"),
    ]
    out += [Conflict("persona", None, "Olga", f.name, "", "a", "b") for f in schema.PERSONA_FIELDS]
    for name in merge._MAP_SCALARS:
        value = {
            "map_type": "future_state",
            "language": "ru",
            "counts_source": {"source": "shop.csv", "saved_at": "2026-12-03T14:47:10+00:00", "touchpoints": {}},
        }.get(name, "Shop")
        out.append(Conflict("map", None, "", name, None, value, "Old"))
    return out


@pytest.mark.parametrize("lang", ["en", "ru"])
def test_conflicts_name_every_field_by_its_label_and_write_times_as_people_do(lang):
    ids = {f.name for f in schema.TOUCHPOINT_FIELDS if "_" in f.name} | set(merge._MAP_SCALARS) - {"title", "segment"}
    ids |= {f.name for f in schema.PERSONA_FIELDS} - {"name"}
    for c in _every_conflict():
        text = conflict_text(c, lang)
        if lang == "ru":  # Russian labels are Cyrillic: any Latin field id would be a raw one
            assert c.field is None or c.field.split("[")[0] not in text, f"raw field id in {text!r}"
        assert not any(i in text for i in ids), f"raw field id in {text!r}"
        assert not _ISO.search(text), f"raw ISO date in {text!r}"
    ru = {conflict_text(c, "ru") for c in _every_conflict()}
    if lang == "ru":
        assert "этап «Interest» Название этапа: «Ideas» заменило «Choice»" in ru
        assert "персона «Olga» Персона: Цели: «a» заменило «b»" in ru
        assert any("3 дек 2026, 14:47" in s for s in ru) and any("6 сен 2026" in s for s in ru)
        assert any("голос Anna: «+2,0» заменило «−1,0»" in s for s in ru)


def test_a_version_diff_names_fields_and_writes_dates_per_language():
    from cjm.history import diff_maps, diff_table
    from cjm.model import add_touchpoint, new_map

    A = new_map("Shop", map_id="shop")
    tp = add_touchpoint(A, "Checkout", "awareness")
    B = A.copy()
    B.nodes[tp].update(deadline="2026-09-06", channel="website", key_touchpoint=True)
    B.graph["language"] = "ru"
    table = diff_table(diff_maps(A, B), "ru")
    text = " ".join(" ".join(map(str, row)) for row in table.itertuples(index=False))
    assert "6 сен 2026" in text and "Сайт" in text and "English" in text and "Русский" in text and " да" in text
    assert not _ISO.search(text) and "deadline" not in text and "website" not in text


def test_last_change_is_minutes_ago_within_a_day_and_a_date_after():
    now = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    assert ago_text(now - timedelta(seconds=20), "ru", now=now) == "20 с назад"
    assert ago_text(now - timedelta(hours=5), "en", now=now) == "5 h ago"
    assert ago_text(now - timedelta(days=3), "ru", now=now) == "30 ноя 2026, 15:00"
    assert ago_text("2026-11-30T09:05:00", "en", now=now) == "on 30 Nov 2026, 09:05"
