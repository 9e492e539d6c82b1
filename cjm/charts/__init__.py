"""Journey-map views: pure plotly figure builders for the four map types, and their exports.

Every builder takes a map (``networkx.DiGraph``) and returns a ``plotly.graph_objects.Figure``; none
imports streamlit or modifies its input. :func:`map_figure` picks the builder by ``map_type``.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import plotly.graph_objects as go

from cjm.charts.blueprint import BLUEPRINT_VIEW_LANES, blueprint_figure
from cjm.charts.day import DAY_LANES, day_in_life_figure
from cjm.charts.future import FUTURE_LANES, MapComparison, compare_maps, end_to_end_conversion, future_state_figure
from cjm.charts.grid import GRID_LANES, current_state_figure

__all__ = [
    "current_state_figure",
    "day_in_life_figure",
    "future_state_figure",
    "blueprint_figure",
    "map_figure",
    "available_lanes",
    "compare_maps",
    "end_to_end_conversion",
    "MapComparison",
]

_LANES = {
    "current_state": GRID_LANES,
    "day_in_life": DAY_LANES,
    "future_state": FUTURE_LANES,
    "service_blueprint": BLUEPRINT_VIEW_LANES,
}


def available_lanes(map_type: str | None) -> tuple[str, ...]:
    """The lanes a map of this type can show, top to bottom (the current-state grid's for unknown types).

    >>> available_lanes("service_blueprint")[:2]
    ('physical_evidence', 'customer_action')
    """
    return _LANES.get(map_type or "", GRID_LANES)


def map_figure(
    G: nx.DiGraph,
    *,
    baseline: nx.DiGraph | None = None,
    lang: str = "en",
    lanes: Iterable[str] | None = None,
    column_px: int | None = None,
) -> go.Figure:
    """The figure for ``G`` according to ``G.graph["map_type"]`` (unknown types draw the grid).

    ``baseline`` is only used by future-state maps; ``lanes`` must be among :func:`available_lanes`;
    ``column_px`` draws for a page (columns that many pixels wide, panned), ``None`` for an export.
    """
    kind = G.graph.get("map_type")
    if kind == "day_in_life":
        return day_in_life_figure(G, lang=lang, lanes=lanes, column_px=column_px)
    if kind == "future_state":
        return future_state_figure(G, baseline, lang=lang, lanes=lanes, column_px=column_px)
    if kind == "service_blueprint":
        return blueprint_figure(G, lang=lang, lanes=lanes, column_px=column_px)
    return current_state_figure(G, lang=lang, lanes=lanes, column_px=column_px)
