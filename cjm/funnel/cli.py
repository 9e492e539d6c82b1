"""``python -m cjm funnel FILE --steps A,B,C``: a funnel from the command line.

``python -m cjm funnel --db NAME --table T --steps A,B,C`` counts it inside a configured database
(ClickHouse or PostgreSQL, see ``cjm.funnel.sources``); only the counts come back.

``register(subparsers)`` adds the subcommand to the project CLI; ``main(argv)`` runs it alone.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path

from cjm.errors import CJMError
from cjm.funnel.engine import MODES, EventLog, Exclusion, compute_funnel
from cjm.funnel.errors import FunnelParameterError
from cjm.funnel.readers import AggregatedFunnel, MappingNeeded, as_event_log, detect, load
from cjm.funnel.stats import funnel_rows, funnel_summary, funnel_table, segment_table

__all__ = ["register", "main", "run"]


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "file",
        type=Path,
        nargs="?",
        help="CSV, XLSX or Parquet: an aggregated funnel, a GA4 or Metrica export, or an event log "
        "(or use --db and --table)",
    )
    p.add_argument(
        "--steps",
        help="comma-separated step (event) names, in order; a name may repeat. "
        "Required for event logs; for aggregated files it picks and orders steps",
    )
    p.add_argument(
        "--window", default="14d", help="conversion window: a number and a unit s, min, h, d, w, month (default 14d)"
    )
    p.add_argument("--mode", choices=MODES, default="ordered", help="ordered (default), strict or any order")
    p.add_argument("--by", help="break down by this property column (event logs) or show the file's segments")
    p.add_argument(
        "--exclude",
        action="append",
        default=[],
        metavar="EVENT[:A-B]",
        help="discard attempts with EVENT between steps A and B (default: first and last); repeatable",
    )
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--user-col", help="event logs: the person id column")
    p.add_argument("--event-col", help="event logs: the event name column")
    p.add_argument("--time-col", help="event logs: the timestamp column")
    p.add_argument("--step-col", help="aggregated files: the step column")
    p.add_argument(
        "--db", metavar="NAME", help="count in this configured database (CJM_FUNNEL_DB_<NAME> or secrets.toml)"
    )
    p.add_argument("--table", help="with --db: the table or view of events (name or schema.name)")
    p.add_argument("--props", help="with --db: comma-separated property columns (--by adds its own)")
    p.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD", help="with --db: first day of step 1 (UTC)")
    p.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD", help="with --db: last day of step 1 (UTC, inclusive)")
    p.add_argument(
        "--time-unit",
        choices=("timestamp", "s", "ms", "us"),
        help="with --db: the time column holds date-times (default for date-time types) or Unix s/ms/µs",
    )
    p.add_argument("--count-col", help="aggregated files: the people count column")
    p.add_argument("--segment-col", help="aggregated files: the segment column")


def register(subparsers) -> argparse.ArgumentParser:
    """Add the ``funnel`` subcommand to an ``argparse`` subparsers object; its ``func(args)`` returns
    the exit code (0 ok, 2 bad input)."""
    p = subparsers.add_parser(
        "funnel", help="count people through funnel steps of a file", description=__doc__.splitlines()[0]
    )
    _add_arguments(p)
    p.set_defaults(func=run)
    return p


def _exclusions(specs: Sequence[str]) -> list[Exclusion]:
    out = []
    for spec in specs:
        event, _, rng = spec.partition(":")
        if rng:
            a, _, b = rng.partition("-")
            try:
                out.append(Exclusion(event, int(a), int(b)))
            except ValueError:
                raise FunnelParameterError(f"--exclude {spec!r}: write EVENT:A-B with step numbers") from None
        else:
            out.append(Exclusion(event))
    return out


def _pick_steps(agg: AggregatedFunnel, wanted: list[str] | None):
    if not wanted:
        return agg.steps, agg.counts, agg.segments
    missing = [s for s in wanted if s not in agg.steps]
    if missing:
        raise FunnelParameterError(f"step {missing[0]!r} is not in the file (it has: {', '.join(agg.steps)})")
    idx = [agg.steps.index(s) for s in wanted]
    return (
        tuple(wanted),
        tuple(agg.counts[i] for i in idx),
        {k: tuple(v[i] for i in idx) for k, v in agg.segments.items()},
    )


def _pct(v) -> str:
    return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v * 100:.1f}%"


def _text_table(steps: list[dict], title: str | None = None) -> str:
    head = ["#", "step", "users", "step conv.", "overall", "drop-off", "drop-off rate (95% CI)", ""]
    rows = []
    for r in steps:
        ci = (
            ""
            if r["step_number"] == 1 or math.isnan(r["drop_off_rate"])
            else f"{_pct(r['drop_off_rate'])} [{_pct(r['drop_off_rate_low'])}, {_pct(r['drop_off_rate_high'])}]"
        )
        mark = "<- biggest drop" if r["biggest_drop"] else ("!! rises" if r["rises"] else "")
        drop = r["drop_off"]
        rows.append(
            [
                str(r["step_number"]),
                str(r["step"]),
                f"{r['users']:,}",
                _pct(r["step_conversion"]),
                _pct(r["overall_conversion"]),
                "" if drop is None or drop is math.nan or str(drop) == "<NA>" else f"{int(drop):,}",
                ci,
                mark,
            ]
        )
    widths = [max(len(x) for x in col) for col in zip(head, *rows, strict=False)]
    lines = [title] if title else []
    for row in [head, *rows]:
        lines.append(
            "  ".join(
                c.ljust(w) if i in (1, 7) else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=False))
            ).rstrip()
        )
    return "\n".join(lines)


def run(args: argparse.Namespace, out=None, err=None) -> int:
    """Run the funnel subcommand for parsed ``args``; prints to ``out``/``err``; returns the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        return _run(args, out, err)
    except MappingNeeded as exc:
        det = exc.detection
        flags = {
            "user": "--user-col",
            "event": "--event-col",
            "time": "--time-col",
            "step": "--step-col",
            "users": "--count-col",
            "segment": "--segment-col",
        }
        need = ", ".join(flags[r] for r in det.ambiguous)
        if det.kind != "events":
            need += " (or, for an event log, --user-col, --event-col and --time-col)"
        print(f"error: {exc}. Name them with {need} (columns: {', '.join(det.columns)})", file=err)
        return 2
    except CJMError as exc:
        print(f"error: {exc}", file=err)
        return 2


