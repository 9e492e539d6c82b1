"""Reading funnel files: aggregated tables, GA4 and Yandex Metrica exports, raw event logs.

:func:`detect` looks at a file (bytes of an upload or a local path) and says what it is: the format,
encoding, delimiter, decimal mark and which column plays which role. When it is unsure,
``Detection.ambiguous`` names the roles the user must map; :func:`load` then takes an explicit
``mapping``. Every problem raises a :class:`~cjm.funnel.errors.FunnelInputError` naming the line
and column; nothing is half-loaded.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import math
import re
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

from cjm.funnel._pandas import pd
from cjm.funnel.engine import EventLog, _ident, _lit
from cjm.funnel.errors import (
    FunnelColumnError,
    FunnelEmptyFileError,
    FunnelEncodingError,
    FunnelInputError,
    FunnelValueError,
    FunnelWarning,
)
from cjm.text import fmt_int

__all__ = [
    "KINDS",
    "ROLES",
    "Detection",
    "AggregatedFunnel",
    "MappingNeeded",
    "detect",
    "load",
    "read_funnel_file",
    "parse_count",
    "save_upload",
    "check_local_path",
    "as_event_log",
    "refuse_store",
    "check_event_names",
]

KINDS = ("aggregated", "ga4", "metrica", "events")
#: Roles a column can play, per kind of file; the optional ones may stay unmapped.
ROLES = {
    "aggregated": ("step", "users", "segment"),
    "ga4": ("step", "users", "segment"),
    "metrica": ("step", "users", "segment"),
    "events": ("user", "event", "time"),
}
OPTIONAL_ROLES = {"segment"}

# Column names that give a role away (lower case, compared after trimming). Earlier = preferred.
_NAMES = {
    "step": (
        "step",
        "funnel step",
        "funnelstepname",
        "funnel step name",
        "stage",
        "step name",
        "шаг",
        "шаг воронки",
        "этап",
        "цель",
        "event",
        "name",
        "событие",
        "название",
    ),
    "users": (
        "users",
        "active users",
        "activeusers",
        "user count",
        "people",
        "persons",
        "visitors",
        "count",
        "пользователи",
        "посетители",
        "количество",
        "кол-во",
        "uniques",
        "total users",
    ),
    "segment": (
        "segment",
        "breakdown",
        "сегмент",
        "device category",
        "device",
        "channel",
        "source",
        "city",
        "устройство",
        "канал",
        "источник",
        "город",
        "country",
        "platform",
    ),
    "user": (
        "user_id",
        "userid",
        "user id",
        "user_pseudo_id",
        "distinct_id",
        "person_id",
        "person",
        "client_id",
        "clientid",
        "uid",
        "user",
        "visitor_id",
        "customer_id",
        "id пользователя",
        "пользователь",
        "clientid",
    ),
    "event": ("event", "event_name", "event name", "eventname", "action", "событие", "действие", "name"),
    "time": (
        "timestamp",
        "time",
        "ts",
        "event_time",
        "event_timestamp",
        "datetime",
        "date_time",
        "created_at",
        "date",
        "время",
        "дата",
        "дата и время",
    ),
}
_GA4_MARKERS = ("active users", "completion rate", "abandonments", "abandonment rate", "funnelstepname")
_METRICA_TOTAL = "итого и средние"
_TOTAL_SEGMENTS = ("total", "итого", "всего", "reserved_total", "(total)", "grand total")
#: step names of a total row (a trailing "Итого" / "Total" line of a spreadsheet), skipped with a note
_TOTAL_STEPS = (
    "total",
    "totals",
    "grand total",
    "итого",
    "итог",
    "всего",
    "итого:",
    "total:",
    "всего:",
    _METRICA_TOTAL,
)
#: a column with times or durations ("Время на сайте", "00:01:23") is never a segment
_TIME_NAME = re.compile(r"время|дата|длительн|time|date|duration|минут|секунд|second|minute", re.I)
_DURATION = re.compile(r"\d{1,3}(:\d{2}){1,2}(\.\d+)?|\d+(\.\d+)?\s*(s|sec|с|сек|мин|min)\.?")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009_']")

#: Limits of what the readers take (documented in docs/funnel.md): a count has at most this many
#: digits (a quadrillion people is already absurd) ...
MAX_COUNT_DIGITS = 15
#: ... a cell at most this many characters (a step or event name is short; a huge one would freeze
#: the page) ...
MAX_CELL_CHARS = 10_000
#: ... an aggregated funnel at most this many steps ...
MAX_FILE_STEPS = 500
#: ... and an XLSX file at most this many rows (a larger event log goes as CSV or Parquet).
MAX_XLSX_ROWS = 200_000
#: the first bytes of every SQLite database file
_SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class AggregatedFunnel:
    """Counts given by the file: ``counts[k]`` people reached ``steps[k]``.

    ``segments`` maps each segment value to its counts (file order); ``counts`` are the totals (the
    file's own total row when it has one, else the sum of the segments). ``warnings`` flag counts
    that rise from one step to the next; ``notes`` carry what the file says about itself (date range).
    """

    steps: tuple[str, ...]
    counts: tuple[int, ...]
    segments: dict[str, tuple[int, ...]]
    kind: str
    source: str
    segment_column: str | None = None
    warnings: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Detection:
    """What :func:`detect` found. ``mapping`` is role → column (``None`` when not found);
    ``ambiguous`` the roles the user must choose; ``candidates`` the columns offered for each."""

    kind: str
    name: str
    encoding: str
    delimiter: str
    decimal: str
    columns: tuple[str, ...]
    mapping: dict[str, str | None]
    ambiguous: tuple[str, ...]
    candidates: dict[str, tuple[str, ...]]
    notes: tuple[str, ...] = ()
    header_line: int = 1  # file line of the header
    container: str = "csv"  # csv | xlsx | parquet
    #: a known export read in its own way: "metrica_hits" / "metrica_visits" (Metrica Logs API)
    layout: str = ""
    _rows: tuple[tuple[str, ...], ...] = field(default=(), repr=False, compare=False)
    _path: Path | None = field(default=None, repr=False, compare=False)

    @property
    def needs_mapping(self) -> bool:
        return bool(self.ambiguous)


class MappingNeeded(FunnelColumnError):
    """Detection was unsure which column plays which role; ``detection.ambiguous`` says which."""

    def __init__(self, detection: Detection):
        self.detection = detection
        roles = ", ".join(detection.ambiguous)
        super().__init__(f"please choose the columns for: {roles}", source=detection.name)


# --------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------


def parse_count(
    text: str, *, decimal: str = ".", line: int | None = None, column: str | None = None, source: str | None = None
) -> int:
    """A whole, non-negative count from a cell: ``"12,345"``, ``"12 345"``, ``"12345.0"``, ``"1.234"``
    (with ``decimal=","``). Anything else raises :class:`FunnelValueError` naming line and column.

    >>> parse_count("12,345"), parse_count("1 234"), parse_count("1.234", decimal=","), parse_count("7.0")
    (12345, 1234, 1234, 7)
    """
    raw = "" if text is None else str(text)
    s = _SPACES.sub("", raw)
    if sum(ch.isdigit() for ch in s) > MAX_COUNT_DIGITS:  # before int(): no 4,300-digit conversions
        shown = raw.strip()[:20] + ("…" if len(raw.strip()) > 20 else "")
        raise FunnelValueError(
            f"the count {shown!r} is too large for a number of people",
            line=line,
            column=column,
            source=source,
            code="count_too_large",
            params={"raw": shown},
        )
    ok = None
    if re.fullmatch(r"\d+", s):
        ok = int(s)
    elif re.fullmatch(r"\d{1,3}(,\d{3})+", s) and decimal == ".":
        ok = int(s.replace(",", ""))
    elif re.fullmatch(r"\d{1,3}(\.\d{3})+", s) and decimal == ",":
        ok = int(s.replace(".", ""))
    else:
        m = re.fullmatch(r"(\d+)[.,](0+)", s)
        if m:
            ok = int(m.group(1))
    if ok is None:
        what = "is empty" if not s else ("is negative" if s.startswith("-") else "is not a whole number of people")
        code = "count_empty" if not s else ("count_negative" if s.startswith("-") else "count_not_whole")
        raise FunnelValueError(
            f"the count {raw!r} {what}", line=line, column=column, source=source, code=code, params={"raw": raw}
        )
    return ok


# --------------------------------------------------------------------------------------------
# Decoding and splitting
# --------------------------------------------------------------------------------------------


def _decode(data: bytes, name: str) -> tuple[str, str]:
    if not data.strip():
        raise FunnelEmptyFileError("the file is empty", source=name, code="empty")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FunnelEncodingError(
            "the file is UTF-16; save it as UTF-8 (or cp1251) CSV", line=1, source=name, code="utf16"
        )
    if b"\x00" in data[:65536]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise FunnelEncodingError(
            "the file is binary or in an unsupported encoding (NUL byte); use CSV in UTF-8 or cp1251, XLSX or Parquet",
            line=line,
            source=name,
            code="binary",
        )
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _bad_bytes(data[3:], exc, name, "UTF-8") from exc
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1251"), "cp1251"
    except UnicodeDecodeError as exc:
        raise _bad_bytes(data, exc, name, "UTF-8 or cp1251") from exc


def _bad_bytes(data: bytes, exc: UnicodeDecodeError, name: str, what: str) -> FunnelEncodingError:
    line = data[: exc.start].count(b"\n") + 1
    return FunnelEncodingError(
        f"byte {data[exc.start]:#04x} is not valid {what}; save the file as UTF-8",
        line=line,
        source=name,
        code="bad_byte_utf8" if what == "UTF-8" else "bad_byte",
        params={"byte": f"{data[exc.start]:#04x}"},
    )


def _split_comments(text: str) -> tuple[list[str], list[str], int]:
    """Leading ``#`` comment lines (GA4) and blank lines; returns (comments, rest, lines skipped)."""
    lines = text.splitlines()
    comments = []
    i = 0
    while i < len(lines) and (lines[i].lstrip().startswith("#") or not lines[i].strip()):
        if lines[i].strip():
            comments.append(lines[i].lstrip()[1:].strip())
        i += 1
    return comments, lines[i:], i


def _sniff_delimiter(lines: list[str]) -> str:
    sample = [ln for ln in lines[:50] if ln.strip()]
    best, best_score = ",", (-1, -1)
    for delim in (",", ";", "\t", "|"):
        try:
            rows = list(csv.reader(sample, delimiter=delim))
        except csv.Error:  # a huge or broken cell: the full read names its line
            continue
        widths = [len(r) for r in rows]
        if not widths or widths[0] < 2:
            continue
        consistent = sum(w == widths[0] for w in widths)
        score = (consistent, widths[0])
        if score > best_score:
            best, best_score = delim, score
    return best


def _decimal_mark(rows: list[list[str]], delimiter: str) -> str:
    comma = dot = 0
    for row in rows[:200]:
        for cell in row:
            s = _SPACES.sub("", cell).rstrip("%")
            if re.fullmatch(r"-?\d+,\d{1,2}|-?\d+,\d{4,}|-?\d{1,3}(\.\d{3})+,\d+", s):
                comma += 1
            elif re.fullmatch(r"-?\d+\.\d{1,2}|-?\d+\.\d{4,}|-?\d{1,3}(,\d{3})+\.\d+", s):
                dot += 1
    if comma > dot or (comma == dot == 0 and delimiter == ";"):
        return ","
    return "."


# --------------------------------------------------------------------------------------------
# Roles
# --------------------------------------------------------------------------------------------


def _norm(name: str) -> str:
    return re.sub(r"\s+", " ", str(name).strip().lower().replace("\ufeff", ""))


def _by_name(columns: tuple[str, ...], role: str, taken: set[str]) -> list[str]:
    """Columns whose name gives ``role`` away, best first (exact names before ones containing it)."""
    names = _NAMES[role]
    found: list[tuple[int, str]] = []
    for col in columns:
        if col in taken:
            continue
        n = _norm(col)
        if n in names:
            found.append((names.index(n), col))
    if not found and role in ("users", "time", "user"):
        for col in columns:
            n = _norm(col)
            if role == "users" and re.search(r"id$|id\b", n):
                continue  # Metrica's "ym:pv:counterID" is an id, not a count
            if col not in taken and any(len(k) > 3 and k in n for k in names):
                found.append((100, col))
    found.sort()
    return [c for _, c in found]


_TIME_PATTERNS = (
    (re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"), "iso"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})"), "isotz"),
    (re.compile(r"\d{10}(?:\.\d+)?"), "epoch_s"),
    (re.compile(r"\d{13}"), "epoch_ms"),
    (re.compile(r"\d{16}"), "epoch_us"),  # GA4's BigQuery export (event_timestamp)
    (re.compile(r"\d{2}\.\d{2}\.\d{4} \d{1,2}:\d{2}:\d{2}"), "strptime:%d.%m.%Y %H:%M:%S"),
    (re.compile(r"\d{2}\.\d{2}\.\d{4} \d{1,2}:\d{2}"), "strptime:%d.%m.%Y %H:%M"),
    (re.compile(r"\d{1,2}/\d{1,2}/\d{4} \d{1,2}:\d{2}:\d{2}"), "strptime:%m/%d/%Y %H:%M:%S"),
)


