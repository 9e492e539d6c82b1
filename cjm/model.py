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
from cjm.text import is_blank

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
    "active_touchpoints",
    "filtered",
    "entry_points",
    "unreachable",
    "dead_ends",
    "no_way_to_conversion",
    "touchpoint_users",
    "users_by_touchpoint",
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


def active_touchpoints(G: nx.DiGraph) -> list[str]:
    """Touchpoints that are part of the journey today (every status but ``retired``), in journey order."""
    return [n for n in touchpoints_in_order(G) if G.nodes[n].get("status") != "retired"]


def filtered(G: nx.DiGraph, **choices: Iterable[str]) -> nx.DiGraph:
    """A copy of ``G`` with only the touchpoints whose field values are among the given ones
    (``filtered(G, decision=["start"], role=["convince"])``); a field given no values is not filtered.
    Transitions between kept touchpoints stay; map attributes are kept.

    >>> G = new_map("demo"); a = add_touchpoint(G, "Ad", "awareness", role="raise_interest")
    >>> b = add_touchpoint(G, "Demo", "intent", role="convince")
    >>> list(filtered(G, role=["convince"]))
    ['tp-2']
    """
    wanted = {k: set(v) for k, v in choices.items() if v}
    keep = [n for n, d in G.nodes(data=True) if all(d.get(k) in vals for k, vals in wanted.items())]
    H = G.subgraph(keep).copy()
    H.graph.update(G.graph)
    return H


def _journey(G: nx.DiGraph) -> tuple[list[str], nx.DiGraph]:
    order = active_touchpoints(G)
    return order, G.subgraph(order)


def _reach(H: nx.DiGraph, starts: Iterable[str], step, *, stop: Iterable[str] = ()) -> set[str]:
    """Every node reachable from ``starts`` (included) by repeatedly taking ``step(n)``; the walk does
    not go on from a node in ``stop`` (it is reached, not passed)."""
    stop = set(stop)
    seen = {s for s in starts if s in H}
    stack = [s for s in seen if s not in stop]
    while stack:
        for m in step(stack.pop()):
            if m not in seen:
                seen.add(m)
                if m not in stop:
                    stack.append(m)
    return seen


def entry_points(G: nx.DiGraph) -> list[str]:
    """Where journeys start, in journey order: active touchpoints with a way on but no way in
    (transitions from retired touchpoints do not count), that come no later than the first conversion
    point. A touchpoint with no way in after a conversion point is a broken chain, not a start
    (see :func:`unreachable`); a touchpoint with no transitions at all is not a start either.

    When no touchpoint qualifies, the first one that does is taken (all come after the first
    conversion), else the first connected touchpoint (a loop at the start), else the first touchpoint
    (a map without transitions reads in journey order).

    >>> G = new_map("demo"); a, b, c = (add_touchpoint(G, n, "awareness") for n in "abc")
    >>> add_transition(G, a, b); add_transition(G, b, a)
    >>> entry_points(G)
    ['tp-1']
    >>> add_transition(G, c, b); entry_points(G)
    ['tp-3']
    """
    order, H = _journey(G)
    candidates = [n for n in order if H.in_degree(n) == 0 and H.out_degree(n) > 0]
    first_conversion = next((i for i, n in enumerate(order) if G.nodes[n].get("conversion_point")), len(order))
    pos = {n: i for i, n in enumerate(order)}
    entries = [n for n in candidates if pos[n] <= first_conversion]
    return entries or candidates[:1] or [n for n in order if H.degree(n) > 0][:1] or order[:1]


def unreachable(G: nx.DiGraph, sources: Iterable[str] | None = None) -> list[str]:
    """Touchpoints a customer cannot reach from the :func:`entry_points` (or ``sources``) along the
    map's transitions, in journey order: a broken chain. Retired and missing touchpoints are not
    listed (missing ones are reported as missing); a map without transitions has none."""
    order, H = _journey(G)
    if H.number_of_edges() == 0:
        return []
    seen = _reach(H, entry_points(G) if sources is None else sources, H.successors)
    return [n for n in order if n not in seen and G.nodes[n].get("status") != "missing"]


