"""The analyses of the pages on the command line: ``audit``, ``flow``, ``summary`` and the figure formats
of ``export`` (HTML, Mermaid, PNG/SVG/PDF).

Each ``register_<name>(subparsers)`` adds one subcommand to ``python -m cjm`` (see :mod:`cjm.cli`, which
imports this module only when one of them runs); each command's ``func(args)`` returns the exit code.
A MAP is a stored map's id or a map file (JSON, CSV, XLSX), as for ``check``. Headings and table
headers are the pages' own texts, in ``--lang``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

import networkx as nx

from cjm.errors import CJMError, MapNotFoundError
from cjm.i18n import LANGUAGES, t

__all__ = [
    "FIGURE_FORMATS",
    "register_audit",
    "register_flow",
    "register_summary",
    "figure_export",
    "flow_report",
    "audit_report",
]

#: ``export`` formats drawn from the journey-map figure or text, as on the Journey map page.
FIGURE_FORMATS = ("html", "mermaid", "mermaid-flowchart", "png", "svg", "pdf")


def _load(ref: str, database: str | None) -> nx.DiGraph:
    from cjm.health import load_map

    return load_map(ref, database)


def _write(data: bytes | str, output: str | None, default_name: str) -> None:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if output == "-":
        sys.stdout.buffer.write(payload)
        sys.stdout.flush()
        return
    out = Path(output or default_name)
    out.write_bytes(payload)
    print(f"wrote {out}")


def _table(df: Any, lang: str = "en", *, emotions: Sequence[str] = (), shares: Sequence[str] = ()) -> str:
    """A data frame as an aligned plain-text table: text left, numbers right and formatted per
    ``lang`` (``emotions`` and ``shares`` name the columns holding those), blanks as "—"."""
    import numbers

    import numpy as np
    import pandas as pd

    from cjm.text import fmt_decimal, fmt_emotion, fmt_int, fmt_share, is_blank

    if not len(df):
        return "—"
    columns = [str(c) for c in df.columns]
    numeric = [c in emotions or c in shares or pd.api.types.is_numeric_dtype(df[c]) for c in df.columns]

    def cell(col: Any, value: Any) -> str:
        if isinstance(value, str):
            return value
        if isinstance(value, bool | np.bool_):
            return t("audit.yes", lang) if value else ""
        if is_blank(value):
            return "—"
        if col in emotions:
            return fmt_emotion(value, lang)
        if col in shares:
            return fmt_share(value, lang)
        if isinstance(value, numbers.Number) and float(value).is_integer():
            return fmt_int(value, lang)
        if isinstance(value, numbers.Number):
            return fmt_decimal(value, lang, 2 if abs(float(value)) < 1 else 1)
        return str(value)

    rows = [[cell(c, v) for c, v in zip(df.columns, values, strict=True)] for values in df.itertuples(index=False)]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(columns)]

    def line(cells: Sequence[str]) -> str:
        parts = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(cells, widths, numeric, strict=True)]
        return "  ".join(parts).rstrip()

    return "\n".join([line(columns), *(line(r) for r in rows)])


def _lang_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=LANGUAGES, default="en", help="language of headings and tables")


# ---- export: the journey-map figure ----------------------------------------------------------------


def _baseline(G: nx.DiGraph, database: str | None) -> nx.DiGraph | None:
    """The current-state map a future-state map is read against (``None`` when it has none)."""
    baseline_id = G.graph.get("baseline_id")
    if G.graph.get("map_type") != "future_state" or not baseline_id:
        return None
    from cjm.store import get_store

    try:
        return get_store(database).load(baseline_id).graph
    except MapNotFoundError:
        print(f"warning: baseline map {baseline_id!r} is not stored; drawn without it", file=sys.stderr)
        return None


def figure_export(
    G: nx.DiGraph,
    fmt: str,
    *,
    lang: str = "en",
    lanes: Sequence[str] | None = None,
    baseline: nx.DiGraph | None = None,
) -> tuple[bytes, str]:
    """The map in one of :data:`FIGURE_FORMATS` as the Journey map page exports it: ``(bytes, file
    extension)``. ``lanes`` default to every lane of the map's type; an unknown lane is an error."""
    from cjm.io import export

    if fmt == "mermaid":
        return export.mermaid_journey(G, lang=lang).encode("utf-8"), "journey.mmd"
    if fmt == "mermaid-flowchart":
        return export.mermaid_flowchart(G, lang=lang).encode("utf-8"), "flowchart.mmd"
    from cjm import charts

    available = list(charts.available_lanes(G.graph.get("map_type") or "current_state"))
    chosen = list(lanes) if lanes else available
    unknown = [lane for lane in chosen if lane not in available]
    if unknown:
        raise CJMError(f"unknown lane(s) {', '.join(unknown)}; this map's lanes: {', '.join(available)}")
    fig = charts.map_figure(G, baseline=baseline, lang=lang, lanes=chosen)
    if fmt == "html":
        return export.to_html(fig).encode("utf-8"), "html"
    if fmt in export.IMAGE_FORMATS:
        return export.to_image(fig, fmt), fmt
    raise ValueError(f"unknown figure format {fmt!r}")


