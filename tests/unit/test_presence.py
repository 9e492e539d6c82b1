"""Who is editing which map: heartbeats in the store's database (on SQLite and on PostgreSQL)."""

from datetime import UTC, datetime, timedelta

from cjm import presence
from cjm.store import Store


def make_store(url):
    return Store(url)


def test_active_editors_lists_recent_heartbeats_most_recent_first_without_me(db_url):
    store = make_store(db_url)
    t0 = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
    presence.heartbeat(store, "m1", "s-ann", "Ann", now=t0)
    presence.heartbeat(store, "m1", "s-bob", "Bob", now=t0 + timedelta(seconds=3))
    presence.heartbeat(store, "m2", "s-eve", "Eve", now=t0 + timedelta(seconds=3))
    got = presence.active_editors(store, "m1", now=t0 + timedelta(seconds=5))
    assert [e.user_name for e in got] == ["Bob", "Ann"]
    assert [
        e.user_name for e in presence.active_editors(store, "m1", exclude="s-bob", now=t0 + timedelta(seconds=5))
    ] == ["Ann"]


def test_a_session_that_stopped_beating_drops_out_and_renames_update(db_url):
    store = make_store(db_url)
    t0 = datetime(2026, 1, 1, 10, 0, tzinfo=UTC)
    presence.heartbeat(store, "m1", "s-ann", "Ann", now=t0)
    presence.heartbeat(store, "m1", "s-bob", "Bob", now=t0 + timedelta(seconds=20))
    presence.heartbeat(store, "m1", "s-bob", "Robert", now=t0 + timedelta(seconds=21))
    got = presence.active_editors(store, "m1", within_seconds=10, now=t0 + timedelta(seconds=22))
    assert [e.user_name for e in got] == ["Robert"]
    presence.leave(store, "m1", "s-bob")
    assert presence.active_editors(store, "m1", within_seconds=10, now=t0 + timedelta(seconds=22)) == []


def test_presence_is_shared_between_two_store_objects_on_one_database(db_url):
    a, b = make_store(db_url), make_store(db_url)
    presence.heartbeat(a, "m1", "s1", "Ann")
    assert [e.user_name for e in presence.active_editors(b, "m1")] == ["Ann"]