def _time_kind(values: list[str]) -> tuple[str | None, int | None]:
    """The time format all sample values share, or (None, index of the first value none fits)."""
    values = [v.strip() for v in values if v is not None and str(v).strip()]
    if not values:
        return None, None
    for pattern, kind in _TIME_PATTERNS:
        if all(pattern.fullmatch(v) for v in values):
            if kind == "strptime:%m/%d/%Y %H:%M:%S" and any(int(v.split("/")[0]) > 12 for v in values):
                kind = "strptime:%d/%m/%Y %H:%M:%S"
            return kind, None
    # more than one format: the one most values share is the column's; blame the first other value
    fits = {kind: sum(bool(p.fullmatch(v)) for v in values) for p, kind in _TIME_PATTERNS}
    usual = max(fits, key=fits.get)
    pattern = next(p for p, kind in _TIME_PATTERNS if kind == usual)
    return None, next(i for i, v in enumerate(values) if not pattern.fullmatch(v))


def _looks_like_count(values: list[str]) -> bool:
    vals = [v for v in values if v.strip()]
    return bool(vals) and all(re.fullmatch(r"[\d\s\u00a0,.]+", v.strip()) for v in vals)


def _mostly_empty(values: list[str]) -> bool:
    return sum(not (v or "").strip() for v in values) * 2 > len(values)


