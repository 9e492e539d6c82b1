"""Ingest once, ask many times: an event log's columnar table in memory and in the disk cache."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pandas as pd
import pytest

from cjm.funnel import table as tables
from cjm.funnel.engine import Exclusion, compute_funnel, event_counts
from cjm.funnel.errors import FunnelEncodingError
from cjm.funnel.readers import read_funnel_file

SAMPLE = Path(__file__).resolve().parents[2] / "sample_data" / "funnels" / "shop_events.csv"
STEPS = ["view_product", "add_to_cart", "checkout", "payment"]
QUESTIONS = [
    dict(steps=STEPS, window="14d"),
    dict(steps=["search", "view_product", "add_to_cart"], window="1h", mode="strict"),
    dict(steps=["add_to_cart", "checkout", "order_confirmed"], window="2d", mode="any"),
    dict(steps=STEPS, window="7d", by="device"),
    dict(steps=STEPS, window="14d", exclusions=[Exclusion("remove_from_cart")]),
]


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    """Each test gets an empty data folder and an empty memory."""
    monkeypatch.setenv("CJM_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CJM_FUNNEL_CACHE_MB", raising=False)
    monkeypatch.delenv("CJM_FUNNEL_CACHE_DAYS", raising=False)
    tables._MEMORY.clear()
    yield
    tables.wait_for_writes()
    tables._MEMORY.clear()


def _csv(path: Path, rows: list[tuple]) -> Path:
    lines = ["user_id,event,timestamp,channel"] + [",".join(map(str, r)) for r in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _replace(path: Path, data: bytes) -> None:
    """Damage a stored file the way a crash or a full disk would, without truncating it under a
    memory map that may still be open (that would kill the process, not test the cache)."""
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _entries() -> list[Path]:
    root = tables.cache_folder()
    return sorted(p for p in root.iterdir() if not p.name.startswith(".")) if root.is_dir() else []


def _answer(log, q):
    r = compute_funnel(log, **q)
    return r.counts, r.segments, r.people.sort_values("user_id").reset_index(drop=True)


def _no_reading(monkeypatch):
    def refuse(*_a, **_kw):
        raise AssertionError("the log was read again")

    monkeypatch.setattr(tables, "read_table", refuse)


def test_every_later_question_runs_on_the_stored_table_without_reading_the_file(monkeypatch):
    log = read_funnel_file(SAMPLE)
    first = [_answer(log, q) for q in QUESTIONS]  # the first reads the CSV; the rest use memory
    tables.wait_for_writes()
    assert len(_entries()) == 1
    _no_reading(monkeypatch)
    tables._MEMORY.clear()  # a new process: only the disk cache is left
    again = read_funnel_file(SAMPLE)
    for q, before in zip(QUESTIONS, first, strict=True):
        after = _answer(again, q)
        assert after[0] == before[0], q
        assert after[1] == before[1], q
        pd.testing.assert_frame_equal(after[2], before[2], obj=str(q))
    assert event_counts(again)["event"].iloc[0] == "page_view"


def test_the_event_list_counts_rows_and_distinct_people_per_event(tmp_path):
    log = read_funnel_file(
        _csv(
            tmp_path / "ev.csv",
            [
                ("p", "a", "2024-03-01 10:00:00", "x"),
                ("p", "a", "2024-03-01 10:01:00", "x"),
                ("q", "a", "2024-03-01 10:00:00", "x"),
                ("q", "b", "2024-03-01 10:05:00", "y"),
            ],
        )
    )
    got = event_counts(log)
    assert got.to_dict("records") == [
        {"event": "a", "events": 3, "people": 2},
        {"event": "b", "events": 1, "people": 1},
    ]


def test_a_changed_file_is_read_again(tmp_path):
    path = _csv(tmp_path / "ev.csv", [("p", "a", "2024-03-01 10:00:00", "x"), ("p", "b", "2024-03-01 10:05:00", "x")])
    assert compute_funnel(read_funnel_file(path), ["a", "b"]).counts == (1, 1)
    tables.wait_for_writes()
    _csv(tmp_path / "ev.csv", [("p", "a", "2024-03-01 10:00:00", "x"), ("q", "a", "2024-03-01 11:00:00", "y")])
    assert compute_funnel(read_funnel_file(path), ["a", "b"]).counts == (2, 0)
    tables.wait_for_writes()
    assert len(_entries()) == 2


def test_the_same_content_at_another_path_is_read_again_only_if_its_time_differs(tmp_path):
    rows = [("p", "a", "2024-03-01 10:00:00", "x"), ("p", "b", "2024-03-01 10:05:00", "x")]
    one = _csv(tmp_path / "one.csv", rows)
    two = _csv(tmp_path / "two.csv", rows)
    os.utime(two, ns=(one.stat().st_atime_ns, one.stat().st_mtime_ns))
    assert tables.content_key(one) == tables.content_key(two)
    os.utime(two, (time.time() - 60, time.time() - 60))
    assert tables.content_key(one) != tables.content_key(two)


def test_a_damaged_cache_entry_is_removed_and_the_log_read_again(monkeypatch):
    log = read_funnel_file(SAMPLE)
    expected = _answer(log, QUESTIONS[3])
    tables.wait_for_writes()
    (entry,) = _entries()
    for damage in ("rows", "meta", "format", "missing"):
        tables._MEMORY.clear()
        if damage == "rows":
            _replace(entry / "t.bin", b"not the times at all")
        elif damage == "meta":
            (entry / "meta.json").write_text("{", encoding="utf-8")
        elif damage == "format":
            meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
            (entry / "meta.json").write_text(json.dumps({**meta, "format": -1}), encoding="utf-8")
        else:
            (entry / "people.arrow").unlink()
        got = _answer(read_funnel_file(SAMPLE), QUESTIONS[3])
        assert got[:2] == expected[:2], damage
        tables.wait_for_writes()
        assert tables._load(entry).n_rows == 50_000, damage  # stored afresh


def test_a_property_column_damaged_after_loading_is_read_again(monkeypatch):
    log = read_funnel_file(SAMPLE)
    expected = compute_funnel(log, STEPS, by="channel").segments
    tables.wait_for_writes()
    tables._MEMORY.clear()
    compute_funnel(log, STEPS)  # the table from disk, its properties not loaded yet
    (entry,) = _entries()
    _replace(entry / "p0.bin", b"gone")
    assert compute_funnel(log, STEPS, by="channel").segments == expected


def test_the_cache_is_cleaned_by_age_and_then_by_size(tmp_path, monkeypatch):
    paths = []
    for i in range(3):
        rows = [(f"p{j}", "a", f"2024-03-01 10:{j:02d}:00", "x") for j in range(i + 2)]
        paths.append(_csv(tmp_path / f"ev{i}.csv", rows))
        compute_funnel(read_funnel_file(paths[-1]), ["a"])
        tables.wait_for_writes()
    entries = _entries()
    assert len(entries) == 3
    old = time.time() - 40 * 86400
    by_use = sorted(entries, key=lambda e: (e / "meta.json").stat().st_mtime)
    os.utime(by_use[0] / "meta.json", (old, old))
    tables.clean_cache()
    assert _entries() == sorted(by_use[1:])  # unused for 40 days: gone
    size = sum(f.stat().st_size for f in by_use[2].iterdir())
    monkeypatch.setenv("CJM_FUNNEL_CACHE_MB", str(size * 1.5 / 1e6))  # room for one entry only
    tables.clean_cache()
    assert _entries() == [by_use[2]]  # the most recently used stays
    tables._MEMORY.clear()
    compute_funnel(read_funnel_file(paths[0]), ["a"])  # a new entry: kept, the older one goes
    tables.wait_for_writes()
    assert len(_entries()) == 1 and _entries() != [by_use[2]]


def test_without_a_disk_cache_the_table_stays_in_memory_only(monkeypatch):
    monkeypatch.setenv("CJM_FUNNEL_CACHE_MB", "0")
    log = read_funnel_file(SAMPLE)
    assert compute_funnel(log, STEPS).counts[0] > 0
    tables.wait_for_writes()
    assert _entries() == []
    assert tables.is_ingested(log)


def test_progress_is_reported_by_phase_on_the_first_read_only():
    log = read_funnel_file(SAMPLE)
    seen: list[tuple[float, str]] = []
    assert not tables.is_ingested(log)
    compute_funnel(log, STEPS, progress=lambda f, phase: seen.append((f, phase)))
    phases = [p for _, p in seen]
    assert phases[0] == "reading" and phases[-1] == "grouping"
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] <= 1
    assert tables.is_ingested(log)
    later: list = []
    compute_funnel(log, STEPS[:2], window="1d", progress=lambda f, phase: later.append(phase))
    event_counts(log, progress=lambda f, phase: later.append(phase))
    assert later == []


def test_a_log_in_time_order_is_stored_grouped_by_person_and_gives_the_same_funnels(tmp_path):
    frame = pd.read_csv(SAMPLE, dtype=str)
    by_time = tmp_path / "by_time.csv"
    frame.sort_values("timestamp", kind="stable").to_csv(by_time, index=False)
    per_person = read_funnel_file(SAMPLE)
    in_time = read_funnel_file(by_time)
    for q in QUESTIONS[:3]:
        assert compute_funnel(in_time, **q).counts == compute_funnel(per_person, **q).counts, q
    tables.wait_for_writes()
    stored = [tables._load(e) for e in _entries()]
    for t in stored:
        pid = t.pid
        assert ((pid[1:] > pid[:-1]) | ((pid[1:] == pid[:-1]) & (t.t[1:] >= t.t[:-1]))).all()


def _canonical(table) -> list:
    """Each person's id and rows (time, event name, property values), people in id order."""
    starts = (table.lens.cumsum() - table.lens).tolist()
    out = []
    for i, user in enumerate(table.users.to_pylist()):
        lo, hi = starts[i], starts[i] + int(table.lens[i])
        rows = [
            (int(table.t[j]), table.events[table.e[j]], *(table.labels[p][table.props[p][j]] for p in table.properties))
            for j in range(lo, hi)
        ]
        out.append((user, rows))
    return sorted(out)


