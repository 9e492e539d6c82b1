"""The journey as a graph: a stable layered layout, paths from entry touchpoints to conversion
points, the most travelled and the worst path, bottlenecks, unreachable touchpoints and loops.

Plain networkx, no randomness: the same map always gives the same layout and the same answers.
Every search is bounded (path length, number of paths, search steps, cycles), so a map of
thousands of touchpoints answers in well under a second.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

import networkx as nx
import pandas as pd

from cjm import model

__all__ = [
    "MAX_PATHS",
    "MAX_STEPS",
    "MAX_LOOPS",
    "LOOP_LENGTH",
    "PathStats",
    "PathSearch",
    "FlowAnalysis",
    "journey_targets",
    "layered_layout",
    "enumerate_paths",
    "path_stats",
    "most_travelled_path",
    "worst_path_by_emotion",
    "worst_path_by_drop_off",
    "bottlenecks",
    "loops",
    "forward_edges",
    "analyse",
    "paths_table",
    "bottleneck_table",
    "back_edge_table",
]

#: Default bounds of the path search: at most this many paths are listed ...
MAX_PATHS = 500
#: ... and the depth-first search expands at most this many nodes in all.
MAX_STEPS = 200_000
#: At most this many loops (simple cycles) are listed ...
MAX_LOOPS = 50
#: ... each at most this many touchpoints long.
LOOP_LENGTH = 8


def _order(G: nx.DiGraph) -> dict[Any, int]:
    return {n: i for i, n in enumerate(model.touchpoints_in_order(G))}


def _users(value: Any) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


def journey_targets(G: nx.DiGraph) -> list[str]:
    """Where journeys should end: the conversion points, or, when the map has none, the connected
    exit points (no outgoing transition), in journey order."""
    conv = model.conversion_points(G)
    if conv:
        return conv
    return [n for n in model.exit_points(G) if G.in_degree(n) > 0]


def forward_edges(G: nx.DiGraph) -> list[tuple[str, str]]:
    """Transitions that go forward in journey order (everything but :func:`cjm.model.back_edges`);
    together they form an acyclic graph, what a Sankey diagram can draw."""
    pos = _order(G)
    return [(u, v) for u, v in G.edges if pos[v] > pos[u]]


# --- layout -----------------------------------------------------------------------------------


def layered_layout(G: nx.DiGraph, *, sweeps: int = 4, max_columns: int | None = None) -> dict[str, tuple[float, float]]:
    """Node → ``(x, y)``: columns follow the journey, stage by stage, left to right.

    Inside a stage, a touchpoint gets its own column after the touchpoints of the same stage that
    lead to it (longest path over forward transitions), so a chain reads left to right and
    parallel alternatives stack vertically. When that needs more than ``max_columns`` columns,
    long chains are folded: each stage keeps a share of the columns proportional to its chain
    length (at least one), so labels keep room on wide maps. Rows inside a column are ordered by the mean row of
    their neighbours (a few barycentre sweeps, ties by journey order) to reduce crossings, then
    centred on y = 0. Deterministic: no random seed is involved. ``x`` is the column number,
    ``y`` the row (one unit apart).

    >>> from cjm.model import new_map, add_touchpoint, add_transition
    >>> G = new_map("demo"); a = add_touchpoint(G, "Ad", "awareness"); b = add_touchpoint(G, "Site",
    ...     "awareness"); c = add_touchpoint(G, "Pay", "purchase"); add_transition(G, a, b); add_transition(G, b, c)
    >>> layered_layout(G)
    {'tp-1': (0.0, 0.0), 'tp-2': (1.0, 0.0), 'tp-3': (2.0, 0.0)}
    """
    ordered = model.touchpoints_in_order(G)
    if not ordered:
        return {}
    pos = {n: i for i, n in enumerate(ordered)}
    stage_of = {n: G.nodes[n].get("stage") for n in ordered}
    # Column inside the stage: longest chain of same-stage forward transitions leading here.
    sub: dict[str, int] = {}
    for n in ordered:  # journey order is a topological order of the forward edges
        best = 0
        for p in G.predecessors(n):
            if pos[p] < pos[n] and stage_of[p] == stage_of[n]:
                best = max(best, sub[p] + 1)
        sub[n] = best
    stage_seq = list(dict.fromkeys(stage_of[n] for n in ordered))
    depth = {st: 1 + max(sub[n] for n in ordered if stage_of[n] == st) for st in stage_seq}
    total = sum(depth.values())
    if max_columns and total > max_columns:
        # Fold long chains: each stage keeps a share of the columns proportional to its depth.
        for n in ordered:
            d = depth[stage_of[n]]
            k = max(1, math.floor(d * max_columns / total))
            sub[n] = sub[n] * k // d
    width = {s: 1 + max(sub[n] for n in ordered if stage_of[n] == s) for s in stage_seq}
    start, x0 = {}, 0
    for s in stage_seq:
        start[s] = x0
        x0 += width[s]
    col = {n: start[stage_of[n]] + sub[n] for n in ordered}
    columns: dict[int, list[str]] = {}
    for n in ordered:
        columns.setdefault(col[n], []).append(n)
    row = {n: float(i) for c in columns.values() for i, n in enumerate(c)}
    keys = sorted(columns)
    for sweep in range(sweeps):
        # Alternate left→right (by predecessors) and right→left (by successors).
        forward = sweep % 2 == 0
        for c in keys if forward else reversed(keys):
            nodes = columns[c]
            bary = {}
            for n in nodes:
                nbrs = [m for m in (G.predecessors(n) if forward else G.successors(n)) if col[m] != c]
                bary[n] = sum(row[m] for m in nbrs) / len(nbrs) if nbrs else row[n]
            nodes.sort(key=lambda n: (bary[n], pos[n]))
            for i, n in enumerate(nodes):
                row[n] = float(i)
    out = {}
    for c, nodes in columns.items():
        offset = (len(nodes) - 1) / 2
        for i, n in enumerate(nodes):
            out[n] = (float(c), float(offset - i))  # first row on top
    return {n: out[n] for n in ordered}


# --- paths ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PathSearch:
    """The outcome of a bounded path search: the paths found (each a list of touchpoint ids) and
    whether a bound stopped the search early (``truncated``: there may be more paths)."""

    paths: list[list[str]]
    truncated: bool


def enumerate_paths(
    G: nx.DiGraph,
    sources: Sequence[str] | None = None,
    targets: Sequence[str] | None = None,
    *,
    cutoff: int | None = None,
    max_paths: int = MAX_PATHS,
    max_steps: int = MAX_STEPS,
) -> PathSearch:
    """Simple paths (no touchpoint twice) from any source to any target, bounded.

    Defaults: sources are :func:`cjm.model.entry_points`, targets :func:`journey_targets`. A path ends at
    the first target it reaches (a path through one conversion point to another is not listed
    twice). ``cutoff`` bounds the number of transitions of a path; ``max_paths`` the number of
    paths; ``max_steps`` the work of the depth-first search. Only touchpoints that can still reach
    a target within the cutoff are explored, nearest to a target first (ties in journey order), so
    the result is deterministic and short paths come first.

    >>> from cjm.model import new_map, add_touchpoint, add_transition
    >>> G = new_map("demo"); a, b, c, d = (add_touchpoint(G, n, "awareness") for n in "abcd")
    >>> G.nodes[d]["conversion_point"] = True
    >>> for u, v in [(a, b), (a, c), (b, d), (c, d)]: add_transition(G, u, v)
    >>> enumerate_paths(G).paths
    [['tp-1', 'tp-2', 'tp-4'], ['tp-1', 'tp-3', 'tp-4']]
    """
    sources = list(model.entry_points(G) if sources is None else sources)
    target_set = set(journey_targets(G) if targets is None else targets)
    if not sources or not target_set:
        return PathSearch([], False)
    pos = _order(G)
    # Hops from each touchpoint to the nearest target (reverse BFS): touchpoints that cannot reach
    # a target are never walked, nor are ones too far to reach it within the cutoff, and the
    # successors nearest to a target are tried first, so the first paths come quickly.
    dist: dict[str, int] = {t: 0 for t in target_set if t in G}
    frontier = list(dist)
    while frontier:
        nxt_frontier = []
        for n in frontier:
            for p in G.predecessors(n):
                if p not in dist:
                    dist[p] = dist[n] + 1
                    nxt_frontier.append(p)
        frontier = nxt_frontier
    useful = set(dist)
    succ = {n: sorted((m for m in G.successors(n) if m in useful), key=lambda m: (dist[m], pos[m])) for n in useful}
    limit = cutoff if cutoff is not None else len(G)
    paths: list[list[str]] = []
    steps = 0
    truncated = False
    for s in sorted(set(sources), key=pos.__getitem__):
        if s not in useful:
            continue
        if s in target_set:
            paths.append([s])
            if len(paths) >= max_paths:
                return PathSearch(paths, True)
            continue
        path, on_path = [s], {s}
        iters = [iter(succ[s])]
        while iters:
            nxt = next(iters[-1], None)
            if nxt is None:
                iters.pop()
                on_path.discard(path.pop())
                continue
            steps += 1
            if steps > max_steps:
                return PathSearch(paths, True)
            if nxt in on_path:
                continue
            if nxt in target_set:
                paths.append([*path, nxt])
                if len(paths) >= max_paths:
                    return PathSearch(paths, True)
                continue
            if len(path) + dist[nxt] > limit:  # the nearest target is beyond the cutoff from here
                truncated = True
                continue
            path.append(nxt)
            on_path.add(nxt)
            iters.append(iter(succ[nxt]))
    return PathSearch(paths, truncated)


@dataclass(frozen=True)
class PathStats:
    """Figures of one path: its touchpoints, transitions, mean and lowest emotion (over the
    assessed touchpoints; ``None`` when none is), ``users`` (the smallest transition count on the
    path: at most that many walked all of it; ``None`` without complete counts), ``start_users``
    (users of the first touchpoint, or of the first transition when the touchpoint has no count),
    ``end_users`` (the last transition's count) and ``drop_off`` (``start_users − users``: how
    many who started there did not walk the whole path; never negative)."""

    path: tuple[str, ...]
    steps: int
    mean_emotion: float | None
    min_emotion: float | None
    users: int | None
    start_users: int | None
    end_users: int | None
    drop_off: int | None

    @property
    def drop_off_share(self) -> float | None:
        """The drop-off as a share of ``start_users`` (0 … 1), ``None`` without counts."""
        if self.drop_off is None or not self.start_users:
            return None
        return self.drop_off / self.start_users


def path_stats(G: nx.DiGraph, path: Sequence[str]) -> PathStats:
    """Emotion and user figures of a path (see :class:`PathStats`).

    >>> from cjm.model import new_map, add_touchpoint, add_transition
    >>> G = new_map("demo"); a = add_touchpoint(G, "a", "awareness", emotion=1.0)
    >>> b = add_touchpoint(G, "b", "purchase", emotion=-2.0); c = add_touchpoint(G, "c", "loyalty")
    >>> add_transition(G, a, b, users=100); add_transition(G, b, c, users=40)
    >>> s = path_stats(G, [a, b, c]); s.mean_emotion, s.users, s.drop_off, s.drop_off_share
    (-0.5, 40, 60, 0.6)
    """
    emotions = [float(G.nodes[n]["emotion"]) for n in path if G.nodes[n].get("emotion") is not None]
    counts = [_users(G.edges[u, v].get("users")) for u, v in zip(path, path[1:], strict=False)]
    complete = bool(counts) and all(c is not None for c in counts)
    walked = min(counts) if complete else None  # type: ignore[type-var]
    start = model.touchpoint_users(G, path[0]) if path else None
    if start is None and counts:
        start = counts[0]
    end = counts[-1] if counts else None
    return PathStats(
        path=tuple(path),
        steps=len(path) - 1,
        mean_emotion=round(sum(emotions) / len(emotions), 4) if emotions else None,
        min_emotion=min(emotions) if emotions else None,
        users=walked,
        start_users=start,
        end_users=end,
        drop_off=max(0, start - walked) if start is not None and walked is not None else None,
    )


def most_travelled_path(
    G: nx.DiGraph, sources: Sequence[str] | None = None, targets: Sequence[str] | None = None
) -> list[str] | None:
    """The path from an entry to a target that the most users can have walked: it maximises the
    smallest transition count on the way (a "widest path", exact, found with a Dijkstra-like
    search; ties go to the path with more users on its first transition, then fewer steps).
    Transitions without a count count as 0. ``None`` when no transition has a count or no target
    is reachable.

    >>> from cjm.model import new_map, add_touchpoint, add_transition
    >>> G = new_map("demo"); a, b, c, d = (add_touchpoint(G, n, "awareness") for n in "abcd")
    >>> G.nodes[d]["conversion_point"] = True
    >>> add_transition(G, a, b, users=90); add_transition(G, b, d, users=30)
    >>> add_transition(G, a, c, users=50); add_transition(G, c, d, users=45)
    >>> most_travelled_path(G)
    ['tp-1', 'tp-3', 'tp-4']
    """
    if not any(_users(d.get("users")) for _, _, d in G.edges(data=True)):
        return None
    sources = list(model.entry_points(G) if sources is None else sources)
    target_set = set(journey_targets(G) if targets is None else targets)
    pos = _order(G)
    best: dict[str, tuple[float, float, int]] = {}
    parent: dict[str, str | None] = {}
    heap: list[tuple[float, float, int, int, str]] = []
    for s in sources:
        key = (math.inf, math.inf, 0)
        best[s] = key
        parent[s] = None
        heapq.heappush(heap, (-key[0], -key[1], key[2], pos[s], s))
    done: set[str] = set()
    found = None
    while heap:
        neg_w, neg_first, hops, _, n = heapq.heappop(heap)
        if n in done:
            continue
        done.add(n)
        if n in target_set and parent[n] is not None:
            found = n
            break
        if n in target_set and parent[n] is None:
            continue  # a source that is itself a target: look for a real path
        for m in G.successors(n):
            if m in done:
                continue
            c = _users(G.edges[n, m].get("users")) or 0
            width = min(-neg_w, c)
            first = c if parent[n] is None else -neg_first
            key = (width, first, hops + 1)
            old = best.get(m)
            if old is None or (key[0], key[1], -key[2]) > (old[0], old[1], -old[2]):
                best[m] = key
                parent[m] = n
                heapq.heappush(heap, (-width, -first, hops + 1, pos[m], m))
    if found is None:
        return None
    path = [found]
    while parent[path[-1]] is not None:
        path.append(parent[path[-1]])  # type: ignore[arg-type]
    return path[::-1]


def worst_path_by_emotion(stats: Sequence[PathStats]) -> PathStats | None:
    """The path with the lowest mean emotion (ties: the lower minimum, then the first listed);
    ``None`` when no path has an assessed touchpoint."""
    rated = [s for s in stats if s.mean_emotion is not None]
    if not rated:
        return None
    return min(rated, key=lambda s: (s.mean_emotion, s.min_emotion))


def worst_path_by_drop_off(stats: Sequence[PathStats]) -> PathStats | None:
    """The path that loses the most of the users who start it (largest ``drop_off``; ties: the
    larger share lost); ``None`` when no path has complete counts."""
    counted = [s for s in stats if s.drop_off is not None]
    if not counted:
        return None
    return max(counted, key=lambda s: (s.drop_off, s.drop_off_share or 0.0))


# --- bottlenecks, reachability, loops ---------------------------------------------------------


def bottlenecks(G: nx.DiGraph, paths: Sequence[Sequence[str]], *, betweenness_sample: int = 40) -> pd.DataFrame:
    """Each row is a touchpoint that lies inside at least one listed path (not at either end),
    most used first; columns ``id``, ``paths`` (how many of the paths pass through it),
    ``share`` (of all listed paths, 0 … 1) and ``betweenness`` (networkx betweenness centrality,
    normalised; exact up to 150 touchpoints, above that estimated from ``betweenness_sample``
    sources with a fixed seed, which keeps a 1,000-touchpoint map well under a second).

    A touchpoint on every path is a single point of failure: if it breaks, no journey converts.
    """
    counts: dict[str, int] = {}
    for p in paths:
        for n in set(p[1:-1]):
            counts[n] = counts.get(n, 0) + 1
    if not counts:
        return pd.DataFrame(columns=["id", "paths", "share", "betweenness"])
    k = betweenness_sample if G.number_of_nodes() > 150 else None
    between = nx.betweenness_centrality(G, k=k, seed=0 if k else None, normalized=True)
    pos = _order(G)
    rows = [
        {"id": n, "paths": c, "share": round(c / len(paths), 4), "betweenness": round(float(between.get(n, 0.0)), 4)}
        for n, c in counts.items()
    ]
    rows.sort(key=lambda r: (-r["paths"], -r["betweenness"], pos[r["id"]]))
    df = pd.DataFrame(rows, columns=["id", "paths", "share", "betweenness"])
    df["paths"] = df["paths"].astype("int64")
    return df


def loops(G: nx.DiGraph, *, max_loops: int = MAX_LOOPS, length_bound: int = LOOP_LENGTH) -> list[list[str]]:
    """Simple cycles (a customer returns to a touchpoint), at most ``max_loops`` of at most
    ``length_bound`` touchpoints; each starts at its earliest touchpoint in journey order, shortest
    first.

    >>> from cjm.model import new_map, add_touchpoint, add_transition
    >>> G = new_map("demo"); a, b, c = (add_touchpoint(G, n, "awareness") for n in "abc")
    >>> add_transition(G, a, b); add_transition(G, b, c); add_transition(G, c, b)
    >>> loops(G)
    [['tp-2', 'tp-3']]
    """
    pos = _order(G)
    found = []
    for cycle in islice(nx.simple_cycles(G, length_bound=length_bound), max_loops * 4):
        i = min(range(len(cycle)), key=lambda j: pos[cycle[j]])
        found.append(cycle[i:] + cycle[:i])
    found.sort(key=lambda c: (len(c), [pos[n] for n in c]))
    return found[:max_loops]


# --- everything at once -----------------------------------------------------------------------


@dataclass(frozen=True)
class FlowAnalysis:
    """Everything the flow page shows about one map, computed once."""

    entries: list[str]
    targets: list[str]
    targets_are_conversions: bool
    search: PathSearch
    stats: list[PathStats]
    most_travelled: PathStats | None
    worst_emotion: PathStats | None
    worst_drop_off: PathStats | None
    bottlenecks: pd.DataFrame
    unreachable: list[str]
    #: Touchpoints with no way on before the last conversion point (:func:`cjm.model.dead_ends`).
    dead_ends: list[str]
    #: Touchpoints reached without converting that lead to no target (:func:`cjm.model.no_way_to_conversion`).
    no_way_to_conversion: list[str]
    loops: list[list[str]]
    back_edges: list[tuple[str, str]]
    has_counts: bool = field(default=False)


def analyse(
    G: nx.DiGraph,
    *,
    targets: Sequence[str] | None = None,
    cutoff: int | None = None,
    max_paths: int = MAX_PATHS,
    max_loops: int = MAX_LOOPS,
) -> FlowAnalysis:
    """Run every analysis of this module on ``G`` with the given bounds; ``targets`` narrows the
    journeys' ends to some conversion points (default: all of them, see :func:`journey_targets`)."""
    entries = model.entry_points(G)
    targets = list(journey_targets(G) if not targets else [n for n in targets if n in G])
    search = enumerate_paths(G, entries, targets, cutoff=cutoff, max_paths=max_paths)
    stats = [path_stats(G, p) for p in search.paths]
    widest = most_travelled_path(G, entries, targets)
    has_counts = any(_users(d.get("users")) is not None for _, _, d in G.edges(data=True))
    return FlowAnalysis(
        entries=entries,
        targets=targets,
        targets_are_conversions=bool(model.conversion_points(G)),
        search=search,
        stats=stats,
        most_travelled=path_stats(G, widest) if widest else None,
        worst_emotion=worst_path_by_emotion(stats),
        worst_drop_off=worst_path_by_drop_off(stats) if has_counts else None,
        bottlenecks=bottlenecks(G, search.paths),
        unreachable=model.unreachable(G),
        dead_ends=model.dead_ends(G),
        no_way_to_conversion=model.no_way_to_conversion(G, targets) if model.conversion_points(G) else [],
        loops=loops(G, max_loops=max_loops),
        back_edges=model.back_edges(G),
        has_counts=has_counts,
    )


