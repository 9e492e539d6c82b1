"""Ingest once, ask many times: an event log as a columnar table, kept in memory and on disk.

The first question on a log reads the whole log once, in parallel (a plain CSV by pyarrow, a piece
of the file per thread; anything else by DuckDB, see :func:`read_table`) into a :class:`Table`:
rows grouped by person and in time order within each person, each row its time (microseconds),
its event (a small integer into the log's event names) and each property (a small integer into
that property's values), plus the id and row count of each person. Every later funnel on that log
(other steps, mode, window, breakdown, exclusions) and its event list run on the table.

The table is kept in memory (the app answers the next question without touching the disk, up to
``CJM_FUNNEL_MEMORY_MB``, default 2048) and stored in ``<CJM_DATA_DIR>/funnel-cache``, a folder
per log of uncompressed Arrow IPC files that later processes memory-map (no decoding, no copy),
written by a background thread while the first funnel is counted. A stored
table is found again by the file's **content key**: its size, its modification time and a hash
of 17 blocks of 64 KB spread over the file (its start, its end and 15 between), so finding it
reads about 1 MB whatever the file's size; a changed file gets a new key and is read again (a
change that keeps the size and the modification time and falls between the sampled blocks goes
unnoticed). The key also covers how the file is read (columns, time format, CSV dialect).

The cache is cleaned after each new table: entries unused for ``CJM_FUNNEL_CACHE_DAYS`` (default
30) go, then the least recently used until the whole cache fits in ``CJM_FUNNEL_CACHE_MB``
(default 4096; 0 turns the disk cache off). An entry that cannot be read back (a missing or
damaged file, another format version) is removed and the log read again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from cjm.funnel.engine import (
    _TIME_RANGE,
    EMPTY_SEGMENT,
    EventLog,
    _arrow,
    _diagnose,
    _ident,
    _indices,
    _lit,
    _threads,
)

__all__ = [
    "Table",
    "table_for",
    "ingest",
    "is_ingested",
    "cache_folder",
    "clean_cache",
    "content_key",
]

#: version of the stored layout: entries of another version are read again from the log
FORMAT = 2
_BATCH_ROWS = 1 << 20  # rows per batch streamed from DuckDB
_FEW_MOVED_RUNS = 4096  # up to this many runs to move, the rest is copied stretch by stretch
#: the read as it comes gives up (and the sorted read runs) when people average more runs of rows
#: than this
_MAX_RUNS_PER_PERSON = 1.5
#: ... or when runs of rows of one person are shorter than this on average
_MIN_ROWS_PER_RUN = 2
_PIECE = 1 << 21  # rows moved or sorted at a time when grouping (bounds the scratch memory)
_BLOCK = 64 * 1024  # bytes per sampled block of the content key
_BLOCKS = 17
_TEMP_AGE = 86400  # a half-written entry older than this (a crashed ingest) is removed

Progress = Callable[[float, str], None]


# --------------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------------


@dataclass
class Table:
    """An event log in columns: rows grouped by person, in time order within each person (rows
    of one person at the same time keep the order they were read in).

    ``users[i]`` is the id of person ``i`` and ``lens[i]`` their number of rows; ``t`` the time of
    each row in microseconds since the epoch (UTC), ``e`` its event as an index into ``events``
    (``None`` there for a missing name). Each property's column holds indices into its values
    (:meth:`prop`); a table read back from disk loads a property's column when first asked.
    """

    users: pa.Array
    lens: np.ndarray
    t: np.ndarray
    e: np.ndarray
    events: tuple[str | None, ...]
    properties: tuple[str, ...]
    props: dict[str, np.ndarray] = field(default_factory=dict)
    labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    folder: Path | None = None  # where the columns are stored (properties not yet loaded)
    #: columns read straight into files of the cache entry being built (name -> file; see _FileColumn)
    files: dict[str, Path] = field(default_factory=dict, repr=False)
    source: object = field(default=None, repr=False)  # keeps an in-memory source (a DataFrame) alive
    _pid: np.ndarray | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def n_rows(self) -> int:
        return len(self.t)

    @property
    def pid(self) -> np.ndarray:
        """The person (an index into ``users``) of each row."""
        with self._lock:
            if self._pid is None:
                dtype = np.int32 if len(self.lens) < 2**31 else np.int64
                self._pid = np.repeat(np.arange(len(self.lens), dtype=dtype), self.lens)
            return self._pid

    def prop(self, name: str) -> tuple[np.ndarray, tuple[str, ...]]:
        """A property's column (an index into its values per row) and its values; blank and
        missing values are one value, ``EMPTY_SEGMENT``."""
        with self._lock:
            if name not in self.props:
                if self.folder is None:
                    raise KeyError(name)
                i = self.properties.index(name)
                try:
                    meta = json.loads((self.folder / "meta.json").read_text())
                    codes = _column_file(self.folder, f"p{i}", meta)
                except _Corrupt:
                    raise
                except Exception as exc:  # the stored file went missing or is damaged
                    raise _Corrupt(str(exc)) from exc
                if len(codes) != self.n_rows or (len(codes) and int(codes.max()) >= len(self.labels[name])):
                    raise _Corrupt(f"property column {name!r} does not fit")
                self.props[name] = codes
            return self.props[name], self.labels[name]

    def nbytes(self) -> int:
        size = self.t.nbytes + self.e.nbytes + self.lens.nbytes + self.users.nbytes
        size += sum(p.nbytes for p in self.props.values())
        return size + (self._pid.nbytes if self._pid is not None else 0)


class _Corrupt(Exception):
    """A stored table that cannot be used: it is removed and the log read again."""


class _Dictionary:
    """Values as small integers, batch by batch: each distinct value of a batch is looked at once,
    so rows that move later carry an integer. ``labels=True`` folds blank and missing values into
    ``EMPTY_SEGMENT`` (properties); event names are kept as they are."""

    def __init__(self, *, labels: bool) -> None:
        self.index: dict = {}
        self.labels = labels

    def _code(self, value) -> int:
        if self.labels:
            value = EMPTY_SEGMENT if value is None or not str(value).strip() else str(value)
        return self.index.setdefault(value, len(self.index))

    def encode(self, values: pa.Array) -> np.ndarray:
        import pyarrow.compute as pc

        enc = pc.dictionary_encode(values)
        local = [self._code(v) for v in enc.dictionary.to_pylist()]
        indices = enc.indices
        if indices.null_count:
            local.append(self._code(None))
            indices = indices.fill_null(len(local) - 1)
        return np.asarray(local, dtype=np.int32)[_numpy(indices)]

    @property
    def values(self) -> tuple:
        return tuple(self.index)


def _code_type(count: int) -> type:
    """The smallest integer type for indices into ``count`` values."""
    return np.uint8 if count <= 256 else np.uint16 if count <= 65536 else np.int32


class _Column:
    """A column filled batch by batch into one buffer sized for the expected rows (grown when the
    guess was short; widened when codes outgrow their type): the batches are let go at once, and
    no concatenation doubles the column at the end."""

    def __init__(self, dtype, capacity: int) -> None:
        self.buf = np.empty(max(capacity, 1), dtype=dtype)
        self.n = 0

    def add(self, values: np.ndarray, dtype=None) -> None:
        if dtype is not None and np.dtype(dtype).itemsize > self.buf.dtype.itemsize:
            self.buf = self.buf.astype(dtype)
        end = self.n + len(values)
        if end > len(self.buf):
            grown = np.empty(max(end, len(self.buf) + len(self.buf) // 2), dtype=self.buf.dtype)
            grown[: self.n] = self.buf[: self.n]
            self.buf = grown
        self.buf[self.n : end] = values
        self.n = end

    def array(self) -> np.ndarray:
        if len(self.buf) - self.n > max(self.n // 16, 1 << 16):  # the guess was far too long
            return self.buf[: self.n].copy()
        return self.buf[: self.n]


class _FileColumn(_Column):
    """A column written straight into a file of the cache entry being built, through a shared
    memory map: the pages the reader fills are the file's pages in the OS cache, so storing the
    table later writes nothing for this column. (Writing 80 MB of times for 10M events with
    ``write`` cost 0.2 s of CPU, more than a tenth of a first funnel; filling the mapped file
    costs about what filling fresh memory does.) Grown by extending the file; widened (codes that
    outgrow their type) into a new file. :func:`_spill_folder` checks the disk has room first: a
    write into a mapped file on a full disk would kill the process instead of raising."""

    def __init__(self, dtype, capacity: int, folder: Path, name: str) -> None:
        self.folder, self.name, self.n = folder, name, 0
        self._open(np.dtype(dtype), max(capacity, 1))

    def _open(self, dtype: np.dtype, capacity: int) -> None:
        self.path = self.folder / f"{self.name}.{uuid.uuid4().hex[:8]}.bin"
        self.path.touch(exist_ok=False)
        self._map(dtype, capacity)

    def _map(self, dtype: np.dtype, capacity: int) -> None:
        import mmap

        with open(self.path, "r+b") as f:  # the map keeps its own handle of the file
            f.truncate(capacity * dtype.itemsize)
            # the old map (if any) goes with its last view; its pages are the file's
            self.buf = np.frombuffer(mmap.mmap(f.fileno(), capacity * dtype.itemsize), dtype=dtype)

    def add(self, values: np.ndarray, dtype=None) -> None:
        if dtype is not None and np.dtype(dtype).itemsize > self.buf.dtype.itemsize:
            old, old_path = self.buf, self.path
            self._open(np.dtype(dtype), len(old))
            self.buf[: self.n] = old[: self.n]
            del old
            old_path.unlink(missing_ok=True)
        end = self.n + len(values)
        if end > len(self.buf):
            self._map(self.buf.dtype, max(end, len(self.buf) + len(self.buf) // 2))
        self.buf[self.n : end] = values
        self.n = end

    def array(self) -> np.ndarray:
        """The column (the file cut to its size; the map stays: mapping the file again would
        fault every page in again, and nothing reads past the column's end)."""
        with open(self.path, "r+b") as f:
            f.truncate(self.n * self.buf.dtype.itemsize)
        return self.buf[: self.n]


def _mapped(fd: int, dtype, count: int) -> np.ndarray:
    """``count`` values of ``dtype`` from an open file, memory-mapped read-only."""
    import mmap

    dtype = np.dtype(dtype)
    if not count:
        return np.zeros(0, dtype)
    return np.frombuffer(mmap.mmap(fd, count * dtype.itemsize, access=mmap.ACCESS_READ), dtype=dtype, count=count)


# --------------------------------------------------------------------------------------------
# Reading a log into a table (DuckDB scans, numpy groups)
# --------------------------------------------------------------------------------------------


_DB = None
_DB_LOCK = threading.Lock()


def _database():
    """One in-memory DuckDB per process, shared by every read (each gets its own connection):
    starting a database costs tens of milliseconds, and its memory stays warm between reads."""
    import duckdb

    global _DB
    with _DB_LOCK:
        if _DB is None:
            _DB = duckdb.connect(
                config={
                    # spill to disk rather than grow past this (a 10M-event log must stay under 1 GB)
                    "memory_limit": "1GB",
                    "preserve_insertion_order": False,
                    # keep freed memory for the next batch instead of handing it back to the OS
                    # after every task (touching fresh memory is slow on VMs)
                    "allocator_flush_threshold": "2GB",
                }
            )
        return _DB


def _connect(log: EventLog):
    con = _database().cursor()
    con.execute("SET TimeZone='UTC'")
    con.execute("SET enable_progress_bar=false")  # it would print to the server's terminal
    if log.frame is not None:
        con.register("__cjm_events", log.frame)
    return con


def _rows_expected(log: EventLog) -> int | None:
    """About how many rows the log has, for the progress of the first read."""
    if log.frame is not None:
        return len(log.frame)
    path = log.source_path()
    if path is None:
        return None
    try:
        if log.source_sql.startswith("read_parquet"):
            import pyarrow.parquet as pq

            return pq.ParquetFile(path).metadata.num_rows
        size = path.stat().st_size
        with open(path, "rb") as f:
            head = f.read(1 << 16)
        lines = head.count(b"\n")
        return int(size / (len(head) / lines)) if lines > 1 and len(head) < size else max(lines, 1)
    except (OSError, ValueError, ZeroDivisionError):
        return None


def read_table(log: EventLog, progress: Progress | None = None, spill: Path | None = None) -> Table:
    """Read the whole log into a :class:`Table`. A log written person by person (the usual export
    of a person-based tool, and what ``scripts/gen_events.py`` writes) is read as it comes; on a
    log in another order (e.g. by time) that read gives up after its first batch and DuckDB sorts
    the rows by person first. A plain UTF-8 CSV file with ISO times and no quotes is parsed by
    pyarrow, a piece of the file per core (:func:`_read_csv`); anything that reader does not take
    as it is (a bad value, a missing one, another layout) is read by DuckDB, which names the line.

    ``spill``: the folder of the cache entry being built; the row columns are read straight into
    its files (see :class:`_FileColumn`) when the disk has room for them."""
    expected = _rows_expected(log)
    if spill is not None and expected:
        need = int(expected * 1.05 + 1024) * (10 + len(log.properties))
        with contextlib.suppress(OSError):
            if shutil.disk_usage(spill).free < 2 * need + (256 << 20):
                spill = None  # no room: in memory (the store then fails quietly, or fits)
    else:
        spill = None
    table = _read_csv(log, progress, expected, spill)
    if table is not _OTHER_READER:
        if table is None:  # not written person by person
            table = _read_duckdb(log, progress, expected, sort=True, spill=spill)
    else:
        con = _connect(log)
        try:
            table = _read(con, log, progress, expected, spill=spill)
            if table is None:  # not written person by person
                table = _read(con, log, progress, expected, sort=True, spill=spill)
        finally:
            con.close()
    # from here on the columns are only read (those read into files are the stored entry's)
    for column in (table.t, table.e, *table.props.values()):
        column.flags.writeable = False
    return table


def _read_duckdb(
    log: EventLog, progress: Progress | None, expected: int | None, *, sort: bool, spill: Path | None = None
) -> Table:
    con = _connect(log)
    try:
        return _read(con, log, progress, expected, sort=sort, spill=spill)
    finally:
        con.close()


class _Read:
    """The rows of a first read as they come, batch by batch: each batch's runs of one person
    (their person's key, length and id) and its columns, copied into buffers sized for the
    expected rows (the batch is let go at once)."""

    def __init__(self, props: tuple[str, ...], expected: int | None, spill: Path | None = None) -> None:
        self.props = props
        self.keys: list[np.ndarray] = []  # each run's person key (a 64-bit hash of the id)
        self.lens: list[np.ndarray] = []  # rows in each run
        self.users: list[pa.Array] = []  # id of each run's person
        #: each run has a row earlier than the one before it (None: a batch came without)
        self.back: list[np.ndarray] | None = []
        capacity = int((expected or _BATCH_ROWS) * 1.05) + 1024
        if spill is not None and expected:  # the columns are the files of the entry being built

            def column(name: str, dtype) -> _Column:
                return _FileColumn(dtype, capacity, spill, name)
        else:

            def column(name: str, dtype) -> _Column:
                return _Column(dtype, capacity)

        self.t = column("t", np.int64)
        self.events = _Dictionary(labels=False)
        self.e = column("e", np.uint8)
        self.dicts = [_Dictionary(labels=True) for _ in props]
        self.p = [column(f"p{i}", np.uint8) for i in range(len(props))]
        self.n = 0
        self.runs = 0

    def add(self, keys, lens, users, t, e, p, back=None) -> None:
        self.keys.append(keys)
        self.lens.append(lens)
        self.users.append(users)
        if back is None or self.back is None:
            self.back = None
        else:
            self.back.append(back)
        self.t.add(t)
        self.e.add(e, _code_type(len(self.events.index)))
        for col, d, codes in zip(self.p, self.dicts, p, strict=True):
            col.add(codes, _code_type(len(d.index)))
        self.n += len(t)
        self.runs += len(lens)

    def in_time_order(self) -> bool:
        """True when the rows read so far look like a log in time order (short runs of one person)."""
        return self.runs * _MIN_ROWS_PER_RUN > max(self.n, _BATCH_ROWS // 2)


#: read a CSV log through memory maps of the file rather than copies of its bytes (see
#: :func:`map_input_files`)
_MAP_INPUT = False


def map_input_files(on: bool = True) -> None:
    """Let the CSV reader parse a log file through memory maps instead of copying its bytes (0.2 s
    less CPU for 10M events). For a process whose run ends with its question (``python -m cjm
    funnel``): a file cut shorter by another program while mapped kills the process (SIGBUS)
    instead of raising, which an app server must not risk. Uploads, which the app keeps as files
    named by their content and never rewrites, are mapped in any process."""
    global _MAP_INPUT
    _MAP_INPUT = bool(on)


def _maps_input(path: Path) -> bool:
    import mmap

    if not hasattr(mmap, "MAP_POPULATE"):
        return False
    if _MAP_INPUT:
        return True
    from cjm.funnel.readers import upload_folder

    with contextlib.suppress(OSError, ValueError):
        return path.resolve().parent == upload_folder().resolve()
    return False


#: what :func:`_read_csv` returns when the log is for DuckDB to read
_OTHER_READER = object()
_RANGE_BYTES = 16 << 20  # bytes of the CSV file read at a time by one thread
_CSV_BLOCK = 4 << 20  # bytes parsed at a time (larger blocks parse slower: they outgrow the caches)


class _NotForArrow(Exception):
    """The CSV has something pyarrow's reader does not take as DuckDB would: DuckDB reads it."""


def _csv_ranges(log: EventLog) -> tuple[Path, list[tuple[int, int]]] | None:
    """The file and its byte ranges of data rows, each ending at a line end, when the fast reader
    applies: a UTF-8 CSV file (``log.csv_dialect`` known), ISO times, and no quote character in
    its header (nor in its rows, checked as each range is read: so every line end ends a row, and
    a range can start at any line)."""
    if log.frame is not None or log.csv_dialect is None or log.time_kind not in ("iso", "isotz"):
        return None
    delimiter, header_line, _ = log.csv_dialect
    path = log.source_path()
    if path is None or len(delimiter) != 1 or delimiter in '"\r\n':
        return None
    import mmap

    with open(path, "rb") as f:
        size = os.fstat(f.fileno()).st_size
        if not size:
            return None
        with mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as mm:
            pos = 0
            for _ in range(header_line):
                nl = mm.find(b"\n", pos)
                if nl == -1:
                    return None
                pos = nl + 1
            if mm.find(b'"', 0, pos) != -1:  # the rows are checked as they are read (read_range)
                return None
            count = max(1, -(-(size - pos) // _RANGE_BYTES))
            cuts = [pos]
            for i in range(1, count):
                nl = mm.find(b"\n", pos + (size - pos) * i // count)
                if nl == -1:
                    break
                if nl + 1 > cuts[-1]:
                    cuts.append(nl + 1)
            if cuts[-1] < size:
                cuts.append(size)
    ranges = list(zip(cuts[:-1], cuts[1:], strict=True))
    return (path, ranges) if ranges else None


_MIX = np.uint64(0x9E3779B97F4A7C15)


def _string_buffers(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """A string array's offsets (``len(values) + 1`` of them) and bytes, as numpy views (no copy)."""
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int32, count=len(values) + 1, offset=values.offset * 4)
    return offsets, np.frombuffer(values.buffers()[2] or b"", dtype=np.uint8)


def _string_keys(values: pa.Array) -> np.ndarray:
    """A 64-bit key of each string (no missing values), the same in every batch: a string of up to
    8 bytes is its own key (its bytes, first byte highest, and its length in the lowest byte when
    shorter: ids of one length written in text order have rising keys, which grouping checks
    instead of sorting them), a longer one a hash of its bytes and length, 8 bytes at a time (two
    ids with the same hash would count as one person, as with DuckDB's ``hash``)."""
    n = len(values)
    if not n:
        return np.zeros(0, np.uint64)
    if values.type != pa.string():
        values = values.cast(pa.string())
    offsets, data = _string_buffers(values)
    lens = np.diff(offsets)
    longest = int(lens.max())
    width = max(8, -(-longest // 8) * 8)
    lo, hi = int(offsets[0]), int(offsets[-1])
    if longest == width and (lens == longest).all():  # one length: the bytes are the rows of a matrix
        words = np.ascontiguousarray(data[lo:hi]).view(np.uint64).reshape(n, width // 8)
        if width == 8:  # ids of 8 bytes each (as u0000001): each is its key, as below, in one copy
            return words[:, 0].byteswap()
    else:
        matrix = np.zeros((n, width), dtype=np.uint8)
        at = np.repeat(np.arange(n, dtype=np.int64) * width - (offsets[:-1] - lo), lens)
        at += np.arange(hi - lo)
        matrix.reshape(-1)[at] = data[lo:hi]
        words = matrix.view(np.uint64)
    key = words[:, 0].byteswap()
    key |= np.where(lens < 8, lens.astype(np.uint64), np.uint64(0))  # the lowest byte is padding there
    if longest <= 8:
        return key
    long = np.flatnonzero(lens > 8)
    w = words[long]
    count = (lens[long] + 7) // 8
    h = lens[long].astype(np.uint64) * _MIX
    with np.errstate(over="ignore"):
        for j in range(width // 8):
            mixed = (h ^ w[:, j]) * _MIX
            mixed ^= mixed >> np.uint64(29)
            h = np.where(count > j, mixed, h)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(32)
    key[long] = h
    return key


def _strings_at(values: pa.Array, rows: np.ndarray) -> pa.Array:
    """The strings at ``rows`` of a string array with no missing values, as a new array built from
    its buffers (``Array.take`` would import pyarrow.compute, 0.03 s of a first read's start)."""
    offsets, data = _string_buffers(values)
    lo = offsets[rows]
    lens = offsets[rows + 1] - lo
    out = np.zeros(len(rows) + 1, dtype=np.int32)
    np.cumsum(lens, out=out[1:])
    total = int(out[-1])
    chars = data[np.repeat(lo - out[:-1], lens) + np.arange(total, dtype=np.int32)] if total else data[:0]
    return pa.StringArray.from_buffers(len(rows), pa.py_buffer(out), pa.py_buffer(chars))


def _runs_going_back(t: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """For each run of rows (``starts``: the first row of each), whether one of its rows is
    earlier than the row before it: the rows of that person are sorted after grouping. Worked out
    batch by batch in the reading threads, so grouping need not scan every row again."""
    back = np.flatnonzero(t[1:] < t[:-1])
    back += 1
    flags = np.zeros(len(starts), dtype=bool)
    if len(back):
        run = np.searchsorted(starts, back, side="right") - 1
        flags[run[starts[run] != back]] = True  # not where a run begins
    return flags


def _sort_runs(t: np.ndarray, e: np.ndarray, p: list[np.ndarray], starts, lens, which: np.ndarray):
    """The rows of the runs ``which`` (booleans per run) put in time order, stably (rows at the
    same time keep their order); ``t`` is copied, ``e`` and ``p`` sorted in place."""
    runs = np.flatnonzero(which)
    sizes = lens[runs]
    total = int(sizes.sum())
    idx = np.repeat(starts[runs] - (np.cumsum(sizes) - sizes), sizes) + np.arange(total)
    rank = np.repeat(np.arange(len(runs)), sizes)
    order = idx[np.lexsort((t[idx], rank))]
    t = t.copy()
    for column in (t, e, *p):
        column[idx] = column[order]
    return t, e, p


def _read_csv(log: EventLog, progress: Progress | None, expected: int | None, spill: Path | None = None):
    """The CSV parsed by pyarrow, one range of the file per thread (pyarrow's streaming reader
    parses on one thread; DuckDB hands each row's strings over to be encoded here, which cost more
    than the parse). Each thread parses a range with the person id, the event and the properties
    as dictionaries (strings are looked at once per distinct value) and the time as a timestamp,
    and cuts its rows into runs of one person; the ranges are taken in file order. People are
    told apart by their ids (no hash). Returns a table, ``None`` for a log not written person by
    person, or ``_OTHER_READER`` when DuckDB should read it (see :func:`_csv_ranges`; any value
    this reader refuses, a missing id or time, or a time out of range)."""
    try:
        plan = _csv_ranges(log)
    except OSError:
        plan = None
    if plan is None:
        return _OTHER_READER
    path, ranges = plan
    from collections import deque
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow.csv as csv  # pyarrow.compute only for long ids (its import takes 0.02 s)

    _, _, columns = log.csv_dialect
    props = log.properties
    wanted = [log.user, log.event, log.time, *props]
    if len(set(columns)) != len(columns) or not set(wanted) <= set(columns):
        return _OTHER_READER
    text = pa.dictionary(pa.int32(), pa.string())
    when = pa.timestamp("us", tz="UTC") if log.time_kind == "isotz" else pa.timestamp("us")
    parse = csv.ParseOptions(delimiter=log.csv_dialect[0], quote_char=False, newlines_in_values=False)
    convert = csv.ConvertOptions(
        # person ids as text (a dictionary per block cost more to build than the ids to compare)
        column_types={**{c: text for c in wanted}, log.user: pa.string(), log.time: when},
        include_columns=wanted,
        null_values=[""],
        strings_can_be_null=True,
        timestamp_parsers=[csv.ISO8601],
        # text is checked once per distinct value instead of per row: a dictionary's values when
        # they are decoded (``codes_of``), the person ids at the start of each run (``validate``)
        check_utf8=False,
    )
    rows = _Read(props, expected, spill)
    lock = threading.Lock()
    local = threading.local()  # each thread's buffer for the bytes of its range, used again and again
    fd = os.open(path, os.O_RDONLY)

    def codes_of(column: pa.DictionaryArray, d: _Dictionary) -> np.ndarray:
        """The batch's codes in ``d``, in the smallest type that holds them (the column's)."""
        with lock:
            local = [d._code(v) for v in column.dictionary.to_pylist()]
            indices = column.indices
            if indices.null_count:
                local.append(d._code(None))
            lut = np.asarray(local, dtype=_code_type(len(d.index)))
        if indices.null_count:
            indices = indices.fill_null(len(local) - 1)
        return np.take(lut, _numpy(indices))

    mapped = _maps_input(path)

    @contextlib.contextmanager
    def range_bytes(lo: int, hi: int):
        """The bytes of the range: ``(data, at, view)``, the range being ``data[at : at + hi - lo]``
        and ``view`` a memoryview of it."""
        if mapped:  # the file's pages in the OS cache, where they are: no copy (0.2 s of CPU on 10M events)
            import mmap

            start = lo - lo % mmap.ALLOCATIONGRANULARITY
            if os.fstat(fd).st_size < hi:
                raise _NotForArrow("the file got shorter")
            mm = mmap.mmap(fd, hi - start, flags=mmap.MAP_SHARED | mmap.MAP_POPULATE, prot=mmap.PROT_READ, offset=start)
            try:
                with memoryview(mm) as whole, whole[lo - start :] as view:
                    yield mm, lo - start, view
            finally:
                with contextlib.suppress(BufferError):  # a view still held: the map goes with it
                    mm.close()
            return
        # else copied into a buffer of the thread's own (fresh memory is slow to touch)
        buf = getattr(local, "buf", None)
        if buf is None or len(buf) < hi - lo:
            buf = local.buf = bytearray(max(hi - lo, _RANGE_BYTES + (1 << 20)))
        view = memoryview(buf)[: hi - lo]
        got = 0
        while got < hi - lo:
            n = os.preadv(fd, [view[got:]], lo + got)
            if not n:
                raise _NotForArrow("the file got shorter")
            got += n
        yield buf, 0, view

    def parse_range(lo: int, hi: int) -> pa.Table:
        """The range parsed; the parsed columns are copies, so its bytes can go at once."""
        ropts = csv.ReadOptions(use_threads=False, block_size=_CSV_BLOCK, column_names=list(columns))
        with range_bytes(lo, hi) as (data, at, view):
            if data.find(b'"', at, at + hi - lo) != -1:  # a quoted value may hold a line end: DuckDB reads it
                raise _NotForArrow("quotes")
            return csv.read_csv(pa.BufferReader(pa.py_buffer(view)), ropts, parse, convert)

    def read_range(lo: int, hi: int) -> list[tuple]:
        part = parse_range(lo, hi)
        out = []
        for batch in part.to_batches():
            m = batch.num_rows
            if not m:
                continue
            u, tcol = batch.column(0), batch.column(2)
            if u.null_count or tcol.null_count:
                raise _NotForArrow("missing person id or time")
            offsets, id_bytes = _string_buffers(u)
            id_lens = offsets[1:] - offsets[:-1]
            if int(offsets[-1] - offsets[0]) == 8 * m and (id_lens == 8).all() and offsets[0] % 8 == 0:
                # ids of 8 bytes each (as u0000001): runs found on the bytes where they lie (no copy);
                # each run's key is its id's bytes, first byte highest (as _string_keys)
                ids = id_bytes[offsets[0] : offsets[-1]].view(np.uint64)
                row_keys = None
            elif int(id_lens.max()) <= 8:  # short ids: each row's key is exact
                ids = row_keys = _string_keys(u)
            else:  # longer ids: numbered as first seen in the batch
                import pyarrow.compute as pc

                ids, row_keys = _numpy(pc.dictionary_encode(u).indices), None
            st = np.flatnonzero(ids[1:] != ids[:-1])
            st += 1
            starts = np.empty(len(st) + 1, dtype=np.int64)
            starts[0] = 0
            starts[1:] = st
            users = _strings_at(u, starts)
            users.validate(full=True)  # every id of a run is the bytes of its first: UTF-8 checked
            if row_keys is not None:
                keys = row_keys[starts]
            elif ids.dtype == np.uint64:
                keys = ids[starts].byteswap()
            else:
                keys = _string_keys(users)
            t = np.frombuffer(tcol.buffers()[1], dtype=np.int64, count=m, offset=tcol.offset * 8)
            if t.min() < _TIME_RANGE[0][1] or t.max() > _TIME_RANGE[1][1]:
                raise _NotForArrow("time out of range")
            e = codes_of(batch.column(1), rows.events)
            p = [codes_of(batch.column(3 + i), d) for i, d in enumerate(rows.dicts)]
            lens = np.diff(starts, append=m)
            back = _runs_going_back(t, starts)
            if back.any():  # runs with rows out of time order: sorted here, in parallel
                t, e, p = _sort_runs(t, e, p, starts, lens, back)
                back[:] = False
            out.append((keys, lens, users, t, e, p, back))
        return out

    phase = "reading"
    if progress is not None:
        progress(0.0, phase)
    workers = max(1, min(_threads(), len(ranges)))
    pool = ThreadPoolExecutor(workers, thread_name_prefix="cjm-funnel-read")
    pending: deque = deque()
    todo = iter(ranges)
    try:
        for lo, hi in todo:  # a few ranges ahead of the one being copied: memory stays bounded
            pending.append(pool.submit(read_range, lo, hi))
            if len(pending) >= 2 * workers:
                break
        while pending:
            done = pending.popleft().result()
            nxt = next(todo, None)
            if nxt is not None:
                pending.append(pool.submit(read_range, *nxt))
            for keys, lens, users, t, e, p, back in done:
                rows.add(keys, lens, users, t, e, p, back)
            del done
            if rows.in_time_order():
                return None  # a log in time order: DuckDB sorts it by person
            if progress is not None and expected:
                progress(min(0.9 * rows.n / expected, 0.9), phase)
    except (_NotForArrow, pa.ArrowException, ValueError, OSError):
        return _OTHER_READER
    finally:
        for f in pending:
            f.cancel()
        pool.shutdown(wait=True)
        os.close(fd)
    return _grouped(rows, log, progress, sort=False)


def _read(
    con,
    log: EventLog,
    progress: Progress | None,
    expected: int | None,
    *,
    sort: bool = False,
    spill: Path | None = None,
) -> Table | None:
    """The rows as DuckDB streams them, grouped by person with numpy.

    DuckDB only scans, converts and hashes each person id to 64 bits, in parallel; numpy finds
    runs of rows of one person by comparing those integers (two ids with the same hash would count
    as one person: about one chance in 30 million for a log of a million people). A log written
    person by person has about one run per person; only the runs of people split across blocks
    (DuckDB's parallel scan hands rows back in blocks, not always in file order) are moved. Then
    the people whose rows are not in time order are sorted (stably: rows at the same time keep
    their order). Returns ``None`` for a log not written person by person, unless ``sort``: then
    DuckDB sorts the rows by person hash, time, event and properties first."""
    import duckdb
    import pyarrow.compute as pc  # noqa: F401  (loaded here, before the stream, not per batch)

    props = log.properties
    user_sql = f"CAST({_ident(log.user)} AS VARCHAR)"
    cols = [f"hash({user_sql}) AS h", f"{user_sql} AS u", f"{log.time_sql()} AS t"]
    cols.append(f"CAST({_ident(log.event)} AS VARCHAR) AS e")
    cols += [f"CAST({_ident(p)} AS VARCHAR) AS p{i}" for i, p in enumerate(props)]
    sql = f"SELECT {', '.join(cols)} FROM {log.relation()}"
    if sort:  # rows of one person at the same time: in order of event, then of each property
        sql += " ORDER BY h, t, e" + "".join(f", p{i}" for i in range(len(props)))
    rows = _Read(props, expected, spill)
    phase = "sorting" if sort else "reading"
    if progress is not None:
        progress(0.0, phase)
    try:
        # streamed in batches while DuckDB's threads read on: each batch is cut into runs of one
        # person, its strings become small integers, and the batch is let go
        for batch in con.sql(sql).to_arrow_reader(_BATCH_ROWS):
            m = batch.num_rows
            if not m:
                continue
            u, tcol = batch.column(1), batch.column(2)
            if u.null_count:
                raise _diagnose(log, ValueError("missing person id"))
            if tcol.null_count:
                raise _diagnose(log, ValueError("missing time"))
            h = _numpy(batch.column(0))
            st = np.flatnonzero(h[1:] != h[:-1])
            st += 1
            starts_b = np.empty(len(st) + 1, dtype=np.int64)
            starts_b[0] = 0
            starts_b[1:] = st
            # copied out at once (in ``rows.add``): a view into the batch would keep the whole
            # batch (every column, the strings too) alive until the end (that was 0.5 GB on 10M events)
            t_batch = _numpy(tcol)
            if t_batch.min() < _TIME_RANGE[0][1] or t_batch.max() > _TIME_RANGE[1][1]:
                raise _diagnose(log, ValueError("time out of range"))  # the sort key would overflow
            codes = rows.events.encode(batch.column(3))
            p = [d.encode(batch.column(4 + i)) for i, d in enumerate(rows.dicts)]
            back = _runs_going_back(t_batch, starts_b)
            rows.add(h[starts_b], np.diff(starts_b, append=m), u.take(_indices(starts_b)), t_batch, codes, p, back)
            del batch, u, tcol, codes, p
            if not sort and rows.in_time_order():
                return None  # a log in time order: give up after the first batch
            if progress is not None and expected:
                progress(min(0.9 * rows.n / expected, 0.9), phase)
    except (duckdb.Error, pa.ArrowException, OSError) as exc:  # DuckDB's errors reach here as OSError
        raise _diagnose(log, exc) from exc
    return _grouped(rows, log, progress, sort=sort)


def _grouped(rows: _Read, log: EventLog, progress: Progress | None, *, sort: bool) -> Table | None:
    """The table from the rows as read: runs of one person going on into the next batch joined,
    the runs of people split over several places moved together (see :func:`_read`), then each
    person's rows in time order. ``None`` when the log does not look written person by person
    (unless ``sort``: the rows came sorted by person)."""
    if progress is not None:
        progress(0.9, "grouping")
    props, N, events = rows.props, rows.n, rows.events
    labels = {p: d.values for p, d in zip(props, rows.dicts, strict=True)}
    files = {}  # the columns read into files of the cache entry being built: name -> file
    for name, col in (("t", rows.t), ("e", rows.e), *((f"p{i}", c) for i, c in enumerate(rows.p))):
        if isinstance(col, _FileColumn) and N:
            files[name] = col.path
    if not N:
        empty = np.zeros(0, np.int64)
        return Table(
            pa.array([], pa.string()),
            empty,
            empty,
            np.zeros(0, np.uint16),
            events.values,
            props,
            {p: np.zeros(0, np.uint8) for p in props},
            labels,
        )
    t = rows.t.array()
    columns = [rows.e.array()] + [c.array() for c in rows.p]
    rows.t = rows.e = rows.p = None
    # a run going on into the next batch is one run (a person may span several batches): joined
    # where the batches meet, before their runs are put together (no pass over every run)
    keys, lens, users, back = rows.keys, rows.lens, rows.users, rows.back
    rows.keys = rows.lens = rows.users = rows.back = None
    row = 0  # the first row of batch b
    last = None  # the batch holding the latest run so far
    for b in range(len(lens)):
        size = int(lens[b].sum())
        if last is not None and keys[b][0] == keys[last][-1]:
            lens[last][-1] += lens[b][0]
            if back is not None:  # ... and goes back in time if this batch starts earlier
                back[last][-1] |= back[b][0] or t[row] < t[row - 1]
                back[b] = back[b][1:]
            keys[b], lens[b], users[b] = keys[b][1:], lens[b][1:], users[b].slice(1)
        if len(lens[b]):
            last = b
        row += size
    lens = np.concatenate(lens)
    run_user = pa.concat_arrays(users)
    run_h = np.concatenate(keys)
    back = np.concatenate(back) if back is not None else None
    del keys, users
    starts = np.cumsum(lens) - lens
    if not sort and len(starts) * _MIN_ROWS_PER_RUN > N:  # a log in time order
        return None
    if len(run_h) < 2 or bool((run_h[1:] > run_h[:-1]).all()):
        n_people = len(run_h)  # rising keys (ids in text order, see _string_keys): all distinct, no sort
    else:
        sorted_h = np.sort(run_h)
        repeated = sorted_h[1:] == sorted_h[:-1]  # a person with more than one run
        n_people = len(run_h) - int(np.count_nonzero(repeated))
    if not sort and len(starts) > _MAX_RUNS_PER_PERSON * n_people:
        return None
    if n_people == len(starts):  # every person in one run
        user, person_lens = run_user, lens
        person_back = back
    else:
        # people split over several runs: their rows move to the end, grouped by person (stable:
        # runs keep their order); everyone else stays
        split_h = sorted_h[1:][repeated]
        j = np.minimum(np.searchsorted(split_h, run_h), len(split_h) - 1)
        split = split_h[j] == run_h
        stay_runs = np.flatnonzero(~split)
        move_runs = np.flatnonzero(split)
        move_runs = move_runs[np.argsort(run_h[move_runs], kind="stable")]
        m_lens = lens[move_runs]
        M = int(m_lens.sum())
        moved = np.repeat(starts[move_runs] - (np.cumsum(m_lens) - m_lens), m_lens)
        moved += np.arange(M)
        if len(move_runs) <= _FEW_MOVED_RUNS:  # a few people at block edges: copy the stretches between
            at = np.sort(move_runs)
            lo_hi = np.column_stack([np.r_[0, starts[at] + lens[at]], np.r_[starts[at], N]]).tolist()

            def regroup(col: np.ndarray) -> np.ndarray:
                # in place: the stretches between move left (piece by piece, so an overlap never
                # needs more than a piece of scratch memory), the moved rows go to the end
                rows = col[moved]
                pos = 0
                for lo, hi in lo_hi:
                    for a in range(lo, hi, _PIECE):
                        b = min(a + _PIECE, hi)
                        if pos != a:
                            col[pos : pos + b - a] = col[a:b]
                        pos += b - a
                col[N - M :] = rows
                return col
        else:
            keep = np.ones(N, dtype=bool)
            keep[moved] = False

            def regroup(col: np.ndarray) -> np.ndarray:
                out = np.empty_like(col)
                np.compress(keep, col, out=out[: N - M])
                np.take(col, moved, out=out[N - M :])
                col[:] = out  # the column stays where it is (it may be a file of the cache entry)
                return col

        t = regroup(t)
        columns = [regroup(c) for c in columns]
        del moved
        run_order = np.concatenate([stay_runs, move_runs])
        rh = run_h[run_order]
        new_lens = lens[run_order]
        first = np.empty(len(rh), dtype=bool)
        first[0] = True
        np.not_equal(rh[1:], rh[:-1], out=first[1:])
        heads = np.flatnonzero(first)
        person_lens = np.add.reduceat(new_lens, heads)
        user = run_user.take(_indices(run_order[heads]))  # the first run of each person, in the new order
        # the people moved together are sorted whatever their runs say (their runs now meet)
        person_back = None if back is None else np.logical_or.reduceat(back[run_order] | split[run_order], heads)
    table = Table(
        user,
        np.asarray(person_lens, dtype=np.int64),
        t,
        columns[0],
        events.values,
        props,
        dict(zip(props, columns[1:], strict=True)),
        labels,
        files=files,
    )
    _in_time_order(table, person_back)
    return table


def _in_time_order(table: Table, flag: np.ndarray | None = None) -> None:
    """Sort the rows of each person whose rows are not in time order (in place, stably), a piece
    of the log at a time (the scratch arrays stay small on a log of 100M events). ``flag``: which
    people have a row earlier than the one before (found while reading); scanned for otherwise."""
    t = table.t
    N = len(t)
    if N < 2:
        return
    starts = np.cumsum(table.lens) - table.lens
    if flag is None:
        flag = np.zeros(len(table.lens), dtype=bool)  # people with a row earlier than the one before
        for lo in range(0, N - 1, _PIECE):
            hi = min(lo + _PIECE, N - 1)
            back = t[lo + 1 : hi + 1] < t[lo:hi]  # row lo + 1 + i goes back in time
            a, b = np.searchsorted(starts, [lo + 1, hi + 1])
            back[starts[a:b] - lo - 1] = False  # ... unless a new person starts there
            rows = np.flatnonzero(back) + lo + 1
            flag[np.searchsorted(starts, rows, side="right") - 1] = True
    people = np.flatnonzero(flag)
    if not len(people):
        return
    sizes = table.lens[people]
    ends = np.cumsum(sizes)
    cuts = np.searchsorted(ends, np.arange(_PIECE, int(ends[-1]), _PIECE), side="left")
    cuts = cuts[(cuts > 0) & (cuts < len(people))]
    if len(cuts):  # ascending: distinct ones kept without np.unique (which imports numpy.ma, 8 ms)
        cuts = cuts[np.r_[True, cuts[1:] != cuts[:-1]]]
    for group in np.split(np.arange(len(people)), cuts):
        lens_g = sizes[group]
        total = int(lens_g.sum())
        idx = np.repeat(starts[people[group]] - (np.cumsum(lens_g) - lens_g), lens_g) + np.arange(total)
        sub_t = t[idx]
        rank = np.repeat(np.arange(len(group), dtype=np.int64), lens_g)
        span = int(sub_t.max()) - int(sub_t.min())
        if span.bit_length() + len(group).bit_length() <= 62:
            # one integer key per row: person, then time; nearly sorted, so a stable sort is quick
            key = (rank << span.bit_length()) | (sub_t - sub_t.min())
            order = idx[np.argsort(key, kind="stable")]
        else:
            order = idx[np.lexsort((sub_t, rank))]
        t[idx] = t[order]
        table.e[idx] = table.e[order]
        for p in table.props.values():
            p[idx] = p[order]


# --------------------------------------------------------------------------------------------
# The disk cache
# --------------------------------------------------------------------------------------------


def cache_folder() -> Path:
    """``<CJM_DATA_DIR>/funnel-cache``."""
    from cjm.datadir import data_dir

    return data_dir(create=False) / "funnel-cache"


def _cache_limit_bytes() -> int:
    try:
        return int(float(os.environ.get("CJM_FUNNEL_CACHE_MB", "4096")) * 1e6)
    except ValueError:
        return int(4096e6)


def _cache_max_age() -> float:
    try:
        return float(os.environ.get("CJM_FUNNEL_CACHE_DAYS", "30")) * 86400
    except ValueError:
        return 30 * 86400.0


def content_key(path: Path) -> str:
    """A key of the file's content, read in about 1 MB whatever its size: size, modification time
    and a hash of 17 blocks of 64 KB (the start, the end and 15 evenly between)."""
    st = path.stat()
    h = hashlib.blake2b(f"{st.st_size}:{st.st_mtime_ns}".encode(), digest_size=20)
    with open(path, "rb") as f:
        if st.st_size <= _BLOCK * _BLOCKS:
            h.update(f.read())
        else:
            for i in range(_BLOCKS):
                f.seek((st.st_size - _BLOCK) * i // (_BLOCKS - 1))
                h.update(f.read(_BLOCK))
    return h.hexdigest()


def _entry_key(log: EventLog, path: Path) -> str:
    """The content key and how the file is read (its path left out: a copy is the same log)."""
    how = json.dumps(
        [
            FORMAT,
            log.source_sql.replace(_lit(str(path)), "?"),
            log.user,
            log.event,
            log.time,
            list(log.properties),
            log.time_kind,
        ]
    )
    return hashlib.blake2b((content_key(path) + how).encode(), digest_size=16).hexdigest()


def _spill_folder(folder: Path) -> Path | None:
    """A new temporary folder beside ``folder`` for the entry being built (``None`` when it cannot
    be made: a read-only data folder only loses the cache)."""
    tmp = folder.parent / f".tmp-{folder.name}-{uuid.uuid4().hex[:8]}"
    try:
        tmp.mkdir(parents=True)
    except OSError:
        return None
    return tmp


def _store(table: Table, folder: Path, tmp: Path | None = None) -> None:
    """Write the table into ``folder`` (via the temporary folder ``tmp``, renamed at the end, so a
    reader never sees half an entry), then clean the cache. Each row column is a file of raw
    values (``t.bin``, ``e.bin``, ``p<i>.bin``); a column already read into a file of ``tmp``
    (:class:`_FileColumn`) is only renamed."""
    root = folder.parent
    root.mkdir(parents=True, exist_ok=True)
    if tmp is None or not tmp.is_dir():
        tmp = _spill_folder(folder)
        if tmp is None:
            raise OSError(f"cannot write into {root}")
    try:
        rows = {"t": table.t, "e": table.e}
        rows.update({f"p{i}": table.props[p] for i, p in enumerate(table.properties)})
        for name, values in rows.items():
            target = tmp / f"{name}.bin"
            read_into = table.files.get(name)
            if read_into is not None and read_into.parent == tmp and read_into.is_file():
                read_into.rename(target)
            else:
                with open(target, "wb") as f:
                    f.write(memoryview(np.ascontiguousarray(values)))
        for left in tmp.glob("*.*.bin"):  # files of a read given up (a log in time order)
            left.unlink(missing_ok=True)
        _write_arrow(pa.table({"user": table.users, "rows": _arrow(table.lens)}), tmp / "people.arrow")
        column = [-1] * len(table.events)
        value = list(table.events)
        for i, p in enumerate(table.properties):
            column += [i] * len(table.labels[p])
            value += list(table.labels[p])
        _write_arrow(
            pa.table({"column": _arrow(np.asarray(column, dtype=np.int32)), "value": _strings(value)}),
            tmp / "values.arrow",
        )
        meta = {
            "format": FORMAT,
            "rows": table.n_rows,
            "people": len(table.lens),
            "events": len(table.events),
            "properties": list(table.properties),
            "columns": {name: np.dtype(values.dtype).str for name, values in rows.items()},
            "created": time.time(),
        }
        (tmp / "meta.json").write_text(json.dumps(meta))
        try:
            tmp.rename(folder)
        except OSError:  # another process stored the same log meanwhile: keep theirs
            shutil.rmtree(tmp, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    clean_cache(keep=folder.name)


def _strings(values: list[str | None]) -> pa.Array:
    """Texts (``None`` for missing) as an Arrow string array, built from its buffers (``pa.array``
    imports pandas)."""
    encoded = [b"" if v is None else v.encode("utf-8") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int32)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    valid = np.array([v is not None for v in values], dtype=bool)
    bitmap = pa.py_buffer(np.packbits(valid, bitorder="little")) if not valid.all() else None
    return pa.Array.from_buffers(
        pa.string(), len(values), [bitmap, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    )


def _write_arrow(data: pa.Table, path: Path) -> None:
    """An Arrow IPC file, uncompressed, each column one buffer: read back memory-mapped, with no
    decoding and no copy (a Parquet file had to be decoded: 0.3-0.5 s of CPU for the times of 10M
    events, in every process that asks a question)."""
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, data.schema) as writer:
        writer.write_table(data, max_chunksize=max(data.num_rows, 1))


def _numpy(column: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """A column of integers without nulls as a numpy view of its buffer (no copy when it is one
    chunk). pyarrow's own ``to_numpy`` imports pandas: a quarter of a second of every command
    line run."""
    if isinstance(column, pa.ChunkedArray):
        column = column.chunk(0) if column.num_chunks == 1 else column.combine_chunks()
    dtype = np.dtype(str(column.type))
    if column.null_count:
        raise ValueError("a column of the table has missing values")
    return np.frombuffer(column.buffers()[1], dtype=dtype, count=len(column), offset=column.offset * dtype.itemsize)


def _read_arrow(path: Path) -> pa.Table:
    """An Arrow IPC file written by :func:`_write_arrow`, memory-mapped (the arrays read the file's
    pages from the OS cache; they stay valid after the file is removed)."""
    return pa.ipc.open_file(pa.memory_map(str(path), "r")).read_all()


def _column_file(folder: Path, name: str, meta: dict) -> np.ndarray:
    """A stored row column, memory-mapped read-only (no decoding, no copy; the OS page cache
    serves every process); raises :class:`_Corrupt` when its size does not fit the meta."""
    dtype = np.dtype(meta["columns"][name])
    count = int(meta["rows"])
    with open(folder / f"{name}.bin", "rb") as f:
        if os.fstat(f.fileno()).st_size != count * dtype.itemsize:
            raise _Corrupt(f"column {name!r} does not fit")
        return _mapped(f.fileno(), dtype, count)


def _load(folder: Path) -> Table:
    """The table stored in ``folder``; raises :class:`_Corrupt` when it cannot be used."""
    try:
        meta = json.loads((folder / "meta.json").read_text())
        if meta.get("format") != FORMAT:
            raise _Corrupt("another format version")
        people = _read_arrow(folder / "people.arrow")
        values = _read_arrow(folder / "values.arrow")
        t = _column_file(folder, "t", meta)
        e = _column_file(folder, "e", meta)
        users = people.column("user").combine_chunks()
        lens = _numpy(people.column("rows")).astype(np.int64, copy=False)
        col = _numpy(values.column("column"))
        val = values.column("value").to_pylist()
    except _Corrupt:
        raise
    except Exception as exc:  # a missing or damaged file, whatever pyarrow or json make of it
        raise _Corrupt(str(exc)) from exc
    events = tuple(v for v, c in zip(val, col, strict=True) if c == -1)
    properties = tuple(meta.get("properties", ()))
    labels = {p: tuple(v for v, c in zip(val, col, strict=True) if c == i) for i, p in enumerate(properties)}
    if (
        len(t) != meta.get("rows")
        or len(e) != len(t)
        or len(lens) != meta.get("people")
        or len(users) != len(lens)
        or int(lens.sum()) != len(t)
        or len(events) != meta.get("events")
        or (len(e) and int(e.max()) >= len(events))
    ):
        raise _Corrupt("the stored columns do not fit together")
    with contextlib.suppress(OSError):
        os.utime(folder / "meta.json")  # last used, for the cleaning
    return Table(users, lens, t, e, events, properties, {}, labels, folder=folder)


def clean_cache(*, keep: str | None = None, now: float | None = None) -> None:
    """Remove entries unused for ``CJM_FUNNEL_CACHE_DAYS``, then the least recently used until the
    cache fits in ``CJM_FUNNEL_CACHE_MB``; ``keep`` (an entry's name) always stays."""
    root = cache_folder()
    if not root.is_dir():
        return
    now = time.time() if now is None else now
    limit, max_age = _cache_limit_bytes(), _cache_max_age()
    entries = []
    for entry in root.iterdir():
        try:
            files = [f for f in entry.iterdir() if f.is_file()] if entry.is_dir() else []
            size = sum(f.stat().st_size for f in files)
            meta = entry / "meta.json"
            used = meta.stat().st_mtime if meta.exists() else entry.stat().st_mtime
        except OSError:
            continue
        if entry.name.startswith(".tmp-"):
            if now - used > _TEMP_AGE:
                shutil.rmtree(entry, ignore_errors=True)
            continue
        entries.append((used, size, entry))
    total = 0
    for used, size, entry in sorted(entries, key=lambda x: -x[0]):  # most recently used first
        if entry.name != keep and (now - used > max_age or total + size > limit):
            shutil.rmtree(entry, ignore_errors=True)
        else:
            total += size


# --------------------------------------------------------------------------------------------
# Finding a log's table: memory, disk, or a first read
# --------------------------------------------------------------------------------------------


_MEMORY: OrderedDict[tuple, Table] = OrderedDict()
_MEMORY_LOCK = threading.Lock()
_KEY_LOCKS: dict[tuple, threading.Lock] = {}
_WRITERS: list[threading.Thread] = []


def _memory_limit_bytes() -> int:
    try:
        return int(float(os.environ.get("CJM_FUNNEL_MEMORY_MB", "2048")) * 1e6)
    except ValueError:
        return int(2048e6)


def _remember(key: tuple, table: Table) -> None:
    with _MEMORY_LOCK:
        _MEMORY[key] = table
        _MEMORY.move_to_end(key)
        limit = _memory_limit_bytes()
        while len(_MEMORY) > 1 and sum(tb.nbytes() for tb in _MEMORY.values()) > limit:
            _MEMORY.popitem(last=False)


def _forget(key: tuple) -> None:
    with _MEMORY_LOCK:
        _MEMORY.pop(key, None)


def _keys(log: EventLog) -> tuple[tuple, Path | None]:
    """The log's key in memory and its folder in the disk cache (``None``: not stored on disk)."""
    if log.frame is not None:  # a DataFrame (an XLSX sheet, a test): kept in memory only
        how = (log.user, log.event, log.time, log.properties, log.time_kind)
        return ("frame", id(log.frame), how), None
    path = log.source_path()
    if path is None:
        return ("sql", log.source_sql, log.user, log.event, log.time, log.properties, log.time_kind), None
    name = _entry_key(log, path)
    folder = cache_folder() / name if _cache_limit_bytes() > 0 else None
    return ("file", name), folder


def is_ingested(log: EventLog) -> bool:
    """True when the log's table is in memory or on disk, so a funnel on it reads no file."""
    try:
        key, folder = _keys(log)
    except OSError:
        return False
    with _MEMORY_LOCK:
        if key in _MEMORY:
            return True
    return folder is not None and (folder / "meta.json").is_file()


def table_for(log: EventLog, progress: Progress | None = None) -> Table:
    """The log's table: from memory, else from the disk cache, else read now (``progress`` is
    called only then, with ``(fraction, phase)``; phases ``reading``, ``sorting``, ``grouping``)."""
    try:
        key, folder = _keys(log)
    except OSError as exc:
        raise _diagnose(log, exc) from exc
    with _MEMORY_LOCK:
        hit = _MEMORY.get(key)
        if hit is not None:
            _MEMORY.move_to_end(key)
            return hit
        lock = _KEY_LOCKS.setdefault(key, threading.Lock())
    with lock:  # two sessions asking about the same new log: one reads it, the other waits
        with _MEMORY_LOCK:
            hit = _MEMORY.get(key)
        if hit is not None:
            return hit
        table = None
        if folder is not None and folder.is_dir():
            try:
                table = _load(folder)
            except _Corrupt:
                shutil.rmtree(folder, ignore_errors=True)
        if table is None:
            spill = _spill_folder(folder) if folder is not None else None
            try:
                table = read_table(log, progress, spill)
            except BaseException:
                if spill is not None:
                    shutil.rmtree(spill, ignore_errors=True)
                raise
            if log.frame is not None:
                table.source = log.frame  # the frame's id is the key: keep it alive with the table
            if folder is not None:
                _store_in_background(table, folder, spill)
        _remember(key, table)
        with _MEMORY_LOCK:
            _KEY_LOCKS.pop(key, None)
        return table


def reload(log: EventLog) -> Table:
    """Forget the log's table in memory (a stored one whose columns went missing) and find it again."""
    key, folder = _keys(log)
    _forget(key)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)
    return table_for(log)


def ingest(log: EventLog, progress: Progress | None = None) -> None:
    """Read the log into its table now (if not already), calling ``progress(fraction, phase)``
    while reading; later funnels and event lists on the log then read no file."""
    table_for(log, progress)


def _store_in_background(table: Table, folder: Path, tmp: Path | None = None) -> None:
    """Store the table while the first funnel is counted. The thread is not a daemon: a command
    line process finishes storing before it exits."""

    def write() -> None:
        # a full disk or a read-only data folder only loses the cache
        try:
            _store(table, folder, tmp)
        except (OSError, pa.ArrowException):
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)

    thread = threading.Thread(target=write, name="cjm-funnel-store")
    thread.start()
    _WRITERS.append(thread)
    _WRITERS[:] = [w for w in _WRITERS if w.is_alive()]


def wait_for_writes() -> None:
    """Wait until every table being stored is on disk (tests, benchmarks)."""
    for w in list(_WRITERS):
        w.join()
