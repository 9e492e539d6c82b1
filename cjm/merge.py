"""Three-way merge of two edits of one map: the version both started from (``base``), the edit
being saved now (``mine``) and what was stored meanwhile (``theirs``).

Rules (see docs/live-editing.md):

- Changes to different touchpoints, transitions, stages or fields are all kept.
- Touchpoints added on both sides are both kept; when both picked the same new id for different
  touchpoints, mine is renumbered (its transitions follow).
- Comments are merged as a union; votes per participant.
- When both sides changed the *same* field to different values, **the later edit wins**. The later
  edit is ``mine``: ``theirs`` is already stored, and the edit being saved now is the more recent
  intention. The earlier value is not lost: it stays in the stored version history (``theirs`` is
  a version of its own) and is returned in :attr:`MergeResult.conflicts`, which the editor shows to
  the person saving and :mod:`cjm.services` records, as data, in the new version's note.
- A deletion against an edit follows the same rule: the later side wins (mine deleted → deleted;
  mine edited what theirs deleted → it comes back), reported as a conflict.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from cjm import model
from cjm.text import MISSING, shorten
from cjm.validation import validate_map

__all__ = ["DELETED", "Conflict", "MergeResult", "merge_maps"]

#: Marker used in a :class:`Conflict` for "this side deleted the item".
DELETED = "<deleted>"

_MAP_SCALARS = ("title", "map_type", "segment", "baseline_id", "language", "counts_source")


@dataclass(frozen=True)
class Conflict:
    """Both sides changed the same thing. ``kept`` is the later value (mine), ``replaced`` the
    earlier one (theirs, still in the version history); ``base`` what both started from.

    ``kind`` is ``touchpoint``, ``transition``, ``stage``, ``persona`` or ``map``; ``key`` the
    touchpoint id, ``(source, target)``, stage id or ``None``; ``name`` a readable name of the item;
    ``field`` the field (``None`` when the whole item was deleted on one side). Values are field
    values, :data:`DELETED`, or data about a whole item: ``{"changed": [fields]}`` (edited on the
    side whose deletion lost), ``{"still_used": True}`` (a stage kept because touchpoints use it),
    ``{"dropped": name}`` (a transition dropped with its deleted touchpoint); :mod:`cjm.notes`
    renders them.
    """

    kind: str
    key: Any
    name: str
    field: str | None
    base: Any
    kept: Any
    replaced: Any

    def __str__(self) -> str:
        what = f"{self.kind} {self.name!r}" if self.name else self.kind
        if self.field:
            what += f" {self.field}"
        return f"{what}: {shorten(self.kept, 60) or MISSING} (kept) replaced {shorten(self.replaced, 60) or MISSING}"


@dataclass
class MergeResult:
    """The merged, validated map; the same-field conflicts (later wins); touchpoints of mine that
    were renumbered because theirs used the same new id (``{old id: new id}``)."""

    graph: nx.DiGraph
    conflicts: list[Conflict] = field(default_factory=list)
    renamed: dict[str, str] = field(default_factory=dict)


def _merge_value(b: Any, m: Any, t: Any) -> tuple[Any, bool]:
    """The merged value and whether it is a conflict (both changed it, differently)."""
    if m == b:
        return t, False
    if t == b or m == t:
        return m, False
    return m, True


def _merge_comments(b: list, m: list, t: list) -> list:
    """Union: theirs, plus mine's new comments; a comment either side removed stays removed."""
    b, m, t = list(b or []), list(m or []), list(t or [])
    removed_by_mine = [c for c in b if c not in m]
    out = [c for c in t if c not in removed_by_mine]
    for c in m:
        if c not in b and c not in out:
            out.append(c)
    return out


def _merge_votes(b: list, m: list, t: list, conflicts: list, ctx: tuple) -> list:
    """Per participant: three-way on each participant's vote; the later side wins a clash."""

    def by(votes):
        return {str(v.get("participant", "")): v for v in votes or []}

    bb, mm, tt = by(b), by(m), by(t)
    out: list = []
    names = list(tt) + [p for p in mm if p not in tt]
    for p in names + [p for p in bb if p not in names]:
        merged, clash = _merge_value(bb.get(p), mm.get(p), tt.get(p))
        if clash:
            kind, key, name = ctx
            conflicts.append(
                Conflict(kind, key, name, f"votes[{p}]", _score(bb.get(p)), _score(mm.get(p)), _score(tt.get(p)))
            )
        if merged is not None and merged not in out:
            out.append(merged)
    return out


