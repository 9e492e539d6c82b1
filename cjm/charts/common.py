"""Shared drawing machinery for the journey-map figures: escaping and wrapping of user text, colours,
the column/lane geometry and the painters every map type reuses (headers, touchpoint boxes, text
lanes, the emotion curve, user counts).

Geometry: one plotly axis pair. ``x`` counts columns (column ``i`` spans ``[i, i + 1]``), ``y`` counts
pixels from the top (the y axis is reversed), so lane heights follow their content exactly.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import plotly.graph_objects as go

from cjm import model, schema
from cjm.charts.metrics import fit_lines
from cjm.charts.theme import (
    FONT,
    FONT_PX,
    GRID_LINE,
    PHASE_COLOURS,
    PHASE_TEXT_COLOURS,
    TEXT_DARK,
    TEXT_MUTED,
    emotion_colour,
)
from cjm.i18n import label, t
from cjm.text import fmt_emotion, fmt_int, fmt_share, plot_escape

__all__ = [
    "COL_PX",
    "esc",
    "wrap",
    "fit",
    "EVIDENCE_STYLE",
    "Column",
    "Edge",
    "Lane",
    "Canvas",
    "grid_columns",
    "column_edges",
    "select_lanes",
]

LINE_PX = 18  # one line of 13 px text, with leading
COL_PX = 190  # the width a column is drawn for (exports, and pages unless they ask otherwise)
WRAP_CHARS = 22
LEFT_MARGIN = 132
CARD_PAD = 6  # px kept free inside a card on either side of its text

#: Marker symbol and opacity per evidence level: solid and opaque when observed, hollow and faint
#: when merely assumed, so a reader sees at once which emotions rest on data.
EVIDENCE_STYLE: dict[str, tuple[str, float]] = {
    "observed": ("circle", 1.0),
    "reported": ("diamond", 0.9),
    "inferred": ("square-open", 0.75),
    "assumed": ("circle-open", 0.6),
}


def scatter(**props: Any) -> dict[str, Any]:
    """A scatter trace as a plain dict (the figure is assembled unvalidated: plotly's validation
    costs more than drawing a 200-touchpoint map; the tests validate the figures instead)."""
    return dict(type="scatter", **props)


def bar(**props: Any) -> dict[str, Any]:
    """A bar trace as a plain dict (see :func:`scatter`)."""
    return dict(type="bar", **props)


#: User text made safe for plotly text (plotly renders a subset of HTML): see :func:`cjm.text.plot_escape`.
esc = plot_escape


def wrap(value: Any, width: int = WRAP_CHARS, max_lines: int | None = None) -> str:
    """Escape ``value`` and break it into ``<br>``-joined lines of at most ``width`` characters.

    Plotly never wraps text itself. Lines are broken at word boundaries (long words are split);
    past ``max_lines`` the text is cut with an ellipsis (the full text is in the hover).

    >>> wrap("a <b> c", 3)
    'a<br>&lt;b&gt;<br>c'
    >>> wrap("one two three four", 8, max_lines=1)
    'one two…'
    """
    text = "" if value is None else str(value)
    if sum("\u0400" <= ch <= "\u04ff" for ch in text) > len(text) / 3:
        width = max(4, int(width * 0.9))  # Cyrillic letters run wider than Latin ones
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        lines.extend(textwrap.wrap(paragraph, width=width, break_long_words=True) or ([""] if lines else []))
    while lines and not lines[-1]:
        lines.pop()
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        lines[-1] = lines[-1][: max(1, width - 1)].rstrip() + "…"
    return "<br>".join(esc(line) for line in lines)


def fit(value: Any, width_px: float, *, size: float = FONT_PX, bold: bool = False, max_lines: int | None = None) -> str:
    """Escape ``value`` and break it into ``<br>``-joined lines no wider than ``width_px`` pixels.

    Measured with the font's widths (:mod:`cjm.charts.metrics`): text drawn in a box ``width_px``
    wide stays inside it; past ``max_lines`` it is cut with an ellipsis (the full text is in the hover).

    >>> fit("Check <b> out", 60)
    'Check<br>&lt;b&gt; out'
    """
    return "<br>".join(esc(line) for line in fit_lines(value, width_px, size=size, bold=bold, max_lines=max_lines))


def n_lines(wrapped: str) -> int:
    """How many lines a :func:`wrap` result has (0 for empty text)."""
    return wrapped.count("<br>") + 1 if wrapped else 0


@dataclass(frozen=True)
class Column:
    """One column of a grid: a touchpoint (``node``) or an empty stage (``node is None``).

    ``data`` is the touchpoint's attributes; ``ghost`` marks a touchpoint that is not in the drawn map
    (a baseline touchpoint the future state removed); ``badge`` an optional change mark.
    """

    stage: str
    node: str | None
    data: dict[str, Any] = field(default_factory=dict)
    ghost: bool = False
    badge: str | None = None
    detail: str = ""


@dataclass(frozen=True)
class Edge:
    """A transition between two columns; ``back`` when it goes against journey order (a loop)."""

    i: int
    j: int
    users: int | None = None
    label: str = ""
    back: bool = False


@dataclass
class Lane:
    """A horizontal band of the figure (pixels from the top)."""

    key: str
    label: str
    top: float
    height: float

    @property
    def bottom(self) -> float:
        return self.top + self.height

    @property
    def mid(self) -> float:
        return self.top + self.height / 2


def select_lanes(available: Sequence[str], lanes: Iterable[str] | None) -> list[str]:
    """The requested lanes in their canonical order (all of ``available`` when ``lanes`` is None)."""
    if lanes is None:
        return list(available)
    wanted = set(lanes)
    unknown = wanted - set(available)
    if unknown:
        raise ValueError(f"unknown lanes: {', '.join(sorted(unknown))}; available: {', '.join(available)}")
    return [lane for lane in available if lane in wanted]


def grid_columns(G: nx.DiGraph) -> list[Column]:
    """Columns of the CJM grid: every touchpoint in journey order, grouped by stage; an empty stage
    keeps one empty column so each stage is visible; touchpoints of an unknown stage come last."""
    cols: list[Column] = []
    for stage_id, nodes in model.touchpoints_by_stage(G).items():
        if not nodes:
            cols.append(Column(stage=stage_id, node=None))
        for node in nodes:
            cols.append(Column(stage=stage_id, node=node, data=dict(G.nodes[node])))
    return cols


def column_edges(G: nx.DiGraph, cols: Sequence[Column], node_col: dict[str, int] | None = None) -> list[Edge]:
    """The transitions of ``G`` between the given columns (forward ones first, then loops)."""
    if node_col is None:
        node_col = {c.node: i for i, c in enumerate(cols) if c.node is not None and not c.ghost}
    out = []
    for u, v, d in G.edges(data=True):
        if u in node_col and v in node_col:
            i, j = node_col[u], node_col[v]
            # columns follow journey order (or the clock), so "back" is simply leftwards
            out.append(Edge(i, j, d.get("users"), str(d.get("label") or ""), back=j <= i))
    return sorted(out, key=lambda e: (e.back, e.i, e.j))


def _runs(keys: Sequence[str]) -> list[tuple[str, int, int]]:
    """Consecutive runs of equal keys as ``(key, first, last_exclusive)``."""
    runs: list[tuple[str, int, int]] = []
    for i, k in enumerate(keys):
        if runs and runs[-1][0] == k:
            runs[-1] = (k, runs[-1][1], i + 1)
        else:
            runs.append((k, i, i + 1))
    return runs


class Canvas:
    """Collects lanes, traces, shapes and annotations, then makes the figure in one go (adding
    shapes one by one through plotly's API is far slower for a 200-touchpoint map)."""

    def __init__(self, n_cols: int, lang: str, column_px: int | None = None):
        self.n = max(1, n_cols)
        self.lang = lang
        # On a page (``column_px`` given) every column is that many pixels wide whatever the screen,
        # as many as fit are on screen and the map pans; an export draws every column COL_PX wide.
        self.on_page = column_px is not None
        self.col_px = float(column_px or COL_PX)
        self.lanes: list[Lane] = []
        self.traces: list[dict[str, Any]] = []
        self.shapes: list[dict[str, Any]] = []
        self.annotations: list[dict[str, Any]] = []
        self.y = 0.0
        self.ticks: list[tuple[float, str]] = []

    # -- geometry -------------------------------------------------------------------------------
    def lane(self, key: str, text: str, height: float, *, gap: float = 6, tick: bool = True) -> Lane:
        lane = Lane(key, text, self.y, float(height))
        self.y += height + gap
        self.lanes.append(lane)
        if tick:
            self.ticks.append((lane.mid, fit(text, LEFT_MARGIN - 14, size=14, bold=True, max_lines=3)))
        return lane

    def rect(
        self,
        x0,
        y0,
        x1,
        y1,
        *,
        fill="rgba(0,0,0,0)",
        line="#999",
        width=1.0,
        dash="solid",
        name=None,
        layer="below",
        opacity=1.0,
    ) -> None:
        shape = dict(
            type="rect",
            xref="x",
            yref="y",
            x0=x0,
            y0=y0,
            x1=x1,
            y1=y1,
            fillcolor=fill,
            layer=layer,
            opacity=opacity,
            line=dict(color=line, width=width, dash=dash),
        )
        if name:
            shape["name"] = name
        self.shapes.append(shape)

    def hline(self, y, *, x0=0.0, x1=None, color=GRID_LINE, width=1.0, dash="solid", name=None, layer="below") -> None:
        shape = dict(
            type="line",
            xref="x",
            yref="y",
            x0=x0,
            x1=self.n if x1 is None else x1,
            y0=y,
            y1=y,
            layer=layer,
            line=dict(color=color, width=width, dash=dash),
        )
        if name:
            shape["name"] = name
        self.shapes.append(shape)

    def vline(self, x, y0, y1, *, color=GRID_LINE, width=1.0, dash="solid") -> None:
        self.shapes.append(
            dict(
                type="line",
                xref="x",
                yref="y",
                x0=x,
                x1=x,
                y0=y0,
                y1=y1,
                layer="below",
                line=dict(color=color, width=width, dash=dash),
            )
        )

    def text(
        self,
        x,
        y,
        s,
        *,
        size=FONT_PX,
        color=TEXT_DARK,
        anchor="center",
        valign="middle",
        bold=False,
        xref="x",
        name=None,
        bg=None,
    ) -> None:
        ann = dict(
            x=x,
            y=y,
            xref=xref,
            yref="y",
            text=f"<b>{s}</b>" if bold else s,
            showarrow=False,
            xanchor=anchor,
            yanchor=valign,
            font=dict(size=size, color=color, family=FONT),
        )
        if bg:
            ann["bgcolor"] = bg
        if name:
            ann["name"] = name
        self.annotations.append(ann)

    # -- figure ---------------------------------------------------------------------------------
    def fits(self, value: Any, columns: float, *, size: float = FONT_PX, bold: bool = False, max_lines=None) -> str:
        """:func:`fit` to the width of ``columns`` columns less the card padding on either side."""
        width = columns * self.col_px - 2 * CARD_PAD
        return fit(value, width, size=size, bold=bold, max_lines=max_lines)

    def figure(self, title: str, *, subtitle: str = "", xaxis: dict[str, Any] | None = None) -> go.Figure:
        height = max(self.y, 60.0)
        # On the page the page itself shows title and persona: the figure keeps its height for the
        # map. Exports carry their title.
        on_page = self.on_page
        top = 84 if on_page else 140 if subtitle else 120
        # On a page the x axis is tied to the y axis, which counts pixels: a column is col_px pixels
        # wide on every screen, so card text wrapped to col_px stays in its card. The range is left
        # to plotly (autorange held to [0, 0.5], then widened to the plot's width), which works it
        # out again whenever the chart is resized.
        page_x = dict(
            autorange=True,
            autorangeoptions=dict(minallowed=0, maxallowed=0.5),
            scaleanchor="y",
            scaleratio=self.col_px,
            constrain="range",
            constraintoward="left",
            fixedrange=False,
        )
        layout = dict(
            title=dict(
                text="" if on_page else f"<b>{title}</b>",
                subtitle=dict(text="" if on_page else subtitle, font=dict(size=14, color=TEXT_MUTED)),
                x=0.0,
                xanchor="left",
                xref="container",
                y=1.0,
                yanchor="top",
                yref="container",
                pad=dict(t=14, l=12),
                font=dict(size=20, family=FONT),
            ),
            font=dict(family=FONT, size=FONT_PX, color=TEXT_DARK),
            height=int(height + top + 24),
            margin=dict(l=LEFT_MARGIN, r=24, t=top, b=24),
            plot_bgcolor="#ffffff",
            paper_bgcolor="#ffffff",
            showlegend=True,
            legend=dict(
                orientation="h",
                x=0,
                xanchor="left",
                y=1.0,
                yanchor="bottom",
                font=dict(size=13),
                itemclick=False,
                itemdoubleclick=False,
            ),
            hoverlabel=dict(font=dict(size=13, family=FONT), align="left"),
            xaxis=dict(showgrid=False, zeroline=False, showticklabels=False)
            | (page_x if on_page else dict(range=[0, self.n], fixedrange=True))
            | (xaxis or {}),
            yaxis=dict(
                range=[height, 0],
                showgrid=False,
                zeroline=False,
                fixedrange=True,
                tickmode="array",
                tickvals=[v for v, _ in self.ticks],
                ticktext=[f"<b>{s}</b>" for _, s in self.ticks],
                tickfont=dict(size=14),
                ticks="",
            ),
            shapes=self.shapes,
            annotations=self.annotations,
            dragmode="pan" if on_page else False,
            meta=dict(columns=self.n, column_px=self.col_px if on_page else None),
        )
        if not on_page:
            layout["width"] = int(LEFT_MARGIN + 24 + self.n * COL_PX)
        else:
            # fixed-width legend entries: as many per row as the screen holds (plotly otherwise lines
            # wrapped entries up in two wide columns)
            layout["legend"].update(entrywidthmode="pixels", entrywidth=165)
        fig = go.Figure(data=self.traces, layout=layout, _validate=False)
        return fig

    # -- painters shared by the map types ----------------------------------------------------------
    def headers(self, G: nx.DiGraph, cols: Sequence[Column]) -> None:
        """Phase row and stage row across the columns (a stage split in two runs gets two headers)."""
        stage_by_id = {s["id"]: s for s in model.stages(G)}
        phase_of = {s["id"]: s.get("phase") for s in model.stages(G)}
        phase_lane = self.lane("phase", "", 30, gap=2, tick=False)
        for phase, a, b in _runs([phase_of.get(c.stage) or "" for c in cols]):
            self.rect(
                a + 0.02,
                phase_lane.top,
                b - 0.02,
                phase_lane.bottom,
                fill=PHASE_COLOURS.get(phase, "#eeeeee"),
                line="rgba(0,0,0,0)",
                width=0,
            )
            text = label("phase", phase, self.lang) if phase else t("mapview.other_stage", self.lang)
            # a long phase repeats its name every four columns, so it stays in view while panning
            span = b - a
            spots = [(a + b) / 2]
            if self.on_page and span >= 6:
                spots = [a + 2 + 4 * k for k in range(int((span - 2) // 4) + 1)]
            for x in spots:
                self.text(
                    x,
                    phase_lane.mid,
                    self.fits(text.upper(), min(span, 4) - 0.04, size=13, bold=True, max_lines=1),
                    size=13,
                    color=PHASE_TEXT_COLOURS.get(phase, TEXT_DARK),
                    bold=True,
                )
        runs = _runs([c.stage for c in cols])
        texts = []
        for stage_id, a, b in runs:
            stage = stage_by_id.get(stage_id, {"id": stage_id, "name": stage_id})
            texts.append(
                self.fits(model.stage_label(stage, self.lang), min(b - a, 3) - 0.04, size=15, bold=True, max_lines=2)
            )
        h = 16 + LINE_PX * max([n_lines(s) for s in texts] + [1])
        stage_lane = self.lane("stage", "", h, gap=4, tick=False)
        self.stage_bounds: list[tuple[str, int, int]] = runs
        for (_stage_id, a, b), s in zip(runs, texts, strict=True):
            self.rect(
                a + 0.02,
                stage_lane.top,
                b - 0.02,
                stage_lane.bottom,
                fill="#f3f4f6",
                line="#9ca3af",
                width=1,
                name=f"stage:{a}",
            )
            # a wide stage keeps its name over its first columns (visible in a narrow window)
            self.text(a + min((b - a) / 2, 1.5), stage_lane.mid, s, size=15, bold=True)

    def stage_backdrop(self, top: float) -> None:
        """Alternate light bands per stage run and separators, from ``top`` to the current bottom
        (put under every other shape)."""
        bottom = self.y
        drawn, self.shapes = self.shapes, []
        for k, (_s, a, b) in enumerate(getattr(self, "stage_bounds", [])):
            if k % 2 == 1:
                self.rect(a, top, b, bottom, fill="#f8fafc", line="rgba(0,0,0,0)", width=0)
            if a > 0:
                self.vline(a, top - 4, bottom, color="#9ca3af", width=1, dash="dot")
        for lane in self.lanes:
            if lane.key not in ("phase", "stage"):
                self.hline(lane.bottom + 3, color=GRID_LINE)
        self.shapes.extend(drawn)

    def text_lane(
        self,
        lane: Lane,
        texts: Sequence[str],
        hovers: Sequence[str],
        *,
        name: str,
        fill: str | None = None,
        border: str | None = None,
        color: str = TEXT_DARK,
    ) -> None:
        """A lane of wrapped text cells, top-aligned, one per column (empty strings leave a cell blank)."""
        xs, ys, shown, hov = [], [], [], []
        for i, (s, h) in enumerate(zip(texts, hovers, strict=True)):
            if not s:
                continue
            if fill:
                self.rect(
                    i + 0.05,
                    lane.top + 2,
                    i + 0.95,
                    lane.bottom - 2,
                    fill=fill,
                    line=border or fill,
                    width=1,
                    name=f"cell:{lane.key}:{i}",
                )
            xs.append(i + 0.5)
            ys.append(lane.top + 8)
            shown.append(s)
            hov.append(h)
        self.traces.append(
            scatter(
                x=xs,
                y=ys,
                text=shown,
                mode="text",
                textposition="bottom center",
                name=name,
                showlegend=False,
                textfont=dict(size=FONT_PX, color=color, family=FONT),
                hovertext=hov,
                hovertemplate="%{hovertext}<extra></extra>",
                cliponaxis=True,
                meta=dict(lane=lane.key),
            )
        )

    def emotion_lane(
        self,
        lane: Lane,
        emotions: Sequence[float | None],
        evidence: Sequence[str],
        segments: Sequence[tuple[int, int]],
        hovers: Sequence[str],
        *,
        name: str,
        line_color: str = "#374151",
        dash: str = "solid",
        markers: bool = True,
        legend: bool = False,
        backdrop: bool = True,
    ) -> None:
        """The emotion curve: −2…+2 with a zero line; segments follow the journey's transitions (so a
        fork stays a fork); an unassessed emotion is a gap with a grey "?" — never drawn as 0."""
        half = lane.height / 2 - 22

        def ypos(e: float) -> float:
            return lane.mid - float(e) / schema.EMOTION_MAX * half

        if backdrop:
            self.rect(0, lane.top, self.n, lane.mid, fill="rgba(26,152,80,0.06)", line="rgba(0,0,0,0)", width=0)
            self.rect(0, lane.mid, self.n, lane.bottom, fill="rgba(215,48,39,0.06)", line="rgba(0,0,0,0)", width=0)
            self.hline(lane.mid, color="#6b7280", width=1.2, dash="dash", name="emotion_zero")
            for v, s in ((2, "+2"), (0, "0"), (-2, "−2")):
                self.text(0.01, ypos(v), s, size=11, color=TEXT_MUTED, anchor="left", xref="paper")
        lx, ly = [], []
        for i, j in segments:
            ei, ej = emotions[i], emotions[j]
            if ei is None or ej is None:
                continue
            lx += [i + 0.5, j + 0.5, None]
            ly += [ypos(ei), ypos(ej), None]
        self.traces.append(
            scatter(
                x=lx,
                y=ly,
                mode="lines",
                line=dict(color=line_color, width=3, dash=dash),
                name=name,
                showlegend=legend,
                hoverinfo="skip",
                meta=dict(lane=lane.key),
            )
        )
        if not markers:
            return
        idx = [i for i, e in enumerate(emotions) if e is not None]
        self.traces.append(
            scatter(
                x=[i + 0.5 for i in idx],
                y=[ypos(emotions[i]) for i in idx],
                mode="markers+text",
                text=[fmt_emotion(emotions[i], self.lang) for i in idx],
                textposition="top center",
                textfont=dict(size=12, color=TEXT_DARK),
                marker=dict(
                    size=17,
                    color=[emotion_colour(emotions[i]) for i in idx],
                    symbol=[EVIDENCE_STYLE.get(evidence[i], EVIDENCE_STYLE["assumed"])[0] for i in idx],
                    opacity=[EVIDENCE_STYLE.get(evidence[i], EVIDENCE_STYLE["assumed"])[1] for i in idx],
                    line=dict(width=2, color=[emotion_colour(emotions[i]) for i in idx]),
                ),
                name=name + " ·",
                showlegend=False,
                hovertext=[hovers[i] for i in idx],
                hovertemplate="%{hovertext}<extra></extra>",
                meta=dict(lane=lane.key, role="emotion_points"),
            )
        )
        gaps = [i for i, e in enumerate(emotions) if e is None and hovers[i]]
        if gaps:
            self.traces.append(
                scatter(
                    x=[i + 0.5 for i in gaps],
                    y=[lane.top + 14] * len(gaps),
                    mode="text",
                    text=["?"] * len(gaps),
                    textfont=dict(size=14, color="#9ca3af"),
                    name=t("emotion.unassessed", self.lang),
                    showlegend=False,
                    hovertext=[t("emotion.unassessed", self.lang)] * len(gaps),
                    hovertemplate="%{hovertext}<extra></extra>",
                    meta=dict(lane=lane.key, role="emotion_unassessed"),
                )
            )

    def users_lane(self, lane: Lane, users: Sequence[int | None], *, name: str) -> None:
        """Bars of users per touchpoint, labelled with the count and its share of the journey's start."""
        known = [u for u in users if u is not None]
        if not known:
            return
        top_users = max(known) or 1
        start = next((u for u in users if u is not None), None) or top_users
        xs, ys, base, texts = [], [], [], []
        for i, u in enumerate(users):
            if u is None:
                continue
            xs.append(i + 0.5)
            ys.append(-max(4.0, (lane.height - 34) * u / top_users))
            base.append(lane.bottom - 4)
            share = t("mapview.users_share", self.lang, pct=fmt_share(u / start, self.lang)) if start else ""
            texts.append(f"{fmt_int(u, self.lang)}<br>{share}")
        self.traces.append(
            bar(
                x=xs,
                y=ys,
                base=base,
                width=0.5,
                marker=dict(color="#60a5fa"),
                name=name,
                showlegend=False,
                hovertext=texts,
                hovertemplate="%{hovertext}<extra></extra>",
                meta=dict(lane=lane.key),
            )
        )
        self.traces.append(
            scatter(
                x=xs,
                y=[b + y - 2 for b, y in zip(base, ys, strict=True)],
                mode="text",
                text=texts,
                textposition="top center",
                textfont=dict(size=12),
                showlegend=False,
                hoverinfo="skip",
                name=name + " ·",
            )
        )

    def legend_marker(
        self,
        name: str,
        *,
        symbol: str = "circle",
        color: str = "#374151",
        size: int = 12,
        line_dash: str | None = None,
        mode: str = "markers",
        opacity: float = 1.0,
    ) -> None:
        """A legend-only entry (no data points)."""
        self.traces.append(
            scatter(
                x=[None],
                y=[None],
                mode=mode,
                name=name,
                showlegend=True,
                hoverinfo="skip",
                marker=dict(symbol=symbol, color=color, size=size, opacity=opacity, line=dict(width=2, color=color)),
                line=dict(color=color, width=3, dash=line_dash or "solid"),
            )
        )


def hover_card(
    d: dict[str, Any], G_stage_name: str, lang: str, extra: Iterable[str] = (), *, users: int | None = None
) -> str:
    """The hover text of a touchpoint: every field that is filled in, escaped and wrapped, and the
    people at it (``users``, see :func:`cjm.model.touchpoint_users`) when known."""
    rows = [f"<b>{wrap(d.get('name'), 50, 3)}</b>", f"{esc(t('field.stage', lang))}: {esc(G_stage_name)}"]
    for key in ("channel", "category", "status", "evidence"):
        if d.get(key):
            rows.append(f"{esc(t('field.' + key, lang))}: {esc(label(key, d[key], lang))}")
    if d.get("emotion") is not None:
        rows.append(f"{esc(t('field.emotion', lang))}: {fmt_emotion(d['emotion'], lang)}")
    else:
        rows.append(f"{esc(t('field.emotion', lang))}: {esc(t('emotion.unassessed', lang))}")
    if d.get("time_of_day"):
        rows.append(f"{esc(t('field.time_of_day', lang))}: {esc(d['time_of_day'])}")
    if d.get("conversion_point"):
        rows.append(f"★ {esc(t('field.conversion_point', lang))}")
    if users is not None:
        rows.append(f"{esc(t('field.users', lang))}: {fmt_int(users, lang)}")
    rows.extend(extra)
    return "<br>".join(rows)


def arc_points(x0: float, x1: float, y: float, height: float, n: int = 16) -> tuple[list[float], list[float]]:
    """Points of a half-ellipse from ``(x0, y)`` to ``(x1, y)`` bulging by ``height`` pixels (negative = up)."""
    xs, ys = [], []
    for k in range(n + 1):
        a = math.pi * k / n
        xs.append((x0 + x1) / 2 - (x1 - x0) / 2 * math.cos(a))
        ys.append(y + height * math.sin(a))
    return xs, ys
