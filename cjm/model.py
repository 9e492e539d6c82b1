"""The journey map as a ``networkx.DiGraph`` and the questions pages ask of it.

Nodes are touchpoints (their attributes are the fields in :mod:`cjm.schema`), edges are transitions,
``G.graph`` holds the map attributes. Pages never walk the graph themselves: they call these functions.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import networkx as nx
import pandas as pd

from cjm import schema
from cjm.i18n import t

__all__ = [
    "now_iso",
    "new_map_id",
    "new_touchpoint_id",
    "template_stages",
    "new_map",
    "add_touchpoint",
    "add_transition",
    "stages",
    "stage_index",
    "stage_phase",
    "stage_label",
    "touchpoint",
    "touchpoints_in_order",
    "touchpoints_by_stage",
    "touchpoints_by_phase",
    "entry_points",
    "exit_points",
    "conversion_points",
    "pain_points",
    "missing_touchpoints",
    "back_edges",
    "touchpoint_table",
    "transition_table",
    "map_summary",
    "recompute_emotion_from_votes",
    "copy_map",
]


def now_iso() -> str:
    """The current UTC time as an ISO string (seconds precision)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def new_map_id(title: str = "") -> str:
    """A fresh, URL-safe map id, readable when the title is Latin."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40]
    suffix = uuid.uuid4().hex[:6]
    return f"{slug}-{suffix}" if slug else f"map-{suffix}"


def new_touchpoint_id(G: nx.DiGraph, prefix: str = "tp") -> str:
    """The first ``tp-N`` id not used in ``G``."""
    n = G.number_of_nodes() + 1
    while f"{prefix}-{n}" in G:
        n += 1
    return f"{prefix}-{n}"


def template_stages(template: str = "nine_stages") -> list[dict[str, str]]:
    """The stages of a template: ``nine_stages`` (awareness → loyalty), ``day`` or ``phases``."""
    if template == "nine_stages":
        rows = schema.DEFAULT_STAGES
    elif template == "day":
        rows = schema.DAY_STAGES
    elif template == "phases":
        rows = tuple((p, _phase_default_name(p), p) for p in schema.PHASES)
    else:
        raise ValueError(f"unknown stage template {template!r}")
    return [{"id": i, "name": name, "phase": phase} for i, name, phase in rows]


def _phase_default_name(phase: str) -> str:
    return phase.replace("_", " ").capitalize()


def new_map(
    title: str,
    map_type: str = "current_state",
    *,
    map_id: str | None = None,
    stages_template: str | None = None,
    persona: dict[str, str] | None = None,
    segment: str = "",
    baseline_id: str | None = None,
    language: str = "en",
) -> nx.DiGraph:
    """An empty map with the given type and stages (the nine-stage template by default)."""
    if stages_template is None:
        stages_template = "day" if map_type == "day_in_life" else "nine_stages"
    G = nx.DiGraph()
    stamp = now_iso()
    G.graph.update(
        id=map_id or new_map_id(title),
        title=title,
        map_type=map_type,
        persona={f.name: "" for f in schema.PERSONA_FIELDS} | dict(persona or {}),
        segment=segment,
        stages=template_stages(stages_template),
        baseline_id=baseline_id,
        language=language,
        created_at=stamp,
        updated_at=stamp,
    )
    return G


def _defaults() -> dict[str, Any]:
    return {f.name: (list(f.default) if isinstance(f.default, tuple) else f.default) for f in schema.TOUCHPOINT_FIELDS}


def add_touchpoint(G: nx.DiGraph, name: str, stage: str, *, id: str | None = None, **fields: Any) -> str:
    """Add a touchpoint with every schema field (defaults for the rest); return its id.

    Without ``order`` it goes after the last touchpoint. Values are not validated here: run
    :func:`cjm.validation.validate_map` on anything that came from a user.
    """
    unknown = set(fields) - set(schema.TOUCHPOINT_FIELD_NAMES)
    if unknown:
        raise TypeError(f"unknown touchpoint fields: {', '.join(sorted(unknown))}")
    tp_id = id or new_touchpoint_id(G)
    if tp_id in G:
        raise ValueError(f"touchpoint {tp_id!r} already exists")
    data = _defaults() | fields | {"id": tp_id, "name": name, "stage": stage}
    if data.get("order") is None:
        orders = [d.get("order") for _, d in G.nodes(data=True) if d.get("order") is not None]
        data["order"] = float(max(orders, default=0.0) + 1.0)
    G.add_node(tp_id, **data)
    return tp_id


def add_transition(G: nx.DiGraph, u: str, v: str, *, users: int | None = None, label: str = "") -> None:
    """Add the transition ``u → v``; both touchpoints must exist."""
    for node in (u, v):
        if node not in G:
            raise KeyError(f"no touchpoint {node!r}")
    G.add_edge(u, v, users=users, label=label)


def stages(G: nx.DiGraph) -> list[dict[str, str]]:
    """The map's stages in order, each ``{"id", "name", "phase"}``."""
    return list(G.graph.get("stages") or [])