def _score(vote: dict | None) -> Any:
    return DELETED if vote is None else vote.get("score")


def _merge_fields(b: dict, m: dict, t: dict, conflicts: list, ctx: tuple, *, special: bool = False) -> dict:
    out: dict = {}
    keys = list(t) + [k for k in m if k not in t]
    for k in keys:
        bv, mv, tv = b.get(k), m.get(k), t.get(k)
        if special and k == "comments":
            out[k] = _merge_comments(bv, mv, tv)
            continue
        if special and k == "votes":
            out[k] = _merge_votes(bv, mv, tv, conflicts, ctx)
            continue
        value, clash = _merge_value(bv, mv, tv)
        if clash and not (special and k == "emotion" and (mv != bv or tv != bv) and _votes_moved(b, m, t)):
            kind, key, name = ctx
            conflicts.append(Conflict(kind, key, name, k, bv, mv, tv))
        out[k] = value
    return out


def _votes_moved(b: dict, m: dict, t: dict) -> bool:
    """Both sides' emotion changes came from votes: the merged votes decide the emotion."""
    return (m.get("votes") or []) != (b.get("votes") or []) and (t.get("votes") or []) != (b.get("votes") or [])


def _merge_records(
    base: dict, mine: dict, theirs: dict, kind: str, names: dict, conflicts: list, *, special: bool = False
) -> dict:
    """Three-way merge of ``{key: attrs}``: added / deleted / per-field changed records."""
    out: dict = {}
    keys = list(theirs) + [k for k in mine if k not in theirs] + [k for k in base if k not in theirs and k not in mine]
    for k in keys:
        b, m, t = base.get(k), mine.get(k), theirs.get(k)
        ctx = (kind, k, names.get(k, str(k)))
        if b is None:
            if m is not None and t is not None:
                out[k] = _merge_fields({}, m, t, conflicts, ctx, special=special) if m != t else m
            else:
                out[k] = m if m is not None else t
        elif m is None and t is None:
            continue
        elif m is None:
            if t != b:  # theirs edited what mine (later) deleted: deleted, reported
                conflicts.append(Conflict(kind, k, names.get(k, str(k)), None, "", DELETED, _changed(b, t)))
            continue
        elif t is None:
            if m != b:  # mine (later) edited what theirs deleted: it comes back, reported
                conflicts.append(Conflict(kind, k, names.get(k, str(k)), None, "", _changed(b, m), DELETED))
                out[k] = m
            continue
        else:
            out[k] = _merge_fields(b, m, t, conflicts, ctx, special=special)
    return out


def _changed(b: dict, x: dict) -> dict[str, list[str]]:
    """What one side did to an item the other side deleted, as data: ``{"changed": [fields]}``."""
    return {"changed": [k for k in x if x.get(k) != b.get(k)]}


def _merge_order(base: list, mine: list, theirs: list, keep: set) -> list:
    """Stage order: mine's when mine reordered, else theirs'; items only the other side has are
    inserted before their successor there (at the end when they were appended)."""
    common = [x for x in base if x in mine and x in theirs]
    mine_moved = [x for x in mine if x in common] != common
    first, other = (mine, theirs) if mine_moved else (theirs, mine)
    out = [x for x in first if x in keep]
    for i in range(len(other) - 1, -1, -1):
        x = other[i]
        if x in keep and x not in out:
            nxt = next((n for n in other[i + 1 :] if n in out), None)
            out.insert(out.index(nxt) if nxt is not None else len(out), x)
    out += [x for x in base if x in keep and x not in out]
    return out


