"""Named domain errors: every failure a user can cause is one of these, never a bare traceback.

Where a problem is and what is wrong are data, not English text: a :class:`Place` is a ``kind`` and
its ``params`` (``Place("line", {"n": 3})``), a message a ``code`` and its ``params``;
``cjm.i18n`` renders both in the interface language (``problem.loc.<kind>``, ``problem.<code>``).
``str()`` of any of them is the English rendering, for the command line and logs.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as _field
from typing import Any

__all__ = [
    "PLACE_KINDS",
    "Place",
    "CJMError",
    "Problem",
    "ValidationError",
    "FileFormatError",
    "ConflictError",
    "MapNotFoundError",
    "ValueProblem",
    "problem_from",
]

#: Every kind of place a problem can be, with the params each takes; ``problem.loc.<kind>`` renders it.
PLACE_KINDS: dict[str, tuple[str, ...]] = {
    "map": (),
    "persona": (),
    "file": (),
    "table": (),
    "quick_add": (),
    "touchpoint": ("id",),
    "stage": ("n",),  # the n-th stage of the map's stage list
    "stage_id": ("id",),
    "transition": ("source", "target"),
    "transition_n": ("n",),  # the n-th transition record of a file
    "transition_n_ends": ("n", "source", "target"),
    "node": ("n",),  # the n-th node record of a file
    "line": ("n",),  # a line of a text file (CSV)
    "row": ("n",),  # a row of a table on screen
    "sheet": ("sheet",),
    "sheet_row": ("sheet", "n"),
    "column": ("n",),  # a column without a header, counted from 1
    "touchpoint_table_row": ("n",),
    "transition_table_row": ("n",),
    "stage_table_row": ("n",),
    "new_row": ("n",),
    "new_transition_row": ("n",),
    "new_stage_row": ("n",),
}

_PLACE_NAMES = {kind: frozenset(names) for kind, names in PLACE_KINDS.items()}

#: Kinds of places whose fields are touchpoint fields (so a field id is shown with its label).
TOUCHPOINT_PLACES = frozenset({"touchpoint", "line", "row", "sheet_row"})


def _pairs(params: Mapping[str, Any] | tuple | None, more: Mapping[str, Any] | None = None) -> tuple:
    """Params as a tuple of ``(name, value)`` pairs (hashable, ordered)."""
    out = dict(params.items() if isinstance(params, Mapping) else (params or ()))
    out.update(more or {})
    return tuple(out.items())


@dataclass(frozen=True)
class Place:
    """Where a problem is: a ``kind`` (one of :data:`PLACE_KINDS`) and its ``params``.

    ``params`` may be given as a dict; it is kept as a tuple of ``(name, value)`` pairs so a place is
    hashable. Values are raw (an id as the user wrote it); the catalogue text quotes them.

    >>> str(Place("sheet_row", {"sheet": "stages", "n": 3}))
    "sheet 'stages', row 3"
    >>> Place("touchpoint", {"id": "tp-1"}) == Place("touchpoint", (("id", "tp-1"),))
    True
    """

    kind: str
    params: tuple = ()

    def __post_init__(self) -> None:
        expected = _PLACE_NAMES.get(self.kind)
        if expected is None:
            raise ValueError(f"unknown kind of place {self.kind!r}; the kinds are {', '.join(PLACE_KINDS)}")
        params = self.params
        pairs = tuple(params.items()) if isinstance(params, Mapping) else tuple(params)
        if len(pairs) != len(expected) or not all(n in expected for n, _ in pairs):
            raise ValueError(f"a {self.kind!r} place takes {PLACE_KINDS[self.kind]}, not {tuple(n for n, _ in pairs)}")
        object.__setattr__(self, "params", pairs)

    def get(self, name: str, default: Any = None) -> Any:
        """One param's value."""
        return dict(self.params).get(name, default)

    def __str__(self) -> str:
        from cjm.i18n import place_text

        return place_text(self, "en")


