"""The repository is self-contained: docs link only to files in it, and it says under which licence it is."""

import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Folders that are not part of the project's text (virtualenv, caches, test output, local data).
SKIP = {".git", ".venv", "node_modules", "data", "test-artifacts", "__pycache__"}

FENCE = re.compile(r"^(```|~~~).*?^\1", re.M | re.S)
INLINE_CODE = re.compile(r"`[^`\n]*`")
INLINE_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE = re.compile(r"^\s{0,3}\[[^\]\n]+\]:\s*<?(\S+?)>?(?:\s+\"[^\"]*\")?\s*$", re.M)
SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
#: Notes that live outside the repository, which a clone does not have.
OUTSIDE = re.compile(r"\.\./shared/|/work/shared|\b(?:DOMAIN|STYLE|TESTING|FUNNELS)\.md\b")


def _files(*patterns: str) -> list[Path]:
    out = []
    for pattern in patterns:
        for path in ROOT.rglob(pattern):
            if not SKIP & set(path.relative_to(ROOT).parts[:-1]) and path.is_file():
                out.append(path)
    return sorted(out)


HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown text (lower case, punctuation dropped,
    spaces as hyphens, a repeated heading numbered)."""
    seen: dict[str, int] = {}
    out = set()
    for heading in HEADING.findall(FENCE.sub("", text)):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        n = seen.get(slug, 0)
        seen[slug] = n + 1
        out.add(slug if n == 0 else f"{slug}-{n}")
    return out


def broken_links(path: Path, text: str) -> list[str]:
    """The relative links in Markdown ``text`` (of the file at ``path``) that point outside the
    repository or to nothing (no such file, or no such heading in a Markdown file); code blocks and
    inline code are not links."""
    own = text
    text = INLINE_CODE.sub("", FENCE.sub("", text))
    bad = []
    for target in INLINE_LINK.findall(text) + REFERENCE.findall(text):
        if SCHEME.match(target):
            continue
        file_part, _, anchor = target.partition("#")
        file_part = file_part.split("?", 1)[0]
        if not file_part:
            if anchor and anchor not in anchors(own):
                bad.append(f"{target} (no such heading)")
            continue
        resolved = (ROOT / file_part.lstrip("/")) if file_part.startswith("/") else (path.parent / file_part)
        resolved = resolved.resolve()
        if not resolved.is_relative_to(ROOT):
            bad.append(f"{target} (outside the repository)")
        elif not resolved.exists():
            bad.append(f"{target} (no such file)")
        elif anchor and resolved.suffix == ".md" and anchor not in anchors(resolved.read_text(encoding="utf-8")):
            bad.append(f"{target} (no such heading)")
    return bad


MARKDOWN = _files("*.md")


def test_the_markdown_files_are_found():
    names = {p.relative_to(ROOT).as_posix() for p in MARKDOWN}
    assert {"README.md", "CONTRIBUTING.md", "docs/funnel.md", "docs/domain.md", "docs/testing.md"} <= names


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_relative_link_in_a_markdown_file_points_to_a_file_in_the_repository(path):
    assert not broken_links(path, path.read_text(encoding="utf-8"))


def test_the_link_check_catches_links_outside_the_repository_and_to_nothing():
    doc = ROOT / "docs" / "x.md"
    text = (
        "# Top, here\n[ok](funnel.md) [up](../README.md#the-pages) ![shot](screenshots/library.png)\n"
        "[web](https://example.org) [self](#top-here) [section](funnel.md#what-an-event-log-funnel-counts)\n"
        "[out](../../shared/FUNNELS.md) [gone](no-such-page.md) ![gone](screenshots/none.png)\n"
        "[no heading](funnel.md#nowhere) [no own heading](#elsewhere)\n"
        "[ref]: ../../elsewhere.md\n"
        "`[code](../../not-a-link.md)`\n```\n[block](../../not-a-link.md)\n```\n"
    )
    assert broken_links(doc, text) == [
        "../../shared/FUNNELS.md (outside the repository)",
        "no-such-page.md (no such file)",
        "screenshots/none.png (no such file)",
        "funnel.md#nowhere (no such heading)",
        "#elsewhere (no such heading)",
        "../../elsewhere.md (outside the repository)",
    ]


def test_no_doc_comment_or_docstring_cites_notes_outside_the_repository():
    found = []
    for path in _files("*.md", "*.py", "*.toml", "*.txt", "*.cfg", "Makefile", "*.ini", "*.yml", "*.yaml"):
        if path == Path(__file__).resolve():
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), start=1):
            if OUTSIDE.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not found, "\n".join(found)


def test_the_project_has_an_osi_licence_declared_in_pyproject():
    licence = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and "WITHOUT WARRANTY OF ANY KIND" in licence
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT" and project["license-files"] == ["LICENSE"]
    assert "[MIT licence](LICENSE)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_readme_configuration_table_is_one_table_naming_every_variable():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Configuration", 1)[1].split("\n## ", 1)[0]
    tables = [block for block in re.split(r"\n\s*\n", section) if block.lstrip().startswith("|")]
    assert len(tables) == 1, "a blank line splits the configuration table"
    code = [
        ROOT / "app.py",
        *(ROOT / "cjm").rglob("*.py"),
        *(ROOT / "cjm_ui").rglob("*.py"),
        *(ROOT / "pages").glob("*.py"),
    ]
    used = set(re.findall(r"\bCJM_[A-Z_]+\b", "\n".join(p.read_text(encoding="utf-8") for p in code)))
    documented = set(re.findall(r"`(CJM_[A-Z_]+)`", tables[0]))
    assert used <= documented, sorted(used - documented)


def test_the_readme_python_example_runs(tmp_path, monkeypatch):
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)
    assert blocks
    monkeypatch.chdir(tmp_path)
    for i, block in enumerate(blocks):
        exec(compile(block, f"README.md python block {i + 1}", "exec"), {"__name__": "readme"})
    assert (tmp_path / "coffee.json").is_file()
