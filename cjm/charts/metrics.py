"""How wide a line of chart text is, in pixels: plotly never wraps or measures text, so the map's
cards wrap their text to the card with these widths (:func:`fit_lines`) and no text leaves its box.

The widths are Arial's (every figure's first font, :data:`cjm.charts.theme.FONT`), read from
Liberation Sans, which is metric-compatible with Arial and stands in for it on Linux; per mille of the
font size, the larger of upright and italic, regular and bold (``python scripts/font_metrics.py``
prints them). A character outside the table counts as one em (an emoji as a little more).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from cjm.text import is_blank, shorten

__all__ = ["text_px", "fit_lines"]

# fmt: off
_REGULAR_RANGES = (
    (0x20, (278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584)),
    (0xa0, (278, 333, 556, 556, 556, 556, 260, 556, 333, 737, 370, 556, 584, 0, 737, 552, 400, 549, 333, 333, 333, 576, 537, 278, 333, 333, 471, 556, 834, 834, 834, 611, 667, 667, 667, 667, 667, 667, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 500, 556, 556, 556, 556, 278, 278, 278, 278, 556, 556, 556, 556, 556, 556, 556, 549, 611, 556, 556, 556, 556, 500, 556, 500, 667, 556, 667, 556, 667, 556, 722, 500, 722, 500, 722, 500, 722, 500, 722, 625, 722, 556, 667, 556, 667, 556, 667, 556, 667, 556, 667, 556, 778, 556, 778, 556, 778, 556, 778, 556, 722, 556, 722, 556, 278, 278, 278, 278, 278, 278, 278, 222, 278, 278, 735, 444, 500, 222, 667, 500, 500, 556, 222, 556, 222, 556, 292, 556, 400, 556, 222, 722, 556, 722, 556, 722, 556, 615, 723, 556, 778, 556, 778, 556, 778, 556, 1000, 944, 722, 333, 722, 333, 722, 333, 667, 500, 667, 500, 667, 500, 667, 500, 611, 278, 611, 375, 611, 278, 722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 944, 722, 667, 500, 667, 611, 500, 611, 500, 611, 500, 222)),
    (0x400, (667, 667, 865, 544, 719, 667, 278, 278, 500, 1066, 1010, 854, 589, 722, 639, 724, 667, 656, 667, 544, 704, 667, 923, 614, 719, 719, 589, 686, 833, 722, 778, 725, 667, 722, 611, 639, 795, 667, 740, 673, 920, 938, 805, 886, 656, 719, 1022, 722, 556, 573, 531, 493, 584, 556, 688, 465, 559, 559, 472, 584, 688, 552, 556, 556, 556, 500, 833, 500, 835, 500, 573, 521, 830, 851, 625, 736, 526, 510, 752, 542, 556, 556, 556, 378, 510, 500, 222, 278, 222, 910, 828, 556, 472, 565, 500, 556)),
    (0x2010, (333, 333, 636, 556, 1000, 1000, 500, 552, 222, 222, 222, 222, 333, 333, 333, 518, 556, 556, 350, 590, 334, 667, 1000, 318, 365, 0, 0, 0, 0, 0, 0, 139, 1000, 1735, 188, 354, 520, 227, 374, 520, 339, 333, 333, 838, 500, 531, 333, 804)),
    ('₽€№−→←↺★✓✕⚠◌○✎', (636, 556, 1083, 584, 1000, 1000, 838, 896, 838, 838, 896, 873, 604, 838)),
)
_BOLD_RANGES = (
    (0x20, (278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, 975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, 333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, 611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584)),
    (0xa0, (278, 333, 556, 556, 556, 556, 280, 556, 333, 737, 370, 556, 584, 0, 737, 552, 400, 549, 333, 333, 333, 576, 556, 278, 333, 333, 564, 556, 834, 834, 834, 611, 722, 722, 722, 722, 722, 722, 1000, 722, 667, 667, 667, 667, 278, 278, 278, 278, 722, 722, 778, 778, 778, 778, 778, 584, 778, 722, 722, 722, 722, 667, 667, 611, 556, 556, 556, 556, 556, 556, 889, 556, 556, 556, 556, 556, 278, 278, 278, 278, 611, 611, 611, 611, 611, 611, 611, 549, 611, 611, 611, 611, 611, 556, 611, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 556, 722, 740, 722, 611, 667, 556, 667, 556, 667, 556, 667, 556, 667, 556, 778, 611, 778, 611, 778, 611, 778, 611, 722, 611, 722, 611, 278, 278, 278, 278, 278, 278, 278, 278, 278, 278, 785, 556, 556, 278, 722, 556, 556, 611, 278, 611, 278, 611, 396, 611, 479, 611, 278, 722, 611, 722, 611, 722, 611, 708, 723, 611, 778, 611, 778, 611, 778, 611, 1000, 944, 722, 389, 722, 389, 722, 389, 667, 556, 667, 556, 667, 556, 667, 556, 611, 333, 611, 479, 611, 333, 722, 611, 722, 611, 722, 611, 722, 611, 722, 611, 722, 611, 944, 778, 667, 556, 667, 611, 500, 611, 500, 611, 500, 278)),
    (0x400, (667, 669, 886, 614, 719, 667, 278, 278, 556, 1094, 1062, 875, 622, 722, 677, 719, 722, 719, 722, 614, 722, 667, 927, 643, 719, 719, 615, 702, 833, 722, 778, 719, 667, 722, 611, 677, 854, 667, 730, 708, 1005, 1019, 870, 1000, 719, 719, 1042, 729, 556, 619, 615, 534, 635, 556, 736, 510, 615, 615, 507, 635, 740, 604, 611, 611, 611, 556, 889, 556, 885, 556, 646, 583, 889, 935, 729, 854, 615, 552, 865, 589, 556, 556, 611, 469, 563, 556, 278, 281, 278, 969, 906, 611, 507, 619, 556, 611)),
    (0x2010, (333, 333, 696, 556, 1000, 1000, 500, 552, 278, 278, 278, 278, 500, 500, 500, 657, 556, 556, 350, 639, 333, 667, 1000, 348, 365, 0, 0, 0, 0, 0, 0, 139, 1000, 1887, 240, 479, 630, 264, 447, 630, 733, 333, 333, 972, 604, 580, 333, 828)),
    ('₽€№−→←↺★✓✕⚠◌○✎', (696, 556, 1146, 584, 1000, 1000, 838, 896, 838, 838, 896, 873, 604, 838)),
)
# fmt: on

#: A little room for the renderer's rounding and hinting.
_SLACK = 1.02


def _table(ranges: tuple) -> dict[str, int]:
    table: dict[str, int] = {}
    for start, widths in ranges:
        chars = start if isinstance(start, str) else [chr(start + k) for k in range(len(widths))]
        table.update(zip(chars, widths, strict=True))
    return table


_WIDTHS = {False: _table(_REGULAR_RANGES), True: _table(_BOLD_RANGES)}


def _unknown(ch: str) -> int:
    return 1250 if ord(ch) >= 0x1F000 else 1000


def text_px(text: str, size: float = 13, *, bold: bool = False) -> float:
    """The width of one line of ``text`` at ``size`` px, in pixels.

    >>> round(text_px("Ad", 10)), round(text_px("Ad", 10, bold=True))
    (12, 14)
    >>> text_px("Шаг") > text_px("War")
    True
    """
    table = _WIDTHS[bold]
    return sum(table[ch] if ch in table else _unknown(ch) for ch in text) * size * _SLACK / 1000


def _split_word(word: str, width: float, size: float, bold: bool) -> list[str]:
    """A word wider than a line, in pieces that each fit (at least one character a piece)."""
    pieces, cur = [], ""
    for ch in word:
        if cur and text_px(cur + ch, size, bold=bold) > width:
            pieces.append(cur)
            cur = ch
        else:
            cur += ch
    return pieces + [cur] if cur else pieces


def fit_lines(
    value: Any, width: float, *, size: float = 13, bold: bool = False, max_lines: int | None = None
) -> list[str]:
    """``value`` broken into lines no wider than ``width`` px at ``size`` px (plain text: escape each line).

    Lines break at spaces; a word longer than a line is split; the text's own line breaks are kept.
    Past ``max_lines`` the rest is cut with an ellipsis by :func:`cjm.text.shorten` (the full text
    is in the hover).

    >>> fit_lines("one two three four", 60)
    ['one two', 'three four']
    >>> fit_lines("one two three four", 60, max_lines=1)
    ['one two…']
    >>> fit_lines("Достопримечательность", 60)
    ['Достопр', 'имечате', 'льность']
    """
    if is_blank(value):
        return []
    return list(_fit(str(value), float(width), float(size), bool(bold), max_lines))


@lru_cache(maxsize=8192)
def _fit(text: str, width: float, size: float, bold: bool, max_lines: int | None) -> tuple[str, ...]:
    width = max(width, text_px("W…", size, bold=bold))  # room for at least a letter and an ellipsis
    space = text_px(" ", size, bold=bold)
    lines: list[str] = []
    for paragraph in text.splitlines():
        cur, cur_w = "", 0.0
        for word in paragraph.split():
            w = text_px(word, size, bold=bold)
            if cur and cur_w + space + w <= width:
                cur, cur_w = f"{cur} {word}", cur_w + space + w
                continue
            if cur:
                lines.append(cur)
            if w <= width:
                cur, cur_w = word, w
                continue
            pieces = _split_word(word, width, size, bold)
            lines.extend(pieces[:-1])
            cur = pieces[-1]
            cur_w = text_px(cur, size, bold=bold)
        if cur:
            lines.append(cur)
    if max_lines is not None and len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = lines[: max_lines - 1] + [shorten(rest, width, size=lambda s: text_px(s, size, bold=bold))]
    return tuple(lines)
