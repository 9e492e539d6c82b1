"""Pure edit operations of the live editor: each takes a map and returns a new, validated map.

The editor page shows three tables (touchpoints, transitions, stages) built by the ``*_frame``
functions here. What the user changed in a table reaches this module as :class:`RowEdits`: plain
edits keyed by row id (a touchpoint id, a ``(source, target)`` pair, a stage id), never a widget's
own format (the Streamlit data editor's protocol is read in ``cjm_ui.tables`` only). The
``apply_*_edits`` functions fold such edits into the map the table was built from. Workshop
helpers (quick-add, emotion votes, comments, reordering) work the same way. Nothing here mutates
its input or saves anything (saving goes through :mod:`cjm.services`); everything raises
:class:`~cjm.errors.ValidationError` naming the touchpoint (or row) and field when the result
would be invalid, so a caller can keep the stored map unchanged.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any

import networkx as nx
import pandas as pd

from cjm import model, schema
from cjm.errors import Place, Problem, ValidationError
from cjm.i18n import has, label, place_text, problem_text, t
from cjm.text import is_blank
from cjm.validation import validate_map

__all__ = [
    "COLUMN_GROUPS",
    "TOUCHPOINT_EDITOR_FIELDS",
    "QUICK_KINDS",
    "Applied",
    "RowEdits",
    "touchpoint_columns",
    "touchpoint_frame",
    "transition_frame",
    "stage_frame",
    "table_rows",
    "apply_touchpoint_edits",
    "apply_transition_edits",
    "apply_stage_edits",
    "update_map_fields",
    "quick_add",
    "connect_in_order",
    "cast_vote",
    "remove_vote",
    "add_comment",
    "delete_comment",
    "move_touchpoint",
    "describe_problem",
    "choice_label",
    "preview_figures",
    "preview_table",
    "add_catalogue_touchpoint",
]

_FIELDS = {f.name: f for f in schema.TOUCHPOINT_FIELDS}

#: Every touchpoint field edited in the table (the list fields comments/votes have their own widgets).
TOUCHPOINT_EDITOR_FIELDS: tuple[str, ...] = tuple(
    f.name for f in schema.TOUCHPOINT_FIELDS if f.tabular and f.name != "id"
)

#: Column sets of the touchpoint table. Every editable field is in at least one set; ``all`` has all.
COLUMN_GROUPS: dict[str, tuple[str, ...]] = {
    # What a workshop edits most comes first: emotion and pain point sit right after the stage.
    "essentials": (
        "name", "stage", "emotion", "pain_point", "opportunity", "action", "thought",
        "channel", "category", "conversion_point", "status", "evidence", "order", "users",
        "decision", "role", "captures_contact", "intended_end",
    ),
    "blueprint": (
        "name", "stage", "order", "time_of_day", "company_present", "action",
        "physical_evidence", "frontstage", "backstage", "support_processes",
    ),
    "audit": (
        "name", "stage", "order", "key_touchpoint", "importance", "score", "evaluated_by",
        "evaluation_note", "owner", "task", "deadline", "task_status", "steps", "catalogue_id",
        "catalogue_rejected",
    ),
    "all": TOUCHPOINT_EDITOR_FIELDS,
}  # fmt: skip

#: What the quick-add box can add: a touchpoint, a pain point or an idea (an opportunity).
QUICK_KINDS = ("touchpoint", "pain_point", "idea")

_TIME_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})")
_SLUG_RE = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Applied:
    """The outcome of folding table edits into a map.

    ``graph`` is the new, validated map (equal to the input when nothing was applied), ``changed``
    says whether anything changed, ``pending_rows`` counts added rows left completely empty: the
    user has just clicked "add row" and not typed yet, which is not an error and not a change.
    """

    graph: nx.DiGraph
    changed: bool
    pending_rows: int = 0


@dataclass(frozen=True)
class RowEdits:
    """What the user changed in one table, keyed by row id, not by row number.

    ``changed`` maps a row id (touchpoint id; ``(source, target)`` of a transition; stage id) to the
    new values of the columns edited in that row; ``added`` lists new rows (column → value);
    ``deleted`` lists the ids of deleted rows.
    """

    changed: dict[Any, dict[str, Any]] = field(default_factory=dict)
    added: list[dict[str, Any]] = field(default_factory=list)
    deleted: list[Any] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        """True when nothing was edited, added or deleted."""
        return not (self.changed or self.added or self.deleted)


# --- cells ------------------------------------------------------------------------------------


def _to_cell(field: schema.Field, value: Any) -> Any:
    """A stored value as the editor shows it (dates and times as Python objects, blanks as None)."""
    if is_blank(value):
        return None if field.kind not in ("str", "text") else ""
    if field.kind == "date":
        try:
            return date.fromisoformat(str(value)[:10])
        except ValueError:
            return None
    if field.kind == "time":
        m = _TIME_RE.match(str(value))
        return time(int(m[1]), int(m[2])) if m and int(m[1]) < 24 else None
    return value


def _from_cell(field: schema.Field, value: Any) -> Any:
    """A cell value from the editor (JSON-ish: ISO strings for dates and times) as a raw model value.

    The result is validated later by :func:`cjm.validation.validate_map`, which names the problem.
    """
    if is_blank(value):
        return None
    if field.kind == "date":
        if isinstance(value, (datetime, date)):
            return (value.date() if isinstance(value, datetime) else value).isoformat()
        text = str(value).strip()
        return text[:10] if re.match(r"^\d{4}-\d{2}-\d{2}", text) else text
    if field.kind == "time":
        if isinstance(value, (time, datetime)):
            return f"{value.hour:02d}:{value.minute:02d}"
        text = str(value).strip()
        if "T" in text:  # a full ISO datetime
            text = text.split("T", 1)[1]
        m = _TIME_RE.match(text)
        return f"{int(m[1]):02d}:{m[2]}" if m else text
    if field.kind == "str":
        return str(value).strip()
    return value


def _column_dtype(field: schema.Field) -> str | None:
    return {"int": "Int64", "float": "Float64"}.get(field.kind)


# --- frames -----------------------------------------------------------------------------------


def touchpoint_columns(group: str = "essentials") -> list[str]:
    """The columns of the touchpoint table for a column group: ``id`` first, then the group's fields."""
    if group not in COLUMN_GROUPS:
        raise ValueError(f"unknown column group {group!r}; groups: {', '.join(COLUMN_GROUPS)}")
    return ["id", *COLUMN_GROUPS[group]]