def _time_like(column: str, values: list[str]) -> bool:
    """A column of times, dates or durations ("Время на сайте", "00:01:23"): never a segment."""
    if _TIME_NAME.search(_norm(column)):
        return True
    vals = [v.strip() for v in values if v and v.strip()]
    return bool(vals) and (all(_DURATION.fullmatch(v) for v in vals) or _time_kind(vals)[0] is not None)


def _guess_roles(kind: str, columns: tuple[str, ...], rows: list[tuple[str, ...]]):
    mapping: dict[str, str | None] = {}
    candidates: dict[str, tuple[str, ...]] = {}
    ambiguous: list[str] = []
    taken: set[str] = set()
    col_values = {c: [r[i] if i < len(r) else "" for r in rows[:200]] for i, c in enumerate(columns)}
    for role in ROLES[kind]:
        found = _by_name(columns, role, taken)
        if role == "time" and not found:
            found = [c for c in columns if c not in taken and _time_kind(col_values[c])[0]]
        if role == "user" and len(found) > 1 and _mostly_empty(col_values[found[0]]):
            # GA4's BigQuery export: user_id only for signed-in people, user_pseudo_id for everyone
            found = [c for c in found if not _mostly_empty(col_values[c])] + [
                c for c in found if _mostly_empty(col_values[c])
            ]
        if role == "users" and len(found) != 1:
            numeric = [c for c in (found or columns) if c not in taken and _looks_like_count(col_values[c])]
            if found and numeric:
                found = numeric[:1] if len(numeric) == 1 else found
            elif not found:
                found = numeric
        if role == "segment" and kind in ("aggregated", "ga4", "metrica"):
            # any remaining text column other than step/users could be a segment
            # any remaining text column could be a segment, but only once the step column is known
            found = [c for c in found if not _time_like(c, col_values[c])][:1] or (
                [
                    c
                    for c in columns
                    if c not in taken
                    and not _looks_like_count(col_values[c])
                    and not _norm(c).endswith("%")
                    and "rate" not in _norm(c)
                    and not _time_like(c, col_values[c])
                ][:1]
                if mapping.get("step")
                else []
            )
        candidates[role] = tuple(c for c in columns if c not in taken) if role != "segment" else tuple(columns)
        if found:
            mapping[role] = found[0]
            taken.add(found[0])
            if (
                len(found) > 1
                and role not in OPTIONAL_ROLES
                and _NAMES[role].count(_norm(found[1]))
                and _norm(found[0]) == _norm(found[1])
            ):
                ambiguous.append(role)
        else:
            mapping[role] = None
            if role not in OPTIONAL_ROLES:
                ambiguous.append(role)
    return mapping, tuple(ambiguous), candidates


def _kind_of(columns: tuple[str, ...], rows: list[tuple[str, ...]], comments: list[str], bom: bool) -> str:
    lowered = [_norm(c) for c in columns]
    if comments or any(m in lowered for m in _GA4_MARKERS):
        return "ga4"
    if rows and rows[0] and _norm(rows[0][0]) == _METRICA_TOTAL:
        return "metrica"
    if (
        bom
        and any(re.search("[а-я]", c) for c in lowered)
        and any(_norm(r[0]).startswith("итого") for r in rows[:3] if r)
    ):
        return "metrica"
    roles = {role: _by_name(columns, role, set()) for role in ("user", "event", "time")}
    if all(roles.values()) or (
        len(columns) >= 3 and (roles["user"] or roles["time"]) and not _by_name(columns, "users", set())
    ):
        return "events"
    return "aggregated"


# --------------------------------------------------------------------------------------------
# detect / load
# --------------------------------------------------------------------------------------------


def _read_head(path: Path, size: int) -> bytes:
    with path.open("rb") as f:
        return f.read(size)


def _store_files() -> list[Path]:
    """The app's data folder and its SQLite database files (from ``CJM_DATA_DIR`` and
    ``CJM_DATABASE_URL``, as :func:`cjm.store.database_url` reads them), resolved."""
    import os

    folder = Path(os.environ.get("CJM_DATA_DIR", "").strip() or "data").expanduser()
    files = [folder, folder / "cjm.db"]
    url = os.environ.get("CJM_DATABASE_URL", "").strip()
    m = re.match(r"sqlite\+?\w*:///(.+?)(\?.*)?$", url)
    if m and m.group(1) != ":memory:":
        files.append(Path(m.group(1)).expanduser())
    out = []
    for f in files:
        with contextlib.suppress(OSError, RuntimeError):
            out.append(f.resolve())
    return out


def refuse_store(path: str | Path) -> None:
    """Refuse the app's own data folder and database (and its ``-wal``, ``-shm``, ``-journal``
    files, by path or as the same file under another name) without opening anything: a descriptor
    opened and closed on the live database in the server process drops SQLite's POSIX locks, and
    every later write of that process could then corrupt it."""
    import os

    try:
        p = Path(path).expanduser().resolve()
    except (OSError, RuntimeError):
        return
    for guarded in _store_files():
        same = p == guarded or guarded in p.parents
        if not same and guarded.suffix == ".db":
            for extra in ("", "-wal", "-shm", "-journal"):
                other = guarded.with_name(guarded.name + extra)
                with contextlib.suppress(OSError):  # stat() opens nothing
                    if p.exists() and other.exists() and os.path.samestat(p.stat(), other.stat()):
                        same = True
                if p == other:
                    same = True
        if same:
            raise FunnelInputError(
                f"{path} is the app's own data folder or database: it is never read as a funnel file",
                code="store_file",
                params={"path": str(path)},
            )


