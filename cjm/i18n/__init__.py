"""Translation: one function, ``t(key, lang)``, and English and Russian catalogues.

Catalogues are the ``catalog_<name>.py`` modules of this package: one per page, named after it
(``catalog_journey_map.py`` for ``pages/journey_map.py``), plus ``catalog_app.py`` (the app shell),
``catalog_core.py`` (the schema's names, shared by every page) and ``catalog_problems.py`` (problems
and errors). Each defines ``EN`` and ``RU`` dicts with the same keys. They are merged here once, at
import.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from typing import Any

__all__ = [
    "LANGUAGES",
    "LANGUAGE_NAMES",
    "DEFAULT_LANGUAGE",
    "t",
    "has",
    "MissingTranslation",
    "catalogues",
    "label",
    "choice_aliases",
    "place_text",
    "problem_text",
    "problem_line",
    "field_text",
    "file_place_text",
    "error_text",
]

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
#: Each language by its own name (the language picker, a map's language in notes and diffs).
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}


def _load() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda i: i.name):
        if not info.name.startswith("catalog_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for lang in LANGUAGES:
            merged[lang].update(getattr(module, lang.upper()))
    return merged


_CATALOGUES = _load()


def catalogues() -> dict[str, dict[str, str]]:
    """The merged catalogues, ``{lang: {key: text}}`` (a copy)."""
    return {lang: dict(cat) for lang, cat in _CATALOGUES.items()}


#: Set (to anything but "" or "0") under the tests: a missing key raises instead of showing the key.
STRICT_ENV = "CJM_STRICT_I18N"


class MissingTranslation(KeyError):  # noqa: N818 - a KeyError, named for what is missing
    """A key used in the code is in no catalogue (raised only when :data:`STRICT_ENV` is set)."""


def _strict() -> bool:
    return os.environ.get(STRICT_ENV, "") not in ("", "0")


def has(key: str) -> bool:
    """Whether ``key`` is in the catalogues (for texts that exist only for some values)."""
    return key in _CATALOGUES[DEFAULT_LANGUAGE]


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **kwargs: Any) -> str:
    """The text for ``key`` in ``lang``, formatted with ``kwargs``.

    Falls back to English, then to the key itself, so a missing key is visible but never crashes a
    page; under the tests (``CJM_STRICT_I18N=1``, set by ``tests/conftest.py``) a missing key raises
    :class:`MissingTranslation`, so keys built at run time (``t(f"stage.{sid}")``) are checked too.
    Test for optional texts with :func:`has`.

    >>> t("phase.purchase", "ru")
    'Покупка'
    """
    cat = _CATALOGUES.get(lang) or _CATALOGUES[DEFAULT_LANGUAGE]
    text = cat.get(key) or _CATALOGUES[DEFAULT_LANGUAGE].get(key)
    if text is None:
        if _strict():
            raise MissingTranslation(f"no text for {key!r} in cjm/i18n/catalog_*.py")
        text = key
    return text.format(**kwargs) if kwargs else text


def label(kind: str, value: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """The display name of a schema choice: ``label("channel", "website", "ru") == 'Сайт'``.

    Unknown values are returned as they are (so custom text shows unchanged); empty gives "".
    """
    if not value:
        return ""
    key = f"{kind}.{value}"
    if key in _CATALOGUES[DEFAULT_LANGUAGE]:
        return t(key, lang)
    return str(value)


def choice_aliases(kind: str, values: tuple[str, ...]) -> dict[str, str]:
    """Lower-cased ids and labels in every language → the choice id, for reading files."""
    out: dict[str, str] = {}
    for value in values:
        out[value.lower()] = value
        out[value.replace("_", " ").lower()] = value
        out[value.replace("_", "-").lower()] = value
        for lang in LANGUAGES:
            text = _CATALOGUES[lang].get(f"{kind}.{value}")
            if text:
                out[text.lower()] = value
    return out


# --- places, problems and errors (cjm.errors) ---------------------------------------------------------
# A place is data (cjm.errors.Place: kind + params) rendered with problem.loc.<kind>; a message is a code
# and params rendered with problem.<code> (problems) or <catalog>.<code> (errors). A translation is used
# only when its English text rebuilds the English message the code wrote, so a stale text never says
# something the English does not; otherwise the English message is shown.

#: File names cjm gives a source that has none of its own: words to translate, not names.
_UNNAMED_SOURCES = {"upload": "problem.where.upload", "event log": "problem.where.event_log"}


def _format(key: str, lang: str, params: dict[str, Any]) -> str:
    cat = _CATALOGUES.get(lang) or _CATALOGUES[DEFAULT_LANGUAGE]
    text = cat.get(key) or _CATALOGUES[DEFAULT_LANGUAGE][key]
    return text.format(**params)


def place_text(place: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """A :class:`cjm.errors.Place` in ``lang``: ``problem.loc.<kind>`` with its params.

    >>> from cjm.errors import Place
    >>> place_text(Place("sheet_row", {"sheet": "stages", "n": 3}), "ru")
    "лист 'stages', строка 3"
    """
    return _format(f"problem.loc.{place.kind}", lang, dict(place.params))


def _values(params: Any, lang: str, numbers: bool = True) -> dict[str, Any]:
    """A message's params ready for its text in ``lang``: places rendered, and (``numbers``) counts
    and sizes written as :mod:`cjm.text` writes them (``131 072``, ``1,5`` in Russian)."""
    from cjm.errors import Place
    from cjm.text import fmt_int, number_text

    def value(v: Any) -> Any:
        if isinstance(v, Place):
            return place_text(v, lang)
        if numbers and isinstance(v, int) and not isinstance(v, bool):
            return fmt_int(v, lang)
        if numbers and isinstance(v, float):
            return number_text(v, lang)
        return v

    return {k: value(v) for k, v in dict(params or ()).items()}


def _message(code: str, params: dict[str, Any], lang: str) -> str:
    if code == "part":  # "users <inner message>": a part of a transition cell and what is wrong with it
        inner = {k: v for k, v in params.items() if k not in ("part", "inner")}
        part = str(params.get("part"))
        params = {
            **params,
            "inner": _message(str(params.get("inner")), inner, lang),
            "part": t(f"problem.part.{part}", lang) if f"problem.part.{part}" in _CATALOGUES["en"] else part,
        }
    if code == "record_part":  # "comment 2, 'text': <inner message>": one value of a comment or vote
        inner = {k: v for k, v in params.items() if k not in ("noun", "inner")}
        params = {
            **params,
            "inner": _message(str(params.get("inner")), inner, lang),
            "noun": t(f"problem.noun.{params.get('noun')}", lang),
        }
    return _format(f"problem.{code}", lang, params)


def _checked(english: str, render: Any, lang: str) -> str:
    """``render(lang, numbers)`` when ``render("en", numbers)`` is exactly ``english``; else
    ``english``. Numbers written per language are tried first (a message that writes its count as
    ``fmt_int`` does), then numbers as they are (a line number written plainly)."""
    for numbers in (True, False):
        try:
            if render(DEFAULT_LANGUAGE, numbers) == english:
                return render(lang, numbers)
        except (KeyError, IndexError, ValueError, AttributeError, TypeError):
            continue
    return english


def problem_text(problem: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """What is wrong, in ``lang``: the catalogue text ``problem.<code>`` formatted with the problem's
    params, or its English ``message`` when it has no code (or the text does not fit it).

    >>> from cjm.errors import Place, Problem
    >>> problem_text(Problem(Place("line", {"n": 2}), "emotion", "9 is outside -2 … 2", "out_of_range",
    ...                      (("value", "9"), ("lo", "-2"), ("hi", "2"))), "ru")
    '9 — вне диапазона -2 … 2'
    """
    code = getattr(problem, "code", None)
    if not code or f"problem.{code}" not in _CATALOGUES[DEFAULT_LANGUAGE]:
        return problem.message
    return _checked(problem.message, lambda lg, num: _message(code, _values(problem.params, lg, num), lg), lang)


def field_text(field: Any, place: Any = None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A problem's field as the user knows it: a place (an unnamed column) rendered in ``lang``; in
    English as written (the field id or the file's header); in another language a touchpoint field's
    translated label when the place holds touchpoint fields, else as written."""
    from cjm.errors import TOUCHPOINT_PLACES, Place

    if isinstance(field, Place):
        return place_text(field, lang)
    if lang == DEFAULT_LANGUAGE or lang not in _CATALOGUES:
        return str(field)
    if getattr(place, "kind", None) in TOUCHPOINT_PLACES and f"field.{field}" in _CATALOGUES[DEFAULT_LANGUAGE]:
        return t(f"field.{field}", lang)
    return str(field)