def touchpoint_frame(G: nx.DiGraph, group: str = "essentials") -> pd.DataFrame:
    """Each row is a touchpoint in journey order; columns ``id`` and the fields of ``group``.

    Dates are ``datetime.date``, times ``datetime.time``, numbers nullable; blank choices are None.
    Row ``i`` of this frame is ``model.touchpoints_in_order(G)[i]``: the table edits rely on it.
    """
    cols = touchpoint_columns(group)
    data: dict[str, list[Any]] = {c: [] for c in cols}
    for node in model.touchpoints_in_order(G):
        d = G.nodes[node]
        for c in cols:
            data[c].append(str(node) if c == "id" else _to_cell(_FIELDS[c], d.get(c)))
    frame = pd.DataFrame(data, columns=cols)
    for c in cols:
        dtype = _column_dtype(_FIELDS[c])
        if dtype:
            frame[c] = pd.array([None if is_blank(v) else v for v in data[c]], dtype=dtype)
        elif _FIELDS[c].kind == "bool":
            frame[c] = frame[c].astype(bool) if len(frame) else frame[c].astype(bool)
        else:
            # Explicit object dtype: an empty list would otherwise become a float column, which the
            # data editor refuses for a text, choice or date column (the crash of a new map).
            frame[c] = pd.Series(data[c], dtype=object)
    return frame


def _transition_rows(G: nx.DiGraph) -> list[tuple[str, str]]:
    pos = {n: i for i, n in enumerate(model.touchpoints_in_order(G))}
    return sorted(G.edges, key=lambda e: (pos.get(e[0], 0), pos.get(e[1], 0), str(e[0]), str(e[1])))


def transition_frame(G: nx.DiGraph) -> pd.DataFrame:
    """Each row is a transition, ordered by its source then target in journey order; columns
    ``source``, ``target`` (touchpoint ids), ``users`` (nullable int) and ``label``."""
    rows = _transition_rows(G)
    frame = pd.DataFrame(
        {
            "source": pd.Series([str(u) for u, _ in rows], dtype=object),
            "target": pd.Series([str(v) for _, v in rows], dtype=object),
            "users": pd.array([G.edges[e].get("users") for e in rows], dtype="Int64"),
            "label": pd.Series([G.edges[e].get("label") or "" for e in rows], dtype=object),
        },
        columns=["source", "target", "users", "label"],
    )
    return frame


def stage_frame(G: nx.DiGraph) -> pd.DataFrame:
    """Each row is a stage in map order; columns ``position`` (1-based, edit it to reorder), ``id``,
    ``name``, ``phase`` and ``touchpoints`` (how many touchpoints it holds, read-only)."""
    counts = {sid: len(ids) for sid, ids in model.touchpoints_by_stage(G).items()}
    st_list = model.stages(G)
    return pd.DataFrame(
        {
            "position": pd.array(list(range(1, len(st_list) + 1)), dtype="Int64"),
            "id": pd.Series([s["id"] for s in st_list], dtype=object),
            "name": pd.Series([s.get("name") or "" for s in st_list], dtype=object),
            "phase": pd.Series([s.get("phase") for s in st_list], dtype=object),
            "touchpoints": pd.array([counts.get(s["id"], 0) for s in st_list], dtype="Int64"),
        },
        columns=["position", "id", "name", "phase", "touchpoints"],
    )


# --- applying edits ---------------------------------------------------------------------------


