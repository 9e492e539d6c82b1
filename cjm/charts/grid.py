"""The current-state CJM grid: columns are stages (grouped under their phases), lanes are touchpoints
with their channel and transitions, actions, thoughts, the emotion curve, pain points, opportunities
and (when the map has counts) users per touchpoint.

Each touchpoint is a column, side by side in journey order inside its stage. Transitions are arrows
between the boxes: a step to the next box is a straight arrow, a branch that skips boxes is an arc
above them (so a fork shows as two arrows leaving one box), and a back-edge is an orange arc below
them labelled "loop".
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx
import plotly.graph_objects as go

from cjm import model
from cjm.charts.common import (
    EVIDENCE_STYLE,
    LINE_PX,
    Canvas,
    Column,
    Edge,
    Lane,
    arc_points,
    column_edges,
    esc,
    grid_columns,
    hover_card,
    n_lines,
    scatter,
    select_lanes,
    wrap,
)
from cjm.charts.theme import TEXT_DARK
from cjm.i18n import label, t
from cjm.text import fmt_int

__all__ = ["GRID_LANES", "current_state_figure", "paint_touchpoints", "paint_grid_lanes", "map_title"]

#: Lanes of the current-state grid, top to bottom.
GRID_LANES = ("touchpoint", "action", "thought", "emotion", "pain_point", "opportunity", "users")

ARC_SPACE = 48
CARD_COLS = 0.86  # a touchpoint's card spans this much of its column (0.07 … 0.93)
# A status badge's room: after the evidence glyph to the card's edge, or to the conversion star.
BADGE_COLS, BADGE_COLS_BY_STAR = 0.71, 0.57
LOOP_COLOR = "#ea580c"
EDGE_COLOR = "#374151"
CONVERSION_COLOR = "#d97706"

# (fill, border, dash, border width, text colour) per touchpoint look
_LOOKS = {
    "existing": ("#eff6ff", "#3b82f6", "solid", 1.5, TEXT_DARK),
    "missing": ("#ffffff", "#dc2626", "dash", 2.5, "#991b1b"),
    "planned": ("#faf5ff", "#7c3aed", "dot", 2.0, TEXT_DARK),
    "retired": ("#f3f4f6", "#9ca3af", "dot", 1.5, "#6b7280"),
    "absent": ("#f3f4f6", "#6b7280", "dash", 2.0, "#4b5563"),
    "removed": ("#f9fafb", "#9ca3af", "dot", 2.0, "#6b7280"),
}
_BADGES = {
    "missing": ("⚠ ", "#b91c1c"),
    "planned": ("◌ ", "#6d28d9"),
    "retired": ("✕ ", "#6b7280"),
    "absent": ("○ ", "#4b5563"),
    "added": ("+ ", "#15803d"),
    "changed": ("✎ ", "#1d4ed8"),
    "removed": ("− ", "#6b7280"),
}


def map_title(G: nx.DiGraph, lang: str) -> tuple[str, str]:
    """The figure title (map title and type) and subtitle (persona, segment), escaped."""
    title = esc(G.graph.get("title") or G.graph.get("id") or "")
    kind = label("map_type", G.graph.get("map_type") or "current_state", lang)
    persona = (G.graph.get("persona") or {}).get("name") or ""
    bits = []
    if persona:
        bits.append(f"{esc(t('mapview.persona', lang))}: {esc(persona)}")
    if G.graph.get("segment"):
        bits.append(f"{esc(t('mapview.segment', lang))}: {esc(G.graph['segment'])}")
    return f"{title} · {esc(kind)}", " · ".join(bits)


def _look(c: Column) -> str:
    if c.badge == "removed" or c.ghost:
        return "removed"
    if c.data.get("status") in ("missing", "planned", "retired"):
        return c.data["status"]
    if c.badge == "absent":
        return "absent"
    return "existing"


def _badge(cv: Canvas, c: Column) -> tuple[str, str] | None:
    look = _look(c)
    key = c.badge if c.badge in ("added", "changed", "removed", "absent") else look
    if key == "existing":
        return None
    prefix, color = _BADGES[key]
    text = t(f"mapview.badge.{key}", cv.lang)
    room = BADGE_COLS_BY_STAR if c.data.get("conversion_point") else BADGE_COLS
    return cv.fits(prefix + text.upper(), room, size=11, bold=True, max_lines=1), color


def _adjacent(cols: Sequence[Column], i: int, j: int) -> bool:
    return j > i and all(cols[k].node is None for k in range(i + 1, j))


def paint_touchpoints(
    cv: Canvas,
    G: nx.DiGraph,
    cols: Sequence[Column],
    edges: Sequence[Edge],
    *,
    lane_key: str = "touchpoint",
    lane_label: str | None = None,
    show_channel: bool = True,
    body: Sequence[str] | None = None,
) -> Lane:
    """The touchpoint lane: one box per touchpoint column (name, channel, status/change badge, evidence
    glyph, conversion star), transitions as arrows, branches as arcs above, loops as arcs below."""
    counts = model.users_by_touchpoint(G)
    lang = cv.lang
    stage_names = {s["id"]: model.stage_label(s, lang) for s in model.stages(G)}
    names, badges = [], []
    for k, c in enumerate(cols):
        if c.node is None:
            names.append("")
            badges.append(None)
            continue
        parts = [f"<b>{cv.fits(c.data.get('name'), CARD_COLS, bold=True, max_lines=3)}</b>"]
        if show_channel and c.data.get("channel"):
            parts.append(f"<i>{cv.fits(label('channel', c.data['channel'], lang), CARD_COLS, max_lines=1)}</i>")
        if body is not None and body[k]:
            parts.append(body[k])
        names.append("<br>".join(parts))
        badges.append(_badge(cv, c))
    lines = max([n_lines(s) for s in names] + [1]) + 1  # the first line holds the glyphs and badge
    box_h = 18 + LINE_PX * lines
    top_space = ARC_SPACE if any(not e.back and not _adjacent(cols, e.i, e.j) for e in edges) else 8
    bottom_space = ARC_SPACE if any(e.back for e in edges) else 8
    lane = cv.lane(lane_key, lane_label or t("mapview.lane.touchpoint", lang), top_space + box_h + bottom_space)
    box_top, box_bottom = lane.top + top_space, lane.top + top_space + box_h
    box_mid = (box_top + box_bottom) / 2

    xs, ys, texts, hovers, colors = [], [], [], [], []
    bx, by, btext, bcolor = [], [], [], []
    for i, c in enumerate(cols):
        if c.node is None:
            continue
        fill, border, dash, width, color = _LOOKS[_look(c)]
        if c.badge == "added":
            border, width = "#16a34a", 3.0
        elif c.badge == "changed":
            border, width = "#2563eb", 3.0
        if c.data.get("key_touchpoint"):
            width += 1.0
        cv.rect(
            i + 0.07,
            box_top,
            i + 0.93,
            box_bottom,
            fill=fill,
            line=border,
            width=width,
            dash=dash,
            name=f"tp:{c.node}:{_look(c)}",
        )
        xs.append(i + 0.5)
        ys.append(box_top + 26)
        texts.append(names[i])
        colors.append(color)
        extra = [c.detail] if c.detail else []
        hovers.append(hover_card(c.data, stage_names.get(c.stage, c.stage), lang, extra, users=counts.get(c.node)))
        if badges[i]:
            bx.append(i + 0.22)  # to the right of the evidence glyph
            by.append(box_top + 5)
            btext.append(f"<b>{badges[i][0]}</b>")
            bcolor.append(badges[i][1])
    cv.traces.append(
        scatter(
            x=xs,
            y=ys,
            mode="text",
            text=texts,
            textposition="bottom center",
            textfont=dict(size=13, color=colors),
            hovertext=hovers,
            hovertemplate="%{hovertext}<extra></extra>",
            name=t("mapview.lane.touchpoint", lang),
            showlegend=False,
            meta=dict(lane=lane.key, role="touchpoints"),
        )
    )
    if bx:
        cv.traces.append(
            scatter(
                x=bx,
                y=by,
                mode="text",
                text=btext,
                textposition="bottom right",
                textfont=dict(size=11, color=bcolor),
                hoverinfo="skip",
                showlegend=False,
                name="badges",
                meta=dict(lane=lane.key, role="badges"),
            )
        )

    # evidence glyphs (one trace per level, so the legend explains them)
    for level, (symbol, opacity) in EVIDENCE_STYLE.items():
        idx = [i for i, c in enumerate(cols) if c.node is not None and (c.data.get("evidence") or "assumed") == level]
        cv.traces.append(
            scatter(
                x=[i + 0.15 for i in idx],
                y=[box_top + 12] * len(idx),
                mode="markers",
                marker=dict(
                    symbol=symbol, size=11, color="#1e40af", opacity=opacity, line=dict(width=2, color="#1e40af")
                ),
                name=f"{t('mapview.legend.evidence', lang)}: {label('evidence', level, lang)}",
                showlegend=True,
                hovertext=[esc(label("evidence", level, lang))] * len(idx),
                hovertemplate="%{hovertext}<extra></extra>",
                meta=dict(lane=lane.key, role=f"evidence:{level}"),
            )
        )
    # conversion points: a star on the box corner
    conv = [i for i, c in enumerate(cols) if c.node is not None and c.data.get("conversion_point")]
    cv.traces.append(
        scatter(
            x=[i + 0.86 for i in conv],
            y=[box_top + 12] * len(conv),
            mode="markers",
            marker=dict(symbol="star", size=20, color="#fbbf24", line=dict(width=1.5, color=CONVERSION_COLOR)),
            name="★ " + t("field.conversion_point", lang),
            showlegend=bool(conv),
            hovertext=[esc(t("field.conversion_point", lang))] * len(conv),
            hovertemplate="%{hovertext}<extra></extra>",
            meta=dict(lane=lane.key, role="conversion"),
        )
    )
    if any(c.node is not None and c.data.get("status") == "missing" for c in cols):
        cv.legend_marker(t("mapview.legend.missing", lang), symbol="square-open", color="#dc2626", size=14)

    _paint_edges(cv, cols, edges, box_top, box_bottom, box_mid, lane)
    return lane


def _paint_edges(
    cv: Canvas,
    cols: Sequence[Column],
    edges: Sequence[Edge],
    box_top: float,
    box_bottom: float,
    box_mid: float,
    lane: Lane,
) -> None:
    lang = cv.lang
    fx, fy, hx, hy, hsym = [], [], [], [], []
    bxs, bys, bhx, bhy = [], [], [], []
    lx, ly, ltext = [], [], []
    mx, my, mhover = [], [], []
    for e in edges:
        info = _edge_hover(cols, e, lang)
        if not e.back and _adjacent(cols, e.i, e.j):
            fx += [e.i + 0.93, e.j + 0.07 - 0.02, None]
            fy += [box_mid, box_mid, None]
            hx.append(e.j + 0.07 - 0.015)
            hy.append(box_mid)
            hsym.append("triangle-right")
            mx.append((e.i + e.j + 1) / 2)
            my.append(box_mid)
            mhover.append(info)
        elif not e.back:
            span = e.j - e.i
            h = -(12 + (ARC_SPACE - 22) * min(1.0, (span - 1) / 8))
            ax, ay = arc_points(e.i + 0.55, e.j + 0.45, box_top, h)
            fx += ax + [None]
            fy += ay + [None]
            hx.append(e.j + 0.45)
            hy.append(box_top - 4)
            hsym.append("triangle-down")
            mx.append((e.i + e.j + 1) / 2)
            my.append(box_top + h)
            mhover.append(info)
        else:
            a, b = (e.j + 0.45, e.i + 0.55) if e.j < e.i else (e.i + 0.3, e.i + 0.7)
            span = abs(e.i - e.j)
            h = 12 + (ARC_SPACE - 28) * min(1.0, max(0, span - 1) / 8)
            ax, ay = arc_points(b, a, box_bottom, h)
            bxs += ax + [None]
            bys += ay + [None]
            bhx.append(a)
            bhy.append(box_bottom + 5)
            text = "↺ " + (wrap(e.label, 22, 1) if e.label else esc(t("mapview.loop", lang)))
            lx.append((a + b) / 2)
            ly.append(box_bottom + h + 1)
            ltext.append(f"<span style='color:{LOOP_COLOR}'>{text}</span>")
            mx.append((a + b) / 2)
            my.append(box_bottom + h)
            mhover.append(info)
    cv.traces.append(
        scatter(
            x=fx,
            y=fy,
            mode="lines",
            line=dict(color=EDGE_COLOR, width=2),
            name=t("mapview.legend.transition", lang),
            showlegend=False,
            hoverinfo="skip",
            meta=dict(lane=lane.key, role="transitions"),
        )
    )
    if hx:
        cv.traces.append(
            scatter(
                x=hx,
                y=hy,
                mode="markers",
                marker=dict(symbol=hsym, size=11, color=EDGE_COLOR),
                showlegend=False,
                hoverinfo="skip",
                name="arrowheads",
            )
        )
    cv.traces.append(
        scatter(
            x=bxs,
            y=bys,
            mode="lines",
            line=dict(color=LOOP_COLOR, width=2.5, dash="dash"),
            name="↺ " + t("mapview.legend.back_edge", lang),
            showlegend=bool(bhx),
            hoverinfo="skip",
            meta=dict(lane=lane.key, role="back_edges"),
        )
    )
    if bhx:
        cv.traces.append(
            scatter(
                x=bhx,
                y=bhy,
                mode="markers",
                marker=dict(symbol="triangle-up", size=12, color=LOOP_COLOR),
                showlegend=False,
                hoverinfo="skip",
                name="loop arrowheads",
            )
        )
    if lx:
        cv.traces.append(
            scatter(
                x=lx,
                y=ly,
                mode="text",
                text=ltext,
                textposition="bottom center",
                textfont=dict(size=12, color=EDGE_COLOR),
                showlegend=False,
                hoverinfo="skip",
                name="edge labels",
                meta=dict(lane=lane.key, role="edge_labels"),
            )
        )
    if mx:
        cv.traces.append(
            scatter(
                x=mx,
                y=my,
                mode="markers",
                marker=dict(size=14, opacity=0),
                hovertext=mhover,
                hovertemplate="%{hovertext}<extra></extra>",
                showlegend=False,
                name="edge hover",
            )
        )


def _edge_hover(cols: Sequence[Column], e: Edge, lang: str) -> str:
    a = esc(cols[e.i].data.get("name"))
    b = esc(cols[e.j].data.get("name"))
    text = f"{a} → {b}"
    if e.back:
        text += f"<br>↺ {esc(t('mapview.loop', lang))}"
    if e.label:
        text += f"<br>{wrap(e.label, 50, 3)}"
    if e.users is not None:
        text += f"<br>{esc(t('field.users', lang))}: {fmt_int(e.users, lang)}"
    return text


CELL_COLS = 0.9  # a text cell spans this much of its column (0.05 … 0.95)


def _text_cells(cv: Canvas, cols: Sequence[Column], field: str, max_lines: int) -> tuple[list[str], list[str]]:
    shown, hover = [], []
    for c in cols:
        value = str(c.data.get(field) or "").strip() if c.node is not None else ""
        shown.append(cv.fits(value, CELL_COLS, max_lines=max_lines) if value else "")
        hover.append(wrap(value, 60, 20) if value else "")
    return shown, hover


_TEXT_LANES = {
    "action": ("#ffffff", None, TEXT_DARK, 6),
    "thought": ("#ffffff", None, "#374151", 6),
    "pain_point": ("#fee2e2", "#fca5a5", "#7f1d1d", 6),
    "opportunity": ("#dcfce7", "#86efac", "#14532d", 6),
}


def paint_text(
    cv: Canvas,
    cols: Sequence[Column],
    field: str,
    lane_key: str | None = None,
    lane_label: str | None = None,
    overrides: dict[int, tuple[str, str]] | None = None,
) -> Lane | None:
    """A text lane for ``field`` (action, thought, pain point, …); ``overrides`` replaces cells."""
    fill, border, color, max_lines = _TEXT_LANES.get(field, ("#ffffff", None, TEXT_DARK, 6))
    shown, hover = _text_cells(cv, cols, field, max_lines)
    for i, (s, h) in (overrides or {}).items():
        shown[i], hover[i] = s, h
    lines = max([n_lines(s) for s in shown] + [1])
    lane = cv.lane(lane_key or field, lane_label or t(f"mapview.lane.{field}", cv.lang), 18 + LINE_PX * lines)
    has_fill = fill != "#ffffff"
    cv.text_lane(
        lane,
        shown,
        hover,
        name=t(f"mapview.lane.{field}", cv.lang),
        fill=fill if has_fill else None,
        border=border,
        color=color,
    )
    return lane


def emotion_segments(G: nx.DiGraph, node_col: dict[str, int], order: Sequence[str]) -> list[tuple[int, int]]:
    """Column pairs the emotion curve joins. Each touchpoint is joined to its nearest earlier column
    that leads to it (a forward transition), so parallel branches fork from their common step and
    alternative entry points stay apart; a map without transitions is joined in journey order."""
    cols = sorted((node_col[n], n) for n in order if n in node_col)
    if G.number_of_edges() == 0:
        return [(a, b) for (a, _), (b, _) in zip(cols, cols[1:], strict=False)]
    segs = []
    for j, node in cols:
        preds = [node_col[u] for u in G.predecessors(node) if u in node_col and node_col[u] < j]
        if preds:
            segs.append((max(preds), j))
    return segs


def paint_grid_lanes(
    cv: Canvas,
    G: nx.DiGraph,
    cols: Sequence[Column],
    edges: Sequence[Edge],
    chosen: Iterable[str],
    *,
    emotion_overlay=None,
    pain_overrides=None,
    after_emotion=None,
) -> None:
    """Paint the chosen grid lanes in order (shared by the current and future state)."""
    lang = cv.lang
    node_col = {c.node: i for i, c in enumerate(cols) if c.node is not None and not c.ghost}
    counts = model.users_by_touchpoint(G)
    stage_names = {s["id"]: model.stage_label(s, lang) for s in model.stages(G)}
    for key in chosen:
        if key == "touchpoint":
            paint_touchpoints(cv, G, cols, edges)
        elif key in ("action", "thought", "opportunity"):
            paint_text(cv, cols, key)
        elif key == "pain_point":
            paint_text(cv, cols, key, overrides=pain_overrides)
        elif key == "emotion":
            lane = cv.lane("emotion", t("mapview.lane.emotion", lang), 190)
            if emotion_overlay is not None:
                emotion_overlay(cv, lane)
            emotions = [c.data.get("emotion") if (c.node is not None and not c.ghost) else None for c in cols]
            evidence = [c.data.get("evidence") or "assumed" for c in cols]
            hovers = [
                hover_card(c.data, stage_names.get(c.stage, c.stage), lang, users=counts.get(c.node))
                if c.node and not c.ghost
                else ""
                for c in cols
            ]
            segs = emotion_segments(G, node_col, model.touchpoints_in_order(G))
            cv.emotion_lane(
                lane,
                emotions,
                evidence,
                segs,
                hovers,
                name=t("mapview.lane.emotion", lang),
                backdrop=emotion_overlay is None,
                legend=emotion_overlay is not None,
            )
            if after_emotion is not None:
                after_emotion(cv)
        elif key == "users":
            counts = model.users_by_touchpoint(G)
            users = [counts.get(c.node) if c.node is not None and not c.ghost else None for c in cols]
            if any(u is not None for u in users):
                lane = cv.lane("users", t("mapview.lane.users", lang), 110)
                cv.users_lane(lane, users, name=t("mapview.lane.users", lang))
        elif key == "emotion_delta" and after_emotion is None:
            pass


def current_state_figure(
    G: nx.DiGraph, *, lang: str = "en", lanes: Iterable[str] | None = None, column_px: int | None = None
) -> go.Figure:
    """The canonical CJM grid of a map.

    Each touchpoint of ``G`` is a column (side by side in journey order inside its stage, stages under
    their phases); each chosen lane (:data:`GRID_LANES`) is a row. ``column_px`` draws the map for a
    page: every column that many pixels wide on any screen, card text wrapped to fit, as many columns
    as the screen holds, panned sideways; ``None`` draws every column at full size (for exports).
    ``G`` is not modified.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("Demo"); _ = add_touchpoint(G, "Ad", "awareness", emotion=1.0)
    >>> fig = current_state_figure(G, lanes=["touchpoint", "emotion"])
    >>> [a.text for a in fig.layout.annotations if "Awareness" in a.text]
    ['<b>Awareness</b>']
    """
    chosen = select_lanes(GRID_LANES, lanes)
    cols = grid_columns(G)
    edges = column_edges(G, cols)
    cv = Canvas(len(cols), lang, column_px)
    cv.headers(G, cols)
    top = cv.y
    paint_grid_lanes(cv, G, cols, edges, chosen)
    cv.stage_backdrop(top)
    title, subtitle = map_title(G, lang)
    return cv.figure(title, subtitle=subtitle)