def _container(data: bytes | None, path: Path | None, name: str) -> str:
    head = data[:8] if data is not None else _read_head(path, 8)
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith(b"PK\x03\x04") and (name.lower().endswith((".xlsx", ".xlsm")) or True):
        return "xlsx"
    return "csv"


def _csv_rows(lines: list[str], delimiter: str, name: str, skipped: int) -> list[list[str]]:
    """The CSV rows; a cell too large for the csv module or a broken quote is an error naming its
    line, never a ``csv.Error``."""
    reader = csv.reader(lines, delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
    except csv.Error as exc:
        line = skipped + reader.line_num + (0 if rows and reader.line_num > len(rows) else 1)
        if "field larger than field limit" in str(exc):
            raise FunnelValueError(
                f"a cell holds more than {csv.field_size_limit()} characters; at most {MAX_CELL_CHARS} are read",
                line=line,
                source=name,
                code="cell_too_long",
                params={"length": f"> {csv.field_size_limit()}", "limit": MAX_CELL_CHARS},
            ) from None
        raise FunnelInputError(
            f"the line cannot be read as CSV ({exc})",
            line=line,
            source=name,
            code="bad_csv",
            params={"detail": str(exc)},
        ) from None
    return rows


def _check_cells(rows: list[list[str]], name: str, skipped: int) -> None:
    """No cell longer than :data:`MAX_CELL_CHARS` (a huge step or event name would freeze the page)."""
    for i, row in enumerate(rows):
        if not row or max(map(len, row)) <= MAX_CELL_CHARS:  # the usual row, looked at in one call
            continue
        for j, cell in enumerate(row):
            if len(cell) > MAX_CELL_CHARS:
                column = rows[0][j] if i and j < len(rows[0]) else None
                raise FunnelValueError(
                    f"a cell holds {len(cell)} characters; at most {MAX_CELL_CHARS} are read in one cell",
                    line=skipped + i + 1,
                    column=column,
                    source=name,
                    code="cell_too_long",
                    params={"length": len(cell), "limit": MAX_CELL_CHARS},
                )


def _xlsx_cell(v) -> str:
    """An XLSX cell as text; times keep their fractions of a second (a 1-second window must not
    count a step 1.5 s later) and any year (0001-01-01 is reported later, by line)."""
    import datetime as _dt

    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, _dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, (_dt.date, _dt.time)):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e18:
        return str(int(v))
    return str(v)


def _xlsx_rows(data: bytes, name: str) -> list[list[str]]:
    """The first sheet's rows as text, read in openpyxl's streaming (read-only) mode: the declared
    size is checked first and at most :data:`MAX_XLSX_ROWS` rows are read, so a "dimension bomb" or
    300,000 blank rows cost nothing."""
    import openpyxl

    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for broken workbooks
        raise FunnelInputError(
            f"the workbook cannot be read ({type(exc).__name__}: {exc})",
            source=name,
            code="bad_workbook",
            params={"kind": type(exc).__name__, "detail": str(exc)},
        ) from exc
    try:
        if not wb.worksheets:
            raise FunnelEmptyFileError("the file is empty", source=name, code="empty")
        ws = wb.worksheets[0]
        declared = ws.max_row if isinstance(ws.max_row, int) else 0
        if declared > MAX_XLSX_ROWS:
            raise FunnelInputError(
                f"the workbook declares {fmt_int(declared)} rows; at most {fmt_int(MAX_XLSX_ROWS)} are read from an "
                "XLSX file (save a large event log as CSV or Parquet)",
                source=name,
                code="too_many_rows",
                params={"rows": declared, "limit": MAX_XLSX_ROWS},
            )
        rows: list[list[str]] = []
        blank_run = 0
        try:
            for values in ws.iter_rows(values_only=True):
                if len(rows) >= MAX_XLSX_ROWS:
                    raise FunnelInputError(
                        f"the workbook has more than {fmt_int(MAX_XLSX_ROWS)} rows; at most {fmt_int(MAX_XLSX_ROWS)} "
                        "are read from an XLSX file (save a large event log as CSV or Parquet)",
                        source=name,
                        code="too_many_rows_read",
                        params={"limit": MAX_XLSX_ROWS},
                    )
                row = [_xlsx_cell(v) for v in values]
                rows.append(row)
                blank_run = 0 if any(row) else blank_run + 1
        except FunnelInputError:
            raise
        except Exception as exc:  # a broken sheet part
            raise FunnelInputError(
                f"the workbook cannot be read ({type(exc).__name__}: {exc})",
                source=name,
                code="bad_workbook",
                params={"kind": type(exc).__name__, "detail": str(exc)},
            ) from exc
    finally:
        wb.close()
    if blank_run:
        del rows[-blank_run:]  # trailing blank rows (Excel's formatting leftovers)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def detect(source: bytes | str | Path, *, name: str | None = None) -> Detection:
    """Look at a funnel file and say what it is (see :class:`Detection`).

    ``source`` is the bytes of an upload or a local path (for files too big to upload). CSV in
    UTF-8, UTF-8 with BOM or cp1251, delimited by ``,`` ``;`` tab or ``|``; XLSX; Parquet.
    """
    path = Path(source) if isinstance(source, (str, Path)) else None
    if path is not None:
        refuse_store(path)  # before anything opens it: closing a descriptor drops SQLite's locks
    if path is not None and not path.is_file():
        raise FunnelInputError(f"no such file: {path}", code="no_file", params={"path": str(path)})
    name = name or (path.name if path else "upload")
    data = source if isinstance(source, bytes) else None
    if path is not None and path.stat().st_size == 0:
        raise FunnelEmptyFileError("the file is empty", source=name, code="empty")
    head = data[:16] if data is not None else _read_head(path, 16)
    if head.startswith(_SQLITE_HEADER):
        raise FunnelInputError(
            "the file is an SQLite database, not a funnel table or event log", source=name, code="sqlite_file"
        )
    container = _container(data, path, name)
    if container == "parquet":
        return _detect_parquet(data, path, name)
    comments: list[str] = []
    skipped = 0
    encoding, delimiter, bom = "utf-8", ",", False
    if container == "xlsx":
        raw_rows = _xlsx_rows(data if data is not None else path.read_bytes(), name)
        while raw_rows and not any(c.strip() for c in raw_rows[0]):
            raw_rows.pop(0)
            skipped += 1
        while raw_rows and raw_rows[0] and raw_rows[0][0].lstrip().startswith("#"):
            comments.append(raw_rows.pop(0)[0].lstrip()[1:].strip())
            skipped += 1
        encoding = "xlsx"
        rows = raw_rows
        _check_cells(rows, name, skipped)
    else:
        blob = data if data is not None else _head_bytes(path)
        bom = blob.startswith(b"\xef\xbb\xbf")
        text, encoding = _decode(blob, name)
        if data is None:  # a big local file: only its head was read; drop a possibly cut last line
            text = text.rsplit("\n", 1)[0] if len(blob) < path.stat().st_size else text
        comments, lines, skipped = _split_comments(text)
        if not lines:
            raise FunnelEmptyFileError("the file has no header row", source=name, code="no_header")
        delimiter = _sniff_delimiter(lines)
        rows = _csv_rows(lines, delimiter, name, skipped)
    _check_cells(rows, name, skipped)
    if not rows or not any(c.strip() for c in rows[0]):
        raise FunnelEmptyFileError("the file has no header row", source=name, code="no_header")
    header = [c.strip().lstrip("\ufeff") for c in rows[0]]
    while header and not header[-1]:
        header.pop()
    columns = tuple(header)
    dupes = sorted({c for c in columns if columns.count(c) > 1})
    if dupes or any(not c for c in columns):
        what = f"column {dupes[0]!r} appears twice" if dupes else "a column has no name"
        raise FunnelColumnError(
            what,
            line=skipped + 1,
            source=name,
            code="column_twice" if dupes else "column_no_name",
            params={"column": dupes[0]} if dupes else None,
        )
    data_rows = [tuple(r) for r in rows[1:]]
    decimal = _decimal_mark([list(r) for r in data_rows], delimiter) if container == "csv" else "."
    layout = _metrica_layout(columns)
    if layout:
        return _detect_metrica_logs(layout, name, encoding, delimiter, columns, data_rows, skipped, path, data)
    kind = _kind_of(columns, data_rows, comments, bom)
    mapping, ambiguous, candidates = _guess_roles(kind, columns, data_rows)
    notes = tuple(_ga4_notes(comments)) if kind == "ga4" else ()
    if kind == "events" and mapping.get("user") and _norm(mapping["user"]) == "user_pseudo_id":
        notes += (
            FunnelWarning(
                "user_id is empty on most rows: people are counted by user_pseudo_id",
                code="pseudo_id",
                params={"column": mapping["user"]},
            ),
        )
    return Detection(
        kind,
        name,
        encoding,
        delimiter,
        decimal,
        columns,
        mapping,
        ambiguous,
        candidates,
        notes,
        header_line=skipped + 1,
        container=container,
        _rows=tuple(data_rows),
        _path=path,
    )


