"""The one chart theme: font, text colours, the emotion colour scale and the feeling, phase and map
colours shared by every figure (journey maps, emotion curve, audit and flow charts) and by the
one-page summary.

An emotion has one colour everywhere: :func:`emotion_colour` runs from the *negative* colour at −2
through the *neutral* colour at 0 to the *positive* colour at +2 (a convention test fails when a
figure writes its own). Feeling swatches (legends, summary cards) use :data:`FEELING_COLOURS`, the
scale's ends and middle.
"""

from __future__ import annotations

import math
from typing import Any

from cjm import schema

__all__ = [
    "FONT",
    "FONT_PX",
    "TEXT_DARK",
    "TEXT_MUTED",
    "GRID_LINE",
    "FEELING_COLOURS",
    "TONE_COLOURS",
    "UNASSESSED",
    "EMOTION_SCALE",
    "emotion_colour",
    "PHASE_COLOURS",
    "PHASE_TEXT_COLOURS",
    "MAP_COLOURS",
    "HIGHLIGHT_COLOURS",
    "font",
    "separators",
    "date_axis",
    "plotly_config",
]

#: Every figure's font (DejaVu and Liberation stand in for Arial on Linux exports).
FONT = "Arial, 'DejaVu Sans', 'Liberation Sans', sans-serif"
FONT_PX = 13
TEXT_DARK = "#1f2933"
TEXT_MUTED = "#6b7280"
GRID_LINE = "#d0d5dd"

#: A feeling's colour (see :func:`cjm.emotion.feeling`): red, amber, green; grey when not assessed.
FEELING_COLOURS = {
    "negative": "#d73027",
    "neutral": "#e6a100",
    "positive": "#1a9850",
    "unassessed": "#9aa5b1",
}
UNASSESSED = FEELING_COLOURS["unassessed"]
#: Large text in a feeling's colour (summary cards): amber is darkened to stay readable on white.
TONE_COLOURS = {
    "negative": FEELING_COLOURS["negative"],
    "neutral": "#a36f00",
    "positive": FEELING_COLOURS["positive"],
    "none": "#1f3b73",
}

