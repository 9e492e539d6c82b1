"""The emotion curve: how the customer feels along the journey, for one map or several overlaid.

Feelings use the canonical −2 … +2 scale with two thresholds (:data:`NEGATIVE_BELOW`,
:data:`POSITIVE_ABOVE`): an emotion below −0.5 is *negative*, above +0.5 *positive*, anything in
between (both ends included) *neutral*; ``None`` is *not assessed* and is drawn as a gap, never as 0.

The x axis is shared by every overlaid map so that different maps compare stage by stage: each stage
of the merged stage list (:func:`stage_spans`) is a band whose width is the largest number of
touchpoints any overlaid map has in it (at least 1), and a map's touchpoints are spread evenly inside
their stage's band, in journey order (:func:`cjm.model.touchpoints_in_order`). A quiet stage is
never narrower than 3/4 of the average number of touchpoints per stage, so its name stays readable.

Workshop votes: the curve point is the touchpoint's emotion (the vote mean once votes are folded in);
the votes themselves are drawn as a diamond at their mean with an error bar from the lowest to the
highest vote (the whole room's range), and the hover gives the mean, the population standard
deviation (``ddof=0``: the room is the whole population, not a sample) and the number of votes.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from cjm import model
from cjm.i18n import label, t
from cjm.text import fmt_decimal, fmt_emotion, html_escape

__all__ = [
    "NEGATIVE_BELOW",
    "POSITIVE_ABOVE",
    "FEELING_COLOURS",
    "PHASE_COLOURS",
    "MAP_COLOURS",
    "feeling",
    "VoteStats",
    "vote_stats",
    "StageSpan",
    "stage_spans",
    "curve_table",
    "lowest_moments",
    "stage_emotion_table",
    "emotion_curve_figure",
    "esc",
]

#: Emotions strictly below this are negative.
NEGATIVE_BELOW = -0.5
#: Emotions strictly above this are positive.
POSITIVE_ABOVE = 0.5

FEELING_COLOURS = {
    "negative": "#d7301f",
    "neutral": "#e6a100",
    "positive": "#1a9850",
    "unassessed": "#9e9e9e",
}
PHASE_COLOURS = {
    "before_purchase": "#e8f1fb",
    "purchase": "#e6f5ea",
    "after_purchase": "#fbf0e2",
}
PHASE_TEXT_COLOURS = {
    "before_purchase": "#2b5d9b",
    "purchase": "#2e7d43",
    "after_purchase": "#a35f12",
}
#: Line colours of overlaid maps, in order (the first is the focus map).
MAP_COLOURS = ("#1f3b73", "#8e3fb0", "#0f8b8d", "#b5542c", "#5f6b2d", "#c2185b")

_UNASSESSED_Y = -2.55  # the rug of not-assessed touchpoints sits below the scale, never on it
_Y_RANGE = (-2.8, 3.75)
_CALLOUT_Y = 3.05  # callouts live in a lane above +2, where no touchpoint can be, so they hide none
_PLOT_PX = 720  # the plot's width next to the sidebar on a 1280 px screen, to size labels


def esc(value: Any, width: int | None = None, *, break_words: bool = True) -> str:
    """User text made safe for plotly's HTML subset: escaped, optionally wrapped with ``<br>``.

    >>> esc("<b>Pay</b> & go")
    '&lt;b&gt;Pay&lt;/b&gt; &amp; go'
    """
    text = "" if value is None else str(value)
    if width:
        lines = textwrap.wrap(text, width=width, break_long_words=break_words) or [""]
        return "<br>".join(html_escape(line) for line in lines)
    return html_escape(text)


def _short(value: Any, limit: int) -> str:
    text = " ".join(str(value or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def feeling(emotion: float | None) -> str:
    """``negative`` (< −0.5), ``neutral`` (−0.5 … 0.5), ``positive`` (> 0.5) or ``unassessed``.

    >>> [feeling(x) for x in (-2, -0.5, 0.5, 0.51, None)]
    ['negative', 'neutral', 'neutral', 'positive', 'unassessed']
    """
    if emotion is None or (isinstance(emotion, float) and math.isnan(emotion)):
        return "unassessed"
    if emotion < NEGATIVE_BELOW:
        return "negative"
    if emotion > POSITIVE_ABOVE:
        return "positive"
    return "neutral"


@dataclass(frozen=True)
class VoteStats:
    """Workshop votes on one touchpoint: count, mean, population std, lowest and highest."""

    n: int
    mean: float | None
    std: float | None
    low: float | None
    high: float | None


def vote_stats(votes: Iterable[dict[str, Any]] | None) -> VoteStats:
    """Summarise votes (``[{participant, score, time}]``); votes without a score are ignored.

    >>> vote_stats([{"score": -2}, {"score": 0}, {"score": 1}])
    VoteStats(n=3, mean=-0.3333, std=1.2472, low=-2.0, high=1.0)
    >>> vote_stats([])
    VoteStats(n=0, mean=None, std=None, low=None, high=None)
    """
    scores = [float(v["score"]) for v in (votes or []) if isinstance(v, dict) and v.get("score") is not None]
    if not scores:
        return VoteStats(0, None, None, None, None)
    n = len(scores)
    mean = sum(scores) / n
    std = math.sqrt(sum((s - mean) ** 2 for s in scores) / n)
    return VoteStats(n, round(mean, 4), round(std, 4), min(scores), max(scores))


@dataclass(frozen=True)
class StageSpan:
    """One stage on the shared x axis: ``start`` … ``end`` in axis units."""

    id: str
    name: str
    phase: str
    start: float
    end: float

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


def _merged_stages(graphs: Sequence[nx.DiGraph]) -> list[dict[str, str]]:
    """The first map's stages; another map's extra stage goes right after its predecessor in that map,
    else right before its successor, else at the end (so unrelated stage lists follow each other)."""
    merged: list[dict[str, str]] = []
    for G in graphs:
        own = model.stages(G)
        for j, stage in enumerate(own):
            ids = [s["id"] for s in merged]
            if stage["id"] in ids:
                continue
            before = [s["id"] for s in own[:j] if s["id"] in ids]
            after = [s["id"] for s in own[j + 1 :] if s["id"] in ids]
            if before:
                at = ids.index(before[-1]) + 1
            elif after:
                at = ids.index(after[0])
            else:
                at = len(merged)
            merged.insert(at, dict(stage))
    return merged


def stage_spans(graphs: nx.DiGraph | Sequence[nx.DiGraph], lang: str = "en") -> list[StageSpan]:
    """The merged stages of ``graphs`` as bands on one x axis (see the module docstring).

    A stage is as wide as the largest number of touchpoints any map has in it, but never narrower
    than 3/4 of the average per stage (at least 1), so a quiet stage keeps room for its name.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("a", stages_template="phases")
    >>> _ = add_touchpoint(G, "x", "purchase"); _ = add_touchpoint(G, "y", "purchase")
    >>> [(s.id, s.start, s.end) for s in stage_spans(G)]
    [('before_purchase', 0.0, 1.0), ('purchase', 1.0, 3.0), ('after_purchase', 3.0, 4.0)]
    >>> _ = [add_touchpoint(G, str(i), "after_purchase") for i in range(10)]
    >>> [(s.id, s.start, s.end) for s in stage_spans(G)]
    [('before_purchase', 0.0, 3.0), ('purchase', 3.0, 6.0), ('after_purchase', 6.0, 16.0)]
    """
    graphs = [graphs] if isinstance(graphs, nx.DiGraph) else list(graphs)
    spans: list[StageSpan] = []
    start = 0.0
    by_stage = [model.touchpoints_by_stage(G) for G in graphs]
    merged = _merged_stages(graphs)
    counts = [max([0] + [len(b.get(stage["id"], [])) for b in by_stage]) for stage in merged]
    # A quiet stage still gets room for its name: at least 3/4 of the average touchpoints per stage.
    floor = max(1.0, round(0.75 * sum(counts) / len(merged), 1)) if merged else 1.0
    for stage, count in zip(merged, counts, strict=True):
        width = max(floor, float(count))
        spans.append(StageSpan(stage["id"], model.stage_label(stage, lang), stage["phase"], start, start + width))
        start += width
    return spans


def _positions(G: nx.DiGraph, spans: Sequence[StageSpan]) -> dict[str, float]:
    span_of = {s.id: s for s in spans}
    end = spans[-1].end if spans else 0.0
    pos: dict[str, float] = {}
    for stage_id, nodes in model.touchpoints_by_stage(G).items():
        span = span_of.get(stage_id)
        if span is None:  # a touchpoint on an unknown stage (never after validation): park it at the end
            span = StageSpan(stage_id, stage_id, "", end, end + 1)
            end += 1
        width = span.end - span.start
        for i, node in enumerate(nodes):
            pos[node] = span.start + (i + 0.5) * width / len(nodes)
    return pos


_CURVE_COLUMNS = [
    "id",
    "name",
    "stage",
    "stage_name",
    "phase",
    "x",
    "emotion",
    "feeling",
    "votes",
    "vote_mean",
    "vote_std",
    "vote_min",
    "vote_max",
    "action",
    "thought",
    "pain_point",
    "opportunity",
    "evidence",
    "status",
    "channel",
    "conversion_point",
]


def curve_table(G: nx.DiGraph, *, spans: Sequence[StageSpan] | None = None, lang: str = "en") -> pd.DataFrame:
    """Each row is a touchpoint of ``G`` in journey order, placed on the curve.

    Columns: ``id``, ``name``, ``stage``, ``stage_name``, ``phase``, ``x`` (position on the shared
    axis), ``emotion`` (``None`` when not assessed), ``feeling``, ``votes`` (count), ``vote_mean``,
    ``vote_std``, ``vote_min``, ``vote_max``, ``action``, ``thought``, ``pain_point``, ``opportunity``,
    ``evidence``, ``status``, ``channel``, ``conversion_point``. Retired touchpoints are left out.
    """
    spans = list(spans) if spans is not None else stage_spans(G, lang)
    pos = _positions(G, spans)
    names = {s.id: s.name for s in spans}
    phase_of = {s["id"]: s["phase"] for s in model.stages(G)}
    rows = []
    for node in model.touchpoints_in_order(G):
        d = G.nodes[node]
        if d.get("status") == "retired":
            continue
        votes = vote_stats(d.get("votes"))
        emotion = d.get("emotion")
        rows.append(
            {
                "id": node,
                "name": d.get("name") or node,
                "stage": d.get("stage"),
                "stage_name": names.get(d.get("stage"), d.get("stage")),
                "phase": phase_of.get(d.get("stage")),
                "x": pos[node],
                "emotion": None if emotion is None else float(emotion),
                "feeling": feeling(emotion),
                "votes": votes.n,
                "vote_mean": votes.mean,
                "vote_std": votes.std,
                "vote_min": votes.low,
                "vote_max": votes.high,
                "action": d.get("action") or "",
                "thought": d.get("thought") or "",
                "pain_point": d.get("pain_point") or "",
                "opportunity": d.get("opportunity") or "",
                "evidence": d.get("evidence") or "",
                "status": d.get("status") or "existing",
                "channel": d.get("channel") or "",
                "conversion_point": bool(d.get("conversion_point")),
            }
        )
    df = pd.DataFrame(rows, columns=_CURVE_COLUMNS)
    # keep "not assessed" as None (not NaN) so it can never be mistaken for a number downstream
    df["emotion"] = pd.Series([r["emotion"] for r in rows], index=df.index, dtype=object)
    return df


def lowest_moments(G: nx.DiGraph, k: int = 3) -> list[str]:
    """Up to ``k`` lowest-emotion touchpoints (negative ones; or the single lowest when none is
    negative), lowest first, ties in journey order. Retired and unassessed touchpoints are skipped.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("a")
    >>> a = add_touchpoint(G, "a", "awareness", emotion=1.0)
    >>> b = add_touchpoint(G, "b", "purchase", emotion=-2.0)
    >>> c = add_touchpoint(G, "c", "loyalty", emotion=-1.0)
    >>> lowest_moments(G)
    ['tp-2', 'tp-3']
    """
    order = model.touchpoints_in_order(G)
    assessed = [
        (G.nodes[n]["emotion"], i, n)
        for i, n in enumerate(order)
        if G.nodes[n].get("emotion") is not None and G.nodes[n].get("status") != "retired"
    ]
    if not assessed:
        return []
    assessed.sort()
    negative = [n for e, _, n in assessed if e < NEGATIVE_BELOW]
    return negative[:k] if negative else [assessed[0][2]]


def stage_emotion_table(graphs: nx.DiGraph | Sequence[nx.DiGraph], lang: str = "en") -> pd.DataFrame:
    """Each row is a stage of the merged stage list; columns ``stage``, ``stage_name``, ``phase``,
    then one column per map (its title) holding the mean assessed emotion in that stage (``None``
    when it has no assessed touchpoint there), and ``change`` (last map minus first) when two or more
    maps are compared.
    """
    graphs = [graphs] if isinstance(graphs, nx.DiGraph) else list(graphs)
    spans = stage_spans(graphs, lang)
    titles = _unique_titles(graphs)
    rows = []
    for span in spans:
        row: dict[str, Any] = {"stage": span.id, "stage_name": span.name, "phase": span.phase}
        for title, G in zip(titles, graphs, strict=True):
            values = [
                float(G.nodes[n]["emotion"])
                for n in model.touchpoints_by_stage(G).get(span.id, [])
                if G.nodes[n].get("emotion") is not None and G.nodes[n].get("status") != "retired"
            ]
            row[title] = round(sum(values) / len(values), 2) if values else None
        if len(graphs) > 1:
            first, last = row[titles[0]], row[titles[-1]]
            row["change"] = None if first is None or last is None else round(last - first, 2)
        rows.append(row)
    cols = ["stage", "stage_name", "phase", *titles] + (["change"] if len(graphs) > 1 else [])
    return pd.DataFrame(rows, columns=cols)


def _unique_titles(graphs: Sequence[nx.DiGraph]) -> list[str]:
    titles: list[str] = []
    for G in graphs:
        title = str(G.graph.get("title") or G.graph.get("id") or "map")
        base, n = title, 2
        while title in titles:
            title = f"{base} ({n})"
            n += 1
        titles.append(title)
    return titles


def _hover(row: dict[str, Any], G: nx.DiGraph, lang: str) -> str:
    lines = [f"<b>{esc(row['name'], 50)}</b>", f"{esc(t('field.stage', lang))}: {esc(row['stage_name'])}"]
    if row["emotion"] is None:
        lines.append(f"{esc(t('field.emotion', lang))}: {esc(t('emotion.unassessed', lang))}")
    else:
        lines.append(
            f"{esc(t('field.emotion', lang))}: {fmt_emotion(row['emotion'], lang)} ({esc(t('emotion.' + row['feeling'], lang))})"
        )
    if row["votes"]:
        lines.append(
            esc(
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
            lines.append(f"{esc(t('field.' + field, lang))}: {esc(_short(row[field], 300), 60)}")
    if row["evidence"]:
        lines.append(f"{esc(t('field.evidence', lang))}: {esc(label('evidence', row['evidence'], lang))}")
    if row["channel"]:
        lines.append(f"{esc(t('field.channel', lang))}: {esc(label('channel', row['channel'], lang))}")
    if row["conversion_point"]:
        lines.append(f"<b>{esc(t('curve.conversion_point', lang))}</b>")
    if row["status"] != "existing":
        lines.append(f"{esc(t('field.status', lang))}: {esc(label('status', row['status'], lang))}")
    return "<br>".join(lines)


def _wrap_label(text: str, width: int) -> str:
    return esc(_short(text, width * 2), width)


def emotion_curve_figure(
    graphs: nx.DiGraph | Sequence[nx.DiGraph],
    *,
    lang: str = "en",
    lowest: int = 3,
    label_pain_points: bool = False,
    height: int = 760,
    title: str | None = None,
) -> go.Figure:
    """The emotion curve of one map, or of several maps overlaid on a shared stage axis.

    The first map is the focus: its lowest moments and pain points are annotated and its touchpoint
    names label the x axis; the other maps are drawn as further lines (future-state maps dashed) with
    the same feeling-coloured markers. Each touchpoint is a marker coloured by feeling; conversion
    points are stars; pain points get a red ring; workshop votes are diamonds with a min–max error bar;
    touchpoints not yet assessed leave a gap in the line and sit as grey rings below the scale.
    Stages are shaded bands (coloured by phase) with the stage name on top and the phase above it.
    The input graphs are not modified.
    """
    graphs = [graphs] if isinstance(graphs, nx.DiGraph) else list(graphs)
    spans = stage_spans(graphs, lang)
    titles = _unique_titles(graphs)
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
                opacity=1.0 if i % 2 == 0 else 0.65,
                layer="below",
                line_width=0,
            )
        )
        px = _PLOT_PX * (span.end - span.start) / total_units
        name = _short(span.name, 40)
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
                text=f"<b>{esc(name, max(6, int(px / (0.62 * size))), break_words=False)}</b>",
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
        annotations.append(
            dict(
                x=(x0 + x1) / 2,
                y=1.0,
                xref="x",
                yref="paper",
                yanchor="bottom",
                yshift=40,
                text=f"<b>{esc(label('phase', run[0].phase, lang)).upper()}</b>",
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
                name=esc(t("emotion." + name, lang)),
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
        line_name = esc(_short(map_title, 30))
        if len(graphs) > 1:
            kind = esc(label("map_type", G.graph.get("map_type"), lang))
            # distinct map types say enough (current vs future); the hover names the full map
            line_name = f"<b>{kind}</b>" if distinct_types else f"<b>{kind}</b>: {esc(_short(map_title, 24))}"
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
                        name=esc(t("curve.pain_legend", lang)),
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
                    color=[FEELING_COLOURS[f] for f in assessed["feeling"]],
                    line=dict(color=colour, width=2),
                ),
                hovertext=[h for h, e in zip(hover, df["emotion"], strict=True) if e is not None],
                hovertemplate="%{hovertext}<extra>" + esc(_short(map_title, 30)) + "</extra>",
                name=esc(t("curve.touchpoints", lang)),
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
                    marker=dict(size=13, symbol="circle-open", color=FEELING_COLOURS["unassessed"], line=dict(width=2)),
                    hovertext=[h for h, e in zip(hover, df["emotion"], strict=True) if e is None],
                    hovertemplate="%{hovertext}<extra>" + esc(_short(map_title, 30)) + "</extra>",
                    name=esc(t("curve.unassessed_legend", lang)),
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
                    hovertemplate="%{hovertext}<extra>" + esc(t("curve.votes_legend", lang)) + "</extra>",
                    name=esc(t("curve.votes_legend", lang)),
                    legendgroup="votes",
                    showlegend=focus or not any((tb["votes"] > 0).any() for tb in tables[:k]),
                )
            )
        if focus:
            conv = df[df["conversion_point"]]
            if not conv.empty:
                fig.add_trace(
                    go.Scatter(
                        x=[None],
                        y=[None],
                        mode="markers",
                        marker=dict(size=18, symbol="star", color="#ffffff", line=dict(color="#333333", width=2)),
                        name=esc(t("curve.conversion_point", lang)),
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

    ticks = tables[0] if tables else pd.DataFrame(columns=_CURVE_COLUMNS)
    show_names = 0 < len(ticks) <= 40
    fig.update_layout(
        title=dict(text=esc(title), x=0.01, font=dict(size=20)) if title else None,
        height=height,
        template="plotly_white",
        font=dict(size=14, family="Arial, 'Helvetica Neue', sans-serif"),
        margin=dict(l=90, r=20, t=(140 if title else 105), b=(250 if show_names else 90) + 22 * (len(graphs) > 1)),
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
            ticktext=[esc(_short(n, 26)) for n in ticks["name"]] if show_names else [],
            tickangle=-55 if len(ticks) > 8 else 0,
            tickfont=dict(size=12, color="#333333"),
            fixedrange=True,
        ),
        yaxis=dict(
            range=list(_Y_RANGE),
            tickmode="array",
            tickvals=[-2, -1, 0, 1, 2],
            ticktext=["−2", "−1", "0", "+1", "+2"],
            title=dict(text=esc(t("curve.axis_emotion", lang))),
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
        text = f"<b>{esc(head)}: {esc(_short(row['name'], 44), 24)}</b>"
        if row["pain_point"].strip():
            text += f"<br><i>{esc(_short(row['pain_point'], 50), 26)}</i>"
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
