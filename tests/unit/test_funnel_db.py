"""Funnels computed inside ClickHouse (the embedded engine, chdb) and PostgreSQL (a throwaway server):
every semantics test of the local engine is run again with each database beside it and the counts,
segments, times to convert, weeks of entry and warnings must be the local engine's; then a few
hundred random small logs are compared the same way."""

from __future__ import annotations

import itertools
import random
from datetime import date, datetime, timedelta

import pandas as pd
import pytest

from cjm.funnel import engine
from cjm.funnel import sql as fsql
from cjm.funnel.engine import Exclusion, compute_funnel, conversion_by_week, time_to_convert
from cjm.funnel.errors import FunnelParameterError, FunnelSourceError
from cjm.funnel.sources import DbSource, _chdb_connection, connection_names, open_source
from tests.postgres import pg_schema_url
from tests.unit import test_funnel_engine as semantics

BACKENDS = ["clickhouse", "postgresql"]
_names = itertools.count(1)


class Loader:
    """Loads DataFrames of events into a database as tables and runs funnels there."""

    def __init__(self, kind: str, source: DbSource, write):
        self.kind, self.source, self._write = kind, source, write

    def load(self, frame: pd.DataFrame, props=(), *, user="user_id", event="event", time="timestamp", name=None):
        name = name or f"ev_{next(_names)}"
        frame = frame.copy()
        frame[time] = pd.to_datetime(frame[time], utc=True)
        self._write(name, frame, (user, event, time), tuple(props))
        return fsql.DbTable(name, user, event, time, tuple(props))


def _chdb_write(conn):
    def write(name, frame, roles, props):
        user, event, time = roles
        ident = fsql.dialect("clickhouse").ident
        cols = []
        for c in frame.columns:
            typ = "DateTime64(6, 'UTC')" if c == time else ("String" if c in (user, event) else "Nullable(String)")
            cols.append(f"{ident(c)} {typ}")
        conn.query(f"CREATE TABLE {ident(name)} ({', '.join(cols)}) ENGINE = MergeTree ORDER BY tuple()")
        if len(frame):
            data = frame.copy()
            data[time] = data[time].dt.tz_convert(None)
            conn.query(f"INSERT INTO {ident(name)} SELECT * FROM Python(data)")  # chdb reads the local `data`

    return write


@pytest.fixture(scope="module")
def pg_url(postgres_url):
    with pg_schema_url(postgres_url) as url:
        yield url


def _pg_write(url):
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    eng = create_engine(url, poolclass=NullPool)

    def write(name, frame, roles, props):
        frame.to_sql(name, eng, index=False)

    return write


@pytest.fixture(params=BACKENDS)
def db(request) -> Loader:
    if request.param == "clickhouse":
        folder = request.getfixturevalue("chdb_folder")
        return Loader("clickhouse", DbSource("ch", f"chdb://{folder}"), _chdb_write(_chdb_connection(str(folder))))
    url = request.getfixturevalue("pg_url")
    return Loader("postgresql", DbSource("pg", url), _pg_write(url))


# --------------------------------------------------------------------------------------------
# The local engine's semantics tests, each funnel also counted in the database
# --------------------------------------------------------------------------------------------


def _counts_funnels(name: str) -> bool:
    import inspect

    source = inspect.getsource(getattr(semantics, name))
    return "compute_funnel(" in source or "counts(" in source


SEMANTICS = [
    name
    for name in dir(semantics)
    if name.startswith("test_")
    and _counts_funnels(name)
    and name
    not in {
        # not about what a funnel counts: parsing, file errors, the local reader's internals
        "test_window_units_go_from_seconds_to_months",
        "test_a_bad_timestamp_in_a_csv_log_names_its_line_and_column",
        "test_a_bad_timestamp_past_the_sample_is_found_by_duckdb_with_its_line",
        "test_the_fast_any_order_pass_agrees_with_the_general_one_on_random_logs",
        "test_the_flat_read_gives_the_same_funnels_as_the_previous_per_person_lists",
        "test_the_flat_read_gives_up_on_a_log_in_time_order_and_the_sorted_read_counts_it",
        "test_a_generated_sample_log_gives_a_falling_funnel_in_every_mode",  # a 50k-event file: see below
    }
]


