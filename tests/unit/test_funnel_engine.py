"""Event-log funnels on tiny hand-made logs with known answers (semantics: docs/funnel.md)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pandas as pd
import pytest

from cjm.funnel.engine import (
    EMPTY_SEGMENT,
    EventLog,
    Exclusion,
    compute_funnel,
    conversion_by_week,
    conversion_times,
    dropped_off,
    parse_window,
    time_to_convert,
)
from cjm.funnel.errors import FunnelParameterError, FunnelValueError
from cjm.funnel.readers import read_funnel_file

T0 = datetime(2024, 3, 4, 13, 0, 0)


def log(*events, props=()):
    """events: (person, event, minutes after T0[, prop values...])."""
    rows = [(p, e, (T0 + timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M:%S"), *rest) for p, e, m, *rest in events]
    frame = pd.DataFrame(rows, columns=["user_id", "event", "timestamp", *props])
    return EventLog("user_id", "event", "timestamp", tuple(props), frame=frame, time_kind="iso")


def counts(lg, steps, **kw):
    return compute_funnel(lg, steps, **kw).counts


ABC = ["A", "B", "C"]


def test_a_person_counts_at_every_step_up_to_the_furthest_one_reached():
    lg = log(("p", "A", 0), ("p", "B", 1), ("q", "A", 0), ("r", "A", 0), ("r", "B", 2), ("r", "C", 3))
    assert counts(lg, ABC) == (3, 2, 1)


def test_a_person_who_never_does_step_one_is_not_in_an_ordered_funnel():
    assert counts(log(("p", "B", 0), ("p", "C", 1)), ABC) == (0, 0, 0)


def test_a_person_who_skips_a_step_earns_nothing_for_the_later_step():
    assert counts(log(("p", "A", 0), ("p", "C", 1)), ABC) == (1, 0, 0)


def test_other_events_between_steps_do_not_matter_in_an_ordered_funnel():
    assert counts(log(("p", "A", 0), ("p", "X", 1), ("p", "B", 2), ("p", "Y", 3), ("p", "C", 4)), ABC) == (1, 1, 1)


def test_the_conversion_window_edge_is_inclusive():
    at_edge = log(("p", "A", 0), ("p", "B", 5))
    assert counts(at_edge, ["A", "B"], window="5min") == (1, 1)
    assert counts(at_edge, ["A", "B"], window="300s") == (1, 1)
    assert counts(at_edge, ["A", "B"], window="299s") == (1, 0)


def test_the_window_is_measured_from_step_one_not_from_the_previous_step():
    lg = log(("p", "A", 0), ("p", "B", 40), ("p", "C", 70))
    assert counts(lg, ABC, window="1h") == (1, 1, 0)


def test_re_entry_uses_the_latest_attempt_so_a_later_start_converts():
    lg = log(("p", "A", 0), ("p", "A", 30), ("p", "B", 45), ("p", "C", 75))
    assert counts(lg, ABC, window="1h") == (1, 1, 1)
    result = compute_funnel(lg, ABC, window="1h")
    assert result.people.loc[0, "step_1_at"] == pd.Timestamp("2024-03-04 13:30", tz="UTC")


def test_an_earlier_attempt_that_reaches_further_still_counts():
    lg = log(("p", "A", 0), ("p", "B", 10), ("p", "A", 50), ("p", "C", 65))
    assert counts(lg, ABC, window="1h") == (1, 1, 0)


def test_a_repeated_step_needs_one_event_per_step():
    assert counts(log(("p", "A", 0)), ["A", "A"]) == (1, 0)
    assert counts(log(("p", "A", 0), ("p", "A", 1)), ["A", "A"]) == (1, 1)
    assert counts(log(("p", "A", 0), ("p", "B", 1), ("p", "A", 2)), ["A", "B", "A"]) == (1, 1, 1)


def test_extra_repeats_of_a_step_change_nothing():
    searches = log(*[("p", "search", m) for m in range(4)], ("p", "cart", 5))
    assert counts(searches, ["search", "cart"]) == (1, 1)


def test_events_with_the_same_timestamp_advance_in_step_order():
    # B is listed before A in the file, at the same second: the tie rule orders A first
    lg = log(("p", "B", 0), ("p", "A", 0), ("p", "C", 0))
    assert counts(lg, ABC) == (1, 1, 1)
    assert counts(lg, ABC, mode="strict") == (1, 1, 1)


def test_strict_mode_breaks_on_any_other_event_between_steps():
    assert counts(log(("p", "A", 0), ("p", "X", 1), ("p", "B", 2)), ["A", "B"], mode="strict") == (1, 0)
    assert counts(log(("p", "A", 0), ("p", "C", 1), ("p", "B", 2)), ABC, mode="strict") == (1, 0, 0)


def test_strict_mode_lets_the_current_step_repeat():
    assert counts(log(("p", "A", 0), ("p", "B", 1), ("p", "B", 2), ("p", "C", 3)), ABC, mode="strict") == (1, 1, 1)
    assert counts(log(("p", "A", 0), ("p", "A", 1), ("p", "B", 2)), ["A", "B"], mode="strict") == (1, 1)


def test_strict_mode_restarts_with_a_later_clean_attempt():
    lg = log(("p", "A", 0), ("p", "X", 1), ("p", "A", 2), ("p", "B", 3))
    assert counts(lg, ["A", "B"], mode="strict") == (1, 1)


def test_any_order_counts_distinct_steps_done_within_one_window():
    assert counts(log(("p", "C", 0), ("p", "B", 1), ("p", "A", 2)), ABC, mode="any") == (1, 1, 1)
    spread = log(("p", "C", 0), ("p", "B", 90), ("p", "A", 100))
    assert counts(spread, ABC, mode="any", window="1h") == (1, 1, 0)


def test_any_order_counts_someone_who_did_any_single_step():
    assert counts(log(("p", "C", 0)), ABC, mode="any") == (1, 0, 0)


def test_any_order_needs_as_many_events_as_a_name_is_listed():
    assert counts(log(("p", "A", 0), ("p", "B", 1)), ["A", "A", "B"], mode="any") == (1, 1, 0)
    assert counts(log(("p", "A", 0), ("p", "B", 1), ("p", "A", 2)), ["A", "A", "B"], mode="any") == (1, 1, 1)


def test_breakdown_uses_the_property_of_the_step_one_event_of_the_counted_attempt():
    lg = log(
        ("p", "A", 0, "ads"),
        ("p", "B", 1, "email"),
        ("q", "A", 0, "ads"),
        ("q", "A", 30, "email"),
        ("q", "B", 31, "ads"),
        ("r", "A", 0, ""),
        props=("channel",),
    )
    result = compute_funnel(lg, ["A", "B"], by="channel")
    assert result.segments == {"ads": (1, 1), EMPTY_SEGMENT: (1, 0), "email": (1, 1)}
    assert sum(c[0] for c in result.segments.values()) == result.counts[0]


def test_an_exclusion_inside_the_attempt_discards_it():
    lg = log(("p", "A", 0), ("p", "X", 1), ("p", "B", 2), ("q", "A", 0), ("q", "B", 1), ("q", "X", 2))
    result = compute_funnel(lg, ["A", "B"], exclusions=["X"])
    assert result.counts == (1, 1)
    assert list(result.people["user_id"]) == ["q"]


def test_a_person_with_an_excluded_attempt_can_still_count_through_another_attempt():
    lg = log(("p", "A", 0), ("p", "X", 1), ("p", "A", 2), ("p", "B", 3))
    assert counts(lg, ["A", "B"], exclusions=["X"]) == (1, 1)


def test_an_earlier_attempt_survives_an_exclusion_that_discards_the_later_one():
    # docs/funnel.md: every step-1 event starts an attempt; x at 11:15 lies inside the 10:30 attempt's
    # hour but outside the 10:00 one's, so the 10:00 attempt counts the person at step 1
    data = b"user_id,event,timestamp\np1,a,2024-03-04 10:00:00\np1,a,2024-03-04 10:30:00\np1,x,2024-03-04 11:15:00\n"
    lg = read_funnel_file(data, name="repro.csv")
    result = compute_funnel(lg, ["a", "b"], window="1h", exclusions=["x"])
    assert result.counts == (1, 0)
    assert result.warnings == ()
    assert str(result.people["step_1_at"].iloc[0]) == "2024-03-04 10:00:00+00:00"


def test_the_breakdown_and_time_to_convert_come_from_the_attempt_that_survived_the_exclusion():
    lg = log(
        ("p", "A", 0, "ads"),
        ("p", "A", 30, "email"),
        ("p", "B", 45, "email"),
        ("p", "X", 65, "email"),
        ("p", "C", 80, "email"),
        props=("channel",),
    )
    # the 13:30 attempt reaches C but X sits between its B and C: discarded; the 13:00 attempt
    # reaches B (C is out of its hour) and X is out of its hour: it counts
    result = compute_funnel(lg, ABC, window="1h", by="channel", exclusions=[Exclusion("X", 2, 3)])
    assert result.counts == (1, 1, 0)
    assert result.segments == {"ads": (1, 1, 0)}
    assert conversion_times(result)["seconds"].tolist() == [45 * 60.0]
    assert dropped_off(result, 3)["entered_at"].astype(str).tolist() == ["2024-03-04 13:00:00+00:00"]


def test_the_warning_says_every_attempt_was_excluded_when_that_is_what_happened():
    lg = log(("p", "A", 0), ("p", "X", 1), ("p", "B", 2), ("q", "A", 0), ("q", "X", 3))
    result = compute_funnel(lg, ["A", "B"], exclusions=["X"])
    assert result.counts == (0, 0)
    assert len(result.warnings) == 1 and "every attempt was excluded" in result.warnings[0]
    assert result.warnings[0].code == "all_excluded"
    nobody = compute_funnel(lg, ["Z", "B"], exclusions=["X"])
    assert "nobody did the first step 'Z'" in nobody.warnings[0]


def test_an_exclusion_outside_its_pair_of_steps_is_ignored():
    lg = log(("p", "A", 0), ("p", "X", 1), ("p", "B", 2), ("p", "C", 3))
    assert counts(lg, ABC, exclusions=[Exclusion("X", 2, 3)]) == (1, 1, 1)
    assert counts(lg, ABC, exclusions=[Exclusion("X", 1, 2)]) == (0, 0, 0)


def test_time_to_convert_reports_median_and_p90_per_step_and_in_total():
    lg = log(("p", "A", 0), ("p", "B", 10), ("p", "C", 20), ("q", "A", 0), ("q", "B", 30))
    result = compute_funnel(lg, ABC)
    table = time_to_convert(result).set_index("step")
    assert table.loc["B", "people"] == 2 and table.loc["B", "median_seconds"] == 1200.0
    assert table.loc["C", "median_seconds"] == 600.0
    assert table.loc["total", "median_seconds"] == 1200.0 and table.loc["total", "people"] == 1
    assert sorted(conversion_times(result)["seconds"]) == [600.0, 600.0, 1800.0]


def test_conversion_over_time_groups_people_by_the_week_they_entered():
    lg = log(
        ("p", "A", 0), ("p", "B", 1), ("q", "A", 60 * 24 * 7), ("r", "A", 60 * 24 * 8), ("r", "B", 60 * 24 * 8 + 1)
    )
    weekly = conversion_by_week(compute_funnel(lg, ["A", "B"]))
    assert list(weekly["entered"]) == [1, 2] and list(weekly["converted"]) == [1, 1]
    assert list(weekly["conversion"]) == [1.0, 0.5]
    assert pd.Timestamp(weekly["week"].iloc[0]) == pd.Timestamp("2024-03-04")


def test_the_dropped_off_list_names_people_who_reached_the_previous_step_only():
    lg = log(("p", "A", 0), ("p", "B", 1), ("q", "A", 0), ("r", "A", 0), ("r", "B", 1), ("r", "C", 2))
    result = compute_funnel(lg, ABC)
    assert list(dropped_off(result, 2)["user_id"]) == ["q"]
    assert list(dropped_off(result, 3)["user_id"]) == ["p"]
    with pytest.raises(FunnelParameterError):
        dropped_off(result, 1)


def test_results_hold_plain_python_numbers():
    result = compute_funnel(log(("p", "A", 0), ("p", "B", 1)), ["A", "B"])
    assert all(type(c) is int for c in result.counts)
    json.dumps({"counts": result.counts, "segments": result.segments})


@pytest.mark.parametrize(
    "text,seconds",
    [
        ("14d", 14 * 86400),
        ("90 min", 5400),
        ("1h", 3600),
        ("2w", 14 * 86400),
        ("1month", 30 * 86400),
        ("45", 45),
        (None, 14 * 86400),
        (-3, 14 * 86400),
    ],
)
def test_window_units_go_from_seconds_to_months(text, seconds):
    assert parse_window(text) == seconds


def test_a_bad_window_or_mode_is_a_named_error():
    with pytest.raises(FunnelParameterError, match="unknown unit"):
        parse_window("3 fortnights")
    with pytest.raises(FunnelParameterError, match="mode"):
        compute_funnel(log(("p", "A", 0)), ["A"], mode="sideways")


def test_exclusions_are_refused_for_any_order_funnels():
    with pytest.raises(FunnelParameterError, match="any-order"):
        compute_funnel(log(("p", "A", 0)), ["A", "B"], mode="any", exclusions=["X"])


def test_a_bad_timestamp_in_a_csv_log_names_its_line_and_column():
    data = b"user_id,event,timestamp\nu1,A,2024-03-04 10:00:00\nu1,B,2024-03-04 10:01:00\nu2,A,yesterday\n"
    with pytest.raises(FunnelValueError) as err:
        read_funnel_file(data, name="log.csv")
    assert err.value.line == 4 and err.value.column == "timestamp"


def test_a_bad_timestamp_past_the_sample_is_found_by_duckdb_with_its_line(tmp_path):
    rows = [f"u{i},A,2024-03-04 10:{i % 60:02d}:00" for i in range(2000)]
    rows[1500] = "u1500,A,not a time"
    path = tmp_path / "big.csv"
    path.write_text("user_id,event,timestamp\n" + "\n".join(rows) + "\n")
    lg = read_funnel_file(path)
    with pytest.raises(FunnelValueError) as err:
        compute_funnel(lg, ["A"])
    assert err.value.line == 1502 and err.value.column == "timestamp"


def test_a_generated_sample_log_gives_a_falling_funnel_in_every_mode():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "sample_data" / "funnels" / "shop_events.csv"
    lg = read_funnel_file(path)
    steps = ["view_product", "add_to_cart", "checkout", "payment", "order_confirmed"]
    for mode in ("ordered", "strict", "any"):
        c = counts(lg, steps, mode=mode)
        assert c[0] > 3000 and all(a >= b for a, b in zip(c, c[1:], strict=False)), (mode, c)


def test_events_listed_out_of_time_order_are_put_in_order_per_person():
    lg = log(
        ("p", "C", 10, "x"),
        ("q", "B", 3, "y"),
        ("p", "A", 0, "a"),
        ("q", "A", 0, "b"),
        ("p", "B", 5, "z"),
        props=("channel",),
    )
    result = compute_funnel(lg, ABC, by="channel")
    assert result.counts == (2, 2, 1)
    assert result.segments == {"a": (1, 1, 1), "b": (1, 1, 0)}


def test_the_fast_any_order_pass_agrees_with_the_general_one_on_random_logs():
    import random

    import numpy as np

    from cjm.funnel import engine, table

    rng = random.Random(42)
    events = [(f"p{rng.randrange(30)}", rng.choice("ABCDX"), rng.randrange(0, 600)) for _ in range(600)]
    lg = log(*events)
    for steps in (["A", "B", "C"], ["C", "A", "D", "B"]):
        for window in ("30min", "2h", "14d"):
            names = list(dict.fromkeys(steps))
            rows = engine._finished(engine._rows_for(table.table_for(lg), lg, names, all_events=False, by=None))
            codes = np.array([names.index(s) + 1 for s in steps], dtype=np.uint8)
            w = engine.parse_window(window) * 1_000_000
            fast = engine._any_order_distinct(rows, codes, w)
            slow = engine._any_order(rows, codes, w)
            assert fast[0].tolist() == slow[0].tolist(), (steps, window)
            # every counted step of the fast pass sits inside its window
            for p in range(len(fast[0])):
                got = [r for r in fast[3][:, p] if r >= 0]
                assert len(got) == fast[0][p] and all(fast[1][p] <= r <= fast[2][p] for r in got)


def _previous_read_rows(_table, lg, names, *, all_events, by, ties="file"):
    """The reader the engine used before the flat read (one DuckDB ``list()`` per person), kept
    here as the reference the flat read must agree with. Simultaneous identical events keep the
    file's order, or with ``ties="value"`` come in order of their breakdown value (the rule of the
    sorted read, for logs not written person by person)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from cjm.funnel import engine
    from cjm.funnel import table as tables

    codes = " ".join(f"WHEN {engine._lit(name)} THEN {i + 1}" for i, name in enumerate(names))
    ev = f"CAST({engine._ident(lg.event)} AS VARCHAR)"
    key_sql = f"({lg.time_sql()} * 256 + CASE {ev} {codes} ELSE {engine._OTHER} END)"
    where = "" if all_events else f"WHERE {ev} IN ({', '.join(engine._lit(n) for n in names)})"
    item = f"list({{'k': {key_sql}, 'p': CAST({engine._ident(by)} AS VARCHAR)}})" if by else f"list({key_sql})"
    import duckdb

    con = duckdb.connect(config={"threads": 1})  # list() keeps file order within a person
    con.execute("SET TimeZone='UTC'")
    if lg.frame is not None:
        con.register("__cjm_events", lg.frame)
    table = (
        con.sql(
            f"SELECT CAST({engine._ident(lg.user)} AS VARCHAR) AS u, {item} AS k FROM {lg.relation()} {where} GROUP BY 1"
        )
        .arrow()
        .read_all()
    )
    user = table.column("u").combine_chunks()
    keys, props, lengths = [], [], []
    for chunk in table.column("k").chunks:
        flat = chunk.flatten()
        if by:
            flat, p_part = flat.flatten()
            props.append(p_part)
        keys.append(flat.to_numpy(zero_copy_only=False))
        lengths.append(pc.list_value_length(chunk).to_numpy(zero_copy_only=False))
    k = np.concatenate(keys) if keys else np.zeros(0, np.int64)
    lengths = np.concatenate(lengths) if lengths else np.zeros(0, np.int64)
    pid = np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)
    prop = pa.concat_arrays(props) if by and props else (pa.array([], pa.string()) if by else None)
    order = np.lexsort((k, pid))  # stable: equal keys keep file order
    if by and ties == "value":
        values = sorted(set(prop.to_pylist()), key=lambda v: (v is None, v or ""))
        rank = np.array([values.index(v) for v in prop.to_pylist()], dtype=np.int64)
        order = np.lexsort((rank, k, pid))
    k, pid = k[order], pid[order]
    if by:
        prop = prop.take(pa.array(order))
    labels = tables._Dictionary(labels=True)
    codes = labels.encode(prop) if by else None
    return engine._Rows(
        user, pid, k >> 8, (k & 255).astype(np.uint8), codes, len(k), labels=labels.values if by else ()
    )