_STOPS = (
    (schema.EMOTION_MIN, FEELING_COLOURS["negative"]),
    (0.0, FEELING_COLOURS["neutral"]),
    (schema.EMOTION_MAX, FEELING_COLOURS["positive"]),
)
#: The emotion scale as a plotly colour scale (for ``cmin=-2, cmax=2`` markers and colour bars).
EMOTION_SCALE = [[(v - schema.EMOTION_MIN) / (schema.EMOTION_MAX - schema.EMOTION_MIN), c] for v, c in _STOPS]


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def emotion_colour(value: Any, alpha: float | None = None) -> str:
    """The colour of an emotion on the −2 … +2 scale (grey when not assessed); with ``alpha``, an
    ``rgba(...)`` string.

    >>> emotion_colour(-2), emotion_colour(0), emotion_colour(2), emotion_colour(None)
    ('#d73027', '#e6a100', '#1a9850', '#9aa5b1')
    >>> emotion_colour(-1), emotion_colour(-1, 0.35)
    ('#de6814', 'rgba(222,104,20,0.35)')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        colour = UNASSESSED
    else:
        v = max(schema.EMOTION_MIN, min(schema.EMOTION_MAX, float(value)))
        (v0, c0), (v1, c1) = (_STOPS[0], _STOPS[1]) if v <= 0 else (_STOPS[1], _STOPS[2])
        f = (v - v0) / (v1 - v0)
        rgb = [round(a + (b - a) * f) for a, b in zip(_rgb(c0), _rgb(c1), strict=True)]
        colour = "#" + "".join(f"{x:02x}" for x in rgb)
    if alpha is None:
        return colour
    r, g, b = _rgb(colour)
    return f"rgba({r},{g},{b},{alpha})"


#: Background of each phase's band, and its heading colour.
PHASE_COLOURS = {"before_purchase": "#dbeafe", "purchase": "#ede9fe", "after_purchase": "#d1fae5"}
PHASE_TEXT_COLOURS = {"before_purchase": "#1e3a8a", "purchase": "#4c1d95", "after_purchase": "#065f46"}

#: Line colours of overlaid maps, in order (the first is the focus map).
MAP_COLOURS = ("#1f3b73", "#8e3fb0", "#0f8b8d", "#b5542c", "#5f6b2d", "#c2185b")


#: The path highlighted on the flow network: the most travelled (blue), the worst by emotion (the
#: negative colour), the worst by drop-off (orange).
HIGHLIGHT_COLOURS = {
    "most_travelled": "#1565c0",
    "worst_emotion": FEELING_COLOURS["negative"],
    "worst_drop_off": "#ef6c00",
}


def font(size: int = FONT_PX, color: str = TEXT_DARK, **extra: Any) -> dict[str, Any]:
    """A plotly font in the theme's family.

    >>> font(14)["family"] == FONT
    True
    """
    return dict(family=FONT, size=size, color=color, **extra)


def separators(lang: str = "en") -> str:
    """Plotly's ``layout.separators`` for ``lang`` (decimal mark, then the thousands separator), so
    numbers plotly formats itself (axis ticks, hover values) read as :mod:`cjm.text` writes them:
    ``18 455`` and ``7,3`` in Russian.

    >>> separators("en"), separators("ru") == ",\u202f"
    ('.,', True)
    """
    from cjm.text import GROUP_SEP

    return ("," if lang == "ru" else ".") + GROUP_SEP.get(lang, ",")


def date_axis(dates: Any, lang: str = "en", *, max_ticks: int = 8) -> dict[str, Any]:
    """Properties of a date axis whose labels read as :func:`cjm.text.fmt_date` writes dates in
    ``lang`` (``6 сен`` in Russian, ``6 Sep`` in English; plotly's own date labels are English
    only): ticks at the given dates (every n-th, at most ``max_ticks``), the year under the first
    tick and under each tick that starts a new year. Hover texts use :func:`cjm.text.fmt_date` too.

    >>> ax = date_axis(["2026-08-30", "2026-09-06", "2027-01-03"], "ru")
    >>> ax["ticktext"]
    ['30 авг<br>2026', '6 сен', '3 янв<br>2027']
    >>> ax["tickvals"][1], ax["type"]
    ('2026-09-06', 'date')
    """
    from datetime import date, datetime

    from cjm.text import fmt_date

    def day(value: Any) -> date:
        if isinstance(value, str):
            value = datetime.fromisoformat(value.strip())
        if hasattr(value, "to_pydatetime"):  # a pandas Timestamp
            value = value.to_pydatetime()
        return value.date() if isinstance(value, datetime) else value

    days = sorted({day(v) for v in dates})
    step = max(1, math.ceil(len(days) / max_ticks))
    shown = days[::step]
    texts, year = [], None
    for d in shown:
        text = fmt_date(d, lang, with_year=False)
        if d.year != year:
            text += f"<br>{d.year}"
            year = d.year
        texts.append(text)
    return dict(type="date", tickmode="array", tickvals=[d.isoformat() for d in shown], ticktext=texts)


#: The texts of plotly's toolbar and tips, by plotly.js's English (the catalogue keys ``plotly.*``).
_PLOTLY_TEXTS = (
    "Zoom", "Pan", "Box Select", "Lasso Select", "Zoom in", "Zoom out", "Autoscale", "Reset axes", "Reset view",
    "Reset", "Download plot as a PNG", "Download plot", "Toggle Spike Lines", "Show closest data on hover",
    "Toggle show closest data on hover", "Compare data on hover", "Double-click to zoom back out",
    "Double-click on legend to isolate one trace", "Preparing image - this may take a few seconds",
    "Image download succeeded", "Sorry, there was a problem downloading your image!",
)  # fmt: skip


def plotly_config(lang: str = "en", config: dict[str, Any] | None = None) -> dict[str, Any]:
    """Plotly's ``config`` for a figure shown in ``lang``: ``config`` plus, in a language other than
    English, plotly's locale (its toolbar and tips in ``lang``, from the catalogues' ``plotly.*``
    texts; month names and separators for anything plotly writes itself). Plotly ships only English;
    the locale travels with each figure's config, no script is loaded.

    >>> cfg = plotly_config("ru", {"displaylogo": False})
    >>> cfg["locale"], cfg["displaylogo"], cfg["locales"]["ru"]["dictionary"]["Zoom in"]
    ('ru', False, 'Приблизить')
    >>> cfg["locales"]["ru"]["format"]["shortMonths"][8], plotly_config("en") == {}
    ('сен', True)
    """
    import re

    from cjm.i18n import t
    from cjm.text import GROUP_SEP, MONTHS_SHORT

    out = dict(config or {})
    if lang == "en" or lang not in MONTHS_SHORT:
        return out
    dictionary = {
        text: t("plotly." + re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_"), lang) for text in _PLOTLY_TEXTS
    }
    months = list(MONTHS_SHORT[lang])
    fmt = {"months": months, "shortMonths": months, "decimal": ",", "thousands": GROUP_SEP[lang]}
    out.setdefault("locale", lang)
    out.setdefault("locales", {lang: {"dictionary": dictionary, "format": fmt}})
    return out