def table_rows(G: nx.DiGraph, table: str) -> list:
    """The row ids of an editing table (``touchpoints``, ``transitions``, ``stages``) in the order
    its frame shows them: touchpoint ids, ``(source, target)`` pairs, stage ids.

    Two versions of a map with the same rows show their changes in the same table, cell by cell; a
    row added, deleted or moved by a change gives other rows (the table is drawn afresh).

    >>> G = model.new_map("Rows", map_id="rows")
    >>> table_rows(G, "stages")[:2]
    ['awareness', 'consideration']
    """
    if table == "touchpoints":
        return model.touchpoints_in_order(G)
    if table == "transitions":
        return [(str(u), str(v)) for u, v in _transition_rows(G)]
    if table == "stages":
        return [s["id"] for s in model.stages(G)]
    raise ValueError(f"unknown table: {table!r}")


def _copy(G: nx.DiGraph) -> nx.DiGraph:
    return copy.deepcopy(G)


def _validated(H: nx.DiGraph, problems: list[Problem]) -> nx.DiGraph:
    if problems:
        raise ValidationError(problems)
    return validate_map(H)


def _unknown_columns(values: dict[str, Any], allowed: set[str], where: Place, problems: list[Problem]) -> None:
    for col in values:
        if col not in allowed and not str(col).startswith("_"):
            problems.append(Problem(where, str(col), "is not an editable column", "not_editable"))


def _gone(where: Place) -> Problem:
    return Problem(where, None, "no such touchpoint (deleted meanwhile?)", "touchpoint_gone")


def apply_touchpoint_edits(G: nx.DiGraph, edits: RowEdits) -> Applied:
    """Fold touchpoint-table edits (keyed by touchpoint id) into ``G``, the map the table was built from.

    Changed rows change fields; added rows become touchpoints (blank id → a fresh ``tp-N``, blank
    stage → the first stage, blank order → last); deleted ids remove touchpoints with their
    transitions. An added row that is still completely empty is left pending, not an error.
    Raises ``ValidationError`` naming the touchpoint (or "new row N") and the field.

    >>> G = model.new_map("demo", map_id="demo")
    >>> a = model.add_touchpoint(G, "Ad", "awareness")
    >>> res = apply_touchpoint_edits(G, RowEdits({"tp-1": {"emotion": 1.5}}, [{"name": "Chat", "stage": "purchase"}]))
    >>> res.changed, res.graph.nodes["tp-1"]["emotion"], res.graph.nodes["tp-2"]["name"]
    (True, 1.5, 'Chat')
    """
    H = _copy(G)
    problems: list[Problem] = []
    editable = set(TOUCHPOINT_EDITOR_FIELDS)
    changed = False
    for node, values in edits.changed.items():
        where = Place("touchpoint", {"id": node})
        if node not in H:
            problems.append(_gone(where))
            continue
        _unknown_columns({k: v for k, v in values.items() if k != "id"}, editable, where, problems)
        if "id" in values and str(values["id"]) != str(node):
            problems.append(Problem(where, "id", "cannot be changed", "cannot_change"))
        for col, value in values.items():
            if col in editable:
                H.nodes[node][col] = _from_cell(_FIELDS[col], value)
                changed = True
    pending = 0
    first_stage = (model.stages(H) or [{"id": ""}])[0]["id"]
    for i, values in enumerate(edits.added):
        where = Place("new_row", {"n": i + 1})
        values = {k: v for k, v in values.items() if not str(k).startswith("_")}
        if all(is_blank(v) for v in values.values()):
            pending += 1
            continue
        _unknown_columns({k: v for k, v in values.items() if k != "id"}, editable, where, problems)
        raw = {c: _from_cell(_FIELDS[c], v) for c, v in values.items() if c in editable}
        name = raw.pop("name", None)
        if is_blank(name):
            problems.append(Problem(where, "name", "is required", "required"))
            continue
        stage = raw.pop("stage", None) or first_stage
        tp_id = str(values.get("id") or "").strip() or None
        if tp_id and tp_id in H:
            problems.append(
                Problem(where, "id", f"touchpoint id {tp_id!r} is taken", "id_taken", (("id", repr(tp_id)),))
            )
            continue
        raw = {k: v for k, v in raw.items() if v is not None}
        model.add_touchpoint(H, name, stage, id=tp_id, **raw)
        changed = True
    for node in edits.deleted:
        if node in H:
            H.remove_node(node)
            changed = True
    if not changed and not problems:
        return Applied(G, False, pending)
    return Applied(_validated(H, problems), changed, pending)


def _touchpoint_ref(H: nx.DiGraph, value: Any) -> str | None:
    return None if is_blank(value) else str(value).strip()