def _map_or_copy(monkeypatch, mapped: bool) -> None:
    """The CSV reader through memory maps of the file (and never a copy of its bytes), or copies."""
    monkeypatch.setattr(tables, "_MAP_INPUT", mapped)
    if mapped:

        def no_copy(*args):
            raise AssertionError("the mapped reader copied the file's bytes")

        monkeypatch.setattr(tables.os, "preadv", no_copy)


@pytest.mark.parametrize("mapped", [False, True], ids=["copied", "mapped"])
def test_the_csv_parsed_a_piece_per_thread_gives_the_table_duckdb_reads(tmp_path, monkeypatch, mapped):
    # pieces of a few lines: people are cut between pieces and threads; p1 comes back at the end,
    # an event and a channel are missing, one channel is blank
    monkeypatch.setattr(tables, "_RANGE_BYTES", 300)
    _map_or_copy(monkeypatch, mapped)
    rows = [("p1", "a", "2024-03-01 10:00:00", "ads"), ("p1", "b", "2024-03-01 10:05:00.25", "ads")]
    rows += [
        (f"person-{i:03d}-with-a-long-id", e, f"2024-03-0{1 + i % 5} 1{i % 10}:00:00", "email")
        for i in range(40)
        for e in "abcd"
    ]
    rows += [(f"q{i}", e, "2024-03-02T09:00:00", "social") for i in range(30) for e in "abcd"]
    rows += [
        ("p2", "", "2024-03-01 11:00:00", ""),
        ("p2", "c", "2024-03-01 11:00:00", " "),
        ("p1", "c", "2024-03-01 09:00:00", "x"),
    ]
    log = read_funnel_file(_csv(tmp_path / "log.csv", rows))
    fast = tables._read_csv(log, None, None)
    assert isinstance(fast, tables.Table)
    slow = tables._read_duckdb(log, None, None, sort=False)
    assert _canonical(fast) == _canonical(slow)
    assert dict(_canonical(fast))["p1"] == [
        (1709283600000000, "c", "x"),
        (1709287200000000, "a", "ads"),
        (1709287500250000, "b", "ads"),
    ]
    assert dict(_canonical(fast))["p2"][0][1:] == (None, "(empty)")


