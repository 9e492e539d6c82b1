"""The touchpoint audit (the six-step plan): inventory, selection and ranking of key touchpoints,
evaluation, improvement tasks with overdue detection, the priority quadrants and coverage gaps.

Everything here is pure: functions take maps (``networkx.DiGraph``) or the inventory DataFrame and
return new objects. Audit edits come back as a new, validated map for the store to save.
"""

from __future__ import annotations

import copy
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import networkx as nx
import pandas as pd

from cjm import model, schema
from cjm.errors import Place, Problem, ValidationError, problem_from
from cjm.i18n import has, label, t
from cjm.io.cells import safe_frame
from cjm.text import fmt_date, fmt_decimal, fmt_int, is_blank
from cjm.validation import coerce_value, validate_map

__all__ = [
    "AUDIT_STEPS",
    "AUDIT_FIELDS",
    "STEP_FIELDS",
    "QUADRANTS",
    "IMPORTANCE_HIGH",
    "SCORE_GOOD",
    "INVENTORY_COLUMNS",
    "TASK_COLUMNS",
    "AuditProgress",
    "inventory",
    "filter_inventory",
    "filter_options",
    "ranking",
    "suggest_key_touchpoints",
    "key_touchpoint_suggestions",
    "KeySuggestion",
    "SUGGEST_SHARE",
    "evaluation_summary",
    "quadrant",
    "priority_table",
    "is_overdue",
    "task_table",
    "tasks_export_frame",
    "tasks_csv",
    "tasks_xlsx",
    "coverage_table",
    "coverage_gaps",
    "unused_choices",
    "audit_progress",
    "audit_frame",
    "effective_edits",
    "apply_audit_edits",
    "display_frame",
    "style_overdue",
]

#: The six steps of the audit plan, in order (i18n: ``audit.step.<id>``).
AUDIT_STEPS = ("identify", "select", "rank", "evaluate", "tasks", "carry_out")

#: The touchpoint fields an audit edits; everything else stays as the editor left it.
AUDIT_FIELDS = (
    "key_touchpoint",
    "importance",
    "score",
    "evaluated_by",
    "evaluation_note",
    "owner",
    "task",
    "deadline",
    "task_status",
    "catalogue_id",
    "catalogue_rejected",
)

#: The editable fields of each editing step of the audit page.
STEP_FIELDS: dict[str, tuple[str, ...]] = {
    "select": ("key_touchpoint", "importance"),
    "evaluate": ("score", "evaluated_by", "evaluation_note"),
    "tasks": ("task", "owner", "deadline", "task_status"),
}

#: Importance at or above this is "high" (4 = important, 5 = critical on the 1–5 scale).
IMPORTANCE_HIGH = 4
#: A score at or above this is "good" (4–5); 1–3 means the touchpoint needs work.
SCORE_GOOD = 4

#: The four quadrants of the priority matrix, most urgent first (i18n: ``audit.quadrant.<id>``).
QUADRANTS = ("fix_first", "keep_up", "improve_later", "dont_overinvest")

_FIELDS = {f.name: f for f in schema.TOUCHPOINT_FIELDS}

INVENTORY_COLUMNS = [
    "map_id",
    "map_title",
    "id",
    "name",
    "position",
    "phase",
    "stage",
    "stage_name",
    "channel",
    "category",
    "status",
    "conversion_point",
    "emotion",
    "users",
    "pain_point",
    "key_touchpoint",
    "importance",
    "score",
    "evaluated_by",
    "evaluation_note",
    "owner",
    "task",
    "deadline",
    "task_status",
]

TASK_COLUMNS = [
    "map_id",
    "map_title",
    "id",
    "name",
    "stage_name",
    "task",
    "owner",
    "deadline",
    "task_status",
    "overdue",
    "days_overdue",
    "importance",
    "score",
]


def _int_or_none(value: Any) -> int | None:
    return None if is_blank(value) else int(value)


# --- step 1: inventory ------------------------------------------------------------------------