def run_figure_export(G: nx.DiGraph, args: argparse.Namespace) -> int:
    """``export --format html|mermaid|…`` (called by :mod:`cjm.cli`)."""
    from cjm.io.export import export_file_name

    lanes = [x.strip() for x in (args.lanes or "").split(",") if x.strip()]
    data, ext = figure_export(G, args.format, lang=args.lang, lanes=lanes, baseline=_baseline(G, args.database))
    _write(data, args.output, export_file_name(G, ext))
    return 0


# ---- flow ------------------------------------------------------------------------------------------


def _names(G: nx.DiGraph, nodes: Sequence[str]) -> str:
    return " → ".join(str(G.nodes[n].get("name") or n) for n in nodes)


def flow_report(G: nx.DiGraph, analysis: Any, *, lang: str = "en") -> str:
    """What the Journey flow page shows, as plain text: the counts, the notable paths, every path,
    bottlenecks, unreachable touchpoints, dead ends, touchpoints with no way to a conversion, loops."""
    from cjm import flow
    from cjm.text import fmt_emotion, fmt_int, fmt_share

    res = analysis
    lines = [f"{t('flow.title', lang)}: {G.graph.get('title') or G.graph.get('id')}", ""]
    counts = [
        (t("flow.metric.entries", lang), len(res.entries)),
        (t("flow.metric.targets" if res.targets_are_conversions else "flow.metric.exits", lang), len(res.targets)),
        (t("flow.metric.paths", lang), len(res.stats)),
        (t("flow.metric.loops", lang), len(res.loops)),
        (t("flow.metric.unreachable", lang), len(res.unreachable)),
    ]
    lines += [f"{name}: {value}" for name, value in counts]
    if res.search.truncated:
        lines.append(t("flow.metric.paths_truncated", lang))
    for title_key, stats, none_key in (
        ("flow.most_travelled", res.most_travelled, "flow.no_counts"),
        ("flow.worst_emotion", res.worst_emotion, "flow.no_emotions"),
        ("flow.worst_drop_off", res.worst_drop_off, "flow.no_counts"),
    ):
        lines += ["", t(title_key, lang)]
        if stats is None:
            lines.append("  " + t(none_key, lang))
            continue
        facts = [t("flow.steps", lang, n=stats.steps)]
        if stats.mean_emotion is not None:
            facts.append(t("flow.mean_emotion", lang, v=fmt_emotion(stats.mean_emotion, lang)))
        if stats.users is not None:
            facts.append(t("flow.path_users", lang, n=fmt_int(stats.users, lang)))
        if stats.drop_off is not None and stats.drop_off_share is not None:
            facts.append(
                t("flow.drop_off", lang, n=fmt_int(stats.drop_off, lang), share=fmt_share(stats.drop_off_share, lang))
            )
        lines += ["  " + _names(G, stats.path), "  " + " · ".join(facts)]
    paths = flow.paths_table(G, res.stats).rename(
        columns={c: t(f"flow.col.{c}", lang) for c in ("path", "steps", "mean_emotion", "min_emotion", "users")}
        | {"drop_off": t("flow.col.drop_off", lang), "drop_off_share": t("flow.col.drop_off_share", lang)}
    )
    emotions = [t("flow.col.mean_emotion", lang), t("flow.col.min_emotion", lang)]
    table = _table(paths, lang, emotions=emotions, shares=[t("flow.col.drop_off_share", lang)])
    lines += ["", t("flow.paths_title", lang, n=len(res.stats)), table]
    bt = flow.bottleneck_table(G, res, lang=lang)
    bt = bt.rename(columns={c: t(f"flow.col.{'touchpoint' if c == 'name' else c}", lang) for c in bt.columns})
    lines += ["", t("flow.bottlenecks_title", lang), _table(bt, lang, shares=[t("flow.col.share", lang)])]
    for title_key, nodes in (
        ("flow.unreachable_title", res.unreachable),
        ("flow.dead_ends_title", res.dead_ends),
        ("flow.no_way_title", res.no_way_to_conversion),
    ):
        lines += ["", t(title_key, lang, n=len(nodes))] + [f"  • {G.nodes[n].get('name') or n}" for n in nodes]
    lines += ["", t("flow.loops_title", lang, n=len(res.loops))]
    lines += [f"  ↺ {_names(G, [*cycle, cycle[0]])}" for cycle in res.loops]
    return "\n".join(lines) + "\n"