def _names(G: nx.DiGraph, path: Sequence[str]) -> str:
    return " → ".join(str(G.nodes[n].get("name") or n) for n in path)


def paths_table(G: nx.DiGraph, stats: Sequence[PathStats]) -> pd.DataFrame:
    """Each row is a path from an entry to a target, in search order; columns ``path`` (touchpoint
    names joined by arrows), ``steps``, ``mean_emotion``, ``min_emotion``, ``users`` (smallest
    transition count), ``drop_off`` and ``drop_off_share`` (0 … 1)."""
    rows = [
        {
            "path": _names(G, s.path),
            "steps": s.steps,
            "mean_emotion": s.mean_emotion,
            "min_emotion": s.min_emotion,
            "users": s.users,
            "drop_off": s.drop_off,
            "drop_off_share": None if s.drop_off_share is None else round(s.drop_off_share, 4),
        }
        for s in stats
    ]
    df = pd.DataFrame(
        rows, columns=["path", "steps", "mean_emotion", "min_emotion", "users", "drop_off", "drop_off_share"]
    )
    for c in ("steps", "users", "drop_off"):
        df[c] = pd.array([None if v is None or v != v else int(v) for v in df[c]], dtype="Int64")
    for c in ("mean_emotion", "min_emotion", "drop_off_share"):
        df[c] = pd.array([None if v is None or v != v else float(v) for v in df[c]], dtype="Float64")
    return df