def inventory(maps: Iterable[nx.DiGraph], lang: str = "en") -> pd.DataFrame:
    """Each row is a touchpoint of a map, maps in the given order and touchpoints in journey order.

    Columns: ``map_id``, ``map_title``, ``id``, ``name``, ``position`` (1-based place in its map's
    journey order), ``phase``, ``stage`` (id), ``stage_name`` (display name in ``lang``),
    ``channel``, ``category``, ``status``, ``conversion_point``, ``emotion``, ``users``,
    ``pain_point`` and the audit fields (``key_touchpoint``, ``importance``, ``score``,
    ``evaluated_by``, ``evaluation_note``, ``owner``, ``task``, ``deadline``, ``task_status``).
    Choices stay as ids (translate with :func:`cjm.i18n.label`); numbers are nullable.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("Shop", map_id="shop"); _ = add_touchpoint(G, "Checkout", "purchase", score=2)
    >>> inventory([G])[["map_id", "name", "phase", "score"]].to_dict("records")
    [{'map_id': 'shop', 'name': 'Checkout', 'phase': 'purchase', 'score': 2}]
    """
    rows = []
    for G in maps:
        stage_info = {s["id"]: s for s in model.stages(G)}
        for pos, node in enumerate(model.touchpoints_in_order(G), start=1):
            d = G.nodes[node]
            stage = stage_info.get(d.get("stage"))
            rows.append(
                {
                    "map_id": G.graph.get("id"),
                    "map_title": G.graph.get("title") or G.graph.get("id"),
                    "id": str(node),
                    "name": d.get("name") or str(node),
                    "position": pos,
                    "phase": stage.get("phase") if stage else None,
                    "stage": d.get("stage"),
                    "stage_name": model.stage_label(stage, lang) if stage else str(d.get("stage") or ""),
                    "channel": d.get("channel") or "",
                    "category": d.get("category") or "",
                    "status": d.get("status") or "existing",
                    "conversion_point": bool(d.get("conversion_point")),
                    "emotion": d.get("emotion"),
                    "users": model.touchpoint_users(G, node),
                    "pain_point": d.get("pain_point") or "",
                    "key_touchpoint": bool(d.get("key_touchpoint")),
                    "importance": d.get("importance"),
                    "score": d.get("score"),
                    "evaluated_by": d.get("evaluated_by") or "",
                    "evaluation_note": d.get("evaluation_note") or "",
                    "owner": d.get("owner") or "",
                    "task": d.get("task") or "",
                    "deadline": d.get("deadline") or "",
                    "task_status": d.get("task_status") or "",
                }
            )
    df = pd.DataFrame(rows, columns=INVENTORY_COLUMNS)
    for col in ("importance", "score", "users", "position"):
        df[col] = pd.array([_int_or_none(v) for v in df[col]], dtype="Int64")
    df["emotion"] = pd.array([None if is_blank(v) else float(v) for v in df["emotion"]], dtype="Float64")
    for col in ("conversion_point", "key_touchpoint"):
        df[col] = df[col].astype(bool)
    return df


_FILTER_COLUMNS = {
    "maps": "map_id",
    "phases": "phase",
    "stages": "stage",
    "channels": "channel",
    "categories": "category",
    "statuses": "status",
}


def filter_inventory(
    df: pd.DataFrame,
    *,
    maps: Sequence[str] | None = None,
    phases: Sequence[str] | None = None,
    stages: Sequence[str] | None = None,
    channels: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    statuses: Sequence[str] | None = None,
    key_only: bool = False,
) -> pd.DataFrame:
    """Each row is a touchpoint of the inventory that passes every filter (same columns as
    :func:`inventory`). An empty or ``None`` filter lets everything through; ``stages`` matches
    stage ids; ``channels``/``categories`` may contain ``""`` for "not set"."""
    mask = pd.Series(True, index=df.index)
    given = dict(maps=maps, phases=phases, stages=stages, channels=channels, categories=categories, statuses=statuses)
    for arg, values in given.items():
        if values:
            mask &= df[_FILTER_COLUMNS[arg]].isin(list(values))
    if key_only:
        mask &= df["key_touchpoint"]
    return df[mask].reset_index(drop=True)


