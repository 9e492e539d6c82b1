"""Pure plotly figure builders for funnels: each takes a table and returns a new ``go.Figure``.

Texts default to English; pages pass translated ones through ``labels`` and the language of the
numbers and dates through ``lang``. Step and segment names are user text, escaped for plotly
(:func:`cjm.text.plot_escape`). Inputs are never mutated.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from cjm.charts.theme import date_axis
from cjm.text import fmt_date, fmt_int, fmt_share, plot_escape

__all__ = ["funnel_figure", "segments_figure", "time_to_convert_figure", "trend_figure", "DROP_COLOR", "STEP_COLOR"]

STEP_COLOR = "#4C78A8"
DROP_COLOR = "#E45756"
_PALETTE = ("#4C78A8", "#F58518", "#54A24B", "#B279A2", "#EECA3B", "#72B7B2", "#FF9DA6", "#9D755D")

_EN = {
    "users": "People",
    "step": "Step",
    "biggest_drop": "Biggest drop: {rate} lost before “{step}”",
    "overall": "Reached the step (% of step 1)",
    "minutes": "Minutes from the previous step",
    "hours": "Hours from the previous step",
    "days": "Days from the previous step",
    "seconds": "Seconds from the previous step",
    "count": "People",
    "week": "Week of entry",
    "conversion": "Converted (%)",
    "entered": "Entered",
}


def _label(labels: Mapping[str, str] | None, key: str) -> str:
    return (labels or {}).get(key, _EN[key])


def _step_names(table: pd.DataFrame) -> list[str]:
    return [f"{int(k)}. {plot_escape(s)}" for k, s in zip(table["step_number"], table["step"], strict=False)]


def funnel_figure(
    table: pd.DataFrame,
    *,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
    lang: str = "en",
) -> go.Figure:
    """A funnel: each row of ``table`` (from :func:`cjm.funnel.stats.funnel_table`) is one stage
    sized by ``users``, labelled with its people and its share of step 1 (in ``lang``); the stage
    after the biggest drop is red and named in an annotation."""
    steps = _step_names(table)
    colors = [DROP_COLOR if bool(b) else STEP_COLOR for b in table["biggest_drop"]]
    users = [int(u) for u in table["users"]]
    first = users[0] if users else 0
    counts = [fmt_int(u, lang) for u in users]
    shares = [fmt_share(u / first, lang) if first else "" for u in users]
    fig = go.Figure(
        go.Funnel(
            y=steps,
            x=users,
            text=[f"{c}<br>{p}" if p else c for c, p in zip(counts, shares, strict=True)],
            textinfo="text",
            marker={"color": colors},
            connector={"line": {"color": "#BBBBBB"}},
            customdata=counts,
            hovertemplate="%{y}<br>%{customdata} " + _label(labels, "users").lower() + "<extra></extra>",
        )
    )
    worst = table.loc[table["biggest_drop"].astype(bool)]
    if len(worst):
        row = worst.iloc[0]
        text = _label(labels, "biggest_drop").format(
            rate=fmt_share(float(row["drop_off_rate"]), lang),
            step=plot_escape(row["step"]),
            lost=fmt_int(row["drop_off"], lang),
        )
        fig.add_annotation(
            text=text,
            xref="paper",
            yref="paper",
            x=1,
            y=1.08,
            showarrow=False,
            font={"color": DROP_COLOR, "size": 14},
            xanchor="right",
        )
    fig.update_layout(title=title, margin={"l": 10, "r": 10, "t": 60, "b": 10}, height=80 + 70 * len(steps))
    return fig


def segments_figure(
    seg_table: pd.DataFrame,
    *,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
    max_segments: int = 8,
    lang: str = "en",
) -> go.Figure:
    """Segments side by side: each row of ``seg_table`` (from :func:`cjm.funnel.stats.segment_table`)
    is a bar, grouped by step, coloured by segment, its height the share of the segment's step-1
    people who reached the step. Only the ``max_segments`` largest segments are drawn."""
    fig = go.Figure()
    if len(seg_table):
        sizes = seg_table[seg_table["step_number"] == 1].set_index("segment")["users"]
        keep = list(sizes.sort_values(ascending=False, kind="stable").index[:max_segments])
        for i, seg in enumerate(keep):
            part = seg_table[seg_table["segment"] == seg]
            low = (part["overall_conversion"] - part["overall_conversion_low"]).astype(float) * 100
            high = (part["overall_conversion_high"] - part["overall_conversion"]).astype(float) * 100
            share = part["overall_conversion"].astype(float)
            fig.add_bar(
                name=f"{plot_escape(seg)} ({fmt_int(sizes[seg], lang)})",
                x=_step_names(part),
                y=(share * 100).round(1).tolist(),
                error_y={"type": "data", "symmetric": False, "array": high.tolist(), "arrayminus": low.tolist()},
                marker_color=_PALETTE[i % len(_PALETTE)],
                customdata=[fmt_share(v, lang, 1) for v in share],
                hovertemplate="%{x}<br>%{fullData.name}: %{customdata}<extra></extra>",
            )
    fig.update_layout(
        barmode="group",
        title=title,
        yaxis_title=_label(labels, "overall"),
        yaxis_range=[0, 105],
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend_title=None,
    )
    return fig


def time_to_convert_figure(
    times: pd.DataFrame,
    *,
    step_number: int | None = None,
    title: str | None = None,
    labels: Mapping[str, str] | None = None,
    lang: str = "en",
) -> go.Figure:
    """A histogram: each row of ``times`` (from :func:`cjm.funnel.engine.conversion_times`) is one
    person's move into a step; the x axis is the time since the previous step, in the unit that
    suits the median. ``step_number`` keeps one step; ``None`` overlays all of them."""
    part = times if step_number is None else times[times["step_number"] == step_number]
    secs = part["seconds"].astype(float).to_numpy()
    median = float(np.median(secs)) if len(secs) else 0.0
    unit, div = ("seconds", 1.0)
    if median >= 2 * 86400:
        unit, div = ("days", 86400.0)
    elif median >= 2 * 3600:
        unit, div = ("hours", 3600.0)
    elif median >= 120:
        unit, div = ("minutes", 60.0)
    fig = go.Figure()
    for i, (k, grp) in enumerate(part.groupby("step_number", sort=True)):
        fig.add_histogram(
            x=(grp["seconds"].astype(float) / div).tolist(),
            name=f"→ {int(k)}. {plot_escape(grp['step'].iloc[0])}",
            opacity=0.75,
            marker_color=_PALETTE[i % len(_PALETTE)],
            nbinsx=40,
        )
    fig.update_layout(
        barmode="overlay",
        title=title,
        xaxis_title=_label(labels, unit),
        yaxis_title=_label(labels, "count"),
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
    )
    return fig


def trend_figure(
    weekly: pd.DataFrame, *, title: str | None = None, labels: Mapping[str, str] | None = None, lang: str = "en"
) -> go.Figure:
    """Conversion over time: each row of ``weekly`` (from :func:`cjm.funnel.engine.conversion_by_week`)
    is a week of entry, drawn as a bar of people who entered and a line of the share who converted.
    Dates on the axis and in the hover read as ``lang`` writes them (``6 сен``)."""
    stamps = [pd.Timestamp(w) for w in weekly["week"]]
    weeks = [w.strftime("%Y-%m-%d") for w in stamps]
    days = [fmt_date(w, lang) for w in stamps]
    entered = [int(v) for v in weekly["entered"]]
    conversion = [float(v) for v in weekly["conversion"]]
    fig = go.Figure()
    fig.add_bar(
        x=weeks,
        y=entered,
        name=_label(labels, "entered"),
        marker_color="#C9D6E8",
        yaxis="y2",
        customdata=[[d, fmt_int(v, lang)] for d, v in zip(days, entered, strict=True)],
        hovertemplate="%{customdata[0]}<br>%{fullData.name}: %{customdata[1]}<extra></extra>",
    )
    fig.add_scatter(
        x=weeks,
        y=[round(v * 100, 2) for v in conversion],
        mode="lines+markers",
        name=_label(labels, "conversion"),
        line={"color": STEP_COLOR, "width": 3},
        customdata=[[d, fmt_share(v, lang, 1)] for d, v in zip(days, conversion, strict=True)],
        hovertemplate="%{customdata[0]}<br>%{fullData.name}: %{customdata[1]}<extra></extra>",
    )
    fig.update_layout(
        title=title,
        xaxis=date_axis(weeks, lang) if weeks else {},
        xaxis_title=_label(labels, "week"),
        yaxis={"title": _label(labels, "conversion"), "rangemode": "tozero", "side": "left"},
        yaxis2={
            "title": _label(labels, "entered"),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
        },
        margin={"l": 10, "r": 10, "t": 50, "b": 10},
        legend={"orientation": "h", "y": -0.2},
    )
    fig.data = (fig.data[0], fig.data[1])
    return fig
