"""Touchpoint tables: a map as CSV or XLSX (one row per touchpoint), read and written, and any map
file (JSON, CSV, XLSX) read or exported by format. The file format is described in
``docs/file-formats.md``.

Reading validates everything and reports *every* problem with its place ("line 4", field
"emotion"); a file with any problem gives no map at all (nothing is half-imported).

>>> from cjm import model
>>> G = model.new_map("Demo", map_id="demo")
>>> a = model.add_touchpoint(G, "See an ad", "awareness", emotion=1.0)
>>> b = model.add_touchpoint(G, "Pay, then wait", "purchase", emotion=-1.5)
>>> model.add_transition(G, a, b, users=120)
>>> text = write_map_csv(G).decode()
>>> text.splitlines()[0][:40]
'id,name,stage,stage_name,phase,order,cha'
>>> H = read_map_table(text, filename="demo.csv")
>>> sorted(H.nodes), H.edges[a, b]["users"], H.nodes[b]["emotion"]
(['tp-1', 'tp-2'], 120, -1.5)
"""

from __future__ import annotations

import codecs
import csv
import functools
import io
import json
import re
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import networkx as nx

from cjm import model, schema
from cjm.errors import FileFormatError, Place, Problem, ValidationError, ValueProblem
from cjm.i18n import LANGUAGES, catalogues, choice_aliases, label, t
from cjm.io import jsonio
from cjm.io.cells import xlsx_text
from cjm.limits import limits
from cjm.text import fmt_int, formula_safe, is_blank, number_text
from cjm.validation import coerce_touchpoint, coerce_value, listing, shown, validate_map

__all__ = [
    "TABLE_EXTENSIONS",
    "MAP_FILE_EXTENSIONS",
    "XLSX_MIME",
    "table_columns",
    "read_map_table",
    "read_map_file",
    "write_map_csv",
    "write_map_xlsx",
    "export_map",
]

# Size limits (file, rows, columns, cells …) are cjm.limits.limits(), the same for every format.

TABLE_EXTENSIONS = (".csv", ".tsv", ".txt", ".xlsx")
MAP_FILE_EXTENSIONS = (".json", *TABLE_EXTENSIONS)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

SHEET_TOUCHPOINTS = "touchpoints"
SHEET_TRANSITIONS = "transitions"
SHEET_MAP = "map"
SHEET_STAGES = "stages"
SHEET_COMMENTS = "comments"
SHEET_VOTES = "votes"

#: Table columns that are not touchpoint fields: the stage's display name and phase (to define
#: custom stages) and the transitions leaving the touchpoint.
EXTRA_COLUMNS = ("stage_name", "phase", "next")
_REQUIRED = ("name", "stage")
_FIELDS = {f.name: f for f in schema.TOUCHPOINT_FIELDS}
_USERS = next(f for f in schema.TRANSITION_FIELDS if f.name == "users")
_LABEL = next(f for f in schema.TRANSITION_FIELDS if f.name == "label")
_NEXT_SEPARATORS = ";,|"
_NEEDS_QUOTES = re.compile(r"[;,|()\"]")
_ID_LIKE = re.compile(r"^[A-Za-z0-9_.\-]+$")
_MAP_KEYS = ("id", "title", "map_type", "segment", "baseline_id", "language", "created_at", "updated_at")
#: Map keys written only when set (``competitor``: the map is a competitor's journey).
_MAP_OPTIONAL_KEYS = ("competitor",)
_COMMENT_KEYS = ("author", "text", "time")
_VOTE_KEYS = ("participant", "score", "time")
#: Problems are sorted by rank: the header (-1), touchpoint rows (0 …), then each extra sheet in its block.
_BLOCK = 1_000_000
#: Keys of comments and votes that are text: an empty spreadsheet cell reads back as "" there.
_TEXT_RECORD_KEYS = {"author", "text", "participant"}
_YES_NO = {"en": ("yes", "no"), "ru": ("да", "нет")}

_TRANSLIT = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        ("a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p")
        + ("r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya"),
        strict=True,
    )
)


# --- columns ---------------------------------------------------------------------------------------


def table_columns(*, xlsx: bool = False) -> list[str]:
    """The columns a written table has, in order (field ids; headers are these or their labels).

    >>> table_columns()[:6]
    ['id', 'name', 'stage', 'stage_name', 'phase', 'order']
    >>> table_columns()[-3:], table_columns(xlsx=True)[-1]
    (['next', 'comments', 'votes'], 'catalogue_rejected')
    """
    head = ["id", "name", "stage", "stage_name", "phase", "order"]
    cols = head + [f.name for f in schema.TOUCHPOINT_FIELDS if f.tabular and f.name not in head]
    return cols if xlsx else cols + ["next", "comments", "votes"]


def _norm(text: Any) -> str:
    """Header and stage text compared loosely: case, ё/е, ``-``/``_``/spaces and a BOM do not matter.

    >>> _norm(" Pain-point ") == _norm("pain_point"), _norm("Осведомлённость") == _norm("осведомленность")
    (True, True)
    """
    text = str(text).replace("\ufeff", "").lower().replace("ё", "е")
    return re.sub(r"[\s_\-]+", " ", text).strip()


def _header_text(col: str, lang: str) -> str:
    """Headers are field ids in English files (machine-readable) and labels in other languages."""
    return col if lang == "en" else t(f"field.{col}", lang)


@functools.cache
def _aliases(columns: tuple[str, ...]) -> dict[str, str]:
    """Normalised header text → column id: the id, the id with spaces, its label in every language."""
    cats = catalogues()
    out: dict[str, str] = {}
    for col in columns:
        names = [col, col.replace("_", " ")] + [
            cats[lang][f"field.{col}"] for lang in LANGUAGES if f"field.{col}" in cats[lang]
        ]
        for name in names:
            out.setdefault(_norm(name), col)
    return out


def _column_aliases() -> dict[str, str]:
    return _aliases((*schema.TOUCHPOINT_FIELD_NAMES, *EXTRA_COLUMNS))


# --- cells -----------------------------------------------------------------------------------------


def _escape(text: str) -> str:
    """Keep a spreadsheet from running user text as a formula (CSV/formula injection): text that
    starts with ``= + - @``, a tab or a carriage return gets a leading ``'``. Text that already
    starts with ``'`` gets one more, so that reading strips exactly what writing added.

    >>> _escape("=SUM(A1)"), _escape("-5% off"), _escape("'quoted"), _escape("fine")
    ("'=SUM(A1)", "'-5% off", "''quoted", 'fine')
    """
    return formula_safe(text)


def _unescape(value: Any) -> Any:
    """Undo :func:`_escape` (a hand-typed ``'text`` stays as it is).

    >>> _unescape("'=SUM(A1)"), _unescape("''quoted"), _unescape("'quoted"), _unescape(-1.5)
    ('=SUM(A1)', "'quoted", "'quoted", -1.5)
    """
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in "=+-@\t\r'":
        return value[1:]
    return value


