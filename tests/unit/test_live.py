"""Following a map live: PostgreSQL announces every change; watchers learn the latest version cheaply."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import event, text

from cjm import live, model
from cjm.store import Store
from tests.postgres import pg_schema_url


def a_map(map_id: str = "m"):
    G = model.new_map("Live map", map_id=map_id)
    model.add_touchpoint(G, "Visit", "awareness", emotion=1)
    return G


@pytest.fixture
def store(db_url):
    s = Store(db_url)
    yield s
    live.stop_feed(db_url)
    s.close()


@pytest.fixture
def pg_store(postgres_url):
    with pg_schema_url(postgres_url) as url:
        s = Store(url)
        yield s
        live.stop_feed(url)
        s.close()


def count_queries(store: Store) -> list[str]:
    seen: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *args: seen.append(args[2]))
    return seen


def wait_listening(feed: live.ChangeFeed) -> None:
    assert feed.wait_for(lambda f: f.listening_since is not None, timeout=20)


def test_on_sqlite_a_watcher_asks_the_database_each_time(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'live.db'}")
    try:
        store.create(a_map(), author="ann")
        assert live.feed_for(store) is None  # SQLite sends no notifications
        state: dict = {}
        queries = count_queries(store)
        assert [live.latest_version(store, "m", state) for _ in range(3)] == [1, 1, 1]
        selects = [q for q in queries if q.startswith("SELECT")]
        assert len(selects) == 3 and all("FROM maps" in q and "map_id =" in q for q in selects)  # by primary key
    finally:
        store.close()


def test_a_watcher_sees_every_save_and_a_deletion(store):
    store.create(a_map(), author="ann")
    state: dict = {}
    assert live.latest_version(store, "m", state) == 1
    if (feed := live.feed_for(store)) is not None:
        wait_listening(feed)
    G = store.load("m").graph
    store.save(G, expected_version=1, author="bob")
    deadline = time.monotonic() + 20
    while live.latest_version(store, "m", state) != 2:
        assert time.monotonic() < deadline, "the save was never seen"
        time.sleep(0.05)
    store.delete("m")
    while live.latest_version(store, "m", state) is not None:
        assert time.monotonic() < deadline, "the deletion was never seen"
        time.sleep(0.05)


def test_postgres_announces_saves_creations_and_deletions_on_commit_only(pg_store):
    store = pg_store
    feed = live.feed_for(store)
    assert live.feed_for(store) is feed  # one listener per process and database
    wait_listening(feed)
    store.create(a_map(), author="ann")
    assert feed.wait_for(lambda f: f.latest("m") == 1, timeout=10)
    stale = store.load("m").graph
    store.save(store.load("m").graph, expected_version=1, author="bob")
    assert feed.wait_for(lambda f: f.latest("m") == 2, timeout=10)
    with pytest.raises(Exception):  # noqa: B017 - a conflicting save is rolled back: nothing announced
        store.save(stale, expected_version=1, author="eve")
    before = feed.notifications
    with store.engine.connect() as conn, conn.begin() as tx:  # a rolled-back change is never announced
        conn.execute(text("UPDATE maps SET current_version = 99 WHERE map_id = 'm'"))
        tx.rollback()
    store.delete("m")
    assert feed.wait_for(lambda f: f.latest("m") is None, timeout=10)
    assert feed.notifications == before + 1


def test_while_the_feed_listens_a_watcher_asks_the_database_only_now_and_then(pg_store, monkeypatch):
    store = pg_store
    store.create(a_map(), author="ann")
    feed = live.feed_for(store)
    wait_listening(feed)
    state: dict = {}
    assert live.latest_version(store, "m", state) == 1  # the first check asks the database
    queries = count_queries(store)
    for _ in range(50):
        assert live.latest_version(store, "m", state) == 1
    assert queries == []
    store.save(store.load("m").graph, expected_version=1, author="bob")
    assert feed.wait_for(lambda f: f.latest("m") == 2, timeout=10)
    queries.clear()
    assert live.latest_version(store, "m", state) == 2 and queries == []
    monkeypatch.setattr(live, "SAFETY_CHECK_SECONDS", 0.0)  # now and then the database is asked anyway
    assert live.latest_version(store, "m", state) == 2 and len(queries) == 1


def test_the_feed_listens_again_after_its_connection_is_cut(pg_store):
    store = pg_store
    feed = live.ChangeFeed(store.url, reconnect_delay=0.1).start()
    try:
        wait_listening(feed)
        first, pid = feed.listening_since, feed.backend_pid
        state: dict = {}
        store.create(a_map(), author="ann")
        with store.engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        assert feed.wait_for(lambda f: f.listening_since is not None and f.listening_since > first, timeout=20)
        assert feed.backend_pid != pid
        store.save(store.load("m").graph, expected_version=1, author="bob")
        assert feed.wait_for(lambda f: f.latest("m") == 2, timeout=10)
        assert live.latest_version(store, "m", state) == 2
    finally:
        feed.stop()
