"""The one-page executive summary as a single, self-contained HTML file.

Everything is inline (styles, the plotly.js library, the chart data), so the file opens offline and
can be forwarded as an attachment; it prints to one landscape page (the browser's "Save as PDF"
gives the PDF). Every user string is escaped with :func:`cjm.text.html_escape`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import networkx as nx
import plotly.io as pio
from plotly.offline import get_plotlyjs

from cjm.charts.emotion import emotion_curve_figure
from cjm.charts.theme import FEELING_COLOURS, FONT, TEXT_DARK, TONE_COLOURS
from cjm.health import by_rule, rule_title, run_checks
from cjm.i18n import label, t
from cjm.overview import (
    headline_cards,
    map_metrics,
    metrics_table,
    moment_meta,
    moments_to_fix,
    portfolio_metrics,
)
from cjm.text import fmt_emotion, fmt_share, html_escape

__all__ = ["summary_html", "summary_text", "summary_filename"]

_CSS = """
*{box-sizing:border-box}
body{font-family:@FONT@;color:@TEXT@;margin:0;background:#fff}
main{max-width:1240px;margin:0 auto;padding:24px 28px}
h1{font-size:30px;margin:0 0 4px}
h2{font-size:22px;margin:26px 0 10px;border-bottom:2px solid #e3e6ea;padding-bottom:4px}
.sub{color:#555;font-size:15px;margin:0 0 16px}
.cards{display:grid;grid-template-columns:repeat(3,1fr);gap:12px}
.card{border:1px solid #dde1e6;border-radius:10px;padding:12px 16px;border-left:8px solid var(--tone)}
.card .label{font-size:15px;color:#444;text-transform:uppercase;letter-spacing:.03em}
.card .value{font-size:40px;font-weight:700;color:var(--tone);line-height:1.15}
.card .detail{font-size:14px;color:#333}
.card .badge{font-size:16px;font-weight:700;color:var(--tone);margin-bottom:2px}
ol.fix{padding-left:0;list-style:none;margin:0}
ol.fix li{border:1px solid #dde1e6;border-radius:10px;padding:10px 14px;margin:0 0 8px;page-break-inside:avoid}
.fix .name{font-size:19px;font-weight:700}
.fix .rank{display:inline-block;min-width:30px;height:30px;border-radius:15px;background:@NEGATIVE@;color:#fff;
  text-align:center;line-height:30px;margin-right:8px;font-size:16px}
.fix .meta{color:#555;font-size:14px;margin:2px 0 6px}
.fix dl{display:grid;grid-template-columns:140px 1fr;gap:2px 10px;margin:0;font-size:15px}
.fix dt{color:#666}
.fix dd{margin:0}
ul.findings{margin:0;padding-left:0;list-style:none;font-size:15px}
ul.findings li{margin:4px 0;padding:6px 10px;border-radius:6px}
.lvl-error{background:#fdecea;border-left:5px solid @NEGATIVE@}
.lvl-warning{background:#fff6e0;border-left:5px solid @NEUTRAL@}
.lvl-info{background:#eef3fb;border-left:5px solid #4a78b5}
table.maps{border-collapse:collapse;width:100%;font-size:14px}
table.maps th,table.maps td{border-bottom:1px solid #e3e6ea;padding:6px 8px;text-align:left}
table.maps td.num{text-align:right}
.note{color:#666;font-size:13px;margin-top:18px}
.two{display:grid;grid-template-columns:1fr 1fr;gap:20px}
@media print{@page{size:A4 landscape;margin:10mm} main{padding:0} h2{margin-top:14px}
  .card .value{font-size:30px} .two{grid-template-columns:1fr 1fr}}
"""
_THEME = {"@FONT@": FONT, "@TEXT@": TEXT_DARK, "@NEGATIVE@": FEELING_COLOURS["negative"]}
_THEME["@NEUTRAL@"] = FEELING_COLOURS["neutral"]
for _name, _value in _THEME.items():
    _CSS = _CSS.replace(_name, _value)


def summary_filename(graphs: Sequence[nx.DiGraph], when: datetime | None = None) -> str:
    """A safe download name: ``cjm-summary-<map id or portfolio>-<date>.html``."""
    when = when or datetime.now(UTC)
    scope = str(graphs[0].graph.get("id")) if len(graphs) == 1 else "portfolio"
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in scope)[:60]
    return f"cjm-summary-{safe}-{when:%Y-%m-%d}.html"


def _cards_html(cards) -> str:
    out = []
    for c in cards:
        out.append(
            f'<div class="card" style="--tone:{TONE_COLOURS.get(c.tone, TONE_COLOURS["none"])}">'
            f'<div class="label">{html_escape(c.label)}</div><div class="value">{html_escape(c.value)}</div>'
            + (f'<div class="badge">{html_escape(c.badge)}</div>' if c.badge else "")
            + (f'<div class="detail">{html_escape(c.detail)}</div>' if c.detail != c.badge else "")
            + "</div>"
        )
    return '<section class="cards">' + "".join(out) + "</section>"


def _moments_html(graphs: Sequence[nx.DiGraph], lang: str, limit: int) -> str:
    df = moments_to_fix(graphs, limit=limit, lang=lang)
    if df.empty:
        return f"<p>{html_escape(t('overview.fix_none', lang))}</p>"
    items = []
    for rank, row in enumerate(df.itertuples(index=False), start=1):
        meta = moment_meta(row, lang, with_map=len(graphs) > 1)
        none = t("overview.none", lang)
        fields = [
            (t("overview.fix_pain", lang), row.pain_point or none),
            (t("overview.fix_opportunity", lang), row.opportunity or none),
            (t("overview.fix_owner", lang), row.owner or t("overview.unassigned", lang)),
            (t("overview.fix_evidence", lang), label("evidence", row.evidence, lang) or none),
        ]
        dl = "".join(f"<dt>{html_escape(k)}</dt><dd>{html_escape(v)}</dd>" for k, v in fields)
        items.append(
            f'<li><div class="name"><span class="rank">{rank}</span>{html_escape(row.name)}</div>'
            f'<div class="meta">{html_escape(meta)}</div><dl>{dl}</dl></li>'
        )
    return '<ol class="fix">' + "".join(items) + "</ol>"


def _findings_html(graphs: Sequence[nx.DiGraph], lang: str, per_rule: int = 6) -> str:
    """The health findings (errors and warnings) grouped by rule, each with its fix hint."""
    findings = [(G, f) for G in graphs for f in run_checks(G, lang) if f.level != "info"]
    if not findings:
        return f"<p>{html_escape(t('overview.health_ok', lang))}</p>"
    grouped = by_rule([f for _, f in findings])
    title_of = {id(f): G.graph.get("title") for G, f in findings}
    parts = []
    for rule, group in grouped.items():
        items = []
        for f in group[:per_rule]:
            prefix = f"{title_of[id(f)]}: " if len(graphs) > 1 else ""
            items.append(
                f'<li class="lvl-{html_escape(f.level)}"><b>{html_escape(t("health.level." + f.level, lang))}</b> · '
                f"{html_escape(prefix)}{html_escape(f.message)}"
                f'<div class="meta">{html_escape(t("health.fix", lang))}: {html_escape(f.hint)}</div></li>'
            )
        if len(group) > per_rule:
            items.append(
                f'<li class="lvl-info">{html_escape(t("health.and_more", lang, n=len(group) - per_rule))}</li>'
            )
        parts.append(
            f'<h3 class="rule">{html_escape(rule_title(rule, lang))}</h3><ul class="findings">{"".join(items)}</ul>'
        )
    return "".join(parts)


def _maps_table_html(graphs: Sequence[nx.DiGraph], lang: str) -> str:
    df = metrics_table(graphs)
    head = [
        "overview.col.map",
        "overview.col.type",
        "overview.col.touchpoints",
        "overview.col.average",
        "overview.col.lowest",
        "overview.col.pain",
        "overview.col.missing",
        "overview.col.evidence",
        "overview.col.conversion",
    ]
    rows = []
    for r in df.itertuples(index=False):
        low = f"{r.lowest_name} ({fmt_emotion(r.lowest_emotion, lang)})" if r.lowest_name else "—"
        cells = [
            f"<td>{html_escape(r.title)}</td>",
            f"<td>{html_escape(label('map_type', r.map_type, lang))}</td>",
            f'<td class="num">{r.touchpoints}</td>',
            f'<td class="num">{html_escape(fmt_emotion(r.average_emotion, lang))}</td>',
            f"<td>{html_escape(low)}</td>",
            f'<td class="num">{r.open_pain_points}</td>',
            f'<td class="num">{r.missing}</td>',
            f'<td class="num">{html_escape(fmt_share(r.evidence_share, lang))}</td>',
            f'<td class="num">{html_escape(fmt_share(r.conversion, lang))}</td>',
        ]
        rows.append("<tr>" + "".join(cells) + "</tr>")
    ths = "".join(f"<th>{html_escape(t(k, lang))}</th>" for k in head)
    return f'<table class="maps"><thead><tr>{ths}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def summary_html(
    graphs: nx.DiGraph | Sequence[nx.DiGraph],
    *,
    lang: str = "en",
    curve_graphs: Sequence[nx.DiGraph] | None = None,
    title: str | None = None,
    generated_at: datetime | None = None,
    limit: int = 5,
) -> str:
    """The one-page summary of one map or a portfolio, as a complete HTML document (a string).

    ``curve_graphs`` are the maps drawn in the emotion curve (default: the first map alone).
    The plotly.js library is embedded, so the page needs no network.
    """
    graphs = [graphs] if isinstance(graphs, nx.DiGraph) else list(graphs)
    if not graphs:
        raise ValueError("summary_html needs at least one map")
    when = generated_at or datetime.now(UTC)
    titles = {str(G.graph.get("id")): str(G.graph.get("title") or G.graph.get("id")) for G in graphs}
    metrics = map_metrics(graphs[0]) if len(graphs) == 1 else portfolio_metrics(graphs)
    heading = title or (
        titles[str(graphs[0].graph.get("id"))] if len(graphs) == 1 else t("overview.scope.portfolio", lang)
    )
    persona = (graphs[0].graph.get("persona") or {}).get("name") if len(graphs) == 1 else ""
    sub = [t("overview.summary_generated", lang, when=f"{when:%Y-%m-%d %H:%M} UTC")]
    if len(graphs) == 1:
        sub.insert(0, label("map_type", graphs[0].graph.get("map_type"), lang))
        if persona:
            sub.insert(1, persona)
    else:
        sub.insert(0, t("overview.summary_maps", lang, titles=", ".join(titles.values())))

    curve = curve_graphs if curve_graphs else graphs[:1]
    fig = emotion_curve_figure(list(curve), lang=lang, height=760)
    chart = pio.to_html(
        fig,
        full_html=False,
        include_plotlyjs=False,
        config={"displayModeBar": False, "responsive": True},
        default_width="100%",
    )
    curve_title = t("overview.curve_title", lang)
    if len(curve) == 1 and len(graphs) > 1:
        curve_title += f" — {curve[0].graph.get('title')}"

    body = [
        f"<h1>{html_escape(t('overview.summary_title', lang))}: {html_escape(heading)}</h1>",
        f'<p class="sub">{html_escape(" · ".join(s for s in sub if s))}</p>',
        _cards_html(headline_cards(metrics, lang, titles)),
        '<div class="two"><section>',
        f"<h2>{html_escape(t('overview.fix_title', lang))}</h2>",
        _moments_html(graphs, lang, limit),
        "</section><section>",
        f"<h2>{html_escape(t('overview.health_title', lang))}</h2>",
        _findings_html(graphs, lang),
        "</section></div>",
        f"<h2>{html_escape(curve_title)}</h2>",
        chart,
    ]
    if len(graphs) > 1:
        body += [f"<h2>{html_escape(t('overview.maps_title', lang))}</h2>", _maps_table_html(graphs, lang)]
    body.append(f'<p class="note">{html_escape(t("overview.score_note", lang))}</p>')
    doc_title = f"{t('overview.summary_title', lang)}: {heading}"
    return (
        f'<!DOCTYPE html>\n<html lang="{html_escape(lang)}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html_escape(doc_title)}</title>\n<style>{_CSS}</style>\n"
        f'<script type="text/javascript">{get_plotlyjs()}</script>\n</head>\n'
        f"<body><main>\n{''.join(body)}\n</main></body>\n</html>\n"
    )


def summary_text(graphs: nx.DiGraph | Sequence[nx.DiGraph], *, lang: str = "en", limit: int = 5) -> str:
    """The one-page summary as plain text for a terminal: the headline figures, the moments to fix
    first and the health findings (the same data as :func:`summary_html`, without the chart)."""
    graphs = [graphs] if isinstance(graphs, nx.DiGraph) else list(graphs)
    if not graphs:
        raise ValueError("summary_text needs at least one map")
    titles = {str(G.graph.get("id")): str(G.graph.get("title") or G.graph.get("id")) for G in graphs}
    metrics = map_metrics(graphs[0]) if len(graphs) == 1 else portfolio_metrics(graphs)
    heading = titles[str(graphs[0].graph.get("id"))] if len(graphs) == 1 else t("overview.scope.portfolio", lang)
    lines = [f"{t('overview.summary_title', lang)}: {heading}", ""]
    for c in headline_cards(metrics, lang, titles):
        extra = " · ".join(x for x in dict.fromkeys((c.badge, c.detail)) if x)
        lines.append(f"{c.label}: {c.value}" + (f" ({extra})" if extra else ""))
    lines += ["", t("overview.fix_title", lang)]
    df = moments_to_fix(graphs, limit=limit, lang=lang)
    if df.empty:
        lines.append("  " + t("overview.fix_none", lang))
    none = t("overview.none", lang)
    for rank, row in enumerate(df.itertuples(index=False), start=1):
        meta = moment_meta(row, lang, with_map=len(graphs) > 1)
        lines += [f"{rank}. {row.name} — {meta}"]
        lines += [
            f"   {t(key, lang)}: {value}"
            for key, value in (
                ("overview.fix_pain", row.pain_point or none),
                ("overview.fix_opportunity", row.opportunity or none),
                ("overview.fix_owner", row.owner or t("overview.unassigned", lang)),
                ("overview.fix_evidence", label("evidence", row.evidence, lang) or none),
            )
        ]
    lines += ["", t("overview.health_title", lang)]
    findings = [(G, f) for G in graphs for f in run_checks(G, lang) if f.level != "info"]
    if not findings:
        lines.append("  " + t("overview.health_ok", lang))
    title_of = {id(f): G.graph.get("title") for G, f in findings}
    for rule, group in by_rule([f for _, f in findings]).items():
        lines.append("  " + rule_title(rule, lang))
        for f in group:
            prefix = f"{title_of[id(f)]}: " if len(graphs) > 1 else ""
            lines.append(f"    [{t('health.level.' + f.level, lang)}] {prefix}{f.message}")
            lines.append(f"      {t('health.fix', lang)}: {f.hint}")
    return "\n".join(lines) + "\n"
