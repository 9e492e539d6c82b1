"""Following a map live: which version of a map is the latest, known within a second of any save.

Open editors and presenter views ask :func:`latest_version` several times a second. On PostgreSQL the
answer usually comes from memory: a :class:`ChangeFeed` (one listener thread per process and database)
``LISTEN``\\s on the channel ``cjm_maps``, on which the database itself announces every save, creation and
deletion of a map (a trigger, see ``cjm/migrations/versions/0003_notify_map_changes.py``), the moment
the saving transaction commits, whichever process saved. Elsewhere (SQLite), or while the listener is
not connected, the answer is one indexed query (``Store.latest_version``).

A notification can only be trusted for changes after the listener started listening, so a caller's
first check, the first check after the listener reconnected, and one check every
``SAFETY_CHECK_SECONDS`` go to the database anyway.

>>> from cjm import model
>>> from cjm.store import Store
>>> store = Store("sqlite://")
>>> _ = store.create(model.new_map("Live", map_id="live"), author="ann")
>>> state = {}
>>> latest_version(store, "live", state)
1
>>> feed_for(store) is None  # SQLite: no notifications, one indexed query per check
True
"""

from __future__ import annotations

import json
import logging
import math
import os
import threading
import time
from typing import Any

from sqlalchemy.engine import make_url

from cjm.errors import MapNotFoundError

__all__ = ["CHANNEL", "ChangeFeed", "feed_for", "stop_feed", "latest_version", "SAFETY_CHECK_SECONDS"]

log = logging.getLogger(__name__)

CHANNEL = "cjm_maps"
#: Even while notifications flow, each watcher asks the database this often (a missed notification
#: would otherwise go unnoticed until the next save).
SAFETY_CHECK_SECONDS = 10.0
_MISSING = object()


class ChangeFeed:
    """A background thread listening for PostgreSQL's notifications of map changes.

    ``latest(map_id)`` is the version last announced for the map (``None`` once deleted), or ``MISSING``
    when nothing was heard about it. ``listening_since`` is the ``time.monotonic()`` from which every
    change has been heard (``None`` while disconnected; reconnecting moves it).
    """

    MISSING = _MISSING

    def __init__(self, url: str, *, reconnect_delay: float = 1.0):
        self._conninfo = _libpq_url(url)
        self._versions: dict[str, int | None] = {}
        self._changed = threading.Condition()
        self._stop = threading.Event()
        self._reconnect_delay = reconnect_delay
        self.listening_since: float | None = None
        self.backend_pid: int | None = None
        self.notifications = 0
        self._thread = threading.Thread(target=self._run, name="cjm-change-feed", daemon=True)

    def start(self) -> ChangeFeed:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def latest(self, map_id: str):
        with self._changed:
            return self._versions.get(map_id, _MISSING)

    def wait_for(self, predicate, timeout: float) -> bool:
        """Block until ``predicate(self)`` holds (checked on every notification); False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: predicate(self), timeout=timeout)

    def _heard(self, payload: str) -> None:
        try:
            data = json.loads(payload)
            map_id, version = str(data["map_id"]), data.get("version")
        except (ValueError, KeyError, TypeError):
            log.warning("ignored a malformed %s notification: %r", CHANNEL, payload[:200])
            return
        with self._changed:
            self.notifications += 1
            self._versions[map_id] = None if version is None else int(version)
            self._changed.notify_all()

    def _run(self) -> None:
        import psycopg

        while not self._stop.is_set():
            try:
                with psycopg.connect(self._conninfo, autocommit=True, connect_timeout=10) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self.backend_pid = conn.info.backend_pid
                    with self._changed:
                        self.listening_since = time.monotonic()
                        self._changed.notify_all()
                    while not self._stop.is_set():
                        for note in conn.notifies(timeout=1.0):
                            self._heard(note.payload)
            except Exception as exc:  # the database restarted, the network dropped: listen again
                if self._stop.is_set():
                    break
                log.warning("listening for map changes failed (%s); retrying", exc)
            finally:
                with self._changed:
                    self.listening_since = None
                    self._changed.notify_all()
            self._stop.wait(self._reconnect_delay)


def _libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as a libpq connection URI (any SQLAlchemy driver name)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


_feeds: dict[tuple[int, str], ChangeFeed | None] = {}
_feeds_lock = threading.Lock()


def feed_for(store) -> ChangeFeed | None:
    """The process's change feed for ``store``'s database (started on first use), or None where the
    database sends no notifications (SQLite) or the driver is missing."""
    url = store.url
    key = (os.getpid(), url)
    with _feeds_lock:
        if key not in _feeds:
            feed = None
            if store.engine.dialect.name == "postgresql":
                try:
                    import psycopg  # noqa: F401
                except ImportError:
                    log.warning("psycopg is not installed: live changes are polled from the database")
                else:
                    feed = ChangeFeed(url).start()
            _feeds[key] = feed
        return _feeds[key]


def stop_feed(url: str) -> None:
    """Stop this process's change feed for ``url``, if any (tests; a server keeps its feeds)."""
    with _feeds_lock:
        feed = _feeds.pop((os.getpid(), url), None)
    if feed is not None:
        feed.stop()


def latest_version(store, map_id: str, state: dict[str, Any]) -> int | None:
    """The latest version of ``map_id`` (None when it was deleted), cheaply enough to ask several times a
    second: from the change feed when it can be trusted, else one indexed query.

    ``state`` is a dict the caller keeps between calls (one per watcher, e.g. in the session).
    """
    feed = feed_for(store)
    now = time.monotonic()
    checked = state.get("checked_at", -math.inf)
    if (
        feed is not None
        and state.get("map_id") == map_id
        and feed.listening_since is not None
        and checked >= feed.listening_since
        and now - checked < SAFETY_CHECK_SECONDS
    ):
        heard = feed.latest(map_id)
        if heard is _MISSING:
            return state["version"]
        if heard is None or state["version"] is None:
            return None
        return max(heard, state["version"])  # a notification may still be on its way
    try:
        version: int | None = store.latest_version(map_id)
    except MapNotFoundError:
        version = None
    state.update(map_id=map_id, version=version, checked_at=now)
    return version
