"""One definition of each rule (docs/definitions.md): a page or module that writes its own copy of a
core definition, escaper, number formatter, emotion colour or chart font fails here.

The funnel engine (``cjm/funnel/``) is its own package with its own rules and is not scanned.
"""

import ast
import re
from pathlib import Path

import pytest

from cjm.charts import theme

ROOT = Path(__file__).resolve().parents[2]

#: Each definition and the one file allowed to define it.
HOMES = {
    "cjm/text.py": {
        "is_blank",
        "md_escape",
        "html_escape",
        "fmt_int",
        "fmt_decimal",
        "fmt_share",
        "fmt_emotion",
        "number_text",
        "shorten",
    },
    "cjm/model.py": {
        "active_touchpoints",
        "entry_points",
        "unreachable",
        "dead_ends",
        "no_way_to_conversion",
        "touchpoint_users",
        "users_by_touchpoint",
    },
    "cjm/charts/theme.py": {"emotion_colour"},
}
#: Names the old copies went by: a function with one of these names is a copy whatever it does.
OLD_COPIES = {
    "_blank",
    "_is_blank",
    "blank",
    "_esc_md",
    "_md",
    "_md_escape",
    "_e",
    "esc",
    "_escape_md",
    "journey_entries",
    "_touchpoint_users",
    "_dead_ends",
    "emotion_color",
    "_emotion_color",
    "fmt_score",
    "_fmt_emotion",
    "_fmt_int",
    "_fmt_share",
    "_pct",
    "_percent",
    "_short",
    "_shorten",
    "_truncate",
    "truncate",
    "_ellipsis",
}
#: Feature modules hold tables and numbers only; figures live in cjm/charts/.
FEATURE_MODULES = ("audit", "flow", "emotion", "overview", "health", "catalogue")


def _sources() -> list[Path]:
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "cjm_ui").rglob("*.py")]
    files += [p for p in (ROOT / "cjm").rglob("*.py") if "funnel" not in p.relative_to(ROOT / "cjm").parts]
    return sorted(files)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _trees():
    for path in _sources():
        yield _rel(path), ast.parse(path.read_text(encoding="utf-8"))


def test_each_definition_is_written_once_in_its_home():
    home_of = {name: home for home, names in HOMES.items() for name in names}
    copies = []
    for rel, tree in _trees():
        for node in ast.walk(tree):
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                continue
            if home_of.get(node.name, rel) != rel or node.name in OLD_COPIES:
                copies.append(f"{rel}:{node.lineno} def {node.name}")
    assert not copies, "use the one definition (docs/definitions.md) instead of: " + ", ".join(copies)


def _calls(tree: ast.AST):
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
        ):
            yield node, f"{node.func.value.id}.{node.func.attr}"


def test_only_cjm_text_escapes_html_or_markdown():
    markdown_chars = set("\\`*_{}[]()#+-.!|<>~$")
    offenders = []
    for rel, tree in _trees():
        if rel == "cjm/text.py":
            continue
        for node, name in _calls(tree):
            if name == "html.escape":
                offenders.append(f"{rel}:{node.lineno} html.escape")
        for node in ast.walk(tree):
            # a short string listing the emphasis, code and link characters among many others is a
            # Markdown escaper's character set (a Mermaid or regex one lacks them)
            text = node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else ""
            if len(text) < 60 and set("*_`[") <= set(text) and len(markdown_chars & set(text)) >= 10:
                offenders.append(f"{rel}:{node.lineno} Markdown character set")
    assert not offenders, "escape with cjm.text.md_escape / html_escape: " + ", ".join(offenders)


def _format_specs(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.FormattedValue) and isinstance(node.format_spec, ast.JoinedStr):
            spec = "".join(v.value for v in node.format_spec.values if isinstance(v, ast.Constant))
            yield node.lineno, spec


def node_is_format(node: ast.AST) -> bool:
    return isinstance(node, ast.keyword) and node.arg == "format"


#: File formats with their own number rules (a CSV for a Russian spreadsheet writes a decimal comma).
_FILE_FORMATS = {"cjm/io/tables.py"}


def _is_localising_replace(node: ast.AST) -> bool:
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "replace"):
        return False
    args = [a.value for a in node.args if isinstance(a, ast.Constant)]
    return args in ([".", ","], ["-", "\u2212"], [",", "\u202f"], [",", " "])


#: Pages whose grids take numbers typed by people (an input cell must stay a number, not text).
_EDITABLE_GRIDS = {"pages/editor.py"}


