"""Funnel tables, Wilson intervals, charts and the command line."""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import pytest

from cjm.funnel import charts
from cjm.funnel.cli import main
from cjm.funnel.engine import EventLog, compute_funnel, conversion_by_week, conversion_times
from cjm.funnel.stats import biggest_drop, funnel_summary, funnel_table, segment_table, wilson_interval

SAMPLES = Path(__file__).resolve().parents[2] / "sample_data" / "funnels"


def test_the_wilson_interval_matches_the_textbook_values():
    lo, hi = wilson_interval(50, 100)
    assert (round(lo, 4), round(hi, 4)) == (0.4038, 0.5962)
    lo, hi = wilson_interval(0, 10)
    assert lo == 0.0 and round(hi, 4) == 0.2775
    lo, hi = wilson_interval(10, 10)
    assert hi == 1.0 and round(lo, 4) == 0.7225


def test_the_wilson_interval_is_undefined_without_trials_or_with_more_successes_than_trials():
    assert all(math.isnan(x) for x in wilson_interval(0, 0))
    assert all(math.isnan(x) for x in wilson_interval(5, 3))


def test_the_funnel_table_gives_conversion_and_drop_off_per_step():
    t = funnel_table(["visit", "cart", "buy"], [1000, 400, 300])
    assert list(t["users"]) == [1000, 400, 300]
    assert t.loc[1, "step_conversion"] == 0.4 and t.loc[2, "overall_conversion"] == 0.3
    assert list(t["drop_off"].iloc[1:]) == [600, 100]
    assert t.loc[1, "drop_off_rate"] == 0.6
    assert t.loc[1, "drop_off_rate_low"] < 0.6 < t.loc[1, "drop_off_rate_high"]
    assert math.isnan(t.loc[0, "step_conversion"])


def test_the_biggest_drop_is_the_step_losing_the_largest_share():
    t = funnel_table(["a", "b", "c"], [1000, 800, 100])
    assert list(t["biggest_drop"]) == [False, False, True] and biggest_drop(t) == 3


def test_a_funnel_that_loses_nobody_has_no_biggest_drop():
    assert not funnel_table(["a", "b"], [10, 10])["biggest_drop"].any()


def test_a_rising_count_is_marked_in_the_table():
    t = funnel_table(["a", "b", "c"], [100, 120, 50])
    assert list(t["rises"]) == [False, True, False]


def test_segment_tables_mark_the_biggest_drop_within_each_segment():
    t = segment_table(["a", "b", "c"], {"x": [100, 10, 5], "y": [100, 90, 9]})
    assert list(t.loc[t["biggest_drop"], "step_number"]) == [2, 3]


def test_the_summary_is_plain_json_ready_python():
    s = funnel_summary(["a", "b"], [10, 4], {"x": [6, 2]})
    text = json.dumps(s)
    assert type(s["steps"][1]["users"]) is int and s["biggest_drop_step"] == 2
    assert s["steps"][0]["step_conversion"] is None and "x" in json.loads(text)["segments"]


def test_the_funnel_chart_colours_the_biggest_drop_and_leaves_the_table_alone():
    t = funnel_table(["a", "b", "c"], [1000, 800, 100])
    before = t.copy()
    fig = charts.funnel_figure(t)
    assert isinstance(fig, go.Figure)
    assert list(fig.data[0].marker.color) == [charts.STEP_COLOR, charts.STEP_COLOR, charts.DROP_COLOR]
    assert "88%" in fig.layout.annotations[0].text
    pd.testing.assert_frame_equal(t, before)


def test_the_segment_chart_draws_one_bar_series_per_segment():
    fig = charts.segments_figure(segment_table(["a", "b"], {"x": [10, 5], "y": [20, 2]}))
    assert [tr.name for tr in fig.data] == ["y (20)", "x (10)"]
    assert list(fig.data[1].y) == [100.0, 50.0]


def _small_result():
    frame = pd.DataFrame(
        {
            "user_id": ["p", "p", "q", "q"],
            "event": ["A", "B", "A", "B"],
            "timestamp": ["2024-03-04 10:00:00", "2024-03-04 10:30:00", "2024-03-12 10:00:00", "2024-03-12 12:00:00"],
        }
    )
    return compute_funnel(EventLog("user_id", "event", "timestamp", frame=frame), ["A", "B"])


def test_the_time_to_convert_histogram_picks_a_readable_unit():
    fig = charts.time_to_convert_figure(conversion_times(_small_result()))
    assert fig.layout.xaxis.title.text == "Minutes from the previous step"
    assert sorted(fig.data[0].x) == [30.0, 120.0]


def test_the_trend_chart_shows_weekly_conversion_in_percent():
    fig = charts.trend_figure(conversion_by_week(_small_result()))
    assert list(fig.data[1].y) == [100.0, 100.0] and list(fig.data[0].y) == [1, 1]