def apply_transition_edits(G: nx.DiGraph, edits: RowEdits) -> Applied:
    """Fold transition-table edits (keyed by ``(source, target)``) into ``G``. Changing ``source``
    or ``target`` moves the transition; an end that is not a touchpoint of the map (e.g. one just
    deleted) is an error naming the transition and the end.

    >>> G = model.new_map("demo", map_id="demo")
    >>> a = model.add_touchpoint(G, "Ad", "awareness"); b = model.add_touchpoint(G, "Site", "interest")
    >>> H = apply_transition_edits(G, RowEdits(added=[{"source": "tp-1", "target": "tp-2", "users": 40}])).graph
    >>> H.edges["tp-1", "tp-2"]["users"]
    40
    """
    H = _copy(G)
    problems: list[Problem] = []
    allowed = {"source", "target", "users", "label"}
    changed = False
    removals: set[tuple[str, str]] = set()
    additions: list[tuple[str, tuple[str, str], dict[str, Any]]] = []
    for (u, v), values in edits.changed.items():
        where = Place("transition", {"source": u, "target": v})
        if not H.has_edge(u, v):
            problems.append(Problem(where, None, "no such transition (deleted meanwhile?)", "transition_gone"))
            continue
        _unknown_columns(values, allowed, where, problems)
        attrs = dict(H.edges[u, v])
        for col in ("users", "label"):
            if col in values:
                attrs[col] = None if is_blank(values[col]) else values[col]
        nu = _touchpoint_ref(H, values["source"]) if "source" in values else u
        nv = _touchpoint_ref(H, values["target"]) if "target" in values else v
        removals.add((u, v))
        additions.append((where, (nu, nv), attrs))
        changed = True
    for i, values in enumerate(edits.added):
        values = {k: v for k, v in values.items() if not str(k).startswith("_")}
        if all(is_blank(x) for x in values.values()):
            continue
        where = Place("new_transition_row", {"n": i + 1})
        _unknown_columns(values, allowed, where, problems)
        nu, nv = _touchpoint_ref(H, values.get("source")), _touchpoint_ref(H, values.get("target"))
        attrs = {
            "users": None if is_blank(values.get("users")) else values.get("users"),
            "label": values.get("label") or "",
        }
        additions.append((where, (nu, nv), attrs))
        changed = True
    for u, v in edits.deleted:
        removals.add((u, v))
        changed = True
    for u, v in removals:
        if H.has_edge(u, v):
            H.remove_edge(u, v)
    for where, (u, v), attrs in additions:
        bad = False
        for end, node in (("source", u), ("target", v)):
            if node is None:
                problems.append(Problem(where, end, "is required", "required"))
                bad = True
            elif node not in H:
                message = f"no touchpoint {node!r} (deleted or never added)"
                problems.append(Problem(where, end, message, "no_touchpoint_deleted", (("id", repr(node)),)))
                bad = True
        if bad:
            continue
        if H.has_edge(u, v):
            problems.append(
                Problem(
                    Place("transition", {"source": u, "target": v}),
                    None,
                    "this transition exists already",
                    "transition_exists",
                )
            )
            continue
        H.add_edge(u, v, **attrs)
    if not changed and not problems:
        return Applied(G, False)
    return Applied(_validated(H, problems), changed)


def _slug(text: str) -> str:
    return _SLUG_RE.sub("_", str(text).lower()).strip("_")[:40]


