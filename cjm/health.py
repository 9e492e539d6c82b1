"""Journey health checks: the sources' rules for touchpoints turned into automatic checks.

Every check is a small function ``check(G, lang) -> list[Finding]`` listed in :data:`CHECKS`; adding a
check is writing one function and appending it there (plus its message in ``catalog_overview``).
:func:`run_checks` runs them all. A finding has a level (``error`` breaks the journey, ``warning``
needs attention, ``info`` is a reminder), a translated message naming the touchpoints, and their ids.

Retired touchpoints are ignored by every check. ``python -m cjm check MAP [MAP...]`` (see
:func:`register` / :func:`main`) prints the findings and exits 1 when any is an error or a map cannot be
read, 0 otherwise.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import networkx as nx

from cjm import model
from cjm.errors import CJMError
from cjm.i18n import LANGUAGES, label, t
from cjm.text import is_blank

__all__ = [
    "LEVELS",
    "Finding",
    "CHECKS",
    "NEGATIVE_AT_MOST",
    "TWO_WAY_CHANNELS",
    "run_checks",
    "worst_level",
    "load_map",
    "format_findings",
    "register",
    "main",
]

LEVELS = ("error", "warning", "info")

#: A touchpoint at or below this emotion is a negative touchpoint (needs a remedy).
NEGATIVE_AT_MOST = -1.0

#: Channels where customers expect us to answer back; leaving one later in the journey abandons them.
#: (Print, word of mouth, events, couriers are one-way or episodic by nature.)
TWO_WAY_CHANNELS = ("website", "mobile_app", "phone", "email", "messenger", "social", "office")

_MAX_NAMES = 6


@dataclass(frozen=True)
class Finding:
    """One thing a check found: ``check`` (its id), ``level``, ``message``, ``touchpoints`` (ids)."""

    check: str
    level: str
    message: str
    touchpoints: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        return asdict(self) | {"touchpoints": list(self.touchpoints)}


def _names(G: nx.DiGraph, nodes: Sequence[str], lang: str) -> str:
    shown = [f"«{G.nodes[n].get('name') or n}»" for n in nodes[:_MAX_NAMES]]
    text = ", ".join(shown)
    if len(nodes) > _MAX_NAMES:
        text += " " + t("health.and_more", lang, n=len(nodes) - _MAX_NAMES)
    return text


def _finding(check: str, level: str, key: str, G: nx.DiGraph, nodes: Sequence[str], lang: str, **kw) -> Finding:
    message = t(key, lang, names=_names(G, nodes, lang), n=len(nodes), **kw)
    return Finding(check, level, message, tuple(nodes))


def check_unreachable(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Broken chain: touchpoints a customer cannot reach from where the journey starts
    (:func:`cjm.model.unreachable` from :func:`cjm.model.entry_points`). Missing touchpoints are
    reported by their own check, not here."""
    lost = model.unreachable(G)
    return [_finding("unreachable", "error", "health.unreachable", G, lost, lang)] if lost else []