def _cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_cli_prints_json_steps_with_people_counts():
    code, out, _ = _cli(
        str(SAMPLES / "shop_events.csv"),
        "--steps",
        "view_product,add_to_cart,checkout",
        "--window",
        "7d",
        "--format",
        "json",
    )
    doc = json.loads(out)
    assert code == 0 and [s["step"] for s in doc["steps"]] == ["view_product", "add_to_cart", "checkout"]
    assert doc["steps"][0]["users"] >= doc["steps"][1]["users"] > 0 and doc["window_seconds"] == 7 * 86400


def test_the_cli_gives_steps_per_segment_with_by():
    code, out, _ = _cli(
        str(SAMPLES / "shop_events.csv"),
        "--steps",
        "view_product,add_to_cart",
        "--by",
        "device",
        "--format",
        "json",
        "--mode",
        "strict",
    )
    doc = json.loads(out)
    assert code == 0 and set(doc["segments"]) == {"mobile", "desktop", "tablet"}
    assert sum(s["steps"][0]["users"] for s in doc["segments"].values()) == doc["steps"][0]["users"]


def test_the_cli_reads_an_aggregated_file_as_a_table_and_as_csv():
    code, out, _ = _cli(str(SAMPLES / "ga4_funnel_export.csv"))
    assert code == 0 and "biggest drop" in out and "24,310" in out
    code, out, _ = _cli(str(SAMPLES / "shop_funnel_en.csv"), "--format", "csv", "--by", "device")
    table = pd.read_csv(io.StringIO(out))
    assert code == 0 and set(table["segment"]) == {"mobile", "desktop"}


def test_the_cli_reports_bad_input_without_a_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("step,users\nvisit,lots\n")
    code, _, err = _cli(str(bad))
    assert code == 2 and err.startswith("error:") and "line 2" in err and "Traceback" not in err


def test_the_cli_asks_for_columns_it_cannot_guess(tmp_path):
    f = tmp_path / "odd.csv"
    f.write_text("a,b\nx,1\ny,2\n")
    code, _, err = _cli(str(f))
    assert code == 2 and "--step-col" in err
    code, out, _ = _cli(str(f), "--step-col", "a", "--count-col", "b", "--format", "json")
    assert code == 0 and json.loads(out)["steps"][1]["users"] == 2


def test_the_cli_registers_a_funnel_subcommand():
    import argparse

    from cjm.funnel.cli import register

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["funnel", "f.csv", "--steps", "a,b", "--mode", "any"])
    assert args.mode == "any" and callable(args.func)


@pytest.mark.parametrize("mode", ["ordered", "strict", "any"])
def test_the_cli_accepts_each_mode(mode):
    code, out, _ = _cli(str(SAMPLES / "shop_events.csv"), "--steps", "view_product,add_to_cart", "--mode", mode)
    assert code == 0 and "add_to_cart" in out


def test_the_cli_reads_any_file_as_an_event_log_when_told_its_person_event_and_time_columns(tmp_path):
    f = tmp_path / "log.csv"
    f.write_text("who,what,when_\np1,a,2024-03-04 10:00:00\np1,b,2024-03-04 10:10:00\np2,a,2024-03-04 10:00:00\n")
    code, _, err = _cli(str(f), "--steps", "a,b")
    assert code == 2 and "--user-col" in err
    code, out, err = _cli(
        str(f), "--steps", "a,b", "--user-col", "who", "--event-col", "what", "--time-col", "when_", "--format", "json"
    )
    assert code == 0, err
    assert [s["users"] for s in json.loads(out)["steps"]] == [2, 1]


def test_the_cli_reads_a_metrica_logs_api_file():
    code, out, err = _cli(
        str(SAMPLES / "metrica_logs_visits.tsv"), "--steps", "visit,goal 31337001,goal 31337002", "--format", "json"
    )
    assert code == 0, err
    assert [s["users"] for s in json.loads(out)["steps"]] == [50, 26, 6]


def test_funnel_downloads_neutralise_formula_cells_and_keep_numbers_as_numbers():
    import openpyxl

    from cjm.funnel.stats import table_to_csv, table_to_xlsx

    steps = ['=HYPERLINK("http://evil","x")', "+1", "-2+3+cmd|' /C calc'!A0", "@SUM(1)", "\tx", "\rx", "fine"]
    table = funnel_table(steps, [700, 600, 500, 400, 300, 200, 100])
    rows = list(csv.reader(io.StringIO(table_to_csv(table).decode("utf-8"), newline="")))
    col = rows[0].index("step")
    assert [r[col][0] for r in rows[1:7]] == ["'"] * 6 and rows[7][col] == "fine"
    assert rows[1][rows[0].index("users")] == "700"  # a number, not '700
    ws = openpyxl.load_workbook(io.BytesIO(table_to_xlsx(table))).active
    header = [c.value for c in ws[1]]
    cells = [ws.cell(row=r, column=header.index("step") + 1) for r in range(2, 9)]
    assert all(c.data_type == "s" for c in cells) and cells[0].value.startswith("'=")
    assert ws.cell(row=2, column=header.index("users") + 1).value == 700