def _flow_json(G: nx.DiGraph, res: Any) -> dict[str, Any]:
    def path(stats: Any) -> dict[str, Any] | None:
        if stats is None:
            return None
        return {
            "path": list(stats.path),
            "steps": stats.steps,
            "mean_emotion": stats.mean_emotion,
            "min_emotion": stats.min_emotion,
            "users": stats.users,
            "drop_off": stats.drop_off,
            "drop_off_share": stats.drop_off_share,
        }

    return {
        "map": G.graph.get("id"),
        "entries": res.entries,
        "targets": res.targets,
        "targets_are_conversions": res.targets_are_conversions,
        "paths_truncated": res.search.truncated,
        "most_travelled": path(res.most_travelled),
        "worst_emotion": path(res.worst_emotion),
        "worst_drop_off": path(res.worst_drop_off),
        "paths": [path(s) for s in res.stats],
        "bottlenecks": json.loads(res.bottlenecks.to_json(orient="records")),
        "unreachable": res.unreachable,
        "dead_ends": res.dead_ends,
        "no_way_to_conversion": res.no_way_to_conversion,
        "loops": res.loops,
        "back_edges": [list(e) for e in res.back_edges],
    }


def _run_flow(args: argparse.Namespace) -> int:
    from cjm import flow

    G = _load(args.map, args.database)
    unknown = [n for n in args.target or () if n not in G]
    if unknown:
        raise CJMError(f"no touchpoint {', '.join(map(repr, unknown))} on map {G.graph.get('id')!r}")
    res = flow.analyse(G, targets=args.target or None, cutoff=args.cutoff)
    if args.format == "json":
        text = json.dumps(_flow_json(G, res), ensure_ascii=False, indent=2) + "\n"
    else:
        text = flow_report(G, res, lang=args.lang)
    if args.output:
        _write(text, args.output, "")
    else:
        sys.stdout.write(text)
    return 0