@pytest.mark.parametrize(
    "reader",
    [
        "flat, few runs moved",
        "flat, many runs moved",
        "flat, streamed in small batches",
        "chosen by layout",
        "sorted by DuckDB",
        "counted in parts by threads",
    ],
)
@pytest.mark.parametrize("layout", ["by_person", "blocks", "by_time", "shuffled"])
def test_the_flat_read_gives_the_same_funnels_as_the_previous_per_person_lists(layout, reader, monkeypatch):
    """Random logs with ties, repeats, other events and a property, laid out per person (one run per
    person), per person in blocks out of order (a few people split), in time order and shuffled
    (everyone split): every mode, with a breakdown and exclusions, must give the same counts,
    segments and people as before."""
    import random

    from cjm.funnel import engine, table

    if reader.startswith("flat"):  # the flat read on every layout, both ways of moving split people
        monkeypatch.setattr(table, "_MAX_RUNS_PER_PERSON", float("inf"))
        monkeypatch.setattr(table, "_MIN_ROWS_PER_RUN", 0)
        monkeypatch.setattr(table, "_FEW_MOVED_RUNS", 4096 if "few" in reader else 0)
    if reader == "sorted by DuckDB":  # what a log in time order gets, on every layout
        flat = table._read
        monkeypatch.setattr(table, "_read", lambda *a, **kw: flat(*a, **{**kw, "sort": True}))
    if "batches" in reader:  # runs of one person go on from batch to batch; grouping piece by piece
        monkeypatch.setattr(table, "_BATCH_ROWS", 7)
        monkeypatch.setattr(table, "_PIECE", 5)
    if "parts" in reader:  # cut even a small log into parts, one thread each, as for a big one
        monkeypatch.setattr(engine, "_MIN_PART_ROWS", 0)
        monkeypatch.setattr(engine, "_MAX_PART_ROWS", 100)  # more parts than threads: each counts several
        monkeypatch.setattr(engine, "_threads", lambda: 3)
    rng = random.Random({"by_person": 1, "blocks": 4, "by_time": 2, "shuffled": 3}[layout])
    events = [
        (f"p{rng.randrange(40)}", rng.choice("AABBCCDXXY"), rng.randrange(0, 240), rng.choice(["web", "app", ""]))
        for _ in range(1500)
    ]
    if layout in ("by_person", "blocks"):
        events.sort(key=lambda e: e[0])  # stable: each person's rows keep their (unsorted) order
    if layout == "blocks":  # as DuckDB's parallel scan may hand them back: people split at block edges
        events = events[1000:] + events[430:1000] + events[:430]
    elif layout == "by_time":
        events.sort(key=lambda e: e[2])
    lg = log(*events, props=("channel",))
    cases = [
        dict(steps=["A", "B", "C"], mode=m, window=w) for m in ("ordered", "strict", "any") for w in ("20min", "14d")
    ] + [
        dict(steps=["A", "B", "A", "C"], mode="strict", window="1h"),
        dict(steps=["B", "B", "C"], mode="ordered", window="2h", by="channel"),
        dict(steps=["A", "B", "C", "D"], mode="strict", window="14d", by="channel", exclusions=["X"]),
        dict(steps=["A", "C", "D"], mode="ordered", window="3h", exclusions=[Exclusion("Y", 1, 2)]),
        dict(steps=["C", "A", "D"], mode="any", window="30min", by="channel"),
    ]

    def run(case):
        r = compute_funnel(lg, **case)
        people = r.people.sort_values("user_id").reset_index(drop=True)
        return r.counts, r.segments, people

    for case in cases:
        new = run(case)
        with monkeypatch.context() as m:
            m.setattr(engine, "_MIN_PART_ROWS", 10**9)  # one part
            sorted_read = reader == "sorted by DuckDB" or (
                not reader.startswith("flat") and layout in ("by_time", "shuffled")
            )
            ties = "value" if sorted_read else "file"
            m.setattr(engine, "_rows_for", lambda *a, ties=ties, **kw: _previous_read_rows(*a, **kw, ties=ties))
            old = run(case)
        assert new[0] == old[0], case
        assert new[1] == old[1], case
        pd.testing.assert_frame_equal(new[2], old[2], obj=str(case))