def test_times_with_an_offset_are_read_as_utc_by_either_reader(tmp_path):
    rows = [("p1", "a", "2024-03-01T10:00:00+03:00", "ads"), ("p1", "b", "2024-03-01T07:30:00Z", "ads")]
    log = read_funnel_file(_csv(tmp_path / "tz.csv", rows))
    assert log.time_kind == "isotz"
    fast = tables._read_csv(log, None, None)
    assert isinstance(fast, tables.Table)
    assert _canonical(fast) == _canonical(tables._read_duckdb(log, None, None, sort=False))
    assert fast.t[:2].tolist() == [1709276400000000, 1709278200000000]


@pytest.mark.parametrize("mapped", [False, True], ids=["copied", "mapped"])
def test_a_csv_with_quotes_or_unix_times_is_read_by_duckdb_with_the_same_answers(tmp_path, monkeypatch, mapped):
    _map_or_copy(monkeypatch, mapped)
    quoted = tmp_path / "quoted.csv"
    quoted.write_text(
        'user_id,event,timestamp,channel\np1,a,2024-03-01 10:00:00,"ads, paid"\np1,b,2024-03-01 10:01:00,x\n'
    )
    epoch = _csv(tmp_path / "epoch.csv", [("p1", "a", 1709287200, "ads"), ("p1", "b", 1709287260, "x")])
    for path in (quoted, epoch):
        log = read_funnel_file(path)
        assert tables._read_csv(log, None, None) is tables._OTHER_READER
        assert compute_funnel(log, ["a", "b"], window="1h").counts == (1, 1)