def apply_stage_edits(G: nx.DiGraph, edits: RowEdits) -> Applied:
    """Fold stage-table edits (keyed by stage id) into ``G``: rename, change phase, change id (its touchpoints follow),
    reorder (edit ``position``), add (blank id → from the name) and delete (only an empty stage).

    >>> G = model.new_map("demo", map_id="demo", stages_template="phases")
    >>> H = apply_stage_edits(G, RowEdits({"after_purchase": {"position": 1, "name": "Using it"}})).graph
    >>> [(s["id"], s["name"]) for s in H.graph["stages"]][:2]
    [('after_purchase', 'Using it'), ('before_purchase', 'Before purchase')]
    """
    old = model.stages(G)
    row_of = {s["id"]: i for i, s in enumerate(old)}
    H = _copy(G)
    problems: list[Problem] = []
    allowed = {"position", "id", "name", "phase"}
    stages = [dict(s) for s in old]
    positions: list[float] = [float(i + 1) for i in range(len(stages))]
    renames: dict[str, str] = {}
    changed = False
    for sid, values in sorted(edits.changed.items(), key=lambda kv: row_of.get(kv[0], -1)):
        where = Place("stage_id", {"id": sid})
        if sid not in row_of:
            problems.append(Problem(where, None, "no such stage (deleted meanwhile?)", "stage_gone"))
            continue
        row = row_of[sid]
        _unknown_columns({k: v for k, v in values.items() if k != "touchpoints"}, allowed, where, problems)
        s = stages[row]
        if "name" in values:
            s["name"] = "" if is_blank(values["name"]) else str(values["name"]).strip()
        if "phase" in values:
            s["phase"] = "" if is_blank(values["phase"]) else str(values["phase"])
        if "id" in values:
            new_id = "" if is_blank(values["id"]) else str(values["id"]).strip()
            if not new_id:
                problems.append(Problem(where, "id", "is required", "required"))
            elif new_id != s["id"]:
                renames[s["id"]] = new_id
                s["id"] = new_id
        if "position" in values and not is_blank(values["position"]):
            # Moving to position p puts the stage just before the one now at p.
            positions[row] = (
                float(values["position"]) - 0.5
                if float(values["position"]) <= row + 1
                else float(values["position"]) + 0.5
            )
        changed = True
    taken = {s["id"] for s in stages}
    for i, values in enumerate(edits.added):
        values = {k: v for k, v in values.items() if not str(k).startswith("_") and k != "touchpoints"}
        if all(is_blank(v) for v in values.values()):
            continue
        where = Place("new_stage_row", {"n": i + 1})
        _unknown_columns(values, allowed, where, problems)
        name = "" if is_blank(values.get("name")) else str(values["name"]).strip()
        sid = "" if is_blank(values.get("id")) else str(values["id"]).strip()
        if not name and not sid:
            problems.append(Problem(where, "name", "is required", "required"))
            continue
        if not sid:
            base = _slug(name) or "stage"
            sid, n = base, 2
            while sid in taken:
                sid, n = f"{base}_{n}", n + 1
        phase = "" if is_blank(values.get("phase")) else str(values["phase"])
        if not phase:
            phase = stages[-1]["phase"] if stages else schema.PHASES[0]
        taken.add(sid)
        stages.append({"id": sid, "name": name or sid, "phase": phase})
        pos = values.get("position")
        positions.append(float(pos) - 0.5 if not is_blank(pos) else float(len(positions) + 1))
        changed = True
    by_stage = model.touchpoints_by_stage(G)
    drop: set[int] = set()
    for sid in edits.deleted:
        if sid not in row_of:
            continue  # deleted already
        row = row_of[sid]
        count = len(by_stage.get(sid, []))
        if count:
            problems.append(
                Problem(
                    Place("stage_id", {"id": sid}),
                    None,
                    f"still has {count} touchpoint(s); move or delete them first",
                    "stage_not_empty",
                    (("n", count),),
                )
            )
        drop.add(row)
        changed = True
    if not changed and not problems:
        return Applied(G, False)
    order = sorted(range(len(stages)), key=lambda i: (positions[i], i))
    H.graph["stages"] = [stages[i] for i in order if i not in drop]
    for _, d in H.nodes(data=True):
        if d.get("stage") in renames:
            d["stage"] = renames[d["stage"]]
    return Applied(_validated(H, problems), True)


# --- map and persona --------------------------------------------------------------------------

_MAP_EDITABLE = ("title", "map_type", "segment", "baseline_id", "language", "competitor")


def update_map_fields(G: nx.DiGraph, *, persona: dict[str, Any] | None = None, **fields: Any) -> nx.DiGraph:
    """A copy of ``G`` with map attributes (title, map_type, segment, baseline_id, language,
    competitor: the competitor's name when the map records a competitor's journey, blank for ours) and
    persona fields replaced; validated.

    >>> G = model.new_map("demo", map_id="demo")
    >>> update_map_fields(G, title="Coffee", persona={"name": "Anna"}).graph["persona"]["name"]
    'Anna'
    """
    unknown = set(fields) - set(_MAP_EDITABLE)
    if unknown:
        raise TypeError(f"not editable map fields: {', '.join(sorted(unknown))}")
    H = _copy(G)
    for key, value in fields.items():
        if key == "competitor" and is_blank(value):  # our own map: no competitor mark
            H.graph.pop("competitor", None)
            continue
        H.graph[key] = None if key == "baseline_id" and is_blank(value) else value
    if persona is not None:
        known = {f.name for f in schema.PERSONA_FIELDS}
        bad = set(persona) - known
        if bad:
            raise TypeError(f"unknown persona fields: {', '.join(sorted(bad))}")
        H.graph["persona"] = dict(H.graph.get("persona") or {}) | dict(persona)
    return validate_map(H)


# --- workshop helpers ---------------------------------------------------------------------------


def _stage_end_order(G: nx.DiGraph, stage: str) -> float:
    orders = [d.get("order") for _, d in G.nodes(data=True) if d.get("stage") == stage and d.get("order") is not None]
    return float(max(orders) + 1.0) if orders else 1.0


def _append_text(old: Any, text: str) -> str:
    old = "" if is_blank(old) else str(old).rstrip()
    return f"{old}\n{text}" if old else text


