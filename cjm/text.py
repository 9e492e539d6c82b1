"""Text for people, defined once: whether a value is blank, user text made inert for Markdown or
HTML, and numbers, shares and emotions written the way each language writes them.

Every page, chart, check and export uses these (a convention test fails on a second copy).

The number rule, per language:

============  ===========  ===========
quantity      English      Russian
============  ===========  ===========
count         ``18,455``   ``18 455`` (narrow no-break space)
share         ``7.3%``     ``7,3 %`` (no-break space before ``%``)
emotion       ``−1.0``     ``−1,0``
decimal       ``6.9``      ``6,9``
============  ===========  ===========

Negative numbers carry a real minus sign (``−``, U+2212); an emotion or a change carries ``+`` when
positive and no sign at zero (``0.0``). An unknown value is ``—`` unless the caller asks otherwise.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable
from typing import Any

__all__ = [
    "is_blank",
    "md_escape",
    "shorten",
    "html_escape",
    "plot_escape",
    "formula_safe",
    "FORMULA_START",
    "fmt_int",
    "fmt_decimal",
    "fmt_share",
    "fmt_emotion",
    "number_text",
    "fmt_date",
    "MONTHS_SHORT",
    "MINUS",
    "GROUP_SEP",
    "PERCENT_SEP",
    "MISSING",
]

#: The minus sign printed for people (U+2212): the hyphen is too short next to digits.
MINUS = "\u2212"
#: Russian thousands separator: a narrow no-break space (``18 455``).
GROUP_SEP = {"en": ",", "ru": "\u202f"}
#: What stands between a number and ``%``: nothing in English, a no-break space in Russian.
PERCENT_SEP = {"en": "", "ru": "\u00a0"}
#: An unknown value.
MISSING = "—"

#: Characters with a meaning in Streamlit's Markdown: CommonMark and GFM markup (emphasis, code,
#: links and images, headings, lists, tables, strike-through, autolinks through ``:`` and ``.``),
#: HTML (``<``, ``>``, entities through ``&``), LaTeX (``$``) and emoji shortcodes/colour directives
#: (``:``). Every one of them may be backslash-escaped in CommonMark.
_MD_SPECIAL = frozenset("\\`*_{}[]()#+-.!|<>~$:&")
#: What Streamlit's Markdown turns into a link, an icon or an emoji *after* escapes are read: a bare
#: address (``://``, ``www.``, an e-mail's ``@``) and a shortcode (``:material/home:``, ``:smile:``,
#: ``:red[…]``); the invisible character (U+2060, word joiner) put inside each breaks it.
_AUTOLINK = re.compile(r":(?=[A-Za-z/])|(?i:www)\.|@")
_WORD_JOINER = "\u2060"
_FOLD = re.compile("[ \t\r\n\v\f\x1c-\x1f\x85\u2028\u2029]+")


def _break(match: re.Match) -> str:
    found = match[0]
    if found == ":":
        return ":" + _WORD_JOINER
    return found[:-1] + _WORD_JOINER + found[-1]


def is_blank(value: Any) -> bool:
    """Whether a cell or field holds nothing: ``None``, NaN, pandas' NA/NaT, or only white space.

    >>> [is_blank(v) for v in (None, float("nan"), "  ", "", 0, "x", False)]
    [True, True, True, True, False, False, False]
    """
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return not value.strip()
    # pandas' missing markers, without importing pandas here (NA raises on bool(); NaT != itself).
    kind = type(value).__name__
    return kind in ("NAType", "NaTType")


def shorten(value: Any, limit: float = 24, *, size: Callable[[str], float] = len) -> str:
    """``value`` as one line of at most ``limit`` characters, cut with an ellipsis (a table header
    whose full text goes to its tooltip, a label in a chart, a value quoted in a note).

    White space is folded to single spaces. ``size`` measures a text (``len`` by default); a chart
    passes its pixel measure (:func:`cjm.charts.metrics.text_px`) to cut a line to a box's width.

    >>> shorten("Online shop — current state", 12)
    'Online shop…'
    >>> shorten(None)
    ''
    >>> shorten("abcdef", 4, size=lambda s: 2 * len(s))
    'a…'
    """
    text = "" if is_blank(value) else " ".join(str(value).split())
    if size(text) <= limit:
        return text
    if size is len:
        return text[: max(0, int(limit) - 1)].rstrip() + "…"
    lo, hi = 0, len(text)  # the longest prefix that fits with its ellipsis (a measure grows with length)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if size(text[:mid].rstrip() + "…") <= limit:
            lo = mid
        else:
            hi = mid - 1
    return text[:lo].rstrip() + "…"


def md_escape(value: Any) -> str:
    """User text made inert for Markdown (``st.markdown``, ``st.caption``, ``st.error``, widget labels):
    every character with a Markdown, HTML, LaTeX or emoji-shortcode meaning is backslash-escaped, so
    ``[x](y)`` is no link, ``![x](y)`` no image, ``<b>`` no tag and ``$x$`` no formula; line breaks
    become spaces (a line of its own could start a heading, list or code block).

    >>> print(md_escape("*Pay* now: [link](x) <b>$5</b> & ![i](y)"))
    \\*Pay\\* now\\: \\[link\\]\\(x\\) \\<b\\>\\$5\\</b\\> \\& \\!\\[i\\]\\(y\\)
    >>> md_escape(None)
    ''

    Streamlit's Markdown (GFM) also turns bare addresses into links and shortcodes into icons or
    emoji *after* escapes are read (``http://…``, ``www.…``, ``name@host``, ``:material/home:``):
    an invisible word joiner (U+2060) after such a ``:``, after ``www`` and before ``@`` keeps them
    text, so no link, image or request comes from user text.

    >>> md_escape("http://x.org www.x.org a@x.org :smile:").count("\u2060")
    4
    """
    # Line breaks (and runs of ordinary white space) become one space; no-break spaces stay, so a
    # Russian "18 455" keeps its narrow no-break space.
    text = _FOLD.sub(" ", str("" if value is None else value)).strip(" ")
    text = _AUTOLINK.sub(_break, text)
    return "".join("\\" + c if c in _MD_SPECIAL else c for c in text)


#: A text cell starting with one of these is a formula to a spreadsheet (OWASP's CSV injection list).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """A cell a spreadsheet will not run as a formula (CSV/formula injection): text starting with
    ``= + - @``, a tab or a carriage return gets a leading ``'``, and so does text already starting
    with ``'`` (so reading strips exactly what writing added). Numbers and other values stay as
    they are.

    >>> formula_safe("=SUM(A1)"), formula_safe("-5% off"), formula_safe("'q"), formula_safe(-5), formula_safe("ok")
    ("'=SUM(A1)", "'-5% off", "''q", -5, 'ok')
    """
    if isinstance(value, str) and value.startswith((*FORMULA_START, "'")):
        return "'" + value
    return value


def html_escape(value: Any) -> str:
    """User text made inert for HTML (the one-page summary, exports): ``<``, ``>``, ``&`` and quotes
    become entities, and ``$`` becomes ``&#36;`` (no formula). ``None`` gives "". Chart text uses
    :func:`plot_escape` (plotly shows ``&quot;`` literally).

    >>> html_escape("<img src=x onerror=alert(1)> & $x$")
    '&lt;img src=x onerror=alert(1)&gt; &amp; &#36;x&#36;'
    """
    if value is None:
        return ""
    return html.escape(str(value), quote=True).replace("$", "&#36;")


#: Bidirectional embedding, override and isolate controls: typed into a label, they would reverse or
#: reorder the text drawn after them.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Plotly's text markup: ``<`` starts a tag, ``&`` an entity, ``$`` a formula, ``%{`` a template
#: field (in ``hovertemplate`` / ``texttemplate``). Plotly reads numeric entities and only a few
#: named ones (``&lt;``, ``&gt;``, ``&amp;``), so ``"`` and ``'`` stay as they are: they mean
#: nothing outside a tag, and ``&quot;`` would show literally.
_PLOT_ENTITIES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "$": "&#36;", "{": "&#123;", "}": "&#125;"})


def plot_escape(value: Any) -> str:
    """User text made inert for plotly's text (labels, annotations, hover text, legends): ``<``,
    ``>`` and ``&`` become the entities plotly renders, ``$`` and braces numeric ones (no formula,
    no template field), and quotes stay as typed. Text holding bidirectional controls (an RTL
    override) is wrapped in an isolate (U+2068 … U+2069), so it cannot reorder the text around it.
    ``None`` gives "".

    >>> plot_escape('Say "hi" <script>x</script> & $x$ %{y}')
    'Say "hi" &lt;script&gt;x&lt;/script&gt; &amp; &#36;x&#36; %&#123;y&#125;'
    >>> plot_escape("\u202eevil") == "\u2068\u202eevil\u2069"
    True
    """
    if value is None:
        return ""
    text = str(value).translate(_PLOT_ENTITIES)
    if _BIDI_CONTROLS.intersection(text):
        text = "\u2068" + text + "\u2069"
    return text


def _known(value: Any) -> bool:
    if value is None or isinstance(value, bool):
        return False
    try:
        return not math.isnan(float(value))
    except (TypeError, ValueError):
        return False


def _localise(text: str, lang: str) -> str:
    """``text`` written with English separators (``,`` groups, ``.`` decimals, ``-`` minus) in ``lang``."""
    text = text.replace("-", MINUS)
    if lang != "ru":
        return text
    return text.replace(",", "\0").replace(".", ",").replace("\0", GROUP_SEP["ru"])


def fmt_int(value: Any, lang: str = "en", *, signed: bool = False, missing: str = MISSING) -> str:
    """A count, rounded to a whole number, with thousands grouped (``signed``: ``+`` when positive).

    >>> fmt_int(18455), fmt_int(18455, "ru"), fmt_int(-6390.4), fmt_int(None), fmt_int(5, signed=True)
    ('18,455', '18\\u202f455', '−6,390', '—', '+5')
    """
    if not _known(value):
        return missing
    n = int(round(float(value)))
    return _localise(f"{n:+,}" if signed and n else f"{n:,}", lang)


def fmt_decimal(value: Any, lang: str = "en", digits: int = 1, *, signed: bool = False, missing: str = MISSING) -> str:
    """A number with ``digits`` decimals (decimal comma in Russian; ``signed``: ``+`` when positive).

    >>> fmt_decimal(6.933), fmt_decimal(6.933, "ru"), fmt_decimal(1234.5, "ru"), fmt_decimal(-0.04)
    ('6.9', '6,9', '1\\u202f234,5', '0.0')
    """
    if not _known(value):
        return missing
    x = round(float(value), digits)
    if x == 0:
        x = 0.0  # no "−0.0"
    return _localise(f"{x:+,.{digits}f}" if signed and x else f"{x:,.{digits}f}", lang)


def fmt_share(
    value: Any, lang: str = "en", digits: int | None = None, *, signed: bool = False, missing: str = MISSING
) -> str:
    """A 0 … 1 share as a percentage. By default one decimal under 10 % and none above (``7.3%``,
    ``64%``); ``digits`` fixes the decimals. ``signed`` writes a change (``+15.0%``).

    >>> fmt_share(0.0734), fmt_share(0.0734, "ru"), fmt_share(0.64), fmt_share(0.25, "en", 1), fmt_share(None)
    ('7.3%', '7,3\\xa0%', '64%', '25.0%', '—')
    """
    if not _known(value):
        return missing
    pct = float(value) * 100
    if digits is None:
        digits = 1 if 0 < abs(round(pct, 1)) < 10 else 0
    return fmt_decimal(pct, lang, digits, signed=signed) + PERCENT_SEP.get(lang, "") + "%"


def fmt_emotion(value: Any, lang: str = "en", *, missing: str = MISSING) -> str:
    """An emotion (−2 … +2): one decimal, ``+`` when positive, a real minus sign, decimal comma in
    Russian, no sign at zero.

    >>> fmt_emotion(-1), fmt_emotion(-1, "ru"), fmt_emotion(1.25), fmt_emotion(0), fmt_emotion(None)
    ('−1.0', '−1,0', '+1.2', '0.0', '—')
    """
    return fmt_decimal(value, lang, 1, signed=True, missing=missing)


def number_text(value: Any, lang: str = "en") -> str:
    """A stored number as typed, in ``lang``: whole numbers grouped (``18,455``), others with the
    decimals they have (``1.25`` / ``1,25``).

    >>> number_text(18455.0, "ru"), number_text(1.25, "ru"), number_text(-3)
    ('18\u202f455', '1,25', '−3')
    """
    x = float(value)
    if x.is_integer():
        return fmt_int(x, lang)
    decimals = len(repr(x).split(".")[1]) if "e" not in repr(x) else 6
    return fmt_decimal(x, lang, min(decimals, 6))


#: Month abbreviations as a date is written in each language (``6 сен 2026``).
MONTHS_SHORT = {
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
    "ru": ("янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"),
}
_MONTHS = MONTHS_SHORT


def fmt_date(
    value: Any, lang: str = "en", *, with_time: bool = False, with_year: bool = True, missing: str = MISSING
) -> str:
    """A date (a ``date``, a ``datetime``, a pandas ``Timestamp`` or an ISO text) as people write it:
    ``6 Sep 2026`` / ``6 сен 2026`` (``with_year=False``: ``6 сен``), with ``14:47`` after a comma
    when ``with_time``.

    >>> fmt_date("2026-09-06", "ru"), fmt_date("2026-12-03T14:47:10", "en", with_time=True), fmt_date(None)
    ('6 сен 2026', '3 Dec 2026, 14:47', '—')
    >>> fmt_date("2026-09-06", "ru", with_year=False)
    '6 сен'
    """
    from datetime import date, datetime

    if is_blank(value):
        return missing
    moment = value
    if isinstance(value, str):
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return value
    if not isinstance(moment, date):
        return str(value)
    months = _MONTHS.get(lang, _MONTHS["en"])
    text = f"{moment.day} {months[moment.month - 1]}" + (f" {moment.year}" if with_year else "")
    if with_time and isinstance(moment, datetime):
        text += f", {moment.hour:02d}:{moment.minute:02d}"
    return text
