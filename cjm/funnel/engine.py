"""Event-log funnels (ordered, strict, any order) with the semantics of ``docs/funnel.md``.

The first question on a log reads it once into a columnar table (``cjm.funnel.table``: rows grouped
by person in time order, events and properties as small integers, kept in memory and stored as
Arrow files in the data folder); every funnel takes the rows it needs from that table and encodes each
as one integer (time and tie rank, see :func:`_rows_for`). The per-person work is then a handful of
vectorised numpy passes over *attempts* (every step-1 event starts one), not a Python loop over
people, so a 10-million-event log takes a fraction of a second once read.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from cjm.funnel._pandas import pd
from cjm.funnel.errors import FunnelEncodingError, FunnelParameterError, FunnelValueError, FunnelWarning

# numpy advises the kernel to back big arrays with huge pages; where the kernel then compacts
# memory on each page fault (transparent_hugepage/defrag = madvise, as on the 2-core development
# VM), every fresh array cost several times more kernel time than the work done on it (taking a
# funnel's 4M rows out of a 10M-event table: 0.3 s of kernel time with the advice, 0.05 s without)
# Importing this module changes nothing process-wide: a program that only counts funnels (the
# command line) calls ``no_hugepage_advice()`` itself at its start.


def no_hugepage_advice() -> None:
    """Ask numpy not to advise huge pages for big arrays, for the whole process (see above).

    For programs whose process is theirs to tune (``python -m cjm funnel``, the bench); the app server
    leaves numpy as it is.
    """
    with contextlib.suppress(AttributeError, ImportError):
        from numpy._core.multiarray import _set_madvise_hugepage

        _set_madvise_hugepage(False)


def keep_freed_memory(mmap_threshold: int = 64 << 20) -> None:
    """Ask glibc's malloc to keep the memory of freed arrays for the next ones, for the whole process.

    By default every array over 32 MB at most (a threshold glibc raises as it goes) is a fresh
    mapping of its own, given back to the kernel when freed, and the next one is paged in again:
    on the development VM a fifth of a first funnel's CPU time went to such page faults. With
    arrays up to ``mmap_threshold`` taken from the heap, and the heap not trimmed, the pages of a
    freed array serve the next one (a first funnel on 10M events: a quarter fewer page faults, the
    peak memory about the same). Bigger arrays (a 100M-event log's columns) are still mappings of
    their own, so the memory they leave goes back at once. For programs whose process is theirs
    to tune, as :func:`no_hugepage_advice`; nothing happens where the C library is not glibc.
    """
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return
    m_trim_threshold, m_top_pad, m_mmap_threshold = -1, -2, -3
    mallopt(m_mmap_threshold, mmap_threshold)
    mallopt(m_trim_threshold, 1 << 40)  # never trimmed: the process ends with its question
    mallopt(m_top_pad, 64 << 20)  # the heap grows 64 MB at a time (pages are only touched when used)


__all__ = [
    "MODES",
    "DEFAULT_WINDOW_SECONDS",
    "EMPTY_SEGMENT",
    "EventLog",
    "Exclusion",
    "FunnelResult",
    "parse_window",
    "compute_funnel",
    "conversion_times",
    "time_to_convert",
    "conversion_by_week",
    "dropped_off",
    "event_counts",
    "suggest_steps",
    "first_events",
    "check_definition",
    "funnel_warnings",
]

MODES = ("ordered", "strict", "any")
DEFAULT_WINDOW_SECONDS = 14 * 86400
#: The segment of people whose breakdown property is empty or missing.
EMPTY_SEGMENT = "(empty)"

_UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "seconds": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "minutes": 60,
    "h": 3600,
    "hour": 3600,
    "hours": 3600,
    "d": 86400,
    "day": 86400,
    "days": 86400,
    "w": 7 * 86400,
    "week": 7 * 86400,
    "weeks": 7 * 86400,
    "mo": 30 * 86400,
    "month": 30 * 86400,
    "months": 30 * 86400,
}
_OTHER = 255  # tie rank of events that are no funnel step (sorted last within a timestamp)
#: times a log may hold (the sort key, time in µs × 256, must fit 64 bits): label and µs since 1970
_TIME_RANGE = (("1900-01-01", -2208988800 * 1_000_000), ("2200-01-01", 7258118400 * 1_000_000))
_US = 1_000_000


def parse_window(window: str | int | float | None) -> int:
    """The conversion window in whole seconds.

    Accepts seconds as a number or text such as ``"14d"``, ``"90 min"``, ``"1h"``, ``"2w"``,
    ``"1month"`` (a month is 30 days: the window is absolute time). ``None``, 0 or a negative value
    mean the default, 14 days, as in PostHog.

    >>> parse_window("1h"), parse_window("30min"), parse_window(None), parse_window(0)
    (3600, 1800, 1209600, 1209600)
    """
    if window is None:
        return DEFAULT_WINDOW_SECONDS
    if isinstance(window, (int, float)) and not isinstance(window, bool):
        return int(window) if window > 0 else DEFAULT_WINDOW_SECONDS
    m = re.fullmatch(r"\s*(-?\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*", str(window))
    if not m:
        raise FunnelParameterError(
            f"conversion window {window!r} is not a number with a unit (s, min, h, d, w, month)",
            code="window_format",
            params={"window": window},
        )
    value, unit = float(m.group(1)), (m.group(2).lower() or "s")
    if unit not in _UNITS:
        raise FunnelParameterError(
            f"conversion window {window!r}: unknown unit {unit!r} (use s, min, h, d, w, month)",
            code="window_unit",
            params={"window": window, "unit": unit},
        )
    seconds = int(round(value * _UNITS[unit]))
    return seconds if seconds > 0 else DEFAULT_WINDOW_SECONDS


def _arrow(values: np.ndarray) -> pa.Array:
    """A numpy array of numbers as an Arrow array on the same buffer: ``pa.array`` on a numpy
    array imports pandas (a quarter of a second of every command line run)."""
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), len(values), [None, pa.py_buffer(values)])


def _indices(values: np.ndarray) -> pa.Array:
    """Row numbers for ``Array.take`` (see :func:`_arrow`)."""
    return _arrow(np.asarray(values, dtype=np.int64))


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _lit(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class EventLog:
    """Where an event log is and which columns hold the person, the event and the time.

    ``source_sql`` is a DuckDB table expression (``read_csv(...)``, ``read_parquet(...)``) or, when
    ``frame`` is given, ignored in favour of that DataFrame. ``time_kind`` says how to read the time
    column: ``"timestamp"`` (already typed), ``"iso"``, ``"isotz"`` (ISO with an offset or ``Z``),
    ``"epoch_s"``, ``"epoch_ms"``, ``"epoch_us"`` or ``"strptime:<format>"``. ``first_data_line`` is
    the file line of the first data row, so errors can name lines. ``csv_dialect`` is
    ``(delimiter, header line, column names)`` of a UTF-8 CSV file read by ``source_sql``, when
    known: the first read may then parse the file itself (see ``cjm.funnel.table``).
    """

    user: str
    event: str
    time: str
    properties: tuple[str, ...] = ()
    source_sql: str = ""
    frame: pd.DataFrame | None = field(default=None, compare=False, repr=False)
    time_kind: str = "iso"
    name: str = "event log"
    first_data_line: int = 2
    diagnose_sql: str = ""  # the same source read as text, to find the line of a bad value
    csv_dialect: tuple[str, int, tuple[str, ...]] | None = None

    def relation(self) -> str:
        return "__cjm_events" if self.frame is not None else self.source_sql

    def source_path(self) -> Path | None:
        """The file DuckDB reads (``read_csv('…')`` or ``read_parquet('…')``), when there is one."""
        if self.frame is not None:
            return None
        m = re.match(r"\s*read_(?:csv|csv_auto|parquet)\(\s*'((?:[^']|'')*)'", self.source_sql)
        if not m:
            return None
        path = Path(m.group(1).replace("''", "'"))
        return path if path.is_file() else None

    def time_sql(self, *, try_: bool = False) -> str:
        col = _ident(self.time)
        cast = "TRY_CAST" if try_ else "CAST"
        kind = self.time_kind
        if kind in ("timestamp", "iso"):
            return f"epoch_us({cast}({col} AS TIMESTAMP))"
        if kind == "isotz":
            return f"epoch_us({cast}({col} AS TIMESTAMPTZ))"
        if kind == "epoch_s":
            return f"CAST(round({cast}({col} AS DOUBLE) * 1000000) AS BIGINT)"
        if kind == "epoch_ms":
            return f"CAST(round({cast}({col} AS DOUBLE) * 1000) AS BIGINT)"
        if kind == "epoch_us":  # GA4's BigQuery export: event_timestamp in microseconds
            return f"{cast}({col} AS BIGINT)"
        if kind.startswith("strptime:"):
            fn = "try_strptime" if try_ else "strptime"
            return f"epoch_us({fn}(CAST({col} AS VARCHAR), {_lit(kind[9:])}))"
        raise FunnelParameterError(f"unknown time format {kind!r}", code="time_format", params={"kind": kind})


@dataclass(frozen=True)
class Exclusion:
    """An event that discards an attempt when it happens after step ``after`` and before step
    ``before`` of that attempt (1-based step numbers, ``after < before``). ``None`` means the first
    and the last step."""

    event: str
    after: int | None = None
    before: int | None = None


@dataclass(frozen=True)
class FunnelResult:
    """The outcome of an event-log funnel.

    ``counts[k-1]`` is the number of people whose furthest step is ``>= k``; ``segments`` maps each
    breakdown value to its counts (largest first; empty when there is no breakdown). ``people`` is a
    DataFrame where each row is a person in the funnel: ``user_id``, ``furthest_step`` (1..n),
    ``segment`` (or ``None``), ``step_1_at`` … ``step_n_at`` (UTC timestamps of the counted attempt,
    NaT where not reached).
    """

    steps: tuple[str, ...]
    mode: str
    window_seconds: int
    by: str | None
    counts: tuple[int, ...]
    segments: dict[str, tuple[int, ...]]
    _people: Any = field(compare=False, repr=False)  # the table, or a function that makes it
    events_read: int = 0
    warnings: tuple[str, ...] = ()

    @property
    def people(self) -> pd.DataFrame:
        made = self._people
        if callable(made):
            made = made()
            object.__setattr__(self, "_people", made)  # made once, then kept
        return made


def _check_steps(steps: Sequence[str]) -> tuple[str, ...]:
    clean = tuple(str(s).strip() for s in steps)
    if len(clean) < 1 or any(not s for s in clean):
        raise FunnelParameterError("a funnel needs at least one step, and no step name may be empty", code="no_steps")
    return clean


def _normalise_exclusions(exclusions: Sequence[Exclusion | str], n: int) -> list[tuple[str, int, int]]:
    out = []
    for ex in exclusions:
        if isinstance(ex, str):
            ex = Exclusion(ex)
        after = 1 if ex.after is None else int(ex.after)
        before = n if ex.before is None else int(ex.before)
        if not (1 <= after < before <= n):
            raise FunnelParameterError(
                f"exclusion {ex.event!r}: it must sit between two steps 1 ≤ after < before ≤ {n}, "
                f"got after={after}, before={before}",
                code="exclusion_range",
                params={"event": ex.event, "n": n, "after": after, "before": before},
            )
        out.append((ex.event, after - 1, before - 1))
    return out


# --------------------------------------------------------------------------------------------
# Reading: DuckDB filters, encodes and sorts
# --------------------------------------------------------------------------------------------


def _diagnose(log: EventLog, exc: Exception) -> Exception:
    """Turn a failed conversion into an error naming the first bad line and column."""
    m = re.search(r"CSV Error on Line: (\d+)", str(exc))
    if m and "Invalid unicode" in str(exc):  # bytes past the part of the file detection looked at
        return FunnelEncodingError(
            "the file is not all UTF-8; save it as UTF-8",
            line=int(m.group(1)),
            source=log.name,
            code="not_all_utf8",
        )
    checks = [
        (log.time, f"{log.time_sql(try_=True)} IS NULL AND {_ident(log.time)} IS NOT NULL", "is not a timestamp"),
        (log.user, f"{_ident(log.user)} IS NULL OR trim(CAST({_ident(log.user)} AS VARCHAR)) = ''", "has no person id"),
        (
            log.event,
            f"{_ident(log.event)} IS NULL OR trim(CAST({_ident(log.event)} AS VARCHAR)) = ''",
            "has no event name",
        ),
        (log.time, f"{_ident(log.time)} IS NULL", "has no time"),
    ]
    import duckdb

    # a time far from now (0001-01-01, 9999-12-31) overflows the sort key: name its line
    low, high = _TIME_RANGE
    out_of_range = f"({log.time_sql(try_=True)}) NOT BETWEEN {low[1]} AND {high[1]}"
    # a database of its own: line numbers need the file's order, which the shared one does not keep
    own = duckdb.connect(config={"preserve_insertion_order": True})
    try:
        own.execute("SET TimeZone='UTC'")
        own.execute("SET enable_progress_bar=false")
        if log.frame is not None:
            own.register("__cjm_events", log.frame)
        row = None
        with contextlib.suppress(duckdb.Error):  # not this: the other checks say what it is
            row = own.sql(
                f"SELECT rn, v FROM (SELECT row_number() OVER () AS rn, CAST({_ident(log.time)} AS VARCHAR) AS v, "
                f"* FROM {log.diagnose_sql or log.relation()}) WHERE {out_of_range} LIMIT 1"
            ).fetchall()
        if row:
            return FunnelValueError(
                f"the time {row[0][1]!r} is outside the times this reader counts ({low[0]} … {high[0]})",
                line=int(row[0][0]) + log.first_data_line - 1,
                column=log.time,
                source=log.name,
                code="time_out_of_range",
                params={"value": row[0][1], "low": low[0], "high": high[0]},
            )
        for column, cond, what in checks:
            try:
                row = own.sql(
                    f"SELECT rn, v FROM (SELECT row_number() OVER () AS rn, CAST({_ident(column)} AS VARCHAR) AS v, "
                    f"* FROM {log.diagnose_sql or log.relation()}) WHERE {cond} LIMIT 1"
                ).fetchall()
                row = row[0] if row else None
            except duckdb.Error:
                continue
            if row is not None:
                value = "" if row[1] is None else f" ({row[1]!r})"
                return FunnelValueError(
                    f"the value{value} {what}",
                    line=int(row[0]) + log.first_data_line - 1,
                    column=column,
                    source=log.name,
                    code="value_" + what.replace(" ", "_"),
                    params={"value": value},
                )
    finally:
        own.close()
    message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    m = re.search(r"line:? (\d+)", str(exc), re.I)
    return FunnelValueError(
        f"the event log cannot be read: {message}",
        line=int(m.group(1)) if m else None,
        source=log.name,
        code="log_unreadable",
        params={"detail": message},
    )


@dataclass
class _Rows:
    user: pa.Array  # person id of each person (pid indexes it, through ``person`` when given)
    pid: np.ndarray  # person index of each row; rows are grouped by person, sorted by time, tie rank
    t: np.ndarray  # int64 microseconds since the epoch
    c: np.ndarray  # code: 1 + index of the first step with that name; exclusions next; 255 other
    prop: np.ndarray | None  # breakdown segment of each row (an index into ``labels``)
    n_read: int
    #: ``t`` still holds the sort keys (time * 256 + code), not yet in order within each person,
    #: and ``c`` is None: :func:`_keys_in_order` finishes them
    keyed: bool = False
    labels: tuple[str, ...] = ()  # the breakdown segments ("(empty)" for no value)
    #: the index into ``user`` of each person (``pid``): the ids are taken only when asked for
    person: np.ndarray | None = None


def _rows_for(table, log: EventLog, names: list[str], *, all_events: bool, by: str | None) -> _Rows:
    """The rows a funnel needs from the log's table: each row's sort key ``time * 256 + code``
    packs the tie rule (same time: first funnel step first, other events last) into one integer;
    only the funnel's events unless ``all_events`` (strict mode). People are numbered again from 0
    (a part of the rows counts its people on from its first one)."""
    index = {name: i for i, name in enumerate(table.events)}
    lut = np.full(max(len(table.events), 1), _OTHER if all_events else 0, dtype=np.uint8)
    for i, name in enumerate(names):
        j = index.get(name)
        if j is not None:
            lut[j] = i + 1
    code = lut[table.e]  # (np.take would first copy the codes into 64-bit indices)
    idx_type = _row_type(len(code))
    if all_events:
        wanted = None
        k = table.t << 8  # a fresh array: the table's times stay as they are
        user, pid, person = table.users, table.pid, None  # everyone is in: the numbers stay
    else:
        # people and their rows from the row counts, not from a person number per row (on 100M
        # events that array alone is 0.4 GB)
        starts = np.cumsum(table.lens) - table.lens
        wanted = code != 0
        # (summing the booleans as bytes into 32-bit counts: a third quicker than into 64 bits)
        counts = np.add.reduceat(wanted.view(np.uint8), starts, dtype=idx_type) if len(code) else np.zeros(0, idx_type)
        person = np.flatnonzero(counts)
        user = table.users
        pid = np.repeat(np.arange(len(person), dtype=idx_type), counts[person])
        person += getattr(table, "first_person", 0)  # a part of the table: its first person's index
        del starts, counts
        # (compressed by the mask rather than through row numbers: no array of 8 bytes a row to fill)
        k = np.compress(wanted, table.t)
        k <<= 8
        code = np.compress(wanted, code)
    k |= code
    del code
    prop, labels = None, ()
    if by is not None:
        codes, labels = _breakdown(table, log, by)
        # its own copy: sorted in place later
        prop = (codes if wanted is None else np.compress(wanted, codes)).astype(np.int32)
    return _Rows(user, pid, k, None, prop, len(k), keyed=True, labels=labels, person=person)


def _breakdown(table, log: EventLog, by: str) -> tuple[np.ndarray, tuple[str, ...]]:
    """The breakdown value of each row of the table, as an index into the values (blank and
    missing values are one value, ``EMPTY_SEGMENT``)."""
    if by in table.properties:
        return table.prop(by)
    if by == log.event:
        codes, values = table.e, list(table.events)
    elif by == log.user:
        codes, values = table.pid, table.users.to_pylist()
    else:  # the time itself, as UTC text
        uniq, codes = np.unique(table.t, return_inverse=True)
        values = [str(v).replace("T", " ") for v in uniq.view("datetime64[us]")]
    labels: dict[str, int] = {}
    remap = np.array(
        [labels.setdefault(EMPTY_SEGMENT if v is None or not str(v).strip() else str(v), len(labels)) for v in values]
        or [0],
        dtype=np.int32,
    )
    return remap[codes], tuple(labels)


def _finished(rows: _Rows) -> _Rows:
    """``rows`` with times and codes, each person's rows in key order."""
    if not rows.keyed:
        return rows
    t, c, prop = _keys_in_order(rows.t, rows.pid, rows.prop)
    return _Rows(rows.user, rows.pid, t, c, prop, rows.n_read, labels=rows.labels, person=rows.person)


def _keys_in_order(k: np.ndarray, pid: np.ndarray, prop: np.ndarray | None = None):
    """Sort the rows of each person whose rows are not in key order (``k`` and ``prop`` in place),
    then split the keys into times and codes. Returns ``(t, c, prop)``; ``t`` is ``k``, shifted in
    place (fresh memory is slow to touch on some VMs)."""
    if len(k) > 1:
        unsorted = (k[1:] < k[:-1]) & (pid[1:] == pid[:-1])
        if unsorted.any():
            flag = np.zeros(int(pid[-1]) + 1, dtype=bool)
            flag[pid[1:][unsorted]] = True
            idx = np.flatnonzero(flag[pid])
            order = idx[np.lexsort((k[idx], pid[idx]))]
            k[idx] = k[order]
            if prop is not None:
                prop[idx] = prop[order]
    c = (k & 255).astype(np.uint8)
    np.right_shift(k, 8, out=k)
    return k, c, prop


#: a part of the log counted by one thread has at least this many rows
_MIN_PART_ROWS = 500_000
#: ... and about this many at most (a big log: more parts than threads). Each thread counts its
#: parts one after the other, and the arrays of a part take the memory the last part let go
#: (fresh memory is slow to touch: the first funnel on 10M events in two parts of 5M rows had
#: 46,000 page faults while counting, in parts of 512K rows 17,000, and took 7 % less time)
_MAX_PART_ROWS = 1 << 19


def _threads() -> int:
    return max(1, min(os.cpu_count() or 1, 8))


@dataclass
class _TablePart:
    """Some consecutive people of a table and their rows (views): what :func:`_rows_for` reads."""

    table: Any
    first_person: int
    last_person: int  # one past
    first_row: int
    last_row: int

    @property
    def users(self) -> pa.Array:
        return self.table.users  # person numbers stay the table's

    @property
    def events(self) -> tuple:
        return self.table.events

    @property
    def properties(self) -> tuple:
        return self.table.properties

    @property
    def lens(self) -> np.ndarray:
        return self.table.lens[self.first_person : self.last_person]

    @property
    def t(self) -> np.ndarray:
        return self.table.t[self.first_row : self.last_row]

    @property
    def e(self) -> np.ndarray:
        return self.table.e[self.first_row : self.last_row]

    @property
    def pid(self) -> np.ndarray:
        return self.table.pid[self.first_row : self.last_row]

    def prop(self, name: str):
        codes, labels = self.table.prop(name)
        return codes[self.first_row : self.last_row], labels


def _table_parts(table) -> list:
    """The table's people cut into parts of about as many rows: one per core (fewer for a small
    log), more for a big one (at most :data:`_MAX_PART_ROWS` rows each)."""
    N = int(table.n_rows)
    count = min(_threads(), N // _MIN_PART_ROWS) if _MIN_PART_ROWS else min(_threads(), N)
    if count > 1 and _MAX_PART_ROWS:
        count = max(count, -(-N // _MAX_PART_ROWS))
    if count <= 1:
        return [table]
    ends = np.cumsum(table.lens)
    cuts = [0]
    for i in range(1, count):
        at = int(np.searchsorted(ends, N * i // count, side="left")) + 1
        if cuts[-1] < at < len(ends):
            cuts.append(at)
    cuts.append(len(ends))
    parts = []
    for lo, hi in zip(cuts[:-1], cuts[1:], strict=True):
        parts.append(_TablePart(table, lo, hi, int(ends[lo - 1]) if lo else 0, int(ends[hi - 1])))
    return parts


# --------------------------------------------------------------------------------------------
# Per-attempt passes
# --------------------------------------------------------------------------------------------


def _row_type(rows: int) -> type:
    """The integer type of row numbers among ``rows`` rows (an attempt's chain of rows: half the
    memory in 32 bits)."""
    return np.int32 if rows < 2**31 else np.int64


def _positions(c: np.ndarray, code: int) -> np.ndarray:
    return np.flatnonzero(c == code)


def _attempt_starts(rows: _Rows, step_codes: np.ndarray, *, prune: bool = True) -> np.ndarray:
    """Rows that start an attempt worth following. Of a run of back-to-back step-1 events of one
    person only the last matters: it has the same chain and a later start, so it reaches at least
    as far (not so when step 1's event is also a later step, as in [A, A]). Not so either with
    exclusions (``prune=False``): an earlier attempt can survive an exclusion that discards the
    later one (its window ends before the exclusion event)."""
    c, pid = rows.c, rows.pid
    code = int(step_codes[0])
    a0 = _positions(c, code)
    if not prune or (step_codes == code).sum() > 1 or not len(a0):
        return a0
    # a0[i] is followed when the next row is a step-1 event too (a0[i + 1] == a0[i] + 1) of the same person
    followed = np.flatnonzero(a0[1:] - a0[:-1] == 1)
    if not len(followed):
        return a0
    at = a0[followed]
    followed = followed[pid[at + 1] == pid[at]]
    keep = np.ones(len(a0), dtype=bool)
    keep[followed] = False
    return a0[keep]


def _ordered_attempts(rows: _Rows, step_codes: np.ndarray, window_us: int, *, prune: bool = True):
    """Greedy earliest chain for every attempt: one event fills one step, step k+1 is the first
    event of that step after the step-k event, within the window from step 1. This is what the
    latest-start state machine of PostHog's UDF reaches for each start."""
    pid, t, c = rows.pid, rows.t, rows.c
    n = len(step_codes)
    pos_cache: dict[int, np.ndarray] = {}

    def pos(code: int) -> np.ndarray:
        if code not in pos_cache:
            pos_cache[code] = _positions(c, code)
        return pos_cache[code]

    a0 = _attempt_starts(rows, step_codes, prune=prune)
    N = len(c)
    chain = np.full((n, len(a0)), -1, dtype=_row_type(N))
    chain[0] = a0
    prog = np.ones(len(a0), dtype=np.int8)
    if not len(a0):
        return a0, chain, prog, pos
    # each attempt's bounds, once: the row after its person's last row, and the end of its window
    first = np.flatnonzero(np.r_[True, pid[1:] != pid[:-1]])
    end = np.r_[first[1:], N][pid[a0] - pid[0]]  # pid counts on from the part's first person
    deadline = t[a0] + window_us
    live = np.arange(len(a0))
    cur = a0
    for k in range(1, n):
        P = pos(int(step_codes[k]))
        if not len(P) or not len(live):
            break
        j = np.searchsorted(P, cur, side="right")
        cand = np.r_[P, N][j]  # N: no such event after
        ok = cand < end
        ok &= t[np.minimum(cand, N - 1)] <= deadline
        live, cur = live[ok], cand[ok]
        end, deadline = end[ok], deadline[ok]
        chain[k, live] = cur
        prog[live] += 1
    return a0, chain, prog, pos


def _strict_attempts(rows: _Rows, step_codes: np.ndarray, window_us: int, *, prune: bool = True):
    """As ordered, but the chain must run through consecutive events of the person; repeats of
    the current step's event are allowed (PostHog clears only steps the event does not match)."""
    pid, t, c = rows.pid, rows.t, rows.c
    n, N = len(step_codes), len(c)
    a0 = _attempt_starts(rows, step_codes, prune=prune)
    chain = np.full((n, len(a0)), -1, dtype=_row_type(N))
    chain[0] = a0
    prog = np.ones(len(a0), dtype=np.int8)
    if N:
        change = np.empty(N, dtype=bool)
        change[-1] = True
        change[:-1] = (c[1:] != c[:-1]) | (pid[1:] != pid[:-1])
        ends = np.flatnonzero(change)
    cur = a0.copy()
    live = np.arange(len(a0))
    for _ in range(2 * n + 2):
        if not len(live):
            break
        nxt = cur[live] + 1
        valid = nxt < N
        nxt = np.minimum(nxt, N - 1)
        start = a0[live]
        valid &= pid[nxt] == pid[start]
        cn = c[nxt]
        k = prog[live].astype(np.int64)  # index of the next step to fill
        can_advance = k < n
        want = step_codes[np.minimum(k, n - 1)]
        adv = valid & can_advance & (cn == want) & (t[nxt] - t[start] <= window_us)
        stay = valid & ~adv & (cn == step_codes[k - 1])
        ai = live[adv]
        chain[k[adv], ai] = nxt[adv]
        prog[ai] += 1
        cur[ai] = nxt[adv]
        si = live[stay]
        # jump over the whole run of identical events: all of them are repeats of this step
        cur[si] = ends[np.searchsorted(ends, nxt[stay])]
        keep = (adv & (prog[live] < n)) | stay
        live = live[keep]
    pos_cache: dict[int, np.ndarray] = {}

    def pos(code: int) -> np.ndarray:
        if code not in pos_cache:
            pos_cache[code] = _positions(c, code)
        return pos_cache[code]

    return a0, chain, prog, pos


def _apply_exclusions(rows: _Rows, a0, chain, prog, pos, exclusions, codes_by_name, window_us):
    """Discard attempts with an exclusion event after step ``after`` and before step ``before``."""
    pid, t = rows.pid, rows.t
    for name, after, before in exclusions:
        E = pos(codes_by_name[name])
        if not len(E) or not len(a0):
            continue
        applies = prog >= after + 1
        start_pos = np.where(applies, chain[after], a0)
        j = np.searchsorted(E, start_pos, side="right")
        has = j < len(E)
        cand = E[np.minimum(j, len(E) - 1)]
        same = pid[cand] == pid[a0]
        reached = prog >= before + 1
        before_pos = np.where(reached, chain[before], 0)
        inside = np.where(reached, cand < before_pos, t[cand] - t[a0] <= window_us)
        prog[applies & has & same & inside] = 0
    return prog


def _pick_attempts(att_pid: np.ndarray, prog: np.ndarray):
    """For each person: the furthest step any attempt reaches, and the latest attempt reaching it."""
    if not len(att_pid):
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.flatnonzero(np.r_[True, att_pid[1:] != att_pid[:-1]])
    best = np.maximum.reduceat(prog.astype(np.int64), starts)
    counts = np.diff(np.r_[starts, len(att_pid)])
    is_best = prog == np.repeat(best, counts)
    idx = np.flatnonzero(is_best)
    g = att_pid[idx]
    last = idx[np.r_[g[1:] != g[:-1], True]]  # one per person: every person has a best attempt
    keep = best > 0
    return best[keep], last[keep]


def _first_at_or_after(t: np.ndarray, lo: np.ndarray, hi: np.ndarray, target: np.ndarray) -> np.ndarray:
    """For each person, the first row in ``[lo, hi]`` with ``t >= target`` (``t[hi] >= target``):
    a binary search run for all people at once, log2(longest person) rounds of P-sized steps."""
    lo, hi = lo.copy(), hi.copy()
    while True:
        active = lo < hi
        if not active.any():
            return lo
        mid = (lo + hi) // 2
        right = t[mid] < target
        lo = np.where(active & right, mid + 1, lo)
        hi = np.where(active & ~right, mid, hi)


def _any_order_distinct(rows: _Rows, step_codes: np.ndarray, window_us: int):
    """Any order when no step name repeats (the usual case), with the same answer as
    :func:`_any_order` and far less work: only the first event of a run of identical events can end
    a best window (a later one keeps the same names in a shorter reach), and a name is in the window
    ending at row i when its last event at or before i is at most W older."""
    pid, t, c = rows.pid, rows.t, rows.c
    N, n = len(c), len(step_codes)
    if not N:
        return (np.zeros(0, np.int64),) * 3 + (np.full((n, 0), -1, np.int64),)
    starts = np.flatnonzero(np.r_[True, pid[1:] != pid[:-1]])
    cand = np.flatnonzero(np.r_[True, (c[1:] != c[:-1]) | (pid[1:] != pid[:-1])])
    cand_pid = pid[cand]
    pstart = starts[cand_pid - pid[0]]  # pid counts on from the part's first person
    reach = t[cand] - window_us
    # one buffer for every name's running "last row of this name" (fresh memory is slow to touch)
    row1 = np.arange(1, N + 1, dtype=np.int64)
    last = np.empty(N, dtype=np.int64)
    is_code = np.empty(N, dtype=bool)
    total = np.zeros(len(cand), dtype=np.int64)
    for code in step_codes.tolist():
        np.equal(c, code, out=is_code)
        np.multiply(is_code, row1, out=last)  # row + 1 where the name is, 0 elsewhere
        np.maximum.accumulate(last, out=last)
        lc = last[cand] - 1  # the name's last row at or before each candidate, -1 if none
        total += (lc >= pstart) & (t[np.maximum(lc, 0)] >= reach)
    del row1, last, is_code
    cstarts = np.flatnonzero(np.r_[True, cand_pid[1:] != cand_pid[:-1]])
    best = np.maximum.reduceat(total, cstarts)
    is_best = total == np.repeat(best, np.diff(np.r_[cstarts, len(cand)]))
    idx = np.flatnonzero(is_best)
    g = cand_pid[idx]
    hi = cand[idx[np.r_[g[1:] != g[:-1], True]]]  # latest best window end of each person
    lo_p = _first_at_or_after(t, starts, hi, t[hi] - window_us)
    comp = np.full((n, len(hi)), N, dtype=np.int64)
    for j, code in enumerate(step_codes.tolist()):
        at = _positions(c, code)
        i = np.searchsorted(at, lo_p)  # first event of this name at or after the window's start
        f = np.where(i < len(at), at[np.minimum(i, len(at) - 1)], N) if len(at) else np.full(len(lo_p), N)
        comp[j] = np.where(f <= hi, f, N)
    comp.sort(axis=0)
    comp[comp >= N] = -1  # in place: the k-th completed step of each person, -1 if none
    return best, lo_p, hi, comp


def _any_order(rows: _Rows, step_codes: np.ndarray, window_us: int):
    """Any order: for each person, the window [t - W, t] (t an event time) holding the most distinct
    steps, a name listed m times needing m events. Returns per person: furthest, the window's first
    and last row, and the completion rows (k-th step completed at which row)."""
    pid, t, c = rows.pid, rows.t, rows.c
    N, n = len(c), len(step_codes)
    if not N:
        return (np.zeros(0, np.int64),) * 3 + (np.full((n, 0), -1, np.int64),)
    # lay people end to end with gaps wider than the window so one searchsorted finds window starts
    starts = np.flatnonzero(np.r_[True, pid[1:] != pid[:-1]])
    t_first = np.repeat(t[starts], np.diff(np.r_[starts, N]))
    spans = np.maximum.reduceat(t, starts) - t[starts]
    offset = np.r_[0, np.cumsum(spans + window_us + 1)[:-1]]
    if float(offset[-1]) + float(spans[-1]) > 2**62:  # µs would overflow: fall back to ms resolution
        raise FunnelParameterError("the event log spans too long a time for an any-order funnel", code="span_too_long")
    key = (t - t_first) + np.repeat(offset, np.diff(np.r_[starts, N]))
    lo = np.searchsorted(key, key - window_us, side="left")
    names, mult = np.unique(step_codes, return_counts=True)
    cums = {}
    total = np.zeros(N, dtype=np.int64)
    for code, m in zip(names.tolist(), mult.tolist(), strict=False):
        cum = np.cumsum(c == code, dtype=np.int64)
        cums[code] = (cum, m)
        before = np.where(lo > 0, cum[np.maximum(lo - 1, 0)], 0)
        total += np.minimum(cum - before, m)
    best = np.maximum.reduceat(total, starts)
    counts = np.diff(np.r_[starts, N])
    is_best = total == np.repeat(best, counts)
    idx = np.flatnonzero(is_best)
    g = pid[idx]
    hi = idx[np.r_[g[1:] != g[:-1], True]]  # latest window end reaching the best count
    lo_p = lo[hi]
    # completion rows inside each best window: an event completes a step when its name's running
    # count in the window is still within that name's multiplicity
    lens = hi - lo_p + 1
    rows_in = np.repeat(lo_p - np.r_[0, np.cumsum(lens)[:-1]], lens) + np.arange(lens.sum())
    owner = np.repeat(np.arange(len(hi)), lens)
    completes = np.zeros(len(rows_in), dtype=bool)
    for code, (cum, m) in cums.items():
        before = np.where(lo_p > 0, cum[np.maximum(lo_p - 1, 0)], 0)[owner]
        run = cum[rows_in] - before
        completes |= (c[rows_in] == code) & (run <= m)
    comp_rows = rows_in[completes]
    comp_owner = owner[completes]
    first_of_owner = np.searchsorted(comp_owner, np.arange(len(hi)))
    rank = np.arange(len(comp_rows)) - first_of_owner[comp_owner]
    chain = np.full((n, len(hi)), -1, dtype=np.int64)
    chain[rank, comp_owner] = comp_rows
    return best, lo_p, hi, chain


# --------------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------------


def compute_funnel(
    log: EventLog,
    steps: Sequence[str],
    *,
    mode: str = "ordered",
    window: str | int | float | None = None,
    by: str | None = None,
    exclusions: Sequence[Exclusion | str] = (),
    progress: Callable[[float, str], None] | None = None,
) -> FunnelResult:
    """Count people through ``steps`` of an event log (see ``docs/funnel.md``).

    ``mode`` is ``"ordered"`` (default), ``"strict"`` or ``"any"``; ``window`` is the conversion
    window (default 14 days, see :func:`parse_window`); ``by`` a property column to break down by
    (first touch of the counted attempt); ``exclusions`` events that discard an attempt.
    ``progress(fraction, phase)`` is called only while the log is read for the first time (see
    ``cjm.funnel.table``; later funnels on it read no file and call nothing). The stored table's
    property column for a breakdown is loaded when first asked.
    """
    steps, window_s, excl = check_definition(
        steps, mode, window, exclusions, by, (*log.properties, log.user, log.event, log.time)
    )
    window_us = window_s * _US
    n = len(steps)
    names = list(dict.fromkeys(steps))
    ex_names = [e[0] for e in excl if e[0] not in names]
    all_names = names + list(dict.fromkeys(ex_names))
    codes_by_name = {name: i + 1 for i, name in enumerate(all_names)}
    step_codes = np.array([codes_by_name[s] for s in steps], dtype=np.uint8)

    from cjm.funnel import table as tables

    table = _table_for(log, progress)

    def count(piece) -> tuple:
        """The funnel of a part of the table's people: each thread takes its people's rows out of
        the table and follows their attempts."""
        part = _finished(_rows_for(piece, log, all_names, all_events=(mode == "strict"), by=by))
        if mode == "any":
            distinct = len(set(step_codes.tolist())) == len(step_codes)
            furthest, lo_p, _hi, chain = (_any_order_distinct if distinct else _any_order)(part, step_codes, window_us)
            first_row = lo_p
            started = len(furthest)
        else:
            attempts = _strict_attempts if mode == "strict" else _ordered_attempts
            a0, chain_all, prog, pos = attempts(part, step_codes, window_us, prune=not excl)
            started = len(a0)
            if excl:
                prog = _apply_exclusions(part, a0, chain_all, prog, pos, excl, codes_by_name, window_us)
            furthest, pick = _pick_attempts(part.pid[a0], prog)
            chain = [chain_all[k][pick] for k in range(n)]
            del chain_all
            first_row = a0[pick]
        person = part.pid[first_row]  # the counted people, as indices into the table's ids
        if part.person is not None:
            person = part.person[person]
        seg = part.prop[first_row] if by is not None else None
        # the rows of each step of the counted attempts and the part's times: the times of the steps
        # are taken when the people are first asked for (the command line never asks)
        return furthest.astype(np.int64), person, (chain, part.t), started, seg, part.labels, part.n_read, part.user

    def run(table) -> list[tuple]:
        # numpy lets go of the GIL: one thread per part keeps every core busy, as DuckDB does (a
        # breakdown by the time itself numbers its values per part: counted in one part)
        pieces = _table_parts(table) if by is None or by != log.time else [table]
        if len(pieces) == 1:
            return [count(pieces[0])]
        with ThreadPoolExecutor(min(len(pieces), _threads()), thread_name_prefix="cjm-funnel") as pool:
            return list(pool.map(count, pieces))

    try:
        done = run(table)
    except tables._Corrupt:  # a stored property column went missing or is damaged: read the log again
        done = run(tables.reload(log))
    furthest = np.concatenate([d[0] for d in done]) if len(done) > 1 else done[0][0]
    started = sum(d[3] for d in done)  # attempts begun (before exclusions)
    n_read = sum(d[6] for d in done)

    counts = tuple(int((furthest >= k).sum()) for k in range(1, n + 1))
    segments: dict[str, tuple[int, ...]] = {}
    labels = seg = None
    if by is not None:
        labels = np.asarray(done[0][5], dtype=object)
        seg = np.concatenate([d[4] for d in done]) if len(furthest) else np.zeros(0, np.int32)
        # people per segment and furthest step, then "reached step k" = furthest >= k
        grid = np.bincount(seg * (n + 1) + furthest, minlength=len(labels) * (n + 1)).reshape(len(labels), n + 1)
        reached = grid[:, ::-1].cumsum(axis=1)[:, ::-1][:, 1:]
        for i in sorted(np.flatnonzero(reached[:, 0]).tolist(), key=lambda i: (-int(reached[i, 0]), labels[i])):
            segments[labels[i]] = tuple(int(x) for x in reached[i])
    parts = [(d[1], d[2], d[7]) for d in done]  # each part's people, (chain, times) and ids
    del done, table

    def people():  # built when first asked for (the command line never asks)
        person = np.concatenate([p for p, _, _ in parts])
        users = parts[0][2]
        if any(u is not users for _, _, u in parts):  # parts with ids of their own
            users = pa.concat_arrays([u.take(_indices(p)) for p, _, u in parts])
            person = np.arange(len(person))
        frame = pd.DataFrame(
            {
                "user_id": users.take(pa.array(person)).to_pandas() if len(person) else pd.Series([], dtype=object),
                "furthest_step": furthest,
            }
        )
        if labels is not None:
            frame["segment"] = pd.Series(labels[seg] if len(labels) else [], dtype="str")
        else:
            frame["segment"] = None
        utc = pd.DatetimeTZDtype(unit="us", tz="UTC")
        for k in range(n):
            # the time of step k of each counted attempt; int64's minimum is NaT in datetime64 (no
            # float round trip for people who did not get there)
            at = np.concatenate(
                [
                    np.where(chain[k] >= 0, t[np.maximum(chain[k], 0)], np.iinfo(np.int64).min)
                    for _, (chain, t), _ in parts
                ]
            )
            frame[f"step_{k + 1}_at"] = pd.Series(at.view("datetime64[us]"), dtype=utc)  # read as UTC directly
        return frame

    warnings = funnel_warnings(steps, counts, mode, excl, started)
    return FunnelResult(steps, mode, window_s, by, counts, segments, people, n_read, warnings)


def check_definition(
    steps: Sequence[str],
    mode: str,
    window: str | int | float | None,
    exclusions: Sequence[Exclusion | str],
    by: str | None,
    columns: Sequence[str],
) -> tuple[tuple[str, ...], int, list[tuple[str, int, int]]]:
    """The one check of a funnel's definition, for a log and for a database: the steps (stripped),
    the window in seconds and the exclusions as ``(event, after, before)`` (0-based steps). Raises
    :class:`FunnelParameterError` naming what is wrong (``by`` must be one of ``columns``)."""
    steps = _check_steps(steps)
    if mode not in MODES:
        raise FunnelParameterError(
            f"unknown funnel mode {mode!r}: use one of {', '.join(MODES)}",
            code="unknown_mode",
            params={"mode": mode, "modes": ", ".join(MODES)},
        )
    if len(steps) > 60:
        raise FunnelParameterError("a funnel has at most 60 steps", code="too_many_steps", params={"limit": 60})
    window_s = parse_window(window)
    excl = _normalise_exclusions(exclusions, len(steps))
    if excl and mode == "any":
        raise FunnelParameterError(
            "exclusion steps need an order: they are not available for any-order funnels", code="exclusion_any"
        )
    if by is not None and by not in columns:
        raise FunnelParameterError(
            f"breakdown column {by!r} is not in the event log", code="no_breakdown_column", params={"column": by}
        )
    return steps, window_s, excl


def funnel_warnings(steps, counts, mode: str, excl, started: bool) -> tuple[FunnelWarning, ...]:
    """What to say when nobody is in the funnel: nobody did any step (any order), every attempt was
    excluded (``started``: someone did step 1), or nobody did the first step."""
    if counts[0] != 0:
        return ()
    if mode == "any":
        return (FunnelWarning("nobody did any step", code="nobody_any"),)
    if excl and started:
        return (
            FunnelWarning(
                f"every attempt was excluded ({', '.join(repr(e[0]) for e in excl)})",
                code="all_excluded",
                params={"events": ", ".join(e[0] for e in excl)},
            ),
        )
    return (FunnelWarning(f"nobody did the first step {steps[0]!r}", code="nobody_first", params={"step": steps[0]}),)


def conversion_times(result: FunnelResult) -> pd.DataFrame:
    """Each row is one person's move into a step: ``user_id``, ``step_number`` (2..n), ``step``,
    ``seconds`` since the previous step of the counted attempt. Any-order funnels count steps in
    the order they were completed."""
    frames = []
    people = result.people
    for k in range(2, len(result.steps) + 1):
        reached = people["furthest_step"] >= k
        if not reached.any():
            continue
        sec = (people.loc[reached, f"step_{k}_at"] - people.loc[reached, f"step_{k - 1}_at"]).dt.total_seconds()
        frames.append(
            pd.DataFrame(
                {
                    "user_id": people.loc[reached, "user_id"].to_numpy(),
                    "step_number": k,
                    "step": result.steps[k - 1],
                    "seconds": sec.to_numpy(dtype=float),
                }
            )
        )
    if not frames:
        return pd.DataFrame({"user_id": [], "step_number": [], "step": [], "seconds": []})
    return pd.concat(frames, ignore_index=True)


def time_to_convert(result: FunnelResult) -> pd.DataFrame:
    """Each row is a step from 2 to n, then a ``total`` row (step 1 to the last): ``step_number``
    (``None`` for total), ``step``, ``people`` who made that move, ``median_seconds``,
    ``p90_seconds`` (``None`` when nobody did)."""
    times = conversion_times(result)
    out = []
    for k in range(2, len(result.steps) + 1):
        sec = times.loc[times["step_number"] == k, "seconds"]
        out.append(_time_row(k, result.steps[k - 1], sec))
    people = result.people
    done = people["furthest_step"] >= len(result.steps)
    n = len(result.steps)
    total = (people.loc[done, f"step_{n}_at"] - people.loc[done, "step_1_at"]).dt.total_seconds()
    out.append(_time_row(None, "total", total))
    table = pd.DataFrame(out, columns=["step_number", "step", "people", "median_seconds", "p90_seconds"])
    table["step_number"] = table["step_number"].astype("Int64")
    return table


def _time_row(k, step, sec: pd.Series) -> dict:
    if len(sec):
        med, p90 = (float(x) for x in np.quantile(sec.to_numpy(dtype=float), [0.5, 0.9]))
    else:
        med = p90 = None
    return {"step_number": k, "step": step, "people": int(len(sec)), "median_seconds": med, "p90_seconds": p90}


def conversion_by_week(result: FunnelResult) -> pd.DataFrame:
    """Each row is a week of entry (Monday, UTC): ``week``, ``entered`` (people whose counted attempt
    started that week), ``converted`` (of them, reached the last step), ``conversion`` (0..1)."""
    people = result.people
    if people.empty:
        return pd.DataFrame({"week": [], "entered": [], "converted": [], "conversion": []})
    start = people["step_1_at"].dt.tz_convert(None)
    week = (start - pd.to_timedelta(start.dt.day_of_week, unit="D")).dt.normalize()
    done = people["furthest_step"] >= len(result.steps)
    g = pd.DataFrame({"week": week, "done": done}).groupby("week", sort=True)["done"].agg(["size", "sum"])
    return pd.DataFrame(
        {
            "week": g.index.to_numpy(),
            "entered": g["size"].astype(int).to_numpy(),
            "converted": g["sum"].astype(int).to_numpy(),
            "conversion": (g["sum"] / g["size"]).astype(float).to_numpy(),
        }
    )


def dropped_off(result: FunnelResult, step_number: int) -> pd.DataFrame:
    """Each row is a person who reached step ``step_number - 1`` but not ``step_number``:
    ``user_id``, ``segment``, ``last_step`` (name), ``last_step_at``, ``entered_at``."""
    n = len(result.steps)
    if not 2 <= step_number <= n:
        raise FunnelParameterError(
            f"people drop off at steps 2 to {n}, not at step {step_number}",
            code="drop_off_step",
            params={"n": n, "step": step_number},
        )
    people = result.people
    mask = people["furthest_step"] == step_number - 1
    sel = people.loc[mask]
    return pd.DataFrame(
        {
            "user_id": sel["user_id"].to_numpy(),
            "segment": sel["segment"].to_numpy(),
            "last_step": result.steps[step_number - 2],
            "last_step_at": sel[f"step_{step_number - 1}_at"].to_numpy(),
            "entered_at": sel["step_1_at"].to_numpy(),
        }
    ).reset_index(drop=True)


def event_counts(log: EventLog, progress: Callable[[float, str], None] | None = None) -> pd.DataFrame:
    """Each row is an event name of the log: ``event``, ``events`` (rows), ``people`` (distinct
    person ids); most people first. Reads the log into its table if that is not done yet
    (``progress`` as for :func:`compute_funnel`)."""
    table = _table_for(log, progress)
    e, names = table.e, table.events
    events = np.bincount(e, minlength=len(names))
    people = np.zeros(len(names), dtype=np.int64)
    if len(e):
        # each person's events as bits, 64 names at a time: one pass over the rows per 64 names
        starts = np.cumsum(table.lens) - table.lens
        starts = starts[table.lens > 0]
        for base in range(0, len(names), 64):
            bits = np.left_shift(np.uint64(1), (e.astype(np.int64) - base).clip(0, 63).astype(np.uint64))
            if base or len(names) > 64:
                bits[(e < base) | (e >= base + 64)] = 0
            seen = np.bitwise_or.reduceat(bits, starts)
            for j in range(base, min(base + 64, len(names))):
                people[j] = np.count_nonzero(seen & np.uint64(1 << (j - base)))
    rows = [(name, int(events[i]), int(people[i])) for i, name in enumerate(names) if name is not None and events[i]]
    rows.sort(key=lambda r: (-r[2], r[0]))
    return pd.DataFrame(rows, columns=["event", "events", "people"])


def first_events(log: EventLog, progress: Callable[[float, str], None] | None = None) -> pd.DataFrame:
    """Each row is an event name that starts someone's history in the log: ``event``, ``people``
    (persons whose earliest event it is; of simultaneous first events, the first read); most
    people first. Runs on the log's table (``progress`` as for :func:`compute_funnel`)."""
    table = _table_for(log, progress)
    e, names = table.e, table.events
    named = np.asarray([n is not None for n in names], dtype=bool)
    if named.all():  # each person's first row (no person number per row needed)
        heads = np.cumsum(table.lens) - table.lens
    else:
        rows = np.flatnonzero(named[e]) if len(e) else np.zeros(0, np.int64)
        pid = table.pid[rows]
        heads = rows[np.r_[True, pid[1:] != pid[:-1]]] if len(rows) else rows  # each person's first named event
    people = np.bincount(e[heads], minlength=len(names))
    out = [(names[i], int(people[i])) for i in np.flatnonzero(people).tolist()]
    out.sort(key=lambda r: (-r[1], r[0]))
    return pd.DataFrame(out, columns=["event", "people"])


def _table_for(log: EventLog, progress: Callable[[float, str], None] | None = None):
    from cjm.funnel import table

    return table.table_for(log, progress)


# Common funnel event names (GA4, PostHog, shop logs), in funnel order.
_COMMON_STEPS = (
    ("view_product", "view_item", "product_viewed", "product_view"),
    ("add_to_cart", "added_to_cart", "add_to_basket"),
    ("checkout", "begin_checkout", "checkout_started"),
    ("payment", "add_payment_info", "payment_info"),
    ("order_confirmed", "purchase", "order_completed", "order_placed"),
)


def suggest_steps(events: Sequence[str], *, most: int = 5, first: str | None = None) -> list[str]:
    """A first guess at funnel steps from the event names of a log: the usual shop/GA4 steps when
    the log has at least two of them, in funnel order; else the ``most`` first names given (pass
    them most-frequent first). ``first`` (the event most people start with, see
    :func:`first_events`) becomes step 1 unless it is already a step: a funnel that skips where
    people come in overstates conversion.

    >>> suggest_steps(["page_view", "add_to_cart", "view_product", "purchase"])
    ['view_product', 'add_to_cart', 'purchase']
    >>> suggest_steps(["page_view", "add_to_cart", "view_product", "purchase"], first="page_view")
    ['page_view', 'view_product', 'add_to_cart', 'purchase']
    """
    have = set(events)
    known = [next(n for n in names if n in have) for names in _COMMON_STEPS if any(n in have for n in names)]
    steps = known if len(known) >= 2 else list(events)[:most]
    if first is not None and first in have and first not in steps:
        steps = [first, *steps][: max(most, len(known) + 1)]
    return steps