def register_flow(subparsers: Any) -> argparse.ArgumentParser:
    """``flow MAP``: the Journey flow page's analysis (paths, bottlenecks, unreachable, dead ends, loops)."""
    p = subparsers.add_parser("flow", help="the journey as a graph: paths, bottlenecks, dead ends, loops")
    p.add_argument("map", metavar="MAP", help="a stored map's id, or a map file")
    p.add_argument("--target", action="append", metavar="ID", help="end paths at this touchpoint (repeatable)")
    p.add_argument("--cutoff", type=int, default=25, help="longest path searched, in steps (default 25)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("-o", "--output", help="write to this file instead of the terminal")
    _lang_arg(p)
    p.set_defaults(func=_run_flow)
    return p


# ---- audit -----------------------------------------------------------------------------------------


def audit_report(graphs: Sequence[nx.DiGraph], *, today: date, lang: str = "en") -> str:
    """What the Touchpoint audit page shows for ``graphs``, as plain text: progress, then the six steps
    (inventory, key touchpoints, ranking, priority matrix and scores by evaluator, tasks) and coverage."""
    from cjm import audit
    from cjm.i18n import label

    inv = audit.inventory(graphs, lang)
    several = len(graphs) > 1
    lead = ["map_title"] if several else []
    progress = audit.audit_progress(inv, today)
    titles = ", ".join(str(G.graph.get("title") or G.graph.get("id")) for G in graphs)
    lines = [f"{t('audit.title', lang)}: {titles} ({today.isoformat()})", ""]
    lines += [
        f"{t('audit.metric.touchpoints', lang)}: {progress.touchpoints} ({t('audit.metric.missing', lang, n=progress.missing)})",
        f"{t('audit.metric.key', lang)}: {progress.key}",
        f"{t('audit.metric.ranked', lang)}: {progress.ranked} / {progress.key}",
        f"{t('audit.metric.evaluated', lang)}: {progress.evaluated} / {progress.key}",
        f"{t('audit.metric.tasks', lang)}: {progress.tasks_done} / {progress.tasks}",
        f"{t('audit.metric.overdue', lang)}: {progress.overdue}",
    ]

    def step(i: int, name: str) -> None:
        lines.extend(["", f"{i}. {t(f'audit.step.{name}', lang)}"])

    step(1, "identify")
    cols = [*lead, "name", "phase", "stage_name", "channel", "category", "status", "key_touchpoint"]
    lines.append(_table(audit.display_frame(inv, cols, lang), lang))
    step(2, "select")
    key = inv[inv["key_touchpoint"]]
    lines.append(_table(audit.display_frame(key, [*lead, "name", "stage_name", "channel"], lang), lang))
    suggested = [n for G in graphs for n in audit.suggest_key_touchpoints(G)]
    if suggested:
        names = "; ".join(s.text(G, lang) for G in graphs for s in audit.key_touchpoint_suggestions(G))
        lines.append(t("audit.select.suggested", lang, n=len(suggested), names=names))
    step(3, "rank")
    ranked = audit.ranking(inv)
    lines.append(_table(audit.display_frame(ranked, ["rank", *lead, "name", "importance", "score"], lang), lang))
    step(4, "evaluate")
    lines.append(t("audit.matrix.title", lang))
    prio = audit.priority_table(inv)
    lines.append(_table(audit.display_frame(prio, ["quadrant", *lead, "name", "importance", "score"], lang), lang))
    summary = audit.evaluation_summary(inv)
    by_whom = _table(audit.display_frame(summary, list(summary.columns), lang), lang)
    lines += [t("audit.evaluate.by_whom", lang), by_whom]
    step(5, "tasks")
    tasks = audit.task_table(inv, today)
    cols = [*lead, "name", "task", "owner", "deadline", "task_status", "overdue", "days_overdue"]
    lines.append(_table(audit.display_frame(tasks, cols, lang), lang) if len(tasks) else t("audit.carry.none", lang))
    lines += ["", t("audit.coverage.title", lang)]
    for title_key, rows, cols_ in (
        ("audit.coverage.phase_category", "phase", "category"),
        ("audit.coverage.stage_channel", "stage", "channel"),
    ):
        table = audit.coverage_table(inv, rows, cols_, used_columns_only=cols_ == "channel")
        gaps = audit.coverage_gaps(table)
        shown = table.rename(
            index=lambda v, axis=rows: label(axis, v, lang) if axis == "phase" else v,
            columns=lambda v, axis=cols_: label(axis, v, lang),
        ).rename_axis(index=None, columns=None)
        lines += [t(title_key, lang), shown.to_string(), t("audit.coverage.gaps", lang, n=len(gaps), total=table.size)]
    unused = audit.unused_choices(inv, "channel")
    if unused:
        lines.append(t("audit.coverage.unused", lang, channels=", ".join(label("channel", c, lang) for c in unused)))
    return "\n".join(lines) + "\n"


def _run_audit(args: argparse.Namespace) -> int:
    from cjm import audit

    if args.all:
        from cjm.store import get_store

        store = get_store(args.database)
        graphs = [store.load(m.map_id).graph for m in store.list_maps()]
    elif args.maps:
        graphs = [_load(ref, args.database) for ref in args.maps]
    else:
        raise CJMError("name at least one MAP, or --all")
    today = date.fromisoformat(args.today) if args.today else date.today()
    if args.format == "text":
        text = audit_report(graphs, today=today, lang=args.lang)
        if args.output:
            _write(text, args.output, "")
        else:
            sys.stdout.write(text)
        return 0
    tasks = audit.task_table(audit.inventory(graphs, args.lang), today)
    data = audit.tasks_csv(tasks, args.lang) if args.format == "csv" else audit.tasks_xlsx(tasks, args.lang)
    scope = str(graphs[0].graph.get("id")) if len(graphs) == 1 else "maps"
    _write(data, args.output, f"{scope}-tasks.{args.format}")
    return 0


def register_audit(subparsers: Any) -> argparse.ArgumentParser:
    """``audit MAP …``: the Touchpoint audit page's six steps, or its task list as CSV/XLSX."""
    p = subparsers.add_parser("audit", help="the touchpoint audit: progress, ranking, priorities, tasks, coverage")
    p.add_argument("maps", nargs="*", metavar="MAP", help="stored maps' ids, or map files")
    p.add_argument("--all", action="store_true", help="every stored map")
    p.add_argument("--today", metavar="YYYY-MM-DD", help="the date overdue tasks are counted from (default: today)")
    p.add_argument(
        "--format", choices=("text", "csv", "xlsx"), default="text", help="text report, or the task list as a file"
    )
    p.add_argument("-o", "--output", help="output file, or - for stdout")
    _lang_arg(p)
    p.set_defaults(func=_run_audit)
    return p


# ---- summary ---------------------------------------------------------------------------------------


def _run_summary(args: argparse.Namespace) -> int:
    from cjm.io.report import summary_filename, summary_html, summary_text

    if args.all:
        from cjm.store import get_store

        store = get_store(args.database)
        graphs = [store.load(m.map_id).graph for m in store.list_maps()]
        if not graphs:
            raise CJMError("no maps stored")
    elif args.maps:
        graphs = [_load(ref, args.database) for ref in args.maps]
    else:
        raise CJMError("name at least one MAP, or --all")
    if args.format == "text":
        text = summary_text(graphs, lang=args.lang)
        if args.output:
            _write(text, args.output, "")
        else:
            sys.stdout.write(text)
        return 0
    _write(summary_html(graphs, lang=args.lang), args.output, summary_filename(graphs))
    return 0


def register_summary(subparsers: Any) -> argparse.ArgumentParser:
    """``summary MAP …``: the Executive overview's one-page summary (HTML, or text for a terminal)."""
    p = subparsers.add_parser("summary", help="the one-page executive summary of a map or a portfolio")
    p.add_argument("maps", nargs="*", metavar="MAP", help="stored maps' ids, or map files (several: a portfolio)")
    p.add_argument("--all", action="store_true", help="the portfolio of every stored map")
    p.add_argument("--format", choices=("html", "text"), default="html")
    p.add_argument("-o", "--output", help="output file, or - for stdout (HTML default: cjm-summary-<map>-<date>.html)")
    _lang_arg(p)
    p.set_defaults(func=_run_summary)
    return p
