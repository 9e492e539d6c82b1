"""Translation: one function, ``t(key, lang)``, and English and Russian catalogues.

Catalogues are the ``catalog_<area>.py`` modules of this package; each defines ``EN`` and ``RU``
dicts with the same keys. They are merged here once, at import.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

__all__ = [
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "t",
    "catalogues",
    "label",
    "choice_aliases",
    "problem_text",
    "problem_line",
    "location_text",
    "field_text",
    "error_text",
]

LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"


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


def t(key: str, lang: str = DEFAULT_LANGUAGE, /, **kwargs: Any) -> str:
    """The text for ``key`` in ``lang``, formatted with ``kwargs``.

    Falls back to English, then to the key itself, so a missing key is visible but never crashes
    (a test makes sure no key is missing).

    >>> t("phase.purchase", "ru")
    'Покупка'
    """
    cat = _CATALOGUES.get(lang) or _CATALOGUES[DEFAULT_LANGUAGE]
    text = cat.get(key) or _CATALOGUES[DEFAULT_LANGUAGE].get(key) or key
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


# --- problems (cjm.errors.Problem) -------------------------------------------------------------------

#: The places a problem can be, as written by cjm (English), and their catalogue keys.
_LOCATIONS: tuple[tuple[re.Pattern[str], str, tuple[str, ...]], ...] = tuple(
    (re.compile(pattern), key, names)
    for pattern, key, names in (
        (r"(touchpoint|transition|stage) table row (\d+)", "", ("n",)),
        (r"new (transition |stage |)row (\d+)", "", ("n",)),
        (r"quick add", "problem.loc.quick_add", ()),
        (r"touchpoint (.+)", "problem.loc.touchpoint", ("id",)),
        (r"line (\d+)", "problem.loc.line", ("n",)),
        (r"row (\d+)", "problem.loc.row", ("n",)),
        (r"sheet ('.*'|\".*\"), row (\d+)", "problem.loc.sheet_row", ("sheet", "n")),
        (r"sheet (.+)", "problem.loc.sheet", ("sheet",)),
        (r"stage (.+)", "problem.loc.stage", ("n",)),
        (r"transition (\d+) \((.+) → (.+)\)", "problem.loc.transition_n_ends", ("n", "source", "target")),
        (r"transition (\d+)", "problem.loc.transition_n", ("n",)),
        (r"transition (.+) → (.+)", "problem.loc.transition", ("source", "target")),
        (r"node (\d+)", "problem.loc.node", ("n",)),
        (r"column (\d+)", "problem.loc.column", ("n",)),
        (r"(map|persona|file|table)", "", ()),
    )
)
#: Places whose fields are touchpoint fields (so ``field.<name>`` is the right label).
_TOUCHPOINT_PLACES = ("problem.loc.touchpoint", "problem.loc.line", "problem.loc.row", "problem.loc.sheet_row")


def _place(location: str) -> tuple[str | None, dict[str, str]]:
    for pattern, key, names in _LOCATIONS:
        if m := pattern.fullmatch(location):
            if key:
                return key, dict(zip(names, m.groups(), strict=False))
            if " row " in location:  # "<table> table row N", "new [<table> ]row N"
                table = f"{m[1]}_table" if "table" in location else ("new_" + m[1].replace(" ", "_")).rstrip("_")
                return f"problem.loc.{table}_row", {"n": m[2]}
            return f"problem.loc.{m[1]}", {}
    return None, {}


def location_text(location: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A problem's place in ``lang``; ids and names in it stay as they are, unknown places unchanged.

    >>> location_text("touchpoint 'tp-1'", "ru"), location_text("sheet 'stages', row 3", "ru")
    ("точка контакта 'tp-1'", "лист 'stages', строка 3")
    """
    key, params = _place(location)
    return t(key, lang, **params) if key else location


def _render(code: str, params: dict[str, Any], lang: str) -> str:
    values = dict(params)
    for name, value in params.items():
        if name.endswith("_loc") and isinstance(value, str):
            values[name] = location_text(value, lang)
    if code == "part":
        inner = {k: v for k, v in values.items() if k not in ("part", "inner")}
        values["inner"] = _render(str(params.get("inner")), inner, lang)
        part = str(params.get("part"))
        values["part"] = t(f"problem.part.{part}", lang) if f"problem.part.{part}" in _CATALOGUES["en"] else part
    return t(f"problem.{code}", lang, **values)


