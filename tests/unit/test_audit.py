"""The touchpoint audit: inventory and filters, ranking, priority quadrants, coverage gaps,
overdue tasks, exports and validated audit edits."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from cjm import audit, model
from cjm.errors import ValidationError
from cjm.i18n import t


@pytest.fixture
def shop() -> nx.DiGraph:
    G = model.new_map("Shop", map_id="shop")
    model.add_touchpoint(
        G,
        "Banner",
        "awareness",
        id="banner",
        channel="print",
        category="communications",
        key_touchpoint=True,
        importance=2,
        score=2,
    )
    model.add_touchpoint(
        G,
        "Site",
        "consideration",
        id="site",
        channel="website",
        category="technology",
        key_touchpoint=True,
        importance=5,
        score=2,
        task="Speed up search",
        owner="Ann",
        deadline="2024-03-01",
        task_status="in_progress",
    )
    model.add_touchpoint(
        G,
        "Checkout",
        "purchase",
        id="checkout",
        channel="website",
        category="technology",
        key_touchpoint=True,
        importance=5,
        score=5,
        conversion_point=True,
        owner="Bob",
        deadline="2024-03-10",
        task="Add Apple Pay",
        task_status="todo",
    )
    model.add_touchpoint(
        G,
        "Courier",
        "post_purchase",
        id="courier",
        channel="courier",
        category="staff",
        importance=3,
        score=4,
        task="Call before arrival",
        deadline="2024-02-01",
        task_status="done",
    )
    model.add_touchpoint(G, "Chat", "purchase", id="chat", channel="messenger", category="technology", status="missing")
    return G  # fmt: skip


@pytest.fixture
def other() -> nx.DiGraph:
    G = model.new_map("Other", map_id="other")
    model.add_touchpoint(G, "Office", "purchase", id="office", channel="office", category="offices")
    return G


def test_inventory_has_one_row_per_touchpoint_of_every_map_in_journey_order(shop, other):
    df = audit.inventory([shop, other], "ru")
    assert df["map_id"].tolist() == ["shop"] * 5 + ["other"]
    assert df["id"].tolist()[:5] == ["banner", "site", "checkout", "chat", "courier"]
    assert df.loc[0, "stage_name"] == t("stage.awareness", "ru") != "Awareness"
    assert df.loc[2, "phase"] == "purchase" and df.loc[2, "conversion_point"]
    assert list(df.columns) == audit.INVENTORY_COLUMNS


def test_filters_combine_and_empty_filters_let_everything_through(shop, other):
    df = audit.inventory([shop, other])
    assert len(audit.filter_inventory(df)) == 6
    assert audit.filter_inventory(df, maps=["other"])["id"].tolist() == ["office"]
    web = audit.filter_inventory(df, channels=["website"], phases=["purchase"])
    assert web["id"].tolist() == ["checkout"]
    assert audit.filter_inventory(df, statuses=["missing"])["id"].tolist() == ["chat"]
    assert audit.filter_inventory(df, categories=["technology"], key_only=True)["id"].tolist() == ["site", "checkout"]
    assert audit.filter_inventory(df, stages=["post_purchase"])["id"].tolist() == ["courier"]
    opts = audit.filter_options(df)
    assert opts["maps"] == ["shop", "other"] and opts["phases"] == ["before_purchase", "purchase", "after_purchase"]


def test_ranking_lists_key_touchpoints_by_importance_then_worst_score_first(shop):
    ranked = audit.ranking(audit.inventory([shop]))
    assert ranked["id"].tolist() == ["site", "checkout", "banner"]
    assert ranked["rank"].tolist() == [1, 2, 3]


def test_suggested_key_touchpoints_are_a_short_ranked_list_with_reasons():
    G = model.new_map("S")
    ids = [model.add_touchpoint(G, f"T{i}", "awareness", emotion=0.5) for i in range(10)]
    pay = model.add_touchpoint(G, "Pay", "purchase", conversion_point=True)
    done = model.add_touchpoint(G, "Done", "purchase", conversion_point=True, key_touchpoint=True)
    G.nodes[ids[0]]["users"] = 1000
    G.nodes[ids[1]]["users"] = 100
    model.add_transition(G, ids[0], ids[1], users=100)  # T0 loses 900
    model.add_transition(G, ids[1], pay, users=60)  # T1 loses 40
    G.nodes[ids[5]].update(emotion=-2.0, importance=5)
    G.nodes[ids[6]].update(emotion=-1.0)
    got = audit.key_touchpoint_suggestions(G)
    assert len(got) == round(12 * audit.SUGGEST_SHARE) == 2  # about a fifth of the map, not all of it
    assert [(s.id, s.reason) for s in got] == [(pay, "conversion"), (ids[0], "drop_off")]
    assert done not in audit.suggest_key_touchpoints(G)
    assert "loses 900 people" in got[1].text(G, "en") and "теряет 900 чел." in got[1].text(G, "ru")
    G.nodes[pay]["key_touchpoint"] = True
    G.nodes[ids[0]]["key_touchpoint"] = True
    got = audit.key_touchpoint_suggestions(G)
    assert [(s.id, s.reason) for s in got] == [(ids[1], "drop_off"), (ids[5], "emotion")]
    assert "10.0" in got[1].text(G, "en")


def test_suggestions_on_the_shop_sample_stay_short():
    from cjm.io.jsonio import read_json

    G = read_json(Path(__file__).resolve().parents[2] / "sample_data" / "maps" / "shop-current.json")
    got = audit.suggest_key_touchpoints(G)
    assert 1 <= len(got) <= round(len(model.active_touchpoints(G)) / 5)


@pytest.mark.parametrize(
    ("importance", "score", "expected"),
    [(5, 1, "fix_first"), (4, 3, "fix_first"), (4, 4, "keep_up"), (5, 5, "keep_up"), (3, 3, "improve_later"),
     (1, 1, "improve_later"), (3, 4, "dont_overinvest"), (1, 5, "dont_overinvest"), (None, 3, None), (4, None, None)],
)  # fmt: skip
def test_priority_quadrants_split_importance_and_score_at_four(importance, score, expected):
    assert audit.quadrant(importance, score) == expected


def test_quadrant_thresholds_can_be_moved():
    assert audit.quadrant(3, 3, importance_high=3, score_good=3) == "keep_up"


def test_priority_table_puts_fix_first_on_top_and_skips_unrated(shop):
    table = audit.priority_table(audit.inventory([shop]))
    assert table["id"].tolist() == ["site", "checkout", "banner", "courier"]
    assert table["quadrant"].tolist() == ["fix_first", "keep_up", "improve_later", "dont_overinvest"]


def test_coverage_phase_by_category_counts_existing_touchpoints_and_finds_gaps(shop):
    table = audit.coverage_table(audit.inventory([shop]), "phase", "category")
    assert table.shape == (3, 7)
    assert table.loc["purchase", "technology"] == 1  # the missing chat does not count
    assert table.loc["before_purchase", "communications"] == 1
    gaps = audit.coverage_gaps(table)
    assert ("purchase", "offices") in gaps and ("purchase", "technology") not in gaps
    assert len(gaps) == 21 - 4


def test_coverage_stage_by_channel_uses_stage_names_in_journey_order(shop):
    df = audit.inventory([shop])
    table = audit.coverage_table(df, "stage", "channel")
    assert list(table.index) == ["Awareness", "Consideration", "Purchase", "Post-purchase"]
    assert table.loc["Purchase", "website"] == 1 and table.loc["Purchase", "messenger"] == 0
    planned = audit.coverage_table(df, "stage", "channel", statuses=["existing", "missing"])
    assert planned.loc["Purchase", "messenger"] == 1


def test_coverage_of_an_empty_inventory_is_all_gaps():
    table = audit.coverage_table(audit.inventory([model.new_map("E")]))
    assert int(table.to_numpy().sum()) == 0 and len(audit.coverage_gaps(table)) == 21


def test_overdue_means_past_deadline_and_not_done():
    today = date(2024, 3, 5)
    assert audit.is_overdue("2024-03-04", "todo", today)
    assert audit.is_overdue("2024-03-04", "", today)
    assert not audit.is_overdue("2024-03-04", "done", today)
    assert not audit.is_overdue("2024-03-05", "todo", today)
    assert not audit.is_overdue(None, "todo", today)
    assert not audit.is_overdue("not a date", "todo", today)


def test_task_table_lists_overdue_tasks_first_relative_to_today(shop):
    tasks = audit.task_table(audit.inventory([shop]), date(2024, 3, 5))
    assert tasks["id"].tolist() == ["site", "checkout", "courier"]
    assert tasks["overdue"].tolist() == [True, False, False]
    assert tasks["days_overdue"].tolist() == [4, 0, 0]
    assert audit.task_table(audit.inventory([shop]), date(2024, 3, 5), overdue_only=True)["id"].tolist() == ["site"]
    later = audit.task_table(audit.inventory([shop]), date(2024, 3, 20))
    assert later["overdue"].tolist() == [True, True, False]
    assert later["id"].tolist()[:2] == ["site", "checkout"]


def test_task_exports_are_translated_csv_and_xlsx_with_overdue_rows_marked(shop):
    tasks = audit.task_table(audit.inventory([shop]), date(2024, 3, 5))
    csv = audit.tasks_csv(tasks, "ru")
    assert csv.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert len(back) == 3 and "Ответственный" in back.columns and back.iloc[0, 3] == "Speed up search"
    xlsx = audit.tasks_xlsx(tasks, "en")
    sheet = pd.read_excel(io.BytesIO(xlsx))
    assert sheet["Owner"].tolist()[:2] == ["Ann", "Bob"] and sheet["Overdue"].tolist() == ["yes", "no", "no"]
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xlsx)).active
    assert ws["A2"].fill.fgColor.rgb.endswith("FFD7D7") and not ws["A3"].fill.fgColor.rgb.endswith("FFD7D7")


def test_audit_progress_counts_each_step(shop):
    p = audit.audit_progress(audit.inventory([shop]), date(2024, 3, 5))
    assert (p.touchpoints, p.missing, p.key, p.ranked, p.evaluated) == (5, 1, 3, 3, 3)
    assert (p.tasks, p.tasks_done, p.overdue, p.fix_first) == (3, 1, 1, 1)


def test_evaluation_summary_groups_scores_by_evaluator(shop):
    H = audit.apply_audit_edits(
        shop, {"site": {"evaluated_by": "mystery_shopper"}, "checkout": {"evaluated_by": "expert"}}
    )
    summary = audit.evaluation_summary(audit.inventory([H]))
    assert summary["evaluated_by"].tolist() == ["expert", "mystery_shopper", ""]
    assert summary.set_index("evaluated_by").loc["", "touchpoints"] == 2


def test_audit_edits_keyed_by_touchpoint_id_become_a_new_validated_map(shop):
    frame = audit.audit_frame(shop, audit.STEP_FIELDS["evaluate"], only_key=True)
    assert frame["id"].tolist() == ["banner", "site", "checkout"]
    H = audit.apply_audit_edits(shop, {"site": {"score": 4, "evaluated_by": "Эксперт"}})
    assert H.nodes["site"]["score"] == 4 and H.nodes["site"]["evaluated_by"] == "expert"
    assert shop.nodes["site"]["score"] == 2  # the input is untouched


def test_task_dates_from_the_editor_are_stored_as_iso_text(shop):
    H = audit.apply_audit_edits(shop, {"chat": {"deadline": date(2024, 5, 1), "owner": "Eve", "task_status": None}})
    assert H.nodes["chat"]["deadline"] == "2024-05-01" and H.nodes["chat"]["owner"] == "Eve"


def test_invalid_audit_edits_name_every_touchpoint_and_field_and_change_nothing(shop):
    with pytest.raises(ValidationError) as err:
        audit.apply_audit_edits(
            shop, {"site": {"score": 9, "deadline": "soon"}, "checkout": {"evaluated_by": "my cat"}, "gone": {"score": 1},
                   "chat": {"name": "Renamed"}}
        )  # fmt: skip
    where = {(p.location, p.field) for p in err.value.problems}
    assert where == {("touchpoint 'site'", "score"), ("touchpoint 'site'", "deadline"),
                     ("touchpoint 'checkout'", "evaluated_by"), ("touchpoint 'gone'", None),
                     ("touchpoint 'chat'", "name")}  # fmt: skip
    assert shop.nodes["site"]["score"] == 2


def test_priority_matrix_labels_every_point_and_all_four_quadrants(shop):
    from cjm.charts.audit import priority_matrix_figure

    fig = priority_matrix_figure(audit.priority_table(audit.inventory([shop])), lang="en")
    texts = sorted(t for tr in fig.data for t in tr.text)
    assert texts == ["Banner", "Checkout", "Courier", "Site"]
    corner = {a.text for a in fig.layout.annotations}
    assert {"<b>FIX FIRST</b>", "<b>KEEP UP</b>", "<b>IMPROVE LATER</b>", "<b>DON'T OVER-INVEST</b>"} <= corner
    site = next(tr for tr in fig.data if "Site" in tr.text)
    assert site.name == "Fix first"


def test_priority_matrix_stacks_a_crowded_cell_and_counts_the_rest():
    from cjm.charts.audit import priority_matrix_figure

    G = model.new_map("Crowd")
    for i in range(8):
        model.add_touchpoint(G, f"T{i}", "purchase", importance=5, score=1)
    fig = priority_matrix_figure(audit.priority_table(audit.inventory([G])))
    ys = list(fig.data[0].y)
    assert len(ys) == 4 and len(set(ys)) == 4
    assert any(a.text == "+4 more" for a in fig.layout.annotations)


def test_coverage_heatmap_marks_gaps(shop):
    from cjm.charts.audit import coverage_heatmap_figure

    table = audit.coverage_table(audit.inventory([shop]), "phase", "category")
    heat = coverage_heatmap_figure(table, lang="ru").data[0]
    assert heat.y[1] == "Покупка" and heat.text[1][0] == "✕" and heat.text[1][1] == "1"


def test_stage_by_channel_can_leave_out_channels_the_journey_never_uses(shop):
    df = audit.inventory([shop])
    table = audit.coverage_table(df, "stage", "channel", used_columns_only=True)
    assert list(table.columns) == ["website", "courier", "print"]
    assert "messenger" in audit.unused_choices(df) and "website" not in audit.unused_choices(df)


def test_a_map_without_tasks_has_an_empty_task_list_and_nothing_overdue():
    G = model.new_map("Quiet")
    model.add_touchpoint(G, "Ad", "awareness")
    inv = audit.inventory([G])
    assert audit.task_table(inv, date(2024, 1, 1)).empty
    assert audit.task_table(inv, date(2024, 1, 1), overdue_only=True).empty
    assert audit.audit_progress(inv, date(2024, 1, 1)).overdue == 0


def test_display_frames_never_print_none_in_a_blank_text_cell():
    import pandas as pd

    df = pd.DataFrame({"name": ["Chat", "Shop"], "owner": [None, "Ann"], "task": [float("nan"), ""]}, dtype=object)
    shown = audit.display_frame(df, ["name", "owner", "task"], "en")
    assert [v for c in shown.columns for v in shown[c]] == ["Chat", "Shop", "", "Ann", "", ""]


def test_display_frames_write_points_dates_and_means_as_the_language_does():
    df = pd.DataFrame(
        {
            "score": [4.0, None],
            "importance": [5.0, 2.0],
            "deadline": ["2026-09-06", None],
            "mean_score": [3.25, None],
        }
    )
    shown = audit.display_frame(df, list(df.columns), "ru")
    assert shown.iloc[:, 0].tolist() == ["4", ""] and shown.iloc[:, 1].tolist() == ["5", "2"]
    assert shown.iloc[:, 2].tolist() == ["6 сен 2026", ""] and shown.iloc[:, 3].tolist() == ["3,25", ""]
    assert audit.display_frame(df, ["deadline"], "en").iloc[0, 0] == "6 Sep 2026"