class CJMError(Exception):
    """Base class of every error cjm raises on purpose; pages show it with ``cjm_ui.show_error``.

    ``code`` and ``params`` make the message translatable: ``cjm.i18n.error_text`` renders the
    catalogue text ``<catalog>.<code>`` (``catalog`` is a class attribute, ``problem.error`` here).
    ``message`` is the English message the code wrote; ``str(exc)`` the whole English text.
    """

    catalog = "problem.error"

    def __init__(
        self, message: str = "", code: str | None = None, *, params: Mapping[str, Any] | tuple | None = None, **more
    ):
        super().__init__(message)
        self.message = message
        self.code = code
        self.params = _pairs(params, more)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a map or a file, and where it is.

    ``place`` is where (a :class:`Place`), ``field`` the field id or the file's column header (or a
    ``Place("column", ...)`` for a column without one, or ``None``), ``message`` what is wrong in
    English. ``code`` and ``params`` make the message translatable: ``cjm.i18n.problem_text`` renders
    ``problem.<code>`` with ``params`` (``(name, value)`` pairs; a value may be a :class:`Place`). They
    take no part in equality.
    """

    place: Place
    field: str | Place | None
    message: str
    code: str | None = _field(default=None, compare=False)
    params: tuple = _field(default=(), compare=False)

    def __post_init__(self) -> None:
        if not isinstance(self.place, Place):
            raise TypeError(f"a problem's place is a cjm.errors.Place, not {type(self.place).__name__}")
        object.__setattr__(self, "params", _pairs(self.params))

    @property
    def location(self) -> str:
        """The place in English (``"touchpoint 'tp-3'"``, ``"line 5"``)."""
        return str(self.place)

    def __str__(self) -> str:
        from cjm.i18n import problem_line

        return problem_line(self, "en")


class ValueProblem(ValueError):  # noqa: N818 - a ValueError, named for what it carries
    """A ``ValueError`` that also carries a translatable ``code`` and its ``params``.

    ``str(exc)`` is the English message, as for any ``ValueError``; code that builds a
    :class:`Problem` from it passes ``exc.code`` and ``exc.params`` on.
    """

    def __init__(self, message: str, code: str, **params):
        super().__init__(message)
        self.code = code
        self.params = tuple(params.items())


def problem_from(place: Place, field: str | Place | None, exc: Exception) -> Problem:
    """A :class:`Problem` from an exception, keeping its code and params when it is a ``ValueProblem``."""
    return Problem(place, field, str(exc), getattr(exc, "code", None), getattr(exc, "params", ()))


class ValidationError(CJMError):
    """A map or a file breaks the schema; ``problems`` lists every problem, not just the first."""

    def __init__(self, problems: list[Problem], *, source: str | None = None):
        self.problems = list(problems)
        self.source = source
        head = f"{source}: " if source else ""
        n = len(self.problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{head}{n} problem{'s' if n != 1 else ''}:\n{lines}")


class FileFormatError(CJMError):
    """A file cannot be read (wrong encoding, not JSON, empty, unknown format, a cell that cannot be
    used): the base class of every "cannot read this file" error, the funnel readers' included.

    ``source`` is the file's name (``None`` when it has none), ``line`` the 1-based line, ``column`` a
    column's name or 1-based number (each ``None`` when unknown). ``message`` says what is wrong, without
    the place; ``str(exc)`` is ``"<source>, line <n>, column <c>: <message>"`` in English and
    ``cjm.i18n.error_text`` renders the place and ``<catalog>.<code>`` (``problem.file.<code>``) in the
    interface language.
    """

    catalog = "problem.file"

    def __init__(
        self,
        message: str,
        code: str | None = None,
        *,
        source: str | None = None,
        line: int | None = None,
        column: str | int | None = None,
        params: Mapping[str, Any] | tuple | None = None,
        **more: Any,
    ):
        super().__init__(message, code, params=params, **more)
        self.source, self.line, self.column = source, line, column
        from cjm.i18n import file_place_text

        where = file_place_text(self, "en")
        self.args = (f"{where}: {message}" if where else message,)


class ConflictError(CJMError):
    """A save was made against a version that is no longer the latest (optimistic concurrency)."""

    def __init__(self, map_id: str, expected: int, actual: int):
        self.map_id, self.expected, self.actual = map_id, expected, actual
        super().__init__(
            f"map {map_id!r} changed meanwhile: you edited version {expected}, the latest is version {actual}",
            "conflict",
            id=map_id,
            expected=expected,
            actual=actual,
        )


class MapNotFoundError(CJMError):
    """No map (or no such version of it) in the store; ``code``/``params`` as for every :class:`CJMError`."""
