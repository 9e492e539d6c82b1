"""What an executive needs from a map, or from the whole library, at a glance.

Per map and for the portfolio: average emotion, the lowest moment, open pain points, missing
touchpoints, the share of touchpoints backed by observed/reported evidence, and end-to-end conversion
where user counts exist; plus the ranked "moments to fix first".

Definitions (the docs page ``docs/emotion-and-overview.md`` restates them for users):

* *Active* touchpoints are those not retired; every metric counts active touchpoints only.
* An *open pain point* is an active touchpoint with a pain point written down whose task is not done.
* *Users at a touchpoint*: its ``users`` count, else the sum of the user counts on its incoming
  transitions (when at least one is known), else unknown.
* *Drop-off* at a touchpoint (:func:`touchpoint_drop_offs`): its users minus the users who went on to
  its successors (per transition: the transition's count if known, else the successor's users minus
  the known counts of its other incoming transitions). A touchpoint with no successor (a journey end) has no drop-off.
* *End-to-end conversion* (:func:`end_to_end_conversion`): users at the final conversion points
  divided by users at the entry points. Final conversion points are the conversion points with a known
  count from which no other counted conversion point can be reached (loops ignored), so parallel
  alternatives ("order online" / "order by phone") add up and a later step replaces an earlier one.

The fix-first score (:func:`fix_score`)::

    score = (negativity + pain + drop_off × calm) × importance
    negativity = max(0, −emotion) / 2        # 0 … 1; 0 when not assessed
    pain       = 0.5 when a pain point is written down (its task not done), else 0
    drop_off   = drop-off rate                # 0 … 1; 0 when counts are unknown, and 0 at and
                                              # after the final conversion point(s)
    calm       = 1 − max(0, emotion) / 4      # 0.5 … 1: people who feel good where they leave
                                              # weigh less than people who suffer there
    importance = importance field (1 … 5);    # 4 when unset on a key touchpoint, else 3

so the score runs from 0 to 12.5, and a pleasant touchpoint with no pain point never outranks a painful
one on drop-off alone. Leaving after the final conversion point is the end of the journey,
not a loss, so drop-off counts only for touchpoints that still lead to one (all, in a map without any). Touchpoints with a score of 0, retired ones, and those whose task is
done are not listed. Ties go to the lower emotion, then journey order. Each moment carries its
``reasons`` (:func:`moment_reasons` words them): why it is on the list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import networkx as nx
import pandas as pd

from cjm import model
from cjm.i18n import t
from cjm.text import fmt_decimal, fmt_emotion, fmt_int, fmt_share, is_blank

__all__ = [
    "GOOD_EVIDENCE",
    "touchpoint_drop_offs",
    "conversion_counts",
    "end_to_end_conversion",
    "MapMetrics",
    "map_metrics",
    "portfolio_metrics",
    "metrics_table",
    "fix_score",
    "moments_to_fix",
    "moment_reasons",
    "moment_meta",
    "Card",
    "headline_cards",
]

#: Evidence levels that count as "backed by data" (what customers did or said, not what we guess).
GOOD_EVIDENCE = ("observed", "reported")


def _flow(G: nx.DiGraph, u: str, v: str) -> int | None:
    """Users who went from ``u`` to ``v``."""
    users = G.edges[u, v].get("users")
    if users is not None:
        return int(users)
    total = model.touchpoint_users(G, v)
    if total is None or G.nodes[v].get("users") is None and G.in_degree(v) > 1:
        return None  # v's count is the sum of its incoming transitions, one of which is unknown
    others = [d.get("users") for w, _, d in G.in_edges(v, data=True) if w != u]
    if any(o is None for o in others):
        return None
    return max(0, total - int(sum(others)))


_DROP_COLUMNS = ["id", "name", "stage", "users", "next_users", "drop_off", "drop_off_rate"]


def touchpoint_drop_offs(G: nx.DiGraph) -> pd.DataFrame:
    """Each row is a touchpoint (active, in journey order) with how many users it loses.

    Columns: ``id``, ``name``, ``stage``, ``users`` (users at the touchpoint, or ``None``),
    ``next_users`` (users who went on to any successor, ``None`` when any flow is unknown or the
    touchpoint has no successor), ``drop_off`` (``users − next_users``, never below 0) and
    ``drop_off_rate`` (``drop_off / users``, 0 … 1). Unknown values are ``None``.

    >>> from cjm.model import new_map, add_touchpoint, add_transition
    >>> G = new_map("a")
    >>> a = add_touchpoint(G, "Ad", "awareness", users=1000)
    >>> b = add_touchpoint(G, "Site", "interest", users=300)
    >>> add_transition(G, a, b)
    >>> touchpoint_drop_offs(G)[["id", "drop_off", "drop_off_rate"]].values.tolist()
    [['tp-1', 700, 0.7], ['tp-2', None, None]]
    """
    rows = []
    for node in model.active_touchpoints(G):
        d = G.nodes[node]
        users = model.touchpoint_users(G, node)
        flows = [_flow(G, node, s) for s in G.successors(node)]
        next_users = int(sum(flows)) if flows and all(f is not None for f in flows) else None
        drop = rate = None
        if users is not None and next_users is not None:
            drop = max(0, users - next_users)
            rate = round(drop / users, 4) if users > 0 else 0.0
        rows.append(
            {
                "id": node,
                "name": d.get("name") or node,
                "stage": d.get("stage"),
                "users": users,
                "next_users": next_users,
                "drop_off": drop,
                "drop_off_rate": rate,
            }
        )
    return pd.DataFrame(rows, columns=_DROP_COLUMNS, dtype=object)  # object keeps None (not NaN)


def _forward_dag(G: nx.DiGraph) -> nx.DiGraph:
    H = nx.DiGraph()
    H.add_nodes_from(G.nodes)
    back = set(model.back_edges(G))
    H.add_edges_from((u, v) for u, v in G.edges if (u, v) not in back)
    return H


def conversion_counts(G: nx.DiGraph) -> tuple[int, int] | None:
    """``(users entering, users converting)`` at the entry and final conversion points, or ``None``
    when the map has no conversion point or the counts are unknown (see the module docstring)."""
    entries = model.entry_points(G)
    entered = [model.touchpoint_users(G, n) for n in entries]
    if not entries or any(u is None for u in entered):
        return None
    counted = [
        n
        for n in model.conversion_points(G)
        if G.nodes[n].get("status") != "retired" and model.touchpoint_users(G, n) is not None
    ]
    if not counted:
        return None
    dag = _forward_dag(G)
    final = [n for n in counted if not any(m != n and nx.has_path(dag, n, m) for m in counted)]
    total_in = int(sum(entered))  # type: ignore[arg-type]
    if total_in <= 0:
        return None
    return total_in, int(sum(model.touchpoint_users(G, n) or 0 for n in final))


def end_to_end_conversion(G: nx.DiGraph) -> float | None:
    """Share of entering users who reach the final conversion point(s), 0 … 1, or ``None``.

    >>> from cjm.model import new_map, add_touchpoint, add_transition
    >>> G = new_map("a")
    >>> a = add_touchpoint(G, "Ad", "awareness", users=1000)
    >>> b = add_touchpoint(G, "Pay", "purchase", users=50, conversion_point=True)
    >>> add_transition(G, a, b)
    >>> end_to_end_conversion(G)
    0.05
    """
    counts = conversion_counts(G)
    if counts is None:
        return None
    entered, converted = counts
    return round(converted / entered, 4)


@dataclass(frozen=True)
class MapMetrics:
    """The headline figures of one map (or of a portfolio, then ``map_id`` is ``None``)."""

    map_id: str | None
    title: str
    map_type: str | None
    touchpoints: int
    assessed: int
    average_emotion: float | None
    lowest_id: str | None
    lowest_name: str | None
    lowest_emotion: float | None
    lowest_map: str | None
    open_pain_points: int
    missing: int
    evidence_backed: int
    evidence_share: float | None
    entered: int | None
    converted: int | None
    conversion: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _is_open_pain(d: dict[str, Any]) -> bool:
    return not is_blank(d.get("pain_point")) and d.get("task_status") != "done"


def map_metrics(G: nx.DiGraph) -> MapMetrics:
    """The headline figures of one map (definitions in the module docstring)."""
    active = model.active_touchpoints(G)
    emotions = [(float(G.nodes[n]["emotion"]), n) for n in active if G.nodes[n].get("emotion") is not None]
    lowest = min(emotions, key=lambda p: p[0]) if emotions else None  # first in journey order on ties
    backed = sum(1 for n in active if G.nodes[n].get("evidence") in GOOD_EVIDENCE)
    counts = conversion_counts(G)
    return MapMetrics(
        map_id=G.graph.get("id"),
        title=str(G.graph.get("title") or G.graph.get("id") or ""),
        map_type=G.graph.get("map_type"),
        touchpoints=len(active),
        assessed=len(emotions),
        average_emotion=round(sum(e for e, _ in emotions) / len(emotions), 2) if emotions else None,
        lowest_id=lowest[1] if lowest else None,
        lowest_name=(G.nodes[lowest[1]].get("name") or lowest[1]) if lowest else None,
        lowest_emotion=lowest[0] if lowest else None,
        lowest_map=G.graph.get("id") if lowest else None,
        open_pain_points=sum(1 for n in active if _is_open_pain(G.nodes[n])),
        missing=sum(1 for n in active if G.nodes[n].get("status") == "missing"),
        evidence_backed=backed,
        evidence_share=round(backed / len(active), 4) if active else None,
        entered=counts[0] if counts else None,
        converted=counts[1] if counts else None,
        conversion=round(counts[1] / counts[0], 4) if counts else None,
    )


def portfolio_metrics(graphs: Sequence[nx.DiGraph], title: str = "") -> MapMetrics:
    """The headline figures over several maps, pooled: averages and shares over all their active
    touchpoints, sums of counts, the lowest moment of any map, and conversion as all converted users
    over all entering users of the maps that have counts."""
    per = [map_metrics(G) for G in graphs]
    emotions = [
        float(G.nodes[n]["emotion"])
        for G in graphs
        for n in model.active_touchpoints(G)
        if G.nodes[n].get("emotion") is not None
    ]
    lows = [m for m in per if m.lowest_emotion is not None]
    low = min(lows, key=lambda m: m.lowest_emotion) if lows else None  # type: ignore[arg-type,return-value]
    touchpoints = sum(m.touchpoints for m in per)
    backed = sum(m.evidence_backed for m in per)
    with_counts = [m for m in per if m.entered is not None]
    entered = sum(m.entered or 0 for m in with_counts) if with_counts else None
    converted = sum(m.converted or 0 for m in with_counts) if with_counts else None
    return MapMetrics(
        map_id=None,
        title=title,
        map_type=None,
        touchpoints=touchpoints,
        assessed=len(emotions),
        average_emotion=round(sum(emotions) / len(emotions), 2) if emotions else None,
        lowest_id=low.lowest_id if low else None,
        lowest_name=low.lowest_name if low else None,
        lowest_emotion=low.lowest_emotion if low else None,
        lowest_map=low.map_id if low else None,
        open_pain_points=sum(m.open_pain_points for m in per),
        missing=sum(m.missing for m in per),
        evidence_backed=backed,
        evidence_share=round(backed / touchpoints, 4) if touchpoints else None,
        entered=entered,
        converted=converted,
        conversion=round(converted / entered, 4) if entered else None,
    )


_METRIC_COLUMNS = [
    "map_id",
    "title",
    "map_type",
    "touchpoints",
    "average_emotion",
    "lowest_name",
    "lowest_emotion",
    "open_pain_points",
    "missing",
    "evidence_share",
    "conversion",
]


def metrics_table(graphs: Sequence[nx.DiGraph]) -> pd.DataFrame:
    """Each row is a map: ``map_id``, ``title``, ``map_type``, ``touchpoints``, ``average_emotion``,
    ``lowest_name``, ``lowest_emotion``, ``open_pain_points``, ``missing``, ``evidence_share``
    (0 … 1) and ``conversion`` (0 … 1 or ``None``)."""
    rows = [{c: getattr(map_metrics(G), c) for c in _METRIC_COLUMNS} for G in graphs]
    return pd.DataFrame(rows, columns=_METRIC_COLUMNS, dtype=object)  # object keeps None (not NaN)


def _known(value: Any) -> bool:
    return value is not None and value == value  # NaN != NaN


def fix_score(
    emotion: float | None,
    drop_off_rate: float | None,
    importance: int | None,
    key_touchpoint: bool = False,
    *,
    pain_point: bool = False,
) -> float:
    """The fix-first score, 0 … 12.5: ``(negativity + pain + drop_off × calm) × importance`` (module
    docstring).

    >>> fix_score(-2, None, 5)
    5.0
    >>> fix_score(-1, 0.5, None)
    3.0
    >>> fix_score(1.5, None, 5)
    0.0
    >>> fix_score(None, 0.2, None, key_touchpoint=True)
    0.8
    >>> fix_score(1.5, 0.6, None) < fix_score(-1, None, None, pain_point=True)
    True
    """
    negativity = max(0.0, -float(emotion)) / 2 if _known(emotion) else 0.0
    calm = 1 - max(0.0, float(emotion)) / 4 if _known(emotion) else 1.0
    drop = float(drop_off_rate) if _known(drop_off_rate) else 0.0
    pain = 0.5 if pain_point else 0.0
    weight = int(importance) if importance is not None else (4 if key_touchpoint else 3)
    return round((negativity + pain + drop * calm) * weight, 3)


def _reasons(emotion: Any, pain: bool, drop: Any, key: bool) -> tuple[str, ...]:
    out = []
    if _known(emotion) and float(emotion) < 0:
        out.append("emotion")
    if pain:
        out.append("pain")
    if _known(drop) and float(drop) > 0:
        out.append("drop_off")
    if key:
        out.append("key")
    return tuple(out)


def moment_reasons(row: Any, lang: str = "en") -> str:
    """Why a moment (a row of :func:`moments_to_fix`) is on the list, in words: its negative emotion,
    its written pain point, the users it loses, its being a key touchpoint.

    >>> import pandas as pd
    >>> row = pd.Series({"reasons": ("emotion", "pain"), "emotion": -1.5, "drop_off_rate": None})
    >>> moment_reasons(row, "en")
    'Why here: people feel bad here (−1.5) · a pain point is written down'
    """
    parts = {
        "emotion": lambda: t("overview.why.emotion", lang, emotion=fmt_emotion(row.emotion, lang)),
        "pain": lambda: t("overview.why.pain", lang),
        "drop_off": lambda: t("overview.why.drop_off", lang, rate=fmt_share(row.drop_off_rate, lang)),
        "key": lambda: t("overview.why.key", lang),
    }
    said = [parts[r]() for r in row.reasons or () if r in parts]
    return t("overview.why", lang, reasons=" · ".join(said)) if said else ""


_MOMENT_COLUMNS = [
    "map_id",
    "map_title",
    "id",
    "name",
    "stage",
    "stage_name",
    "emotion",
    "drop_off_rate",
    "importance",
    "score",
    "pain_point",
    "opportunity",
    "owner",
    "evidence",
    "task",
    "task_status",
    "deadline",
    "reasons",
]


def _drop_off_counts(G: nx.DiGraph) -> set[str] | None:
    """Touchpoints whose drop-off counts in the score: those that still lead to a final conversion
    point (after it, leaving is the journey's end, not a loss). ``None`` (all count) without any."""
    conversions = [n for n in model.conversion_points(G) if G.nodes[n].get("status") != "retired"]
    if not conversions:
        return None
    dag = _forward_dag(G)
    final = [n for n in conversions if not any(m != n and nx.has_path(dag, n, m) for m in conversions)]
    out: set[str] = set()
    for n in final:
        out |= nx.ancestors(dag, n)
    return out - set(final)


def moments_to_fix(graphs: nx.DiGraph | Sequence[nx.DiGraph], limit: int | None = 5, lang: str = "en") -> pd.DataFrame:
    """Each row is a touchpoint worth fixing, best candidate first (score and exclusions in the module
    docstring).

    Columns: ``map_id``, ``map_title``, ``id``, ``name``, ``stage``, ``stage_name``, ``emotion``,
    ``drop_off_rate``, ``importance`` (as used in the score), ``score``, ``pain_point``,
    ``opportunity``, ``owner``, ``evidence``, ``task``, ``task_status``, ``deadline``, ``reasons``
    (a tuple of ``emotion``, ``pain``, ``drop_off``, ``key``: why it is listed).
    """
    graphs = [graphs] if isinstance(graphs, nx.DiGraph) else list(graphs)
    rows = []
    for G in graphs:
        counted = _drop_off_counts(G)
        drops = {
            r["id"]: r["drop_off_rate"]
            for _, r in touchpoint_drop_offs(G).iterrows()
            if counted is None or r["id"] in counted
        }
        stage_names = {s["id"]: model.stage_label(s, lang) for s in model.stages(G)}
        for pos, node in enumerate(model.active_touchpoints(G)):
            d = G.nodes[node]
            if d.get("task_status") == "done":
                continue
            emotion = d.get("emotion")
            drop = drops.get(node)
            weight = d.get("importance") if d.get("importance") is not None else (4 if d.get("key_touchpoint") else 3)
            pain = not is_blank(d.get("pain_point"))
            score = fix_score(emotion, drop, d.get("importance"), bool(d.get("key_touchpoint")), pain_point=pain)
            if score <= 0:
                continue
            rows.append(
                {
                    "map_id": G.graph.get("id"),
                    "map_title": G.graph.get("title") or G.graph.get("id"),
                    "id": node,
                    "name": d.get("name") or node,
                    "stage": d.get("stage"),
                    "stage_name": stage_names.get(d.get("stage"), d.get("stage")),
                    "emotion": None if emotion is None else float(emotion),
                    "drop_off_rate": drop,
                    "importance": int(weight),
                    "score": score,
                    "pain_point": d.get("pain_point") or "",
                    "opportunity": d.get("opportunity") or "",
                    "owner": d.get("owner") or "",
                    "evidence": d.get("evidence") or "",
                    "task": d.get("task") or "",
                    "task_status": d.get("task_status") or "",
                    "deadline": d.get("deadline") or "",
                    "reasons": _reasons(emotion, pain, drop, bool(d.get("key_touchpoint"))),
                    "_emotion_key": float(emotion) if emotion is not None else 3.0,
                    "_pos": pos,
                }
            )
    rows.sort(key=lambda r: (-r["score"], r["_emotion_key"], r["_pos"]))
    if limit is not None:
        rows = rows[:limit]
    for r in rows:
        del r["_emotion_key"], r["_pos"]
    return pd.DataFrame(rows, columns=_MOMENT_COLUMNS, dtype=object)  # object keeps None (not NaN)


def moment_meta(row: Any, lang: str = "en", *, with_map: bool = False) -> str:
    """The line under a moment to fix (a row of :func:`moments_to_fix`): its stage, emotion, fix-first
    score and drop-off, after its map's title when ``with_map``; the same on the page and in the summary."""
    meta = t(
        "overview.fix_meta",
        lang,
        stage=row.stage_name,
        emotion=fmt_emotion(row.emotion, lang),
        score=fmt_decimal(row.score, lang),
    )
    if row.drop_off_rate:
        meta += " · " + t("overview.fix_drop", lang, rate=fmt_share(row.drop_off_rate, lang))
    return f"{row.map_title} · {meta}" if with_map else meta


@dataclass(frozen=True)
class Card:
    """One headline figure: ``key``, translated ``label``, big ``value``, a plain-words ``detail``, and
    ``tone`` (``negative`` / ``neutral`` / ``positive`` / ``none``) for its colour, and ``badge``."""

    key: str
    label: str
    value: str
    detail: str
    tone: str = "none"
    #: A short word or name shown in colour right under the value ("Neutral", the lowest moment).
    badge: str = ""


def headline_cards(m: MapMetrics, lang: str = "en", map_titles: dict[str, str] | None = None) -> list[Card]:
    """The six cards an executive reads first, in reading order."""
    from cjm.emotion import feeling

    avg_tone = feeling(m.average_emotion) if m.average_emotion is not None else "none"
    avg_detail = (
        t("overview.metric.average_help", lang, n=m.assessed)
        if m.average_emotion is not None
        else t("overview.metric.no_data", lang)
    )
    low_detail = m.lowest_name or t("overview.metric.no_data", lang)
    if map_titles and m.lowest_map and m.map_id is None:
        low_detail += f" ({map_titles.get(m.lowest_map, m.lowest_map)})"
    conversion_detail = (
        t(
            "overview.metric.conversion_help",
            lang,
            converted=fmt_int(m.converted, lang),
            entered=fmt_int(m.entered, lang),
        )
        if m.conversion is not None
        else t("overview.metric.no_data", lang)
    )
    return [
        Card(
            "average",
            t("overview.metric.average", lang),
            fmt_emotion(m.average_emotion, lang),
            avg_detail,
            avg_tone,
            badge=t("emotion." + avg_tone, lang) if m.average_emotion is not None else "",
        ),
        Card(
            "lowest",
            t("overview.metric.lowest", lang),
            fmt_emotion(m.lowest_emotion, lang),
            low_detail,
            feeling(m.lowest_emotion) if m.lowest_emotion is not None else "none",
            badge=m.lowest_name or "",
        ),
        Card(
            "pain",
            t("overview.metric.pain", lang),
            str(m.open_pain_points),
            t("overview.metric.pain_help", lang),
            "negative" if m.open_pain_points else "positive",
        ),
        Card(
            "missing",
            t("overview.metric.missing", lang),
            str(m.missing),
            t("overview.metric.missing_help", lang),
            "negative" if m.missing else "positive",
        ),
        Card(
            "evidence",
            t("overview.metric.evidence", lang),
            fmt_share(m.evidence_share, lang),
            t("overview.metric.evidence_help", lang),
            "none",
        ),
        Card("conversion", t("overview.metric.conversion", lang), fmt_share(m.conversion, lang), conversion_detail),
    ]
