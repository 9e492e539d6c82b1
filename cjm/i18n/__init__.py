"""Translation: one function, ``t(key, lang)``, and English and Russian catalogues.

Catalogues are the ``catalog_<area>.py`` modules of this package; each defines ``EN`` and ``RU``
dicts with the same keys. They are merged here once, at import.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

__all__ = ["LANGUAGES", "DEFAULT_LANGUAGE", "t", "catalogues", "label", "choice_aliases"]

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