def check_dead_ends(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Broken chain: **dead ends**, touchpoints with no way on before the last conversion point
    (:func:`cjm.model.dead_ends`)."""
    dead = model.dead_ends(G)
    return [_finding("dead_end", "error", "health.dead_end", G, dead, lang)] if dead else []


def check_no_way_to_conversion(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Touchpoints reached without converting from which **no way leads to a conversion**
    (:func:`cjm.model.no_way_to_conversion`); dead ends already reported are not repeated."""
    dead = set(model.dead_ends(G))
    lost = [n for n in model.no_way_to_conversion(G) if n not in dead]
    return [_finding("no_way_to_conversion", "warning", "health.no_way_to_conversion", G, lost, lang)] if lost else []


def check_empty_stages(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Stages with no touchpoint at all (a gap in the journey)."""
    active = set(model.active_touchpoints(G))
    empty = [
        model.stage_label(s, lang)
        for s in model.stages(G)
        if not any(n in active for n in model.touchpoints_by_stage(G).get(s["id"], []))
    ]
    if not empty:
        return []
    stages = ", ".join(f"«{s}»" for s in empty)
    return [Finding("empty_stage", "warning", t("health.empty_stage", lang, stages=stages, n=len(empty)))]


def check_no_conversion(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """No conversion point: nowhere a prospect becomes a customer (a warning on day-in-the-life maps,
    where the company may be absent most of the day)."""
    if not model.active_touchpoints(G) or any(G.nodes[n].get("conversion_point") for n in model.active_touchpoints(G)):
        return []
    level = "warning" if G.graph.get("map_type") == "day_in_life" else "error"
    return [Finding("no_conversion", level, t("health.no_conversion", lang))]


def check_negative_unanswered(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Negative touchpoints (emotion ≤ −1) with neither an opportunity written down nor a recovery: a
    next touchpoint where the customer feels neutral or better (the "free pizza if late" pattern)."""
    bad = []
    for n in model.active_touchpoints(G):
        d = G.nodes[n]
        e = d.get("emotion")
        if e is None or e > NEGATIVE_AT_MOST or not is_blank(d.get("opportunity")):
            continue
        recovered = any(
            G.nodes[s].get("emotion") is not None
            and G.nodes[s]["emotion"] >= 0
            and G.nodes[s].get("status") != "retired"
            for s in G.successors(n)
        )
        if not recovered:
            bad.append(n)
    return [_finding("negative_unanswered", "warning", "health.negative_unanswered", G, bad, lang)] if bad else []


def check_missing_open(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Missing touchpoints (customers need them, we are absent) still open."""
    missing = [n for n in model.active_touchpoints(G) if G.nodes[n].get("status") == "missing"]
    return [_finding("missing_open", "warning", "health.missing_open", G, missing, lang)] if missing else []


def check_abandoned_channel(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """A two-way channel we use in one phase but in none of the later phases of the map."""
    by_phase = model.touchpoints_by_phase(G)
    phases = [p for p, nodes in by_phase.items() if nodes]
    nodes_of: dict[tuple[str, str], list[str]] = {}
    for p in phases:
        for n in by_phase[p]:
            d = G.nodes[n]
            ch = d.get("channel")
            if ch in TWO_WAY_CHANNELS and d.get("status") in ("existing", "planned", None):
                nodes_of.setdefault((ch, p), []).append(n)
    out: list[Finding] = []
    for ch in TWO_WAY_CHANNELS:
        present = [i for i, p in enumerate(phases) if (ch, phases[i]) in nodes_of]
        if not present:
            continue
        last = present[-1]
        if last < len(phases) - 1:
            later = ", ".join(f"«{label('phase', p, lang)}»" for p in phases[last + 1 :])
            nodes = nodes_of[(ch, phases[last])]
            out.append(
                _finding(
                    f"abandoned_channel:{ch}",
                    "warning",
                    "health.abandoned_channel",
                    G,
                    nodes,
                    lang,
                    channel=label("channel", ch, lang),
                    phase=label("phase", phases[last], lang),
                    later=later,
                )
            )
    return out


def check_unassessed(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Touchpoints whose emotion is not assessed yet (no emotion and no votes). Missing touchpoints
    are left to their own check: we are absent there, so nobody could have assessed them."""
    todo = [
        n
        for n in model.active_touchpoints(G)
        if G.nodes[n].get("emotion") is None and not G.nodes[n].get("votes") and G.nodes[n].get("status") != "missing"
    ]
    return [_finding("unassessed", "info", "health.unassessed", G, todo, lang)] if todo else []


#: The checks, in the order their findings are shown. Each is ``f(G, lang) -> list[Finding]``.
CHECKS: tuple[Callable[[nx.DiGraph, str], list[Finding]], ...] = (
    check_unreachable,
    check_dead_ends,
    check_no_way_to_conversion,
    check_no_conversion,
    check_empty_stages,
    check_negative_unanswered,
    check_missing_open,
    check_abandoned_channel,
    check_unassessed,
)


def run_checks(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Every check's findings, errors first, then warnings, then info (check order within a level)."""
    findings = [f for check in CHECKS for f in check(G, lang)]
    return sorted(findings, key=lambda f: LEVELS.index(f.level))


def worst_level(findings: Sequence[Finding]) -> str | None:
    """``error``, ``warning``, ``info`` or ``None`` (no finding)."""
    levels = {f.level for f in findings}
    return next((lvl for lvl in LEVELS if lvl in levels), None)


# --- command line -------------------------------------------------------------------------------


def load_map(ref: str, database: str | None = None) -> nx.DiGraph:
    """A map from a JSON/CSV/XLSX file path, or else from the store (``database`` URL) by map id."""
    path = Path(ref)
    if path.is_file():
        if path.suffix.lower() == ".json":
            from cjm.io.jsonio import read_json

            return read_json(path)
        from cjm.io.tables import read_map_file

        return read_map_file(path.read_bytes(), filename=path.name)
    from cjm.store import get_store

    return get_store(database).load(ref).graph


def format_findings(G: nx.DiGraph, findings: Sequence[Finding], lang: str = "en") -> str:
    """Plain text for a terminal: a header line naming the map, then one line per finding."""
    title = G.graph.get("title") or G.graph.get("id")
    head = f"{title} ({G.graph.get('id')})"
    if not findings:
        return f"{head}: {t('health.all_clear', lang)}"
    lines = [f"{head}: {t('health.summary', lang, n=len(findings))}"]
    for f in findings:
        lines.append(f"  [{t('health.level.' + f.level, lang)}] {f.message}")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    status = 0
    out: list[dict[str, object]] = []
    for ref in args.maps:
        try:
            G = load_map(ref, getattr(args, "database", None))
        except CJMError as exc:
            print(f"{ref}: {exc}", file=sys.stderr)
            status = 1
            continue
        findings = run_checks(G, args.lang)
        if worst_level(findings) == "error":
            status = max(status, 1)
        if args.json:
            out.append(
                {"map": G.graph.get("id"), "title": G.graph.get("title"), "findings": [f.as_dict() for f in findings]}
            )
        else:
            print(format_findings(G, findings, args.lang))
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
    return status


def _configure(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    parser.add_argument("maps", nargs="+", metavar="MAP", help="a stored map id or a JSON/CSV/XLSX file")
    parser.add_argument("--lang", choices=LANGUAGES, default="en", help="language of the messages (default: en)")
    parser.add_argument("--json", action="store_true", help="print the findings as JSON")
    parser.set_defaults(func=_run)
    return parser


def register(subparsers: argparse._SubParsersAction) -> argparse.ArgumentParser:
    """Add the ``check`` subcommand to ``python -m cjm``; its ``func(args)`` returns the exit code."""
    parser = subparsers.add_parser(
        "check",
        help="run the journey health checks on maps",
        description="Run the journey health checks. Exit 1 when any finding is an error or a map cannot be read.",
    )
    return _configure(parser)


def main(argv: Sequence[str] | None = None) -> int:
    """``check`` on its own: ``main(["map.json"])`` returns the exit code."""
    parser = argparse.ArgumentParser(prog="python -m cjm check", description="Run the journey health checks.")
    parser.add_argument("--database", help="SQLAlchemy URL (default: $CJM_DATABASE_URL or SQLite in $CJM_DATA_DIR)")
    _configure(parser)
    args = parser.parse_args(list(argv) if argv is not None else None)
    return args.func(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