def test_a_value_the_fast_reader_refuses_is_reported_with_its_line_as_before(tmp_path):
    rows = [("p1", "a", "2024-03-01 10:00:00", "ads")] * 20 + [("p2", "a", "2024-13-45 10:00:00", "ads")]
    log = read_funnel_file(_csv(tmp_path / "bad.csv", rows))
    assert tables._read_csv(log, None, None) is tables._OTHER_READER
    with pytest.raises(Exception, match="22"):
        compute_funnel(log, ["a"], window="1h")


@pytest.mark.parametrize("mapped", [False, True], ids=["copied", "mapped"])
@pytest.mark.parametrize("column", ["user_id", "event", "channel"])
def test_bytes_that_are_not_utf8_deep_in_the_file_are_an_encoding_error_with_the_line_whichever_column(
    tmp_path, monkeypatch, column, mapped
):
    _map_or_copy(monkeypatch, mapped)
    # the fast reader checks text once per distinct value; a bad byte far past what detection
    # looked at must still reach DuckDB, and the error names its line, not a traceback
    monkeypatch.setattr(tables, "_RANGE_BYTES", 1 << 20)
    lines = [
        f"p{i},{e},2024-03-{28 - i % 20:02d} 10:0{j}:00,ads".encode()
        for i in range(25000)  # over 5 MB: detection reads only its first MB
        for j, e in enumerate("abababab")
    ]
    bad = len(lines) - 13
    parts = lines[bad].split(b",")
    parts[["user_id", "event", "timestamp", "channel"].index(column)] += b"\xff"
    lines[bad] = b",".join(parts)
    path = tmp_path / "log.csv"
    path.write_bytes(b"user_id,event,timestamp,channel\n" + b"\n".join(lines) + b"\n")
    log = read_funnel_file(path)
    assert tables._read_csv(log, None, None) is tables._OTHER_READER
    with pytest.raises(FunnelEncodingError, match="not all UTF-8") as error:
        compute_funnel(log, ["a", "b"], window="1h")
    assert error.value.line == bad + 2  # the header is line 1


def test_person_keys_tell_every_id_apart_whatever_its_length():
    import pyarrow as pa

    ids = ["", "a", "ab", "abcdefg", "abcdefgh", "abcdefghi", "a\x00", "a" * 40, "a" * 39 + "b", "ид-1", "u0000001"]
    keys = tables._string_keys(pa.array(ids[1:]))
    assert len(set(keys.tolist())) == len(ids) - 1
    eight = tables._string_keys(pa.array(["u0000001", "u0000002", "u0000001"]))
    assert eight[0] == eight[2] != eight[1]
    many = [f"user-{i}" for i in range(5000)] + [f"{i:036d}" for i in range(5000)]
    arr = pa.array(many)
    assert len(set(tables._string_keys(arr).tolist())) == len(many)
    assert (tables._string_keys(arr.slice(5000)) == tables._string_keys(arr)[5000:]).all()
    # a key does not depend on the other ids of its batch
    alone = [tables._string_keys(pa.array([i]))[0] for i in ids[1:]]
    assert alone == keys.tolist()