def filter_options(df: pd.DataFrame) -> dict[str, list[str]]:
    """The values each filter can take in this inventory, in schema (or journey) order:
    ``{"maps", "phases", "stages", "channels", "categories", "statuses"}``; ``stages`` are ids in
    the order they first appear."""

    def ordered(col: str, canon: Sequence[str]) -> list[str]:
        present = set(df[col].dropna())
        return [v for v in canon if v in present] + sorted(v for v in present if v not in canon)

    return {
        "maps": list(dict.fromkeys(df["map_id"])),
        "phases": ordered("phase", schema.PHASES),
        "stages": list(dict.fromkeys(df["stage"].dropna())),
        "channels": ordered("channel", schema.CHANNELS),
        "categories": ordered("category", schema.CATEGORIES),
        "statuses": ordered("status", schema.STATUSES),
    }


# --- steps 2–3: select and rank ---------------------------------------------------------------


def ranking(df: pd.DataFrame) -> pd.DataFrame:
    """Each row is a key touchpoint, most valuable first: by importance (high first, unranked
    last), then score (worst first: it needs attention sooner), then map and journey position.

    Columns: ``rank`` (1-based) and the inventory columns.
    """
    key = df[df["key_touchpoint"]].copy()
    key["_imp"] = key["importance"].fillna(0).astype(int)
    key["_score"] = key["score"].fillna(99).astype(int)
    key["_map"] = key["map_id"].map({m: i for i, m in enumerate(dict.fromkeys(df["map_id"]))})
    key = key.sort_values(["_imp", "_score", "_map", "position"], ascending=[False, True, True, True], kind="stable")
    key = key.drop(columns=["_imp", "_score", "_map"]).reset_index(drop=True)
    key.insert(0, "rank", pd.array(range(1, len(key) + 1), dtype="Int64"))
    return key


#: The suggestion proposes at most about this share of the map's touchpoints (at least one).
SUGGEST_SHARE = 0.2


@dataclass(frozen=True)
class KeySuggestion:
    """A touchpoint worth marking as key: ``id``, ``reason`` (``conversion``, ``drop_off`` or
    ``emotion``) and the number behind it (``value``: people lost, or −emotion × importance)."""

    id: str
    reason: str
    value: float | None = None

    def text(self, G: nx.DiGraph, lang: str = "en") -> str:
        """The touchpoint's name and the reason, in ``lang``."""
        shown = fmt_int(self.value, lang) if self.reason == "drop_off" else fmt_decimal(self.value, lang)
        reason = t(f"audit.reason.{self.reason}", lang, value=shown)
        return f"{G.nodes[self.id].get('name') or self.id} ({reason})"


def key_touchpoint_suggestions(G: nx.DiGraph) -> list[KeySuggestion]:
    """A short ranked list of touchpoints worth marking as key that are not yet, with the reason for
    each: conversion points first (journey order), then the largest drop-offs (people lost, most
    first), then the lowest emotion × importance (importance 3 when not set). At most about a fifth
    of the map's active touchpoints (:data:`SUGGEST_SHARE`, at least one).

    >>> from cjm.model import new_map, add_touchpoint, add_transition
    >>> G = new_map("demo"); a = add_touchpoint(G, "Ad", "awareness", users=100); b = add_touchpoint(G, "Pay",
    ...     "purchase", conversion_point=True); c = add_touchpoint(G, "Mail", "retention", emotion=-2.0)
    >>> [(s.id, s.reason) for s in key_touchpoint_suggestions(G)]
    [('tp-2', 'conversion')]
    """
    from cjm.overview import touchpoint_drop_offs

    active = model.active_touchpoints(G)
    limit = max(1, round(len(active) * SUGGEST_SHARE)) if active else 0
    free = [n for n in active if not G.nodes[n].get("key_touchpoint") and G.nodes[n].get("status") != "missing"]
    out = [KeySuggestion(n, "conversion") for n in free if G.nodes[n].get("conversion_point")]
    drops = [
        (int(r.drop_off), i, r.id)
        for i, r in enumerate(touchpoint_drop_offs(G).itertuples())
        if r.drop_off and r.id in free
    ]
    out += [KeySuggestion(n, "drop_off", float(v)) for v, _, n in sorted(drops, key=lambda x: (-x[0], x[1]))]
    weights = []
    for i, n in enumerate(free):
        e = G.nodes[n].get("emotion")
        if e is not None and e < 0:
            imp = G.nodes[n].get("importance")
            weights.append((-float(e) * (imp if imp is not None else 3), i, n))
    out += [KeySuggestion(n, "emotion", round(v, 1)) for v, _, n in sorted(weights, key=lambda x: (-x[0], x[1]))]
    seen: set[str] = set()
    ranked = []
    for s in out:
        if s.id not in seen:
            seen.add(s.id)
            ranked.append(s)
    return ranked[:limit]


