"""Charts of the journey as a graph: the network drawing and the Sankey diagram of transitions.

Builders are pure: they take a map (and, optionally, a :class:`cjm.flow.FlowAnalysis`) and return
a ``plotly`` figure; they never change the map.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from cjm import flow, model
from cjm.charts.theme import EMOTION_SCALE, FONT, HIGHLIGHT_COLOURS, UNASSESSED, emotion_colour, font
from cjm.i18n import t
from cjm.text import fmt_emotion, fmt_int, plot_escape, shorten

__all__ = ["network_figure", "sankey_figure", "SANKEY_MAX_LINKS", "LABEL_LIMIT"]

#: The Sankey draws at most this many transitions (the busiest); more is unreadable.
SANKEY_MAX_LINKS = 120
#: The network uses at most this many columns (long chains inside a stage are folded).
MAX_COLUMNS = 14
#: Transition counts are written on this many of the busiest edges (hover shows every count).
COUNT_LIMIT = 12
#: With more touchpoints than this, the network labels only the notable ones (entries, targets,
#: bottlenecks, unreachable, highlighted path); every node keeps its hover text.
LABEL_LIMIT = 70

_FONT = font(14)


def _wrap(text: str, width: int = 18, lines: int = 2) -> str:
    """User text wrapped into at most ``lines`` lines and escaped for plotly (line by line, so a cut
    never splits an entity)."""
    parts = textwrap.wrap(" ".join(str(text).split()), width, break_long_words=False) or [""]
    if len(parts) > lines:
        parts = parts[: lines - 1] + [shorten(" ".join(parts[lines - 1 :]), width)]
    return "<br>".join(plot_escape(p) for p in parts)


def _users(value) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


def _bezier(p0, c, p1, n: int = 12) -> list[tuple[float, float]]:
    """Points of the quadratic Bézier curve from ``p0`` to ``p1`` bending towards ``c``."""
    out = []
    for k in range(n + 1):
        s = k / n
        out.append(
            (
                (1 - s) ** 2 * p0[0] + 2 * (1 - s) * s * c[0] + s**2 * p1[0],
                (1 - s) ** 2 * p0[1] + 2 * (1 - s) * s * c[1] + s**2 * p1[1],
            )
        )
    return out


def _along(points: list[tuple[float, float]], f: float) -> tuple[float, float]:
    """The point at fraction ``f`` of the length of a polyline."""
    seg = [math.dist(a, b) for a, b in zip(points, points[1:], strict=False)]
    goal = sum(seg) * f
    for (a, b), d in zip(zip(points, points[1:], strict=False), seg, strict=True):
        if goal <= d and d > 0:
            r = goal / d
            return (a[0] + (b[0] - a[0]) * r, a[1] + (b[1] - a[1]) * r)
        goal -= d
    return points[-1]


def _stage_bands(G: nx.DiGraph, pos: dict, lang: str) -> list[tuple[str, float, float]]:
    """(stage label, x0, x1) of each stage that holds touchpoints, in order."""
    spans: dict[str, list[float]] = {}
    for n, (x, _) in pos.items():
        spans.setdefault(G.nodes[n].get("stage"), []).append(x)
    out = []
    for s in model.stages(G):
        if s["id"] in spans:
            xs = spans.pop(s["id"])
            out.append((model.stage_label(s, lang), min(xs) - 0.5, max(xs) + 0.5))
    for sid, xs in spans.items():  # touchpoints in a stage the map does not list
        out.append((str(sid), min(xs) - 0.5, max(xs) + 0.5))
    return out


def network_figure(
    G: nx.DiGraph,
    *,
    lang: str = "en",
    analysis: flow.FlowAnalysis | None = None,
    highlight: Sequence[str] | None = None,
    highlight_color: str = HIGHLIGHT_COLOURS["most_travelled"],
    label_limit: int = LABEL_LIMIT,
) -> go.Figure:
    """The map as a network that reads top to bottom, stage by stage (the layers of
    :func:`cjm.flow.layered_layout` become rows, so every label has room beside its node).

    Each touchpoint is a node coloured by emotion (grey: not assessed), sized by its users when the
    map has counts, a diamond when it is a conversion point, faded when missing or planned. Each
    transition is a line with an arrowhead whose width follows its users; back-edges (loops) are
    dashed purple arcs on the left. ``highlight`` (a path of touchpoint ids) is drawn on top in
    ``highlight_color``. Stages are shaded bands named on the left.
    """
    layers = flow.layered_layout(G)
    fig = go.Figure()
    if not layers:
        fig.add_annotation(text=t("flow.empty_map", lang), showarrow=False, font=dict(size=16))
        fig.update_layout(height=300, xaxis=dict(visible=False), yaxis=dict(visible=False), plot_bgcolor="white")
        return fig
    # Layer (journey step) → y going down; the spread inside a layer → x. A layer with fewer
    # touchpoints than the widest spreads them further apart, and every label is wrapped to the
    # room its layer leaves (the plot is at least ~760 px wide: a 1280 px screen with the sidebar).
    per_layer: dict[float, int] = {}
    for c, _ in layers.values():
        per_layer[c] = per_layer.get(c, 0) + 1
    widest = max(per_layer.values())
    spacing = {c: (min(2.5, (widest - 1) / (k - 1)) if k > 1 else 2.5) for c, k in per_layer.items()}
    px_per_unit = 740 / (max(widest - 1, 1) + 3.1)
    wrap_at = {c: max(10, min(30, int(px_per_unit * sp / 7.8) - 2)) for c, sp in spacing.items()}
    pos = {n: (-r * spacing[c], -c) for n, (c, r) in layers.items()}
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    label_all = len(pos) <= label_limit
    n_layers = int(max(c for c, _ in layers.values())) + 1
    x_lo, x_hi = min(xs) - 1.5, max(xs) + 1.6
    shapes, notes = [], []
    for i, (name, c0, c1) in enumerate(_stage_bands(G, layers, lang)):
        shapes.append(dict(type="rect", x0=x_lo, x1=x_hi, y0=-c1, y1=-c0, line_width=0, layer="below",
                           fillcolor="rgba(31,41,51,0.055)" if i % 2 == 0 else "rgba(0,0,0,0)"))  # fmt: skip
        notes.append(dict(x=0.0, xref="paper", y=-c0 - 0.08, text=f"<b>{_wrap(name, 18, 2)}</b>", showarrow=False,
                          xanchor="left", yanchor="top", align="left", font=dict(size=14, color="#3e4c59")))  # fmt: skip

    edge_users = {(u, v): _users(d.get("users")) for u, v, d in G.edges(data=True)}
    max_users = max((c for c in edge_users.values() if c), default=0)
    back = set(model.back_edges(G))
    names = {n: str(G.nodes[n].get("name") or n) for n in G}

    def width(c: int | None) -> float:
        if not max_users:
            return 2.0
        return 1.2 + 9.0 * math.sqrt((c or 0) / max_users)

    def geometry(u: str, v: str) -> list[tuple[float, float]]:
        (x0, y0), (x1, y1) = pos[u], pos[v]
        if (u, v) in back:  # loops arc out to the left of the journey
            bend = 0.5 + 0.12 * abs(y1 - y0)
            return _bezier((x0, y0), (min(x0, x1) - bend, (y0 + y1) / 2), (x1, y1))
        if y0 == y1:  # same layer (only when the map's order disagrees with its transitions)
            return _bezier((x0, y0), ((x0 + x1) / 2, y0 + 0.35), (x1, y1))
        return [(x0, y0), (x1, y1)]

    classes: dict[float, tuple[list, list]] = {}
    arrow_x, arrow_y, arrow_size, mid_x, mid_y, mid_text, mid_hover = [], [], [], [], [], [], []
    loop_x, loop_y, loop_mx, loop_my, loop_hover = [], [], [], [], []
    mid_count: list[int] = []
    arrows = G.number_of_edges() <= 400
    for (u, v), c in edge_users.items():
        pts = geometry(u, v)
        count_text = fmt_int(c, lang, missing="")
        hover = f"{plot_escape(names[u])} → {plot_escape(names[v])}" + (
            f"<br>{t('flow.users_n', lang, n=count_text)}" if count_text else ""
        )
        if (u, v) in back:
            loop_x += [p[0] for p in pts] + [None]
            loop_y += [p[1] for p in pts] + [None]
            mx, my = _along(pts, 0.5)
            loop_mx.append(mx)
            loop_my.append(my)
            loop_hover.append("↺ " + hover)
            continue
        # Forward edges are grouped into width classes (a plotly line has one width per trace).
        w = round(width(c) * 2) / 2
        xs_, ys_ = classes.setdefault(w, ([], []))
        xs_ += [p[0] for p in pts] + [None]
        ys_ += [p[1] for p in pts] + [None]
        if arrows:
            # Two points near the target: the marker on the second is an arrowhead pointing along
            # the line ("angleref=previous" turns it the way the line goes, in screen space).
            for f in (0.66, 0.7):
                ax, ay = _along(pts, f)
                arrow_x.append(ax)
                arrow_y.append(ay)
            arrow_x.append(None)
            arrow_y.append(None)
            arrow_size += [0, 8 + w, 0]
        mx, my = _along(pts, 0.45)
        mid_x.append(mx)
        mid_y.append(my)
        mid_text.append(count_text)
        mid_count.append(c or 0)
        mid_hover.append(hover)
    edge_color = "rgba(82,96,109,0.42)"
    # Arrays go to plotly as numpy arrays (None → NaN = a gap in a line): plotly checks plain lists
    # element by element, which costs seconds on a map of a thousand touchpoints.
    traces = [
        go.Scatter(x=_num(xs_), y=_num(ys_), mode="lines", line=dict(width=w, color=edge_color), hoverinfo="skip",
                   showlegend=False)
        for w, (xs_, ys_) in sorted(classes.items())
    ]  # fmt: skip
    if arrow_x:
        traces.append(
            go.Scatter(
                x=_num(arrow_x),
                y=_num(arrow_y),
                mode="markers",
                marker=dict(symbol="arrow", angleref="previous", size=_num(arrow_size), color="rgba(62,76,89,0.85)"),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    if loop_x:
        traces.append(go.Scatter(x=_num(loop_x), y=_num(loop_y), mode="lines", name=t("flow.legend_loop", lang),
                                 line=dict(width=2.5, color="#7b1fa2", dash="dash"), hoverinfo="skip"))  # fmt: skip
        traces.append(go.Scatter(x=_num(loop_mx), y=_num(loop_my), mode="markers", hovertext=_obj(loop_hover),
                                 hoverinfo="text", marker=dict(size=9, color="#7b1fa2"), showlegend=False))  # fmt: skip
    if highlight and len(highlight) > 1:
        hx, hy = [], []
        for u, v in zip(highlight, highlight[1:], strict=False):
            if (u, v) in edge_users:
                pts = geometry(u, v)
                hx += [p[0] for p in pts]
                hy += [p[1] for p in pts]
        traces.append(go.Scatter(x=_num(hx), y=_num(hy), mode="lines", line=dict(width=9, color=highlight_color),
                                 opacity=0.45, hoverinfo="skip", name=t("flow.legend_highlight", lang)))  # fmt: skip
    # Transition counts as text on the busiest edges (every count on hover).
    counted = sorted((c or 0 for (u, v), c in edge_users.items() if (u, v) not in back), reverse=True)
    floor = counted[COUNT_LIMIT - 1] if len(counted) >= COUNT_LIMIT else 0
    mid_text = [txt if n >= max(floor, 1) else "" for txt, n in zip(mid_text, mid_count, strict=True)]
    traces.append(
        go.Scatter(
            x=_num(mid_x),
            y=_num(mid_y),
            mode="text+markers" if any(mid_text) else "markers",
            text=_obj(mid_text) if any(mid_text) else None,
            textposition="middle left",
            textfont=dict(size=12, color="#102a43", shadow="auto"),
            marker=dict(size=12, color="rgba(0,0,0,0)"),
            hovertext=_obj(mid_hover),
            hoverinfo="text",
            showlegend=False,
        )
    )

    # Nodes: one trace for assessed touchpoints (coloured on the emotion scale, with its colour bar)
    # and one for the not-assessed ones (grey).
    ordered = list(pos)
    node_users = {n: model.touchpoint_users(G, n) for n in ordered}
    top_users = max((u for u in node_users.values() if u), default=0)
    notable: set[str] = set()
    if analysis is not None:
        notable |= set(analysis.entries) | set(analysis.targets) | set(analysis.unreachable)
        notable |= set(analysis.bottlenecks["id"].head(10)) if len(analysis.bottlenecks) else set()
    notable |= set(highlight or ())
    emotion_word, unassessed = t("field.emotion", lang), t("emotion.unassessed", lang)
    conversion_word = t("field.conversion_point", lang)
    for assessed in (True, False):
        group = [n for n in ordered if (G.nodes[n].get("emotion") is not None) == assessed]
        if not group:
            continue
        sizes, symbols, opac, texts, hovers = [], [], [], [], []
        for n in group:
            d = G.nodes[n]
            users = node_users[n]
            sizes.append(
                16 + 30 * math.sqrt(users / top_users) if top_users and users else (22 if not top_users else 14)
            )
            symbols.append("diamond" if d.get("conversion_point") else "circle")
            opac.append(0.45 if d.get("status") in ("missing", "planned", "retired") else 1.0)
            texts.append(_wrap(names[n], wrap_at[layers[n][0]], 3) if label_all or n in notable else "")
            emo = d.get("emotion")
            parts = [f"<b>{plot_escape(names[n])}</b>", f"{emotion_word}: {fmt_emotion(emo, lang, missing=unassessed)}"]
            if users is not None:
                parts.append(t("flow.users_n", lang, n=fmt_int(users, lang)))
            if d.get("conversion_point"):
                parts.append(conversion_word)
            hovers.append("<br>".join(parts))
        if assessed:
            # A horizontal colour bar above the plot leaves the whole width to the nodes and labels.
            colorbar = dict(title=dict(text=emotion_word, side="right"), tickvals=[-2, -1, 0, 1, 2], thickness=12,
                            orientation="h", x=0, xanchor="left", y=1.0, yanchor="bottom", ypad=4,
                            len=260, lenmode="pixels")  # fmt: skip
            marker = dict(color=_num([G.nodes[n]["emotion"] for n in group]), colorscale=EMOTION_SCALE, cmin=-2,
                          cmax=2, showscale=True, colorbar=colorbar)  # fmt: skip
        else:
            marker = dict(color=UNASSESSED)
        marker.update(size=_num(sizes), symbol=_obj(symbols), opacity=_num(opac), line=dict(color="white", width=2))
        traces.append(
            go.Scatter(
                x=_num([pos[n][0] for n in group]),
                y=_num([pos[n][1] for n in group]),
                mode="markers+text",
                name=emotion_word if assessed else unassessed,
                text=_obj(texts),
                textposition="middle right",
                textfont=dict(size=14 if label_all else 12, color="#1f2933", shadow="auto"),
                hovertext=_obj(hovers),
                hoverinfo="text",
                customdata=_obj(group),
                marker=marker,
                showlegend=False,
                cliponaxis=False,
            )
        )
    layout = dict(
        shapes=shapes,
        annotations=notes,
        height=int(min(3000, max(420, (74 if label_all else 40) * n_layers + 160))),
        margin=dict(l=10, r=10, t=56, b=10),
        font=_FONT,
        plot_bgcolor="white",
        hovermode="closest",
        legend=dict(orientation="h", y=1.0, x=1.0, xanchor="right", yanchor="bottom"),
        showlegend=bool(back) or bool(highlight),
        xaxis=dict(visible=False, range=[x_lo, x_hi], fixedrange=True),
        yaxis=dict(visible=False, range=[min(ys) - 0.6, 0.6]),
    )
    return go.Figure(data=traces, layout=layout)


def _num(values) -> np.ndarray:
    """A float array (``None`` → NaN) for plotly."""
    return np.array([np.nan if v is None else v for v in values], dtype=float)


def _obj(values) -> np.ndarray:
    """An object array of strings for plotly (checked as a whole, not element by element)."""
    out = np.empty(len(values), dtype=object)
    out[:] = list(values)
    return out


def sankey_figure(G: nx.DiGraph, *, lang: str = "en", max_links: int = SANKEY_MAX_LINKS) -> go.Figure:
    """A Sankey diagram of the map's forward transitions, widths by users.

    A Sankey cannot draw cycles, so back-edges (loops, :func:`cjm.model.back_edges`) are left out;
    list them next to the chart. Without counts every transition gets width 1. With more than
    ``max_links`` transitions only the busiest are drawn (the title says how many). Nodes are
    coloured by emotion; links take the colour of their source, translucent.
    """
    fwd = flow.forward_edges(G)
    counts = {(u, v): _users(G.edges[u, v].get("users")) for u, v in fwd}
    has_counts = any(c is not None for c in counts.values())
    pos = {n: i for i, n in enumerate(model.touchpoints_in_order(G))}
    links = sorted(fwd, key=lambda e: (-(counts[e] or 0), pos[e[0]], pos[e[1]]))
    total = len(links)
    links = links[:max_links]
    links.sort(key=lambda e: (pos[e[0]], pos[e[1]]))
    nodes = sorted({n for e in links for n in e}, key=pos.__getitem__)
    index = {n: i for i, n in enumerate(nodes)}
    names = [str(G.nodes[n].get("name") or n) for n in nodes]
    node_colors = [emotion_colour(G.nodes[n].get("emotion")) for n in nodes]
    values = [(counts[e] if counts[e] is not None else 0) if has_counts else 1 for e in links]
    # Label the nodes that carry a visible share of the flow; the thin ones keep their hover text,
    # so labels of tiny nodes never pile up on each other.
    through = [0] * len(nodes)
    for (u, v), val in zip(links, values, strict=True):
        through[index[u]] += val
        through[index[v]] += val
    top = max(through, default=0)
    labelled = [len(nodes) <= 12 or val >= 0.03 * top for val in through]
    fig = go.Figure(
        go.Sankey(
            # Top to bottom, like the network: each step of the journey gets a row of its own, so
            # the labels (written along the nodes) never crowd each other.
            orientation="v",
            arrangement="snap",
            valueformat=",d",
            node=dict(
                # "left": a touchpoint sits at its own step of the journey; the default pushes every
                # end point to the last row, where their labels pile up.
                align="left",
                label=[_wrap(nm, 28, 1) if keep else "" for nm, keep in zip(names, labelled, strict=True)],
                color=node_colors,
                pad=18,
                thickness=20,
                line=dict(color="white", width=1),
                customdata=[plot_escape(nm) for nm in names],
                hovertemplate="<b>%{customdata}</b><br>%{value}<extra></extra>",
            ),
            link=dict(
                source=[index[u] for u, _ in links],
                target=[index[v] for _, v in links],
                value=values,
                color=[emotion_colour(G.nodes[u].get("emotion"), 0.35) for u, _ in links],
                customdata=[f"{plot_escape(names[index[u]])} → {plot_escape(names[index[v]])}" for u, v in links],
                hovertemplate="%{customdata}<br>%{value}<extra></extra>",
            ),
            textfont=dict(size=14, color="#1f2933", family=FONT, shadow="auto"),
        )
    )
    notes = []
    if not has_counts:
        notes.append(t("flow.sankey_no_counts", lang))
    if total > len(links):
        notes.append(t("flow.sankey_top", lang, shown=len(links), total=total))
    if not links:
        fig.add_annotation(text=t("flow.sankey_empty", lang), showarrow=False, font=dict(size=16))
    depth = _sankey_columns(nodes, links)
    fig.update_layout(
        title=dict(text=" · ".join(notes), font=dict(size=14, color="#52606d")) if notes else None,
        height=int(min(2400, max(480, 82 * depth + 80))),
        margin=dict(l=10, r=10, t=40 if notes else 10, b=10),
        font=_FONT,
    )
    return fig


def _sankey_columns(nodes: list, links: list) -> int:
    """How many steps (node rows) the Sankey has: the longest chain of links, plus one."""
    if not nodes:
        return 1
    col = {n: 0 for n in nodes}
    for u, v in links:  # links are in journey order of their source: a topological order
        col[v] = max(col[v], col[u] + 1)
    return max(col.values()) + 1
