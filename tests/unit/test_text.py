"""The one definition of blank values, escaping and number formatting (cjm.text)."""

import math

import pandas as pd
import pytest

from cjm.text import fmt_decimal, fmt_emotion, fmt_int, fmt_share, html_escape, is_blank, md_escape


@pytest.mark.parametrize("value", [None, "", "   \n", float("nan"), pd.NA, pd.NaT, math.nan])
def test_blank_values_are_nothing_typed(value):
    assert is_blank(value)


@pytest.mark.parametrize("value", [0, 0.0, False, "0", "x", " a ", pd.Timestamp("2024-01-01")])
def test_zero_false_and_text_are_not_blank(value):
    assert not is_blank(value)


@pytest.mark.parametrize(
    "hostile",
    [
        "[click](https://evil.example)",
        "![img](https://evil.example/x.png)",
        "<img src=x onerror=alert(1)>",
        "$x^2$ and $$\\int$$",
        "**bold** _it_ `code` ~~strike~~",
        "# heading",
        ":red[colour] :smile:",
        "https://evil.example",
        "&lt;b&gt;",
    ],
)
def test_markdown_escaping_leaves_no_unescaped_markup_character(hostile):
    escaped = md_escape(hostile)
    i = 0
    while i < len(escaped):  # every special character is preceded by a backslash
        c = escaped[i]
        if c == "\\":
            i += 2
            continue
        assert c not in "\\`*_{}[]()#+-.!|<>~$:&", (c, escaped)
        i += 1
    # the only other change: an invisible word joiner breaking a bare address GFM would link
    assert escaped.replace("\\", "").replace("\u2060", "") == " ".join(hostile.replace("\\", "").split())
    assert "://" not in escaped.replace("\\", "")


def test_markdown_escaping_folds_line_breaks_so_no_line_starts_a_block():
    assert "\n" not in md_escape("a\n# b\n\n    code")


def test_html_escaping_neutralises_tags_entities_quotes_and_formulas():
    out = html_escape("<script>\"'&$x$")
    assert "<" not in out and ">" not in out and '"' not in out and "$" not in out
    assert out == "&lt;script&gt;&quot;&#x27;&amp;&#36;x&#36;"
    assert html_escape(None) == ""


@pytest.mark.parametrize(
    "value,en,ru",
    [(18455, "18,455", "18\u202f455"), (-6390, "−6,390", "−6\u202f390"), (0, "0", "0"), (2.6, "3", "3")],
)
def test_counts_group_thousands_per_language(value, en, ru):
    assert fmt_int(value, "en") == en and fmt_int(value, "ru") == ru


@pytest.mark.parametrize(
    "value,en,ru",
    [
        (0.073, "7.3%", "7,3\u00a0%"),
        (0.64, "64%", "64\u00a0%"),
        (1, "100%", "100\u00a0%"),
        (0.0004, "0%", "0\u00a0%"),
        (0.0006, "0.1%", "0,1\u00a0%"),
    ],
)
def test_shares_are_percentages_with_the_languages_decimal_mark(value, en, ru):
    assert fmt_share(value, "en") == en and fmt_share(value, "ru") == ru


@pytest.mark.parametrize(
    "value,en,ru",
    [(-1, "−1.0", "−1,0"), (-1.0, "−1.0", "−1,0"), (1.5, "+1.5", "+1,5"), (0, "0.0", "0,0"), (-0.04, "0.0", "0,0")],
)
def test_an_emotion_has_one_decimal_a_real_minus_and_a_plus_when_positive(value, en, ru):
    assert fmt_emotion(value, "en") == en and fmt_emotion(value, "ru") == ru


@pytest.mark.parametrize("fmt", [fmt_int, fmt_share, fmt_emotion, fmt_decimal])
def test_unknown_numbers_show_a_dash_or_what_the_caller_asks(fmt):
    assert fmt(None) == "—" and fmt(float("nan"), "ru") == "—" and fmt(None, missing="") == ""


@pytest.mark.parametrize("text", [":material/home:", ":smile:", ":red[x]", "http://x.org", "www.x.org", "a@b.org"])
def test_markdown_escaping_breaks_what_streamlit_would_turn_into_an_icon_emoji_or_link(text):
    escaped = md_escape(text)
    assert "\u2060" in escaped  # an invisible word joiner inside the shortcode or address
    assert escaped.replace("\\", "").replace("\u2060", "") == text
