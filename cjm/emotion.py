"""The emotion curve's tables and numbers: how the customer feels along the journey, for one map or
several overlaid (the figure is :func:`cjm.charts.emotion.emotion_curve_figure`).

Feelings use the canonical −2 … +2 scale with two thresholds (:data:`NEGATIVE_BELOW`,
:data:`POSITIVE_ABOVE`): an emotion below −0.5 is *negative*, above +0.5 *positive*, anything in
between (both ends included) *neutral*; ``None`` is *not assessed* and is drawn as a gap, never as 0.

The x axis is shared by every overlaid map so that different maps compare stage by stage: each stage
of the merged stage list (:func:`stage_spans`) is a band whose width is the largest number of
touchpoints any overlaid map has in it (at least 1), and a map's touchpoints are spread evenly inside
their stage's band, in journey order (:func:`cjm.model.touchpoints_in_order`). A quiet stage is
never narrower than 3/4 of the average number of touchpoints per stage, so its name stays readable.

Workshop votes: the curve point is the touchpoint's emotion (the vote mean once votes are folded in);
the votes themselves are drawn as a diamond at their mean with an error bar from the lowest to the
highest vote (the whole room's range), and the hover gives the mean, the population standard
deviation (``ddof=0``: the room is the whole population, not a sample) and the number of votes.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd

from cjm import model

__all__ = [
    "NEGATIVE_BELOW",
    "POSITIVE_ABOVE",
    "feeling",
    "VoteStats",
    "vote_stats",
    "StageSpan",
    "stage_spans",
    "curve_table",
    "lowest_moments",
    "peak_end",
    "stage_emotion_table",
]

#: Emotions strictly below this are negative.
NEGATIVE_BELOW = -0.5
#: Emotions strictly above this are positive.
POSITIVE_ABOVE = 0.5


def feeling(emotion: float | None) -> str:
    """``negative`` (< −0.5), ``neutral`` (−0.5 … 0.5), ``positive`` (> 0.5) or ``unassessed``.

    >>> [feeling(x) for x in (-2, -0.5, 0.5, 0.51, None)]
    ['negative', 'neutral', 'neutral', 'positive', 'unassessed']
    """
    if emotion is None or (isinstance(emotion, float) and math.isnan(emotion)):
        return "unassessed"
    if emotion < NEGATIVE_BELOW:
        return "negative"
    if emotion > POSITIVE_ABOVE:
        return "positive"
    return "neutral"


@dataclass(frozen=True)
class VoteStats:
    """Workshop votes on one touchpoint: count, mean, population std, lowest and highest."""

    n: int
    mean: float | None
    std: float | None
    low: float | None
    high: float | None


def vote_stats(votes: Iterable[dict[str, Any]] | None) -> VoteStats:
    """Summarise votes (``[{participant, score, time}]``); votes without a score are ignored.

    >>> vote_stats([{"score": -2}, {"score": 0}, {"score": 1}])
    VoteStats(n=3, mean=-0.3333, std=1.2472, low=-2.0, high=1.0)
    >>> vote_stats([])
    VoteStats(n=0, mean=None, std=None, low=None, high=None)
    """
    scores = [float(v["score"]) for v in (votes or []) if isinstance(v, dict) and v.get("score") is not None]
    if not scores:
        return VoteStats(0, None, None, None, None)
    n = len(scores)
    mean = sum(scores) / n
    std = math.sqrt(sum((s - mean) ** 2 for s in scores) / n)
    return VoteStats(n, round(mean, 4), round(std, 4), min(scores), max(scores))


@dataclass(frozen=True)
class StageSpan:
    """One stage on the shared x axis: ``start`` … ``end`` in axis units."""

    id: str
    name: str
    phase: str
    start: float
    end: float

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


def _merged_stages(graphs: Sequence[nx.DiGraph]) -> list[dict[str, str]]:
    """The first map's stages; another map's extra stage goes right after its predecessor in that map,
    else right before its successor, else at the end (so unrelated stage lists follow each other)."""
    merged: list[dict[str, str]] = []
    for G in graphs:
        own = model.stages(G)
        for j, stage in enumerate(own):
            ids = [s["id"] for s in merged]
            if stage["id"] in ids:
                continue
            before = [s["id"] for s in own[:j] if s["id"] in ids]
            after = [s["id"] for s in own[j + 1 :] if s["id"] in ids]
            if before:
                at = ids.index(before[-1]) + 1
            elif after:
                at = ids.index(after[0])
            else:
                at = len(merged)
            merged.insert(at, dict(stage))
    return merged


def stage_spans(graphs: nx.DiGraph | Sequence[nx.DiGraph], lang: str = "en") -> list[StageSpan]:
    """The merged stages of ``graphs`` as bands on one x axis (see the module docstring).

    A stage is as wide as the largest number of touchpoints any map has in it, but never narrower
    than 3/4 of the average per stage (at least 1), so a quiet stage keeps room for its name.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("a", stages_template="phases")
    >>> _ = add_touchpoint(G, "x", "purchase"); _ = add_touchpoint(G, "y", "purchase")
    >>> [(s.id, s.start, s.end) for s in stage_spans(G)]
    [('before_purchase', 0.0, 1.0), ('purchase', 1.0, 3.0), ('after_purchase', 3.0, 4.0)]
    >>> _ = [add_touchpoint(G, str(i), "after_purchase") for i in range(10)]
    >>> [(s.id, s.start, s.end) for s in stage_spans(G)]
    [('before_purchase', 0.0, 3.0), ('purchase', 3.0, 6.0), ('after_purchase', 6.0, 16.0)]
    """
    graphs = [graphs] if isinstance(graphs, nx.DiGraph) else list(graphs)
    spans: list[StageSpan] = []
    start = 0.0
    by_stage = [model.touchpoints_by_stage(G) for G in graphs]
    merged = _merged_stages(graphs)
    counts = [max([0] + [len(b.get(stage["id"], [])) for b in by_stage]) for stage in merged]
    # A quiet stage still gets room for its name: at least 3/4 of the average touchpoints per stage.
    floor = max(1.0, round(0.75 * sum(counts) / len(merged), 1)) if merged else 1.0
    for stage, count in zip(merged, counts, strict=True):
        width = max(floor, float(count))
        spans.append(StageSpan(stage["id"], model.stage_label(stage, lang), stage["phase"], start, start + width))
        start += width
    return spans


def _positions(G: nx.DiGraph, spans: Sequence[StageSpan]) -> dict[str, float]:
    span_of = {s.id: s for s in spans}
    end = spans[-1].end if spans else 0.0
    pos: dict[str, float] = {}
    for stage_id, nodes in model.touchpoints_by_stage(G).items():
        span = span_of.get(stage_id)
        if span is None:  # a touchpoint on an unknown stage (never after validation): park it at the end
            span = StageSpan(stage_id, stage_id, "", end, end + 1)
            end += 1
        width = span.end - span.start
        for i, node in enumerate(nodes):
            pos[node] = span.start + (i + 0.5) * width / len(nodes)
    return pos


CURVE_COLUMNS = [
    "id",
    "name",
    "stage",
    "stage_name",
    "phase",
    "x",
    "emotion",
    "feeling",
    "votes",
    "vote_mean",
    "vote_std",
    "vote_min",
    "vote_max",
    "action",
    "thought",
    "pain_point",
    "opportunity",
    "evidence",
    "status",
    "channel",
    "conversion_point",
]


def curve_table(G: nx.DiGraph, *, spans: Sequence[StageSpan] | None = None, lang: str = "en") -> pd.DataFrame:
    """Each row is a touchpoint of ``G`` in journey order, placed on the curve.

    Columns: ``id``, ``name``, ``stage``, ``stage_name``, ``phase``, ``x`` (position on the shared
    axis), ``emotion`` (``None`` when not assessed), ``feeling``, ``votes`` (count), ``vote_mean``,
    ``vote_std``, ``vote_min``, ``vote_max``, ``action``, ``thought``, ``pain_point``, ``opportunity``,
    ``evidence``, ``status``, ``channel``, ``conversion_point``. Retired touchpoints are left out.
    """
    spans = list(spans) if spans is not None else stage_spans(G, lang)
    pos = _positions(G, spans)
    names = {s.id: s.name for s in spans}
    phase_of = {s["id"]: s["phase"] for s in model.stages(G)}
    rows = []
    for node in model.touchpoints_in_order(G):
        d = G.nodes[node]
        if d.get("status") == "retired":
            continue
        votes = vote_stats(d.get("votes"))
        emotion = d.get("emotion")
        rows.append(
            {
                "id": node,
                "name": d.get("name") or node,
                "stage": d.get("stage"),
                "stage_name": names.get(d.get("stage"), d.get("stage")),
                "phase": phase_of.get(d.get("stage")),
                "x": pos[node],
                "emotion": None if emotion is None else float(emotion),
                "feeling": feeling(emotion),
                "votes": votes.n,
                "vote_mean": votes.mean,
                "vote_std": votes.std,
                "vote_min": votes.low,
                "vote_max": votes.high,
                "action": d.get("action") or "",
                "thought": d.get("thought") or "",
                "pain_point": d.get("pain_point") or "",
                "opportunity": d.get("opportunity") or "",
                "evidence": d.get("evidence") or "",
                "status": d.get("status") or "existing",
                "channel": d.get("channel") or "",
                "conversion_point": bool(d.get("conversion_point")),
            }
        )
    df = pd.DataFrame(rows, columns=CURVE_COLUMNS)
    # keep "not assessed" as None (not NaN) so it can never be mistaken for a number downstream
    df["emotion"] = pd.Series([r["emotion"] for r in rows], index=df.index, dtype=object)
    return df


def lowest_moments(G: nx.DiGraph, k: int = 3) -> list[str]:
    """Up to ``k`` lowest-emotion touchpoints (negative ones; or the single lowest when none is
    negative), lowest first, ties in journey order. Retired and unassessed touchpoints are skipped.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("a")
    >>> a = add_touchpoint(G, "a", "awareness", emotion=1.0)
    >>> b = add_touchpoint(G, "b", "purchase", emotion=-2.0)
    >>> c = add_touchpoint(G, "c", "loyalty", emotion=-1.0)
    >>> lowest_moments(G)
    ['tp-2', 'tp-3']
    """
    order = model.touchpoints_in_order(G)
    assessed = [
        (G.nodes[n]["emotion"], i, n)
        for i, n in enumerate(order)
        if G.nodes[n].get("emotion") is not None and G.nodes[n].get("status") != "retired"
    ]
    if not assessed:
        return []
    assessed.sort()
    negative = [n for e, _, n in assessed if e < NEGATIVE_BELOW]
    return negative[:k] if negative else [assessed[0][2]]


def peak_end(G: nx.DiGraph) -> tuple[str | None, str | None]:
    """The two moments the peak-end rule says a customer remembers: the **peak** (the most intense
    assessed emotion, best or worst; a tie goes to the positive one, then the earlier) and the
    **end** (the last assessed touchpoint in journey order). Retired, missing and unassessed
    touchpoints are skipped; ``(None, None)`` when nothing is assessed.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("a")
    >>> a = add_touchpoint(G, "a", "awareness", emotion=1.0)
    >>> b = add_touchpoint(G, "b", "purchase", emotion=-2.0)
    >>> c = add_touchpoint(G, "c", "loyalty", emotion=0.5)
    >>> peak_end(G)
    ('tp-2', 'tp-3')
    """
    assessed = [
        (n, float(G.nodes[n]["emotion"]))
        for n in model.active_touchpoints(G)
        if G.nodes[n].get("emotion") is not None and G.nodes[n].get("status") != "missing"
    ]
    if not assessed:
        return None, None
    peak = max(assessed, key=lambda ne: (abs(ne[1]), ne[1] > 0))[0]
    return peak, assessed[-1][0]


def stage_emotion_table(graphs: nx.DiGraph | Sequence[nx.DiGraph], lang: str = "en") -> pd.DataFrame:
    """Each row is a stage of the merged stage list; columns ``stage``, ``stage_name``, ``phase``,
    then one column per map (its title) holding the mean assessed emotion in that stage (``None``
    when it has no assessed touchpoint there), and ``change`` (last map minus first) when two or more
    maps are compared.
    """
    graphs = [graphs] if isinstance(graphs, nx.DiGraph) else list(graphs)
    spans = stage_spans(graphs, lang)
    titles = unique_titles(graphs)
    rows = []
    for span in spans:
        row: dict[str, Any] = {"stage": span.id, "stage_name": span.name, "phase": span.phase}
        for title, G in zip(titles, graphs, strict=True):
            values = [
                float(G.nodes[n]["emotion"])
                for n in model.touchpoints_by_stage(G).get(span.id, [])
                if G.nodes[n].get("emotion") is not None and G.nodes[n].get("status") != "retired"
            ]
            row[title] = round(sum(values) / len(values), 2) if values else None
        if len(graphs) > 1:
            first, last = row[titles[0]], row[titles[-1]]
            row["change"] = None if first is None or last is None else round(last - first, 2)
        rows.append(row)
    cols = ["stage", "stage_name", "phase", *titles] + (["change"] if len(graphs) > 1 else [])
    return pd.DataFrame(rows, columns=cols)


def unique_titles(graphs: Sequence[nx.DiGraph]) -> list[str]:
    titles: list[str] = []
    for G in graphs:
        title = str(G.graph.get("title") or G.graph.get("id") or "map")
        base, n = title, 2
        while title in titles:
            title = f"{base} ({n})"
            n += 1
        titles.append(title)
    return titles
