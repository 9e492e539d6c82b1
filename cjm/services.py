"""The one write path: every change to a stored map goes through a function of this module.

Pages, the command line and scripts call these functions; none of them calls the store's
``create`` / ``save`` / ``delete`` directly (a convention test checks ``pages/``, ``cjm_ui/`` and the
rest of ``cjm/``). Each function

- takes the acting participant (:class:`Actor`) and asks :func:`authorize` first, so a rule
  about who may change what is enforced in one place;
- saves at once as a new version with a structured note (:class:`~cjm.notes.VersionNote`: data,
  rendered in the reader's language when shown);
- follows one conflict policy: when someone saved since the version the change was made on, the
  change is merged with the latest version (:func:`cjm.merge.merge_maps`): changes to different
  fields are all kept; where both changed the same field the later change (this one) is kept and
  the replaced value stays in the earlier version and is listed in the new version's note;
- returns one outcome type, :class:`SaveResult` (the new version, the map, the conflicts as data;
  :func:`delete_map` returns nothing, there being no version left).

Invalid changes raise :class:`~cjm.errors.ValidationError` and store nothing.

>>> from cjm.store import Store
>>> from cjm import model
>>> store, ann, bob = Store("sqlite://"), Actor("Ann"), Actor("Bob")
>>> G = model.new_map("Coffee", map_id="coffee"); tp = model.add_touchpoint(G, "Order", "purchase")
>>> create_map(store, ann, G).version
1
>>> _ = cast_vote(store, ann, "coffee", tp, 2, base_version=1)
>>> r = add_comment(store, bob, "coffee", tp, "Queue too long", base_version=1)   # made on version 1
>>> r.version, r.merged_with, r.graph.nodes[tp]["emotion"], len(r.graph.nodes[tp]["comments"])
(3, 2, 2.0, 1)
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import networkx as nx

from cjm import access, audit, editing, history, model
from cjm.errors import CJMError, MapNotFoundError, Place, Problem, ValidationError
from cjm.merge import Conflict, merge_maps
from cjm.notes import VersionNote
from cjm.validation import validate_map

__all__ = [
    "ACTIONS",
    "Actor",
    "SaveResult",
    "authorize",
    "create_map",
    "import_map",
    "duplicate_map",
    "rename_map",
    "delete_map",
    "restore_map",
    "purge_map",
    "share_map",
    "unshare_map",
    "create_share_link",
    "revoke_share_link",
    "activity_log",
    "edit_map",
    "apply_table_edits",
    "update_map_fields",
    "quick_add",
    "connect_in_order",
    "cast_vote",
    "remove_vote",
    "add_comment",
    "delete_comment",
    "move_touchpoint",
    "add_from_catalogue",
    "apply_audit_edits",
    "apply_funnel_counts",
    "undo",
    "redo",
    "restore_version",
]

_EMAIL = re.compile(r"[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+")

#: What :func:`authorize` is asked about (the role each needs: :data:`cjm.access.NEEDS`).
ACTIONS = tuple(a for a in access.NEEDS if a != "view")


@dataclass(frozen=True)
class Actor:
    """The participant making a change: ``name`` (recorded as the author of versions, votes and
    comments); ``email``, the signed-in person's address, which :func:`authorize` looks their role
    up by (unused in open mode). ``role`` is informational only: the role that counts is always
    read from the database (:func:`cjm.access.role_of`), never taken from the actor."""

    name: str
    email: str = ""
    role: str = ""

    def __post_init__(self) -> None:
        name = str(self.name or "").strip()
        if not name:
            raise ValueError("an actor needs a name")
        object.__setattr__(self, "name", name)


def authorize(store, actor: Actor, action: str, map_id: str | None) -> None:
    """The single place that decides whether ``actor`` may do ``action`` on ``map_id`` (``None``
    for a new map), asked before anything is read or written. The role is read from the database
    now (:func:`cjm.access.check`: open mode lets everyone do everything; signed in, the role on the
    map must allow the action). A refusal is :class:`~cjm.access.AccessDeniedError`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}; actions: {', '.join(ACTIONS)}")
    if not isinstance(actor, Actor):
        raise TypeError(f"actor must be an Actor, not {type(actor).__name__}")
    access.check(store, actor, action, map_id)


