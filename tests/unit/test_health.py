"""Journey health checks: each fires on a small crafted graph and stays quiet on a healthy one."""

import json
from pathlib import Path

import pytest

from cjm import health
from cjm.health import CHECKS, run_checks, worst_level
from cjm.io.jsonio import write_json
from cjm.model import add_touchpoint, add_transition, new_map


def healthy_map():
    """A continuous chain with a conversion point assessed as key, every stage filled and observed,
    every two-way channel kept to the end, negative moments answered, every emotion assessed, the
    contact taken before the purchase, a positive peak and a positive end."""
    G = new_map("Healthy", map_id="healthy", stages_template="phases")
    seen = {"evidence": "observed"}
    add_touchpoint(G, "Ad", "before_purchase", id="ad", channel="social", emotion=0.5, **seen)
    add_touchpoint(
        G,
        "Site",
        "before_purchase",
        id="site",
        channel="website",
        emotion=-1.5,
        opportunity="Faster page",
        captures_contact=True,
        **seen,
    )
    add_touchpoint(
        G,
        "Pay",
        "purchase",
        id="pay",
        channel="website",
        emotion=-1.0,
        conversion_point=True,
        key_touchpoint=True,
        score=3,
        **seen,
    )
    add_touchpoint(G, "Support", "purchase", id="support", channel="messenger", emotion=0.5, **seen)
    add_touchpoint(G, "Follow-up", "after_purchase", id="follow", channel="social", emotion=1.0, **seen)
    add_touchpoint(G, "Account", "after_purchase", id="account", channel="website", emotion=2.0, **seen)
    add_touchpoint(G, "Chat", "after_purchase", id="chat", channel="messenger", emotion=1.0, **seen)
    for u, v in [
        ("ad", "site"),
        ("site", "pay"),
        ("pay", "support"),
        ("support", "follow"),
        ("follow", "account"),
        ("account", "chat"),
    ]:
        add_transition(G, u, v)
    return G


def ids(findings, check):
    return [tp for f in findings if f.check.split(":")[0] == check for tp in f.touchpoints]


def test_healthy_map_has_no_findings():
    assert run_checks(healthy_map()) == []
    assert worst_level([]) is None


@pytest.mark.parametrize("check", CHECKS, ids=lambda c: c.__name__)
def test_every_check_is_quiet_on_a_healthy_map(check):
    assert check(healthy_map(), "en") == []


def test_unreachable_touchpoints_break_the_chain():
    G = healthy_map()
    add_touchpoint(G, "Island A", "after_purchase", id="island-a", channel="website", emotion=0.0)
    add_touchpoint(G, "Island B", "after_purchase", id="island-b", channel="website", emotion=0.0)
    add_transition(G, "island-a", "island-b")
    add_transition(G, "island-b", "island-a")  # a cycle with no way in
    add_touchpoint(G, "Late orphan", "after_purchase", id="orphan", channel="website", emotion=0.0)
    add_transition(G, "orphan", "chat")  # no way in, after the conversion point
    findings = health.check_unreachable(G, "en")
    assert [f.level for f in findings] == ["error"]
    assert set(findings[0].touchpoints) == {"island-a", "island-b", "orphan"}
    assert "«Island A»" in findings[0].message and "Broken chain" in findings[0].message


def test_an_entry_before_the_first_conversion_point_is_a_legitimate_start():
    G = healthy_map()
    add_touchpoint(G, "Word of mouth", "before_purchase", id="wom", channel="word_of_mouth", emotion=1.0)
    add_transition(G, "wom", "site")
    assert health.check_unreachable(G, "en") == []


def test_dead_end_before_a_conversion_point_is_an_error():
    G = healthy_map()
    add_touchpoint(G, "Price list PDF", "before_purchase", id="pdf", order=1.5, emotion=0.0)
    add_transition(G, "ad", "pdf")
    findings = health.check_dead_ends(G, "en")
    assert [f.level for f in findings] == ["error"] and findings[0].touchpoints == ("pdf",)
    assert "«Price list PDF»" in findings[0].message


def test_missing_touchpoints_are_not_reported_as_dead_ends():
    G = healthy_map()
    add_touchpoint(G, "Telegram", "before_purchase", id="tg", order=1.5, status="missing")
    add_transition(G, "ad", "tg")
    assert health.check_dead_ends(G, "en") == []


def test_stage_with_no_touchpoint_is_reported_by_name():
    G = healthy_map()
    G.graph["stages"].append({"id": "advocacy", "name": "Advocacy", "phase": "after_purchase"})
    findings = health.check_empty_stages(G, "ru")
    assert findings and "Рекомендации" in findings[0].message


def test_map_without_conversion_point_is_an_error_but_a_warning_for_a_day_in_the_life():
    G = healthy_map()
    G.nodes["pay"]["conversion_point"] = False
    assert [f.level for f in health.check_no_conversion(G, "en")] == ["error"]
    G.graph["map_type"] = "day_in_life"
    assert [f.level for f in health.check_no_conversion(G, "en")] == ["warning"]


def test_negative_touchpoint_without_opportunity_or_recovery_is_flagged():
    G = healthy_map()
    G.nodes["site"]["opportunity"] = ""  # site −1.5 → pay −1.0: no recovery, no opportunity
    G.nodes["pay"]["emotion"] = -1.0  # pay → support +0.5 is a recovery
    findings = health.check_negative_unanswered(G, "en")
    assert [f.touchpoints for f in findings] == [("site",)]
    G.nodes["pay"]["emotion"] = 0.0  # now site recovers at the next step
    assert health.check_negative_unanswered(G, "en") == []