def quick_add(
    G: nx.DiGraph,
    text: str,
    *,
    kind: str = "touchpoint",
    stage: str | None = None,
    target: str | None = None,
    link_previous: bool = False,
) -> tuple[nx.DiGraph, str]:
    """Add what a participant called out; return the new map and the touchpoint id it landed on.

    ``kind="touchpoint"`` adds a touchpoint named ``text`` at the end of ``stage`` (a text longer
    than a name may be is shortened for the name and kept whole as its ``action``). ``pain_point``
    and ``idea`` (an opportunity) are appended to the ``target`` touchpoint's text, or, without a
    target, create a touchpoint named after the text that carries it. With ``link_previous`` a new
    touchpoint gets a transition from the touchpoint just before it in journey order (a workshop
    map then has a flow as it is built).

    >>> G = model.new_map("demo", map_id="demo")
    >>> G, tp = quick_add(G, "Call centre", stage="post_purchase")
    >>> G, same = quick_add(G, "Long wait on hold", kind="pain_point", target=tp)
    >>> same == tp, G.nodes[tp]["pain_point"]
    (True, 'Long wait on hold')
    """
    text = str(text or "").strip()
    if not text:
        raise ValidationError([Problem(Place("quick_add"), "text", "type something first", "type_something")])
    if kind not in QUICK_KINDS:
        raise ValueError(f"unknown quick-add kind {kind!r}; kinds: {', '.join(QUICK_KINDS)}")
    field = {"pain_point": "pain_point", "idea": "opportunity"}.get(kind)
    H = _copy(G)
    if target is not None and kind != "touchpoint":
        if target not in H:
            raise ValidationError(
                [
                    Problem(
                        Place("touchpoint", {"id": target}),
                        None,
                        "no such touchpoint (deleted meanwhile?)",
                        "touchpoint_gone",
                    )
                ]
            )
        H.nodes[target][field] = _append_text(H.nodes[target].get(field), text)
        return validate_map(H), target
    stage_ids = [s["id"] for s in model.stages(H)]
    stage = stage or (stage_ids[0] if stage_ids else None)
    if stage not in stage_ids:
        raise ValidationError(
            [
                Problem(
                    Place("quick_add"), "stage", f"unknown stage {stage!r}", "no_such_stage", (("value", repr(stage)),)
                )
            ]
        )
    extra = {field: text} if field else {}
    name = text if len(text) <= schema.NAME_MAX else text[: schema.NAME_MAX - 1] + "…"
    if name != text and not field:  # too long for a name: the whole text is kept as the customer's action
        extra = {"action": text}
    tp_id = model.add_touchpoint(H, name, stage, order=_stage_end_order(H, stage), **extra)
    if link_previous:
        order = model.touchpoints_in_order(H)
        at = order.index(tp_id)
        if at > 0:
            model.add_transition(H, order[at - 1], tp_id)
    return validate_map(H), tp_id


def connect_in_order(G: nx.DiGraph, stage: str | None = None) -> tuple[nx.DiGraph, int]:
    """Link the touchpoints of ``stage`` (of the whole journey when ``None``) one to the next in
    journey order; return the new map and how many transitions were added (existing ones are kept).

    >>> G = model.new_map("demo", map_id="demo")
    >>> G, a = quick_add(G, "Ad", stage="awareness")
    >>> G, b = quick_add(G, "Site", stage="awareness")
    >>> G, added = connect_in_order(G, "awareness")
    >>> added, G.has_edge(a, b)
    (1, True)
    """
    H = _copy(G)
    if stage is not None and stage not in model.stage_index(H):
        raise ValidationError(
            [
                Problem(
                    Place("quick_add"), "stage", f"unknown stage {stage!r}", "no_such_stage", (("value", repr(stage)),)
                )
            ]
        )
    order = model.touchpoints_by_stage(H).get(stage, []) if stage is not None else model.touchpoints_in_order(H)
    added = 0
    for u, v in zip(order, order[1:], strict=False):
        if not H.has_edge(u, v):
            model.add_transition(H, u, v)
            added += 1
    return validate_map(H), added


def _need(H: nx.DiGraph, tp_id: str) -> None:
    if tp_id not in H:
        raise ValidationError(
            [
                Problem(
                    Place("touchpoint", {"id": tp_id}),
                    None,
                    "no such touchpoint (deleted meanwhile?)",
                    "touchpoint_gone",
                )
            ]
        )


def cast_vote(G: nx.DiGraph, tp_id: str, participant: str, score: float, *, when: str | None = None) -> nx.DiGraph:
    """Record a participant's emotion score for a touchpoint; it replaces their earlier vote there.
    The touchpoint's emotion becomes the mean of its votes.

    >>> G = model.new_map("demo", map_id="demo"); tp = model.add_touchpoint(G, "Ad", "awareness")
    >>> G = cast_vote(G, tp, "Ann", 2); G = cast_vote(G, tp, "Bob", -1); G = cast_vote(G, tp, "Ann", 1)
    >>> len(G.nodes[tp]["votes"]), G.nodes[tp]["emotion"]
    (2, 0.0)
    """
    participant = str(participant or "").strip()
    if not participant:
        raise ValidationError(
            [Problem(Place("touchpoint", {"id": tp_id}), "votes", "a vote needs a participant name", "vote_needs_name")]
        )
    try:
        score = float(score)
    except (TypeError, ValueError):
        raise ValidationError(
            [
                Problem(
                    Place("touchpoint", {"id": tp_id}),
                    "votes",
                    f"{score!r} is not a number",
                    "not_a_number",
                    (("value", repr(score)),),
                )
            ]
        ) from None
    H = _copy(G)
    _need(H, tp_id)
    votes = [dict(v) for v in H.nodes[tp_id].get("votes") or [] if str(v.get("participant", "")).strip() != participant]
    votes.append({"participant": participant, "score": score, "time": when or model.now_iso()})
    H.nodes[tp_id]["votes"] = votes
    H = validate_map(H)
    model.recompute_emotion_from_votes(H, tp_id)
    return validate_map(H)