def suggest_key_touchpoints(G: nx.DiGraph) -> list[str]:
    """The ids of :func:`key_touchpoint_suggestions`, ranked."""
    return [s.id for s in key_touchpoint_suggestions(G)]


# --- step 4: evaluate -------------------------------------------------------------------------


def evaluation_summary(df: pd.DataFrame) -> pd.DataFrame:
    """Each row is an evaluator kind (self, expert, customer, mystery shopper, then "" for
    scores with no evaluator given) that scored at least one touchpoint; columns ``evaluated_by``,
    ``touchpoints`` (how many it scored), ``mean_score``, ``min_score``."""
    scored = df[df["score"].notna()]
    rows = []
    for who in (*schema.EVALUATORS, ""):
        part = scored[scored["evaluated_by"] == who]["score"].astype(float)
        if len(part):
            rows.append(
                {
                    "evaluated_by": who,
                    "touchpoints": len(part),
                    "mean_score": round(float(part.mean()), 2),
                    "min_score": int(part.min()),
                }
            )
    return pd.DataFrame(rows, columns=["evaluated_by", "touchpoints", "mean_score", "min_score"])


# --- the priority matrix ----------------------------------------------------------------------


def quadrant(
    importance: Any, score: Any, *, importance_high: int = IMPORTANCE_HIGH, score_good: int = SCORE_GOOD
) -> str | None:
    """The priority quadrant of a touchpoint, or ``None`` when it lacks importance or score.

    High importance is ``importance >= importance_high`` (default 4); a good score is
    ``score >= score_good`` (default 4). High importance and a low score → ``fix_first``; high and
    good → ``keep_up``; low and low → ``improve_later``; low importance and a good score →
    ``dont_overinvest``.

    >>> quadrant(5, 2), quadrant(4, 4), quadrant(2, 1), quadrant(3, 5), quadrant(None, 3)
    ('fix_first', 'keep_up', 'improve_later', 'dont_overinvest', None)
    """
    if is_blank(importance) or is_blank(score):
        return None
    high = int(importance) >= importance_high
    good = int(score) >= score_good
    if high:
        return "keep_up" if good else "fix_first"
    return "dont_overinvest" if good else "improve_later"


def priority_table(
    df: pd.DataFrame, *, importance_high: int = IMPORTANCE_HIGH, score_good: int = SCORE_GOOD
) -> pd.DataFrame:
    """Each row is a touchpoint that has both importance and score, most urgent first: by quadrant
    (fix first, keep up, improve later, don't over-invest), then importance (high first), then
    score (low first). Columns: the inventory columns plus ``quadrant``."""
    rated = df[df["importance"].notna() & df["score"].notna()].copy()
    rated["quadrant"] = [
        quadrant(i, s, importance_high=importance_high, score_good=score_good)
        for i, s in zip(rated["importance"], rated["score"], strict=True)
    ]
    rated["_q"] = rated["quadrant"].map({q: i for i, q in enumerate(QUADRANTS)})
    rated["_imp"] = rated["importance"].astype(int)
    rated["_score"] = rated["score"].astype(int)
    rated = rated.sort_values(["_q", "_imp", "_score"], ascending=[True, False, True], kind="stable")
    return rated.drop(columns=["_q", "_imp", "_score"]).reset_index(drop=True)


# --- steps 5–6: tasks -------------------------------------------------------------------------


def _as_date(value: Any) -> date | None:
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        return None