def _run(args, out, err) -> int:
    steps = [s.strip() for s in args.steps.split(",")] if args.steps else None
    if args.db or args.table:
        return _run_db(args, steps, out, err)
    if args.file is None:
        raise FunnelParameterError("give a FILE, or --db NAME --table TABLE")
    det = detect(args.file)
    mapping = {}
    if args.user_col or args.event_col or args.time_col:  # the user says it is an event log
        det = as_event_log(det)
    if det.kind == "events":
        for role, flag in (("user", args.user_col), ("event", args.event_col), ("time", args.time_col)):
            if flag:
                mapping[role] = flag
    else:
        for role, flag in (("step", args.step_col), ("users", args.count_col), ("segment", args.segment_col)):
            if flag:
                mapping[role] = flag
        if args.by and not args.segment_col:
            mapping["segment"] = args.by
    loaded = load(det, mapping or None)
    warnings: list[str] = []
    meta: dict = {"source": det.name, "kind": det.kind}
    extra: dict = {}
    if isinstance(loaded, EventLog):
        if not steps:
            raise FunnelParameterError("an event log needs --steps (comma-separated event names)")
        result = compute_funnel(
            loaded, steps, mode=args.mode, window=args.window, by=args.by, exclusions=_exclusions(args.exclude)
        )
        names, counts, segments = result.steps, result.counts, result.segments
        warnings += result.warnings
        meta.update(mode=result.mode, window_seconds=result.window_seconds)
    else:
        if args.exclude or args.mode != "ordered":
            warnings.append("--mode and --exclude apply to event logs only; the file gives the counts")
        names, counts, segments = _pick_steps(loaded, steps)
        warnings += loaded.warnings
        meta["notes"] = list(loaded.notes)
        if not args.by:
            segments = {}
    return _print(args, names, counts, segments, meta, warnings, out, err, extra)


