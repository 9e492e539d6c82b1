"""Print the advance widths of cjm/charts/metrics.py (run: python scripts/font_metrics.py).

Arial's widths, read from Liberation Sans (metric-compatible with Arial, Debian's fonts-liberation):
per mille of the font size, the larger of upright and italic (channel names are italic), regular
and bold. Symbols Liberation Sans lacks are read from DejaVu Sans, which browsers fall back to.
"""

from PIL import ImageFont

LIBERATION = "/usr/share/fonts/truetype/liberation/LiberationSans-{}.ttf"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans{}.ttf"
RANGES = ((0x20, 0x7F), (0xA0, 0x180), (0x400, 0x460), (0x2010, 0x2040))
SYMBOLS = "₽€№−→←↺★✓✕⚠◌○✎"


def widths(styles: tuple[str, str], fallback: str) -> tuple[list[list[int]], list[int]]:
    fonts = [ImageFont.truetype(LIBERATION.format(s), 1000) for s in styles]
    other = ImageFont.truetype(DEJAVU.format(fallback), 1000)
    missing = round(fonts[0].getlength("\uffff"))  # Liberation's empty box

    def one(ch: str) -> int:
        try:
            found = [round(f.getlength(ch)) for f in fonts]
        except RuntimeError:  # a line or paragraph separator: never inside a drawn line
            return 0
        if all(w == missing for w in found) and ch.strip():
            return round(other.getlength(ch))
        return max(found)

    return [[one(chr(c)) for c in range(a, b)] for a, b in RANGES], [one(ch) for ch in SYMBOLS]


if __name__ == "__main__":
    for name, styles, fallback in (("REGULAR", ("Regular", "Italic"), ""), ("BOLD", ("Bold", "BoldItalic"), "-Bold")):
        ranges, symbols = widths(styles, fallback)
        print(f"_{name} = (")
        for (a, _b), row in zip(RANGES, ranges, strict=True):
            print(f"    ({a:#x}, {tuple(row)!r}),")
        print(f"    ({SYMBOLS!r}, {tuple(symbols)!r}),")
        print(")")
