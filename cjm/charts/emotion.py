"""The emotion curve figure: how the customer feels along the journey, for one map or several
overlaid, drawn from the tables of :mod:`cjm.emotion` in the colours of :mod:`cjm.charts.theme`.

See :mod:`cjm.emotion` for the shared x axis (stage bands), feelings and workshop votes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from cjm.charts.theme import FEELING_COLOURS, MAP_COLOURS, PHASE_COLOURS, PHASE_TEXT_COLOURS, emotion_colour, font
from cjm.emotion import (
    CURVE_COLUMNS,
    StageSpan,
    curve_table,
    lowest_moments,
    peak_end,
    stage_spans,
    unique_titles,
)
from cjm.i18n import label, t
from cjm.text import fmt_decimal, fmt_emotion, plot_escape, shorten

__all__ = ["emotion_curve_figure", "MIN_HEIGHT"]

# Not-assessed touchpoints sit on the neutral axis as grey crosses (a legend entry says what they
# are): below −2 they read as very negative. The line still has a gap there, so they never count as 0.
_UNASSESSED_Y = 0.0
_Y_RANGE = (-2.8, 3.75)
_CALLOUT_Y = 3.05  # callouts live in a lane above +2, where no touchpoint can be, so they hide none
_PLOT_PX = 720  # the plot's width next to the sidebar on a 1280 px screen, to size labels
#: The least height of the curve figure: below it the plot between the stage titles and the legend
#: shrinks to a sliver.
MIN_HEIGHT = 400


#: The ring and label of the peak-end moments (a colour no feeling or phase uses).
_PEAK_END_COLOUR = "#6a1b9a"


def _esc(value: Any, width: int | None = None, *, break_words: bool = True) -> str:
    """User text made safe for plotly's HTML subset: escaped, optionally wrapped with ``<br>``.

    >>> _esc("<b>Pay</b> & go")
    '&lt;b&gt;Pay&lt;/b&gt; &amp; go'
    """
    text = "" if value is None else str(value)
    if width:
        lines = textwrap.wrap(text, width=width, break_long_words=break_words) or [""]
        return "<br>".join(plot_escape(line) for line in lines)
    return plot_escape(text)


def _hover(row: dict[str, Any], G: nx.DiGraph, lang: str) -> str:
    lines = [f"<b>{_esc(row['name'], 50)}</b>", f"{_esc(t('field.stage', lang))}: {_esc(row['stage_name'])}"]
    if row["emotion"] is None:
        lines.append(f"{_esc(t('field.emotion', lang))}: {_esc(t('emotion.unassessed', lang))}")
    else:
        lines.append(
            f"{_esc(t('field.emotion', lang))}: {fmt_emotion(row['emotion'], lang)} ({_esc(t('emotion.' + row['feeling'], lang))})"
        )
    if row["votes"]:
        lines.append(
            _esc(
                t(
                    "curve.hover_votes",
                    lang,
                    n=row["votes"],
                    mean=fmt_emotion(row["vote_mean"], lang),
                    std=fmt_decimal(row["vote_std"], lang, 2),
                    low=fmt_emotion(row["vote_min"], lang),
                    high=fmt_emotion(row["vote_max"], lang),
                )
            )
        )
    for field in ("action", "thought", "pain_point", "opportunity"):
        if str(row[field]).strip():
            lines.append(f"{_esc(t('field.' + field, lang))}: {_esc(shorten(row[field], 300), 60)}")
    if row["evidence"]:
        lines.append(f"{_esc(t('field.evidence', lang))}: {_esc(label('evidence', row['evidence'], lang))}")
    if row["channel"]:
        lines.append(f"{_esc(t('field.channel', lang))}: {_esc(label('channel', row['channel'], lang))}")
    if row["conversion_point"]:
        lines.append(f"<b>{_esc(t('curve.conversion_point', lang))}</b>")
    if row["status"] != "existing":
        lines.append(f"{_esc(t('field.status', lang))}: {_esc(label('status', row['status'], lang))}")
    return "<br>".join(lines)


def _wrap_label(text: str, width: int) -> str:
    return _esc(shorten(text, width * 2), width)


def emotion_curve_figure(
    graphs: nx.DiGraph | Sequence[nx.DiGraph],
    *,
    lang: str = "en",
    lowest: int = 3,
    label_pain_points: bool = False,
    height: int = 760,
    title: str | None = None,
    compact: bool = False,
) -> go.Figure:
    """The emotion curve of one map, or of several maps overlaid on a shared stage axis.

    The first map is the focus: its lowest moments and pain points are annotated and its touchpoint
    names label the x axis; the other maps are drawn as further lines (future-state maps dashed) with
    the same feeling-coloured markers. Each touchpoint is a marker coloured by feeling; conversion
    points are stars; pain points get a red ring; workshop votes are diamonds with a min–max error bar;
    touchpoints not yet assessed leave a gap in the line and sit as grey crosses on the neutral axis
    (legend: not assessed).
    Stages are shaded bands (coloured by phase) with the stage name on top and the phase above it;
    a phase name wider than its stages is cut with an ellipsis (the full name on hover), never run
    into its neighbour. ``compact`` (the narrow live preview beside the editor's table) leaves out the
    callouts and the rotated touchpoint names (both in the hover) so the curve keeps its height; the
    figure is never shorter than :data:`MIN_HEIGHT`. The input graphs are not modified.
    """
    graphs = [graphs] if isinstance(graphs, nx.DiGraph) else list(graphs)
    height = max(int(height), MIN_HEIGHT)
    plot_px = _PLOT_PX / 2 if compact else _PLOT_PX
    if compact:
        lowest, label_pain_points = 0, False
    spans = stage_spans(graphs, lang)
    titles = unique_titles(graphs)
    fig = go.Figure()

    # Stage bands and labels.
    annotations: list[dict[str, Any]] = []
    shapes: list[dict[str, Any]] = []  # built as plain dicts: add_vrect/add_vline are slow per call
    total_units = (spans[-1].end - spans[0].start) if spans else 1.0
    for i, span in enumerate(spans):
        shapes.append(
            dict(
                type="rect",
                xref="x",
                yref="paper",
                x0=span.start,
                x1=span.end,
                y0=0,
                y1=1,
                fillcolor=PHASE_COLOURS.get(span.phase, "#f2f2f2"),
                opacity=0.6 if i % 2 == 0 else 0.4,
                layer="below",
                line_width=0,
            )
        )
        px = plot_px * (span.end - span.start) / total_units
        name = shorten(span.name, 40)
        longest = max((len(w) for w in name.split()), default=1)
        size = max(11, min(13, int(px / (0.66 * longest))))  # shrink a long word to fit its band
        wide = longest * 0.66 * size > px  # still too wide: stagger it above its neighbours
        annotations.append(
            dict(
                x=span.middle,
                y=1.0,
                xref="x",
                yref="paper",
                yanchor="bottom",
                yshift=16 if wide and i % 2 else 0,
                text=f"<b>{_esc(name, max(6, int(px / (0.62 * size))), break_words=False)}</b>",
                showarrow=False,
                font=dict(size=size, color="#222222"),
            )
        )
    # Phase labels over runs of consecutive stages in the same phase.
    runs: list[list[StageSpan]] = []
    for span in spans:
        if runs and runs[-1][-1].phase == span.phase:
            runs[-1].append(span)
        else:
            runs.append([span])
    for run in runs:
        x0, x1 = run[0].start, run[-1].end
        phase_name = label("phase", run[0].phase, lang).upper()
        fits = max(3, int(plot_px * (x1 - x0) / total_units / 10.5))  # bold capitals, ~10 px each at 14 pt
        annotations.append(
            dict(
                x=(x0 + x1) / 2,
                y=1.0,
                xref="x",
                yref="paper",
                yanchor="bottom",
                yshift=40,
                text=f"<b>{_esc(shorten(phase_name, fits))}</b>",
                hovertext=_esc(phase_name) if len(phase_name) > fits else None,
                showarrow=False,
                font=dict(size=14, color=PHASE_TEXT_COLOURS.get(run[0].phase, "#444444")),
            )
        )

    # Feeling legend (one entry each, markers carry the colour).
    for name in ("negative", "neutral", "positive"):
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker=dict(size=12, color=FEELING_COLOURS[name]),
                name=_esc(t("emotion." + name, lang)),
                legendgroup="feelings",
            )
        )

    tables = [curve_table(G, spans=spans, lang=lang) for G in graphs]
    distinct_types = len({G.graph.get("map_type") for G in graphs}) == len(graphs)
    dx_votes = 16 * total_units / _PLOT_PX  # vote diamonds sit ~16 px right of their touchpoint
    for k, (G, df, map_title) in enumerate(zip(graphs, tables, titles, strict=True)):
        if df.empty:
            continue
        colour = MAP_COLOURS[k % len(MAP_COLOURS)]
        focus = k == 0
        dashed = G.graph.get("map_type") == "future_state" and len(graphs) > 1
        ys = [None if e is None else float(e) for e in df["emotion"]]
        hover = [_hover(row, G, lang) for row in df.to_dict("records")]
        line_name = _esc(shorten(map_title, 30))
        if len(graphs) > 1:
            kind = _esc(label("map_type", G.graph.get("map_type"), lang))
            # distinct map types say enough (current vs future); the hover names the full map
            line_name = f"<b>{kind}</b>" if distinct_types else f"<b>{kind}</b>: {_esc(shorten(map_title, 24))}"
        fig.add_trace(
            go.Scatter(
                x=list(df["x"]),
                y=ys,
                mode="lines",
                connectgaps=False,
                line=dict(
                    color=colour,
                    width=4 if focus else 3,
                    dash="dash" if dashed else "solid",
                    shape="spline",
                    smoothing=0.6,
                ),
                name=line_name,
                hoverinfo="skip",
                legendgroup=f"map{k}",
                legendrank=k + 1,  # compared maps lead the legend
                showlegend=len(graphs) > 1,
            )
        )
        if focus:  # rings first, so the touchpoint markers sit on top of them
            pains = df[df["pain_point"].str.strip() != ""]
            pains_y = [(x, e) for x, e in zip(pains["x"], pains["emotion"], strict=True)]
            if pains_y:
                fig.add_trace(
                    go.Scatter(
                        x=[x for x, _ in pains_y],
                        y=[_UNASSESSED_Y if e is None else float(e) for _, e in pains_y],
                        mode="markers",
                        marker=dict(
                            size=26, symbol="circle-open", color=FEELING_COLOURS["negative"], line=dict(width=2.5)
                        ),
                        hoverinfo="skip",
                        name=_esc(t("curve.pain_legend", lang)),
                    )
                )
        assessed = df[df["emotion"].notna()]
        fig.add_trace(
            go.Scatter(
                x=list(assessed["x"]),
                y=[float(e) for e in assessed["emotion"]],
                mode="markers",
                marker=dict(
                    size=[26 if c else 15 for c in assessed["conversion_point"]],
                    symbol=["star" if c else "circle" for c in assessed["conversion_point"]],
                    color=[emotion_colour(e) for e in assessed["emotion"]],
                    line=dict(color=colour, width=2),
                ),
                hovertext=[h for h, e in zip(hover, df["emotion"], strict=True) if e is not None],
                hovertemplate="%{hovertext}<extra>" + _esc(shorten(map_title, 30)) + "</extra>",
                name=_esc(t("curve.touchpoints", lang)),
                legendgroup=f"map{k}",
                showlegend=False,
            )
        )
        unassessed = df[df["emotion"].isna()]
        if not unassessed.empty:
            fig.add_trace(
                go.Scatter(
                    x=list(unassessed["x"]),
                    y=[_UNASSESSED_Y] * len(unassessed),
                    mode="markers",
                    marker=dict(
                        size=12, symbol="x-thin-open", color=FEELING_COLOURS["unassessed"], line=dict(width=2.5)
                    ),
                    hovertext=[h for h, e in zip(hover, df["emotion"], strict=True) if e is None],
                    hovertemplate="%{hovertext}<extra>" + _esc(shorten(map_title, 30)) + "</extra>",
                    name=_esc(t("curve.unassessed_legend", lang)),
                    legendgroup="unassessed",
                    showlegend=focus,
                )
            )
        voted = df[df["votes"] > 0]
        if not voted.empty:
            means = [float(m) for m in voted["vote_mean"]]
            fig.add_trace(
                go.Scatter(
                    x=[x + dx_votes for x in voted["x"]],
                    y=means,
                    mode="markers+text",
                    marker=dict(size=11, symbol="diamond", color=colour, line=dict(color="white", width=1)),
                    error_y=dict(
                        type="data",
                        symmetric=False,
                        array=[float(h) - m for h, m in zip(voted["vote_max"], means, strict=True)],
                        arrayminus=[m - float(lo) for lo, m in zip(voted["vote_min"], means, strict=True)],
                        color=colour,
                        thickness=2,
                        width=6,
                    ),
                    text=[f"n={n}" for n in voted["votes"]],
                    textposition="middle right",
                    textfont=dict(size=11, color=colour),
                    hovertext=[h for h, v in zip(hover, df["votes"], strict=True) if v > 0],
                    hovertemplate="%{hovertext}<extra>" + _esc(t("curve.votes_legend", lang)) + "</extra>",
                    name=_esc(t("curve.votes_legend", lang)),
                    legendgroup="votes",
                    showlegend=focus or not any((tb["votes"] > 0).any() for tb in tables[:k]),
                )
            )
        if focus:
            peak, end = peak_end(G)
            marks = [(n, key) for n, key in ((peak, "curve.peak"), (end, "curve.end")) if n is not None]
            if marks:
                row_of = {r["id"]: r for r in df.to_dict("records")}
                xs = [row_of[n]["x"] for n, _ in marks]
                ys = [float(row_of[n]["emotion"]) for n, _ in marks]
                if peak == end:
                    labels = [t("curve.peak_and_end", lang)]
                    xs, ys = xs[:1], ys[:1]
                else:
                    labels = [t(key, lang) for _, key in marks]
                # Above a low point, below a high one; the end is the last moment, so its label reads
                # to the left of it and never runs off the plot.
                sides = ["left" if x >= (spans[-1].end - 3) else "center" for x in xs]
                places = [f"{'top' if -1.2 < y < 1.2 else 'bottom'} {side}" for y, side in zip(ys, sides, strict=True)]
                fig.add_trace(
                    go.Scatter(
                        x=xs,
                        y=ys,
                        mode="markers+text",
                        marker=dict(size=30, symbol="circle-open", color=_PEAK_END_COLOUR, line=dict(width=3)),
                        text=[f"<b>{_esc(label)}</b>" for label in labels],
                        textposition=places,
                        textfont=dict(size=13, color=_PEAK_END_COLOUR),
                        hoverinfo="skip",
                        name=_esc(t("curve.peak_end_legend", lang)),
                    )
                )
            conv = df[df["conversion_point"]]
            if not conv.empty:
                fig.add_trace(
                    go.Scatter(
                        x=[None],
                        y=[None],
                        mode="markers",
                        marker=dict(size=18, symbol="star", color="#ffffff", line=dict(color="#333333", width=2)),
                        name=_esc(t("curve.conversion_point", lang)),
                    )
                )
                for x in conv["x"]:
                    shapes.append(
                        dict(
                            type="line",
                            xref="x",
                            yref="paper",
                            x0=x,
                            x1=x,
                            y0=0,
                            y1=1,
                            line=dict(color="#555555", width=1.5, dash="dot"),
                            layer="below",
                        )
                    )
            annotations.extend(
                _moment_annotations(
                    G,
                    df,
                    lowest=lowest,
                    label_pain_points=label_pain_points,
                    lang=lang,
                    x_range=(spans[0].start, spans[-1].end),
                )
            )

    ticks = tables[0] if tables else pd.DataFrame(columns=CURVE_COLUMNS)
    show_names = 0 < len(ticks) <= 40 and not compact
    fig.update_layout(
        title=dict(text=_esc(title), x=0.01, font=dict(size=20)) if title else None,
        height=height,
        template="plotly_white",
        font=font(14),
        margin=dict(
            l=60 if compact else 90,
            r=20,
            t=(140 if title else 90 if compact else 105),
            b=(250 if show_names else 70 if compact else 90) + 22 * (len(graphs) > 1),
        ),
        annotations=annotations,
        shapes=shapes,
        hovermode="closest",
        hoverlabel=dict(font=dict(size=14, color="#1d1d1f"), bgcolor="rgba(255,255,255,0.97)", align="left"),
        legend=dict(
            orientation="h",
            traceorder="normal",
            yref="container",  # pinned to the figure's bottom edge, below the rotated names
            yanchor="bottom",
            y=0.0,
            x=0,
            font=dict(size=13),
        ),
        xaxis=dict(
            range=[spans[0].start if spans else 0, spans[-1].end if spans else 1],
            showgrid=False,
            zeroline=False,
            tickmode="array",
            tickvals=list(ticks["x"]) if show_names else [],
            ticktext=[_esc(shorten(n, 26)) for n in ticks["name"]] if show_names else [],
            tickangle=-55 if len(ticks) > 8 else 0,
            tickfont=dict(size=12, color="#333333"),
            fixedrange=True,
        ),
        yaxis=dict(
            range=list(_Y_RANGE),
            tickmode="array",
            tickvals=[-2, -1, 0, 1, 2],
            ticktext=["−2", "−1", "0", "+1", "+2"],
            title=dict(text=_esc(t("curve.axis_emotion", lang))),
            zeroline=True,
            zerolinecolor="#555555",
            zerolinewidth=2,
            gridcolor="rgba(0,0,0,0.08)",
            fixedrange=True,
        ),
    )
    return fig


def _lane_positions(xs: Sequence[float], x_range: tuple[float, float], box_px: float = 205) -> list[float]:
    """Centres for callout boxes in the top lane: each over its touchpoint where possible; boxes that
    would overlap (about ``box_px`` wide) form a row centred on their touchpoints; all stay inside.

    >>> _lane_positions([5.0, 5.2, 15.0], (0.0, 20.0), box_px=72)
    [4.1, 6.1, 15.0]
    >>> _lane_positions([19.5], (0.0, 20.0), box_px=72)
    [19.0]
    """
    lo, hi = x_range
    width = box_px * (hi - lo) / _PLOT_PX
    if xs and len(xs) * width > hi - lo:  # too many to fit side by side: share the width evenly
        width = (hi - lo) / len(xs)
    clusters: list[list] = []  # [left edge, member indices in x order]
    for i in sorted(range(len(xs)), key=lambda i: xs[i]):
        clusters.append([xs[i] - width / 2, [i]])
        while len(clusters) > 1 and clusters[-2][0] + len(clusters[-2][1]) * width > clusters[-1][0] + 1e-9:
            members = clusters[-2][1] + clusters[-1][1]
            centre = sum(xs[j] for j in members) / len(members)
            clusters[-2:] = [[centre - len(members) * width / 2, members]]
    cursor = lo
    for c in clusters:  # keep inside the left edge without overlapping
        c[0] = max(c[0], cursor)
        cursor = c[0] + len(c[1]) * width
    cursor = hi
    for c in reversed(clusters):  # and inside the right edge
        c[0] = min(c[0], cursor - len(c[1]) * width)
        cursor = c[0]
    out = [0.0] * len(xs)
    for left, members in clusters:
        for k, j in enumerate(members):
            out[j] = round(left + (k + 0.5) * width, 4)
    return out


def _moment_annotations(
    G: nx.DiGraph,
    df: pd.DataFrame,
    *,
    lowest: int,
    label_pain_points: bool,
    lang: str,
    x_range: tuple[float, float] = (0.0, 1.0),
) -> list[dict[str, Any]]:
    """Text callouts: the lowest moments (name + pain point), then other pain points (short)."""
    out: list[dict[str, Any]] = []
    row_of = {r["id"]: r for r in df.to_dict("records")}
    low_ids = [n for n in lowest_moments(G, lowest) if n in row_of] if lowest else []
    lanes = _lane_positions([row_of[n]["x"] for n in low_ids], x_range)
    for rank, node in enumerate(low_ids):
        row = row_of[node]
        head = t("curve.lowest", lang) if rank == 0 else t("curve.low", lang)
        text = f"<b>{_esc(head)}: {_esc(shorten(row['name'], 44), 24)}</b>"
        if row["pain_point"].strip():
            text += f"<br><i>{_esc(shorten(row['pain_point'], 50), 26)}</i>"
        out.append(
            dict(
                x=row["x"],
                y=float(row["emotion"]),
                xref="x",
                yref="y",
                text=text,
                showarrow=True,
                arrowhead=2,
                arrowwidth=1.5,
                arrowcolor=FEELING_COLOURS["negative"],
                axref="x",
                ayref="y",
                ax=lanes[rank],
                ay=_CALLOUT_Y,
                standoff=9,
                font=dict(size=12, color="#7a1a10"),
                bgcolor="rgba(255,255,255,0.95)",
                bordercolor=FEELING_COLOURS["negative"],
                borderwidth=1,
                borderpad=3,
                align="left",
            )
        )
    if label_pain_points:
        others = [r for r in df.to_dict("records") if r["pain_point"].strip() and r["id"] not in low_ids]
        for i, row in enumerate(others):
            e = row["emotion"]
            y = _UNASSESSED_Y if e is None else float(e)
            below = y > -1.2  # keep labels off the curve: under high points, over low ones
            out.append(
                dict(
                    x=row["x"],
                    y=y,
                    xref="x",
                    yref="y",
                    text=f"⚠ {_wrap_label(row['pain_point'], 18)}",
                    showarrow=True,
                    arrowhead=0,
                    arrowwidth=1,
                    arrowcolor="#b0b0b0",
                    ax=0,
                    ay=(48 + 34 * (i % 2)) if below else -(48 + 34 * (i % 2)),
                    font=dict(size=11, color="#8a2a1c"),
                    bgcolor="rgba(255,255,255,0.85)",
                    align="center",
                )
            )
    return out