def _print(args, names, counts, segments, meta, warnings, out, err, extra=None) -> int:
    for w in warnings:
        print(f"warning: {w}", file=err)
    if args.format == "json":
        doc = {**meta, **funnel_summary(names, counts, segments or None), "warnings": list(warnings), **(extra or {})}
        if args.by:
            doc["by"] = args.by
        json.dump(doc, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "csv":
        table = segment_table(names, segments) if segments else funnel_table(names, counts)
        buf = io.StringIO()
        table.to_csv(buf, index=False, lineterminator="\n")
        out.write(buf.getvalue())
    else:
        out.write(_text_table(funnel_rows(names, counts), "all people") + "\n")
        for seg, c in segments.items():
            out.write("\n" + _text_table(funnel_rows(names, c), f"{args.by} = {seg}") + "\n")
    return 0


def _day(text: str | None, flag: str):
    if not text:
        return None
    from datetime import date

    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FunnelParameterError(f"{flag} {text!r}: write a day as YYYY-MM-DD") from None


def _run_db(args, steps, out, err) -> int:
    """The funnel counted inside a configured database (imported only here: the CLI starts fast)."""
    from cjm.funnel.sources import open_source

    if not (args.db and args.table):
        raise FunnelParameterError("a database funnel needs both --db NAME and --table TABLE")
    if args.file is not None:
        raise FunnelParameterError("give either a FILE or --db, not both")
    date_from, date_to = _day(args.date_from, "--from"), _day(args.date_to, "--to")
    source = open_source(args.db)
    try:
        found = source.detect(args.table)
        roles = {"user": args.user_col or found.user, "event": args.event_col or found.event}
        roles["time"] = args.time_col or found.time
        missing = [flag for role, flag in (("user", "--user-col"), ("event", "--event-col"), ("time", "--time-col"))
                   if not roles[role]]  # fmt: skip
        if missing:
            raise FunnelParameterError(
                f"the columns are not clear. Name them with {', '.join(missing)} (columns: {', '.join(found.columns)})"
            )
        props = [p.strip() for p in args.props.split(",") if p.strip()] if args.props else []
        if args.by and args.by not in props:
            props.append(args.by)
        unit = {"s": "epoch_s", "ms": "epoch_ms", "us": "epoch_us", "timestamp": "timestamp"}.get(args.time_unit or "")
        table = source.table_spec(args.table, **roles, properties=props, time_kind=unit)
        if not steps:
            top = source.event_names(table, date_from=date_from, date_to=date_to, limit=20)["event"].tolist()
            raise FunnelParameterError(
                f"a database funnel needs --steps (comma-separated event names; most frequent: {', '.join(top)})"
            )
        result = source.funnel(
            table,
            steps,
            mode=args.mode,
            window=args.window,
            by=args.by,
            exclusions=_exclusions(args.exclude),
            date_from=date_from,
            date_to=date_to,
        )
    finally:
        source.close()
    meta = {
        "source": f"{args.db}: {args.table}",
        "kind": "database",
        "database": source.describe(),
        "mode": result.mode,
        "window_seconds": result.window_seconds,
    }
    if date_from or date_to:
        meta["date_range"] = [str(date_from) if date_from else None, str(date_to) if date_to else None]
    times = result.times.astype(object).where(result.times.notna(), None).to_dict("records")
    return _print(args, result.steps, result.counts, result.segments, meta, list(result.warnings), out, err,
                  {"time_to_convert": times})  # fmt: skip


def main(argv: Sequence[str] | None = None, out=None, err=None) -> int:
    """Run ``funnel`` on its own: ``main(["sample.csv", "--steps", "a,b"])``."""
    parser = argparse.ArgumentParser(prog="python -m cjm funnel", description=__doc__.splitlines()[0])
    _add_arguments(parser)
    args = parser.parse_args(argv)
    return run(args, out, err)


if __name__ == "__main__":
    raise SystemExit(main())