def problem_line(problem: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """The whole problem on one line in ``lang``: place, field (its translated label) and message.
    In English it is ``str(problem)``.

    >>> from cjm.errors import Place, Problem
    >>> problem_line(Problem(Place("line", {"n": 2}), "emotion", "9 is outside -2 … 2", "out_of_range",
    ...                      (("value", "9"), ("lo", "-2"), ("hi", "2"))), "ru")
    'строка 2, поле «Эмоция»: 9 — вне диапазона -2 … 2'
    """
    where = place_text(problem.place, lang)
    message = problem_text(problem, lang)
    if problem.field is None:
        return t("problem.line", lang, where=where, message=message)
    field = field_text(problem.field, problem.place, lang)
    return t("problem.line_field", lang, where=where, field=field, message=message)


def file_place_text(exc: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """Where in a file an error is, in ``lang`` ("x.csv, line 3, column 'users'"; "" when unknown).

    Works on any :class:`cjm.errors.FileFormatError` (the funnel readers' errors included)."""
    where = []
    if source := getattr(exc, "source", None):
        source = str(source)
        where.append(t(_UNNAMED_SOURCES[source], lang) if source in _UNNAMED_SOURCES else source)
    if (line := getattr(exc, "line", None)) is not None:
        where.append(t("problem.where.line", lang, n=line))
    if (column := getattr(exc, "column", None)) is not None:
        key = "problem.where.column_n" if isinstance(column, int) else "problem.where.column"
        where.append(t(key, lang, name=column))
    return ", ".join(where)


def error_text(exc: BaseException, lang: str = DEFAULT_LANGUAGE) -> str:
    """An error's message in ``lang``.

    A :class:`cjm.errors.CJMError` with a ``code`` is rendered from ``<catalog>.<code>`` (``catalog`` is
    set by its class: ``problem.file`` for unreadable files, ``problem.funnel`` for funnel errors,
    ``problem.error`` for the rest), after its place when it is a file error; anything else is
    ``str(exc)``.

    >>> from cjm.errors import FileFormatError
    >>> error_text(FileFormatError("the file is empty", "empty", source="a.csv"), "ru")
    'a.csv: файл пустой'
    """
    from cjm.errors import CJMError, FileFormatError

    code = getattr(exc, "code", None)
    if not isinstance(exc, CJMError) or not isinstance(code, str):
        return str(exc)
    key = f"{exc.catalog}.{code}"
    if key not in _CATALOGUES[DEFAULT_LANGUAGE]:
        return str(exc)

    def render(lg: str, numbers: bool) -> str:
        message = _format(key, lg, _values(exc.params, lg, numbers))
        where = file_place_text(exc, lg) if isinstance(exc, FileFormatError) else ""
        return t("problem.line", lg, where=where, message=message) if where else message

    return _checked(str(exc), render, lang)
