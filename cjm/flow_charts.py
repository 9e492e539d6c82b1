"""Charts of the journey as a graph: the network drawing and the Sankey diagram of transitions.

Builders are pure: they take a map (and, optionally, a :class:`cjm.flow.FlowAnalysis`) and return
a ``plotly`` figure; they never change the map.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence

import networkx as nx
import plotly.graph_objects as go

from cjm import flow, model
from cjm.i18n import t

__all__ = ["emotion_color", "network_figure", "sankey_figure", "SANKEY_MAX_LINKS", "LABEL_LIMIT"]

#: The Sankey draws at most this many transitions (the busiest); more is unreadable.
SANKEY_MAX_LINKS = 120
#: With more touchpoints than this, the network labels only the notable ones (entries, targets,
#: bottlenecks, unreachable, highlighted path); every node keeps its hover text.
LABEL_LIMIT = 70

_FONT = dict(size=14, family="Inter, Arial, sans-serif", color="#1f2933")
# Red (−2) → amber (0) → green (+2), readable on white and for most colour-blind viewers.
_SCALE = [(0.0, (198, 40, 40)), (0.25, (239, 108, 0)), (0.5, (251, 192, 45)), (0.75, (124, 179, 66)),
          (1.0, (46, 125, 50))]  # fmt: skip
_UNASSESSED = "#9aa5b1"
_PLOTLY_SCALE = [[p, f"rgb{c}"] for p, c in _SCALE]


def emotion_color(emotion: float | None, alpha: float | None = None) -> str:
    """The colour of an emotion on the −2 … +2 scale (grey when not assessed).

    >>> emotion_color(-2), emotion_color(2), emotion_color(None)
    ('rgb(198,40,40)', 'rgb(46,125,50)', '#9aa5b1')
    """
    if emotion is None or (isinstance(emotion, float) and math.isnan(emotion)):
        if alpha is None:
            return _UNASSESSED
        return f"rgba(154,165,177,{alpha})"
    p = min(1.0, max(0.0, (float(emotion) + 2.0) / 4.0))
    for (p0, c0), (p1, c1) in zip(_SCALE, _SCALE[1:], strict=False):
        if p <= p1:
            f = 0.0 if p1 == p0 else (p - p0) / (p1 - p0)
            r, g, b = (round(a + (b_ - a) * f) for a, b_ in zip(c0, c1, strict=True))
            break
    if alpha is None:
        return f"rgb({r},{g},{b})"
    return f"rgba({r},{g},{b},{alpha})"


def _wrap(text: str, width: int = 18, lines: int = 2) -> str:
    parts = textwrap.wrap(" ".join(str(text).split()), width) or [""]
    if len(parts) > lines:
        parts = parts[:lines]
        parts[-1] = parts[-1][: width - 1] + "…"
    return "<br>".join(parts)


def _users(value) -> int | None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value)


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
    highlight_color: str = "#1565c0",
    label_limit: int = LABEL_LIMIT,
) -> go.Figure:
    """The map as a network, journey left to right, stage by stage (see
    :func:`cjm.flow.layered_layout`).

    Each touchpoint is a node coloured by emotion (grey: not assessed), sized by its users when the
    map has counts, a diamond when it is a conversion point, faded when missing or planned. Each
    transition is an arrow whose width follows its users; back-edges (loops) are dashed purple arcs.
    ``highlight`` (a path of touchpoint ids) is drawn on top in ``highlight_color``.
    """
    pos = flow.layered_layout(G)
    fig = go.Figure()
    if not pos:
        fig.add_annotation(text=t("flow.empty_map", lang), showarrow=False, font=dict(size=16))
        fig.update_layout(height=300, xaxis=dict(visible=False), yaxis=dict(visible=False), plot_bgcolor="white")
        return fig
    ys = [p[1] for p in pos.values()]
    xs = [p[0] for p in pos.values()]
    y_lo, y_hi = min(ys) - 1.1, max(ys) + 1.0
    rows = max(ys) - min(ys) + 1
    # Stage bands: alternating shading and the stage name on top, so the journey reads by stage.
    for i, (name, x0, x1) in enumerate(_stage_bands(G, pos, lang)):
        if i % 2 == 0:
            fig.add_shape(type="rect", x0=x0, x1=x1, y0=y_lo, y1=y_hi + 0.6, fillcolor="rgba(31,41,51,0.045)",
                          line_width=0, layer="below")  # fmt: skip
        fig.add_annotation(x=(x0 + x1) / 2, y=y_hi + 0.45, text=f"<b>{_wrap(name, 16, 2)}</b>", showarrow=False,
                           font=dict(size=14, color="#3e4c59"), yanchor="middle")  # fmt: skip

    edge_users = {(u, v): _users(d.get("users")) for u, v, d in G.edges(data=True)}
    max_users = max((c for c in edge_users.values() if c), default=0)
    back = set(model.back_edges(G))

    def width(c: int | None) -> float:
        if not max_users:
            return 2.0
        return 1.2 + 9.0 * math.sqrt((c or 0) / max_users)

    # Forward edges grouped into width classes (a plotly line has one width per trace).
    classes: dict[float, tuple[list, list]] = {}
    arrow_x, arrow_y, arrow_size, mid_x, mid_y, mid_text, mid_hover = [], [], [], [], [], [], []
    many = G.number_of_edges() > 400
    names = {n: str(G.nodes[n].get("name") or n) for n in G}
    for (u, v), c in edge_users.items():
        (x0, y0), (x1, y1) = pos[u], pos[v]
        count_text = "" if c is None else f"{c:,}".replace(",", " ")
        hover = f"{names[u]} → {names[v]}" + (f"<br>{t('flow.users_n', lang, n=count_text)}" if count_text else "")
        if (u, v) in back:
            continue
        w = round(width(c) * 2) / 2
        xs_, ys_ = classes.setdefault(w, ([], []))
        xs_ += [x0, x1, None]
        ys_ += [y0, y1, None]
        if not many:
            # Two points near the target: the marker on the second one is an arrowhead pointing
            # along the segment ("angleref=previous").
            for f in (0.62, 0.68):
                arrow_x.append(x0 + (x1 - x0) * f)
                arrow_y.append(y0 + (y1 - y0) * f)
            arrow_x.append(None)
            arrow_y.append(None)
            arrow_size += [0, 7 + w, 0]
        mid_x.append(x0 + (x1 - x0) * 0.5)
        mid_y.append(y0 + (y1 - y0) * 0.5)
        mid_text.append(count_text)
        mid_hover.append(hover)
    edge_color = "rgba(82,96,109,0.45)"
    for w, (xs_, ys_) in sorted(classes.items()):
        fig.add_trace(go.Scatter(x=xs_, y=ys_, mode="lines", line=dict(width=w, color=edge_color), hoverinfo="skip",
                                 showlegend=False))  # fmt: skip
    if arrow_x:
        fig.add_trace(
            go.Scatter(
                x=arrow_x,
                y=arrow_y,
                mode="markers",
                marker=dict(symbol="arrow", angleref="previous", size=arrow_size, color="rgba(62,76,89,0.8)"),
                hoverinfo="skip",
                showlegend=False,
            )
        )
    # Back-edges (loops): arcs bending above, dashed, so a loop is never mistaken for progress.
    if back:
        bx, by, bmx, bmy, bh = [], [], [], [], []
        for u, v in sorted(back):
            (x0, y0), (x1, y1) = pos[u], pos[v]
            span = abs(x1 - x0) + abs(y1 - y0)
            lift = 0.35 + 0.12 * span
            cx, cy = (x0 + x1) / 2, max(y0, y1) + lift
            for k in range(13):
                s = k / 12
                bx.append((1 - s) ** 2 * x0 + 2 * (1 - s) * s * cx + s**2 * x1)
                by.append((1 - s) ** 2 * y0 + 2 * (1 - s) * s * cy + s**2 * y1)
            bx.append(None)
            by.append(None)
            bmx.append(0.25 * x0 + 0.5 * cx + 0.25 * x1)
            bmy.append(0.25 * y0 + 0.5 * cy + 0.25 * y1)
            c = edge_users.get((u, v))
            bh.append(f"↺ {names[u]} → {names[v]}" + (f"<br>{t('flow.users_n', lang, n=c)}" if c is not None else ""))
        fig.add_trace(go.Scatter(x=bx, y=by, mode="lines", line=dict(width=2, color="#7b1fa2", dash="dash"),
                                 name=t("flow.legend_loop", lang), hoverinfo="skip"))  # fmt: skip
        fig.add_trace(go.Scatter(x=bmx, y=bmy, mode="markers", marker=dict(size=9, color="#7b1fa2", symbol="circle"),
                                 hovertext=bh, hoverinfo="text", showlegend=False))  # fmt: skip
    if highlight and len(highlight) > 1:
        hx = [pos[n][0] for n in highlight if n in pos]
        hy = [pos[n][1] for n in highlight if n in pos]
        fig.add_trace(go.Scatter(x=hx, y=hy, mode="lines", line=dict(width=7, color=highlight_color),
                                 opacity=0.55, hoverinfo="skip", name=t("flow.legend_highlight", lang)))  # fmt: skip
    # Transition counts at the middle of each edge (text only for small maps; hover always).
    show_counts = len(mid_x) <= 60 and any(mid_text)
    fig.add_trace(
        go.Scatter(
            x=mid_x,
            y=mid_y,
            mode="text+markers" if show_counts else "markers",
            text=mid_text if show_counts else None,
            textposition="top center",
            textfont=dict(size=12, color="#3e4c59"),
            marker=dict(size=10, color="rgba(0,0,0,0)"),
            hovertext=mid_hover,
            hoverinfo="text",
            showlegend=False,
        )
    )

    # Nodes.
    ordered = list(pos)
    node_users = [_users(G.nodes[n].get("users")) for n in ordered]
    top_users = max((u for u in node_users if u), default=0)
    notable: set[str] = set()
    if analysis is not None:
        notable |= set(analysis.entries) | set(analysis.targets) | set(analysis.unreachable)
        notable |= set(analysis.bottlenecks["id"].head(10)) if len(analysis.bottlenecks) else set()
    notable |= set(highlight or ())
    label_all = len(ordered) <= label_limit
    sizes, colors, symbols, opac, texts, hovers, custom = [], [], [], [], [], [], []
    for n, users in zip(ordered, node_users, strict=True):
        d = G.nodes[n]
        sizes.append(16 + 30 * math.sqrt(users / top_users) if top_users and users else (22 if not top_users else 14))
        emo = d.get("emotion")
        colors.append(emotion_color(emo))
        symbols.append("diamond" if d.get("conversion_point") else "circle")
        opac.append(0.45 if d.get("status") in ("missing", "planned", "retired") else 1.0)
        texts.append(_wrap(names[n]) if label_all or n in notable else "")
        emo_text = t("emotion.unassessed", lang) if emo is None else f"{float(emo):+.1f}"
        parts = [f"<b>{names[n]}</b>", f"{t('field.emotion', lang)}: {emo_text}"]
        if users is not None:
            parts.append(t("flow.users_n", lang, n=users))
        if d.get("conversion_point"):
            parts.append(t("field.conversion_point", lang))
        hovers.append("<br>".join(parts))
        custom.append(n)
    fig.add_trace(
        go.Scatter(
            x=[pos[n][0] for n in ordered],
            y=[pos[n][1] for n in ordered],
            mode="markers+text",
            text=texts,
            textposition="bottom center",
            textfont=dict(size=13 if label_all else 12, color="#1f2933"),
            hovertext=hovers,
            hoverinfo="text",
            customdata=custom,
            marker=dict(size=sizes, color=colors, symbol=symbols, opacity=opac, line=dict(color="white", width=2)),
            showlegend=False,
            cliponaxis=False,
        )
    )
    # An invisible trace carries the emotion colour bar.
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            marker=dict(
                colorscale=_PLOTLY_SCALE,
                cmin=-2,
                cmax=2,
                color=[0],
                showscale=True,
                colorbar=dict(title=dict(text=t("field.emotion", lang)), tickvals=[-2, -1, 0, 1, 2], thickness=14,
                              len=min(1.0, 320 / max(320, 70 * rows + 160))),
            ),
            hoverinfo="skip",
            showlegend=False,
        )
    )  # fmt: skip
    n_cols = max(xs) - min(xs) + 1
    fig.update_layout(
        height=int(min(2400, max(460, 92 * rows + 170))),
        margin=dict(l=10, r=10, t=10, b=10),
        font=_FONT,
        plot_bgcolor="white",
        hovermode="closest",
        legend=dict(orientation="h", y=-0.02, x=0, yanchor="top"),
        showlegend=bool(back) or bool(highlight),
        xaxis=dict(visible=False, range=[min(xs) - 0.6, max(xs) + 0.6], fixedrange=n_cols <= 12),
        yaxis=dict(visible=False, range=[y_lo, y_hi + 0.8]),
    )
    return fig


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
    node_colors = [emotion_color(G.nodes[n].get("emotion")) for n in nodes]
    values = [(counts[e] if counts[e] is not None else 0) if has_counts else 1 for e in links]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            valueformat=",d",
            node=dict(
                label=[_wrap(nm, 24, 2).replace("<br>", " ") for nm in names],
                color=node_colors,
                pad=18,
                thickness=20,
                line=dict(color="white", width=1),
                customdata=names,
                hovertemplate="<b>%{customdata}</b><br>%{value}<extra></extra>",
            ),
            link=dict(
                source=[index[u] for u, _ in links],
                target=[index[v] for _, v in links],
                value=values,
                color=[emotion_color(G.nodes[u].get("emotion"), 0.35) for u, _ in links],
                customdata=[f"{names[index[u]]} → {names[index[v]]}" for u, v in links],
                hovertemplate="%{customdata}<br>%{value}<extra></extra>",
            ),
            textfont=dict(size=14, color="#1f2933", family="Inter, Arial, sans-serif"),
        )
    )
    notes = []
    if not has_counts:
        notes.append(t("flow.sankey_no_counts", lang))
    if total > len(links):
        notes.append(t("flow.sankey_top", lang, shown=len(links), total=total))
    if not links:
        fig.add_annotation(text=t("flow.sankey_empty", lang), showarrow=False, font=dict(size=16))
    depth = _sankey_depth(nodes, links)
    fig.update_layout(
        title=dict(text=" · ".join(notes), font=dict(size=14, color="#52606d")) if notes else None,
        height=int(min(1800, max(420, 34 * depth + 140))),
        margin=dict(l=10, r=10, t=40 if notes else 10, b=10),
        font=_FONT,
    )
    return fig


def _sankey_depth(nodes: list, links: list) -> int:
    """The largest number of nodes in one Sankey column (columns by longest path), for the height."""
    if not nodes:
        return 1
    col = {n: 0 for n in nodes}
    for u, v in links:  # links are in journey order of their source: a topological order
        col[v] = max(col[v], col[u] + 1)
    sizes: dict[int, int] = {}
    for c in col.values():
        sizes[c] = sizes.get(c, 0) + 1
    return max(sizes.values())
