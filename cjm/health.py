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
from dataclasses import asdict, dataclass, replace
from pathlib import Path

import networkx as nx

from cjm import competitors as rivals
from cjm import model
from cjm.emotion import POSITIVE_ABOVE, peak_end
from cjm.errors import CJMError
from cjm.i18n import LANGUAGES, label, t
from cjm.text import is_blank

__all__ = [
    "LEVELS",
    "Finding",
    "CHECKS",
    "NEGATIVE_AT_MOST",
    "TWO_WAY_CHANNELS",
    "MANY_STEPS",
    "RULES",
    "RULE_OF",
    "by_rule",
    "rule_title",
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

#: An action taking more steps than this is not easy (rule 10).
MANY_STEPS = 5

#: A peak weaker than this (in either direction) is unremarkable (rule 7).
REMARKABLE_AT_LEAST = 1.0

#: The ten rules for touchpoints (docs/domain.md), by number; ``health.rule.<n>`` names each.
RULES = tuple(range(1, 11))

#: The rule each check serves (``check`` ids without their ``:channel`` suffix).
RULE_OF: dict[str, int] = {
    "competitor": 1,
    "unreachable": 2,
    "no_way_to_conversion": 2,
    "no_conversion": 2,
    "empty_stage": 2,
    "walk_the_path": 3,
    "unassessed": 3,
    "key_touchpoints": 5,
    "missing_open": 6,
    "peak_end": 7,
    "negative_unanswered": 7,
    "contact_capture": 8,
    "abandoned_channel": 9,
    "dead_end": 10,
    "many_steps": 10,
}

_MAX_NAMES = 6


@dataclass(frozen=True)
class Finding:
    """One thing a check found: ``check`` (its id), ``level``, ``message``, ``touchpoints`` (ids)."""

    check: str
    level: str
    message: str
    touchpoints: tuple[str, ...] = ()
    #: The rule the check serves (1 … 10, :data:`RULE_OF`); 0 until :func:`run_checks` sets it.
    rule: int = 0
    #: How to fix it, in the message's language.
    hint: str = ""

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


def has_purchase_phases(G: nx.DiGraph) -> bool:
    """True when the map's phases are the phases of a purchase (before, during, after): not a
    day-in-the-life map, whose phases are parts of a day, and with a purchase-phase stage."""
    if G.graph.get("map_type") == "day_in_life":
        return False
    return any(s.get("phase") == "purchase" for s in model.stages(G))


def is_one_way(d: dict) -> bool:
    """A touchpoint where only the company speaks: a communication (an ad, a banner, a post) that
    raises interest, in any channel. Such a touchpoint does not open a conversation to keep up."""
    return d.get("category") == "communications" and d.get("role") != "convince" and not d.get("captures_contact")


def check_abandoned_channel(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Rule 9: a two-way channel we use in one phase but in none of the later phases of the map. Only
    on maps with purchase phases (:func:`has_purchase_phases`); one-way touchpoints such as ads
    (:func:`is_one_way`) neither open a channel nor keep it."""
    if not has_purchase_phases(G):
        return []
    by_phase = model.touchpoints_by_phase(G)
    phases = [p for p, nodes in by_phase.items() if nodes]
    nodes_of: dict[tuple[str, str], list[str]] = {}
    for p in phases:
        for n in by_phase[p]:
            d = G.nodes[n]
            ch = d.get("channel")
            if ch in TWO_WAY_CHANNELS and d.get("status") in ("existing", "planned", None) and not is_one_way(d):
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


def check_walk_the_path(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Rule 3, walk the path as the customer: stages whose touchpoints are all assumed or inferred
    (nobody observed a customer or asked one there)."""
    by_stage = model.touchpoints_by_stage(G)
    blind = []
    for s in model.stages(G):
        nodes = [n for n in by_stage.get(s["id"], []) if G.nodes[n].get("status") not in ("retired", "missing")]
        if nodes and all(G.nodes[n].get("evidence") in ("assumed", "inferred", None, "") for n in nodes):
            blind.append(model.stage_label(s, lang))
    if not blind:
        return []
    stages = ", ".join(f"«{s}»" for s in blind)
    return [Finding("walk_the_path", "warning", t("health.walk_the_path", lang, stages=stages, n=len(blind)))]


def _worst_stage(G: nx.DiGraph) -> str | None:
    """The stage that loses the most people (sum of the drop-offs of its touchpoints), if known."""
    from cjm.overview import touchpoint_drop_offs

    drops: dict[str, int] = {}
    for row in touchpoint_drop_offs(G).itertuples():
        if row.drop_off:
            drops[row.stage] = drops.get(row.stage, 0) + int(row.drop_off)
    return max(drops, key=lambda s: drops[s]) if drops else None


def _assessed_key(d: dict) -> bool:
    return bool(d.get("key_touchpoint")) and d.get("score") is not None


def check_key_touchpoints(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Rule 5, find the key touchpoints: each conversion point, and the stage that loses the most
    people, has a key touchpoint assessed in the audit (marked key and given a score)."""
    todo = [n for n in model.conversion_points(G) if not _assessed_key(G.nodes[n])]
    out = [_finding("key_touchpoints", "warning", "health.key_conversion", G, todo, lang)] if todo else []
    worst = _worst_stage(G)
    if worst is not None:
        nodes = [n for n in model.touchpoints_by_stage(G).get(worst, []) if G.nodes[n].get("status") != "retired"]
        if not any(_assessed_key(G.nodes[n]) for n in nodes):
            stage = next((model.stage_label(s, lang) for s in model.stages(G) if s["id"] == worst), worst)
            out.append(Finding("key_touchpoints", "warning", t("health.key_drop_stage", lang, stage=f"«{stage}»")))
    return out


def check_peak_end(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Rule 7, be memorable (the peak-end rule: the most intense moment and the last one dominate what
    is remembered): flags an end that is not positive and a peak that is negative or unremarkable
    (weaker than :data:`REMARKABLE_AT_LEAST`). :func:`cjm.emotion.peak_end` finds both moments."""
    peak, end = peak_end(G)
    if end is None:
        return []
    out: list[Finding] = []
    e_end = float(G.nodes[end]["emotion"])
    if e_end <= POSITIVE_ABOVE:
        out.append(_finding("peak_end", "warning", "health.end_flat", G, [end], lang))
    e_peak = float(G.nodes[peak]["emotion"])
    if e_peak < 0 or abs(e_peak) < REMARKABLE_AT_LEAST:
        key = "health.peak_negative" if e_peak < 0 else "health.peak_flat"
        out.append(_finding("peak_end", "warning", key, G, [peak], lang))
    return out


def check_contact_capture(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Rule 8, keep the contact without a sale: on a map with purchase phases, some touchpoint before
    the purchase takes the customer's contact details (``captures_contact``)."""
    if not has_purchase_phases(G) or not model.active_touchpoints(G):
        return []
    before = model.touchpoints_by_phase(G).get("before_purchase", [])
    if any(G.nodes[n].get("captures_contact") and G.nodes[n].get("status") != "missing" for n in before):
        return []
    return [Finding("contact_capture", "warning", t("health.contact_capture", lang))]


def check_many_steps(G: nx.DiGraph, lang: str = "en") -> list[Finding]:
    """Rule 10, make it easy: touchpoints whose action takes more than :data:`MANY_STEPS` steps."""
    long = [
        n
        for n in model.active_touchpoints(G)
        if G.nodes[n].get("steps") is not None and G.nodes[n]["steps"] > MANY_STEPS
    ]
    return [_finding("many_steps", "warning", "health.many_steps", G, long, lang, limit=MANY_STEPS)] if long else []


def check_competitors(G: nx.DiGraph, competitors: Sequence[nx.DiGraph], lang: str = "en") -> list[Finding]:
    """Rules 1 and 4, watch the competitors and order from them: stages where a comparable competitor
    map (:func:`cjm.competitors.competitors_for`) has a touchpoint and we have none, or a better
    emotion (:func:`cjm.competitors.stage_gaps`)."""
    out = []
    for stage, name, kind in rivals.stage_gaps(G, rivals.competitors_for(G, competitors), lang):
        key = "health.competitor_touchpoint" if kind == "touchpoint" else "health.competitor_emotion"
        out.append(Finding("competitor", "warning", t(key, lang, stage=f"«{stage}»", competitor=f"«{name}»")))
    return out


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
    check_walk_the_path,
    check_key_touchpoints,
    check_peak_end,
    check_contact_capture,
    check_many_steps,
    check_unassessed,
)


def run_checks(G: nx.DiGraph, lang: str = "en", competitors: Sequence[nx.DiGraph] = ()) -> list[Finding]:
    """Every check's findings, errors first, then warnings, then info (check order within a level),
    each with its rule and fix hint. ``competitors`` are maps the competitor check may compare with
    (only comparable competitor maps among them are used)."""
    findings = [f for check in CHECKS for f in check(G, lang)] + check_competitors(G, competitors, lang)
    findings = [_with_rule(f, lang) for f in findings]
    return sorted(findings, key=lambda f: LEVELS.index(f.level))


def _with_rule(f: Finding, lang: str) -> Finding:
    base = f.check.split(":")[0]
    return replace(f, rule=RULE_OF[base], hint=t("health.hint." + base, lang))


def rule_title(rule: int, lang: str = "en") -> str:
    """``Rule 2 — keep the chain continuous`` in the language asked for."""
    return t("health.rule_title", lang, n=rule, name=t(f"health.rule.{rule}", lang))


def by_rule(findings: Sequence[Finding]) -> dict[int, list[Finding]]:
    """Findings grouped by rule, rules in order (1 … 10), each group in the findings' order."""
    out: dict[int, list[Finding]] = {}
    for f in sorted(findings, key=lambda f: f.rule):
        out.setdefault(f.rule, []).append(f)
    return out


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
    for rule, group in by_rule(findings).items():
        lines.append("  " + rule_title(rule, lang))
        for f in group:
            lines.append(f"    [{t('health.level.' + f.level, lang)}] {f.message}")
            if f.hint:
                lines.append(f"      {t('health.fix', lang)}: {f.hint}")
    return "\n".join(lines)


def _run(args: argparse.Namespace) -> int:
    status = 0
    out: list[dict[str, object]] = []
    loaded: list[tuple[str, nx.DiGraph]] = []
    for ref in [*args.maps, *(args.competitor or [])]:
        try:
            loaded.append((ref, load_map(ref, getattr(args, "database", None))))
        except CJMError as exc:
            print(f"{ref}: {exc}", file=sys.stderr)
            status = 1
    graphs = [G for _, G in loaded]
    for ref, G in loaded:
        if ref not in args.maps:
            continue
        findings = run_checks(G, args.lang, competitors=graphs)
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
    parser.add_argument(
        "--competitor",
        action="append",
        metavar="MAP",
        help="a competitor's map to compare with (repeatable; competitor maps among MAP are used too)",
    )
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
