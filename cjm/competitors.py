"""Competitor journeys (rules 1 and 4: watch the competitors, order from them): a map marked as a
competitor's journey (``G.graph["competitor"]``, the competitor's name) for the same persona and the
same stages as ours, and the stage-by-stage comparison of ours and theirs.

The figure-free table is :func:`comparison_table`; the health check that reads it is
:func:`cjm.health.check_competitors`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx
import pandas as pd

from cjm import model
from cjm.i18n import label
from cjm.text import is_blank

__all__ = ["BETTER_BY", "is_competitor", "competitors_for", "comparison_table", "stage_gaps"]

#: A competitor's mean emotion in a stage at least this much above ours counts as better.
BETTER_BY = 0.5

_COLUMNS = ["stage", "stage_name", "map", "touchpoints", "names", "emotion", "channels"]


def is_competitor(G: nx.DiGraph) -> bool:
    """True when the map records a competitor's journey, not ours."""
    return not is_blank(G.graph.get("competitor"))


def _persona(G: nx.DiGraph) -> str:
    return str((G.graph.get("persona") or {}).get("name") or "").strip().casefold()


def _stage_ids(G: nx.DiGraph) -> list[str]:
    return [s["id"] for s in model.stages(G)]


def competitors_for(G: nx.DiGraph, candidates: Iterable[nx.DiGraph]) -> list[nx.DiGraph]:
    """The competitor maps among ``candidates`` comparable with our map ``G``: marked as a
    competitor's, for the same persona (by name, case ignored) and the same stages (ids, in order).
    A competitor's map itself has no competitors."""
    if is_competitor(G):
        return []
    return [
        H
        for H in candidates
        if H is not G
        and is_competitor(H)
        and H.graph.get("id") != G.graph.get("id")
        and _persona(H) == _persona(G)
        and _stage_ids(H) == _stage_ids(G)
    ]


def _stage_rows(G: nx.DiGraph, lang: str) -> dict[str, dict[str, object]]:
    by_stage = model.touchpoints_by_stage(G)
    out: dict[str, dict[str, object]] = {}
    for s in model.stages(G):
        nodes = [n for n in by_stage.get(s["id"], []) if G.nodes[n].get("status") not in ("retired", "missing")]
        emotions = [float(G.nodes[n]["emotion"]) for n in nodes if G.nodes[n].get("emotion") is not None]
        channels = sorted({G.nodes[n].get("channel") for n in nodes if G.nodes[n].get("channel")})
        out[s["id"]] = {
            "stage": s["id"],
            "stage_name": model.stage_label(s, lang),
            "touchpoints": len(nodes),
            "names": [str(G.nodes[n].get("name") or n) for n in nodes],
            "emotion": round(sum(emotions) / len(emotions), 2) if emotions else None,
            "channels": [label("channel", c, lang) for c in channels],
        }
    return out


def comparison_table(G: nx.DiGraph, competitors: Sequence[nx.DiGraph], lang: str = "en") -> pd.DataFrame:
    """One row per stage of our map and per map (ours first, then each competitor): ``stage``,
    ``stage_name``, ``map`` (the title of ours, the competitor's name for theirs), ``touchpoints``
    (existing and planned ones), ``names``, ``emotion`` (the stage's mean, ``None`` when nothing is
    assessed) and ``channels`` (their names). Missing and retired touchpoints are not counted."""
    rows: list[dict[str, object]] = []
    ours = _stage_rows(G, lang)
    theirs = [(str(H.graph.get("competitor")), _stage_rows(H, lang)) for H in competitors]
    for sid, row in ours.items():
        rows.append(row | {"map": str(G.graph.get("title") or G.graph.get("id"))})
        for name, stages in theirs:
            if sid in stages:
                rows.append(stages[sid] | {"map": name})
    return pd.DataFrame(rows, columns=_COLUMNS, dtype=object)


def stage_gaps(G: nx.DiGraph, competitors: Sequence[nx.DiGraph], lang: str = "en") -> list[tuple[str, str, str]]:
    """Stages where a competitor is ahead, as ``(stage name, competitor, kind)``: ``kind`` is
    ``touchpoint`` (they have a touchpoint, we have none) or ``emotion`` (their mean emotion is at
    least :data:`BETTER_BY` higher than ours)."""
    ours = _stage_rows(G, lang)
    out: list[tuple[str, str, str]] = []
    for H in competitors:
        name = str(H.graph.get("competitor"))
        for sid, theirs in _stage_rows(H, lang).items():
            mine = ours.get(sid)
            if mine is None:
                continue
            if theirs["touchpoints"] and not mine["touchpoints"]:
                out.append((str(mine["stage_name"]), name, "touchpoint"))
            elif (
                theirs["emotion"] is not None
                and mine["emotion"] is not None
                and theirs["emotion"] >= mine["emotion"] + BETTER_BY
            ):
                out.append((str(mine["stage_name"]), name, "emotion"))
    return out
