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
from cjm.limits import ID_COLUMN_CHARS, limits
from cjm.text import fmt_int, is_blank

__all__ = [
    "ValueProblem",
    "check_text",
    "scrub",
    "shown",
    "listing",
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
#: Characters no database or spreadsheet takes in text: C0 controls but tab, line feed and
#: carriage return (PostgreSQL refuses NUL, XLSX every one of them), and lone UTF-16 surrogates
#: (not encodable as UTF-8).
_BAD_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
#: Longest text read as a number (a longer one is not a number, however it is written).
_NUMBER_TEXT_MAX = 100
_SHOWN_MAX = 60


def shown(value: Any) -> str:
    """``repr(value)`` cut to a readable length, for messages quoting what a file holds.

    >>> shown("x" * 100)[:10], len(shown("x" * 100)), shown(10 ** 5000)[:8]
    ("'xxxxxxxxx", 63, 'a number')
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"a number of about {int(value.bit_length() * 0.30103)} digits"
    if isinstance(value, str) and len(value) > _SHOWN_MAX:
        value = value[:_SHOWN_MAX]
        return repr(value) + "…"
    if isinstance(value, (dict, list, tuple, set)):
        return f"a {_kind_name(value)}"
    text = repr(value)
    return text if len(text) <= _SHOWN_MAX + 1 else text[:_SHOWN_MAX] + "…"


def check_text(text: str) -> str:
    r"""``text`` unchanged, or ``ValueProblem`` when it holds a character that a database or a
    spreadsheet refuses (a control character other than tab and line breaks, a lone surrogate).

    >>> check_text("fine\tline\n")
    'fine\tline\n'
    >>> check_text("bad\x00")
    Traceback (most recent call last):
    ...
    cjm.errors.ValueProblem: holds a character that cannot be stored (U+0000) at position 4
    """
    found = _BAD_CHARS.search(text)
    if found:
        code = f"U+{ord(found[0]):04X}"
        raise ValueProblem(
            f"holds a character that cannot be stored ({code}) at position {found.start() + 1}",
            "control_char",
            char=code,
            position=found.start() + 1,
        )
    return text


def scrub(data: Any) -> Any:
    r"""Parsed JSON with the characters :func:`check_text` refuses removed from every text (keys
    too): how a map stored before that rule existed is read back rather than refused.

    >>> scrub({"title": "a\x00b", "nodes": [{"task": "bell\x07"}]})
    {'title': 'ab', 'nodes': [{'task': 'bell'}]}
    """
    if isinstance(data, str):
        return _BAD_CHARS.sub("", data)
    if isinstance(data, list):
        return [scrub(x) for x in data]
    if isinstance(data, dict):
        return {scrub(k): scrub(v) for k, v in data.items()}
    return data


def _scalar_text(value: Any) -> str:
    """A scalar as text; ``ValueProblem`` for a list, a record or a number too long to write."""
    if isinstance(value, (dict, list, tuple, set)):
        kind = _kind_name(value)
        raise ValueProblem(f"expected text, not a {kind}", f"text_not_{kind}")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        raise ValueProblem("is a number too large to use", "number_too_large")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def listing(items: list[str], most: int = 20) -> str:
    """Items joined by commas, the first ``most`` of them and how many there are when longer.

    >>> listing(["a", "b"]), listing([str(i) for i in range(30)], most=3)
    ('a, b', '0, 1, 2, … (30 in all)')
    """
    if len(items) <= most:
        return ", ".join(items)
    return ", ".join(items[:most]) + f", … ({len(items)} in all)"


def _differs(value: Any, node: Any) -> bool:
    try:
        return _scalar_text(value) != str(node)
    except ValueError:
        return True


def _kind_name(value: Any) -> str:
    return "record" if isinstance(value, dict) else "list"


def _aliases(field: schema.Field) -> dict[str, str]:
    if field.name not in _ALIASES:
        _ALIASES[field.name] = choice_aliases(field.name, field.choices or ())
    return _ALIASES[field.name]


def _number(value: Any) -> float:
    """A float from a number or its text; ``ValueError`` when it is none (or too long to be one).

    Huge integers are refused before ``float()`` (which would raise ``OverflowError``), long text
    before it is parsed.
    """
    if isinstance(value, bool):
        raise ValueProblem("a yes/no value is not a number", "bool_not_number")
    if isinstance(value, int):
        if abs(value) >= 10 ** limits().max_number_digits:
            raise ValueProblem("is a number too large to use", "number_too_large")
        return float(value)
    if isinstance(value, float):
        return value
    if not isinstance(value, str):
        raise ValueError("not a number")
    text = value.strip().replace("\u2212", "-").replace("\xa0", "").replace(" ", "")
    if len(text) > _NUMBER_TEXT_MAX:
        raise ValueError("not a number")
    text = text.replace(",", ".")  # decimal comma
    digits = sum(ch.isdigit() for ch in text.split("e")[0].split("E")[0])
    if digits > limits().max_number_digits:
        raise ValueProblem("is a number too large to use", "number_too_large")
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
        if len(value) > limits().max_records:
            n, most = fmt_int(len(value)), fmt_int(limits().max_records)
            raise ValueProblem(
                f"has {n} entries; the limit is {most}", "too_many_entries", n=len(value), limit=limits().max_records
            )
        if not all(isinstance(item, dict) for item in value):
            raise ValueProblem("expected a list of records", "not_a_record_list")
        return [dict(item) for item in value]
    if is_blank(value):
        if field.required:
            raise ValueProblem("is required", "required")
        return list(field.default) if isinstance(field.default, tuple) else field.default
    kind = field.kind
    if kind in ("str", "text"):
        text = _scalar_text(value)
        if kind == "str":
            text = text.strip()
        if field.max_len is not None and len(text) > field.max_len:
            raise ValueProblem(
                f"is {len(text)} characters long; the limit is {field.max_len}",
                "too_long",
                n=len(text),
                limit=field.max_len,
            )
        return check_text(text)
    if kind == "choice":
        key = _scalar_text(value).strip().lower() if not isinstance(value, (dict, list, tuple, set)) else None
        found = _aliases(field).get(key) if key is not None else None
        if found is None:
            choices = ", ".join(field.choices or ())
            raise ValueProblem(
                f"{shown(value)} is not one of: {choices}", "not_a_choice", value=shown(value), choices=choices
            )
        return found
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)) and value in (0, 1):
            return bool(value)
        key = str(value).strip().lower() if isinstance(value, str) else None
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
        raise ValueProblem(f"{shown(value)} is not yes/no", "not_yes_no", value=shown(value))
    if kind in ("int", "float"):
        try:
            number = _number(value)
        except ValueProblem as exc:
            if exc.code != "number_too_large":
                raise ValueProblem(f"{shown(value)} is not a number", "not_a_number", value=shown(value)) from None
            raise
        except (TypeError, ValueError):
            raise ValueProblem(f"{shown(value)} is not a number", "not_a_number", value=shown(value)) from None
        if math.isnan(number) or math.isinf(number):
            raise ValueProblem(f"{shown(value)} is not a number", "not_a_number", value=shown(value))
        if kind == "int":
            if not number.is_integer():
                raise ValueProblem(f"{shown(value)} is not a whole number", "not_whole", value=shown(value))
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
        match = _TIME_RE.match(value) if isinstance(value, str) else None
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValueProblem(f"{shown(value)} is not a time of day (HH:MM)", "not_a_time", value=shown(value))
        return f"{int(match[1]):02d}:{match[2]}"
    if kind == "date":
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        text = value.strip() if isinstance(value, str) and len(value) <= _NUMBER_TEXT_MAX else ""
        for fmt in ("%Y-%m-%d", "%d.%m.%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"):
            try:
                return datetime.strptime(text, fmt).date().isoformat()
            except ValueError:
                pass
        raise ValueProblem(f"{shown(value)} is not a date (YYYY-MM-DD)", "not_a_date", value=shown(value))
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
    for kind in ("comments", "votes"):
        for i, record in enumerate(tp.get(kind) or []):
            _check_record(record, kind, i + 1, place, problems)
    for i, comment in enumerate(tp.get("comments") or []):
        text = comment.get("text", "")
        if isinstance(text, (dict, list)) or is_blank(text):
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
            if math.isnan(score) or math.isinf(score):
                raise ValueError("not a number")
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


_RECORD_KEY_MAX = 80


def _check_record(record: dict[str, Any], kind: str, n: int, place: Place, problems: list[Problem]) -> None:
    """A comment or vote holds short keys and plain values (text, numbers, yes/no), each storable
    and writable to a spreadsheet cell."""
    noun = "comment" if kind == "comments" else "vote"
    for key, value in record.items():
        bad: ValueError | None = None
        if not isinstance(key, str) or not key.strip() or len(key) > _RECORD_KEY_MAX:
            bad = ValueProblem(f"has a key that is not a short name: {shown(key)}", "record_bad_key", key=shown(key))
        elif value is not None and not isinstance(value, (str, int, float, bool)):
            bad = ValueProblem("expected text or a number", "record_not_scalar")
        else:
            try:
                check_text(key)
                if isinstance(value, str):
                    if len(value) > schema.TEXT_MAX:
                        raise ValueProblem(
                            f"is {len(value)} characters long; the limit is {schema.TEXT_MAX}",
                            "too_long",
                            n=len(value),
                            limit=schema.TEXT_MAX,
                        )
                    check_text(value)
                elif isinstance(value, int) and not isinstance(value, bool):
                    _number(value)
                elif isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
                    raise ValueProblem(f"{shown(value)} is not a number", "not_a_number", value=shown(value))
            except ValueError as exc:
                bad = exc
        if bad is not None:
            inner = getattr(bad, "code", None)
            params = (("noun", noun), ("n", n), ("key", shown(key)), ("inner", inner), *getattr(bad, "params", ()))
            message = f"{noun} {n}, {shown(key)}: {bad}"
            problems.append(Problem(place, kind, message, "record_part" if inner else None, params if inner else ()))
            return


def coerce_transition(raw: dict[str, Any], *, place: Place, problems: list[Problem]) -> dict[str, Any]:
    """A transition dict with every schema field, typed; problems are appended, not raised."""
    return _coerce_record(schema.TRANSITION_FIELDS, raw, place, problems)


def _text_attr(
    value: Any, where: Place, field_name: str, problems: list[Problem], *, max_len: int | None = None
) -> str:
    """A map-level text attribute (title, stage name …) as stripped text; a value that is not
    text (a record, a list), too long or holding a character a database refuses is a problem and
    gives ""."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    try:
        text = _scalar_text(value).strip()
        if max_len is not None and len(text) > max_len:
            raise ValueProblem(f"is longer than {max_len} characters", "longer_than", limit=max_len)
        return check_text(text)
    except ValueError as exc:
        problems.append(problem_from(where, field_name, exc))
        return ""


def _too_many(where: Place, field_name: str | None, n: int, limit: int, what: str) -> Problem:
    return Problem(
        where,
        field_name,
        f"has {fmt_int(n)} {what}; the limit is {fmt_int(limit)}",
        f"too_many_{what}",
        (("n", n), ("limit", limit)),
    )


def _check_stages(stages: Any, problems: list[Problem]) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if not isinstance(stages, (list, tuple)) or not stages:
        problems.append(Problem(Place("map"), "stages", "a map needs at least one stage", "no_stages"))
        return out
    if len(stages) > limits().max_stages:
        problems.append(_too_many(Place("map"), "stages", len(stages), limits().max_stages, "stages"))
        return out
    seen: set[str] = set()
    for i, stage in enumerate(stages):
        where = Place("stage", {"n": i + 1})
        if not isinstance(stage, dict):
            problems.append(Problem(where, None, "is not a record with id, name and phase", "stage_not_record"))
            continue
        sid = _text_attr(stage.get("id") or "", where, "id", problems, max_len=80)
        name = _text_attr(stage.get("name") or "", where, "name", problems) or sid
        phase = _text_attr(stage.get("phase") or "", where, "phase", problems, max_len=80)
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
    try:
        out = {
            "source": check_text(_scalar_text(value.get("source") or "")[: schema.NAME_MAX]),
            "saved_at": check_text(_scalar_text(value.get("saved_at") or "")),
            "touchpoints": [check_text(_scalar_text(t)) for t in tps],
            "transitions": [
                [check_text(_scalar_text(e[0])), check_text(_scalar_text(e[1]))]
                for e in edges
                if isinstance(e, (list, tuple)) and len(e) == 2
            ],
        }
    except ValueError as exc:
        problems.append(problem_from(Place("map"), "counts_source", exc))
        return None
    return out


def _timestamp(value: Any, key: str, problems: list[Problem]) -> str | None:
    """``created_at`` / ``updated_at``: an ISO date-time text (or nothing); anything else is a problem."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str) and len(value) <= 40:
        try:
            datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
            return value.strip()
        except ValueError:
            pass
    problems.append(
        Problem(
            Place("map"),
            key,
            f"{shown(value)} is not a date and time (ISO 8601)",
            "not_a_timestamp",
            (("value", shown(value)),),
        )
    )
    return None


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
    lim = limits()
    if G.number_of_nodes() > lim.max_touchpoints:
        too_many = _too_many(Place("map"), None, G.number_of_nodes(), lim.max_touchpoints, "touchpoints")
        raise ValidationError([too_many], source=source)
    if G.number_of_edges() > lim.max_transitions:
        too_many = _too_many(Place("map"), None, G.number_of_edges(), lim.max_transitions, "transitions")
        raise ValidationError([too_many], source=source)
    id_max = min(lim.max_id_chars, ID_COLUMN_CHARS)
    id_problems: list[Problem] = []
    map_id = _text_attr(attrs.get("id"), Place("map"), "id", id_problems, max_len=id_max)
    problems += id_problems
    if not map_id and not id_problems:
        problems.append(Problem(Place("map"), "id", "is required", "required"))
    title_problems: list[Problem] = []
    title = _text_attr(attrs.get("title"), Place("map"), "title", title_problems, max_len=schema.NAME_MAX)
    problems += title_problems
    if not title and not title_problems:
        problems.append(Problem(Place("map"), "title", "is required", "required"))
    map_type = attrs.get("map_type")
    if not isinstance(map_type, str) or map_type not in schema.MAP_TYPES:
        choices = ", ".join(schema.MAP_TYPES)
        problems.append(
            Problem(
                Place("map"),
                "map_type",
                f"{shown(map_type)} is not one of: {choices}",
                "not_a_choice",
                (("value", shown(map_type)), ("choices", choices)),
            )
        )
    segment = _text_attr(attrs.get("segment"), Place("map"), "segment", problems, max_len=schema.TEXT_MAX)
    baseline_id = _text_attr(attrs.get("baseline_id"), Place("map"), "baseline_id", problems, max_len=id_max)
    language = _text_attr(attrs.get("language"), Place("map"), "language", problems, max_len=16) or "en"
    stamps = {key: _timestamp(attrs.get(key), key, problems) for key in ("created_at", "updated_at")}
    stages = _check_stages(attrs.get("stages"), problems)
    stage_ids = {s["id"] for s in stages}
    persona = _check_persona(attrs.get("persona"), problems)

    H = nx.DiGraph()
    H.graph.update(
        id=map_id,
        title=title,
        map_type=map_type,
        persona=persona,
        segment=segment,
        stages=stages,
        baseline_id=baseline_id or None,
        language=language,
        **stamps,
    )
    competitor = _text_attr(attrs.get("competitor"), Place("map"), "competitor", problems, max_len=schema.NAME_MAX)
    if competitor:  # absent on our own maps
        H.graph["competitor"] = competitor
    counts_source = _check_counts_source(attrs.get("counts_source"), problems)
    if counts_source is not None:  # absent until funnel counts are saved onto the map
        H.graph["counts_source"] = counts_source
    for node, data in G.nodes(data=True):
        where = Place("touchpoint", {"id": node})
        raw = dict(data)
        if "id" in raw and _differs(raw["id"], node):
            problems.append(
                Problem(
                    where, "id", f"node key and id {shown(raw['id'])} differ", "id_differs", (("id", shown(raw["id"])),)
                )
            )
        raw["id"] = node
        tp = coerce_touchpoint(raw, place=where, problems=problems)
        if tp["stage"] and stage_ids and tp["stage"] not in stage_ids:
            known = listing(sorted(stage_ids))
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