def merge_maps(base: nx.DiGraph, mine: nx.DiGraph, theirs: nx.DiGraph) -> MergeResult:
    """Merge ``mine`` (the later edit) and ``theirs`` (stored meanwhile), both derived from ``base``.

    >>> from cjm.model import new_map, add_touchpoint
    >>> B = new_map("demo", map_id="demo")
    >>> for n in "XY": _ = add_touchpoint(B, n, "awareness")
    >>> A, T = B.copy(), B.copy()
    >>> A.nodes["tp-1"]["emotion"] = 1.0; T.nodes["tp-2"]["pain_point"] = "slow"
    >>> r = merge_maps(B, A, T)
    >>> r.graph.nodes["tp-1"]["emotion"], r.graph.nodes["tp-2"]["pain_point"], r.conflicts
    (1.0, 'slow', [])
    """
    conflicts: list[Conflict] = []
    renamed: dict[str, str] = {}
    mine = copy.deepcopy(mine)

    # Both added a touchpoint under the same new id: keep both, renumber mine.
    clash = [n for n in mine if n not in base and n in theirs and dict(mine.nodes[n]) != dict(theirs.nodes[n])]
    if clash:
        taken = set(base) | set(mine) | set(theirs)
        for n in clash:
            k = len(taken) + 1
            while f"tp-{k}" in taken:
                k += 1
            new = f"tp-{k}"
            taken.add(new)
            renamed[n] = new
        mine = nx.relabel_nodes(mine, renamed, copy=True)
        for new in renamed.values():
            mine.nodes[new]["id"] = new

    names = {n: d.get("name") or n for g in (base, theirs, mine) for n, d in g.nodes(data=True)}

    # Map attributes and persona.
    attrs: dict[str, Any] = {}
    for k in _MAP_SCALARS:
        value, is_clash = _merge_value(base.graph.get(k), mine.graph.get(k), theirs.graph.get(k))
        if is_clash:
            conflicts.append(Conflict("map", None, "", k, base.graph.get(k), mine.graph.get(k), theirs.graph.get(k)))
        attrs[k] = value
    pb, pm, pt = (dict(g.graph.get("persona") or {}) for g in (base, mine, theirs))
    persona = _merge_fields(pb, pm, pt, conflicts, ("persona", None, pt.get("name") or pm.get("name") or ""))

    # Touchpoints.
    nb = {n: dict(d) for n, d in base.nodes(data=True)}
    nm = {n: dict(d) for n, d in mine.nodes(data=True)}
    nt = {n: dict(d) for n, d in theirs.nodes(data=True)}
    nodes = _merge_records(nb, nm, nt, "touchpoint", names, conflicts, special=True)

    # Stages: records by id, then order; a stage still holding touchpoints is never dropped.
    def stage_map(g):
        return {s["id"]: dict(s) for s in model.stages(g)}

    sb, sm, stt = stage_map(base), stage_map(mine), stage_map(theirs)
    snames = {k: v.get("name") or k for d in (sb, stt, sm) for k, v in d.items()}
    stage_recs = _merge_records(sb, sm, stt, "stage", snames, conflicts)
    used = {d.get("stage") for d in nodes.values()}
    for sid in used:
        if sid not in stage_recs and (sid in sm or sid in stt):
            stage_recs[sid] = sm.get(sid) or stt[sid]
            conflicts.append(Conflict("stage", sid, snames.get(sid, sid), None, "", {"still_used": True}, DELETED))
    order = _merge_order(list(sb), list(sm), list(stt), set(stage_recs))

    # Transitions.
    eb = {(u, v): dict(d) for u, v, d in base.edges(data=True)}
    em = {(u, v): dict(d) for u, v, d in mine.edges(data=True)}
    et = {(u, v): dict(d) for u, v, d in theirs.edges(data=True)}
    enames = {e: f"{names.get(e[0], e[0])} → {names.get(e[1], e[1])}" for d in (eb, em, et) for e in d}
    edges = _merge_records(eb, em, et, "transition", enames, conflicts)

    H = nx.DiGraph()
    H.graph.update(copy.deepcopy(theirs.graph))
    H.graph.update(attrs)
    H.graph["persona"] = persona
    H.graph["stages"] = [stage_recs[s] for s in order]
    for n, d in nodes.items():
        H.add_node(n, **d)
    for (u, v), d in edges.items():
        if u in H and v in H:
            H.add_edge(u, v, **d)
        else:
            gone = v if v not in H else u
            conflicts.append(
                Conflict("transition", (u, v), enames[(u, v)], None, "", {"dropped": names.get(gone, gone)}, DELETED)
            )
    for n, d in H.nodes(data=True):
        if (d.get("votes") or []) != (nt.get(n, {}).get("votes") or []) and d.get("votes"):
            model.recompute_emotion_from_votes(H, n)
    return MergeResult(validate_map(H), conflicts, renamed)
