"""Undo/redo for one editor session, and a readable diff between two versions of a map.

The undo stack keeps, for each step, the map before and after the edit. Undoing reverts *that
edit only*: it is a three-way merge (:func:`cjm.merge.merge_maps`) of the step's "after" as base,
its "before" as mine, and the map as it is now as theirs, so what other participants changed
meanwhile stays. Redo is the same merge the other way round.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd

from cjm import model, schema
from cjm.i18n import LANGUAGE_NAMES, has, label, t
from cjm.merge import Conflict, merge_maps
from cjm.text import fmt_date, fmt_emotion, number_text, shorten

__all__ = [
    "UNDO_LIMIT",
    "Step",
    "UndoStack",
    "FieldChange",
    "MapDiff",
    "diff_maps",
    "diff_table",
    "summarize",
    "field_label",
    "summary_data",
    "render_summary",
]

#: How many steps an editor session can undo (the issue asks for at least 20).
UNDO_LIMIT = 50


@dataclass(frozen=True)
class Step:
    """One undoable edit: the map before and after it, and what it did (``label``: the version's
    :class:`~cjm.notes.VersionNote`, which the page renders in its language)."""

    before: nx.DiGraph
    after: nx.DiGraph
    label: Any = None


class UndoStack:
    """The undo/redo history of one editor session (pure: no storage, no Streamlit).

    ``push`` records an edit and clears the redo side. ``undo(current)`` / ``redo(current)`` return
    the map to save (the step reverted / re-applied on top of ``current``) with any same-field
    conflicts, or ``None`` when there is nothing to undo / redo; the caller saves it and then calls
    ``confirm()``, so a failed save leaves the stack as it was.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G0 = new_map("demo", map_id="demo"); G1 = G0.copy(); _ = add_touchpoint(G1, "Ad", "awareness")
    >>> s = UndoStack(); s.push(G0, G1, "add Ad")
    >>> back, _ = s.undo(G1); s.confirm(); back.number_of_nodes(), s.can_undo, s.can_redo
    (0, False, True)
    """

    def __init__(self, limit: int = UNDO_LIMIT):
        if limit < 1:
            raise ValueError("limit must be at least 1")
        self.limit = limit
        self._steps: list[Step] = []
        self._pos = 0  # steps[:pos] are applied, steps[pos:] can be redone
        self._pending: int | None = None

    def __len__(self) -> int:
        return len(self._steps)

    @property
    def can_undo(self) -> bool:
        return self._pos > 0

    @property
    def can_redo(self) -> bool:
        return self._pos < len(self._steps)

    @property
    def undo_label(self) -> Any:
        return self._steps[self._pos - 1].label if self.can_undo else None

    @property
    def redo_label(self) -> Any:
        return self._steps[self._pos].label if self.can_redo else None

    def push(self, before: nx.DiGraph, after: nx.DiGraph, label: Any = None) -> None:
        """Record an edit; it clears whatever could be redone."""
        del self._steps[self._pos :]
        self._steps.append(Step(copy.deepcopy(before), copy.deepcopy(after), label))
        if len(self._steps) > self.limit:
            del self._steps[0 : len(self._steps) - self.limit]
        self._pos = len(self._steps)
        self._pending = None

    def undo(self, current: nx.DiGraph) -> tuple[nx.DiGraph, list[Conflict]] | None:
        """The map with the last applied step reverted on top of ``current``; call ``confirm()``
        after saving it."""
        if not self.can_undo:
            return None
        step = self._steps[self._pos - 1]
        result = merge_maps(step.after, step.before, current)
        self._pending = self._pos - 1
        return result.graph, result.conflicts

    def redo(self, current: nx.DiGraph) -> tuple[nx.DiGraph, list[Conflict]] | None:
        """The map with the next undone step re-applied on top of ``current``; call ``confirm()``
        after saving it."""
        if not self.can_redo:
            return None
        step = self._steps[self._pos]
        result = merge_maps(step.before, step.after, current)
        self._pending = self._pos + 1
        return result.graph, result.conflicts

    def confirm(self) -> None:
        """The map returned by the last ``undo``/``redo`` was saved: move the pointer."""
        if self._pending is None:
            raise RuntimeError("confirm() without a preceding undo() or redo()")
        self._pos, self._pending = self._pending, None

    def clear(self) -> None:
        self._steps.clear()
        self._pos, self._pending = 0, None


# --- diff -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    """One field that differs: its name, the old and the new value."""

    field: str
    old: Any
    new: Any


@dataclass
class MapDiff:
    """What changed from one version of a map to another.

    Touchpoints are ``(id, name)``; changed ones carry their :class:`FieldChange` list; transitions
    are ``(source, target)``; stages ``(id, name)``; ``map_fields`` covers title, type, segment,
    baseline, language and ``persona.<field>``.
    """

    touchpoints_added: list[tuple[str, str]] = field(default_factory=list)
    touchpoints_removed: list[tuple[str, str]] = field(default_factory=list)
    touchpoints_changed: list[tuple[str, str, list[FieldChange]]] = field(default_factory=list)
    transitions_added: list[tuple[str, str]] = field(default_factory=list)
    transitions_removed: list[tuple[str, str]] = field(default_factory=list)
    transitions_changed: list[tuple[tuple[str, str], list[FieldChange]]] = field(default_factory=list)
    stages_added: list[tuple[str, str]] = field(default_factory=list)
    stages_removed: list[tuple[str, str]] = field(default_factory=list)
    stages_changed: list[tuple[str, str, list[FieldChange]]] = field(default_factory=list)
    stages_reordered: bool = False
    map_fields: list[FieldChange] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.touchpoints_added, self.touchpoints_removed, self.touchpoints_changed,
                self.transitions_added, self.transitions_removed, self.transitions_changed,
                self.stages_added, self.stages_removed, self.stages_changed, self.stages_reordered,
                self.map_fields,
            )
        )  # fmt: skip


def _changes(old: dict, new: dict, fields: list[str] | tuple[str, ...] | None = None) -> list[FieldChange]:
    keys = list(fields) if fields is not None else list(old) + [k for k in new if k not in old]
    return [FieldChange(k, old.get(k), new.get(k)) for k in keys if _norm(old.get(k)) != _norm(new.get(k))]


def _norm(v: Any) -> Any:
    return None if v in ("", [], ()) else v


_IGNORED_MAP = {"updated_at", "created_at", "id", "stages", "persona"}


def diff_maps(old: nx.DiGraph, new: nx.DiGraph) -> MapDiff:
    """The changes from ``old`` to ``new``, in ``new``'s journey order.

    >>> from cjm.model import new_map, add_touchpoint
    >>> A = new_map("demo", map_id="demo"); _ = add_touchpoint(A, "Ad", "awareness")
    >>> B = A.copy(); B.nodes["tp-1"]["emotion"] = 1.0; _ = add_touchpoint(B, "Chat", "purchase")
    >>> d = diff_maps(A, B)
    >>> d.touchpoints_added, [(i, [c.field for c in ch]) for i, _, ch in d.touchpoints_changed]
    ([('tp-2', 'Chat')], [('tp-1', ['emotion'])])
    """
    d = MapDiff()
    fields = list(schema.TOUCHPOINT_FIELD_NAMES)
    for n in model.touchpoints_in_order(new):
        name = new.nodes[n].get("name") or n
        if n not in old:
            d.touchpoints_added.append((n, name))
        else:
            ch = _changes(dict(old.nodes[n]), dict(new.nodes[n]), fields)
            if ch:
                d.touchpoints_changed.append((n, name, ch))
    for n in model.touchpoints_in_order(old):
        if n not in new:
            d.touchpoints_removed.append((n, old.nodes[n].get("name") or n))
    for u, v in new.edges:
        if not old.has_edge(u, v):
            d.transitions_added.append((u, v))
        else:
            ch = _changes(dict(old.edges[u, v]), dict(new.edges[u, v]), [f.name for f in schema.TRANSITION_FIELDS])
            if ch:
                d.transitions_changed.append(((u, v), ch))
    d.transitions_removed = [(u, v) for u, v in old.edges if not new.has_edge(u, v)]
    so = {s["id"]: s for s in model.stages(old)}
    sn = {s["id"]: s for s in model.stages(new)}
    for sid, s in sn.items():
        if sid not in so:
            d.stages_added.append((sid, s.get("name") or sid))
        else:
            ch = _changes(so[sid], s, ["name", "phase"])
            if ch:
                d.stages_changed.append((sid, s.get("name") or sid, ch))
    d.stages_removed = [(sid, s.get("name") or sid) for sid, s in so.items() if sid not in sn]
    common_old = [s for s in so if s in sn]
    common_new = [s for s in sn if s in so]
    d.stages_reordered = common_old != common_new
    for k in ("title", "map_type", "segment", "baseline_id", "language"):
        if _norm(old.graph.get(k)) != _norm(new.graph.get(k)):
            d.map_fields.append(FieldChange(k, old.graph.get(k), new.graph.get(k)))
    po, pn = old.graph.get("persona") or {}, new.graph.get("persona") or {}
    for f in schema.PERSONA_FIELDS:
        if _norm(po.get(f.name)) != _norm(pn.get(f.name)):
            d.map_fields.append(FieldChange(f"persona.{f.name}", po.get(f.name), pn.get(f.name)))
    return d


def field_label(name: str, lang: str, kind: str | None = None) -> str:
    """The translated label of a map, persona (``persona.<field>``), touchpoint or transition field;
    ``kind`` is what the field belongs to when the name alone is ambiguous (a merge conflict names a
    persona's ``description`` or a stage's ``name`` without a prefix: ``kind`` ``"persona"`` /
    ``"stage"``).

    >>> field_label("pain_point", "ru"), field_label("name", "en", "stage"), field_label("goals", "en", "persona")
    ('Боль', 'Stage name', 'Persona: Goals')
    """
    if kind == "persona" and not name.startswith("persona."):
        name = f"persona.{name}"
    if kind == "stage" and name in ("name", "phase"):
        return t("editor.col.stage_name" if name == "name" else "editor.col.phase", lang)
    if name.startswith("persona."):
        return t("editor.persona", lang) + ": " + t(f"editor.persona.{name.split('.', 1)[1]}", lang)
    return next((t(k, lang) for k in (f"field.{name}", f"editor.col.{name}", f"editor.map.{name}") if has(k)), name)


_CHOICE_FIELDS = {f.name for f in schema.TOUCHPOINT_FIELDS if f.kind == "choice"} | {"map_type", "phase"}
_DATE_FIELDS = {f.name for f in schema.TOUCHPOINT_FIELDS if f.kind == "date"}
#: An ISO date or date-time written by the program (a saved-at time, a deadline).
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?")


def value_label(field_name: str | None, value: Any, lang: str, *, limit: int = 80) -> str:
    """A field's value as people read it in ``lang`` (a version diff, a version note, a conflict):
    "—" when blank, a choice's translated name, a stage's name, yes/no, an emotion or a number
    written per language, a date or a time stamp as :func:`cjm.text.fmt_date` writes it (never the
    raw ISO text), the funnel a map's counts came from with its date; long text is cut at ``limit``.

    >>> value_label("channel", "website", "ru"), value_label("emotion", -1, "ru"), value_label("deadline", "2026-09-06", "ru")
    ('Сайт', '−1,0', '6 сен 2026')
    >>> value_label("counts_source", {"source": "shop.csv", "saved_at": "2026-12-03T14:47:10+00:00"}, "en")
    'shop.csv, 3 Dec 2026, 14:47'
    """
    field_name = field_name or ""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    if field_name in _CHOICE_FIELDS:
        return label(field_name, value, lang)
    if field_name == "stage":
        return label("stage", value, lang)
    if field_name == "language":
        return LANGUAGE_NAMES.get(str(value), str(value))
    if field_name in ("comments", "votes") and isinstance(value, list):
        return t("editor.diff.n_items", lang, n=len(value))
    if isinstance(value, bool):
        return t("editor.yes", lang) if value else t("editor.no", lang)
    if isinstance(value, int | float) and field_name == "emotion":
        return fmt_emotion(value, lang)
    if isinstance(value, int | float):
        return number_text(value, lang)
    if isinstance(value, dict):
        if "source" in value or "saved_at" in value:  # a map's counts source (cjm.funnel.journey)
            parts = [str(value.get("source") or "—"), fmt_date(value.get("saved_at"), lang, with_time=True, missing="")]
            text = ", ".join(p for p in parts if p)
        else:
            text = "; ".join(f"{field_label(str(k), lang)}: {value_label(str(k), v, lang)}" for k, v in value.items())
    elif isinstance(value, list | tuple):
        text = ", ".join(value_label(field_name, v, lang) for v in value)
    else:
        text = str(value)
        if field_name in _DATE_FIELDS or _ISO_MOMENT.fullmatch(text.strip()):
            text = fmt_date(text, lang, with_time=len(text.strip()) > 10)
    return shorten(text, limit)


def _value(field_name: str, value: Any, lang: str) -> str:
    return value_label(field_name, value, lang)


def diff_table(diff: MapDiff, lang: str = "en", *, names: dict[str, str] | None = None) -> pd.DataFrame:
    """Each row is one change between two versions: ``change`` (added / removed / changed,
    translated), ``item`` (what: "Touchpoint “Checkout”"), ``field`` (translated, blank for whole
    items), ``before`` and ``after`` (display text). ``names`` maps touchpoint ids to names for
    transitions (default: the ids)."""
    names = names or {}
    rows: list[dict[str, str]] = []

    def add(change: str, item: str, fld: str = "", before: str = "", after: str = "") -> None:
        rows.append(
            {"change": t(f"editor.diff.{change}", lang), "item": item, "field": fld, "before": before, "after": after}
        )

    def tp(name: str) -> str:
        return t("editor.diff.touchpoint", lang, name=name)

    def tr(e: tuple[str, str]) -> str:
        return t("editor.diff.transition", lang, source=names.get(e[0], e[0]), target=names.get(e[1], e[1]))

    def stg(name: str) -> str:
        return t("editor.diff.stage", lang, name=name)

    for c in diff.map_fields:
        add(
            "changed",
            t("editor.diff.map", lang),
            field_label(c.field, lang),
            _value(c.field, c.old, lang),
            _value(c.field, c.new, lang),
        )
    for _, name in diff.stages_added:
        add("added", stg(name))
    for _, name in diff.stages_removed:
        add("removed", stg(name))
    for _, name, ch in diff.stages_changed:
        for c in ch:
            fld = t("editor.col.stage_name", lang) if c.field == "name" else t("editor.col.phase", lang)
            add("changed", stg(name), fld, _value(c.field, c.old, lang), _value(c.field, c.new, lang))
    if diff.stages_reordered:
        add("changed", t("editor.diff.stage_order", lang))
    for _, name in diff.touchpoints_added:
        add("added", tp(name))
    for _, name in diff.touchpoints_removed:
        add("removed", tp(name))
    for _, name, ch in diff.touchpoints_changed:
        for c in ch:
            add(
                "changed",
                tp(name),
                field_label(c.field, lang),
                _value(c.field, c.old, lang),
                _value(c.field, c.new, lang),
            )
    for e in diff.transitions_added:
        add("added", tr(e))
    for e in diff.transitions_removed:
        add("removed", tr(e))
    for e, ch in diff.transitions_changed:
        for c in ch:
            add(
                "changed",
                tr(e),
                field_label(c.field, lang),
                _value(c.field, c.old, lang),
                _value(c.field, c.new, lang),
            )
    return pd.DataFrame(rows, columns=["change", "item", "field", "before", "after"])


def summary_data(diff: MapDiff) -> dict[str, Any]:
    """What a diff changed, as plain data for a structured version note (no language in it):
    ``added`` / ``removed`` touchpoint names, ``changed`` ``[name, [fields]]`` pairs, the number
    of ``transitions`` and ``stages`` changes and the changed ``map`` fields.

    >>> from cjm.model import new_map, add_touchpoint
    >>> A = new_map("demo", map_id="demo"); _ = add_touchpoint(A, "Ad", "awareness")
    >>> B = A.copy(); B.nodes["tp-1"]["emotion"] = 1.0
    >>> summary_data(diff_maps(A, B))["changed"]
    [['Ad', ['emotion']]]
    """
    data: dict[str, Any] = {}
    if diff.touchpoints_added:
        data["added"] = [name for _, name in diff.touchpoints_added]
    if diff.touchpoints_removed:
        data["removed"] = [name for _, name in diff.touchpoints_removed]
    if diff.touchpoints_changed:
        data["changed"] = [[name, [c.field for c in ch]] for _, name, ch in diff.touchpoints_changed]
    n_tr = len(diff.transitions_added) + len(diff.transitions_removed) + len(diff.transitions_changed)
    if n_tr:
        data["transitions"] = n_tr
    n_st = len(diff.stages_added) + len(diff.stages_removed) + len(diff.stages_changed) + int(diff.stages_reordered)
    if n_st:
        data["stages"] = n_st
    if diff.map_fields:
        data["map"] = [c.field for c in diff.map_fields]
    return data


def render_summary(data: dict[str, Any], lang: str = "en", *, limit: int = 3) -> str:
    """The one-line summary of :func:`summary_data` in ``lang``, e.g.
    "Changed “Checkout”: emotion; added “Chat”"."""
    parts: list[str] = []
    for name in data.get("added") or []:
        parts.append(t("editor.sum.added", lang, name=name))
    for name in data.get("removed") or []:
        parts.append(t("editor.sum.removed", lang, name=name))
    for name, fields in data.get("changed") or []:
        parts.append(t("editor.sum.changed", lang, name=name, fields=", ".join(field_label(f, lang) for f in fields)))
    if data.get("transitions"):
        parts.append(t("editor.sum.transitions", lang, n=data["transitions"]))
    if data.get("stages"):
        parts.append(t("editor.sum.stages", lang))
    if data.get("map"):
        parts.append(t("editor.sum.map", lang, fields=", ".join(field_label(f, lang) for f in data["map"])))
    if not parts:
        return t("editor.sum.nothing", lang)
    more = len(parts) - limit
    text = "; ".join(parts[:limit])
    return text + (t("editor.sum.more", lang, n=more) if more > 0 else "")


def summarize(diff: MapDiff, lang: str = "en", *, limit: int = 3) -> str:
    """A one-line summary of a diff for an undo label or a version note, e.g.
    "Changed “Checkout”: emotion; added “Chat”"."""
    return render_summary(summary_data(diff), lang, limit=limit)