def remove_vote(G: nx.DiGraph, tp_id: str, participant: str) -> nx.DiGraph:
    """Withdraw a participant's vote; the emotion becomes the mean of the remaining votes (kept as
    it was when none remain)."""
    H = _copy(G)
    _need(H, tp_id)
    H.nodes[tp_id]["votes"] = [
        dict(v) for v in H.nodes[tp_id].get("votes") or [] if str(v.get("participant", "")).strip() != participant
    ]
    model.recompute_emotion_from_votes(H, tp_id)
    return validate_map(H)


def add_comment(G: nx.DiGraph, tp_id: str, author: str, text: str, *, when: str | None = None) -> nx.DiGraph:
    """Append a comment to a touchpoint.

    >>> G = model.new_map("demo", map_id="demo"); tp = model.add_touchpoint(G, "Ad", "awareness")
    >>> add_comment(G, tp, "Ann", "Seen on the metro").nodes[tp]["comments"][0]["text"]
    'Seen on the metro'
    """
    H = _copy(G)
    _need(H, tp_id)
    comments = [dict(c) for c in H.nodes[tp_id].get("comments") or []]
    comments.append(
        {"author": str(author or "").strip(), "text": str(text or "").strip(), "time": when or model.now_iso()}
    )
    H.nodes[tp_id]["comments"] = comments
    return validate_map(H)


def delete_comment(G: nx.DiGraph, tp_id: str, index: int) -> nx.DiGraph:
    """Remove the ``index``-th (0-based) comment of a touchpoint."""
    H = _copy(G)
    _need(H, tp_id)
    comments = [dict(c) for c in H.nodes[tp_id].get("comments") or []]
    if not 0 <= index < len(comments):
        raise ValidationError(
            [
                Problem(
                    Place("touchpoint", {"id": tp_id}),
                    "comments",
                    f"no comment {index + 1}",
                    "no_comment",
                    (("n", index + 1),),
                )
            ]
        )
    del comments[index]
    H.nodes[tp_id]["comments"] = comments
    return validate_map(H)


def move_touchpoint(G: nx.DiGraph, tp_id: str, offset: int) -> nx.DiGraph:
    """Move a touchpoint ``offset`` places later (negative: earlier) in journey order.

    Crossing a stage boundary moves it into the neighbouring stage. The orders of the stages
    involved are renumbered 1, 2, 3 …, so reordering never creates ties.

    >>> G = model.new_map("demo", map_id="demo")
    >>> for n in "ABC": _ = model.add_touchpoint(G, n, "awareness")
    >>> [G.nodes[n]["name"] for n in model.touchpoints_in_order(move_touchpoint(G, "tp-3", -2))]
    ['C', 'A', 'B']
    """
    H = _copy(G)
    _need(H, tp_id)
    order = model.touchpoints_in_order(H)
    i = order.index(tp_id)
    j = max(0, min(len(order) - 1, i + int(offset)))
    if i == j:
        return validate_map(H)
    order.pop(i)
    order.insert(j, tp_id)
    neighbour = order[j + 1] if j + 1 < len(order) else order[j - 1]
    if neighbour != tp_id:
        H.nodes[tp_id]["stage"] = H.nodes[neighbour]["stage"]
    for sid in {H.nodes[tp_id]["stage"], G.nodes[tp_id]["stage"]}:
        members = [n for n in order if H.nodes[n]["stage"] == sid]
        for k, n in enumerate(members, start=1):
            H.nodes[n]["order"] = float(k)
    return validate_map(H)


# --- messages ---------------------------------------------------------------------------------


def describe_problem(problem: Problem, G: nx.DiGraph | None = None, lang: str = "en") -> str:
    """A problem as one line for the user: the touchpoint's name (not just its id), a transition by
    the names of its ends (as the table shows them), and the field's translated label, then the reason.

    >>> G = model.new_map("demo", map_id="demo"); _ = model.add_touchpoint(G, "Checkout", "purchase")
    >>> describe_problem(Problem(Place("touchpoint", {"id": "tp-1"}), "emotion", "7 is outside -2 … 2"), G)
    'Touchpoint “Checkout” (tp-1) — Emotion: 7 is outside -2 … 2'
    >>> _ = model.add_touchpoint(G, "Payment", "purchase")
    >>> describe_problem(Problem(Place("transition", {"source": "tp-1", "target": "tp-2"}), None, "exists"), G)
    "transition 'Checkout' → 'Payment': exists"
    """
    place = problem.place
    if place.kind == "transition" and G is not None:

        def end(node: Any) -> Any:
            return (G.nodes[node].get("name") or node) if node in G else node

        place = Place("transition", {"source": end(place.get("source")), "target": end(place.get("target"))})
    if place.kind == "touchpoint":
        tp_id = str(place.get("id"))
        if G is not None and tp_id in G:
            where = t("editor.problem.touchpoint", lang, name=G.nodes[tp_id].get("name") or tp_id, id=tp_id)
        else:
            where = t("editor.problem.touchpoint_id", lang, id=tp_id)
    else:
        where = place_text(place, lang)
    message = problem_text(problem, lang)
    if isinstance(problem.field, Place):
        return t("editor.problem.line_field", lang, where=where, field=place_text(problem.field, lang), message=message)
    if problem.field:
        keys = (
            ("editor.col.name",)
            if problem.field == "name"
            else (f"field.{problem.field}", f"editor.col.{problem.field}")
        )
        flabel = next((t(k, lang) for k in keys if has(k)), problem.field)
        return t("editor.problem.line_field", lang, where=where, field=flabel, message=message)
    return t("editor.problem.line", lang, where=where, message=message)


