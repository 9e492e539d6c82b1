"""Charts of the touchpoint audit: the priority matrix (importance against score) and the coverage
heatmaps that show where the journey has no touchpoint of a kind.

Builders are pure: they take tables from :mod:`cjm.audit` and return a ``plotly`` figure.
"""

from __future__ import annotations

import textwrap

import pandas as pd
import plotly.graph_objects as go

from cjm import audit
from cjm.charts.theme import font
from cjm.i18n import label, t
from cjm.text import plot_escape, shorten

__all__ = ["QUADRANT_COLORS", "priority_matrix_figure", "coverage_heatmap_figure"]

#: Background (light) and point (dark) colour of each quadrant.
QUADRANT_COLORS: dict[str, tuple[str, str]] = {
    "fix_first": ("rgba(220, 53, 69, 0.13)", "#c62828"),
    "keep_up": ("rgba(40, 167, 69, 0.13)", "#2e7d32"),
    "improve_later": ("rgba(255, 193, 7, 0.16)", "#b26a00"),
    "dont_overinvest": ("rgba(108, 117, 125, 0.13)", "#546e7a"),
}

_FONT = font(15)
_PER_CELL = 4  # labelled points per matrix cell; the rest are summed up as "+N"
_STEP = 0.23  # vertical distance between stacked points of one cell (axis units)


def priority_matrix_figure(
    table: pd.DataFrame,
    *,
    lang: str = "en",
    importance_high: int = audit.IMPORTANCE_HIGH,
    score_good: int = audit.SCORE_GOOD,
    show_map: bool = False,
    height: int = 680,
) -> go.Figure:
    """The priority matrix: each row of ``table`` (from :func:`cjm.audit.priority_table`) is a
    point at (score, importance), labelled with the touchpoint's name and coloured by quadrant.

    Quadrants are shaded and labelled in their corners (fix first top left, keep up top right,
    improve later bottom left, don't over-invest bottom right), split at the thresholds. Points
    sharing a cell are stacked so that none hides another; beyond six per cell the rest are counted.
    """
    x_cut, y_cut = score_good - 0.5, importance_high - 0.5
    regions = {
        "fix_first": (0.5, x_cut, y_cut, 5.5),
        "keep_up": (x_cut, 5.5, y_cut, 5.5),
        "improve_later": (0.5, x_cut, 0.5, y_cut),
        "dont_overinvest": (x_cut, 5.5, 0.5, y_cut),
    }
    # Shapes and annotations are collected and set once: plotly validates each add_* call.
    shapes: list[dict] = []
    notes: list[dict] = []
    for q, (x0, x1, y0, y1) in regions.items():
        shapes.append(dict(type="rect", x0=x0, x1=x1, y0=y0, y1=y1, fillcolor=QUADRANT_COLORS[q][0], line_width=0,
                           layer="below"))  # fmt: skip
        left = q in ("fix_first", "improve_later")
        top = q in ("fix_first", "keep_up")
        notes.append(
            dict(
                x=x0 + 0.06 if left else x1 - 0.06,
                y=y1 - 0.06 if top else y0 + 0.06,
                text=f"<b>{t(f'audit.quadrant.{q}', lang).upper()}</b>",
                showarrow=False,
                xanchor="left" if left else "right",
                yanchor="top" if top else "bottom",
                font=dict(size=17, color=QUADRANT_COLORS[q][1]),
            )
        )
    # Faint cell borders: a point belongs to the cell of its (score, importance).
    for k in (1.5, 2.5, 3.5, 4.5):
        shapes.append(dict(type="line", x0=k, x1=k, y0=0.5, y1=5.5, line=dict(color="rgba(96,112,128,0.18)", width=1)))
        shapes.append(dict(type="line", x0=0.5, x1=5.5, y0=k, y1=k, line=dict(color="rgba(96,112,128,0.18)", width=1)))
    dash = dict(color="#607080", width=2, dash="dash")
    shapes.append(dict(type="line", x0=x_cut, x1=x_cut, y0=0.5, y1=5.5, line=dash))
    shapes.append(dict(type="line", x0=0.5, x1=5.5, y0=y_cut, y1=y_cut, line=dash))

    records = table.to_dict("records")
    cells: dict[tuple[int, int], list[dict]] = {}
    for row in records:
        cells.setdefault((int(row["score"]), int(row["importance"])), []).append(row)
    by_q: dict[str, tuple[list, list, list, list]] = {q: ([], [], [], []) for q in audit.QUADRANTS}
    for (sc, imp), rows in cells.items():
        shown = rows[:_PER_CELL]
        for k, row in enumerate(shown):
            xs, ys, texts, hovers = by_q[row["quadrant"]]
            xs.append(sc - 0.42)
            ys.append(imp + (len(shown) - 1) / 2 * _STEP - k * _STEP)
            name = str(row["name"])
            # Two short lines fit a cell even on a 1280 px screen with the sidebar open.
            lines = textwrap.wrap(" ".join(name.split()), 17) or [""]
            if len(lines) > 2:
                lines = [lines[0], shorten(" ".join(lines[1:]), 17)]
            texts.append("<br>".join(plot_escape(line) for line in lines))
            where = f"{plot_escape(row['map_title'])} · " if show_map else ""
            hovers.append(
                f"<b>{plot_escape(name)}</b><br>{where}{plot_escape(row['stage_name'])}<br>"
                f"{t('field.importance', lang)}: {imp} · {t('field.score', lang)}: {sc}"
            )
        if len(rows) > _PER_CELL:
            notes.append(dict(x=sc - 0.42, y=imp - 0.47, text=t("audit.matrix_more", lang, n=len(rows) - _PER_CELL),
                              showarrow=False, xanchor="left", font=dict(size=12, color="#52606d")))  # fmt: skip
    if not records:
        notes.append(dict(x=3, y=3, text=t("audit.matrix_empty", lang), showarrow=False,
                          font=dict(size=16, color="#52606d")))  # fmt: skip
    traces = [
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers+text",
            name=t(f"audit.quadrant.{q}", lang),
            text=texts,
            textposition="middle right",
            textfont=dict(size=12, color="#1f2933", shadow="auto"),
            hovertext=hovers,
            hoverinfo="text",
            marker=dict(size=13, color=QUADRANT_COLORS[q][1], line=dict(color="white", width=1.5)),
            cliponaxis=False,
        )
        for q, (xs, ys, texts, hovers) in by_q.items()
        if xs
    ]
    fig = go.Figure(data=traces, layout=dict(shapes=shapes, annotations=notes))
    fig.update_layout(
        height=height,
        margin=dict(l=70, r=30, t=30, b=70),
        font=_FONT,
        plot_bgcolor="white",
        showlegend=False,
        xaxis=dict(
            title=dict(text=t("audit.matrix_x", lang)),
            range=[0.5, 5.5],
            tickvals=[1, 2, 3, 4, 5],
            showgrid=False,
            zeroline=False,
            fixedrange=True,
        ),
        yaxis=dict(
            title=dict(text=t("audit.matrix_y", lang)),
            range=[0.5, 5.5],
            tickvals=[1, 2, 3, 4, 5],
            showgrid=False,
            zeroline=False,
            fixedrange=True,
        ),
    )
    return fig