def _frame_of(lg) -> pd.DataFrame:
    if lg.frame is not None:
        return lg.frame
    import duckdb

    con = duckdb.connect()
    try:
        return con.sql(f"SELECT * FROM {lg.relation()}").df()
    finally:
        con.close()


def assert_same(local, db) -> None:
    """The database's result is the local engine's: counts, segments, time to convert, weeks."""
    assert db.counts == local.counts
    assert db.segments == local.segments
    want = time_to_convert(local)
    assert db.times["people"].tolist() == want["people"].tolist()
    for col in ("median_seconds", "p90_seconds"):
        got, exp = db.times[col].tolist(), want[col].tolist()
        assert [None if pd.isna(x) else round(x, 3) for x in got] == [None if pd.isna(x) else round(x, 3) for x in exp]
    weeks = conversion_by_week(local)
    assert [pd.Timestamp(w) for w in db.weekly["week"]] == [pd.Timestamp(w) for w in weeks["week"]]
    assert db.weekly["entered"].tolist() == weeks["entered"].tolist()
    assert db.weekly["converted"].tolist() == weeks["converted"].tolist()
    assert [w.code for w in db.warnings] == [w.code for w in local.warnings]


@pytest.mark.parametrize("test_name", SEMANTICS)
def test_every_semantics_case_of_the_local_engine_counts_the_same_in_the_database(test_name, db, monkeypatch):
    compared = []

    def both(lg, steps, **kw):
        try:
            local = compute_funnel(lg, steps, **kw)
        except FunnelParameterError as exc:  # the database refuses the same definitions
            table = db.load(_frame_of(lg), lg.properties, user=lg.user, event=lg.event, time=lg.time)
            with pytest.raises(type(exc)):
                db.source.funnel(table, steps, **kw)
            compared.append(steps)
            raise
        table = db.load(_frame_of(lg), lg.properties, user=lg.user, event=lg.event, time=lg.time)
        assert_same(local, db.source.funnel(table, steps, **kw))
        compared.append(steps)
        return local

    monkeypatch.setattr(semantics, "compute_funnel", both)
    getattr(semantics, test_name)()
    assert compared, "the test counted no funnel"


def test_the_sample_shop_log_counts_the_same_in_the_database_in_every_mode(db):
    from pathlib import Path

    from cjm.funnel.readers import read_funnel_file

    path = Path(__file__).resolve().parents[2] / "sample_data" / "funnels" / "shop_events.csv"
    lg = read_funnel_file(path)
    table = db.load(_frame_of(lg), ("channel", "device"))
    steps = ["view_product", "add_to_cart", "checkout", "payment", "order_confirmed"]
    for mode, kw in (("ordered", {"by": "device"}), ("strict", {}), ("any", {"by": "channel"})):
        local = compute_funnel(lg, steps, mode=mode, window="1d", **kw)
        assert local.counts[0] > 3000
        assert_same(local, db.source.funnel(table, steps, mode=mode, window="1d", **kw))
    ex = [Exclusion("remove_from_cart", 2, 4)]
    assert_same(
        compute_funnel(lg, steps, exclusions=ex, by="channel"),
        db.source.funnel(table, steps, exclusions=ex, by="channel"),
    )


# --------------------------------------------------------------------------------------------
# Differential: random small logs
# --------------------------------------------------------------------------------------------

T0 = datetime(2024, 3, 4, 13, 0, 0)


def _definition(rng: random.Random, g: int):
    """A random funnel over the events ``G<g>A`` … ``G<g>Y``."""
    mode = rng.choice(["ordered", "ordered", "strict", "any"])
    steps = [f"G{g}{s}" for s in rng.choice(["AB", "ABC", "ABCD", "ABA", "BAC", "AAB", "CDAB", "A"])]
    kw = {"mode": mode, "window": rng.choice(["10min", "30min", "1h", "2h", "14d"])}
    if rng.random() < 0.4:
        kw["by"] = "channel"
    if mode != "any" and len(steps) > 1 and rng.random() < 0.5:
        a = rng.randint(1, len(steps) - 1)
        kw["exclusions"] = [Exclusion(f"G{g}{rng.choice('XY')}", a, rng.randint(a + 1, len(steps)))]
    return steps, kw


