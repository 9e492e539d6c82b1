"""Service blueprint: what delivers each step of the journey.

Columns are the touchpoints in journey order (under their stages and phases); lanes are physical
evidence, customer actions, frontstage, backstage and support processes, separated by the line of
interaction, the line of visibility and the line of internal interaction (labelled dashed lines).
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import plotly.graph_objects as go

from cjm.charts.common import Canvas, column_edges, esc, grid_columns, select_lanes
from cjm.charts.grid import CARD_COLS, map_title, paint_text, paint_touchpoints
from cjm.i18n import t

__all__ = ["BLUEPRINT_VIEW_LANES", "BLUEPRINT_LINES", "blueprint_figure"]

#: Lanes of the blueprint, top to bottom.
BLUEPRINT_VIEW_LANES = ("physical_evidence", "customer_action", "frontstage", "backstage", "support_processes")

#: The three separating lines: (name, the lane after which it is drawn in the full blueprint).
BLUEPRINT_LINES = (
    ("interaction", "customer_action"),
    ("visibility", "frontstage"),
    ("internal_interaction", "backstage"),
)

_LINE_COLORS = {"interaction": "#2563eb", "visibility": "#dc2626", "internal_interaction": "#7c3aed"}
_LANE_FILL = {
    "physical_evidence": ("#fefce8", "#fde68a"),
    "frontstage": ("#eff6ff", "#bfdbfe"),
    "backstage": ("#f5f3ff", "#ddd6fe"),
    "support_processes": ("#f0fdf4", "#bbf7d0"),
}


def _line(cv: Canvas, name: str) -> None:
    """A labelled dashed separator, in a band of its own so its label never covers a cell."""
    band = cv.lane(f"line:{name}", "", 24, gap=2, tick=False)
    y = band.mid + 5
    color = _LINE_COLORS[name]
    cv.hline(y, color=color, width=2.5, dash="dash", name=f"line_of_{name}", layer="above")
    cv.text(
        0.003,
        y - 2,
        f"<b>{esc(t(f'mapview.line.{name}', cv.lang))}</b>",
        size=13,
        color=color,
        anchor="left",
        valign="bottom",
        xref="paper",
        name=f"line_of_{name}",
        bg="rgba(255,255,255,0.85)",
    )


def blueprint_figure(
    G: nx.DiGraph, *, lang: str = "en", lanes: Iterable[str] | None = None, column_px: int | None = None
) -> go.Figure:
    """The service blueprint of ``G`` (lanes :data:`BLUEPRINT_VIEW_LANES`).

    The customer-action lane holds the touchpoints (name, channel and action) with their
    transitions; the other lanes hold the touchpoints' ``physical_evidence``, ``frontstage``,
    ``backstage`` and ``support_processes`` text. The three lines are always drawn, between the
    lanes they separate. ``G`` is not modified.
    """
    chosen = select_lanes(BLUEPRINT_VIEW_LANES, lanes)
    cols = grid_columns(G)
    edges = column_edges(G, cols)
    cv = Canvas(len(cols), lang, column_px)
    cv.headers(G, cols)
    top = cv.y
    order = list(BLUEPRINT_VIEW_LANES)
    lines_after = {after: name for name, after in BLUEPRINT_LINES}
    pending: list[str] = []
    for key in order:
        if key in chosen:
            for name in pending:
                _line(cv, name)
            pending = []
            if key == "customer_action":
                body = [cv.fits(c.data.get("action"), CARD_COLS, max_lines=4) if c.node else "" for c in cols]
                paint_touchpoints(
                    cv,
                    G,
                    cols,
                    edges,
                    lane_key="customer_action",
                    lane_label=t("mapview.lane.customer_action", lang),
                    body=body,
                )
            else:
                paint_text(cv, cols, key, lane_label=t(f"mapview.lane.{key}", lang))
                fill, border = _LANE_FILL[key]
                lane = cv.lanes[-1]
                cv.rect(0, lane.top - 1, cv.n, lane.bottom + 1, fill=fill, line=border, width=0, opacity=0.6)
        if key in lines_after:
            pending.append(lines_after[key])
    for name in pending:
        _line(cv, name)
    cv.stage_backdrop(top)
    title, subtitle = map_title(G, lang)
    return cv.figure(title, subtitle=subtitle)