def _cell_text(value: Any) -> str:
    """A cell as trimmed text; a whole number a spreadsheet stored as 2.0 reads as "2"."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _number_text(x: int | float, decimal_comma: bool) -> str:
    text = str(int(x)) if isinstance(x, float) and x.is_integer() else repr(x)
    return text.replace(".", ",") if decimal_comma else text


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _format_next(G: nx.DiGraph, node: str) -> str:
    """The ``next`` cell: ``tp-2 (120) "label"; tp-5`` (users and label optional)."""
    parts = []
    for target in G.successors(node):
        d = G.edges[node, target]
        text = _quote(target) if _NEEDS_QUOTES.search(target) or target != target.strip() else target
        if d.get("users") is not None:
            text += f" ({int(d['users'])})"
        if d.get("label"):
            text += " " + _quote(str(d["label"]))
        parts.append(text)
    return "; ".join(parts)


def _read_quoted(s: str, i: int) -> tuple[str, int]:
    buf, j = [], i + 1
    while j < len(s):
        if s[j] == '"':
            if j + 1 < len(s) and s[j + 1] == '"':
                buf.append('"')
                j += 2
                continue
            return "".join(buf), j + 1
        buf.append(s[j])
        j += 1
    raise ValueProblem("a quote is not closed", "quote_not_closed")


def _parse_next(cell: str) -> list[tuple[str, str | None, str]]:
    """Entries of a ``next`` cell as ``(target, users text or None, label)``; ``ValueError`` if malformed.

    >>> _parse_next('tp-2 (120); "Pay; wait" "by card", tp-5')
    [('tp-2', '120', ''), ('Pay; wait', None, 'by card'), ('tp-5', None, '')]
    """
    out: list[tuple[str, str | None, str]] = []
    s, i, n = cell, 0, len(cell)

    def skip(i: int) -> int:
        while i < n and s[i].isspace():
            i += 1
        return i

    while True:
        i = skip(i)
        if i >= n:
            return out
        if s[i] == '"':
            target, i = _read_quoted(s, i)
        else:
            j = i
            while j < n and s[j] not in _NEXT_SEPARATORS + '("':
                j += 1
            target, i = s[i:j].strip(), j
        i = skip(i)
        users = None
        if i < n and s[i] == "(":
            j = s.find(")", i)
            if j < 0:
                raise ValueProblem(f"'(' after {target!r} is not closed", "paren_not_closed", value=repr(target))
            users, i = s[i + 1 : j].strip(), skip(j + 1)
        text = ""
        if i < n and s[i] == '"':
            text, i = _read_quoted(s, i)
            i = skip(i)
        if i < n and s[i] not in _NEXT_SEPARATORS:
            raise ValueProblem(
                f"unexpected {s[i]!r} after {target!r}; separate touchpoints with ';'",
                "unexpected_after",
                char=repr(s[i]),
                value=repr(target),
            )
        if target:
            out.append((target, users, text))
        elif users is not None or text:
            raise ValueProblem("an entry has users or a label but no touchpoint", "entry_no_touchpoint")
        i += 1


# --- reading: the grid of cells --------------------------------------------------------------------


@dataclass
class _Grid:
    """One table read from a file: its header row and data rows, each with its place in the file."""

    header: list[Any]
    header_loc: Place
    rows: list[tuple[Place, list[Any]]]
    sheet: str | None = None


class _Problems:
    """Problems collected while reading, kept in file order (rank = position of the row)."""

    def __init__(self) -> None:
        self._items: list[tuple[float, int, Problem]] = []

    def add(
        self,
        rank: float,
        place: Place,
        field_name: str | Place | None,
        message: str,
        code: str | None = None,
        params: tuple | dict = (),
    ) -> None:
        """Add a problem; ``code`` and ``params`` (a dict or ``(name, value)`` pairs) make it translatable."""
        params = tuple(params.items()) if isinstance(params, dict) else tuple(params)
        self._items.append((rank, len(self._items), Problem(place, field_name, message, code, params)))

    def add_exc(self, rank: float, place: Place, field_name: str | None, exc: Exception) -> None:
        """Add a problem from an exception (a :class:`ValueProblem` keeps its code and params)."""
        self.add(rank, place, field_name, str(exc), getattr(exc, "code", None), getattr(exc, "params", ()))

    def __bool__(self) -> bool:
        return bool(self._items)

    def sorted(self) -> list[Problem]:
        return [p for _, _, p in sorted(self._items, key=lambda x: (x[0], x[1]))]


def _decode(data: bytes, source: str) -> str:
    """CSV text from bytes: UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileFormatError("starts like UTF-16 text but cannot be decoded", "bad_utf16", source=source) from None
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1251")
            except UnicodeDecodeError as exc:
                raise FileFormatError(
                    f"not a text file in UTF-8 or Windows-1251 (undecodable byte at position {exc.start})",
                    "undecodable",
                    source=source,
                    position=exc.start,
                ) from None
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f\x1a")
    if "\x00" in text or controls > max(1, len(text) // 100):
        raise FileFormatError("holds binary data, not a CSV or XLSX touchpoint table", "binary", source=source)
    return text.rstrip("\x1a")


def _count_outside_quotes(line: str, ch: str) -> int:
    count, quoted = 0, False
    for c in line:
        if c == '"':
            quoted = not quoted
        elif c == ch and not quoted:
            count += 1
    return count


def _sniff(header_line: str, prefer_tab: bool) -> str:
    """The delimiter of a header line: csv.Sniffer's guess, checked by counting the candidates."""
    counts = {d: _count_outside_quotes(header_line, d) for d in ",;\t"}
    if prefer_tab and counts["\t"]:
        return "\t"
    try:
        guess = csv.Sniffer().sniff(header_line, delimiters=",;\t").delimiter
    except csv.Error:
        guess = None
    best = max(counts, key=lambda d: counts[d])
    if guess in counts and counts[guess] and counts[guess] >= counts[best]:
        return guess
    return best if counts[best] else ","


def _csv_grid(text: str, source: str, *, prefer_tab: bool) -> _Grid:
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise FileFormatError("the file is empty", "empty", source=source)
    skip_lines = 0
    hint = re.fullmatch(r'\s*"?sep=(.)"?\s*', lines[first])  # Excel's "sep=;" first line
    if hint:
        delimiter, skip_lines = hint[1], first + 1
    else:
        delimiter = _sniff(lines[first], prefer_tab)
    lim = limits()
    # The csv module's field limit is process-wide: cjm reads within it and never changes it.
    cell_limit = min(lim.max_cell_chars, csv.field_size_limit())
    max_rows = lim.max_touchpoints
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    header_loc = Place("line", {"n": 1})
    rows: list[tuple[Place, list[Any]]] = []
    prev = 0
    try:
        for record in reader:
            start, prev = prev + 1, reader.line_num
            if len(record) > lim.max_columns:
                raise _too_many_columns(source, len(record), lim.max_columns, line=start)
            if any(len(cell) > cell_limit for cell in record):
                raise _cell_too_long(source, cell_limit, line=start)
            if start <= skip_lines or not any(cell.strip() for cell in record):
                continue
            if header is None:
                header, header_loc = record, Place("line", {"n": start})
                continue
            rows.append((Place("line", {"n": start}), list(record)))
            if len(rows) > max_rows:
                raise FileFormatError(
                    f"more than {fmt_int(max_rows)} rows; split the map into smaller files",
                    "too_many_rows",
                    source=source,
                    limit=max_rows,
                )
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise _cell_too_long(source, cell_limit, line=prev + 1) from None
        raise FileFormatError(
            f"not a readable CSV ({exc})",
            "bad_csv",
            source=source,
            line=reader.line_num,
            detail=str(exc),
        ) from None
    if header is None:
        raise FileFormatError("the file is empty", "empty", source=source)
    return _Grid(header, header_loc, rows)


def _cell_too_long(
    source: str, limit: int, *, line: int | None = None, sheet: str = "", row: int = 0
) -> FileFormatError:
    if line is not None:
        message = f"a cell is longer than {fmt_int(limit)} characters"
        return FileFormatError(message, "cell_too_long", source=source, line=line, limit=limit)
    message = f"sheet '{sheet}', row {fmt_int(row)}: a cell is longer than {fmt_int(limit)} characters"
    params = {"sheet": sheet, "row": row, "limit": limit}
    return FileFormatError(message, "cell_too_long_sheet", source=source, **params)


def _too_many_columns(source: str, n: int, limit: int, *, line: int | None = None, sheet: str = "") -> FileFormatError:
    params = {"n": n, "limit": limit}
    if line is not None:
        message = f"{fmt_int(n)} columns; the limit is {fmt_int(limit)}"
        return FileFormatError(message, "too_many_columns", source=source, line=line, **params)
    message = f"sheet '{sheet}': {fmt_int(n)} columns; the limit is {fmt_int(limit)}"
    return FileFormatError(message, "too_many_columns_sheet", source=source, sheet=sheet, **params)


def _sheet_too_long(source: str, sheet: str, limit: int) -> FileFormatError:
    return FileFormatError(
        f"sheet '{sheet}' has more than {fmt_int(limit)} rows",
        "sheet_too_many_rows",
        source=source,
        sheet=sheet,
        limit=limit,
    )


def _sheet_rows(ws: Any, source: str) -> Iterable[tuple[int, list[Any]]]:
    """(row number, cells) of a read-only sheet, streamed, within the limits.

    The sheet's declared size (its ``<dimension>``) is checked before any row is read, so a sheet
    claiming a million rows or 16,384 columns is refused at once; then the declared size is
    ignored (openpyxl would pad every row to it) and each row is as wide as its last cell. Rows
    are counted with the blank ones, so 300,000 empty rows are refused instead of walked.
    """
    lim = limits()
    declared_rows, declared_cols = ws.max_row, ws.max_column
    if declared_cols is not None and declared_cols > lim.max_columns:
        raise _too_many_columns(source, declared_cols, lim.max_columns, sheet=ws.title)
    if declared_rows is not None and declared_rows > lim.max_sheet_rows:
        raise _sheet_too_long(source, ws.title, lim.max_sheet_rows)
    ws.reset_dimensions()
    try:
        for number, values in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
            if number > lim.max_sheet_rows:
                raise _sheet_too_long(source, ws.title, lim.max_sheet_rows)
            if len(values) > lim.max_columns:
                raise _too_many_columns(source, len(values), lim.max_columns, sheet=ws.title)
            cells = [
                v if v is None or isinstance(v, (bool, int, float, str)) or hasattr(v, "isoformat") else str(v)
                for v in values
            ]
            if any(isinstance(v, str) and len(v) > lim.max_cell_chars for v in cells):
                raise _cell_too_long(source, lim.max_cell_chars, sheet=ws.title, row=number)
            yield number, cells
    except FileFormatError:
        raise
    except Exception as exc:  # openpyxl converting a cell (a date out of range, a 5,000-digit number …)
        detail = f"{type(exc).__name__}: {shown(str(exc))}"
        raise FileFormatError(
            f"not a readable XLSX workbook ({detail})", "bad_xlsx", source=source, detail=detail
        ) from None


def _sheet_grid(ws: Any, source: str, limit: int) -> _Grid | None:
    header: list[Any] | None = None
    header_loc = Place("sheet", {"sheet": ws.title})
    rows: list[tuple[Place, list[Any]]] = []
    for number, cells in _sheet_rows(ws, source):
        if not any(not is_blank(v) for v in cells):
            continue
        loc = Place("sheet_row", {"sheet": ws.title, "n": number})
        if header is None:
            header, header_loc = cells, loc
            continue
        rows.append((loc, cells))
        if len(rows) > limit:
            raise FileFormatError(
                f"sheet '{ws.title}' has more than {fmt_int(limit)} rows",
                "sheet_too_many_rows",
                source=source,
                sheet=ws.title,
                limit=limit,
            )
    if header is None:
        return None
    return _Grid(header, header_loc, rows, sheet=ws.title)


def _columns(
    grid: _Grid, aliases: dict[str, str], known: Iterable[str], problems: _Problems
) -> dict[str, tuple[int, str]]:
    """Column id → (index, header text as written); unknown and repeated columns are problems."""
    cols: dict[str, tuple[int, str]] = {}
    for idx, cell in enumerate(grid.header):
        if is_blank(cell):
            continue
        text = str(cell).replace("\ufeff", "").strip()
        col = aliases.get(_norm(text))
        if col is None:
            names = ", ".join(known)
            message = f"unknown column; the known columns are: {names}"
            problems.add(-1, grid.header_loc, text, message, "unknown_column", {"known": names})
        elif col in cols:
            message = f"means the same as column {cols[col][1]!r} ({col})"
            problems.add(-1, grid.header_loc, text, message, "same_column", {"other": repr(cols[col][1]), "col": col})
        else:
            cols[col] = (idx, text)
    return cols


def _row_values(
    grid: _Grid, cols: dict[str, tuple[int, str]], problems: _Problems
) -> list[tuple[int, Place, dict[str, Any]]]:
    """Each non-blank row as (rank, location, {column id: cell}), checking for stray cells."""
    used = {idx for idx, _ in cols.values()}
    width = len(grid.header)
    reported: set[int] = set()
    out = []
    for rank, (loc, cells) in enumerate(grid.rows):
        cells = [_unescape(c) for c in cells]
        if all(is_blank(c) for c in cells):
            continue
        for idx, cell in enumerate(cells):
            if idx in used or is_blank(cell):
                continue
            if idx >= width:
                problems.add(
                    rank,
                    loc,
                    None,
                    f"has {len(cells)} cells but the header has {width} columns (check the delimiter and quotes)",
                    "too_many_cells",
                    {"n": len(cells), "width": width},
                )
                break
            if is_blank(grid.header[idx]) and idx not in reported:
                reported.add(idx)
                problems.add(rank, loc, Place("column", {"n": idx + 1}), "has a value but no header", "no_header")
        out.append((rank, loc, {col: (cells[idx] if idx < len(cells) else None) for col, (idx, _) in cols.items()}))
    return out


# --- reading: stages -------------------------------------------------------------------------------


def _template_rows(map_type: str) -> tuple[tuple[tuple[str, str, str], ...], ...]:
    """The stage templates in the order they are tried for this map type."""
    if map_type == "day_in_life":
        return (schema.DAY_STAGES, schema.DEFAULT_STAGES)
    return (schema.DEFAULT_STAGES, schema.DAY_STAGES)


@functools.cache
def _stage_aliases(template: tuple[tuple[str, str, str], ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for sid, name, _phase in template:
        for text in (sid, sid.replace("_", " "), name, *(t(f"stage.{sid}", lang) for lang in LANGUAGES)):
            out.setdefault(_norm(text), sid)
    return out


def _template_of(sid: str) -> tuple[tuple[str, str, str], ...]:
    """The template a stage id belongs to (empty when it is a custom stage)."""
    return next((tpl for tpl in (schema.DEFAULT_STAGES, schema.DAY_STAGES) if any(r[0] == sid for r in tpl)), ())


def _template_stage(sid: str) -> tuple[str, str] | None:
    """(default name, phase) of a template stage id."""
    return next(((name, phase) for i, name, phase in _template_of(sid) if i == sid), None)


def _stage_name_for(sid: str, given: Any) -> str | None:
    """A template stage named by one of its labels keeps its default (translatable) name."""
    default = _template_stage(sid)
    if is_blank(given):
        return default[0] if default else None
    text = str(given).strip()
    if default and _stage_aliases(_template_of(sid)).get(_norm(text)) == sid:
        return default[0]
    return text


def _custom_stage_id(text: str, taken: set[str]) -> str:
    if _ID_LIKE.match(text):
        base = text
    else:
        latin = "".join(_TRANSLIT.get(ch, ch) for ch in text.lower())
        base = re.sub(r"[^a-z0-9]+", "_", latin).strip("_")[:40] or "stage"
    sid, k = base, 2
    while sid in taken:
        sid, k = f"{base}_{k}", k + 1
    return sid


@dataclass
class _StageInfo:
    id: str
    name: str | None
    phase: str | None
    loc: Place
    template: bool


@dataclass
class _Stages:
    """The map's stage list and, for each row rank, the stage id its touchpoint is in."""

    stages: list[dict[str, str]]
    of_row: dict[int, str] = field(default_factory=dict)


_StageRows = list[tuple[int, Place, str, dict[str, Any]]]  # (rank, location, stage text, row)


def _resolve_stages(
    rows: list[tuple[int, Place, dict[str, Any]]],
    cols: dict[str, tuple[int, str]],
    map_type: str,
    sheet_stages: list[dict[str, Any]] | None,
    problems: _Problems,
) -> _Stages:
    """The map's stages and each row's stage id, from a stages sheet, a template, or the file itself."""
    if "stage" not in cols:
        return _Stages([])
    heads = {col: cols.get(col, (0, col))[1] for col in ("stage", "phase", "stage_name")}
    values = [(rank, loc, str(raw["stage"]).strip(), raw) for rank, loc, raw in rows if not is_blank(raw.get("stage"))]
    if sheet_stages is not None:
        return _stages_from_sheet(values, sheet_stages, heads, problems)
    if "phase" not in cols:
        return _stages_from_template(values, _template_rows(map_type), heads, problems)
    return _stages_from_file(values, _template_rows(map_type), heads, problems)


def _stages_from_sheet(
    values: _StageRows, sheet_stages: list[dict[str, Any]], heads: dict[str, str], problems: _Problems
) -> _Stages:
    """An XLSX written by cjm: the stages sheet is the stage list; rows name a stage by id or name."""
    result = _Stages(sheet_stages)
    ids = {str(s.get("id") or "") for s in sheet_stages}
    lookup: dict[str, str] = {}
    for s in sheet_stages:
        sid = str(s.get("id") or "")
        lookup.setdefault(_norm(sid), sid)
        lookup.setdefault(_norm(s.get("name") or ""), sid)
        for alias, tid in _stage_aliases(_template_of(sid)).items():
            if tid == sid:
                lookup.setdefault(alias, sid)
    for rank, loc, v, _raw in values:
        sid = v if v in ids else lookup.get(_norm(v))
        if sid is None:
            known = listing([str(s.get("id")) for s in sheet_stages])
            message = f"unknown stage {v!r}; the stages sheet has: {known}"
            problems.add(rank, loc, heads["stage"], message, "unknown_stage_sheet", {"value": repr(v), "stages": known})
        else:
            result.of_row[rank] = sid
    return result


def _stages_from_template(
    values: _StageRows,
    templates: tuple[tuple[tuple[str, str, str], ...], ...],
    heads: dict[str, str],
    problems: _Problems,
) -> _Stages:
    """No phase column: the stages are a template's (the map type's, or the other when it fits)."""
    chosen = next(
        (tpl for tpl in templates if all(_norm(v) in _stage_aliases(tpl) for _, _, v, _ in values)), templates[0]
    )
    aliases = _stage_aliases(chosen)
    result = _Stages([{"id": i, "name": n, "phase": p} for i, n, p in chosen])
    by_id = {s["id"]: s for s in result.stages}
    for rank, loc, v, raw in values:
        sid = aliases.get(_norm(v))
        if sid is None:
            known = ", ".join(f"{i} ({t(f'stage.{i}', 'en')} / {t(f'stage.{i}', 'ru')})" for i, _, _ in chosen)
            message = f"unknown stage {v!r}; the stages are: {known}. To use your own stages, add a 'phase' column"
            params = {"value": repr(v), "stages": known}
            problems.add(rank, loc, heads["stage"], message, "unknown_stage_template", params)
            continue
        result.of_row[rank] = sid
        if not is_blank(raw.get("stage_name")):
            by_id[sid]["name"] = _stage_name_for(sid, raw["stage_name"]) or by_id[sid]["name"]
    return result


def _stages_from_file(
    values: _StageRows,
    templates: tuple[tuple[tuple[str, str, str], ...], ...],
    heads: dict[str, str],
    problems: _Problems,
) -> _Stages:
    """A phase column: the stages are the ones the file names, in first-appearance order, each
    with one phase (and one name) on every row. Only a template's stages, unchanged: the whole
    template."""
    phase_aliases = choice_aliases("phase", schema.PHASES)
    template_aliases: dict[str, str] = {}
    for template in templates:
        for alias, sid in _stage_aliases(template).items():
            template_aliases.setdefault(alias, sid)
    result = _Stages([])
    infos: dict[str, _StageInfo] = {}
    custom_ids: dict[str, str] = {}
    for rank, loc, v, raw in values:
        sid = template_aliases.get(_norm(v))
        is_template = sid is not None
        if sid is None:
            sid = custom_ids.get(_norm(v))
            if sid is None:
                sid = custom_ids[_norm(v)] = _custom_stage_id(v, set(infos) | set(custom_ids.values()))
        result.of_row[rank] = sid
        given_name = raw.get("stage_name")
        if is_template:
            name = _stage_name_for(sid, given_name)
        else:
            name = v if is_blank(given_name) else str(given_name).strip()
        phase_raw = raw.get("phase")
        phase = None
        if not is_blank(phase_raw):
            phase = phase_aliases.get(_norm(phase_raw))
            if phase is None:
                choices = ", ".join(schema.PHASES)
                value = repr(str(phase_raw).strip())
                message = f"{value} is not one of: {choices}"
                problems.add(rank, loc, heads["phase"], message, "not_a_choice", {"value": value, "choices": choices})
        info = infos.get(sid)
        if info is None:
            if phase is None and is_blank(phase_raw):
                phase = _template_stage(sid)[1] if is_template else None
                if phase is None:
                    choices = ", ".join(schema.PHASES)
                    message = f"stage {v!r} needs a phase: {choices}"
                    params = {"value": repr(v), "choices": choices}
                    problems.add(rank, loc, heads["phase"], message, "stage_needs_phase", params)
            infos[sid] = _StageInfo(sid, name, phase, loc, is_template)
            continue
        if phase is not None:
            if info.phase is None:
                info.phase = phase
            elif phase != info.phase:
                message = f"stage {v!r} is in phase {info.phase!r} on {info.loc}, here in {phase!r}"
                params = {"value": repr(v), "first": repr(info.phase), "first_loc": info.loc, "here": repr(phase)}
                problems.add(rank, loc, heads["phase"], message, "stage_phase_differs", params)
        if not is_blank(given_name) and name != info.name:
            message = f"stage {v!r} is named {info.name!r} on {info.loc}, here {name!r}"
            params = {"value": repr(v), "first": repr(info.name), "first_loc": info.loc, "here": repr(name)}
            problems.add(rank, loc, heads["stage_name"], message, "stage_name_differs", params)

    for template in templates:
        defaults = {i: (n, p) for i, n, p in template}
        if infos and all(i.template and defaults.get(i.id) == (i.name, i.phase) for i in infos.values()):
            result.stages = [{"id": i, "name": n, "phase": p} for i, n, p in template]
            return result
    result.stages = [{"id": i.id, "name": i.name or i.id, "phase": i.phase or ""} for i in infos.values()]
    return result


# --- reading: building the map ---------------------------------------------------------------------


@dataclass
class _Extras:
    """What an XLSX written by cjm adds to the touchpoint table."""

    meta: dict[str, Any] | None = None
    stages: list[dict[str, Any]] | None = None
    stage_locs: list[Place] = field(default_factory=list)
    transitions: list[tuple[int, Place, dict[str, Any]]] | None = None
    transition_heads: dict[str, str] = field(default_factory=dict)
    records: dict[str, list[tuple[int, str, str, dict[str, Any]]]] = field(default_factory=dict)


def _cell_json(value: Any) -> Any:
    """A cell's JSON, parsed within cjm's limits; ``ValueError`` saying why it cannot be."""
    try:
        return jsonio.parse_json(str(value))
    except FileFormatError as exc:
        raise ValueError(exc.message) from None


def _json_list(value: Any) -> list[dict[str, Any]]:
    if is_blank(value):
        return []
    data = _cell_json(value)
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise ValueError("expected a JSON list of records")
    return data


def _has_cyrillic(texts: Iterable[Any]) -> bool:
    return any(re.search("[а-яё]", str(x).lower()) for x in texts if x is not None)


def _assign_ids(
    rows: list[tuple[int, Place, dict[str, Any]]], heads: dict[str, str], problems: _Problems
) -> tuple[dict[int, str], dict[str, str]]:
    """Row rank → touchpoint id (given, or ``tp-N`` for rows without one) and id → its first row.

    A repeated id is a problem on every row after the first; such rows get no id.
    """
    ids: dict[int, str] = {}
    first_row: dict[str, str] = {}
    for rank, loc, raw in rows:
        value = raw.get("id")
        if is_blank(value):
            continue
        try:
            tp_id = coerce_value(_FIELDS["id"], value)
        except ValueError as exc:
            problems.add_exc(rank, loc, heads.get("id", "id"), exc)
            continue
        if tp_id in first_row:
            message = f"duplicate id {tp_id!r} (first on {first_row[tp_id]})"
            params = {"id": repr(tp_id), "first_loc": first_row[tp_id]}
            problems.add(rank, loc, heads.get("id", "id"), message, "duplicate_id", params)
            continue
        ids[rank] = tp_id
        first_row[tp_id] = loc
    counter = 0
    for rank, _loc, raw in rows:
        if rank not in ids and is_blank(raw.get("id")):
            counter += 1
            while f"tp-{counter}" in first_row:
                counter += 1
            ids[rank] = f"tp-{counter}"
            first_row[ids[rank]] = _loc
    return ids, first_row


def _read_edges(
    rows: list[tuple[int, Place, dict[str, Any]]],
    cols: dict[str, tuple[int, str]],
    ids: dict[int, str],
    first_row: dict[str, str],
    nodes: dict[str, dict[str, Any]],
    loc_of: dict[str, tuple[int, str]],
    stage_info: _Stages,
    extras: _Extras,
    problems: _Problems,
) -> dict[tuple[str, str], dict[str, Any]]:
    """The transitions: from a transitions sheet and/or the ``next`` column, or else the
    touchpoints chained in journey order."""
    heads = {col: text for col, (_, text) in cols.items()}
    by_name: dict[str, list[str]] = {}
    for tp_id, tp in nodes.items():
        by_name.setdefault(_norm(tp.get("name") or ""), []).append(tp_id)

    def target_id(text: str) -> tuple[str | None, ValueProblem | None]:
        if text in first_row:
            return text, None
        matches = by_name.get(_norm(text), [])
        if len(matches) == 1:
            return matches[0], None
        if len(matches) > 1:
            ids_text = ", ".join(matches)
            message = f"{text!r} names {len(matches)} touchpoints ({ids_text}); use the id"
            return None, ValueProblem(message, "names_many", value=repr(text), n=len(matches), ids=ids_text)
        return None, ValueProblem(f"no touchpoint {text!r} in the file", "no_touchpoint_in_file", value=repr(text))

    edges: dict[tuple[str, str], dict[str, Any]] = {}
    if extras.transitions is not None:
        th = extras.transition_heads
        for rank, loc, raw in extras.transitions:
            ends = []
            for end in ("source", "target"):
                if is_blank(raw.get(end)):
                    problems.add(rank, loc, th.get(end, end), "is required", "required")
                    continue
                found_id, err = target_id(_cell_text(raw[end]))
                if err:
                    problems.add_exc(rank, loc, th.get(end, end), err)
                ends.append(found_id)
            attrs = _transition_attrs(raw.get("users"), raw.get("label"), rank, loc, th.get("users", "users"), problems)
            if len(ends) == 2 and None not in ends:
                if (ends[0], ends[1]) in edges:
                    message = f"transition {ends[0]!r} → {ends[1]!r} is listed twice"
                    params = {"source": repr(ends[0]), "target": repr(ends[1])}
                    problems.add(rank, loc, th.get("target", "target"), message, "transition_twice", params)
                edges[(ends[0], ends[1])] = attrs
    if "next" in cols:
        for rank, loc, raw in rows:
            source_id = ids.get(rank)
            if is_blank(raw.get("next")) or source_id is None or loc_of.get(source_id, (None,))[0] != rank:
                continue
            try:
                entries = _parse_next(_cell_text(raw["next"]))
            except ValueError as exc:
                problems.add_exc(rank, loc, heads["next"], exc)
                continue
            for target, users, text in entries:
                found_id, err = target_id(target)
                if err:
                    problems.add_exc(rank, loc, heads["next"], err)
                    continue
                if (source_id, found_id) in edges:
                    message = f"the transition to {target!r} is listed twice"
                    problems.add(rank, loc, heads["next"], message, "next_twice", {"value": repr(target)})
                    continue
                edges[(source_id, found_id)] = _transition_attrs(users, text, rank, loc, heads["next"], problems)
    elif extras.transitions is None and not problems:
        stub = nx.DiGraph()
        stub.graph["stages"] = stage_info.stages
        stub.add_nodes_from((k, {"stage": v["stage"], "order": v["order"]}) for k, v in nodes.items())
        chain = model.touchpoints_in_order(stub)
        for u, v in zip(chain, chain[1:], strict=False):
            edges[(u, v)] = {"users": None, "label": ""}
    return edges


def _hint_emotion_scale(
    rows: list[tuple[int, Place, dict[str, Any]]], header_loc: Place, head: str, problems: _Problems
) -> None:
    """When emotions fall outside −2 … +2, say which other scales the file's values fit."""
    values = []
    for _rank, _loc, raw in rows:
        if is_blank(raw.get("emotion")):
            continue
        try:
            values.append(float(str(raw["emotion"]).strip().replace("\u2212", "-").replace(",", ".")))
        except ValueError:
            continue
    outside = sum(1 for v in values if not schema.EMOTION_MIN <= v <= schema.EMOTION_MAX)
    fits = [n for n, (lo, hi) in schema.EMOTION_SCALES.items() if n != "-2..2" and all(lo <= v <= hi for v in values)]
    if outside < 2 or not fits:  # one stray value is a typo, not another scale
        return
    message = (
        f"{outside} of {len(values)} emotions are outside -2 … 2; if the file uses another scale, "
        f"choose it when importing (the values fit {' or '.join(fits)})"
    )
    params = {"n": outside, "total": len(values), "scales": " or ".join(fits), "scales_list": ", ".join(fits)}
    problems.add(10 * _BLOCK, header_loc, head, message, "emotion_scale_hint", params)


def _build_map(
    grid: _Grid,
    *,
    source: str,
    title: str | None,
    map_type: str | None,
    emotion_scale: str,
    lang: str | None,
    extras: _Extras,
    problems: _Problems,
) -> nx.DiGraph:
    cols = _columns(grid, _column_aliases(), table_columns(), problems)
    heads = {col: text for col, (_, text) in cols.items()}
    for col in _REQUIRED:
        if col not in cols:
            labels = " / ".join(dict.fromkeys([col, t(f"field.{col}", "en"), t(f"field.{col}", "ru")]))
            message = f"the required column is missing (its header can be: {labels})"
            problems.add(-1, grid.header_loc, col, message, "required_column", {"labels": labels})
    rows = _row_values(grid, cols, problems)
    if not rows and extras.meta is None:  # a whole-map XLSX may hold a map without touchpoints
        problems.add(-1, grid.header_loc, None, "there are no touchpoint rows below the header", "no_rows")
    meta = dict(extras.meta or {})
    map_type = map_type or meta.get("map_type") or "current_state"

    ids, first_row = _assign_ids(rows, heads, problems)

    stage_info = _resolve_stages(rows, cols, map_type, extras.stages, problems)

    # touchpoints
    nodes: dict[str, dict[str, Any]] = {}
    loc_of: dict[str, tuple[int, str]] = {}
    records = {kind: {} for kind in ("comments", "votes")}
    for kind, items in extras.records.items():
        for rank, loc, tp_id, rec in items:
            if tp_id not in first_row:
                problems.add(
                    rank, loc, "touchpoint", f"no touchpoint {tp_id!r}", "missing_touchpoint", {"id": repr(tp_id)}
                )
            else:
                records[kind].setdefault(tp_id, []).append(rec)
    for position, (rank, loc, raw) in enumerate(rows, start=1):
        if rank not in ids or ids[rank] in nodes:
            continue
        tp_id = ids[rank]
        values = {k: v for k, v in raw.items() if k in _FIELDS and k not in ("comments", "votes")}
        values["id"] = tp_id
        if rank in stage_info.of_row:
            values["stage"] = stage_info.of_row[rank]
        if "order" not in cols:
            values["order"] = float(position)
        for kind in ("comments", "votes"):
            if kind in cols:
                try:
                    values[kind] = _json_list(raw.get(kind))
                except ValueError as exc:
                    message = f"is not a JSON list of records ({exc})"
                    problems.add(rank, loc, heads[kind], message, "not_json_list", {"detail": str(exc)})
            if tp_id in records[kind]:
                values[kind] = values.get(kind, []) + records[kind][tp_id]
        found: list[Problem] = []
        tp = coerce_touchpoint(values, place=loc, problems=found, emotion_scale=emotion_scale)
        for p in found:
            if p.field in _REQUIRED and p.field not in cols:
                continue  # the missing column is reported once, on the header
            if (
                p.field == "stage"
                and rank not in stage_info.of_row
                and "stage" in cols
                and not is_blank(raw.get("stage"))
            ):
                continue  # already reported as an unknown stage
            problems.add(rank, loc, heads.get(p.field or "", p.field), p.message, p.code, p.params)
        nodes[tp_id] = tp
        loc_of[tp_id] = (rank, loc)
    if emotion_scale == "-2..2" and "emotion" in cols:
        _hint_emotion_scale(rows, grid.header_loc, heads["emotion"], problems)

    edges = _read_edges(rows, cols, ids, first_row, nodes, loc_of, stage_info, extras, problems)

    # the map
    stamp = model.now_iso()
    persona = {f.name: "" for f in schema.PERSONA_FIELDS} | (meta.get("persona") or {})
    texts = list(grid.header) + [tp.get("name") for tp in nodes.values()]
    the_title = (title or meta.get("title") or Path(source).stem or "Imported map").strip()
    G = nx.DiGraph()
    G.graph.update(
        id=meta.get("id") or model.new_map_id(the_title),
        title=the_title,
        map_type=map_type,
        persona=persona,
        segment=meta.get("segment") or "",
        stages=stage_info.stages,
        baseline_id=meta.get("baseline_id") or None,
        language=meta.get("language") or lang or ("ru" if _has_cyrillic(texts) else "en"),
        created_at=meta.get("created_at") or stamp,
        updated_at=meta.get("updated_at") or stamp,
    )
    if meta.get("counts_source"):
        G.graph["counts_source"] = meta["counts_source"]
    for key in _MAP_OPTIONAL_KEYS:
        if meta.get(key):
            G.graph[key] = meta[key]
    for tp_id, tp in nodes.items():
        G.add_node(tp_id, **tp)
    for (u, v), attrs in edges.items():
        G.add_edge(u, v, **attrs)
    try:
        H = validate_map(G, source=source)
    except ValidationError as exc:
        # Map-level problems (a bad map type, title or stage) join the row problems; problems of a
        # touchpoint are already reported on its row unless the rows were otherwise clean.
        rows_clean = not problems
        for p in exc.problems:
            where, field_name, rank, kind = p.place, p.field, -2.0, p.place.kind
            if kind == "touchpoint":
                if not rows_clean:
                    continue
                rank, where = loc_of.get(str(p.place.get("id")), (-2.0, p.place))
                field_name = heads.get(p.field or "", p.field)
            elif kind == "stage" and p.place.get("n") <= len(extras.stage_locs):
                n = p.place.get("n")
                rank, where = 2 * _BLOCK + n, extras.stage_locs[n - 1]
            elif kind in ("map", "persona") and extras.meta is not None:
                rank, where = _BLOCK - 1, Place("sheet", {"sheet": SHEET_MAP})
                if kind == "persona" and field_name:
                    field_name = f"persona.{field_name}"
            elif not rows_clean and (kind in ("transition", "stage") or p.field == "stages"):
                continue  # follows from a row problem already reported
            problems.add(rank, where, field_name, p.message, p.code, p.params)
        raise ValidationError(problems.sorted(), source=source) from None
    if problems:
        raise ValidationError(problems.sorted(), source=source)
    return H


def _transition_attrs(users: Any, text: Any, rank: int, loc: Place, head: str, problems: _Problems) -> dict[str, Any]:
    out: dict[str, Any] = {"users": None, "label": ""}
    try:
        out["users"] = coerce_value(_USERS, users)
    except ValueError as exc:
        _add_part_problem(problems, rank, loc, head, "users", exc)
    try:
        out["label"] = coerce_value(_LABEL, text)
    except ValueError as exc:
        _add_part_problem(problems, rank, loc, head, "label", exc)
    return out


def _add_part_problem(problems: _Problems, rank: int, loc: Place, head: str, part: str, exc: ValueError) -> None:
    """``"users 'x' is not a number"``: the problem of one part of a transition, translatable when ``exc`` is."""
    code = getattr(exc, "code", None)
    params = (("part", part), ("inner", code), *getattr(exc, "params", ())) if code else ()
    problems.add(rank, loc, head, f"{part} {exc}", "part" if code else None, params)


# --- reading: XLSX ---------------------------------------------------------------------------------


def _open_workbook(data: bytes, source: str) -> Any:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            unpacked = limits().max_xlsx_unpacked_bytes
            if sum(info.file_size for info in zf.infolist()) > unpacked:
                raise FileFormatError(
                    f"the workbook unpacks to more than {unpacked // 2**20} MB",
                    "xlsx_too_big",
                    source=source,
                    limit=unpacked // 2**20,
                )
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except FileFormatError:
        raise
    except Exception as exc:  # openpyxl raises many kinds (KeyError, BadZipFile, InvalidFileException …)
        raise FileFormatError(
            f"not a readable XLSX workbook ({type(exc).__name__}: {exc})",
            "bad_xlsx",
            source=source,
            detail=f"{type(exc).__name__}: {exc}",
        ) from None


def _simple_sheet(
    grid: _Grid | None, columns: tuple[str, ...], problems: _Problems, *, base_rank: float, extra_keys: bool = False
) -> tuple[list[tuple[int, Place, dict[str, Any]]], dict[str, str]]:
    """Rows of a metadata sheet keyed by column id (ids or their labels as headers)."""
    if grid is None:
        return [], {}
    aliases = _aliases(columns)
    cols: dict[str, tuple[int, str]] = {}
    for idx, cell in enumerate(grid.header):
        if is_blank(cell):
            continue
        text = str(_unescape(cell)).strip()
        col = aliases.get(_norm(text))
        if col is None and extra_keys:
            col = text
        if col is None:
            names = ", ".join(columns)
            message = f"unknown column; the known columns are: {names}"
            problems.add(base_rank, grid.header_loc, text, message, "unknown_column", {"known": names})
        elif col not in cols:
            cols[col] = (idx, text)
    rows = []
    for i, (loc, cells) in enumerate(grid.rows):
        cells = [_unescape(c) for c in cells]
        rows.append(
            (
                base_rank + i,
                loc,
                {c: (cells[idx] if idx < len(cells) else None) for c, (idx, _) in cols.items()},
            )
        )
    return rows, {c: text for c, (_, text) in cols.items()}


def _read_xlsx(data: bytes, *, source: str, problems: _Problems) -> tuple[_Grid, _Extras]:
    wb = _open_workbook(data, source)
    try:
        sheets = {ws.title.strip().lower(): ws for ws in wb.worksheets}
        if not sheets:
            raise FileFormatError("the workbook has no sheets", "no_sheets", source=source)
        main = sheets.get(SHEET_TOUCHPOINTS) or wb.worksheets[0]
        grid = _sheet_grid(main, source, limits().max_touchpoints)
        if grid is None:
            raise FileFormatError(f"sheet '{main.title}' is empty", "sheet_empty", source=source, sheet=main.title)
        extras = _Extras()
        grids = {
            name: _sheet_grid(sheets[name], source, limits().max_sheet_rows)
            for name in (SHEET_MAP, SHEET_STAGES, SHEET_TRANSITIONS, SHEET_COMMENTS, SHEET_VOTES)
            if name in sheets and sheets[name] is not main
        }
    finally:
        wb.close()
    big = _BLOCK
    if SHEET_MAP in grids:
        extras.meta = _read_meta(grids[SHEET_MAP], problems, base_rank=big)
    if SHEET_STAGES in grids:
        rows, _ = _simple_sheet(grids[SHEET_STAGES], ("id", "name", "phase"), problems, base_rank=2 * big)
        phase_aliases = choice_aliases("phase", schema.PHASES)
        extras.stages = []
        for rank, loc, raw in rows:
            extras.stage_locs.append(loc)
            try:
                sid = "" if is_blank(raw.get("id")) else coerce_value(schema.Field("id", "str"), raw["id"])
            except ValueError as exc:
                problems.add_exc(rank, loc, "id", exc)
                sid = ""
            phase = raw.get("phase")
            extras.stages.append(
                {
                    "id": sid,
                    "name": "" if is_blank(raw.get("name")) else str(raw["name"]).strip(),
                    "phase": phase_aliases.get(_norm(phase), str(phase or "").strip()),
                }
            )
    if SHEET_TRANSITIONS in grids or SHEET_MAP in grids:
        extras.transitions, extras.transition_heads = _simple_sheet(
            grids.get(SHEET_TRANSITIONS), ("source", "target", "users", "label"), problems, base_rank=3 * big
        )
    for n, (name, keys) in enumerate(((SHEET_COMMENTS, _COMMENT_KEYS), (SHEET_VOTES, _VOTE_KEYS)), start=4):
        rows, heads = _simple_sheet(
            grids.get(name), ("touchpoint", *keys), problems, base_rank=n * big, extra_keys=True
        )
        items = extras.records.setdefault(name, [])
        for rank, loc, raw in rows:
            tp = raw.pop("touchpoint", None)
            if is_blank(tp):
                problems.add(rank, loc, heads.get("touchpoint", "touchpoint"), "is required", "required")
                continue
            record = {k: ("" if v is None and k in _TEXT_RECORD_KEYS else v) for k, v in raw.items()}
            try:
                tp_id = coerce_value(schema.Field("id", "str"), tp)
            except ValueError as exc:
                problems.add_exc(rank, loc, heads.get("touchpoint", "touchpoint"), exc)
                continue
            items.append((rank, loc, tp_id, record))
    return grid, extras


def _read_meta(grid: _Grid | None, problems: _Problems, *, base_rank: float) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    if grid is None:
        return meta
    persona_keys = {f"persona.{f.name}" for f in schema.PERSONA_FIELDS}
    rows = [(grid.header_loc, grid.header)] + grid.rows
    for i, (loc, cells) in enumerate(rows):
        cells = [_unescape(c) for c in cells] + [None, None]
        key = "" if is_blank(cells[0]) else str(cells[0]).strip()
        if i == 0 and _norm(key) == "key":
            continue
        value = None if is_blank(cells[1]) else cells[1]
        if value is not None and not isinstance(value, str):
            value = value.isoformat() if hasattr(value, "isoformat") else str(value)
        if key in _MAP_KEYS or key in _MAP_OPTIONAL_KEYS:
            meta[key] = value
        elif key == "counts_source":  # where the map's people counts came from (JSON, as cjm writes it)
            try:
                meta[key] = _cell_json(value) if value else None
            except ValueError as exc:
                problems.add(
                    base_rank + i, loc, key, f"is not a JSON record ({exc})", "not_json_record", {"detail": exc}
                )
        elif key in persona_keys:
            meta.setdefault("persona", {})[key.split(".", 1)[1]] = value or ""
        elif key:
            known = ", ".join((*_MAP_KEYS, *_MAP_OPTIONAL_KEYS, *sorted(persona_keys)))
            message = f"unknown map attribute; the known ones are: {known}"
            problems.add(base_rank + i, loc, key, message, "unknown_map_attribute", {"known": known})
    return meta


# --- reading: entry points -------------------------------------------------------------------------


def _as_bytes(data: bytes | str | Path) -> bytes | str:
    if isinstance(data, Path):
        try:
            return data.read_bytes()
        except OSError as exc:
            raise FileFormatError(
                f"cannot be read ({exc.strerror})", "cannot_read", source=str(data), detail=exc.strerror
            ) from None
    return data


def _is_xlsx(data: bytes | str) -> bool:
    return isinstance(data, bytes) and data.startswith(b"PK\x03\x04")


def read_map_table(
    data: bytes | str | Path,
    *,
    filename: str,
    title: str | None = None,
    map_type: str | None = None,
    emotion_scale: str = "-2..2",
    lang: str | None = None,
) -> nx.DiGraph:
    """A validated map from a CSV or XLSX touchpoint table (one row per touchpoint).

    ``data`` is the file's bytes, its decoded text, or a path. The format is chosen by the
    content (an XLSX is a zip) and then by ``filename``'s extension. ``title`` defaults to the
    file's name, ``map_type`` to ``current_state`` (an XLSX written by cjm carries both),
    ``emotion_scale`` names the scale the file's emotions use (``"1..10"`` …: converted to −2 … +2),
    ``lang`` the map's language when the file does not say (an XLSX written by cjm does; without
    either: Russian when the file has Cyrillic text, else English).

    Raises :class:`~cjm.errors.ValidationError` listing every problem with its line (CSV) or
    sheet and row (XLSX) and its column, or :class:`~cjm.errors.FileFormatError` when the file
    cannot be read at all (empty, too large, binary, undecodable).
    """
    if emotion_scale not in schema.EMOTION_SCALES:
        raise ValueError(f"unknown emotion scale {emotion_scale!r}; known: {', '.join(schema.EMOTION_SCALES)}")
    if map_type is not None and map_type not in schema.MAP_TYPES:
        raise ValueError(f"unknown map type {map_type!r}; known: {', '.join(schema.MAP_TYPES)}")
    source = filename or ""
    data = _as_bytes(data)
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    max_bytes = limits().max_file_bytes
    if size > max_bytes:
        megabytes, most = max(0.1, round(size / 2**20, 1)), max_bytes // 2**20
        raise FileFormatError(
            f"the file is {number_text(megabytes)} MB; the limit is {fmt_int(most)} MB",
            "too_large",
            source=source,
            size=megabytes,
            limit=most,
        )
    if size == 0:
        raise FileFormatError("the file is empty", "empty", source=source)
    ext = Path(source).suffix.lower()
    problems = _Problems()
    if isinstance(data, bytes) and data.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileFormatError(
            "an old Excel .xls workbook; save it as .xlsx or CSV and import that", "old_xls", source=source
        )
    if _is_xlsx(data):
        grid, extras = _read_xlsx(data, source=source, problems=problems)
    elif ext == ".xlsx":
        raise FileFormatError("not an XLSX workbook (is it a CSV file with the wrong name?)", "not_xlsx", source=source)
    else:
        text = data if isinstance(data, str) else _decode(data, source)
        if text.lstrip("\ufeff \t\r\n").startswith(("{", "[")):
            raise FileFormatError(
                "looks like JSON, not a table; import it as a .json file", "looks_json", source=source
            )
        grid, extras = _csv_grid(text.lstrip("\ufeff"), source, prefer_tab=ext == ".tsv"), _Extras()
    return _build_map(
        grid,
        source=source,
        title=title,
        map_type=map_type,
        emotion_scale=emotion_scale,
        lang=lang,
        extras=extras,
        problems=problems,
    )


def read_map_file(data: bytes | str | Path, *, filename: str, **kwargs: Any) -> nx.DiGraph:
    """A validated map from any map file, by ``filename``'s extension: ``.json`` (the node-link
    format, see :mod:`cjm.io.jsonio`), ``.csv`` / ``.tsv`` / ``.txt`` / ``.xlsx`` (a touchpoint table,
    see :func:`read_map_table`; ``kwargs`` go there). A JSON map keeps its own title and type.
    """
    ext = Path(filename or "").suffix.lower()
    data = _as_bytes(data)
    if ext == ".json":
        max_bytes = limits().max_file_bytes
        if isinstance(data, (bytes, str)) and len(data) > max_bytes:
            raise FileFormatError(
                f"the file is larger than {max_bytes // 2**20} MB",
                "larger_than",
                source=filename,
                limit=max_bytes // 2**20,
            )
        return jsonio.loads(data, source=filename)
    if ext in TABLE_EXTENSIONS:
        return read_map_table(data, filename=filename, **kwargs)
    known = ", ".join(MAP_FILE_EXTENSIONS)
    raise FileFormatError(
        f"unknown file type {ext or '(no extension)'!r}; cjm reads {known}",
        "unknown_type",
        source=filename,
        ext=repr(ext or "(no extension)"),
        known=known,
    )


# --- writing ---------------------------------------------------------------------------------------


def _stage_cells(G: nx.DiGraph, lang: str) -> dict[str, tuple[str, str]]:
    """Stage id → (display name, phase as written)."""
    out = {}
    for s in model.stages(G):
        phase = s.get("phase") or ""
        out[s["id"]] = (model.stage_label(s, lang), phase if lang == "en" else label("phase", phase, lang))
    return out


def _value(col: str, value: Any, lang: str) -> Any:
    """A touchpoint field as a spreadsheet value (text escaped, choices translated, numbers kept)."""
    f = _FIELDS.get(col)
    if value is None or f is None:
        return value
    if f.kind == "choice":
        return value if lang == "en" or not value else label(col, value, lang)
    if f.kind in ("int", "float", "bool"):
        return value
    return _escape(str(value))


def _table_rows(G: nx.DiGraph, lang: str, *, xlsx: bool) -> Iterable[list[Any]]:
    stage_cells = _stage_cells(G, lang)
    cols = table_columns(xlsx=xlsx)
    for node in model.touchpoints_in_order(G):
        d = G.nodes[node]
        row = []
        for col in cols:
            if col == "stage_name":
                row.append(_escape(stage_cells.get(d.get("stage"), ("", ""))[0]))
            elif col == "phase":
                row.append(stage_cells.get(d.get("stage"), ("", ""))[1])
            elif col == "next":
                row.append(_escape(_format_next(G, node)))
            elif col in ("comments", "votes"):
                items = d.get(col) or []
                row.append(json.dumps(items, ensure_ascii=False) if items else "")
            else:
                row.append(_value(col, d.get(col), lang))
        yield row


def write_map_csv(G: nx.DiGraph, *, lang: str = "en", sep: str = ",", encoding: str = "utf-8") -> bytes:
    """The map's touchpoints as a CSV table (one row per touchpoint, in journey order).

    Headers are field ids for ``lang="en"`` and labels otherwise; choice values and yes/no follow
    ``lang`` too. With ``sep=";"`` numbers get a decimal comma (what Russian Excel expects).
    Transitions are in the ``next`` column; comments and votes are JSON text. Map attributes
    (title, persona …) are not in a CSV: use XLSX or JSON for the whole map.
    """
    if sep not in (",", ";", "\t"):
        raise ValueError("sep must be ',', ';' or a tab")
    yes, no = _YES_NO.get(lang, _YES_NO["en"])
    decimal_comma = sep == ";"
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerow([_header_text(c, lang) for c in table_columns()])
    for row in _table_rows(G, lang, xlsx=False):
        out = []
        for value in row:
            if value is None:
                out.append("")
            elif isinstance(value, bool):
                out.append(yes if value else no)
            elif isinstance(value, (int, float)):
                out.append(_number_text(value, decimal_comma))
            else:
                out.append(str(value))
        writer.writerow(out)
    try:
        return buf.getvalue().encode(encoding)
    except UnicodeEncodeError as exc:
        raise FileFormatError(
            f"the map has characters that {encoding} cannot hold ({exc.object[exc.start : exc.end]!r}); use UTF-8"
        ) from None


def _sheet(
    wb: Any, name: str, header: list[str], rows: Iterable[list[Any]], widths: dict[int, float] | None = None
) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(name)
    ws.freeze_panes = "A2"
    for i in range(len(header)):
        ws.column_dimensions[get_column_letter(i + 1)].width = (widths or {}).get(i, 16)
    bold = Font(bold=True)
    cells = []
    for text in header:
        cell = WriteOnlyCell(ws, value=text)
        cell.font = bold
        cells.append(cell)
    ws.append(cells)
    for row in rows:
        ws.append([xlsx_text(v) for v in row])


def write_map_xlsx(G: nx.DiGraph, *, lang: str = "en") -> bytes:
    """The whole map as an XLSX workbook: sheets ``touchpoints`` (the table), ``transitions``,
    ``map`` (key/value attributes), ``stages``, ``comments`` and ``votes``.

    Reading it back with :func:`read_map_table` gives an equal map. Headers of the touchpoint and
    transition sheets follow ``lang``; the other sheets use field ids.
    """
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    cols = table_columns(xlsx=True)
    wide = {cols.index(c): 30 for c in ("name", "action", "thought", "pain_point", "opportunity")}
    _sheet(wb, SHEET_TOUCHPOINTS, [_header_text(c, lang) for c in cols], _table_rows(G, lang, xlsx=True), wide)
    _sheet(
        wb,
        SHEET_TRANSITIONS,
        [_header_text(c, lang) for c in ("source", "target", "users", "label")],
        (
            [_escape(u), _escape(v), d.get("users"), _escape(d.get("label") or "") or None]
            for u, v, d in G.edges(data=True)
        ),
    )
    a = G.graph
    meta: list[list[Any]] = [[k, a.get(k)] for k in _MAP_KEYS]
    meta += [[f"persona.{f.name}", (a.get("persona") or {}).get(f.name)] for f in schema.PERSONA_FIELDS]
    meta += [[k, a[k]] for k in _MAP_OPTIONAL_KEYS if a.get(k)]
    if a.get("counts_source"):
        meta.append(["counts_source", json.dumps(a["counts_source"], ensure_ascii=False)])
    _sheet(
        wb,
        SHEET_MAP,
        ["key", "value"],
        ([k, _escape(str(v)) if v not in (None, "") else None] for k, v in meta),
        {1: 60},
    )
    _sheet(
        wb,
        SHEET_STAGES,
        ["id", "name", "phase"],
        ([_escape(s["id"]), _escape(s.get("name") or ""), s.get("phase")] for s in model.stages(G)),
    )
    for name, keys in ((SHEET_COMMENTS, _COMMENT_KEYS), (SHEET_VOTES, _VOTE_KEYS)):
        records = [(n, r) for n in model.touchpoints_in_order(G) for r in (G.nodes[n].get(name) or [])]
        extra = list(dict.fromkeys(k for _, r in records for k in r if k not in keys))
        all_keys = [*keys, *extra]
        _sheet(
            wb,
            name,
            ["touchpoint", *all_keys],
            (
                [_escape(n)] + [_escape(r[k]) if isinstance(r.get(k), str) else r.get(k) for k in all_keys]
                for n, r in records
            ),
            {all_keys.index("text") + 1: 60} if "text" in all_keys else None,
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def export_map(G: nx.DiGraph, fmt: str, lang: str = "en") -> tuple[bytes, str, str]:
    """A map as a downloadable file: ``(bytes, MIME type, extension)`` for ``json``, ``csv`` or ``xlsx``.

    A Russian CSV uses ``;``, decimal commas and a UTF-8 BOM so that Excel opens it as it is.
    """
    if fmt == "json":
        return jsonio.dumps(G).encode("utf-8"), "application/json", "json"
    if fmt == "csv":
        if lang == "ru":
            return write_map_csv(G, lang=lang, sep=";", encoding="utf-8-sig"), "text/csv", "csv"
        return write_map_csv(G, lang=lang), "text/csv", "csv"
    if fmt == "xlsx":
        return write_map_xlsx(G, lang=lang), XLSX_MIME, "xlsx"
    raise ValueError(f"unknown export format {fmt!r}; known: json, csv, xlsx")