def _random_log(rng: random.Random, g: int, i: int) -> pd.DataFrame:
    people = [f"G{g}L{i}p{j}" for j in range(rng.randint(1, 6))]
    rows = {}
    for _ in range(rng.randint(1, 30)):
        person, event, minute = rng.choice(people), rng.choice("AABBCCDXY"), rng.randrange(0, 180)
        # one value per (person, event, time): which of two identical events comes first is not defined
        rows.setdefault((person, f"G{g}{event}", minute), rng.choice(["web", "app", "", None]))
    events = [
        (p, e, (T0 + timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M:%S"), c, f"L{i}") for (p, e, m), c in rows.items()
    ]
    rng.shuffle(events)
    return pd.DataFrame(events, columns=["user_id", "event", "timestamp", "channel", "log"])


N_DEFINITIONS, LOGS_PER_DEFINITION = 25, 12  # 300 small logs


@pytest.fixture(scope="module")
def random_logs():
    rng = random.Random(20261203)
    return [
        (_definition(rng, g), [_random_log(rng, g, i) for i in range(LOGS_PER_DEFINITION)])
        for g in range(N_DEFINITIONS)
    ]


def test_random_small_logs_count_the_same_in_the_database_as_in_the_local_engine(db, random_logs):
    """Each random funnel runs over its dozen small logs at once (people and event names are their
    own, so the logs do not meet); without a breakdown by channel the counts are broken down by log,
    so every log is compared on its own."""
    table = db.load(pd.concat([f for _, logs in random_logs for f in logs], ignore_index=True), ("channel", "log"))
    for (steps, kw), logs in random_logs:
        kw = {**kw, "by": kw.get("by") or "log"}
        frame = pd.concat(logs, ignore_index=True)
        lg = engine.EventLog("user_id", "event", "timestamp", ("channel", "log"), frame=frame, time_kind="iso")
        local = compute_funnel(lg, steps, **kw)
        try:
            assert_same(local, db.source.funnel(table, steps, **kw))
        except AssertionError as exc:
            raise AssertionError(f"{steps} {kw}\n{frame.sort_values(['user_id', 'timestamp'])}") from exc


# --------------------------------------------------------------------------------------------
# Date range, detection, event names
# --------------------------------------------------------------------------------------------


def _events(*rows, props=()):
    return pd.DataFrame(
        [(p, e, (T0 + timedelta(minutes=m)).strftime("%Y-%m-%d %H:%M:%S"), *rest) for p, e, m, *rest in rows],
        columns=["user_id", "event", "timestamp", *props],
    )


def test_the_date_range_picks_step_one_events_and_lets_later_steps_follow_within_the_window(db):
    day = 24 * 60
    table = db.load(
        _events(
            ("early", "A", -day),
            ("early", "B", 10),  # entered the day before: not in the funnel
            ("late", "A", 630),
            ("late", "B", 680),  # entered at 23:30, converted after midnight
            ("slow", "A", 60),
            ("slow", "B", day + 120),  # converted after the window
            ("in", "A", 0),
            ("in", "B", 5),
        )  # fmt: skip
    )
    result = db.source.funnel(table, ["A", "B"], window="1h", date_from=date(2024, 3, 4), date_to=date(2024, 3, 4))
    assert result.counts == (3, 2)
    everything = db.source.funnel(table, ["A", "B"], window="1h")
    assert everything.counts == (4, 2)
    with pytest.raises(FunnelParameterError):
        db.source.funnel(table, ["A", "B"], date_from=date(2024, 3, 5), date_to=date(2024, 3, 4))


def test_the_columns_are_detected_from_the_schema_and_the_step_picker_lists_event_names(db):
    frame = _events(("p", "view", 0, "web"), ("p", "buy", 1, "web"), ("q", "view", 2, "app"), props=("device",))
    frame = frame.rename(columns={"timestamp": "event_time", "event": "event_name", "user_id": "client_id"})
    table = db.load(frame, ("device",), user="client_id", event="event_name", time="event_time", name="visits")
    found = db.source.detect("visits")
    assert (found.user, found.event, found.time, found.time_kind) == (
        "client_id",
        "event_name",
        "event_time",
        "timestamp",
    )
    assert found.properties == ("device",)
    assert "visits" in db.source.tables()
    names = db.source.event_names(table)
    assert names.values.tolist() == [["view", 2], ["buy", 1]]
    assert db.source.event_names(table, limit=1)["event"].tolist() == ["view"]
    spec = db.source.table_spec(
        "visits", user="client_id", event="event_name", time="event_time", properties=["device"]
    )
    assert db.source.funnel(spec, ["view", "buy"], by="device").segments == {"web": (1, 1), "app": (1, 0)}


def test_hostile_names_and_values_are_quoted_and_bound(db):
    frame = pd.DataFrame(
        {
            'who"`s': ["p", "p", "q"],
            "what's": ['it\'s "A"', "B'); DROP TABLE x; --", 'it\'s "A"'],
            "when": ["2024-03-04 10:00:00", "2024-03-04 10:01:00", "2024-03-04 10:00:00"],
            "chan`nel": ["<b>web</b>", "x", "{p0:String}"],
        }
    )
    table = db.load(frame, ("chan`nel",), user='who"`s', event="what's", time="when", name='odd "na`me"')
    result = db.source.funnel(table, ['it\'s "A"', "B'); DROP TABLE x; --"], by="chan`nel")
    assert result.counts == (2, 1)
    assert result.segments == {"<b>web</b>": (1, 1), "{p0:String}": (1, 0)}
    assert db.source.detect('odd "na`me"').time == "when"


# --------------------------------------------------------------------------------------------
# Safety and errors
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "statement",
    ["INSERT INTO t VALUES (1)", "DROP TABLE t", "SELECT 1; DROP TABLE t", "  create table t (a int)", "ALTER TABLE t"],
)
def test_only_a_single_select_may_be_sent(statement):
    with pytest.raises(ValueError):
        fsql.check_read_only(statement)
    fsql.check_read_only("SELECT ';' AS semicolon_in_a_literal")


def test_postgresql_runs_funnels_in_a_read_only_transaction_with_a_statement_timeout(pg_url):
    source = DbSource("pg", pg_url, timeout_s=7)
    cols, rows = source._run(
        fsql.Query("SELECT current_setting('transaction_read_only') AS ro, current_setting('statement_timeout') AS st")
    )
    assert rows == [("on", "7s")]
    with pytest.raises(FunnelSourceError) as err:
        source._run(fsql.Query("WITH x AS (SELECT 1) SELECT pg_sleep(3)"), timeout_s=1)
    assert err.value.code == "db_timeout"
    with pytest.raises(FunnelSourceError) as err:  # a write smuggled into a SELECT is refused by the server
        source._run(fsql.Query("SELECT nextval('no_such_seq')"))
    assert err.value.code in ("db_refused_query", "db_no_table")


def test_clickhouse_statements_carry_readonly_and_a_time_limit(chdb_folder):
    source = DbSource("ch", f"chdb://{chdb_folder}", timeout_s=9)
    spec = fsql.FunnelSpec(("A", "B"))
    q = fsql.funnel_query("clickhouse", fsql.DbTable("t", "u", "e", "ts"), spec, timeout_s=9)
    assert q.sql.rstrip().endswith("max_execution_time = 9, readonly = 2")
    _, rows = source._run(
        fsql.Query(
            "SELECT getSetting('readonly'), getSetting('max_execution_time')" + fsql.dialect("clickhouse").settings(9)
        )
    )
    assert [(int(r[0]), float(r[1])) for r in rows] == [(2, 9.0)]
    for query in (fsql.tables_query("clickhouse"), fsql.columns_query("clickhouse", "t")):
        assert "readonly = 2" in query.sql
    # a user whose profile is readonly = 1 may change no setting: the statement goes without them
    from cjm.funnel.sources import _without_settings

    bare = _without_settings(q.sql)
    assert "SETTINGS" not in bare and bare == q.sql[: len(bare)]


def test_a_missing_table_or_column_is_a_named_error(db):
    table = db.load(_events(("p", "A", 0)))
    with pytest.raises(FunnelSourceError) as err:
        db.source.columns("no_such_table")
    assert err.value.code == "db_table_missing" and "no_such_table" in str(err.value)
    with pytest.raises(FunnelSourceError) as err:
        db.source.table_spec(table.table, user="user_id", event="evnt", time="timestamp")
    assert err.value.code == "db_column_missing" and "evnt" in str(err.value)
    with pytest.raises(FunnelSourceError) as err:  # a spec made by hand with a wrong column: the server says so
        db.source.funnel(fsql.DbTable(table.table, "user_id", "evnt", "timestamp"), ["A"])
    assert err.value.code == "db_no_column"
    with pytest.raises(FunnelSourceError) as err:
        db.source.funnel(fsql.DbTable("gone", "user_id", "event", "timestamp"), ["A"])
    assert err.value.code == "db_no_table"


def test_a_refused_connection_is_a_named_error_without_the_password():
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed again: nobody listens there
    for url in (
        f"postgresql://reader:s3cr3t-pw@127.0.0.1:{port}/shop",
        f"clickhouse://reader:s3cr3t-pw@127.0.0.1:{port}/shop",
    ):
        source = DbSource("shop", url, timeout_s=5)
        with pytest.raises(FunnelSourceError) as err:
            source.tables()
        assert err.value.code == "db_connect"
        assert "s3cr3t" not in str(err.value) and "reader" not in str(err.value)
        assert f"127.0.0.1:{port}/shop" in str(err.value)
        assert "s3cr3t" not in repr(source)


def test_connections_are_named_in_the_environment_or_the_secrets_file(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / ".streamlit").mkdir()
    (tmp_path / ".streamlit" / "secrets.toml").write_text(
        '[funnel_databases]\nwarehouse = "clickhouse://r:pw@ch.example:8123/events"\n'
    )
    monkeypatch.setenv("CJM_FUNNEL_DB_SHOP", "postgresql://u:pw@db.example/shop")
    assert connection_names() == ["shop", "warehouse"]
    assert open_source("WAREHOUSE").describe() == "ClickHouse at ch.example:8123/events"
    assert open_source("shop").describe() == "PostgreSQL at db.example/shop"
    with pytest.raises(FunnelSourceError) as err:
        open_source("nope")
    assert err.value.code == "db_unknown_name" and "shop, warehouse" in str(err.value) and "pw" not in str(err.value)
    with pytest.raises(FunnelSourceError) as err:
        DbSource("x", "mysql://a:b@c/d")
    assert err.value.code == "db_bad_url"


def test_database_errors_are_translated():
    from cjm.i18n import error_text

    exc = FunnelSourceError(
        "database 'shop': there is no table or view 'events'",
        code="db_table_missing",
        params={"name": "shop", "table": "events"},
    )
    assert error_text(exc, "en") == str(exc)
    assert "events" in error_text(exc, "ru") and error_text(exc, "ru") != str(exc)


# --------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------


def test_the_command_line_counts_a_funnel_in_a_named_database(db, monkeypatch):
    import io
    import json

    from cjm.funnel import cli

    table = db.load(
        _events(
            ("p", "A", 0, "web"),
            ("p", "B", 1, "web"),
            ("q", "A", 0, "app"),
            ("q", "A", 60 * 24 * 3, "app"),
            props=("device",),
        )
    )
    monkeypatch.setenv("CJM_FUNNEL_DB_WAREHOUSE", db.source._url)
    out, err = io.StringIO(), io.StringIO()
    args = ["--db", "warehouse", "--table", table.table, "--steps", "A,B", "--by", "device", "--format", "json"]
    assert cli.main(args, out, err) == 0, err.getvalue()
    doc = json.loads(out.getvalue())
    assert [s["users"] for s in doc["steps"]] == [2, 1]
    assert {k: [s["users"] for s in v["steps"]] for k, v in doc["segments"].items()} == {"web": [1, 1], "app": [1, 0]}
    assert doc["kind"] == "database" and doc["time_to_convert"][0]["median_seconds"] == 60.0
    assert db.source._url not in out.getvalue()
    out = io.StringIO()
    assert cli.main([*args[:6], "--from", "2024-03-05", "--format", "json"], out, err) == 0
    assert [s["users"] for s in json.loads(out.getvalue())["steps"]] == [1, 0]
    err = io.StringIO()
    assert cli.main(["--db", "warehouse", "--table", table.table, "--event-col", "evnt", "--steps", "A"], out, err) == 2
    assert "no column 'evnt'" in err.getvalue() and "Traceback" not in err.getvalue()
    err = io.StringIO()
    assert cli.main(["--db", "warehouse", "--table", table.table], out, err) == 2
    assert "needs --steps" in err.getvalue() and "A, B" in err.getvalue()
    err = io.StringIO()
    assert cli.main(["--db", "nowhere", "--table", "t", "--steps", "A"], out, err) == 2
    assert "no database connection named 'nowhere'" in err.getvalue()