def test_numbers_for_people_are_formatted_only_by_cjm_text():
    # Grouping (``:,``), percentages (``:.0%``) and signed numbers (``:+.1f``) are what cjm.text writes per
    # language; a page writing them itself prints English separators in Russian.
    offenders = []
    for rel, tree in _trees():
        if rel == "cjm/text.py":
            continue
        for line, spec in _format_specs(tree):
            if re.search(r"[,_+]|\.\d*%$|^%$", spec):  # not a date's %Y-%m-%d
                offenders.append(f"{rel}:{line} :{spec}")
        for node in ast.walk(tree):  # a decimal comma or a real minus put in by hand
            if _is_localising_replace(node) and rel not in _FILE_FORMATS:
                offenders.append(f"{rel}:{node.lineno} .replace{tuple(a.value for a in node.args)}")
        for node in ast.walk(tree):  # a read-only table column printing signed numbers (emotions) itself
            spec = node.value.value if isinstance(node, ast.keyword) and isinstance(node.value, ast.Constant) else None
            if node_is_format(node) and "%+" in str(spec) and rel not in _EDITABLE_GRIDS:
                offenders.append(f"{rel}:{node.value.lineno} format={spec!r}")
    assert not offenders, "format with cjm.text.fmt_*: " + ", ".join(offenders)


#: Catalogues whose texts still format numbers themselves (the funnel engine's charts pass raw shares).
_CATALOGUES_WITH_SPECS = {"cjm/i18n/catalog_funnel.py"}


def test_catalogue_texts_take_numbers_already_formatted():
    offenders = []
    for path in sorted((ROOT / "cjm" / "i18n").glob("catalog_*.py")):
        if _rel(path) in _CATALOGUES_WITH_SPECS:
            continue
        for m in re.finditer(r"\{\w+:[^{}]*\}", path.read_text(encoding="utf-8")):
            offenders.append(f"{_rel(path)}: {m.group()}")
    assert not offenders, offenders


def test_emotion_colours_and_fonts_come_from_the_theme():
    theme_colours = {c.lower() for c in theme.FEELING_COLOURS.values()} | {c.lower() for _, c in theme.EMOTION_SCALE}
    offenders = []
    for rel, tree in _trees():
        if rel == "cjm/charts/theme.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value.lower() in theme_colours:
                offenders.append(f"{rel}:{node.lineno} {node.value}")
            if (
                isinstance(node, ast.keyword)
                and node.arg in ("family", "colorscale")
                and isinstance(node.value, (ast.Constant, ast.List))
            ):
                offenders.append(f"{rel}:{node.value.lineno} {node.arg}=…")
    assert not offenders, "use cjm.charts.theme: " + ", ".join(offenders)


@pytest.mark.parametrize("module", FEATURE_MODULES)
def test_feature_modules_hold_tables_and_numbers_not_figures(module):
    tree = ast.parse((ROOT / "cjm" / f"{module}.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    figures = sorted(m for m in imported if m.startswith("plotly") or m.startswith("cjm.charts"))
    assert not figures, f"cjm/{module}.py imports {figures}: figures belong in cjm/charts/"


def test_the_checks_find_a_copy_when_one_is_written():
    # The checks above must be able to fail: run them on a page-like snippet that copies everything.
    snippet = ast.parse(
        "import html\n"
        "def _blank(v):\n    return v is None\n"
        "def entry_points(G):\n    return []\n"
        "x = html.escape(name)\n"
        "y = f'{n:,} people, {share:.0%}, {e:+.1f}'\n"
        "z = '\\\\`*_{}[]()#+-.!|<>~$'\n"
        "fig = dict(font=dict(family='Inter'), marker=dict(color='#d73027'))\n"
        "w = str(x).replace('.', ',')\n"
    )
    defs = {n.name for n in ast.walk(snippet) if isinstance(n, ast.FunctionDef)}
    assert "_blank" in OLD_COPIES and "entry_points" in HOMES["cjm/model.py"] and defs == {"_blank", "entry_points"}
    assert [name for _, name in _calls(snippet)] == ["html.escape"]
    assert [spec for _, spec in _format_specs(snippet)] == [",", ".0%", "+.1f"]
    assert sum(_is_localising_replace(n) for n in ast.walk(snippet)) == 1
    strings = [n.value for n in ast.walk(snippet) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    assert "#d73027" in strings and theme.FEELING_COLOURS["negative"] == "#d73027"
