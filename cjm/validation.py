"""Validation at the boundary: turn raw values (from a file, the editor or the database) into a
valid journey graph, or raise :class:`~cjm.errors.ValidationError` listing *every* problem.
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from typing import Any

import networkx as nx

from cjm import schema
from cjm.errors import Place, Problem, ValidationError, ValueProblem, problem_from
from cjm.i18n import choice_aliases
from cjm.text import is_blank

__all__ = [
    "ValueProblem",
    "coerce_value",
    "coerce_touchpoint",
    "coerce_transition",
    "validate_map",
    "convert_emotion",
]

_TIME_RE = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_TRUE = {"true", "yes", "y", "1", "да", "x", "✓", "+"}
_FALSE = {"false", "no", "n", "0", "нет", "-", ""}
_ALIASES: dict[str, dict[str, str]] = {}


def _aliases(field: schema.Field) -> dict[str, str]:
    if field.name not in _ALIASES:
        _ALIASES[field.name] = choice_aliases(field.name, field.choices or ())
    return _ALIASES[field.name]


def _number(value: Any) -> float:
    if isinstance(value, bool):
        raise ValueProblem("a yes/no value is not a number", "bool_not_number")
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip().replace("\u2212", "-").replace("\xa0", "").replace(" ", "")
    text = text.replace(",", ".")  # decimal comma
    return float(text)


def coerce_value(field: schema.Field, value: Any) -> Any:
    """Convert one raw value to the field's type; raise ``ValueError`` saying why it cannot be.

    Blank values become the field's default.

    >>> from cjm.schema import TOUCHPOINT_FIELDS
    >>> emotion = next(f for f in TOUCHPOINT_FIELDS if f.name == "emotion")
    >>> coerce_value(emotion, "-1,5")
    -1.5
    """
    if field.kind == "list":
        if is_blank(value):
            return []
        if not isinstance(value, (list, tuple)):
            raise ValueProblem("expected a list", "not_a_list")
        return [dict(item) for item in value]
    if is_blank(value):
        if field.required:
            raise ValueProblem("is required", "required")
        return list(field.default) if isinstance(field.default, tuple) else field.default
    kind = field.kind
    if kind in ("str", "text"):
        text = str(value).strip() if kind == "str" else str(value)
        if isinstance(value, float) and value.is_integer():
            text = str(int(value))
        if field.max_len is not None and len(text) > field.max_len:
            raise ValueProblem(
                f"is {len(text)} characters long; the limit is {field.max_len}",
                "too_long",
                n=len(text),
                limit=field.max_len,
            )
        return text
    if kind == "choice":
        key = str(value).strip().lower()
        found = _aliases(field).get(key)
        if found is None:
            choices = ", ".join(field.choices or ())
            raise ValueProblem(
                f"{value!r} is not one of: {choices}", "not_a_choice", value=repr(value), choices=choices
            )
        return found
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        key = str(value).strip().lower()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise ValueProblem(f"{value!r} is not yes/no", "not_yes_no", value=repr(value))
    if kind in ("int", "float"):
        try:
            number = _number(value)
        except (TypeError, ValueError):
            raise ValueProblem(f"{value!r} is not a number", "not_a_number", value=repr(value)) from None
        if math.isnan(number) or math.isinf(number):
            raise ValueProblem(f"{value!r} is not a number", "not_a_number", value=repr(value))
        if kind == "int":
            if not number.is_integer():
                raise ValueProblem(f"{value!r} is not a whole number", "not_whole", value=repr(value))
            number = int(number)
        lo, hi = field.minimum, field.maximum
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            if hi is not None:
                raise ValueProblem(
                    f"{_fmt(number)} is outside {_fmt(lo)} … {_fmt(hi)}",
                    "out_of_range",
                    value=_fmt(number),
                    lo=_fmt(lo),
                    hi=_fmt(hi),
                )
            raise ValueProblem(
                f"{_fmt(number)} is outside at least {_fmt(lo)}", "below_minimum", value=_fmt(number), lo=_fmt(lo)
            )
        return number
    if kind == "time":
        if hasattr(value, "hour") and hasattr(value, "minute"):
            return f"{value.hour:02d}:{value.minute:02d}"
        match = _TIME_RE.match(str(value))
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValueProblem(f"{value!r} is not a time of day (HH:MM)", "not_a_time", value=repr(value))
        return f"{int(match[1]):02d}:{match[2]}"
    if kind == "date":
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        text = str(value).strip()
        for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
            try:
                return datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                pass
        raise ValueProblem(f"{value!r} is not a date (YYYY-MM-DD)", "not_a_date", value=repr(value))
    raise AssertionError(f"unknown field kind {kind}")  # pragma: no cover


def _fmt(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else str(x)


def convert_emotion(value: float | None, scale: str) -> float | None:
    """Convert an emotion from another scale (``"1..10"``, ``"0..5"``, ``"-3..3"`` …) to −2 … +2.

    >>> convert_emotion(10, "1..10"), convert_emotion(0, "-3..3"), convert_emotion(None, "0..5")
    (2.0, 0.0, None)
    """
    if value is None:
        return None
    if scale not in schema.EMOTION_SCALES:
        raise ValueError(f"unknown emotion scale {scale!r}; known: {', '.join(schema.EMOTION_SCALES)}")
    lo, hi = schema.EMOTION_SCALES[scale]
    if not lo <= float(value) <= hi:
        raise ValueProblem(f"{value} is outside the scale {scale}", "outside_scale", value=str(value), scale=scale)
    span = schema.EMOTION_MAX - schema.EMOTION_MIN
    return round(schema.EMOTION_MIN + (float(value) - lo) * span / (hi - lo), 4)


def _coerce_record(
    fields: tuple[schema.Field, ...], raw: dict[str, Any], place: Place, problems: list[Problem]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in fields:
        try:
            out[field.name] = coerce_value(field, raw.get(field.name))
        except ValueError as exc:
            problems.append(problem_from(place, field.name, exc))
            out[field.name] = None
    return out


def coerce_touchpoint(
    raw: dict[str, Any], *, place: Place, problems: list[Problem], emotion_scale: str = "-2..2"
) -> dict[str, Any]:
    """A touchpoint dict with every schema field, typed; problems are appended, not raised."""
    raw = dict(raw)
    if emotion_scale != "-2..2" and not is_blank(raw.get("emotion")):
        try:
            raw["emotion"] = convert_emotion(_number(raw["emotion"]), emotion_scale)
        except ValueError as exc:
            problems.append(problem_from(place, "emotion", exc))
            raw["emotion"] = None
    tp = _coerce_record(schema.TOUCHPOINT_FIELDS, raw, place, problems)
    for i, comment in enumerate(tp.get("comments") or []):
        if is_blank(comment.get("text")):
            problems.append(
                Problem(place, "comments", f"comment {i + 1} has no text", "comment_no_text", (("n", i + 1),))
            )
        elif len(str(comment["text"])) > schema.TEXT_MAX:
            problems.append(
                Problem(place, "comments", f"comment {i + 1} is too long", "comment_too_long", (("n", i + 1),))
            )
    for i, vote in enumerate(tp.get("votes") or []):
        try:
            score = _number(vote.get("score"))
        except (TypeError, ValueError):
            problems.append(
                Problem(place, "votes", f"vote {i + 1} has no numeric score", "vote_no_score", (("n", i + 1),))
            )
            continue
        if not schema.EMOTION_MIN <= score <= schema.EMOTION_MAX:
            problems.append(
                Problem(
                    place,
                    "votes",
                    f"vote {i + 1}: {_fmt(score)} is outside -2 … 2",
                    "vote_out_of_range",
                    (("n", i + 1), ("value", _fmt(score))),
                )
            )
    return tp


def coerce_transition(raw: dict[str, Any], *, place: Place, problems: list[Problem]) -> dict[str, Any]:
    """A transition dict with every schema field, typed; problems are appended, not raised."""
    return _coerce_record(schema.TRANSITION_FIELDS, raw, place, problems)


def _check_stages(stages: Any, problems: list[Problem]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if not isinstance(stages, (list, tuple)) or not stages:
        problems.append(Problem(Place("map"), "stages", "a map needs at least one stage", "no_stages"))
        return out
    seen: set[str] = set()
    for i, stage in enumerate(stages):
        where = Place("stage", {"n": i + 1})
        if not isinstance(stage, dict):
            problems.append(Problem(where, None, "is not a record with id, name and phase", "stage_not_record"))
            continue
        sid = str(stage.get("id") or "").strip()
        name = str(stage.get("name") or "").strip() or sid
        phase = str(stage.get("phase") or "").strip()
        if not sid:
            problems.append(Problem(where, "id", "is required", "required"))
        elif sid in seen:
            problems.append(
                Problem(where, "id", f"duplicate stage id {sid!r}", "duplicate_stage", (("id", repr(sid)),))
            )
        seen.add(sid)
        if len(name) > schema.NAME_MAX:
            problems.append(
                Problem(
                    where,
                    "name",
                    f"is longer than {schema.NAME_MAX} characters",
                    "longer_than",
                    (("limit", schema.NAME_MAX),),
                )
            )
        if phase not in schema.PHASES:
            choices = ", ".join(schema.PHASES)
            problems.append(
                Problem(
                    where,
                    "phase",
                    f"{phase!r} is not one of: {choices}",
                    "not_a_choice",
                    (("value", repr(phase)), ("choices", choices)),
                )
            )
        out.append({"id": sid, "name": name, "phase": phase})
    return out


def _check_persona(persona: Any, problems: list[Problem]) -> dict[str, str]:
    if persona is None:
        persona = {}
    if not isinstance(persona, dict):
        problems.append(Problem(Place("persona"), None, "is not a record", "not_a_record"))
        return {f.name: "" for f in schema.PERSONA_FIELDS}
    return _coerce_record(schema.PERSONA_FIELDS, persona, Place("persona"), problems)


def _check_counts_source(value: Any, problems: list[Problem]) -> dict[str, Any] | None:
    """``counts_source`` normalised (see :data:`cjm.schema.COUNTS_SOURCE_FIELDS`), or ``None``."""
    if value is None:
        return None
    if not isinstance(value, dict):
        problems.append(Problem(Place("map"), "counts_source", "is not a record", "not_a_record"))
        return None
    tps = value.get("touchpoints") or []
    edges = value.get("transitions") or []
    if not isinstance(tps, (list, tuple)) or not isinstance(edges, (list, tuple)):
        problems.append(Problem(Place("map"), "counts_source", "is not a record", "not_a_record"))
        return None
    return {
        "source": str(value.get("source") or "")[: schema.NAME_MAX],
        "saved_at": str(value.get("saved_at") or ""),
        "touchpoints": [str(t) for t in tps],
        "transitions": [[str(e[0]), str(e[1])] for e in edges if isinstance(e, (list, tuple)) and len(e) == 2],
    }


def validate_map(G: nx.DiGraph, *, source: str | None = None) -> nx.DiGraph:
    """Return a normalised copy of ``G`` (every field present and typed) or raise ``ValidationError``.

    Checks map attributes, stages, every touchpoint (unknown stage, emotion out of range, wrong
    types, over-long text), every transition (edge to a missing touchpoint), and reports all
    problems at once, each with its place.
    """
    problems: list[Problem] = []
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise ValidationError([Problem(Place("map"), None, "is not a directed graph", "not_a_graph")], source=source)
    attrs = dict(G.graph)
    map_id = str(attrs.get("id") or "").strip()
    if not map_id:
        problems.append(Problem(Place("map"), "id", "is required", "required"))
    title = str(attrs.get("title") or "").strip()
    if not title:
        problems.append(Problem(Place("map"), "title", "is required", "required"))
    elif len(title) > schema.NAME_MAX:
        problems.append(
            Problem(
                Place("map"),
                "title",
                f"is longer than {schema.NAME_MAX} characters",
                "longer_than",
                (("limit", schema.NAME_MAX),),
            )
        )
    map_type = attrs.get("map_type")
    if map_type not in schema.MAP_TYPES:
        choices = ", ".join(schema.MAP_TYPES)
        problems.append(
            Problem(
                Place("map"),
                "map_type",
                f"{map_type!r} is not one of: {choices}",
                "not_a_choice",
                (("value", repr(map_type)), ("choices", choices)),
            )
        )
    stages = _check_stages(attrs.get("stages"), problems)
    stage_ids = {s["id"] for s in stages}
    persona = _check_persona(attrs.get("persona"), problems)

    H = nx.DiGraph()
    H.graph.update(
        id=map_id,
        title=title,
        map_type=map_type,
        persona=persona,
        segment=str(attrs.get("segment") or ""),
        stages=stages,
        baseline_id=(str(attrs["baseline_id"]) if attrs.get("baseline_id") else None),
        language=str(attrs.get("language") or "en"),
        created_at=attrs.get("created_at"),
        updated_at=attrs.get("updated_at"),
    )
    counts_source = _check_counts_source(attrs.get("counts_source"), problems)
    if counts_source is not None:  # absent until funnel counts are saved onto the map
        H.graph["counts_source"] = counts_source
    for node, data in G.nodes(data=True):
        where = Place("touchpoint", {"id": node})
        raw = dict(data)
        if "id" in raw and str(raw["id"]) != str(node):
            problems.append(
                Problem(where, "id", f"node key and id {raw['id']!r} differ", "id_differs", (("id", repr(raw["id"])),))
            )
        raw["id"] = node
        tp = coerce_touchpoint(raw, place=where, problems=problems)
        if tp["stage"] and stage_ids and tp["stage"] not in stage_ids:
            known = ", ".join(sorted(stage_ids))
            problems.append(
                Problem(
                    where,
                    "stage",
                    f"unknown stage {tp['stage']!r}; stages: {known}",
                    "unknown_stage",
                    (("value", repr(tp["stage"])), ("stages", known)),
                )
            )
        H.add_node(str(node), **tp)
    for u, v, data in G.edges(data=True):
        where = Place("transition", {"source": u, "target": v})
        tr = coerce_transition(dict(data), place=where, problems=problems)
        H.add_edge(str(u), str(v), **tr)
    if problems:
        raise ValidationError(problems, source=source)
    return H