def problem_text(problem: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """What is wrong, in ``lang``: the catalogue text ``problem.<code>`` formatted with the problem's
    params, or its English ``message`` when it has no code (or the text cannot be made).

    >>> from cjm.errors import Problem
    >>> problem_text(Problem("line 2", "emotion", "9 is outside -2 … 2", "out_of_range",
    ...                      (("value", "9"), ("lo", "-2"), ("hi", "2"))), "ru")
    '9 — вне диапазона -2 … 2'
    """
    code = getattr(problem, "code", None)
    if not code or f"problem.{code}" not in _CATALOGUES[DEFAULT_LANGUAGE]:
        return problem.message
    try:
        return _render(code, dict(problem.params or ()), lang)
    except (KeyError, IndexError, ValueError):  # params that do not fit the text: the English message
        return problem.message


def field_text(field: str, location: str = "", lang: str = DEFAULT_LANGUAGE) -> str:
    """A problem's field as the user knows it: in English as written (the field id or the file's
    header, so English lines stay exactly ``str(problem)``); in another language a touchpoint
    field's translated label, else as written."""
    if lang == DEFAULT_LANGUAGE or lang not in _CATALOGUES:
        return field
    if re.fullmatch(r"column \d+", field):
        return location_text(field, lang)
    key, _params = _place(location)
    if key in _TOUCHPOINT_PLACES and f"field.{field}" in _CATALOGUES[DEFAULT_LANGUAGE]:
        return t(f"field.{field}", lang)
    return field


def problem_line(problem: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """The whole problem on one line in ``lang``: place, field (its translated label) and message.

    >>> from cjm.errors import Problem
    >>> problem_line(Problem("line 2", "emotion", "9 is outside -2 … 2", "out_of_range",
    ...                      (("value", "9"), ("lo", "-2"), ("hi", "2"))), "ru")
    'строка 2, поле «Эмоция»: 9 — вне диапазона -2 … 2'
    """
    where = location_text(problem.location, lang)
    message = problem_text(problem, lang)
    if problem.field is None:
        return t("problem.line", lang, where=where, message=message)
    field = field_text(str(problem.field), problem.location, lang)
    return t("problem.line_field", lang, where=where, field=field, message=message)


def error_text(exc: BaseException, lang: str = DEFAULT_LANGUAGE) -> str:
    """An error's message in ``lang``: ``problem.file.<code>`` / ``problem.error.<code>`` for a coded
    ``CJMError`` (unreadable file, save conflict, missing map), the place (file, line, column) and
    ``problem.funnel.<code>`` for a coded funnel error, else ``str(exc)``.

    >>> from cjm.errors import FileFormatError
    >>> error_text(FileFormatError("a.csv: the file is empty", "empty", source="a.csv"), "ru")
    'a.csv: файл пустой'
    """
    code = getattr(exc, "code", None)
    if not code or not isinstance(code, str):
        return str(exc)
    if _is_funnel_error(exc):
        return _funnel_error_text(exc, code, lang)
    keys = [k for k in (f"problem.file.{code}", f"problem.error.{code}") if k in _CATALOGUES[DEFAULT_LANGUAGE]]
    if not keys:
        return str(exc)
    key = keys[0]
    params = dict(getattr(exc, "params", ()) or ())
    if params.get("source") == "file":  # no file name: "file" is a word to translate
        params["source"] = t("problem.loc.file", lang)
    try:
        return t(key, lang, **params)
    except (KeyError, IndexError, ValueError):
        return str(exc)


# --- funnel errors (cjm.funnel.errors) ----------------------------------------------------------------


def _is_funnel_error(exc: BaseException) -> bool:
    # by module, not isinstance: importing cjm.funnel here would load the funnel engine with the UI
    return any(cls.__module__ == "cjm.funnel.errors" for cls in type(exc).__mro__)


def _funnel_source(source: str, lang: str) -> str:
    # the names cjm gives a source that has none of its own are words to translate
    fixed = {"upload": "problem.funnel.where.upload", "event log": "problem.funnel.where.event_log"}
    return t(fixed[source], lang) if source in fixed else source


def _funnel_render(exc: BaseException, code: str, lang: str) -> str:
    cat = _CATALOGUES.get(lang) or _CATALOGUES[DEFAULT_LANGUAGE]
    key = f"problem.funnel.{code}"
    message = (cat.get(key) or _CATALOGUES[DEFAULT_LANGUAGE][key]).format(**dict(getattr(exc, "params", ()) or ()))
    where = []
    if source := getattr(exc, "source", None):
        where.append(_funnel_source(str(source), lang))
    if (line := getattr(exc, "line", None)) is not None:
        where.append(t("problem.funnel.where.line", lang, n=line))
    if (column := getattr(exc, "column", None)) is not None:
        where.append(t("problem.funnel.where.column", lang, name=column))
    return t("problem.line", lang, where=", ".join(where), message=message) if where else message


def _funnel_error_text(exc: BaseException, code: str, lang: str) -> str:
    """A funnel error in ``lang``: its place ("x.csv, line 3, column 'users'", "x.csv, строка 3,
    столбец «users»"), then ``problem.funnel.<code>`` formatted with its params. ``str(exc)`` when the
    code is unknown or its params do not rebuild the English message exactly (so a translation never
    says something the English does not)."""
    if f"problem.funnel.{code}" not in _CATALOGUES[DEFAULT_LANGUAGE]:
        return str(exc)
    try:
        if _funnel_render(exc, code, DEFAULT_LANGUAGE) != str(exc):
            return str(exc)
        return _funnel_render(exc, code, lang)
    except (KeyError, IndexError, ValueError, AttributeError, TypeError):
        return str(exc)
