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


# --- one write path ------------------------------------------------------------------------------

_STORE_WRITES = {"save", "create", "delete", "rename", "duplicate", "import_map", "writing", "write_engine"}
_WIRE_FORMAT = re.compile(r"edited_rows|added_rows|deleted_rows|data_editor")


def _store_writes(tree: ast.AST) -> list[int]:
    """Lines where a store's write method is used: ``store.save(...)``, ``get_store().delete(...)``,
    ``self.store.create`` … (any receiver whose expression names a store)."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in _STORE_WRITES:
            receiver = ast.unparse(node.value)
            if "store" in receiver.lower():
                lines.append(node.lineno)
    return lines


def test_pages_ui_helpers_and_the_core_change_maps_only_through_the_service_layer():
    # cjm/access.py holds the storage primitives of the access tables (roles, links, trash, log),
    # reached only through cjm.services (checked below).
    core = [p for p in (ROOT / "cjm").rglob("*.py") if p.name not in ("store.py", "services.py", "access.py")]
    files = [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "cjm_ui").rglob("*.py"), *core]
    offenders = {
        str(p.relative_to(ROOT)): lines
        for p in files
        if (lines := _store_writes(ast.parse(p.read_text(encoding="utf-8"))))
    }
    assert not offenders, f"call cjm.services instead of the store's save/create/delete/rename: {offenders}"


_ACCESS_WRITES = {"set_role", "remove_role", "add_share_link", "revoke_link", "to_trash", "from_trash", "log_event"}


def test_roles_links_and_the_trash_change_only_through_the_service_layer():
    """Sharing, links and the trash are permission-checked in cjm.services; nothing else writes them."""
    files = [
        ROOT / "app.py",
        *(ROOT / "pages").glob("*.py"),
        *(ROOT / "cjm_ui").rglob("*.py"),
        *(p for p in (ROOT / "cjm").rglob("*.py") if p.name not in ("access.py", "services.py")),
    ]
    offenders = {
        str(p.relative_to(ROOT)): sorted(
            n.lineno
            for n in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(n, ast.Attribute) and n.attr in _ACCESS_WRITES
        )
        for p in files
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert not offenders, f"call cjm.services (share_map, delete_map, ...) instead: {offenders}"


def test_the_convention_check_finds_a_direct_store_save():
    code = "store = get_store()\nstore.save(G, expected_version=1, author='a')\nget_store().delete('m')\n"
    assert _store_writes(ast.parse(code)) == [2, 3]
    assert _store_writes(ast.parse("services.rename_map(store, actor(), 'm', 'T')\nstore.load('m')")) == []


def test_no_streamlit_widget_format_inside_the_core():
    offenders = [
        f"{p.relative_to(ROOT)}:{i}"
        for p in (ROOT / "cjm").rglob("*.py")
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if _WIRE_FORMAT.search(line)
    ]
    assert not offenders, f"the data editor's wire format belongs in cjm_ui/tables.py: {offenders}"


def test_the_data_editor_protocol_is_read_in_one_ui_helper_only():
    readers = {
        str(p.relative_to(ROOT))
        for p in [ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "cjm_ui").rglob("*.py")]
        if re.search(r"edited_rows|added_rows|deleted_rows|st\.data_editor", p.read_text(encoding="utf-8"))
    }
    assert readers == {"cjm_ui/tables.py"}, readers


def test_the_editor_page_is_thin_one_function_per_tab_and_formatted():
    text = (ROOT / "pages" / "editor.py").read_text(encoding="utf-8")
    assert "fmt: skip" not in text
    tabs = [n.name for n in ast.parse(text).body if isinstance(n, ast.FunctionDef) and n.name.startswith("tab_")]
    assert tabs == ["tab_touchpoints", "tab_transitions", "tab_stages", "tab_map", "tab_workshop", "tab_history"]
