"""Following a map live in a page: a small fragment checks the map's stored version several times a
second and reruns the page only when it changed, so another participant's save shows within a second.

The check is :func:`cjm.live.latest_version`: on PostgreSQL usually answered from memory (the process's
listener hears every save the moment it commits), elsewhere one indexed query. The page itself is
never re-rendered to check.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from cjm import live
from cjm.errors import CJMError
from cjm_ui import get_store

__all__ = ["follow", "check_every"]

#: Seconds between two checks: from memory when the database announces changes, else by a query.
FAST, POLL = 0.25, 0.5


def check_every() -> float:
    """How often a page asks for the latest version (seconds)."""
    return FAST if live.feed_for(get_store()) is not None else POLL


def _latest(map_id: str, key: str) -> int | None | bool:
    """The latest version, or False when the database could not be asked this time."""
    state = st.session_state.setdefault(f"live.state.{key}", {})
    try:
        return live.latest_version(get_store(), map_id, state)
    except (CJMError, SQLAlchemyError):
        return False  # the database is unreachable for a moment: ask again next time


def _body(map_id: str, version: int, key: str, on_change, extra) -> None:
    latest = _latest(map_id, key)
    if latest is not False and latest != version:
        if on_change is not None:
            on_change(latest)
        st.rerun()
    if extra is not None:
        extra()


@st.fragment(run_every=FAST)
def _follow_fast(map_id, version, key, on_change, extra) -> None:
    _body(map_id, version, key, on_change, extra)


@st.fragment(run_every=POLL)
def _follow_poll(map_id, version, key, on_change, extra) -> None:
    _body(map_id, version, key, on_change, extra)


def follow(
    map_id: str,
    version: int,
    *,
    key: str,
    on_change: Callable[[int | None], None] | None = None,
    extra: Callable[[], None] | None = None,
) -> None:
    """Rerun the page as soon as ``map_id``'s stored version is no longer ``version`` (or it was deleted).

    ``on_change(latest)`` runs first (e.g. to note who saved). ``extra()`` draws something small that
    should stay current between changes (a "saved 5 seconds ago" line); it runs on every check, so
    keep it cheap. ``key`` names this watcher in the session.
    """
    fragment = _follow_fast if check_every() == FAST else _follow_poll
    fragment(map_id, version, key, on_change, extra)