def stage_index(G: nx.DiGraph) -> dict[str, int]:
    """Stage id → its position (0-based) in the map's stage order."""
    return {s["id"]: i for i, s in enumerate(stages(G))}


def stage_phase(G: nx.DiGraph, stage_id: str) -> str | None:
    """The phase of a stage, or ``None`` when the stage is unknown."""
    for s in stages(G):
        if s["id"] == stage_id:
            return s["phase"]
    return None


def stage_label(stage: dict[str, str], lang: str = "en") -> str:
    """A stage's display name: translated for template stages left with their default name."""
    defaults = {i: name for i, name, _ in schema.DEFAULT_STAGES + schema.DAY_STAGES}
    if stage.get("id") in defaults and stage.get("name") in ("", None, defaults[stage["id"]]):
        return t(f"stage.{stage['id']}", lang)
    if stage.get("id") in schema.PHASES and stage.get("name") in ("", None, _phase_default_name(stage["id"])):
        return t(f"phase.{stage['id']}", lang)
    return stage.get("name") or stage.get("id", "")


def touchpoint(G: nx.DiGraph, tp_id: str) -> dict[str, Any]:
    """The attributes of one touchpoint (a copy)."""
    return dict(G.nodes[tp_id])


def _sort_key(G: nx.DiGraph, stage_pos: dict[str, int]):
    def key(node: str) -> tuple:
        d = G.nodes[node]
        order = d.get("order")
        return (stage_pos.get(d.get("stage"), len(stage_pos)), order if order is not None else float("inf"), str(node))

    return key


def touchpoints_in_order(G: nx.DiGraph) -> list[str]:
    """Touchpoint ids in journey order: by stage position, then ``order``, then id.

    Branches (several touchpoints in one stage) keep their ``order``; the graph's edges do not
    change the order, so loops and back-edges never reshuffle the map.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("demo")
    >>> a = add_touchpoint(G, "Buy", "purchase"); b = add_touchpoint(G, "See an ad", "awareness")
    >>> touchpoints_in_order(G)
    ['tp-2', 'tp-1']
    """
    return sorted(G.nodes, key=_sort_key(G, stage_index(G)))


def touchpoints_by_stage(G: nx.DiGraph) -> dict[str, list[str]]:
    """Stage id → touchpoint ids in journey order, for every stage (empty stages included)."""
    out: dict[str, list[str]] = {s["id"]: [] for s in stages(G)}
    for node in touchpoints_in_order(G):
        out.setdefault(G.nodes[node].get("stage"), []).append(node)
    return out


def touchpoints_by_phase(G: nx.DiGraph) -> dict[str, list[str]]:
    """Phase → touchpoint ids in journey order, for every phase."""
    phase_of = {s["id"]: s["phase"] for s in stages(G)}
    out: dict[str, list[str]] = {p: [] for p in schema.PHASES}
    for node in touchpoints_in_order(G):
        phase = phase_of.get(G.nodes[node].get("stage"))
        if phase:
            out[phase].append(node)
    return out


def entry_points(G: nx.DiGraph) -> list[str]:
    """Touchpoints where journeys start: no incoming transition (or, when every touchpoint has one,
    the first in journey order), in journey order."""
    ordered = touchpoints_in_order(G)
    entries = [n for n in ordered if G.in_degree(n) == 0]
    return entries or ordered[:1]


