"""Day in the life: the customer's whole day along the clock, the company's touchpoints among the
moments where it is absent, and the emotion curve across the day.

Moments are columns in clock order (``time_of_day``; moments without a time come last); the x axis
is labelled with each moment's time, and a clock strip above the map puts every moment at its true
time of day, joined to its column, so gaps and rushes in the day stay visible.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import plotly.graph_objects as go

from cjm import model
from cjm.charts.common import (
    Canvas,
    Column,
    column_edges,
    esc,
    hover_card,
    scatter,
    select_lanes,
)
from cjm.charts.grid import map_title, paint_text, paint_touchpoints
from cjm.charts.theme import TEXT_MUTED
from cjm.i18n import t

__all__ = ["DAY_LANES", "day_columns", "day_in_life_figure"]

#: Lanes of the day-in-the-life map, top to bottom.
DAY_LANES = ("clock", "touchpoint", "action", "thought", "emotion", "pain_point", "opportunity", "users")


def _minutes(value: str | None) -> int | None:
    if not value:
        return None
    try:
        h, m = str(value).split(":")
        return int(h) * 60 + int(m)
    except ValueError:
        return None


def day_columns(G: nx.DiGraph) -> list[Column]:
    """Columns of the day map: moments by time of day (journey order breaks ties; moments with no
    time come last, in journey order); company-absent moments carry the ``absent`` badge."""
    order = model.touchpoints_in_order(G)
    pos = {n: i for i, n in enumerate(order)}

    def key(n: str) -> tuple:
        m = _minutes(G.nodes[n].get("time_of_day"))
        return (m is None, m if m is not None else 0, pos[n])

    cols = []
    for n in sorted(order, key=key):
        d = dict(G.nodes[n])
        absent = d.get("company_present") is False
        cols.append(Column(stage=d.get("stage"), node=n, data=d, badge="absent" if absent else None))
    return cols


def _clock_lane(cv: Canvas, cols: list[Column]) -> None:
    """A strip with the real clock: every moment at its time, joined to its column below."""
    lane = cv.lane("clock", t("mapview.lane.clock", cv.lang), 74)
    times = [_minutes(c.data.get("time_of_day")) for c in cols]
    known = [m for m in times if m is not None]
    if not known:
        return
    start = (min(known) // 60) * 60
    end = max(start + 60, -(-max(known) // 60) * 60)
    if end - start < 6 * 60:
        end = min(24 * 60, start + 6 * 60)

    def xpos(m: float) -> float:
        return 0.3 + (cv.n - 0.6) * (m - start) / (end - start)

    y = lane.top + 24
    cv.shapes.append(
        dict(
            type="line",
            xref="x",
            yref="y",
            x0=xpos(start),
            x1=xpos(end),
            y0=y,
            y1=y,
            line=dict(color="#374151", width=3),
            layer="below",
            name="clock_axis",
        )
    )
    hours = (end - start) / 60
    step = 60 if hours <= 1.5 * cv.n else 120 if hours <= 3 * cv.n else 180  # about one label per column
    for m in range(-(-start // step) * step, end + 1, step):  # ticks on round hours
        cv.vline(xpos(m), y - 5, y + 5, color="#374151", width=2)
        cv.text(xpos(m), y - 8, f"{m // 60:02d}:00", size=12, color=TEXT_MUTED, valign="bottom")
    lx, ly = [], []
    dx, dy, colors, hov = [], [], [], []
    for i, (c, m) in enumerate(zip(cols, times, strict=True)):
        if m is None:
            continue
        lx += [xpos(m), i + 0.5, None]
        ly += [y, lane.bottom, None]
        dx.append(xpos(m))
        dy.append(y)
        colors.append("#9ca3af" if c.badge == "absent" else "#2563eb")
        hov.append(f"{esc(c.data.get('time_of_day'))} · {esc(c.data.get('name'))}")
    cv.traces.append(
        scatter(
            x=lx,
            y=ly,
            mode="lines",
            line=dict(color="#9ca3af", width=1, dash="dot"),
            hoverinfo="skip",
            showlegend=False,
            name="clock leaders",
        )
    )
    cv.traces.append(
        scatter(
            x=dx,
            y=dy,
            mode="markers",
            marker=dict(size=12, color=colors, line=dict(width=2, color="#ffffff")),
            hovertext=hov,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            name="clock",
            meta=dict(lane="clock", role="clock_moments"),
        )
    )


def day_in_life_figure(
    G: nx.DiGraph, *, lang: str = "en", lanes: Iterable[str] | None = None, column_px: int | None = None
) -> go.Figure:
    """The day-in-the-life map of ``G`` (lanes :data:`DAY_LANES`); the x axis is the time of day.

    Moments where the company is absent (``company_present`` False) are grey dashed boxes marked
    "company absent"; the emotion curve runs through the day in clock order. ``G`` is not modified.
    """
    chosen = select_lanes(DAY_LANES, lanes)
    cols = day_columns(G)
    cv = Canvas(len(cols), lang, column_px)
    cv.headers(G, cols)
    top = cv.y
    edges = column_edges(G, cols)
    stage_names = {s["id"]: model.stage_label(s, lang) for s in model.stages(G)}
    for key in chosen:
        if key == "clock":
            _clock_lane(cv, cols)
        elif key == "touchpoint":
            times = [f"<b>{esc(c.data.get('time_of_day') or t('mapview.no_time', lang))}</b>" for c in cols]
            paint_touchpoints(cv, G, cols, edges, lane_label=t("mapview.lane.moment", lang), body=times)
        elif key in ("action", "thought", "pain_point", "opportunity"):
            paint_text(cv, cols, key)
        elif key == "emotion":
            lane = cv.lane("emotion", t("mapview.lane.emotion", lang), 190)
            emotions = [c.data.get("emotion") for c in cols]
            evidence = [c.data.get("evidence") or "assumed" for c in cols]
            counts = model.users_by_touchpoint(G)
            hovers = [
                hover_card(c.data, stage_names.get(c.stage, c.stage), lang, users=counts.get(c.node)) for c in cols
            ]
            segs = [(i, i + 1) for i in range(len(cols) - 1)]
            cv.emotion_lane(lane, emotions, evidence, segs, hovers, name=t("mapview.lane.emotion", lang))
        elif key == "users":
            counts = model.users_by_touchpoint(G)
            users = [counts.get(c.node) for c in cols]
            if any(u is not None for u in users):
                cv.users_lane(
                    cv.lane("users", t("mapview.lane.users", lang), 110), users, name=t("mapview.lane.users", lang)
                )
    cv.stage_backdrop(top)
    if any(c.badge == "absent" for c in cols):
        cv.legend_marker(t("mapview.legend.absent", lang), symbol="square-open", color="#6b7280", size=14)
    title, subtitle = map_title(G, lang)
    ticks = [c.data.get("time_of_day") or t("mapview.no_time", lang) for c in cols]
    xaxis = dict(
        showticklabels=True,
        tickmode="array",
        tickvals=[i + 0.5 for i in range(len(cols))],
        ticktext=[esc(x) for x in ticks],
        tickfont=dict(size=14),
        side="bottom",
        title=dict(text=esc(t("mapview.axis.time_of_day", lang)), font=dict(size=14)),
    )
    fig = cv.figure(title, subtitle=subtitle, xaxis=xaxis)
    fig.update_layout(margin=dict(b=70), height=fig.layout.height + 50)
    return fig