def test_short_ids_of_one_length_in_text_order_have_rising_keys_so_grouping_need_not_sort_them():
    import pyarrow as pa

    for ids in (
        [f"u{i:07d}" for i in range(0, 3000, 7)],  # 8 bytes
        [f"c{i:05d}" for i in range(0, 3000, 7)],  # shorter
        ["a", "ab", "abc", "b", "ba", "zz"],  # text order across lengths
    ):
        keys = tables._string_keys(pa.array(ids))
        assert (keys[1:] > keys[:-1]).all(), ids
    shuffled = tables._string_keys(pa.array(["u0000010", "u0000009"]))
    assert shuffled[0] > shuffled[1]  # ids out of text order: grouping sorts the keys to find repeats


def test_rows_out_of_time_order_are_sorted_whether_they_go_back_inside_a_piece_or_where_pieces_meet(
    tmp_path, monkeypatch
):
    import random

    # pieces of a few lines: each person's rows span several pieces, so a step back in time falls
    # inside a piece for some and exactly where two pieces meet for others
    monkeypatch.setattr(tables, "_RANGE_BYTES", 200)
    monkeypatch.setattr(tables, "_BATCH_ROWS", 7)  # the same for the batches DuckDB streams
    rng = random.Random(7)
    rows = []
    for i in range(12):
        minutes = list(range(25))
        if i % 3:  # every third person in time order
            rng.shuffle(minutes)
        rows += [(f"p{i:02d}", "abc"[m % 3], f"2024-03-01 10:{m:02d}:00", f"c{m % 2}") for m in minutes]
    for i in range(40):  # one step back each, after row 1 to 9: some fall where two pieces meet
        minutes = list(range(10))
        k = 1 + i % 9
        minutes[k - 1], minutes[k] = minutes[k], minutes[k - 1]
        rows += [(f"q{i:02d}", "abc"[m % 3], f"2024-03-01 11:{m:02d}:00", "c") for m in minutes]
    log = read_funnel_file(_csv(tmp_path / "shuffled.csv", rows))
    expected = {}
    for user, event, ts, channel in rows:  # each person's rows in time order
        expected.setdefault(user, []).append((pd.Timestamp(ts).value // 1000, event, channel))
    expected = sorted((u, sorted(r, key=lambda x: x[0])) for u, r in expected.items())
    fast = tables._read_csv(log, None, None)
    assert isinstance(fast, tables.Table)
    assert _canonical(fast) == expected
    assert _canonical(tables._read_duckdb(log, None, None, sort=False)) == expected


def test_the_first_read_fills_the_stored_files_themselves_and_leaves_no_other_file(tmp_path):
    log = read_funnel_file(SAMPLE)
    first = compute_funnel(log, STEPS)
    tables.wait_for_writes()
    (entry,) = _entries()
    table = tables._MEMORY[next(iter(tables._MEMORY))]
    maps = Path("/proc/self/maps").read_text()
    for name in ("t", "e", "p0"):  # the columns in memory are the entry's files, not copies of them
        assert str(entry / f"{name}.bin") in maps, name
    props = [f"p{i}.bin" for i in range(len(log.properties))]
    assert sorted(p.name for p in entry.iterdir()) == sorted(
        ["e.bin", "meta.json", "people.arrow", "t.bin", "values.arrow", *props]
    )
    assert [p.name for p in tables.cache_folder().iterdir()] == [entry.name]  # no temporary folder left
    assert not table.t.flags.writeable  # nothing can change the stored times by accident
    tables._MEMORY.clear()
    assert compute_funnel(log, STEPS).counts == first.counts  # read back from the files


def test_only_uploads_and_the_command_line_parse_a_log_through_memory_maps(tmp_path, monkeypatch):
    # a mapped file cut shorter by another program kills the process: the app server maps only
    # the uploads it keeps itself, named by their content and never rewritten
    from cjm.funnel.readers import save_upload

    monkeypatch.setattr(tables, "_MAP_INPUT", False)
    local = _csv(tmp_path / "local.csv", [("p1", "a", "2024-03-01 10:00:00", "ads")])
    upload = save_upload(local.read_bytes() + b"p2,b,2024-03-01 10:00:00,ads\n", "log.csv")
    assert not tables._maps_input(local)
    assert tables._maps_input(upload)
    tables.map_input_files()
    assert tables._maps_input(local)
