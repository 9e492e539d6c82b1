"""Version notes as data: what a saved version did (``kind`` + ``params``), which version it was
merged with and the same-field conflicts of that merge, rendered in the reader's language.

A note is stored in the ``note`` column of a version as a small JSON object; a note that is not
one (older databases, free text) is kept and shown as it is. Nothing here is English text: the
translation layer renders a note when it is shown (:func:`note_text`), so a version saved by a
Russian-speaking facilitator reads in English for an English-speaking colleague, and a warning
about conflicts is decided by :attr:`VersionNote.has_conflicts`, never by words in the text.

>>> n = VersionNote("renamed", {"old": "Coffee"})
>>> VersionNote.from_text(n.to_text()) == n
True
>>> note_text(n, "en"), note_text(n, "ru")
('renamed from “Coffee”', 'переименована (было «Coffee»)')
>>> note_text("typed by hand", "ru")
'typed by hand'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

from cjm.history import field_label, render_summary, value_label
from cjm.i18n import has, t
from cjm.merge import DELETED, Conflict
from cjm.text import fmt_date

__all__ = ["NOTE_KINDS", "CONFLICTS_KEPT", "VersionNote", "note_text", "conflict_text", "value_text", "ago_text"]

#: Every kind of version note; each has a ``note.<kind>`` text in the catalogues.
NOTE_KINDS = (
    "text",  # free text (a note that is not structured: older versions, a note typed by hand)
    "created",
    "sample",
    "imported",
    "copy",
    "renamed",
    "edit",
    "undo",
    "redo",
    "restored",
    "audit",
    "catalogue",
    "funnel_counts",
)

#: How many conflicts a note keeps in full (the rest are counted).
CONFLICTS_KEPT = 20

_MARK = "cjm_note"  # key that tells a structured note from free text that happens to be JSON


def _plain(value: Any) -> Any:
    """A JSON-safe copy of a value (tuples as lists, anything unusual as text)."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def _conflict_to_dict(c: Conflict) -> dict[str, Any]:
    return {
        "kind": c.kind,
        "key": _plain(c.key),
        "name": c.name,
        "field": c.field,
        "base": _plain(c.base),
        "kept": _plain(c.kept),
        "replaced": _plain(c.replaced),
    }


def _conflict_from_dict(d: dict[str, Any]) -> Conflict:
    key = d.get("key")
    return Conflict(
        kind=str(d.get("kind") or ""),
        key=tuple(key) if isinstance(key, list) else key,
        name=str(d.get("name") or ""),
        field=d.get("field"),
        base=d.get("base"),
        kept=d.get("kept"),
        replaced=d.get("replaced"),
    )


