"""Tying a funnel to a journey map: which touchpoint each step is, saving counts onto the map, and
the "pain × drop-off" flag (touchpoints where a negative emotion meets a large share of people leaving).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from difflib import SequenceMatcher

import networkx as nx
import pandas as pd

from cjm.funnel.errors import FunnelParameterError
from cjm.model import touchpoints_in_order

__all__ = [
    "suggest_touchpoints",
    "match_steps",
    "CONFIDENT",
    "mapping_table",
    "CountsApplied",
    "apply_counts",
    "pain_dropoff",
    "MIN_SCORE",
]

#: Below this similarity a step gets no suggestion (the user picks one or leaves it unmapped).
MIN_SCORE = 0.5
#: From this similarity on, and with no other touchpoint close behind, a suggestion is confident
#: and pre-selected; below it the page only shows it in the preview.
CONFIDENT = 0.75
#: A suggestion is ambiguous (not confident) when another touchpoint scores within this of it.
_AMBIGUOUS_GAP = 0.05

# A few words analytics event names use for what Russian maps call by name.
_SYNONYMS = {
    "cart": "корзин",
    "basket": "корзин",
    "checkout": "оформлен",
    "payment": "оплат",
    "pay": "оплат",
    "purchase": "покупк",
    "order": "заказ",
    "confirmed": "подтвержд",
    "product": "товар",
    "item": "товар",
    "view": "просмотр",
    "search": "поиск",
    "review": "отзыв",
    "delivery": "доставк",
    "catalog": "каталог",
    "signup": "регистрац",
    "register": "регистрац",
    "registration": "регистрац",
    "home": "главн",
}


def _norm(text: str) -> str:
    return re.sub(r"[\W_]+", " ", str(text).lower()).strip()


def _stems(text: str) -> set[str]:
    words = _norm(text).split()
    out = set()
    for w in words:
        out.add(_SYNONYMS.get(w, w)[:6])
    return {w for w in out if len(w) >= 3}


def _covered(xs: set[str], ys: set[str]) -> float:
    """Share of the words ``xs`` that appear (by their first five letters) among ``ys``."""
    return sum(any(x[:5] == y[:5] for y in ys) for x in xs) / len(xs) if xs else 0.0


def _score(step: str, tp_id: str, tp_name: str) -> float:
    """How alike a step name and a touchpoint are, 0..1. Nearly identical text (``view_product`` and
    ``view-product``) scores its similarity; otherwise the words count: the share of the step's
    words found in the touchpoint's name (or id) weighs 0.7 and the share of the touchpoint's words
    found in the step 0.3, so «Корзина» → «Добавление в корзину» scores 0.85 but «Главная
    страница» → «Страница отзывов» (one word of two each way) only 0.5."""
    s = _norm(step)
    ratio = max(SequenceMatcher(None, s, _norm(tp_id)).ratio(), SequenceMatcher(None, s, _norm(tp_name)).ratio())
    best = ratio if ratio >= 0.8 else 0.6 * ratio  # loosely alike text is weak evidence
    a = _stems(step)
    for b in (_stems(tp_name), _stems(tp_id)):
        if a and b:
            best = max(best, 0.7 * _covered(a, b) + 0.3 * _covered(b, a))
    return round(best, 3)


def suggest_touchpoints(G: nx.DiGraph, steps: Sequence[str]) -> dict[str, str | None]:
    """For each distinct step name, the touchpoint whose id or name is most like it (``None`` when
    nothing scores at least :data:`MIN_SCORE`). Each touchpoint is suggested for one step at most;
    the best pairs are taken first.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("demo")
    >>> a = add_touchpoint(G, "Просмотр товара", "interest"); b = add_touchpoint(G, "Форма оплаты", "purchase")
    >>> suggest_touchpoints(G, ["view_product", "payment", "unrelated"])
    {'view_product': 'tp-1', 'payment': 'tp-2', 'unrelated': None}
    """
    names = list(dict.fromkeys(str(s) for s in steps))
    pairs = []
    for step in names:
        for tp in G.nodes:
            pairs.append((_score(step, tp, G.nodes[tp].get("name", "")), step, tp))
    pairs.sort(key=lambda p: (-p[0], names.index(p[1]), str(p[2])))
    out: dict[str, str | None] = dict.fromkeys(names)
    used: set[str] = set()
    for score, step, tp in pairs:
        if score < MIN_SCORE:
            break
        if out[step] is None and tp not in used:
            out[step] = tp
            used.add(tp)
    return out


def match_steps(G: nx.DiGraph, steps: Sequence[str]) -> pd.DataFrame:
    """Each row is a distinct step name, in order: ``step``, ``touchpoint_id`` (the suggestion of
    :func:`suggest_touchpoints`, or ``None``), ``touchpoint`` (its name, or ``""``), ``score``
    (0..1), ``confident`` — the score is at least :data:`CONFIDENT` and no other touchpoint scores
    within a whisker of it (only confident matches should be pre-selected).

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("demo")
    >>> _ = add_touchpoint(G, "Страница отзывов", "interest"); _ = add_touchpoint(G, "Корзина", "intent")
    >>> match_steps(G, ["Главная страница", "Корзина"])[["step", "touchpoint", "confident"]].values.tolist()
    [['Главная страница', 'Страница отзывов', False], ['Корзина', 'Корзина', True]]
    """
    suggested = suggest_touchpoints(G, steps)
    rows = []
    for step, tp in suggested.items():
        score, confident = 0.0, False
        if tp is not None:
            score = _score(step, tp, G.nodes[tp].get("name", ""))
            rivals = [_score(step, other, G.nodes[other].get("name", "")) for other in G.nodes if other != tp]
            confident = score >= CONFIDENT and not any(r >= score - _AMBIGUOUS_GAP for r in rivals)
        rows.append(
            {
                "step": step,
                "touchpoint_id": tp,
                "touchpoint": G.nodes[tp].get("name", "") if tp is not None else "",
                "score": score,
                "confident": bool(confident),
            }
        )
    return pd.DataFrame(rows, columns=["step", "touchpoint_id", "touchpoint", "score", "confident"])


def mapping_table(G: nx.DiGraph, steps: Sequence[str], mapping: Mapping[str, str | None]) -> pd.DataFrame:
    """Each row is a funnel step: ``step_number``, ``step``, ``touchpoint_id`` (or ``None``),
    ``touchpoint`` (its name, or ``""``)."""
    rows = []
    for k, step in enumerate(steps, start=1):
        tp = mapping.get(step)
        rows.append(
            {
                "step_number": k,
                "step": step,
                "touchpoint_id": tp,
                "touchpoint": G.nodes[tp].get("name", "") if tp in G else "",
            }
        )
    return pd.DataFrame(rows, columns=["step_number", "step", "touchpoint_id", "touchpoint"])


@dataclass(frozen=True)
class CountsApplied:
    """What :func:`apply_counts` changed: ``touchpoints`` and ``transitions`` as ``(id or (u, v),
    old users, new users)``; ``missing_transitions`` are consecutive mapped steps with no edge on the
    map (added only when asked); ``cleared`` the touchpoint ids and ``(u, v)`` pairs whose earlier
    count was removed (an earlier funnel's, or every other one when asked), with the old count;
    ``others`` the touchpoints and transitions that keep a count this funnel did not set."""

    graph: nx.DiGraph = field(repr=False)
    touchpoints: tuple[tuple[str, int | None, int], ...]
    transitions: tuple[tuple[tuple[str, str], int | None, int], ...]
    missing_transitions: tuple[tuple[str, str], ...]
    cleared: tuple[tuple[str | tuple[str, str], int], ...] = ()
    others: tuple[str | tuple[str, str], ...] = ()


def apply_counts(
    G: nx.DiGraph,
    steps: Sequence[str],
    counts: Sequence[int],
    mapping: Mapping[str, str | None],
    *,
    add_missing_transitions: bool = False,
    label: str = "",
    source: str | None = None,
    saved_at: str | None = None,
    clear_others: bool = False,
) -> CountsApplied:
    """A copy of ``G`` with the funnel's people counts written onto it: each mapped step's count
    becomes its touchpoint's ``users``; for two consecutive mapped steps the later count becomes the
    ``users`` of the transition between their touchpoints. ``G`` itself is not changed.

    A touchpoint used by several steps (a repeated step name) keeps the first step's count.

    With ``source`` (the file's name) the copy records where the counts came from and when
    (``G.graph["counts_source"]``: ``source``, ``saved_at``, and the touchpoints and transitions
    set), and the counts an earlier funnel recorded there are removed where this one sets none, so
    the map never mixes two funnels. ``clear_others`` also removes every other count on the map
    (typed by hand or of unknown origin).
    """
    if len(steps) != len(counts):
        raise FunnelParameterError("steps and counts differ in length", code="steps_counts_length")
    for step, tp in mapping.items():
        if tp is not None and tp not in G:
            raise FunnelParameterError(
                f"step {step!r} is mapped to touchpoint {tp!r}, which is not on the map",
                code="step_not_on_map",
                params={"step": step, "touchpoint": tp},
            )
    H = G.copy()
    tps: dict[str, tuple[int | None, int]] = {}
    for step, c in zip(steps, counts, strict=True):
        tp = mapping.get(step)
        if tp is not None and tp not in tps:
            tps[tp] = (G.nodes[tp].get("users"), int(c))
            H.nodes[tp]["users"] = int(c)
    edges, missing = {}, []
    for k in range(1, len(steps)):
        u, v = mapping.get(steps[k - 1]), mapping.get(steps[k])
        if u is None or v is None or u == v:
            continue
        if not H.has_edge(u, v):
            missing.append((u, v))
            if not add_missing_transitions:
                continue
            H.add_edge(u, v, label=label, users=int(counts[k]))
            edges[(u, v)] = (None, int(counts[k]))
            continue
        if (u, v) not in edges:
            edges[(u, v)] = (G.edges[u, v].get("users"), int(counts[k]))
            H.edges[u, v]["users"] = int(counts[k])
    cleared: list[tuple[str | tuple[str, str], int]] = []
    others: list[str | tuple[str, str]] = []
    if source is not None:
        earlier = G.graph.get("counts_source") or {}
        old_tps = {str(t) for t in earlier.get("touchpoints") or ()}
        old_edges = {(str(e[0]), str(e[1])) for e in earlier.get("transitions") or ()}
        for tp in H.nodes:
            old = H.nodes[tp].get("users")
            if tp in tps or old is None:
                continue
            if tp in old_tps or clear_others:
                H.nodes[tp]["users"] = None
                cleared.append((tp, old))
            else:
                others.append(tp)
        for u, v in H.edges:
            old = H.edges[u, v].get("users")
            if (u, v) in edges or old is None:
                continue
            if (u, v) in old_edges or clear_others:
                H.edges[u, v]["users"] = None
                cleared.append(((u, v), old))
            else:
                others.append((u, v))
        H.graph["counts_source"] = {
            "source": str(source),
            "saved_at": saved_at or datetime.now(UTC).isoformat(timespec="seconds"),
            "touchpoints": list(tps),
            "transitions": [list(e) for e in edges],
        }
    return CountsApplied(
        H,
        tuple((tp, old, new) for tp, (old, new) in tps.items()),
        tuple((e, old, new) for e, (old, new) in edges.items()),
        tuple(dict.fromkeys(missing)),
        tuple(cleared),
        tuple(others),
    )


def pain_dropoff(
    G: nx.DiGraph,
    steps: Sequence[str],
    counts: Sequence[int],
    mapping: Mapping[str, str | None],
    *,
    emotion_below: float = 0.0,
    leave_rate_at_least: float = 0.4,
) -> pd.DataFrame:
    """Each row is a mapped step that people can leave (all but the last): ``step_number``, ``step``,
    ``touchpoint_id``, ``touchpoint``, ``emotion`` (or NaN), ``pain_point``, ``users``, ``left``
    (people who did not reach the next step), ``leave_rate`` (left / users), ``flag`` — True where
    the emotion is below ``emotion_below`` and ``leave_rate`` is at least ``leave_rate_at_least``.

    People who drop off at step k+1 leave *from* step k's touchpoint, so that is where the drop sits.
    Rows are in journey (step) order; touchpoints missing from the map are skipped.
    """
    rows = []
    order = {tp: i for i, tp in enumerate(touchpoints_in_order(G))}
    for k in range(len(steps) - 1):
        tp = mapping.get(steps[k])
        if tp is None or tp not in G:
            continue
        d = G.nodes[tp]
        users, nxt = int(counts[k]), int(counts[k + 1])
        left = max(users - nxt, 0)
        rate = left / users if users else math.nan
        emotion = d.get("emotion")
        emotion = float(emotion) if emotion is not None else math.nan
        flag = (
            not math.isnan(emotion) and emotion < emotion_below and not math.isnan(rate) and rate >= leave_rate_at_least
        )
        rows.append(
            {
                "step_number": k + 1,
                "step": steps[k],
                "touchpoint_id": tp,
                "touchpoint": d.get("name", ""),
                "emotion": emotion,
                "pain_point": str(d.get("pain_point") or ""),
                "users": users,
                "left": left,
                "leave_rate": rate,
                "flag": bool(flag),
                "_order": order.get(tp, 0),
            }
        )
    cols = [
        "step_number",
        "step",
        "touchpoint_id",
        "touchpoint",
        "emotion",
        "pain_point",
        "users",
        "left",
        "leave_rate",
        "flag",
    ]
    return pd.DataFrame(rows, columns=[*cols, "_order"])[cols]