def test_open_missing_touchpoints_are_listed():
    G = healthy_map()
    add_touchpoint(G, "Telegram", "purchase", id="tg", status="missing")
    add_transition(G, "pay", "tg")
    add_transition(G, "tg", "follow")
    assert ids(health.check_missing_open(G, "en"), "missing_open") == ["tg"]


def test_channel_used_early_but_abandoned_later_is_flagged():
    G = healthy_map()
    G.nodes["chat"]["channel"] = "email"  # messenger now only in purchase, e-mail only after
    findings = health.check_abandoned_channel(G, "en")
    assert [f.check for f in findings] == ["abandoned_channel:messenger"]
    assert findings[0].touchpoints == ("support",)
    assert "Messenger / chat" in findings[0].message and "After purchase" in findings[0].message


def test_one_way_channels_may_stop_after_the_first_phase():
    G = healthy_map()
    G.nodes["ad"]["channel"] = "print"
    assert health.check_abandoned_channel(G, "en") == []


def test_unassessed_emotions_are_info():
    G = healthy_map()
    G.nodes["support"]["emotion"] = None
    findings = health.check_unassessed(G, "en")
    assert [(f.level, f.touchpoints) for f in findings] == [("info", ("support",))]
    G.nodes["support"]["votes"] = [{"participant": "a", "score": 1.0}]
    assert health.check_unassessed(G, "en") == []


def test_findings_are_sorted_errors_first_and_messages_translated():
    G = healthy_map()
    G.nodes["pay"]["conversion_point"] = False
    G.nodes["follow"]["emotion"] = None
    findings = run_checks(G, "ru")
    assert [f.level for f in findings] == ["error", "info"]
    assert "Нет точки конверсии" in findings[0].message
    assert "«Follow-up»" in findings[1].message


def test_long_lists_of_names_are_shortened():
    G = new_map("Many", stages_template="phases")
    for i in range(10):
        add_touchpoint(G, f"T{i}", "purchase", conversion_point=(i == 0))
    message = health.check_unassessed(G, "en")[0].message
    assert "«T5»" in message and "«T6»" not in message and "and 4 more" in message


def test_retired_touchpoints_are_ignored():
    G = healthy_map()
    add_touchpoint(G, "Old", "purchase", id="old", status="retired", emotion=None)
    assert run_checks(G) == []


def test_check_command_exits_1_on_an_error_and_prints_the_findings(tmp_path, capsys):
    bad = healthy_map()
    bad.nodes["pay"]["conversion_point"] = False
    good_path, bad_path = tmp_path / "good.json", tmp_path / "bad.json"
    write_json(healthy_map(), good_path)
    write_json(bad, bad_path)
    assert health.main([str(good_path)]) == 0
    assert "no findings" in capsys.readouterr().out
    assert health.main([str(good_path), str(bad_path), "--lang", "ru"]) == 1
    out = capsys.readouterr().out
    assert "Нет точки конверсии" in out and "[ошибка]" in out


def test_check_command_warnings_alone_exit_0_and_json_output_lists_touchpoints(tmp_path, capsys):
    G = healthy_map()
    G.nodes["follow"]["emotion"] = None
    path = tmp_path / "m.json"
    write_json(G, path)
    assert health.main([str(path), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data[0]["map"] == "healthy" and data[0]["findings"][0]["touchpoints"] == ["follow"]


def test_check_command_reports_an_unknown_map_and_exits_1(capsys):
    assert health.main(["no-such-map-anywhere"]) == 1
    assert "no-such-map-anywhere" in capsys.readouterr().err


def test_check_is_a_subcommand_of_the_cli():
    import argparse

    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command")
    health.register(sub)
    args = parser.parse_args(["check", "a", "b", "--lang", "ru"])
    assert args.maps == ["a", "b"] and args.lang == "ru" and args.func is not None


SAMPLES = sorted((Path(__file__).resolve().parents[2] / "sample_data" / "maps").glob("*.json"))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.stem)
def test_check_command_prints_the_findings_of_every_sample_map(path, capsys):
    from cjm.io.jsonio import read_json

    G = read_json(path)
    code = health.main([str(path)])
    out = capsys.readouterr().out
    assert out.startswith(f"{G.graph['title']} ({G.graph['id']})")
    findings = run_checks(G)
    assert code == (1 if worst_level(findings) == "error" else 0)
    for f in findings:
        assert f.message in out


def test_check_is_wired_into_python_dash_m_cjm(tmp_path, capsys):
    from cjm.cli import main as cli_main

    path = tmp_path / "m.json"
    write_json(healthy_map(), path)
    assert cli_main(["check", str(path)]) == 0
    assert "no findings" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_check_command_reads_csv_and_xlsx_touchpoint_tables(fmt, tmp_path, capsys):
    from cjm.io.tables import export_map

    G = healthy_map()
    G.nodes["pay"]["conversion_point"] = False
    data, _mime, ext = export_map(G, fmt, lang="ru")
    path = tmp_path / f"map.{ext}"
    path.write_bytes(data)
    assert health.main([str(path)]) == 1
    assert "No conversion point" in capsys.readouterr().out