def is_overdue(deadline: Any, task_status: Any, today: date) -> bool:
    """True when a task's deadline is before ``today`` and the task is not done.

    A task due today is not overdue yet; a task without a deadline never is.

    >>> from datetime import date
    >>> is_overdue("2024-03-01", "todo", date(2024, 3, 2)), is_overdue("2024-03-01", "done", date(2024, 3, 2))
    (True, False)
    >>> is_overdue("2024-03-02", "in_progress", date(2024, 3, 2))
    False
    """
    due = _as_date(deadline)
    return due is not None and due < today and (task_status or "") != "done"


def task_table(df: pd.DataFrame, today: date, *, overdue_only: bool = False) -> pd.DataFrame:
    """Each row is an improvement task: a touchpoint with a task, an owner or a deadline (only the
    overdue ones with ``overdue_only``).

    Overdue tasks first (most overdue first), then open tasks by deadline (none last), done tasks
    last. Columns: ``map_id``, ``map_title``, ``id``, ``name``, ``stage_name``, ``task``,
    ``owner``, ``deadline`` (ISO text, "" when none), ``task_status``, ``overdue`` (bool),
    ``days_overdue`` (int, 0 unless overdue), ``importance``, ``score``.
    """
    has_task = (df["task"].str.strip() != "") | (df["owner"].str.strip() != "") | (df["deadline"].str.strip() != "")
    tasks = df[has_task].copy()
    tasks["overdue"] = [is_overdue(d, s, today) for d, s in zip(tasks["deadline"], tasks["task_status"], strict=True)]
    days = []
    for d, late in zip(tasks["deadline"], tasks["overdue"], strict=True):
        due = _as_date(d)
        days.append((today - due).days if late and due else 0)
    tasks["days_overdue"] = pd.array(days, dtype="Int64")
    tasks["_done"] = tasks["task_status"] == "done"
    tasks["_due"] = [(_as_date(d) or date.max).toordinal() for d in tasks["deadline"]]
    tasks = tasks.sort_values(
        ["_done", "overdue", "days_overdue", "_due"], ascending=[True, False, False, True], kind="stable"
    )
    if overdue_only:
        tasks = tasks.loc[tasks["overdue"].astype(bool)]
    return tasks[TASK_COLUMNS].reset_index(drop=True)


_EXPORT_COLUMNS = ["map_title", "name", "stage_name", "task", "owner", "deadline", "task_status", "overdue",
                   "days_overdue", "importance", "score"]  # fmt: skip