def test_the_flat_read_gives_up_on_a_log_in_time_order_and_the_sorted_read_counts_it():
    from cjm.funnel import table

    per_person = log(("p", "A", 0), ("p", "B", 1), ("p", "C", 2), ("q", "A", 0), ("q", "B", 1), ("r", "A", 5))
    in_time = log(("p", "A", 0), ("q", "A", 0), ("p", "B", 1), ("q", "B", 1), ("p", "C", 2), ("r", "A", 5))
    assert table._read(table._connect(per_person), per_person, None, None) is not None
    assert table._read(table._connect(in_time), in_time, None, None) is None
    assert counts(per_person, ABC) == counts(in_time, ABC) == (3, 2, 1)


def test_first_events_count_the_event_each_person_starts_with():
    from cjm.funnel.engine import first_events

    lg = log(("p", "page_view", 0), ("p", "A", 1), ("q", "A", 0), ("q", "page_view", 2), ("r", "page_view", 5))
    assert first_events(lg).to_dict("list") == {"event": ["page_view", "A"], "people": [2, 1]}


def test_suggested_steps_start_with_the_most_common_first_event():
    from cjm.funnel.engine import suggest_steps

    names = ["page_view", "view_product", "add_to_cart", "purchase"]
    assert suggest_steps(names, first="page_view") == ["page_view", "view_product", "add_to_cart", "purchase"]
    assert suggest_steps(names, first="view_product") == ["view_product", "add_to_cart", "purchase"]
    assert suggest_steps(["a", "b", "c"], first="c", most=2) == ["c", "a"]