#: a file up to this size is looked at whole (an aggregated table); a bigger one (an event log)
#: by its first :data:`_HEAD` bytes, some thousands of rows: enough to tell the columns' roles
_WHOLE = 5 << 20
_HEAD = 1 << 18

# --------------------------------------------------------------------------------------------
# Yandex Metrica Logs API (hits "ym:pv:*", visits "ym:s:*"; tab-separated)
# --------------------------------------------------------------------------------------------

#: the event column made for a Metrica log: page views (URL path) or visits, and goals
METRICA_EVENT = {"metrica_hits": "(page or goal)", "metrica_visits": "(visit or goal)"}
_METRICA_PREFIX = {"metrica_hits": "ym:pv:", "metrica_visits": "ym:s:"}
#: columns of a Metrica log that are ids or goal arrays, not properties to break down by
_METRICA_NOT_PROPS = re.compile(r"goals|watchid|counterid|visitid|clientid|counteruseridhash", re.I)
_NUMERIC_SEGMENT = re.compile(r"(?<=/)(\d+|[0-9a-f]{16,})(?=/|$)", re.I)


def _metrica_layout(columns: tuple[str, ...]) -> str:
    """ "metrica_hits" or "metrica_visits" when most columns are Logs API fields, else ""."""
    for layout, prefix in _METRICA_PREFIX.items():
        if sum(c.lower().startswith(prefix.lower()) for c in columns) * 2 > len(columns):
            return layout
    return ""


def _metrica_column(columns: tuple[str, ...], prefix: str, field: str) -> str | None:
    return next((c for c in columns if c.lower() == (prefix + field).lower()), None)


def _detect_metrica_logs(layout, name, encoding, delimiter, columns, rows, skipped, path, data) -> Detection:
    prefix = _METRICA_PREFIX[layout]
    event = METRICA_EVENT[layout]
    mapping = {
        "user": _metrica_column(columns, prefix, "clientID"),
        "event": event,
        "time": _metrica_column(columns, prefix, "dateTime"),
    }
    all_columns = (*columns, event)
    ambiguous = tuple(r for r, c in mapping.items() if c is None)
    candidates = {r: all_columns for r in ROLES["events"]}
    if data is not None and path is None:
        path = _spill(data, ".tsv")
    return Detection(
        "events",
        name,
        encoding,
        delimiter,
        ".",
        all_columns,
        mapping,
        ambiguous,
        candidates,
        header_line=skipped + 1,
        container="csv",
        layout=layout,
        _rows=tuple(rows),
        _path=path,
    )


def _goal_list(cell: pd.Series) -> pd.Series:
    """``[123,456]`` / ``['2024-03-04 10:00:01','…']`` cells as lists of strings."""
    inner = cell.fillna("").astype(str).str.strip().str.strip("[]")
    return inner.map(lambda s: [x.strip().strip("'\"") for x in s.split(",") if x.strip()] if s else [])