def tasks_export_frame(tasks: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Each row is an improvement task as exported: headers and choice values translated into
    ``lang``; columns map, touchpoint, stage, task, owner, deadline, task status, overdue (yes/no),
    days overdue, importance, score."""
    out = tasks[_EXPORT_COLUMNS].copy()
    out["task_status"] = [label("task_status", v, lang) for v in out["task_status"]]
    out["overdue"] = [t("audit.yes" if v else "audit.no", lang) for v in out["overdue"]]
    headers = {c: _header(c, lang) for c in _EXPORT_COLUMNS}
    return out.rename(columns=headers)


def tasks_csv(tasks: pd.DataFrame, lang: str = "en") -> bytes:
    """The task list as CSV bytes (UTF-8 with a byte-order mark, so Excel reads Cyrillic); text
    that a spreadsheet would run as a formula is written inert (:func:`cjm.io.cells.safe_cell`)."""
    return safe_frame(tasks_export_frame(tasks, lang)).to_csv(index=False).encode("utf-8-sig")


def tasks_xlsx(tasks: pd.DataFrame, lang: str = "en") -> bytes:
    """The task list as an XLSX workbook (one sheet; overdue rows filled red, header bold); text
    is made inert and storable as in :func:`tasks_csv` (:mod:`cjm.io.cells`)."""
    from openpyxl.styles import Font, PatternFill

    frame = safe_frame(tasks_export_frame(tasks, lang), xlsx=True)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        sheet_name = t("audit.sheet_tasks", lang)[:31]
        frame.to_excel(writer, index=False, sheet_name=sheet_name)
        ws = writer.sheets[sheet_name]
        for cell in ws[1]:
            cell.font = Font(bold=True)
        red = PatternFill("solid", fgColor="FFD7D7")
        for i, late in enumerate(tasks["overdue"].tolist(), start=2):
            if late:
                for cell in ws[i]:
                    cell.fill = red
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col)
            ws.column_dimensions[col[0].column_letter].width = min(60, max(10, width + 2))
        ws.freeze_panes = "A2"
    return buf.getvalue()


# --- coverage ---------------------------------------------------------------------------------

_AXES = {"phase": "phase", "stage": "stage_name", "category": "category", "channel": "channel"}


def coverage_table(
    df: pd.DataFrame,
    rows: str = "phase",
    cols: str = "category",
    *,
    statuses: Sequence[str] = ("existing",),
    used_columns_only: bool = False,
) -> pd.DataFrame:
    """Each row is a phase (``rows="phase"``, in phase order) or a stage (``rows="stage"``, by
    display name, in the order stages first appear); each column a category or channel (all the
    schema's choices in schema order, or with ``used_columns_only`` just those with at least one
    counted touchpoint); a cell counts the touchpoints with one of ``statuses`` (default: existing
    ones). A zero cell is a gap: nothing of that kind in that part of the journey.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("demo"); _ = add_touchpoint(G, "Ad", "awareness", category="materials")
    >>> coverage_table(inventory([G])).loc["before_purchase", "materials"]
    np.int64(1)
    """
    if rows not in ("phase", "stage") or cols not in ("category", "channel"):
        raise ValueError("rows must be 'phase' or 'stage', cols 'category' or 'channel'")
    row_col, col_col = _AXES[rows], _AXES[cols]
    row_values = list(schema.PHASES) if rows == "phase" else list(dict.fromkeys(df[row_col].dropna()))
    col_values = list(schema.CATEGORIES if cols == "category" else schema.CHANNELS)
    wanted = set(statuses)
    counts: dict[tuple[Any, Any], int] = {}
    for r, c, status in zip(df[row_col], df[col_col], df["status"], strict=True):
        if status in wanted:
            counts[(r, c)] = counts.get((r, c), 0) + 1
    if used_columns_only:
        used = {c for (_, c) in counts}
        col_values = [c for c in col_values if c in used]
    table = pd.DataFrame(
        [[counts.get((r, c), 0) for c in col_values] for r in row_values],
        index=pd.Index(row_values, name=rows),
        columns=pd.Index(col_values, name=cols),
        dtype="int64",
    )
    return table


def unused_choices(df: pd.DataFrame, column: str = "channel", *, statuses: Sequence[str] = ("existing",)) -> list[str]:
    """The channels (or categories) no counted touchpoint uses at all, in schema order: whole
    ways of reaching customers the journey never takes.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("demo"); _ = add_touchpoint(G, "Ad", "awareness", channel="social")
    >>> "social" in unused_choices(inventory([G])), "email" in unused_choices(inventory([G]))
    (False, True)
    """
    canon = schema.CHANNELS if column == "channel" else schema.CATEGORIES
    used = set(df[df["status"].isin(list(statuses))][column])
    return [c for c in canon if c not in used]


def coverage_gaps(table: pd.DataFrame) -> list[tuple[str, str]]:
    """The ``(row, column)`` cells of a coverage table with no touchpoint, row by row.

    >>> import pandas as pd
    >>> coverage_gaps(pd.DataFrame({"staff": [0, 2], "offices": [1, 0]}, index=["a", "b"]))
    [('a', 'staff'), ('b', 'offices')]
    """
    return [(str(r), str(c)) for r in table.index for c in table.columns if int(table.loc[r, c]) == 0]


# --- progress through the six steps -----------------------------------------------------------


@dataclass(frozen=True)
class AuditProgress:
    """How far an audit has got: counts behind each of the six steps."""

    touchpoints: int
    missing: int
    key: int
    ranked: int
    evaluated: int
    tasks: int
    tasks_done: int
    overdue: int
    fix_first: int


def audit_progress(df: pd.DataFrame, today: date) -> AuditProgress:
    """Counts for the six steps: touchpoints found (and marked missing), key ones, key ones
    ranked (importance set) and evaluated (score set), tasks, done, overdue, and touchpoints in
    the "fix first" quadrant."""
    key = df[df["key_touchpoint"]]
    tasks = task_table(df, today)
    prio = priority_table(df)
    return AuditProgress(
        touchpoints=len(df),
        missing=int((df["status"] == "missing").sum()),
        key=len(key),
        ranked=int(key["importance"].notna().sum()),
        evaluated=int(key["score"].notna().sum()),
        tasks=len(tasks),
        tasks_done=int((tasks["task_status"] == "done").sum()),
        overdue=int(tasks["overdue"].sum()),
        fix_first=int((prio["quadrant"] == "fix_first").sum()),
    )


# --- editing ----------------------------------------------------------------------------------


def _cell(field: schema.Field, value: Any) -> Any:
    if is_blank(value):
        return "" if field.kind in ("str", "text") else None
    if field.kind == "date":
        return _as_date(value)
    return value


def audit_frame(G: nx.DiGraph, fields: Sequence[str], *, only_key: bool = False, lang: str = "en") -> pd.DataFrame:
    """Each row is a touchpoint of ``G`` in journey order (only key touchpoints when ``only_key``);
    columns ``id``, ``name``, ``stage_name`` (read-only context) and the audit ``fields`` to edit.

    Dates are ``datetime.date``; importance and score nullable ints; blank choices ``None``. The
    ``id`` column is the row id the edits of the table are keyed by.
    """
    unknown = [f for f in fields if f not in AUDIT_FIELDS]
    if unknown:
        raise ValueError(f"not audit fields: {', '.join(unknown)}")
    stage_info = {s["id"]: s for s in model.stages(G)}
    rows = []
    for node in model.touchpoints_in_order(G):
        d = G.nodes[node]
        if only_key and not d.get("key_touchpoint"):
            continue
        stage = stage_info.get(d.get("stage"))
        row = {
            "id": str(node),
            "name": d.get("name") or str(node),
            "stage_name": model.stage_label(stage, lang) if stage else str(d.get("stage") or ""),
        }
        for f in fields:
            row[f] = _cell(_FIELDS[f], d.get(f))
        rows.append(row)
    frame = pd.DataFrame(rows, columns=["id", "name", "stage_name", *fields])
    for f in fields:
        kind = _FIELDS[f].kind
        if kind == "int":
            frame[f] = pd.array([_int_or_none(v) for v in frame[f]], dtype="Int64")
        elif kind == "bool":
            frame[f] = frame[f].astype(bool)
        elif kind in ("date", "choice"):
            frame[f] = pd.Series(list(frame[f]), dtype=object)
    return frame


def effective_edits(G: nx.DiGraph, edits: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """The edits that would change something: values equal to the stored ones (after the same
    conversion :func:`apply_audit_edits` does) are dropped; values that cannot be converted are
    kept, so that applying them reports the problem instead of losing it.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("demo"); _ = add_touchpoint(G, "Checkout", "purchase", score=3)
    >>> effective_edits(G, {"tp-1": {"score": 3.0, "owner": "Ann"}})
    {'tp-1': {'owner': 'Ann'}}
    """
    out: dict[str, dict[str, Any]] = {}
    for tp_id, values in edits.items():
        for field_name, value in values.items():
            if tp_id in G and field_name in AUDIT_FIELDS:
                field = _FIELDS[field_name]
                try:
                    new = coerce_value(field, False if field.kind == "bool" and is_blank(value) else value)
                except ValueError:
                    new = object()  # never equal: keep the bad value so it is reported
                old = G.nodes[tp_id].get(field_name)
                if new == old or (is_blank(new) and is_blank(old)):
                    continue
            out.setdefault(tp_id, {})[field_name] = value
    return out


def apply_audit_edits(G: nx.DiGraph, edits: Mapping[str, Mapping[str, Any]]) -> nx.DiGraph:
    """A new, validated map: ``G`` with the audit ``edits`` (``{touchpoint id: {field: value}}``).

    Values may be editor cells: dates as ``datetime.date``, choices as ids or labels in either
    language, blanks as ``None``/``""``/NaN. Only :data:`AUDIT_FIELDS` may change. Every bad value
    is reported at once in a ``ValidationError`` whose problems name the touchpoint (``touchpoint
    '<id>'``) and the field; ``G`` is never changed.

    >>> from cjm.model import new_map, add_touchpoint
    >>> G = new_map("demo", map_id="demo"); _ = add_touchpoint(G, "Checkout", "purchase")
    >>> H = apply_audit_edits(G, {"tp-1": {"score": "2", "evaluated_by": "Mystery shopper"}})
    >>> H.nodes["tp-1"]["score"], H.nodes["tp-1"]["evaluated_by"], G.nodes["tp-1"]["score"]
    (2, 'mystery_shopper', None)
    """
    H = copy.deepcopy(G)
    problems: list[Problem] = []
    for tp_id, values in edits.items():
        where = Place("touchpoint", {"id": str(tp_id)})
        if tp_id not in H:
            problems.append(Problem(where, None, "no such touchpoint (it was deleted meanwhile)", "touchpoint_deleted"))
            continue
        for field_name, value in values.items():
            if field_name not in AUDIT_FIELDS:
                problems.append(Problem(where, str(field_name), "is not an audit field", "not_audit_field"))
                continue
            field = _FIELDS[field_name]
            if field.kind == "bool" and is_blank(value):
                value = False
            try:
                H.nodes[tp_id][field_name] = coerce_value(field, value)
            except ValueError as exc:
                problems.append(problem_from(where, field_name, exc))
    if problems:
        raise ValidationError(problems)
    return validate_map(H)


# --- display ----------------------------------------------------------------------------------

_CHOICE_COLUMNS = {
    "phase": "phase",
    "channel": "channel",
    "category": "category",
    "status": "status",
    "evaluated_by": "evaluated_by",
    "task_status": "task_status",
}


def _header(col: str, lang: str) -> str:
    key = f"audit.col.{col}"
    return t(key if has(key) else f"field.{col}", lang)


def display_frame(df: pd.DataFrame, columns: Sequence[str], lang: str = "en") -> pd.DataFrame:
    """Each row is a row of ``df`` as a user reads it: only ``columns``, choice ids (phase, channel,
    category, status, evaluator, task status, quadrant) replaced by their labels in ``lang``,
    yes/no for flags, blank text cells empty (never ``None``), dates and decimals as ``lang`` writes
    them (``6 сен 2026``, ``3,5``), and headers translated."""
    out = df[list(columns)].copy()
    for col in out.columns:
        if col == "deadline":
            out[col] = [fmt_date(v, lang, missing="") for v in out[col]]
        elif col == "mean_score":
            out[col] = [fmt_decimal(v, lang, 2, missing="") for v in out[col]]
        elif col in ("importance", "score", "min_score"):  # whole points, never "4.0"
            out[col] = [fmt_int(v, lang, missing="") for v in out[col]]
        elif col in _CHOICE_COLUMNS:
            out[col] = [label(_CHOICE_COLUMNS[col], v, lang) for v in out[col]]
        elif col == "quadrant":
            out[col] = [t(f"audit.quadrant.{v}", lang) if v else "" for v in out[col]]
        elif col in ("key_touchpoint", "conversion_point", "overdue"):
            out[col] = [t("audit.yes" if v else "audit.no", lang) if v else "" for v in out[col]]
        elif out[col].dtype == object:  # a blank text cell is empty, never the word None
            out[col] = ["" if is_blank(v) else v for v in out[col]]
    return out.rename(columns={c: _header(c, lang) for c in out.columns})


def style_overdue(display: pd.DataFrame, overdue: Sequence[bool]):
    """A pandas ``Styler`` of ``display`` with the overdue rows in red (for ``st.dataframe``)."""
    flags = list(overdue)

    def _row(row: pd.Series) -> list[str]:
        css = "background-color: #fdd8d5; color: #8a1c12; font-weight: 600" if flags[row.name] else ""
        return [css] * len(row)

    return display.reset_index(drop=True).style.apply(_row, axis=1)