@dataclass(frozen=True)
class SaveResult:
    """What a change stored.

    ``map_id`` and ``version`` of the map now; ``graph`` the map as stored; ``note`` the version's
    note; ``changed`` False when there was nothing to store (``version`` is then the version the
    change was compared with). When someone saved since the change's base version,
    ``merged_with`` is the version merged with, ``others`` who saved in between and ``conflicts``
    the same-field clashes (this change was kept; the replaced values are listed).
    ``detail`` is what the operation returns besides (the new touchpoint's id for a quick add,
    the counts written for funnel counts, the number of still-empty new rows for table edits).
    """

    map_id: str
    version: int
    graph: nx.DiGraph
    note: VersionNote
    changed: bool = True
    merged_with: int | None = None
    others: tuple[str, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    detail: Any = None


# --- the save with the conflict policy ---------------------------------------------------------


class _AlreadyThere(Exception):  # noqa: N818 - control flow, never leaves this module
    """Raised inside the store's rebase: the merged map equals the latest version, nothing to save."""

    def __init__(self, latest, note: VersionNote, others: tuple[str, ...]):
        self.latest, self.note, self.others = latest, note, others


def _commit(
    store,
    actor: Actor,
    map_id: str,
    base_version: int,
    base: nx.DiGraph,
    edited: nx.DiGraph,
    note: VersionNote,
    *,
    undo: history.UndoStack | None = None,
    detail: Any = None,
    conflicts: Sequence[Conflict] = (),
) -> SaveResult:
    """Save ``edited`` (made from ``base``, stored as ``base_version``) with the conflict policy.

    When someone saved since ``base_version``, the store hands over the latest version while it
    holds the map (``Store.save(rebase=…)``): the edit is merged with it there, so the merged save
    cannot conflict again however busy the map is. ``conflicts`` are clashes found before (an
    undo's own); they are recorded in the note too.
    """
    if edited.graph.get("id") != map_id:
        raise ValueError(f"the edited map is {edited.graph.get('id')!r}, not {map_id!r}")
    if history.diff_maps(base, edited).empty:
        return SaveResult(map_id, int(base_version), base, note, False, detail=detail)
    merged: dict[str, Any] = {}

    def rebase(latest, since) -> tuple[nx.DiGraph, str]:
        result = merge_maps(base, edited, latest.graph)
        found = (*conflicts, *result.conflicts)
        merged_note = note.merged(latest.version, found)
        others = tuple(dict.fromkeys(h.author for h in since if h.author))
        if history.diff_maps(latest.graph, result.graph).empty:  # someone made the same change
            raise _AlreadyThere(latest, merged_note, others)
        merged.update(graph=result.graph, note=merged_note, merged_with=latest.version, others=others, found=found)
        return result.graph, merged_note.to_text()

    first_note = note.merged(None, conflicts) if conflicts else note
    try:
        version = store.save(
            edited, expected_version=int(base_version), author=actor.name, note=first_note.to_text(), rebase=rebase
        )
    except _AlreadyThere as same:
        latest = same.latest
        return SaveResult(
            map_id, latest.version, latest.graph, same.note, False, latest.version, same.others, (), detail
        )
    if undo is not None:
        undo.push(base, edited, note)
    if not merged:
        return SaveResult(map_id, version, edited, first_note, True, None, (), tuple(conflicts), detail)
    return SaveResult(
        map_id,
        version,
        merged["graph"],
        merged["note"],
        True,
        merged["merged_with"],
        merged["others"],
        tuple(merged["found"]),
        detail,
    )


def edit_map(
    store,
    actor: Actor,
    map_id: str,
    change: Callable[[nx.DiGraph], nx.DiGraph],
    *,
    base_version: int | None = None,
    note: VersionNote | None = None,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Apply ``change`` to version ``base_version`` of the map (the latest when ``None``; pass the
    version the user saw) and save the result with the conflict policy.

    ``change`` gets a copy of the map and returns the new map, or ``(new map, detail)`` where
    ``detail`` becomes :attr:`SaveResult.detail`. The note defaults to a summary of what changed;
    ``undo`` records the step for undo/redo."""
    return _edit_map(store, actor, map_id, change, base_version=base_version, note=note, undo=undo)


def _edit_map(store, actor, map_id, change, *, base_version=None, note=None, undo=None, action="edit") -> SaveResult:
    """:func:`edit_map` asking for ``action`` (votes and comments need only ``comment``)."""
    authorize(store, actor, action, map_id)
    base = store.load(map_id, base_version)
    edited = change(copy.deepcopy(base.graph))
    detail = None
    if isinstance(edited, tuple):
        edited, detail = edited
    if note is None:
        note = VersionNote("edit", history.summary_data(history.diff_maps(base.graph, edited)))
    return _commit(store, actor, map_id, base.version, base.graph, edited, note, undo=undo, detail=detail)


# --- editor operations --------------------------------------------------------------------------

_TABLES: dict[str, Callable[[nx.DiGraph, editing.RowEdits], editing.Applied]] = {
    "touchpoints": editing.apply_touchpoint_edits,
    "transitions": editing.apply_transition_edits,
    "stages": editing.apply_stage_edits,
}


def apply_table_edits(
    store,
    actor: Actor,
    map_id: str,
    table: str,
    edits: editing.RowEdits,
    *,
    base_version: int,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Save the edits of one editor table (``touchpoints``, ``transitions`` or ``stages``) made on
    ``base_version``; ``detail`` is the number of added rows still completely empty (pending)."""
    if table not in _TABLES:
        raise ValueError(f"unknown table {table!r}; tables: {', '.join(_TABLES)}")
    authorize(store, actor, "edit", map_id)
    base = store.load(map_id, base_version)
    applied = _TABLES[table](base.graph, edits)
    if not applied.changed:
        return SaveResult(map_id, base.version, base.graph, VersionNote("edit"), False, detail=applied.pending_rows)
    note = VersionNote("edit", history.summary_data(history.diff_maps(base.graph, applied.graph)))
    return _commit(
        store, actor, map_id, base.version, base.graph, applied.graph, note, undo=undo, detail=applied.pending_rows
    )


def update_map_fields(
    store,
    actor: Actor,
    map_id: str,
    *,
    base_version: int | None = None,
    persona: dict[str, Any] | None = None,
    undo: history.UndoStack | None = None,
    **fields: Any,
) -> SaveResult:
    """Change map attributes (title, map type, segment, baseline, language) and persona fields."""
    return edit_map(
        store,
        actor,
        map_id,
        lambda G: editing.update_map_fields(G, persona=persona, **fields),
        base_version=base_version,
        undo=undo,
    )


def quick_add(
    store,
    actor: Actor,
    map_id: str,
    text: str,
    *,
    kind: str = "touchpoint",
    stage: str | None = None,
    target: str | None = None,
    link_previous: bool = False,
    base_version: int | None = None,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Add what a participant called out (see :func:`cjm.editing.quick_add`); ``detail`` is the
    id of the touchpoint it landed on."""
    return edit_map(
        store,
        actor,
        map_id,
        lambda G: editing.quick_add(G, text, kind=kind, stage=stage, target=target, link_previous=link_previous),
        base_version=base_version,
        undo=undo,
    )


def connect_in_order(
    store,
    actor: Actor,
    map_id: str,
    stage: str | None = None,
    *,
    base_version: int | None = None,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Link a stage's touchpoints (the whole journey's when ``stage`` is ``None``) one to the next
    (see :func:`cjm.editing.connect_in_order`); ``detail`` is how many transitions were added."""
    return edit_map(
        store, actor, map_id, lambda G: editing.connect_in_order(G, stage), base_version=base_version, undo=undo
    )


def cast_vote(
    store,
    actor: Actor,
    map_id: str,
    tp_id: str,
    score: float,
    *,
    base_version: int | None = None,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Record the actor's emotion score for a touchpoint (it replaces their earlier vote there)."""
    return _edit_map(
        store,
        actor,
        map_id,
        lambda G: editing.cast_vote(G, tp_id, actor.name, score),
        base_version=base_version,
        undo=undo,
        action="comment",
    )


def remove_vote(
    store,
    actor: Actor,
    map_id: str,
    tp_id: str,
    *,
    base_version: int | None = None,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Withdraw the actor's vote on a touchpoint."""
    return _edit_map(
        store,
        actor,
        map_id,
        lambda G: editing.remove_vote(G, tp_id, actor.name),
        base_version=base_version,
        undo=undo,
        action="comment",
    )


def add_comment(
    store,
    actor: Actor,
    map_id: str,
    tp_id: str,
    text: str,
    *,
    base_version: int | None = None,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Add a comment by the actor to a touchpoint; an empty comment is a ``ValidationError``."""
    return _edit_map(
        store,
        actor,
        map_id,
        lambda G: editing.add_comment(G, tp_id, actor.name, text),
        base_version=base_version,
        undo=undo,
        action="comment",
    )


def delete_comment(
    store,
    actor: Actor,
    map_id: str,
    tp_id: str,
    index: int,
    *,
    base_version: int | None = None,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Delete the ``index``-th comment of a touchpoint as shown in ``base_version`` (comments others
    added meanwhile stay). The author deletes their own comment (the ``comment`` role is enough).
    Someone else's comment: in open mode, where names are typed by anyone, nobody but its author
    may delete it (``ValidationError`` ``not_your_comment``, nothing changes); signed in, the
    ``editor`` role may (moderation by a verified person)."""
    authorize(store, actor, "comment", map_id)
    shown = store.load(map_id, base_version).graph
    comments = shown.nodes[tp_id].get("comments") or [] if tp_id in shown else []
    author = str(comments[index].get("author") or "").strip() if 0 <= index < len(comments) else ""
    own = not author or author == actor.name
    if not own and access.policy().open_mode:
        where = Place("touchpoint", {"id": tp_id})
        message = f"only {author} may delete their comment"
        raise ValidationError([Problem(where, "comments", message, "not_your_comment", (("author", author),))])
    return _edit_map(
        store,
        actor,
        map_id,
        lambda G: editing.delete_comment(G, tp_id, index),
        base_version=base_version,
        undo=undo,
        action="comment" if own else "edit",
    )


def move_touchpoint(
    store,
    actor: Actor,
    map_id: str,
    tp_id: str,
    offset: int,
    *,
    base_version: int | None = None,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Move a touchpoint ``offset`` places along the journey (negative: earlier)."""
    return edit_map(
        store,
        actor,
        map_id,
        lambda G: editing.move_touchpoint(G, tp_id, offset),
        base_version=base_version,
        undo=undo,
    )


def add_from_catalogue(
    store,
    actor: Actor,
    map_id: str,
    key: str,
    *,
    stage: str | None = None,
    status: str = "existing",
    lang: str = "en",
    base_version: int | None = None,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Add the catalogue's typical touchpoint ``key`` (named in ``lang``); ``detail`` is its id."""
    from cjm.catalogue import add_from_catalogue as _add

    def change(G: nx.DiGraph):
        if stage is not None and stage not in {s["id"] for s in model.stages(G)}:  # deleted meanwhile
            where = Place("stage_id", {"id": stage})
            raise ValidationError(
                [Problem(where, None, f"unknown stage {stage!r}", "no_such_stage", (("value", repr(stage)),))]
            )
        try:
            tp_id = _add(G, key, stage=stage, status=status, lang=lang)
        except (KeyError, ValueError) as exc:
            raise CJMError(f"“{key}” cannot be added from the catalogue", "catalogue_entry", key=key) from exc
        return validate_map(G), tp_id

    return edit_map(
        store, actor, map_id, change, base_version=base_version, undo=undo, note=VersionNote("catalogue", {"key": key})
    )


# --- audit and funnel ----------------------------------------------------------------------------


def apply_audit_edits(
    store,
    actor: Actor,
    map_id: str,
    edits: Mapping[str, Mapping[str, Any]],
    *,
    base_version: int,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Save audit edits (``{touchpoint id: {audit field: value}}``) made on ``base_version``.

    Values equal to the stored ones are not changes; a bad value raises ``ValidationError`` naming
    the touchpoint and the field."""
    authorize(store, actor, "edit", map_id)
    base = store.load(map_id, base_version)
    effective = audit.effective_edits(base.graph, edits)
    if not effective:
        return SaveResult(map_id, base.version, base.graph, VersionNote("audit"), False)
    edited = audit.apply_audit_edits(base.graph, effective)
    items = [[base.graph.nodes[n].get("name") or n if n in base.graph else n, list(v)] for n, v in effective.items()]
    note = VersionNote("audit", {"items": items})
    return _commit(store, actor, map_id, base.version, base.graph, edited, note, undo=undo)


def apply_funnel_counts(
    store,
    actor: Actor,
    map_id: str,
    *,
    steps: Sequence[str],
    counts: Sequence[int],
    mapping: Mapping[str, str | None],
    source: str,
    add_missing_transitions: bool = False,
    clear_others: bool = False,
    base_version: int | None = None,
    undo: history.UndoStack | None = None,
) -> SaveResult:
    """Write a funnel's people counts onto the map (:func:`cjm.funnel.journey.apply_counts`: the
    event log ``source`` is recorded on the map and named in the note; ``clear_others`` clears
    counts from other funnels) and save it; ``detail`` is the ``CountsApplied``."""
    from cjm.funnel.journey import apply_counts

    def change(G: nx.DiGraph):
        applied = apply_counts(
            G,
            steps,
            counts,
            mapping,
            add_missing_transitions=add_missing_transitions,
            source=source,
            clear_others=clear_others,
        )
        return validate_map(applied.graph), applied

    note = VersionNote("funnel_counts", {"source": source})
    return edit_map(store, actor, map_id, change, base_version=base_version, undo=undo, note=note)


# --- undo, redo, restore -------------------------------------------------------------------------


def _step_note(label: Any) -> dict[str, Any]:
    return VersionNote.of(label if isinstance(label, VersionNote) else str(label or "")).to_dict()


def _undo_redo(store, actor: Actor, map_id: str, stack: history.UndoStack, direction: str) -> SaveResult | None:
    authorize(store, actor, "edit", map_id)
    label = stack.undo_label if direction == "undo" else stack.redo_label
    latest = store.load(map_id)
    planned = stack.undo(latest.graph) if direction == "undo" else stack.redo(latest.graph)
    if planned is None:
        return None
    graph, conflicts = planned
    note = VersionNote(direction, {"step": _step_note(label)})
    result = _commit(store, actor, map_id, latest.version, latest.graph, graph, note, conflicts=conflicts)
    stack.confirm()
    return result


def undo(store, actor: Actor, map_id: str, stack: history.UndoStack) -> SaveResult | None:
    """Revert the last step of ``stack`` on top of the latest version (what others changed since
    stays) and save it; ``None`` when there is nothing to undo. The stack moves only when saved."""
    return _undo_redo(store, actor, map_id, stack, "undo")


def redo(store, actor: Actor, map_id: str, stack: history.UndoStack) -> SaveResult | None:
    """Re-apply the last undone step of ``stack`` on top of the latest version and save it."""
    return _undo_redo(store, actor, map_id, stack, "redo")


def restore_version(
    store, actor: Actor, map_id: str, version: int, *, undo: history.UndoStack | None = None
) -> SaveResult:
    """Make an old version the latest again (as a new version; nothing is deleted)."""
    authorize(store, actor, "restore", map_id)
    old = store.load(map_id, version)
    latest = store.load(map_id)
    restored = copy.deepcopy(old.graph)
    restored.graph["id"] = map_id
    note = VersionNote("restored", {"version": int(version)})
    return _commit(store, actor, map_id, latest.version, latest.graph, restored, note, undo=undo)


# --- the library: create, import, duplicate, rename, delete --------------------------------------


def create_map(store, actor: Actor, G: nx.DiGraph, *, note: VersionNote | None = None) -> SaveResult:
    """Store a new map as version 1 (``CJMError`` when its id is taken)."""
    authorize(store, actor, "create", None)
    note = note or VersionNote("created")
    H = validate_map(G)
    version = store.create(H, author=actor.name, note=note.to_text())
    _make_owner(store, actor, H.graph["id"])
    return SaveResult(H.graph["id"], version, H, note)


def _make_owner(store, actor: Actor, map_id: str) -> None:
    """The signed-in person who made a map owns it (open mode keeps no roles)."""
    if actor.email:
        access.set_role(store, map_id, actor.email, "owner", by=actor.name)


def import_map(store, actor: Actor, G: nx.DiGraph, *, source: str) -> SaveResult:
    """Store a map read from the file ``source`` as a new map; a fresh id is given when its id is
    taken. The caller's graph is not changed."""
    authorize(store, actor, "import", None)
    H = validate_map(G)
    note = VersionNote("imported", {"file": source})
    for _attempt in range(5):
        if not H.graph.get("id") or store.exists(H.graph["id"]):
            H.graph["id"] = model.new_map_id(H.graph["title"])
        try:
            version = store.create(H, author=actor.name, note=note.to_text())
        except CJMError as exc:
            if isinstance(exc, (MapNotFoundError, ValidationError)) or not store.exists(H.graph["id"]):
                raise
            continue  # the id was taken meanwhile: draw another one
        _make_owner(store, actor, H.graph["id"])
        return SaveResult(H.graph["id"], version, H, note)
    title = H.graph["title"]
    raise CJMError(f"could not find a free id for map “{title}”", "no_free_id", title=title)


def duplicate_map(store, actor: Actor, map_id: str, *, title: str) -> SaveResult:
    """Copy the latest version of a map under a new id and ``title``."""
    authorize(store, actor, "duplicate", map_id)
    stored = store.load(map_id)
    H = model.copy_map(stored.graph, title=title)
    note = VersionNote("copy", {"title": stored.graph.graph.get("title", ""), "version": stored.version})
    return create_map(store, actor, H, note=note)


def rename_map(store, actor: Actor, map_id: str, title: str, *, base_version: int | None = None) -> SaveResult:
    """Give a map a new title, as a new version (merged like any edit when the map changed meanwhile)."""
    authorize(store, actor, "rename", map_id)
    base = store.load(map_id, base_version)
    old = base.graph.graph.get("title", "")
    edited = editing.update_map_fields(base.graph, title=title)
    return _commit(store, actor, map_id, base.version, base.graph, edited, VersionNote("renamed", {"old": old}))


def delete_map(store, actor: Actor, map_id: str) -> None:
    """Put a map in the trash (owners): it leaves the library, its versions stay, and its owner or
    an administrator can bring it back (:func:`restore_map`) or purge it (:func:`purge_map`)."""
    authorize(store, actor, "delete", map_id)
    access.to_trash(store, map_id, by=actor.name)
    access.log_event(store, map_id, actor.name, "trashed")


def restore_map(store, actor: Actor, map_id: str) -> None:
    """Take a map out of the trash (its owner or an administrator)."""
    authorize(store, actor, "untrash", map_id)
    if not access.is_trashed(store, map_id):
        raise CJMError(f"map {map_id!r} is not in the trash", "not_in_trash", id=repr(map_id))
    access.from_trash(store, map_id)
    access.log_event(store, map_id, actor.name, "untrashed")


def purge_map(store, actor: Actor, map_id: str) -> None:
    """Delete a map in the trash for good, with all its versions, roles and share links (its owner
    or an administrator; a map not in the trash is refused: delete it first)."""
    authorize(store, actor, "purge", map_id)
    if not access.is_trashed(store, map_id):
        raise CJMError(f"map {map_id!r} is not in the trash", "not_in_trash", id=repr(map_id))
    store.delete(map_id)
    access.log_event(store, map_id, actor.name, "purged")


# --- sharing -------------------------------------------------------------------------------------


def share_map(store, actor: Actor, map_id: str, email: str, role: str) -> None:
    """Give the person with ``email`` the ``role`` on the map (owners; replaces an earlier role).
    An owner cannot lower their own role (another owner or an administrator can)."""
    authorize(store, actor, "share", map_id)
    address = str(email or "").strip().lower()
    if not _EMAIL.fullmatch(address):
        raise CJMError(f"{email!r} is not an e-mail address", "bad_email", email=repr(str(email or "")))
    if role not in access.ROLES:
        raise ValueError(f"role must be one of {', '.join(access.ROLES)}, not {role!r}")
    if address == actor.email.lower() and role != "owner" and not access.policy().open_mode:
        raise CJMError("you cannot lower your own role", "own_role")
    access.set_role(store, map_id, address, role, by=actor.name)
    access.log_event(store, map_id, actor.name, "shared", email=address, role=role)


def unshare_map(store, actor: Actor, map_id: str, email: str) -> bool:
    """Withdraw the role given to ``email`` on the map (owners); True when there was one."""
    authorize(store, actor, "share", map_id)
    address = str(email or "").strip().lower()
    if address == actor.email.lower() and not access.policy().open_mode:
        raise CJMError("you cannot lower your own role", "own_role")
    removed = access.remove_role(store, map_id, address)
    if removed:
        access.log_event(store, map_id, actor.name, "unshared", email=address)
    return removed


def create_share_link(store, actor: Actor, map_id: str, *, expires_at: datetime | None = None) -> str:
    """Make a read-only link to the map (owners) and return its token, which is shown once: only its
    hash is stored. ``expires_at`` (optional, in the future) ends it."""
    authorize(store, actor, "share", map_id)
    if expires_at is not None and expires_at.tzinfo is None:
        expires_at = expires_at.replace(tzinfo=UTC)
    if expires_at is not None and expires_at <= datetime.now(UTC):
        raise CJMError("the link would have expired already", "link_expired_already")
    token = access.new_share_token()
    link = access.add_share_link(store, map_id, token, by=actor.name, expires_at=expires_at)
    access.log_event(store, map_id, actor.name, "link_created", link=link.link_id, expires_at=expires_at)
    return token


def revoke_share_link(store, actor: Actor, map_id: str, link_id: str) -> bool:
    """Revoke the map's share link ``link_id`` (owners); it stops working at once."""
    authorize(store, actor, "share", map_id)
    revoked = access.revoke_link(store, map_id, link_id)
    if revoked:
        access.log_event(store, map_id, actor.name, "link_revoked", link=str(link_id))
    return revoked


def activity_log(store, actor: Actor, map_id: str) -> list[access.ActivityEntry]:
    """Who did what to the map, when, newest first (owners and administrators)."""
    authorize(store, actor, "activity", map_id)
    return access.events(store, map_id)