def choice_label(kind: str, value: Any, lang: str) -> str:
    """The display label of a choice (used as the table's ``format_func``)."""
    return label(kind, value, lang) if not is_blank(value) else ""


# --- live preview -----------------------------------------------------------------------------


def _map_figure_builder():
    """The journey-map figure builder of :mod:`cjm.charts` (``map_figure``, else the grid view)."""
    try:
        from cjm import charts

        builder = getattr(charts, "map_figure", None)
        if builder is not None:
            return builder
        from cjm.charts.grid import current_state_figure

        return current_state_figure
    except ImportError:  # pragma: no cover - the views are part of the package
        return None


_COMPACT_LANES = ("touchpoint", "moment", "customer_action", "frontstage", "emotion", "pain_point")


def _compact_lanes(G: nx.DiGraph) -> list[str]:
    try:
        from cjm.charts import available_lanes
    except ImportError:  # pragma: no cover
        return []
    available = available_lanes(G.graph.get("map_type"))
    return [lane for lane in _COMPACT_LANES if lane in available][:4]


def preview_figures(
    G: nx.DiGraph,
    lang: str = "en",
    *,
    compact: bool = True,
    column_px: int | None = None,
    baseline: nx.DiGraph | None = None,
    which: tuple[str, ...] = ("map", "emotion"),
) -> dict[str, Any]:
    """The live preview of a map: ``{"map": journey-map figure, "emotion": emotion curve}``.

    Both are plotly figures from the view modules. ``compact`` draws only the touchpoint, emotion
    and pain-point lanes (for the narrow column beside the editor); ``column_px`` draws the map for a
    page, each touchpoint's column that many pixels wide with its text wrapped to fit (as many as
    the screen holds; pan sideways for the rest); ``baseline`` is the map a
    future-state map improves on; ``which`` names the figures to build. A view that cannot draw this map
    is left out (the page then shows :func:`preview_table`). ``G`` is not modified.
    """
    import inspect

    figures: dict[str, Any] = {}
    builder = _map_figure_builder()
    if builder is not None and G.number_of_nodes() and "map" in which:
        params = inspect.signature(builder).parameters
        kwargs: dict[str, Any] = {"lang": lang}
        if compact and "lanes" in params:
            lanes = _compact_lanes(G)
            if lanes:
                kwargs["lanes"] = lanes
        if baseline is not None and "baseline" in params:
            kwargs["baseline"] = baseline
        if column_px is not None and "column_px" in params:
            kwargs["column_px"] = column_px
        figures["map"] = builder(G, **kwargs)
    try:
        from cjm.charts.emotion import emotion_curve_figure
    except ImportError:  # pragma: no cover
        emotion_curve_figure = None
    if emotion_curve_figure is not None and G.number_of_nodes() and "emotion" in which:
        figures["emotion"] = emotion_curve_figure(G, lang=lang, height=460 if compact else 620, compact=compact)
    return figures


def preview_table(G: nx.DiGraph, lang: str = "en") -> pd.DataFrame:
    """Each row is a touchpoint in journey order: ``stage`` (display name), ``touchpoint``,
    ``emotion`` and ``pain_point`` — the plain-table preview used when a figure is unavailable."""
    names = {s["id"]: model.stage_label(s, lang) for s in model.stages(G)}
    rows = [
        {
            "stage": names.get(G.nodes[n].get("stage"), G.nodes[n].get("stage")),
            "touchpoint": G.nodes[n].get("name"),
            "emotion": G.nodes[n].get("emotion"),
            "pain_point": G.nodes[n].get("pain_point") or "",
        }
        for n in model.touchpoints_in_order(G)
    ]
    return pd.DataFrame(rows, columns=["stage", "touchpoint", "emotion", "pain_point"])


def add_catalogue_touchpoint(
    G: nx.DiGraph, key: str, *, stage: str | None = None, status: str = "existing", lang: str = "en"
) -> nx.DiGraph:
    """A copy of ``G`` with the catalogue's typical touchpoint ``key`` added (see
    :func:`cjm.catalogue.add_from_catalogue`); validated."""
    from cjm.catalogue import add_from_catalogue

    H = _copy(G)
    add_from_catalogue(H, key, stage=stage, status=status, lang=lang)
    return validate_map(H)
