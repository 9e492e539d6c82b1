"""Named domain errors: every failure a user can cause is one of these, never a bare traceback."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as _field

__all__ = [
    "CJMError",
    "Problem",
    "ValidationError",
    "FileFormatError",
    "ConflictError",
    "MapNotFoundError",
    "ValueProblem",
    "problem_from",
]


class CJMError(Exception):
    """Base class of every error cjm raises on purpose; pages show its message with ``st.error``.

    ``code`` and ``params`` (set by some subclasses) make the message translatable, see
    ``cjm.i18n.error_text``; ``str(exc)`` is always the English message.
    """

    code: str | None = None
    params: tuple = ()


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a map or a file, and where it is.

    ``location`` names the place ("touchpoint 'tp-3'", "line 5", "transition 'a' → 'b'", "map"),
    ``field`` the field or column (or ``None``), ``message`` what is wrong (in English).

    ``code`` and ``params`` make the message translatable: ``cjm.i18n.problem_text`` renders the
    catalogue text ``problem.<code>`` formatted with ``params`` (a tuple of ``(name, value)`` pairs, so
    the problem stays hashable). Both are optional and take no part in equality, so a problem made
    without them equals one made with them.
    """

    location: str
    field: str | None
    message: str
    code: str | None = _field(default=None, compare=False)
    params: tuple = _field(default=(), compare=False)

    def __str__(self) -> str:
        where = self.location if self.field is None else f"{self.location}, field '{self.field}'"
        return f"{where}: {self.message}"


class ValueProblem(ValueError):  # noqa: N818 - a ValueError, named for what it carries
    """A ``ValueError`` that also carries a translatable ``code`` and its ``params``.

    ``str(exc)`` is the English message, as for any ``ValueError``; code that builds a
    :class:`Problem` from it passes ``exc.code`` and ``exc.params`` on.
    """

    def __init__(self, message: str, code: str, **params):
        super().__init__(message)
        self.code = code
        self.params = tuple(params.items())


def problem_from(location: str, field: str | None, exc: Exception) -> Problem:
    """A :class:`Problem` from an exception, keeping its code and params when it is a ``ValueProblem``."""
    return Problem(location, field, str(exc), getattr(exc, "code", None), getattr(exc, "params", ()))


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
    """A file cannot be read at all (wrong encoding, not JSON, empty, unknown format).

    ``code`` and ``params`` (optional) make the message translatable: ``cjm.i18n.error_text``
    renders ``problem.file.<code>``; ``str(exc)`` stays the English message.
    """

    def __init__(self, message: str, code: str | None = None, **params):
        super().__init__(message)
        self.code = code
        self.params = tuple(params.items())


class ConflictError(CJMError):
    """A save was made against a version that is no longer the latest (optimistic concurrency)."""

    def __init__(self, map_id: str, expected: int, actual: int):
        self.map_id, self.expected, self.actual = map_id, expected, actual
        super().__init__(
            f"map {map_id!r} changed meanwhile: you edited version {expected}, the latest is version {actual}"
        )
        self.code = "conflict"
        self.params = (("id", repr(map_id)), ("expected", expected), ("actual", actual))


class MapNotFoundError(CJMError):
    """No map (or no such version of it) in the store; ``code``/``params`` optional, as for ``FileFormatError``."""

    def __init__(self, message: str, code: str | None = None, **params):
        super().__init__(message)
        self.code = code
        self.params = tuple(params.items())