@dataclass(frozen=True)
class VersionNote:
    """What one saved version did.

    ``kind`` is one of :data:`NOTE_KINDS`; ``params`` its data (names, numbers, nested notes:
    JSON-safe values only); ``merged_with`` the version this save was merged with when someone
    saved meanwhile; ``conflicts`` the same-field clashes of that merge (the later edit was kept,
    the replaced value stays in the earlier version) and ``more_conflicts`` how many more there were.
    """

    kind: str
    params: dict[str, Any] = field(default_factory=dict)
    merged_with: int | None = None
    conflicts: tuple[Conflict, ...] = ()
    more_conflicts: int = 0

    def __post_init__(self) -> None:
        if self.kind not in NOTE_KINDS:
            raise ValueError(f"unknown note kind {self.kind!r}; kinds: {', '.join(NOTE_KINDS)}")
        object.__setattr__(self, "params", _plain(dict(self.params)))

    @property
    def has_conflicts(self) -> bool:
        """True when the save replaced values someone else had saved meanwhile."""
        return bool(self.conflicts) or self.more_conflicts > 0

    def merged(self, version: int | None, conflicts: list[Conflict] | tuple[Conflict, ...] = ()) -> VersionNote:
        """This note for a save merged with ``version`` (``None``: not merged with a newer version),
        with the same-field ``conflicts`` the save overrode."""
        conflicts = tuple(conflicts)
        return replace(
            self,
            merged_with=None if version is None else int(version),
            conflicts=conflicts[:CONFLICTS_KEPT],
            more_conflicts=max(0, len(conflicts) - CONFLICTS_KEPT),
        )

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {_MARK: 1, "kind": self.kind}
        if self.params:
            out["params"] = self.params
        if self.merged_with is not None:
            out["merged_with"] = self.merged_with
        if self.conflicts:
            out["conflicts"] = [_conflict_to_dict(c) for c in self.conflicts]
        if self.more_conflicts:
            out["more_conflicts"] = self.more_conflicts
        return out

    def to_text(self) -> str:
        """The note as stored in a version (compact JSON)."""
        return json.dumps(self.to_dict(), ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> VersionNote:
        kind = d.get("kind")
        if kind not in NOTE_KINDS:
            return cls("text", {"text": json.dumps(d, ensure_ascii=False)})
        merged = d.get("merged_with")
        return cls(
            kind,
            dict(d.get("params") or {}),
            int(merged) if isinstance(merged, int) else None,
            tuple(_conflict_from_dict(c) for c in d.get("conflicts") or [] if isinstance(c, dict)),
            int(d.get("more_conflicts") or 0),
        )

    @classmethod
    def from_text(cls, text: str | None) -> VersionNote:
        """The note stored in a version; free text (not a structured note) becomes kind ``text``."""
        text = text or ""
        if text.startswith("{"):
            try:
                d = json.loads(text)
            except ValueError:
                d = None
            if isinstance(d, dict) and d.get(_MARK) == 1:
                return cls.from_dict(d)
        return cls("text", {"text": text})

    @classmethod
    def of(cls, note: VersionNote | str | None) -> VersionNote:
        """``note`` as a :class:`VersionNote` (stored text is parsed)."""
        return note if isinstance(note, VersionNote) else cls.from_text(note)


def value_text(value: Any, lang: str, *, limit: int = 60, field: str | None = None) -> str:
    """A field value inside a note or a conflict line: a deletion as "deleted", what a merge says
    about a whole item (see :class:`cjm.merge.Conflict`) in words, anything else as
    :func:`cjm.history.value_label` writes it in ``lang`` (a vote's score as an emotion; no field
    id, no raw ISO time)."""
    if value == DELETED:
        return t("note.deleted", lang)
    if isinstance(value, dict):
        if "changed" in value:
            return t("note.changed", lang, fields=", ".join(_field(f, lang) for f in value["changed"]) or "—")
        if "dropped" in value:
            return t("note.dropped", lang, name=value["dropped"])
        if value.get("still_used"):
            return t("note.still_used", lang)
    if field and field.startswith("votes["):
        field = "emotion"
    return value_label(field, value, lang, limit=limit)


def _field(name: str | None, lang: str, kind: str | None = None) -> str:
    if not name:
        return ""
    if name.startswith("votes["):
        return t("note.vote_of", lang, name=name[6:-1])
    return field_label(name, lang, kind)


def conflict_text(c: Conflict, lang: str) -> str:
    """One conflict as a line: where, which field (its label, never its id), the value kept and the
    value it replaced (as people write them in ``lang``)."""
    where = t(f"editor.kind.{c.kind}", lang) if has(f"editor.kind.{c.kind}") else c.kind
    if c.name:
        where = t("note.named", lang, what=where, name=c.name)
    return t(
        "note.conflict",
        lang,
        where=where,
        field=_field(c.field, lang, c.kind) or "—",
        kept=value_text(c.kept, lang, field=c.field),
        replaced=value_text(c.replaced, lang, field=c.field),
    )


def _body(note: VersionNote, lang: str) -> str:
    p = note.params
    if note.kind == "text":
        return str(p.get("text") or "")
    if note.kind == "edit":
        return render_summary(p, lang)
    if note.kind in ("undo", "redo"):
        step = p.get("step")
        what = note_text(VersionNote.from_dict(step), lang) if isinstance(step, dict) else "—"
        return t(f"note.{note.kind}", lang, what=what)
    if note.kind == "audit":
        items = [f"{name} ({', '.join(_field(f, lang) for f in fields)})" for name, fields in p.get("items") or []]
        shown = "; ".join(items[:5]) + (f"; +{len(items) - 5}" if len(items) > 5 else "")
        return t("note.audit", lang, what=shown)
    if note.kind == "catalogue":
        from cjm.catalogue import catalogue_entry

        try:
            name = catalogue_entry(str(p.get("key")), lang).name
        except (KeyError, ValueError):
            name = str(p.get("key") or "")
        return t("note.catalogue", lang, name=name)
    return t(f"note.{note.kind}", lang, **{k: v for k, v in p.items() if isinstance(v, (str, int, float))})


def note_text(note: VersionNote | str | None, lang: str = "en", *, with_conflicts: bool = True) -> str:
    """A version note as one line in ``lang``: what the version did, the version it was merged
    with and (``with_conflicts``) the values it replaced."""
    note = VersionNote.of(note)
    text = _body(note, lang)
    if note.merged_with is not None:
        text += t("note.merged", lang, version=note.merged_with)
    if with_conflicts and note.has_conflicts:
        lines = [conflict_text(c, lang) for c in note.conflicts[:10]]
        more = len(note.conflicts) - len(lines) + note.more_conflicts
        if more > 0:
            lines.append(t("note.more_conflicts", lang, n=more))
        text += t("note.conflicts", lang, lines="; ".join(lines))
    return text


def ago_text(moment: Any, lang: str = "en", *, now: Any = None) -> str:
    """When a version was saved, for "last change …": how long ago within a day (``5 min ago`` /
    ``5 мин назад``), else the date and time as :func:`cjm.text.fmt_date` writes them (never the
    raw ISO text).

    >>> from datetime import UTC, datetime
    >>> now = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)
    >>> ago_text(datetime(2026, 12, 3, 14, 47, tzinfo=UTC), "ru", now=now)
    '13 мин назад'
    >>> ago_text("2026-11-30T09:05:00+00:00", "en", now=now)
    'on 30 Nov 2026, 09:05'
    """
    from datetime import UTC, datetime

    if isinstance(moment, str):
        try:
            moment = datetime.fromisoformat(moment.strip().replace("Z", "+00:00"))
        except ValueError:
            return moment
    if not isinstance(moment, datetime):
        return "—"
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    seconds = max(0, int(((now or datetime.now(UTC)) - moment).total_seconds()))
    if seconds < 60:
        return t("editor.ago.seconds", lang, n=seconds)
    if seconds < 3600:
        return t("editor.ago.minutes", lang, n=seconds // 60)
    if seconds < 86400:
        return t("editor.ago.hours", lang, n=seconds // 3600)
    return t("editor.ago.date", lang, date=fmt_date(moment, lang, with_time=True))
