"""``python -m cjm``: list, validate, import, export (files and drawings), audit, flow, summary, and lazy subcommands."""

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


# ---- every analysis a page shows, from the command line ---------------------------------------------

SAMPLE = ROOT / "sample_data" / "maps" / "airline-current.json"


@pytest.mark.parametrize(
    ("fmt", "name", "check"),
    [
        ("html", "airline-future.html", lambda b: b.startswith(b"<!doctype html>") and b"Plotly.newPlot" in b),
        ("mermaid", "airline-future.journey.mmd", lambda b: b.startswith(b"journey\n") and b"    section " in b),
        ("mermaid-flowchart", "airline-future.flowchart.mmd", lambda b: b.startswith(b"flowchart LR\n")),
        ("svg", "airline-future.svg", lambda b: b.lstrip().startswith(b"<svg") and b"Northwind" in b),
    ],
)
def test_export_draws_the_journey_map_in_the_page_formats(tmp_path, db, monkeypatch, capsys, fmt, name, check):
    monkeypatch.chdir(tmp_path)
    assert main(["--database", db, "export", "airline-future", "--format", fmt]) == 0
    assert f"wrote {name}" in capsys.readouterr().out
    assert check((tmp_path / name).read_bytes())


def test_export_draws_a_future_state_against_its_baseline_and_only_the_chosen_lanes(tmp_path, db):
    from cjm.cli_reports import figure_export

    G, B = get_store(db).load("airline-future").graph, get_store(db).load("airline-current").graph
    with_base, _ = figure_export(G, "html", baseline=B)
    without, _ = figure_export(G, "html")
    assert with_base != without
    target = tmp_path / "two-lanes.html"
    assert main(["--database", db, "export", "airline-current", "--format", "html", "--lanes", "touchpoint,emotion",
                 "-o", str(target)]) == 0  # fmt: skip
    assert b"Pain point" not in target.read_bytes() and b"Emotion" in target.read_bytes()


def test_export_refuses_a_lane_the_map_type_does_not_have(tmp_path, db, capsys):
    assert main(["--database", db, "export", "airline-current", "--format", "html", "--lanes", "nope"]) == 1
    assert "unknown lane(s) nope" in capsys.readouterr().err


def test_audit_prints_the_six_steps_with_overdue_tasks_as_of_a_date(db, capsys):
    assert main(["--database", db, "audit", "airline-current", "--today", "2026-11-26"]) == 0
    out = capsys.readouterr().out
    for heading in ("1. Identify", "2. Select key ones", "3. Rank", "4. Evaluate", "5. Plan improvements"):
        assert heading in out
    assert "Overdue tasks: 3" in out and "Priority matrix" in out and "Phase × category" in out
    assert main(["--database", db, "audit", "airline-current", "--today", "2027-06-01"]) == 0
    assert "Overdue tasks: 7" in capsys.readouterr().out


def test_audit_speaks_russian_and_writes_the_task_list_as_csv(tmp_path, db, capsys):
    assert main(["--database", db, "audit", str(SAMPLE), "--today", "2026-11-26", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "3. Ранжировать" in out and "Просрочено" in out
    target = tmp_path / "tasks.csv"
    assert (
        main(["--database", db, "audit", "--all", "--format", "csv", "--today", "2026-11-26", "-o", str(target)]) == 0
    )
    header = target.read_bytes().decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Map,Touchpoint,Stage,Task,Owner,Deadline")


def test_audit_needs_a_map(db, capsys):
    assert main(["--database", db, "audit"]) == 1
    assert "name at least one MAP, or --all" in capsys.readouterr().err


def test_flow_prints_what_the_flow_page_shows_and_its_json_matches_the_analysis(db, capsys):
    from cjm import flow

    assert main(["--database", db, "flow", "airline-current"]) == 0
    out = capsys.readouterr().out
    assert "Most travelled path" in out and "Bottlenecks" in out and "↺ Card payment on the website" in out
    # The review on a travel site is the journey's intended end, not a dead end.
    assert "Dead ends (0)" in out and "No way to a conversion (0)" in out
    assert main(["--database", db, "flow", "airline-current", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    expected = flow.analyse(get_store(db).load("airline-current").graph)
    assert data["dead_ends"] == expected.dead_ends and data["unreachable"] == expected.unreachable
    assert data["no_way_to_conversion"] == expected.no_way_to_conversion
    assert [p["path"] for p in data["paths"]] == [list(s.path) for s in expected.stats]


def test_flow_formats_numbers_in_russian_and_refuses_an_unknown_target(db, capsys):
    assert main(["--database", db, "flow", "airline-current", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "Тупики (0)" in out and "1\u202f100" in out and "89\xa0%" in out
    assert main(["--database", db, "flow", "airline-current", "--target", "ghost"]) == 1
    assert "no touchpoint 'ghost'" in capsys.readouterr().err


def test_summary_writes_the_one_page_html_and_prints_a_text_version(tmp_path, db, capsys):
    target = tmp_path / "s.html"
    assert main(["--database", db, "summary", "airline-current", "-o", str(target)]) == 0
    html = target.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Northwind Airways" in html
    assert main(["--database", db, "summary", "airline-current", "--format", "text", "--lang", "ru"]) == 0
    out = capsys.readouterr().out
    assert "Что исправить в первую очередь" in out and "1. Seat selection and extras" in out
    assert main(["--database", db, "summary", "--all", "--format", "text"]) == 0
    out = capsys.readouterr().out
    assert "summary: All maps (portfolio)" in out and "Moments to fix first" in out


def test_a_subcommand_whose_import_fails_is_an_error_naming_the_import_error(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "cjm.funnel.cli", None)  # "import cjm.funnel.cli" now fails
    assert main(["funnel", "x.csv", "--steps", "a,b"]) == 1
    err = capsys.readouterr().err
    assert "the 'funnel' command cannot run here: importing cjm.funnel.cli failed" in err
    assert "invalid choice" not in err
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0 and "funnel" in capsys.readouterr().out


def test_an_unknown_subcommand_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["nonsense"])
    assert info.value.code == 2 and "invalid choice: 'nonsense'" in capsys.readouterr().err


def test_the_command_line_imports_a_command_s_heavy_modules_only_when_it_runs():
    code = (
        "import sys; from cjm.cli import build_parser; build_parser(); build_parser('list'); "
        "print(sorted(m for m in ('plotly', 'pandas', 'duckdb', 'cjm.funnel.engine', 'cjm.cli_reports', "
        "'cjm.health') if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == "[]", done.stdout + done.stderr


def test_the_funnel_and_check_commands_run_through_the_lazy_loader(capsys):
    events = ROOT / "sample_data" / "funnels" / "shop_events.csv"
    assert main(["funnel", str(events), "--steps", "view_product,add_to_cart,checkout"]) == 0
    out = capsys.readouterr().out
    assert "view_product" in out and "checkout" in out and "drop-off" in out
    assert main(["check", str(SAMPLE)]) == 0  # the sample's review is an intended end, not a dead end
    out = capsys.readouterr().out
    assert "Rule 10 — make it easy" in out and "Dead ends" not in out