def dead_ends(G: nx.DiGraph) -> list[str]:
    """**Dead ends** («Тупики»): touchpoints with no way on that come before the last conversion point
    in journey order, so the journey stops before it is done, in journey order.

    Conversion points, deliberate ends (``intended_end``), missing and retired touchpoints are not
    dead ends; a map without a conversion
    point or without transitions has none. Compare :func:`no_way_to_conversion`.

    >>> G = new_map("demo"); a, b, c = (add_touchpoint(G, n, "awareness") for n in "abc")
    >>> G.nodes[c]["conversion_point"] = True; add_transition(G, a, c)
    >>> dead_ends(G)
    ['tp-2']
    """
    order, H = _journey(G)
    last = max((i for i, n in enumerate(order) if G.nodes[n].get("conversion_point")), default=-1)
    if last < 0 or H.number_of_edges() == 0:
        return []
    return [
        n
        for n in order[:last]
        if H.out_degree(n) == 0
        and not G.nodes[n].get("conversion_point")
        and not G.nodes[n].get("intended_end")
        and G.nodes[n].get("status") != "missing"
    ]


def no_way_to_conversion(G: nx.DiGraph, targets: Iterable[str] | None = None) -> list[str]:
    """**No way to a conversion** («Не ведут к конверсии»): touchpoints a customer reaches from an
    entry point without converting and from which no conversion point (or none of ``targets``) can be
    reached: customers who get here are lost to the business. In journey order.

    Touchpoints reached only through a conversion (the after-purchase part of a journey) are not
    listed, nor are missing or retired ones; a map without a conversion point has none. Every
    :func:`dead_ends` touchpoint that can be reached without converting is listed here too.

    >>> G = new_map("demo"); a, b, c, d = (add_touchpoint(G, n, "awareness") for n in "abcd")
    >>> G.nodes[c]["conversion_point"] = True
    >>> add_transition(G, a, b); add_transition(G, a, c); add_transition(G, c, d)
    >>> no_way_to_conversion(G)
    ['tp-2']
    """
    order, H = _journey(G)
    goals = [n for n in (conversion_points(G) if targets is None else targets) if n in H]
    if not goals:
        return []
    converts = [n for n in order if G.nodes[n].get("conversion_point")] if targets is None else goals
    walked = _reach(H, entry_points(G), H.successors, stop=converts)
    can_convert = _reach(H, goals, H.predecessors)
    return [n for n in order if n in walked and n not in can_convert and G.nodes[n].get("status") != "missing"]


def touchpoint_users(G: nx.DiGraph, node: str) -> int | None:
    """**People at a touchpoint**: its own ``users`` count; else the sum of the known counts on its
    incoming transitions; else the sum of the known counts on its outgoing transitions (everyone who
    left it was there: for an entry point, everyone); else ``None`` (unknown).

    >>> G = new_map("a"); a, b, c = (add_touchpoint(G, n, "awareness") for n in "abc")
    >>> G.nodes[c]["users"] = 90; add_transition(G, a, b, users=500); add_transition(G, b, c, users=80)
    >>> touchpoint_users(G, a), touchpoint_users(G, b), touchpoint_users(G, c)
    (500, 500, 90)
    """
    own = G.nodes[node].get("users")
    if own is not None:
        return int(own)
    counts = [d["users"] for _, _, d in G.in_edges(node, data=True) if d.get("users") is not None]
    if not counts:
        counts = [d["users"] for _, _, d in G.out_edges(node, data=True) if d.get("users") is not None]
    return int(sum(counts)) if counts else None


def users_by_touchpoint(G: nx.DiGraph) -> dict[str, int]:
    """:func:`touchpoint_users` of every touchpoint whose count is known."""
    return {n: u for n in G.nodes if (u := touchpoint_users(G, n)) is not None}


def exit_points(G: nx.DiGraph) -> list[str]:
    """Touchpoints where journeys end: no outgoing transition, in journey order."""
    return [n for n in touchpoints_in_order(G) if G.out_degree(n) == 0]


def conversion_points(G: nx.DiGraph) -> list[str]:
    """Touchpoints flagged as conversion (capture) points, in journey order."""
    return [n for n in touchpoints_in_order(G) if G.nodes[n].get("conversion_point")]


def pain_points(G: nx.DiGraph) -> list[str]:
    """Touchpoints with a pain point written down, in journey order."""
    return [n for n in touchpoints_in_order(G) if not is_blank(G.nodes[n].get("pain_point"))]


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