def bottleneck_table(G: nx.DiGraph, analysis: FlowAnalysis, *, top: int = 15, lang: str = "en") -> pd.DataFrame:
    """Each row is one of the ``top`` bottleneck touchpoints; columns ``name``, ``stage`` (its
    display name in ``lang``), ``paths``, ``share`` and ``betweenness`` (see :func:`bottlenecks`)."""
    stage_names = {s["id"]: model.stage_label(s, lang) for s in model.stages(G)}
    df = analysis.bottlenecks.head(top).copy()
    df.insert(0, "name", [G.nodes[n].get("name") or n for n in df["id"]])
    df.insert(1, "stage", [stage_names.get(G.nodes[n].get("stage"), G.nodes[n].get("stage")) for n in df["id"]])
    return df.drop(columns=["id"]).reset_index(drop=True)


def back_edge_table(G: nx.DiGraph) -> pd.DataFrame:
    """Each row is a transition going back in journey order (a loop the Sankey leaves out);
    columns ``source`` and ``target`` (touchpoint names) and ``users`` (nullable int)."""
    edges = model.back_edges(G)
    return pd.DataFrame(
        {
            "source": [str(G.nodes[u].get("name") or u) for u, _ in edges],
            "target": [str(G.nodes[v].get("name") or v) for _, v in edges],
            "users": pd.array([_users(G.edges[e].get("users")) for e in edges], dtype="Int64"),
        },
        columns=["source", "target", "users"],
    )