def _metrica_frame(det: Detection, roles: dict[str, str | None]) -> tuple[pd.DataFrame, tuple[str, ...]]:
    """Each row is an event of a Metrica log: the person, the event, the time, the properties. The
    made-up event column holds page views (the URL's path, with numeric ids as ``*``: every product
    page is one step) or visits, and one row per goal reached (``goal <id>`` at the goal's time)."""
    import csv as _csv

    prefix = _METRICA_PREFIX[det.layout]
    event_col = METRICA_EVENT[det.layout]
    user, event, time = roles["user"], roles["event"], roles["time"]
    try:
        raw = pd.read_csv(
            det._path,
            sep=det.delimiter,
            dtype=str,
            keep_default_na=False,
            quoting=_csv.QUOTE_NONE,
            skiprows=det.header_line - 1,
            encoding="utf-8-sig" if det.encoding in ("utf-8", "utf-8-sig") else det.encoding,
        )
    except (ValueError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise FunnelInputError(
            f"the Metrica log cannot be read ({exc})",
            source=det.name,
            code="bad_metrica_log",
            params={"detail": str(exc)},
        ) from exc
    raw.columns = [str(c).strip().lstrip("\ufeff") for c in raw.columns]
    raw["__line"] = range(det.header_line + 1, det.header_line + 1 + len(raw))
    props = tuple(
        c for c in det.columns if c not in (user, event, time, event_col) and not _METRICA_NOT_PROPS.search(c)
    )
    if event != event_col:  # the user chose a real column for the events: read it as it is
        return raw[[user, event, time, *props]].copy(), props
    if det.layout == "metrica_hits":
        url = _metrica_column(det.columns, prefix, "URL")
        if url is not None:
            path = raw[url].str.replace(r"^[a-z]+://[^/]+", "", regex=True).str.replace(r"[?#].*$", "", regex=True)
            base_event = path.str.replace(_NUMERIC_SEGMENT, "*", regex=True).replace("", "/")
        else:
            base_event = pd.Series("page", index=raw.index)
    else:
        base_event = pd.Series("visit", index=raw.index)
    frames = [pd.DataFrame({user: raw[user], event_col: base_event, time: raw[time], **{p: raw[p] for p in props}})]
    goals = _metrica_column(det.columns, prefix, "goalsID")
    if goals is not None:
        ids = _goal_list(raw[goals])
        when_col = _metrica_column(det.columns, prefix, "goalsDateTime")
        whens = _goal_list(raw[when_col]) if when_col is not None else None
        rows = []
        for i, gl in ids.items():
            if not gl:
                continue
            times = whens[i] if whens is not None and len(whens[i]) == len(gl) else [raw.at[i, time]] * len(gl)
            for g, at in zip(gl, times, strict=True):
                rows.append((i, f"goal {g}", at))
        if rows:
            idx = [r[0] for r in rows]
            frames.append(
                pd.DataFrame(
                    {
                        user: raw[user].to_numpy()[idx],
                        event_col: [r[1] for r in rows],
                        time: [r[2] for r in rows],
                        **{p: raw[p].to_numpy()[idx] for p in props},
                    }
                )
            )
    return pd.concat(frames, ignore_index=True), props


def _head_bytes(path: Path) -> bytes:
    """The whole file when it is small (aggregated tables), else its first 256 KB (event logs)."""
    with path.open("rb") as f:
        return f.read() if path.stat().st_size <= _WHOLE else f.read(_HEAD)


def _detect_parquet(data: bytes | None, path: Path | None, name: str) -> Detection:
    import pyarrow.parquet as pq

    if path is None:
        path = _spill(data, ".parquet")
    try:
        pf = pq.ParquetFile(path)
        columns = tuple(pf.schema_arrow.names)
        head = pf.read_row_group(0).slice(0, 200) if pf.num_row_groups else None
    except Exception as exc:
        raise FunnelInputError(
            f"the Parquet file cannot be read ({exc})", source=name, code="bad_parquet", params={"detail": str(exc)}
        ) from exc
    rows: list[tuple[str, ...]] = []
    if head is not None:
        cols = [head.column(c).to_pylist() for c in columns]
        rows = [
            tuple(
                "" if v is None else (pd.Timestamp(v).isoformat(sep=" ") if hasattr(v, "isoformat") else str(v))
                for v in vals
            )
            for vals in zip(*cols, strict=False)
        ]
    kind = _kind_of(columns, rows, [], False)
    mapping, ambiguous, candidates = _guess_roles(kind, columns, rows)
    return Detection(
        kind,
        name,
        "parquet",
        "",
        ".",
        columns,
        mapping,
        ambiguous,
        candidates,
        container="parquet",
        _rows=tuple(rows),
        _path=path,
    )


def check_event_names(names, log: EventLog) -> None:
    """Refuse an event log with an event name over :data:`MAX_CELL_CHARS` characters (the reader
    only looked at the head of a big file; shown in a picker, such a name freezes the browser)."""
    for name in names:
        if name is not None and len(str(name)) > MAX_CELL_CHARS:
            raise FunnelValueError(
                f"an event name holds {len(str(name))} characters; at most {MAX_CELL_CHARS} are read in one cell",
                column=log.event,
                source=log.name,
                code="cell_too_long",
                params={"length": len(str(name)), "limit": MAX_CELL_CHARS},
            )


def as_event_log(detection: Detection) -> Detection:
    """``detection`` read as an event log whatever it looked like (the CLI's ``--user-col``,
    ``--event-col`` and ``--time-col`` say so): the roles are guessed again for an event log."""
    if detection.kind == "events":
        return detection
    mapping, ambiguous, candidates = _guess_roles("events", detection.columns, list(detection._rows))
    return replace(detection, kind="events", mapping=mapping, ambiguous=ambiguous, candidates=candidates, notes=())


def check_local_path(path: str | Path, roots: str | None) -> Path:
    """The local file a user typed, refused unless it lies under one of ``roots`` (directories
    separated by ``os.pathsep``, from ``CJM_FUNNEL_PATHS``). With ``roots`` empty or ``None``
    reading local files is off: the page shows cells of the file it reads, so an open path would
    show any file the server can read (the first line of /etc/passwd as a column name).

    >>> check_local_path("/etc/passwd", "/srv/data")
    Traceback (most recent call last):
    ...
    cjm.funnel.errors.FunnelInputError: /etc/passwd is outside the folders this server reads from (CJM_FUNNEL_PATHS)
    """
    import os

    allowed = [Path(r).expanduser().resolve() for r in (roots or "").split(os.pathsep) if r.strip()]
    if not allowed:
        raise FunnelInputError(
            "reading files on the server is off: set CJM_FUNNEL_PATHS to the folders it may read from",
            code="paths_off",
        )
    refuse_store(path)
    p = Path(path).expanduser().resolve()
    if not any(p == r or r in p.parents for r in allowed):
        raise FunnelInputError(
            f"{path} is outside the folders this server reads from (CJM_FUNNEL_PATHS)",
            code="path_not_allowed",
            params={"path": str(path)},
        )
    if not p.is_file():
        raise FunnelInputError(f"no such file: {path}", code="no_file", params={"path": str(path)})
    return p


def save_upload(data: bytes, name: str) -> Path:
    """Keep an upload as a temp file named by its content (so a big event log is read by DuckDB from
    disk, never held in memory twice); pass the path to :func:`detect` with ``name=``."""
    return _spill(data, Path(name).suffix.lower() or ".csv")


def upload_folder() -> Path:
    """Where uploads are kept as files named by their content (never rewritten in place: a file
    there is written under another name and renamed)."""
    return Path(tempfile.gettempdir()) / "cjm-funnel"


def _spill(data: bytes, suffix: str) -> Path:
    """Write upload bytes to a content-addressed temp file (DuckDB reads files, not bytes)."""
    folder = upload_folder()
    folder.mkdir(exist_ok=True)
    path = folder / (hashlib.sha1(data).hexdigest() + suffix)
    if not path.exists():
        # a name of its own: two sessions (or processes) spilling the same upload at once must not
        # write into one temporary file
        tmp = path.with_name(f"{path.stem}.{uuid.uuid4().hex[:8]}.part")
        try:
            tmp.write_bytes(data)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    return path


def _ga4_notes(comments: list[str]) -> list[str]:
    found = {}
    for c in comments:
        m = re.match(r"(start date|end date)\s*:\s*(\d{4})-?(\d{2})-?(\d{2})", c, re.I)
        if m:
            found[m.group(1).lower()] = f"{m.group(2)}-{m.group(3)}-{m.group(4)}"
    if "start date" in found and "end date" in found:
        start, end = found["start date"], found["end date"]
        return [FunnelWarning(f"date range {start} – {end}", code="date_range", params={"start": start, "end": end})]
    return []


def load(
    detection: Detection, mapping: Mapping[str, str | None] | None = None, *, data: bytes | None = None
) -> AggregatedFunnel | EventLog:
    """Read the file :func:`detect` looked at, with ``mapping`` (role → column) overriding the guess.

    Returns an :class:`AggregatedFunnel` or, for an event log, an :class:`~cjm.funnel.engine.EventLog`
    ready for :func:`~cjm.funnel.engine.compute_funnel`. ``data`` is the upload's bytes (needed for
    an uploaded event log, which is handed to DuckDB as a file).
    """
    det = detection
    roles = dict(det.mapping)
    if mapping:
        for role, col in mapping.items():
            if role not in ROLES[det.kind]:
                raise FunnelColumnError(
                    f"unknown role {role!r} for a {det.kind} file",
                    source=det.name,
                    code="unknown_role",
                    params={"role": role, "kind": det.kind},
                )
            if col is not None and col not in det.columns:
                raise FunnelColumnError(
                    f"the file has no column {col!r} (it has: {', '.join(det.columns)})",
                    line=det.header_line,
                    source=det.name,
                    code="no_column",
                    params={"column": col, "columns": ", ".join(det.columns)},
                )
            roles[role] = col
        chosen_by_user = {c for c in mapping.values() if c}
        for role in roles:
            if role not in mapping and roles[role] in chosen_by_user:
                roles[role] = None  # the user gave this column another role
        det = replace(det, mapping=roles, ambiguous=tuple(r for r in det.ambiguous if not roles.get(r)))
    missing = [r for r in ROLES[det.kind] if r not in OPTIONAL_ROLES and not roles.get(r)]
    if missing and not mapping:
        raise MappingNeeded(replace(det, ambiguous=tuple(dict.fromkeys((*det.ambiguous, *missing)))))
    if missing:
        raise FunnelColumnError(
            f"no column chosen for: {', '.join(missing)} (the file has: {', '.join(det.columns)})",
            line=det.header_line,
            source=det.name,
            code="no_column_chosen",
            params={"roles": ", ".join(missing), "columns": ", ".join(det.columns)},
        )
    if det.ambiguous and not mapping:
        raise MappingNeeded(det)
    chosen = [roles[r] for r in ROLES[det.kind] if roles.get(r)]
    if len(set(chosen)) != len(chosen):
        raise FunnelColumnError(
            "one column is chosen for two roles", line=det.header_line, source=det.name, code="column_two_roles"
        )
    if det.kind == "events":
        return _load_events(det, roles, data)
    return _load_aggregated(det, roles)


def read_funnel_file(
    source: bytes | str | Path, *, name: str | None = None, mapping: Mapping[str, str | None] | None = None
) -> AggregatedFunnel | EventLog:
    """:func:`detect` then :func:`load`; raises :class:`MappingNeeded` when the columns are unclear."""
    det = detect(source, name=name)
    return load(det, mapping, data=source if isinstance(source, bytes) else None)


def _load_aggregated(det: Detection, roles: dict[str, str | None]) -> AggregatedFunnel:
    idx = {c: i for i, c in enumerate(det.columns)}
    step_i, users_i = idx[roles["step"]], idx[roles["users"]]
    seg_col = roles.get("segment")
    seg_i = idx[seg_col] if seg_col else None
    steps: list[str] = []
    per_segment: dict[str | None, dict[str, int]] = {}
    totals_given: dict[str, int] = {}
    first_line = det.header_line + 1
    lines_of: dict[tuple, int] = {}
    skipped: list[FunnelWarning] = []
    step_cells = [
        (row[step_i] if step_i < len(row) else "").strip() for row in det._rows if any(c.strip() for c in row)
    ]
    named = [c for c in step_cells if c and not _is_total_step(c)]
    numbered = bool(named) and all(_NUMBERED.match(c) for c in named)  # "1. view_item", "2. add_to_cart"
    for offset, row in enumerate(det._rows):
        line = first_line + offset
        if not any(c.strip() for c in row):
            continue
        cells = list(row) + [""] * (len(det.columns) - len(row))
        if len(row) > len(det.columns) and any(c.strip() for c in row[len(det.columns) :]):
            raise FunnelInputError(
                f"the row has {len(row)} cells but the header has {len(det.columns)}",
                line=line,
                source=det.name,
                code="too_many_cells",
                params={"cells": len(row), "header": len(det.columns)},
            )
        step = cells[step_i].strip()
        if _is_total_step(step):
            skipped.append(
                FunnelWarning(
                    f"line {line}: the total row {step!r} is not a step and was skipped",
                    code="total_row_skipped",
                    params={"line": line, "step": step},
                )
            )
            continue
        if not step:
            raise FunnelValueError(
                "the step name is empty", line=line, column=roles["step"], source=det.name, code="step_empty"
            )
        if numbered:
            step = _NUMBERED.sub("", step)
        users = parse_count(cells[users_i], decimal=det.decimal, line=line, column=roles["users"], source=det.name)
        segment = cells[seg_i].strip() if seg_i is not None else None
        if seg_i is not None and _norm(segment or "") in _TOTAL_SEGMENTS:
            if step in totals_given:
                raise FunnelValueError(
                    f"step {step!r} has two total rows",
                    line=line,
                    column=seg_col,
                    source=det.name,
                    code="two_total_rows",
                    params={"step": step},
                )
            totals_given[step] = users
            if step not in steps:
                steps.append(step)
            continue
        if seg_i is not None and not segment:
            segment = "(empty)"
        key = (segment, step)
        if key in lines_of:
            what = f"step {step!r}" + (f" of segment {segment!r}" if segment is not None else "")
            raise FunnelValueError(
                f"{what} appears twice (first on line {lines_of[key]})",
                line=line,
                column=roles["step"],
                source=det.name,
                code="step_twice" if segment is None else "step_twice_in_segment",
                params={"step": step, "segment": segment, "first": lines_of[key]},
            )
        lines_of[key] = line
        if step not in steps:
            steps.append(step)
            if len(steps) > MAX_FILE_STEPS:
                raise FunnelValueError(
                    f"the funnel has more than {MAX_FILE_STEPS} steps; an aggregated funnel is a short list of steps",
                    line=line,
                    column=roles["step"],
                    source=det.name,
                    code="too_many_file_steps",
                    params={"limit": MAX_FILE_STEPS},
                )
        per_segment.setdefault(segment, {})[step] = users
    if not steps:
        raise FunnelEmptyFileError(
            "the file has a header but no data rows", line=det.header_line + 1, source=det.name, code="no_rows"
        )
    if seg_i is None:
        counts = tuple(per_segment[None][s] for s in steps)
        segments: dict[str, tuple[int, ...]] = {}
    else:
        segments = {seg: tuple(vals.get(s, 0) for s in steps) for seg, vals in per_segment.items()}
        if totals_given:
            missing = [s for s in steps if s not in totals_given]
            if missing:
                raise FunnelValueError(
                    f"step {missing[0]!r} has no total row",
                    column=seg_col,
                    source=det.name,
                    code="no_total_row",
                    params={"step": missing[0]},
                )
            counts = tuple(totals_given[s] for s in steps)
        else:
            counts = tuple(sum(v[i] for v in segments.values()) for i in range(len(steps)))
    warnings = _rising(steps, counts, None, lines_of)
    for seg, vals in segments.items():
        warnings += _rising(steps, vals, seg, lines_of)
    return AggregatedFunnel(
        tuple(steps), counts, segments, det.kind, det.name, seg_col, tuple(warnings), (*det.notes, *skipped)
    )


_NUMBERED = re.compile(r"^\d+\.\s*(?=\S)")


def _is_total_step(step: str) -> bool:
    return _norm(step).rstrip(":").strip() in _TOTAL_STEPS


def _rising(steps, counts, segment, lines_of) -> list[str]:
    out = []
    for k in range(1, len(steps)):
        if counts[k] > counts[k - 1]:
            where = f" in segment {segment!r}" if segment is not None else ""
            line = lines_of.get((segment, steps[k]))
            at = f" (line {line})" if line else ""
            out.append(
                FunnelWarning(
                    f"the count rises from step {steps[k - 1]!r} ({counts[k - 1]}) to step {steps[k]!r} "
                    f"({counts[k]}){where}{at}: a funnel's counts should only fall",
                    code="count_rises_in_segment" if segment is not None else "count_rises",
                    params={
                        "before": steps[k - 1],
                        "n_before": counts[k - 1],
                        "step": steps[k],
                        "n": counts[k],
                        "segment": segment,
                        "line": line if line else "?",
                    },
                )
            )
    return out


def _load_events(det: Detection, roles: dict[str, str | None], data: bytes | None) -> EventLog:
    user, event, time = roles["user"], roles["event"], roles["time"]
    if det.layout in METRICA_EVENT:
        frame, props = _metrica_frame(det, roles)
        sample = frame[time].head(500).tolist()
        kind = _time_kind_or_error(det, sample, time)
        return EventLog(user, event, time, props, frame=frame, time_kind=kind, name=det.name)
    props = tuple(c for c in det.columns if c not in (user, event, time))
    idx = det.columns.index(time)
    sample = [r[idx] for r in det._rows[:500] if idx < len(r)]
    if det.container == "parquet":
        path = det._path
        source_sql = f"read_parquet({_lit(str(path))})"
        import pyarrow.parquet as pq
        import pyarrow.types as pt

        typ = pq.ParquetFile(path).schema_arrow.field(time).type
        kind = "timestamp" if (pt.is_timestamp(typ) or pt.is_date(typ)) else _time_kind(sample)[0]
        if kind is None:
            kind = _time_kind_or_error(det, sample, time)
        return EventLog(user, event, time, props, source_sql=source_sql, time_kind=kind, name=det.name)
    kind = _time_kind_or_error(det, sample, time)
    if det.container == "xlsx":
        width = len(det.columns)
        cells = [tuple(r[:width]) + ("",) * (width - len(r)) for r in det._rows if any(str(c).strip() for c in r)]
        frame = pd.DataFrame(cells, columns=list(det.columns), dtype=str)
        return EventLog(
            user, event, time, props, frame=frame, time_kind=kind, name=det.name, first_data_line=det.header_line + 1
        )
    path = _csv_for_duckdb(det, data)
    types = {user: "VARCHAR", event: "VARCHAR"}
    types[time] = "VARCHAR"  # cast after the event filter: only funnel rows pay for parsing the time
    for p in props:
        types[p] = "VARCHAR"
    # the dialect and the columns are known: DuckDB's own sniffing is skipped (on 10M events that
    # made the scan 20% slower)
    columns = ", ".join(f"{_lit(c)}: {_lit(types.get(c, 'VARCHAR'))}" for c in det.columns)
    opts = (
        f"delim={_lit(det.delimiter)}, header=true, quote='\"', escape='\"', "
        f"skip={det.header_line - 1}, columns={{{columns}}}, auto_detect=false"
    )
    return EventLog(
        user,
        event,
        time,
        props,
        source_sql=f"read_csv({_lit(str(path))}, {opts})",
        time_kind=kind,
        name=det.name,
        first_data_line=det.header_line + 1,
        diagnose_sql=f"read_csv({_lit(str(path))}, delim={_lit(det.delimiter)}, header=true, "
        f"skip={det.header_line - 1}, all_varchar=true)",
        csv_dialect=(det.delimiter, det.header_line, tuple(det.columns)),
    )


def _time_kind_or_error(det: Detection, sample: list[str], column: str) -> str:
    kind, bad = _time_kind(sample)
    if kind:
        return kind
    if bad is None:
        raise FunnelValueError("the time column is empty", column=column, source=det.name, code="time_empty")
    values = [v for v in sample if v is not None and str(v).strip()]
    at = det.columns.index(column)
    row = next(
        (i for i, r in enumerate(det._rows) if at < len(r) and r[at].strip() == values[bad].strip()),
        None,
    )
    line = None if row is None else det.header_line + 1 + row
    if any(p.fullmatch(values[bad].strip()) for p, _ in _TIME_PATTERNS):
        usual = next(v for v in values if v != values[bad])
        raise FunnelValueError(
            f"{values[bad]!r} is written differently from the other times of the column (such as {usual!r})",
            line=line,
            column=column,
            source=det.name,
            code="time_mixed",
            params={"value": values[bad], "usual": usual},
        )
    raise FunnelValueError(
        f"{values[bad]!r} is not a date and time this reader knows (use e.g. "
        "2024-03-01 12:30:00, 01.03.2024 12:30:00 or Unix seconds)",
        line=line,
        column=column,
        source=det.name,
        code="not_a_time",
        params={"value": values[bad]},
    )


def _csv_for_duckdb(det: Detection, data: bytes | None) -> Path:
    """A UTF-8 file DuckDB can read: the local file itself, or the upload (transcoded if needed)."""
    if data is None and det._path is not None and det.encoding in ("utf-8", "utf-8-sig"):
        return det._path
    if data is None:
        raw = det._path.read_bytes()
    else:
        raw = data
    if det.encoding == "cp1251":
        raw = raw.decode("cp1251").encode("utf-8")
    elif raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    return _spill(raw, ".csv")


def _quote(name: str) -> str:
    return _ident(name)
