"""``python -m cjm``: list, validate, import, export."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cjm import model
from cjm.cli import main
from cjm.io import jsonio
from cjm.store import get_store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def db(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


def _good_map(path: Path) -> Path:
    G = model.new_map("CLI map", map_id="cli-map")
    a = model.add_touchpoint(G, "Site", "consideration", emotion=1)
    b = model.add_touchpoint(G, "Pay", "purchase", emotion=-1, conversion_point=True)
    model.add_transition(G, a, b)
    jsonio.write_json(G, path)
    return path


def test_validate_accepts_a_good_file(tmp_path, capsys):
    assert main(["validate", str(_good_map(tmp_path / "good.json"))]) == 0
    assert "ok (2 touchpoints, 1 transitions)" in capsys.readouterr().out


def test_validate_lists_every_problem_and_exits_non_zero(tmp_path, capsys):
    path = _good_map(tmp_path / "bad.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["nodes"][0]["emotion"] = 9
    data["nodes"][1]["stage"] = "nowhere"
    data["edges"].append({"source": "tp-1", "target": "ghost"})
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "INVALID" in out and "no touchpoint 'ghost'" in out


def test_validate_reports_each_broken_value_of_a_valid_shaped_file(tmp_path, capsys):
    path = _good_map(tmp_path / "bad.json")
    data = json.loads(path.read_text(encoding="utf-8"))
    data["nodes"][0]["emotion"] = 9
    data["nodes"][1]["stage"] = "nowhere"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["validate", str(path), str(_good_map(tmp_path / "ok.json"))]) == 1
    out = capsys.readouterr().out
    assert "2 problem(s)" in out and "field 'emotion'" in out and "field 'stage'" in out and "ok.json: ok" in out


def test_validate_says_when_a_file_does_not_exist(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nope.json")]) == 1
    assert "no such file" in capsys.readouterr().out


def test_import_then_list_then_export(tmp_path, db, capsys):
    assert main(["--database", db, "import", str(_good_map(tmp_path / "m.json"))]) == 0
    assert main(["--database", db, "list"]) == 0
    out = capsys.readouterr().out
    assert "cli-map" in out and "CLI map" in out
    target = tmp_path / "out.json"
    assert main(["--database", db, "export", "cli-map", "--format", "json", "-o", str(target)]) == 0
    assert jsonio.read_json(target).nodes["tp-2"]["name"] == "Pay"


def test_importing_a_cp1251_semicolon_csv_keeps_cyrillic_names(tmp_path, db):
    path = tmp_path / "магазин.csv"
    path.write_bytes("Точка контакта;Этап;Эмоция\nРеклама;awareness;0,5\nОплата;purchase;-1,5\n".encode("cp1251"))
    assert main(["--database", db, "import", str(path), "--title", "Магазин"]) == 0
    [info] = [m for m in get_store(db).list_maps() if m.title == "Магазин"]
    G = get_store(db).load(info.map_id).graph
    assert {d["name"] for _, d in G.nodes(data=True)} == {"Реклама", "Оплата"}


def test_a_malformed_import_leaves_the_database_unchanged(tmp_path, db, capsys):
    before = len(get_store(db).list_maps())
    path = tmp_path / "bad.csv"
    path.write_text("name,stage,emotion\nSite,consideration,seven\n", encoding="utf-8")
    assert main(["--database", db, "import", str(path)]) == 1
    assert "line 2" in capsys.readouterr().err
    assert len(get_store(db).list_maps()) == before


def test_python_dash_m_cjm_runs_as_a_program(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "cjm", "validate", str(_good_map(tmp_path / "g.json"))],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0 and "ok" in done.stdout
