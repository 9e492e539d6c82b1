"""Future state read against its baseline: what changes, per touchpoint and per stage.

:func:`compare_maps` is the pure comparison (touchpoints added / removed / changed with the changed
fields, emotion per stage before and after, pain points resolved, end-to-end conversion of both);
:func:`future_state_figure` draws the future grid with change badges, the removed touchpoints as
ghosts, both emotion curves and the per-stage emotion change.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pandas as pd
import plotly.graph_objects as go

from cjm import model
from cjm.charts.common import (
    Canvas,
    Column,
    Lane,
    bar,
    column_edges,
    esc,
    grid_columns,
    scatter,
    select_lanes,
    wrap,
)
from cjm.charts.grid import CELL_COLS, GRID_LANES, emotion_segments, map_title, paint_grid_lanes
from cjm.charts.theme import FEELING_COLOURS, UNASSESSED
from cjm.i18n import t
from cjm.text import fmt_decimal, fmt_emotion, fmt_share, is_blank

__all__ = [
    "FUTURE_LANES",
    "COMPARED_FIELDS",
    "StageEmotion",
    "ResolvedPain",
    "MapComparison",
    "end_to_end_conversion",
    "compare_maps",
    "future_state_figure",
    "conversion_text",
    "conversion_metrics",
    "comparison_tables",
    "stage_rows",
]

#: Lanes of the future-state map: the grid plus the per-stage emotion change.
FUTURE_LANES = GRID_LANES[:4] + ("emotion_delta",) + GRID_LANES[4:]

#: Touchpoint fields whose change makes a touchpoint "changed" (audit and task fields do not).
COMPARED_FIELDS = (
    "name",
    "stage",
    "channel",
    "category",
    "action",
    "steps",
    "thought",
    "emotion",
    "pain_point",
    "opportunity",
    "conversion_point",
    "status",
    "evidence",
    "time_of_day",
    "company_present",
    "physical_evidence",
    "frontstage",
    "backstage",
    "support_processes",
    "key_touchpoint",
    "users",
)


@dataclass(frozen=True)
class StageEmotion:
    """Mean emotion of one stage in the baseline and the future map (``None`` = nothing assessed)."""

    stage: str
    baseline: float | None
    future: float | None

    @property
    def delta(self) -> float | None:
        if self.baseline is None or self.future is None:
            return None
        return round(self.future - self.baseline, 4)


@dataclass(frozen=True)
class ResolvedPain:
    """A baseline pain point that the future map no longer has; ``how`` is ``removed`` (the
    touchpoint is gone) or ``cleared`` (the touchpoint stays, its pain point is empty)."""

    baseline_id: str
    name: str
    pain_point: str
    how: str
    future_id: str | None


@dataclass(frozen=True)
class MapComparison:
    """What a future-state map changes against its baseline (see :func:`compare_maps`)."""

    matches: dict[str, str]
    added: list[str]
    removed: list[str]
    changed: dict[str, list[str]]
    stage_emotion: list[StageEmotion]
    resolved_pains: list[ResolvedPain]
    baseline_conversion: float | None
    future_conversion: float | None
    notes: list[str] = field(default_factory=list)

    @property
    def conversion_change(self) -> float | None:
        """Projected change of end-to-end conversion in percentage points (``None`` without counts)."""
        if self.baseline_conversion is None or self.future_conversion is None:
            return None
        return round(100 * (self.future_conversion - self.baseline_conversion), 2)


def end_to_end_conversion(G: nx.DiGraph) -> float | None:
    """Share of the users entering the journey who reach its final conversion points, or ``None``
    when the map carries no user counts: the executive overview's figure
    (:func:`cjm.overview.end_to_end_conversion`), so both pages always agree.

    >>> from cjm.model import new_map, add_touchpoint, add_transition
    >>> G = new_map("d")
    >>> a = add_touchpoint(G, "Ad", "awareness", users=1000)
    >>> b = add_touchpoint(G, "Order", "purchase", users=50, conversion_point=True)
    >>> add_transition(G, a, b)
    >>> end_to_end_conversion(G)
    0.05
    """
    from cjm.overview import end_to_end_conversion as overview_conversion

    return overview_conversion(G)


def _norm(name: object) -> str:
    return " ".join(str(name or "").lower().split())


def _match(future: nx.DiGraph, baseline: nx.DiGraph) -> dict[str, str]:
    """Future touchpoint id → baseline id: same id first, then the same name (case-insensitive)."""
    matches = {n: n for n in future.nodes if n in baseline}
    used = set(matches.values())
    by_name: dict[str, list[str]] = {}
    for n in model.touchpoints_in_order(baseline):
        if n not in used:
            by_name.setdefault(_norm(baseline.nodes[n].get("name")), []).append(n)
    for n in model.touchpoints_in_order(future):
        if n in matches:
            continue
        candidates = by_name.get(_norm(future.nodes[n].get("name")))
        if candidates:
            matches[n] = candidates.pop(0)
    return matches


def _same(a: object, b: object) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return abs(float(a) - float(b)) < 1e-9
    norm = lambda v: "" if v is None else (v.strip() if isinstance(v, str) else v)  # noqa: E731
    return norm(a) == norm(b)


def _mean(values: Iterable[float | None]) -> float | None:
    vals = [float(v) for v in values if v is not None]
    return round(sum(vals) / len(vals), 4) if vals else None


def compare_maps(future: nx.DiGraph, baseline: nx.DiGraph) -> MapComparison:
    """Compare a future-state map with its baseline. Neither graph is modified.

    Touchpoints are matched by id (a future map is usually a copy of its baseline), then by name.
    Returns the matches, added and removed touchpoint ids, the changed fields of each matched
    touchpoint (:data:`COMPARED_FIELDS`), the mean emotion of each stage in both maps, the pain
    points resolved and the end-to-end conversion of both (where user counts exist).

    >>> from cjm.model import new_map, add_touchpoint
    >>> B = new_map("now"); _ = add_touchpoint(B, "Pay", "purchase", id="p", pain_point="Slow", emotion=-1.0)
    >>> F = new_map("later", "future_state"); _ = add_touchpoint(F, "Pay", "purchase", id="p", emotion=1.0)
    >>> c = compare_maps(F, B)
    >>> c.changed, [r.how for r in c.resolved_pains], [s.delta for s in c.stage_emotion if s.stage == "purchase"]
    ({'p': ['emotion', 'pain_point']}, ['cleared'], [2.0])
    """
    matches = _match(future, baseline)
    matched_baseline = set(matches.values())
    added = [n for n in model.touchpoints_in_order(future) if n not in matches]
    removed = [n for n in model.touchpoints_in_order(baseline) if n not in matched_baseline]
    changed: dict[str, list[str]] = {}
    for f_id in model.touchpoints_in_order(future):
        b_id = matches.get(f_id)
        if b_id is None:
            continue
        fd, bd = future.nodes[f_id], baseline.nodes[b_id]
        diff = [k for k in COMPARED_FIELDS if not _same(fd.get(k), bd.get(k))]
        if diff:
            changed[f_id] = diff
    stage_ids = [s["id"] for s in model.stages(future)]
    stage_ids += [s["id"] for s in model.stages(baseline) if s["id"] not in stage_ids]
    f_by, b_by = model.touchpoints_by_stage(future), model.touchpoints_by_stage(baseline)
    stage_emotion = [
        StageEmotion(
            s,
            _mean(baseline.nodes[n].get("emotion") for n in b_by.get(s, [])),
            _mean(future.nodes[n].get("emotion") for n in f_by.get(s, [])),
        )
        for s in stage_ids
    ]
    reverse = {b: f for f, b in matches.items()}
    resolved = []
    for b_id in model.pain_points(baseline):
        bd = baseline.nodes[b_id]
        f_id = reverse.get(b_id)
        if f_id is None:
            how = "removed"
        elif is_blank(future.nodes[f_id].get("pain_point")):
            how = "cleared"
        else:
            continue
        resolved.append(ResolvedPain(b_id, str(bd.get("name") or ""), str(bd.get("pain_point")).strip(), how, f_id))
    return MapComparison(
        matches=matches,
        added=added,
        removed=removed,
        changed=changed,
        stage_emotion=stage_emotion,
        resolved_pains=resolved,
        baseline_conversion=end_to_end_conversion(baseline),
        future_conversion=end_to_end_conversion(future),
    )


def _pp(change: float | None, lang: str) -> str:
    """A change of conversion in percentage points ("+2.5 pp")."""
    return "—" if change is None else t("mapview.pp", lang, value=fmt_decimal(change, lang, 1, signed=True))


def conversion_text(cmp: MapComparison, lang: str) -> str:
    """ "End-to-end conversion: 4.0 % → 6.5 % (+2.5 pp)" (or "" when neither map has counts)."""
    if cmp.baseline_conversion is None and cmp.future_conversion is None:
        return ""
    change = cmp.conversion_change
    change_text = _pp(change, lang)
    return t(
        "mapview.conversion_both",
        lang,
        baseline=fmt_share(cmp.baseline_conversion, lang, 1),
        future=fmt_share(cmp.future_conversion, lang, 1),
        change=change_text,
    )


def _future_columns(future: nx.DiGraph, baseline: nx.DiGraph, cmp: MapComparison, lang: str) -> list[Column]:
    """The future grid's columns with change badges, plus ghost columns for removed touchpoints in
    their baseline stage."""
    ghosts: dict[str, list[str]] = {}
    for b_id in cmp.removed:
        ghosts.setdefault(baseline.nodes[b_id].get("stage"), []).append(b_id)
    cols: list[Column] = []
    stage_ids = [s["id"] for s in model.stages(future)]
    base_cols = grid_columns(future)
    for stage in stage_ids + [s for s in ghosts if s not in stage_ids]:
        stage_cols = [c for c in base_cols if c.stage == stage and c.node is not None]
        for c in stage_cols:
            if c.node in cmp.changed:
                fields = ", ".join(t(f"field.{f}", lang) for f in cmp.changed[c.node])
                detail = f"✎ {esc(t('mapview.changed_fields', lang))}: {wrap(fields, 50, 4)}"
                cols.append(Column(c.stage, c.node, c.data, badge="changed", detail=detail))
            elif c.node not in cmp.matches:
                cols.append(Column(c.stage, c.node, c.data, badge="added"))
            else:
                cols.append(c)
        for b_id in ghosts.get(stage, []):
            cols.append(Column(stage, b_id, dict(baseline.nodes[b_id]), ghost=True, badge="removed"))
        if not stage_cols and not ghosts.get(stage):
            cols.append(Column(stage=stage, node=None))
    cols += [c for c in base_cols if c.node is not None and c.stage not in stage_ids]
    return cols


def future_state_figure(
    future: nx.DiGraph,
    baseline: nx.DiGraph | None,
    *,
    lang: str = "en",
    lanes: Iterable[str] | None = None,
    column_px: int | None = None,
) -> go.Figure:
    """The future-state grid read against ``baseline`` (lanes :data:`FUTURE_LANES`).

    Added and changed touchpoints carry badges, removed ones stay as grey ghost columns, the emotion
    lane overlays the baseline curve (dashed grey) and the future one, the emotion-change lane has a
    bar per stage, resolved pain points are marked in the pain lane, and the subtitle gives the
    end-to-end conversion of both maps. Without a baseline the map is drawn as a plain grid.
    Neither graph is modified.
    """
    chosen = select_lanes(FUTURE_LANES, lanes)
    title, subtitle = map_title(future, lang)
    if baseline is None:
        cols = grid_columns(future)
        cmp = None
    else:
        cmp = compare_maps(future, baseline)
        cols = _future_columns(future, baseline, cmp, lang)
        bits = [t("mapview.vs_baseline", lang, title=esc(baseline.graph.get("title") or baseline.graph.get("id")))]
        conv = conversion_text(cmp, lang)
        if conv:
            bits.append(esc(conv))
        subtitle = " · ".join([s for s in (subtitle, *bits) if s])
    node_col = {c.node: i for i, c in enumerate(cols) if c.node is not None and not c.ghost}
    edges = column_edges(future, cols, node_col)
    cv = Canvas(len(cols), lang, column_px)
    cv.headers(future, cols)
    top = cv.y

    overlay = after = None
    pain_overrides: dict[int, tuple[str, str]] = {}
    if cmp is not None and baseline is not None:
        base_col = {
            cmp.matches[c.node]: i
            for i, c in enumerate(cols)
            if c.node is not None and not c.ghost and c.node in cmp.matches
        }
        base_col.update({c.node: i for i, c in enumerate(cols) if c.ghost})
        resolved_at = {}
        for r in cmp.resolved_pains:
            i = base_col.get(r.baseline_id)
            if i is not None:
                resolved_at[i] = r
        for i, r in resolved_at.items():
            how = t(f"mapview.resolved.{r.how}", lang)
            shown = (
                f"<b>{cv.fits('✓ ' + t('mapview.resolved', lang).upper(), CELL_COLS, bold=True, max_lines=1)}</b>"
                f"<br><i>{cv.fits(how, CELL_COLS, max_lines=1)}</i><br>"
                f"<span style='color:#6b7280'>{cv.fits(r.pain_point, CELL_COLS, max_lines=4)}</span>"
            )
            pain_overrides[i] = (shown, f"✓ {esc(t('mapview.resolved', lang))}: {wrap(r.pain_point, 60, 10)}")

        def overlay(cv: Canvas, lane: Lane) -> None:  # noqa: F811
            emotions: list[float | None] = [None] * len(cols)
            for b_id, i in base_col.items():
                emotions[i] = baseline.nodes[b_id].get("emotion")
            segs = emotion_segments(baseline, base_col, model.touchpoints_in_order(baseline))
            cv.emotion_lane(
                lane,
                emotions,
                ["assumed"] * len(cols),
                segs,
                [""] * len(cols),
                name=t("mapview.legend.baseline_emotion", lang),
                line_color="#9ca3af",
                dash="dash",
                markers=False,
                legend=True,
            )
            # the backdrop (zero line, scale) comes with the baseline curve; the future one goes on top

        def after(cv: Canvas) -> None:
            if "emotion_delta" in chosen:
                _delta_lane(cv, cmp)

    paint_grid_lanes(
        cv,
        future,
        cols,
        edges,
        [k for k in chosen if k != "emotion_delta"],
        emotion_overlay=overlay,
        pain_overrides=pain_overrides,
        after_emotion=after,
    )
    if "emotion_delta" in chosen and "emotion" not in chosen and cmp is not None:
        _delta_lane(cv, cmp)
    cv.stage_backdrop(top)
    if cmp is not None:
        cv.legend_marker(t("mapview.legend.added", lang), symbol="square-open", color="#16a34a", size=14)
        cv.legend_marker(t("mapview.legend.changed", lang), symbol="square-open", color="#2563eb", size=14)
        cv.legend_marker(t("mapview.legend.removed", lang), symbol="square-open", color="#9ca3af", size=14)
    fig = cv.figure(title, subtitle=subtitle)
    for tr in fig.data:
        if tr.name == t("mapview.lane.emotion", lang) and cmp is not None:
            tr.name = t("mapview.legend.future_emotion", lang)
    return fig


def _delta_lane(cv: Canvas, cmp: MapComparison) -> None:
    """One bar per stage run: future minus baseline mean emotion, green up / red down."""
    lang = cv.lang
    lane = cv.lane("emotion_delta", t("mapview.lane.emotion_delta", lang), 130)
    by_stage = {s.stage: s for s in cmp.stage_emotion}
    zero = lane.mid
    cv.hline(zero, color="#6b7280", width=1.2, dash="dash", name="delta_zero")
    scale = (lane.height / 2 - 22) / 2.0  # a change of 2 points fills half the lane
    xs, ys, base, colors, texts, hov, widths = [], [], [], [], [], [], []
    tx, ty, tt = [], [], []
    for stage, a, b in getattr(cv, "stage_bounds", []):
        s = by_stage.get(stage)
        d = s.delta if s else None
        mid = (a + b) / 2
        if d is None:
            tx.append(mid)
            ty.append(zero - 4)
            tt.append(f"<span style='color:#9ca3af'>{esc(t('mapview.delta_na', lang))}</span>")
            continue
        h = max(2.0, min(abs(d), 2.0) * scale)
        xs.append(mid)
        widths.append(min(1.2, 0.5 * (b - a)))
        ys.append(-h if d > 0 else h)
        base.append(zero)
        colors.append(FEELING_COLOURS["positive"] if d > 0 else FEELING_COLOURS["negative"] if d < 0 else UNASSESSED)
        texts.append(fmt_emotion(d, lang))
        hov.append(
            f"{esc(t('mapview.baseline_mean', lang))}: {fmt_emotion(s.baseline, lang)}<br>"
            f"{esc(t('mapview.future_mean', lang))}: {fmt_emotion(s.future, lang)}<br>"
            f"{esc(t('mapview.delta', lang))}: <b>{fmt_emotion(d, lang)}</b>"
        )
        tx.append(mid)
        ty.append(zero - h - 2 if d > 0 else zero + h + 16)
        tt.append(f"<b>{fmt_emotion(d, lang)}</b>")
    cv.traces.append(
        bar(
            x=xs,
            y=ys,
            base=base,
            width=widths,
            marker=dict(color=colors),
            hovertext=hov,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            name=t("mapview.lane.emotion_delta", lang),
            meta=dict(lane="emotion_delta"),
        )
    )
    cv.traces.append(
        scatter(
            x=tx,
            y=ty,
            mode="text",
            text=tt,
            textposition="top center",
            textfont=dict(size=14),
            showlegend=False,
            hoverinfo="skip",
            name=t("mapview.lane.emotion_delta", lang) + " ·",
            meta=dict(lane="emotion_delta"),
        )
    )


def stage_rows(cmp: MapComparison, future: nx.DiGraph, lang: str) -> list[dict[str, object]]:
    """Each row is a stage: ``stage`` (its label), ``baseline``, ``future``, ``delta`` mean emotions."""
    labels = {s["id"]: model.stage_label(s, lang) for s in model.stages(future)}
    return [
        {"stage": labels.get(s.stage, s.stage), "baseline": s.baseline, "future": s.future, "delta": s.delta}
        for s in cmp.stage_emotion
    ]


def conversion_metrics(cmp: MapComparison, lang: str) -> list[tuple[str, str]]:
    """``(label, value)`` for baseline conversion, future conversion and projected change (pp), or
    ``[]`` when neither map carries user counts."""
    if cmp.baseline_conversion is None and cmp.future_conversion is None:
        return []
    change = cmp.conversion_change
    return [
        (t("mapview.baseline_conversion", lang), fmt_share(cmp.baseline_conversion, lang, 1)),
        (t("mapview.future_conversion", lang), fmt_share(cmp.future_conversion, lang, 1)),
        (t("mapview.conversion_change", lang), _pp(change, lang)),
    ]


def _formatted_stage_rows(rows: Any, lang: str) -> pd.DataFrame:
    """Each row is a stage with its baseline, future and change of mean emotion written as the
    page's language writes emotions (``−1,7`` in Russian, never ``-1.6667``; blank: ``—``)."""
    frame = pd.DataFrame(rows, columns=["stage", "baseline", "future", "delta"])
    for c in ("baseline", "future", "delta"):
        frame[c] = [fmt_emotion(v, lang) for v in frame[c]]
    return frame