def exit_points(G: nx.DiGraph) -> list[str]:
    """Touchpoints where journeys end: no outgoing transition, in journey order."""
    return [n for n in touchpoints_in_order(G) if G.out_degree(n) == 0]


def conversion_points(G: nx.DiGraph) -> list[str]:
    """Touchpoints flagged as conversion (capture) points, in journey order."""
    return [n for n in touchpoints_in_order(G) if G.nodes[n].get("conversion_point")]


def pain_points(G: nx.DiGraph) -> list[str]:
    """Touchpoints with a pain point written down, in journey order."""
    return [n for n in touchpoints_in_order(G) if str(G.nodes[n].get("pain_point") or "").strip()]


def missing_touchpoints(G: nx.DiGraph) -> list[str]:
    """Touchpoints with status ``missing`` (customers need them, we are absent), in journey order."""
    return [n for n in touchpoints_in_order(G) if G.nodes[n].get("status") == "missing"]


def back_edges(G: nx.DiGraph) -> list[tuple[str, str]]:
    """Transitions that go backwards in journey order (loops), as ``(u, v)`` pairs."""
    pos = {n: i for i, n in enumerate(touchpoints_in_order(G))}
    return [(u, v) for u, v in G.edges if pos[v] <= pos[u]]


def touchpoint_table(G: nx.DiGraph, fields: Iterable[str] | None = None) -> pd.DataFrame:
    """Each row is a touchpoint, in journey order; columns are the schema's tabular fields (or
    ``fields``), plus ``phase`` and ``next`` (the ids of the touchpoints it leads to, ``;``-joined).
    """
    cols = list(fields) if fields is not None else [f.name for f in schema.TOUCHPOINT_FIELDS if f.tabular]
    phase_of = {s["id"]: s["phase"] for s in stages(G)}
    rows = []
    for node in touchpoints_in_order(G):
        d = G.nodes[node]
        row = {c: d.get(c) for c in cols}
        row["phase"] = phase_of.get(d.get("stage"))
        row["next"] = ";".join(sorted(G.successors(node), key=str))
        rows.append(row)
    return pd.DataFrame(rows, columns=cols + ["phase", "next"])


def transition_table(G: nx.DiGraph) -> pd.DataFrame:
    """Each row is a transition: columns ``source``, ``target``, ``users``, ``label``."""
    rows = [
        {"source": u, "target": v, "users": d.get("users"), "label": d.get("label") or ""}
        for u, v, d in G.edges(data=True)
    ]
    return pd.DataFrame(rows, columns=["source", "target", "users", "label"])


def map_summary(G: nx.DiGraph) -> dict[str, Any]:
    """What the library lists for a map: id, title, type, persona name, counts, last change."""
    a = G.graph
    return {
        "id": a.get("id"),
        "title": a.get("title"),
        "map_type": a.get("map_type"),
        "persona": (a.get("persona") or {}).get("name", ""),
        "segment": a.get("segment") or "",
        "touchpoints": G.number_of_nodes(),
        "transitions": G.number_of_edges(),
        "baseline_id": a.get("baseline_id"),
        "language": a.get("language") or "en",
        "updated_at": a.get("updated_at"),
    }


def recompute_emotion_from_votes(G: nx.DiGraph, tp_id: str) -> float | None:
    """Set a touchpoint's emotion to the mean of its workshop votes (if any) and return it."""
    votes = G.nodes[tp_id].get("votes") or []
    scores = [float(v["score"]) for v in votes if v.get("score") is not None]
    if not scores:
        return G.nodes[tp_id].get("emotion")
    mean = round(sum(scores) / len(scores), 4)
    G.nodes[tp_id]["emotion"] = mean
    return mean


def copy_map(G: nx.DiGraph, *, title: str | None = None, map_id: str | None = None) -> nx.DiGraph:
    """A deep copy of a map under a new id (a duplicate), with fresh timestamps."""
    import copy

    H = copy.deepcopy(G)
    H.graph["title"] = title if title is not None else G.graph.get("title", "")
    H.graph["id"] = map_id or new_map_id(H.graph["title"])
    H.graph["created_at"] = H.graph["updated_at"] = now_iso()
    return H