def _row_label(kind: str, value: str, lang: str) -> str:
    """A heatmap row's name as plain text (a phase's translated name, else the stage's own name)."""
    return label(kind, value, lang) if kind == "phase" else str(value)


def coverage_heatmap_figure(table: pd.DataFrame, *, lang: str = "en", title: str | None = None) -> go.Figure:
    """A heatmap of a coverage table (from :func:`cjm.audit.coverage_table`): each cell is a part of
    the journey × a kind of touchpoint, its number the touchpoints there. Gaps (zero cells) are
    red with a cross, so they stand out; covered cells are blue, darker with more touchpoints."""
    row_kind = table.index.name or "phase"
    col_kind = table.columns.name or "category"
    z = table.to_numpy(dtype=float)
    zmax = max(1.0, float(z.max()) if z.size else 1.0)
    cut = 0.5 / zmax
    colorscale = [[0.0, "#fbdcd8"], [cut, "#fbdcd8"], [cut, "#cfe0f3"], [1.0, "#1d5fa8"]]
    text = [["✕" if v == 0 else str(int(v)) for v in row] for row in z]
    x = [
        "<br>".join(plot_escape(s) for s in textwrap.wrap(label(col_kind, c, lang), 10, break_long_words=False))
        for c in table.columns
    ]
    y = ["<br>".join(plot_escape(s) for s in textwrap.wrap(_row_label(row_kind, r, lang), 22)) for r in table.index]
    hover = [
        [
            t(
                "audit.heat_hover",
                lang,
                row=plot_escape(_row_label(row_kind, r, lang)),
                col=plot_escape(label(col_kind, c, lang)),
                n=int(v),
            )
            for c, v in zip(table.columns, row, strict=True)
        ]
        for r, row in zip(table.index, z, strict=True)
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            zmin=0,
            zmax=zmax,
            colorscale=colorscale,
            text=text,
            texttemplate="%{text}",
            textfont=dict(size=16),
            hovertext=hover,
            hoverinfo="text",
            xgap=3,
            ygap=3,
            showscale=False,
        )
    )
    fig.update_layout(
        title=dict(text=title, font=dict(size=18), x=0, xanchor="left", y=1, yanchor="top", pad=dict(t=6))
        if title
        else None,
        height=max(280, 56 * len(table.index) + (150 if title else 100)),
        margin=dict(l=10, r=10, t=100 if title else 60, b=10),
        font=_FONT,
        plot_bgcolor="white",
        xaxis=dict(side="top", tickfont=dict(size=13), tickangle=0, fixedrange=True),
        yaxis=dict(autorange="reversed", tickfont=dict(size=14), fixedrange=True),
    )
    return fig