def comparison_tables(
    cmp: MapComparison, future: nx.DiGraph, baseline: nx.DiGraph, lang: str
) -> dict[str, pd.DataFrame]:
    """The comparison as display tables with translated column names, keyed ``resolved``, ``stages``,
    ``added``, ``removed``, ``changed``.

    Each row of ``resolved`` is a resolved pain point (touchpoint, pain point, how); of ``stages`` a stage
    (stage, baseline, future, change of mean emotion); of ``added`` / ``removed`` a touchpoint (its name);
    of ``changed`` a changed touchpoint (name, the changed fields).
    """
    tp, pain = t("mapview.lane.touchpoint", lang), t("mapview.lane.pain_point", lang)
    name = lambda G, n: str(G.nodes[n].get("name") or n)  # noqa: E731
    return {
        "resolved": pd.DataFrame(
            [
                {tp: r.name, pain: r.pain_point, t("mapview.resolved_how", lang): t(f"mapview.resolved.{r.how}", lang)}
                for r in cmp.resolved_pains
            ],
            columns=[tp, pain, t("mapview.resolved_how", lang)],
        ),
        "stages": _formatted_stage_rows(stage_rows(cmp, future, lang), lang).rename(
            columns={
                "stage": t("field.stage", lang),
                "baseline": t("mapview.baseline_mean", lang),
                "future": t("mapview.future_mean", lang),
                "delta": t("mapview.delta", lang),
            }
        ),
        "added": pd.DataFrame([{tp: name(future, n)} for n in cmp.added], columns=[tp]),
        "removed": pd.DataFrame([{tp: name(baseline, n)} for n in cmp.removed], columns=[tp]),
        "changed": pd.DataFrame(
            [
                {
                    tp: name(future, n),
                    t("mapview.changed_fields", lang): ", ".join(t(f"field.{f}", lang) for f in fields),
                }
                for n, fields in cmp.changed.items()
            ],
            columns=[tp, t("mapview.changed_fields", lang)],
        ),
    }
