"""The Funnel page's database source through app.py: a configured ClickHouse (embedded, chdb) table,
its columns detected, the funnel counted in the database with the local engine's counts; a
connection that fails is a translated error without its password."""

import socket
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cjm.funnel.engine import compute_funnel
from cjm.funnel.readers import read_funnel_file
from cjm.funnel.sources import _chdb_connection
from tests.app.conftest import APP

SHOP_EVENTS = Path(__file__).resolve().parents[2] / "sample_data" / "funnels" / "shop_events.csv"
PAGE = "pages/funnel.py"
STEPS = ["view_product", "add_to_cart", "checkout", "payment", "order_confirmed"]


@pytest.fixture(scope="module")
def shop_table(chdb_folder):
    conn = _chdb_connection(str(chdb_folder))
    conn.query(
        "CREATE TABLE IF NOT EXISTS page_shop_events (user_id String, event String, timestamp DateTime64(6, 'UTC'), "
        "channel String, device String, city String) ENGINE = MergeTree ORDER BY (user_id, timestamp)"
    )
    if str(conn.query("SELECT count() FROM page_shop_events")).strip() == "0":
        data = pd.read_csv(SHOP_EVENTS, dtype=str)
        data["timestamp"] = pd.to_datetime(data["timestamp"])
        data = data[["user_id", "event", "timestamp", "channel", "device", "city"]]
        conn.query("INSERT INTO page_shop_events SELECT * FROM Python(data)")
    return f"chdb://{chdb_folder}"


def _open(monkeypatch, **env) -> AppTest:
    for k in [k for k in __import__("os").environ if k.startswith("CJM_FUNNEL_DB_")]:
        monkeypatch.delenv(k)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.chdir(Path(__file__).resolve().parents[2])  # no secrets.toml of the developer's
    at = AppTest.from_file(APP, default_timeout=120)
    at.switch_page(PAGE)
    at.run()
    at.radio(key="funnel.source").set_value("database").run()
    return at


def _metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_a_funnel_is_counted_in_a_configured_clickhouse_table_with_the_local_engines_counts(shop_table, monkeypatch):
    at = _open(monkeypatch, CJM_FUNNEL_DB_SHOP=shop_table)
    assert not at.exception and not at.error
    at.selectbox(key="funnel.db.table.shop").set_value("page_shop_events").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    # the columns were detected from the table's schema
    key = "shop.page_shop_events"
    assert at.selectbox(key=f"funnel.db.role.user.{key}").value == "user_id"
    assert at.selectbox(key=f"funnel.db.role.time.{key}").value == "timestamp"
    local = compute_funnel(read_funnel_file(SHOP_EVENTS), STEPS).counts
    assert at.multiselect(key=f"funnel.steps.db.{key}").value == STEPS
    assert _metric(at, "Entered (step 1)") == f"{local[0]:,}"
    assert _metric(at, "Completed (last step)") == f"{local[-1]:,}"
    assert any("Counted in the database" in c.value for c in at.caption)
    # a breakdown, counted there too
    by = at.selectbox(key=f"funnel.by.db.{key}")
    assert "device" in by.options
    by.set_value("device").run()
    assert not at.exception and not at.error


def test_a_refused_connection_is_a_translated_error_without_a_password_or_traceback(monkeypatch):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    at = _open(monkeypatch, CJM_FUNNEL_DB_BROKEN=f"postgresql://reader:s3cr3t@127.0.0.1:{port}/shop")
    assert not at.exception
    assert at.error and "cannot connect" in at.error[0].value
    assert "s3cr3t" not in at.error[0].value and "reader" not in at.error[0].value
    at.query_params["lang"] = "ru"
    at.run()
    assert at.error and "не удаётся подключиться" in at.error[0].value


def test_without_a_configured_connection_the_page_says_how_to_name_one(monkeypatch):
    at = _open(monkeypatch)
    assert not at.exception and not at.error
    assert any("CJM_FUNNEL_DB_" in i.value for i in at.info)
