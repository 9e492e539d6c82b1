"""Size limits for what cjm reads and stores: one place, the same for every file format.

Every reader (JSON, CSV, XLSX) and :func:`cjm.validation.validate_map` check these before any
conversion, so a hostile or careless file gets a clear error naming the place instead of a hang,
a traceback or a value one database takes and another refuses. The limits are documented in
``docs/file-formats.md``.

Each limit can be changed with an environment variable (read when :func:`limits` is first called,
or again after :func:`reset`), or for a block of code with :func:`override`:

>>> with override(max_touchpoints=50):
...     limits().max_touchpoints
50
>>> limits().max_touchpoints
10000
"""

from __future__ import annotations

import dataclasses
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

__all__ = ["Limits", "limits", "override", "reset", "ENV_PREFIX", "ID_COLUMN_CHARS"]

ENV_PREFIX = "CJM_"
#: Map ids are primary keys, VARCHAR(255) on every database: ``max_id_chars`` can only be lower.
ID_COLUMN_CHARS = 255


@dataclass(frozen=True)
class Limits:
    """The limits; each field's environment variable is ``CJM_`` + its name in upper case
    (``CJM_MAX_TOUCHPOINTS=20000``)."""

    #: A map file (JSON, CSV or XLSX) larger than this is refused before it is parsed.
    max_file_bytes: int = 50 * 1024 * 1024
    #: An XLSX is a zip: one that unpacks to more than this is refused (a "zip bomb").
    max_xlsx_unpacked_bytes: int = 400 * 1024 * 1024
    #: Touchpoints in one map, whatever the format (CSV/XLSX rows, JSON nodes, the editor).
    max_touchpoints: int = 10_000
    #: Transitions in one map.
    max_transitions: int = 100_000
    #: Rows of an XLSX sheet other than the touchpoints (transitions, comments, votes), and rows of
    #: any sheet counted with its blank rows.
    max_sheet_rows: int = 100_000
    #: Columns of a CSV or an XLSX sheet (a declared sheet width above it is refused unread).
    max_columns: int = 1_000
    #: Characters in one CSV or XLSX cell. The CSV reader's own limit is 131,072; a higher value
    #: is capped there (cjm never changes that process-wide setting).
    max_cell_chars: int = 131_072
    #: Nesting depth of a JSON file (objects and lists inside each other; a map needs 5).
    max_json_depth: int = 32
    #: Digits of a number in a file (a longer one is not a number cjm can use).
    max_number_digits: int = 40
    #: Characters of a map id (ids are primary keys, VARCHAR(255): a higher value counts as 255).
    max_id_chars: int = 255
    #: Comments, and votes, on one touchpoint.
    max_records: int = 10_000
    #: Stages in one map.
    max_stages: int = 200


_lock = threading.Lock()
_current: Limits | None = None
_local = threading.local()


def _from_env() -> Limits:
    values = {}
    for f in dataclasses.fields(Limits):
        raw = os.environ.get(ENV_PREFIX + f.name.upper(), "").strip().replace("_", "")
        if not raw:
            continue
        try:
            number = int(raw)
        except ValueError:
            raise ValueError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} is not a whole number") from None
        if number < 1:
            raise ValueError(f"{ENV_PREFIX}{f.name.upper()}={raw!r} must be at least 1")
        values[f.name] = number
    return Limits(**values)


def limits() -> Limits:
    """The limits in force (an :func:`override` in this thread, else the environment's)."""
    local = getattr(_local, "stack", None)
    if local:
        return local[-1]
    global _current
    if _current is None:
        with _lock:
            if _current is None:
                _current = _from_env()
    return _current


def reset() -> None:
    """Read the environment variables again at the next :func:`limits` call."""
    global _current
    with _lock:
        _current = None


@contextmanager
def override(**changes: int) -> Iterator[Limits]:
    """Limits changed for the code inside the ``with`` block, in this thread only."""
    new = dataclasses.replace(limits(), **changes)
    stack = getattr(_local, "stack", None)
    if stack is None:
        stack = _local.stack = []
    stack.append(new)
    try:
        yield new
    finally:
        stack.pop()
