"""The codebase's own conventions (as datasette's tests/test_docs.py does)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_cjm_never_imports_streamlit():
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "cjm").rglob("*.py") if "streamlit" in _imports(p)]
    assert not offenders, offenders


def test_every_page_file_is_declared_in_app_py():
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    declared = set(re.findall(r"""st\.Page\(\s*["'](pages/[^"']+\.py)["']""", app))
    files = {f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py") if not p.name.startswith("_")}
    assert files == declared, f"not declared: {files - declared}; declared but missing: {declared - files}"


def test_requirements_are_pinned():
    for name in ("requirements.txt", "requirements-dev.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r"):
                assert "==" in line, f"{name}: {line} is not pinned"


def test_ci_runs_the_readme_test_command():
    assert "make test" in (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make run" in readme and "make test" in readme


def _html_calls_with_dynamic_content(tree: ast.AST) -> list[int]:
    """Lines of st.html / unsafe_allow_html=True calls whose content is not a plain string literal."""
    lines = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        unsafe = any(k.arg == "unsafe_allow_html" and getattr(k.value, "value", False) is True for k in node.keywords)
        if (node.func.attr == "html" or unsafe) and not (node.args and isinstance(node.args[0], ast.Constant)):
            lines.append(node.lineno)
    return lines


def test_no_unsafe_html_without_escaping_in_pages():
    for path in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "cjm_ui").glob("*.py")]:
        text = path.read_text(encoding="utf-8")
        dynamic = _html_calls_with_dynamic_content(ast.parse(text))
        if dynamic:
            assert "escape(" in text, f"{path.name}: HTML built from data at lines {dynamic} but nothing is escaped"


def test_every_environment_variable_the_app_reads_is_documented_in_the_readme():
    used = set()
    for path in [
        ROOT / "app.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "cjm").rglob("*.py"),
        *(ROOT / "cjm_ui").rglob("*.py"),
    ]:
        used |= set(re.findall(r"\bCJM_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    undocumented = sorted(v for v in used if f"`{v}`" not in readme)
    assert not undocumented, f"not in the README's configuration table: {undocumented}"
