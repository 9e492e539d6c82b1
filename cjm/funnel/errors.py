"""Named errors of the funnel engine; each message says where the problem is (line, column)."""

from __future__ import annotations

from cjm.errors import CJMError, FileFormatError

__all__ = [
    "FunnelError",
    "FunnelInputError",
    "FunnelEncodingError",
    "FunnelEmptyFileError",
    "FunnelColumnError",
    "FunnelValueError",
    "FunnelParameterError",
    "FunnelSourceError",
    "FunnelWarning",
]


def _pairs(params: dict | tuple | None) -> tuple:
    if not params:
        return ()
    return tuple(params.items()) if isinstance(params, dict) else tuple(params)


class FunnelError(CJMError):
    """Base class of every funnel error; its texts are ``problem.funnel.<code>`` in the catalogue."""

    catalog = "problem.funnel"


class FunnelInputError(FunnelError, FileFormatError):
    """An input file cannot be used as it is: a :class:`cjm.errors.FileFormatError` (``source``,
    ``line``, ``column``, ``code``, ``params``; ``str(exc)`` is ``"x.csv, line 3, column 'users':
    <message>"``) whose text is ``problem.funnel.<code>``.

    ``line`` is the 1-based line of the file (``None`` when the problem is not on one line),
    ``column`` the column name (or ``None``).
    """

    def __init__(
        self,
        message: str,
        *,
        line: int | None = None,
        column: str | None = None,
        source: str | None = None,
        code: str | None = None,
        params: dict | tuple | None = None,
    ):
        FileFormatError.__init__(self, message, code, source=source, line=line, column=column, params=params)


class FunnelEncodingError(FunnelInputError):
    """The file is in no encoding we read (UTF-8, UTF-8 with BOM, cp1251), or is binary."""


class FunnelEmptyFileError(FunnelInputError):
    """The file has no header or no data rows."""


class FunnelColumnError(FunnelInputError):
    """A required column is missing, or a column mapping names a column the file lacks."""


class FunnelValueError(FunnelInputError):
    """A cell holds something the column cannot hold (text in a count, a bad timestamp)."""


class FunnelParameterError(FunnelError):
    """A funnel definition is unusable: no steps, an unknown step, a bad window or mode.

    ``code`` and ``params`` (optional, keywords) make the message translatable, as for every
    :class:`cjm.errors.CJMError`.
    """


class FunnelSourceError(FunnelParameterError):
    """A database source cannot be used: an unknown connection name, a refused connection, a missing
    table or column, a statement stopped by its timeout. The message never holds a URL or a password."""


class FunnelWarning(str):
    """A warning about a funnel or its file: the English text (for the CLI and logs) that also
    carries ``code`` and ``params``, so a page can show it in its own language
    (``funnel.note.<code>`` in the catalogue)."""

    code: str | None
    params: tuple

    def __new__(cls, text: str, *, code: str | None = None, params: dict | tuple | None = None):
        obj = super().__new__(cls, text)
        obj.code = code
        obj.params = _pairs(params)
        return obj
