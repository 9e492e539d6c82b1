"""Following a map live in a page: a small fragment checks the map's stored version several times a
second and reruns the page only when it changed, so another participant's save shows within a second.

The check is :func:`cjm.live.latest_version`: on PostgreSQL usually answered from memory (the process's
listener hears every save the moment it commits), elsewhere one indexed query. The page itself is
never re-rendered to check.

A page with editable tables passes ``hold``: while the person has a cell editor open (the browser says
so, see :data:`TYPING_JS`), a new version that would redraw the table under their fingers (rows added,
deleted or reordered) waits; the fragment says how many changes wait, and the page reruns the moment
the cell is committed or left. Changes that keep the table's rows are applied at once, in place.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from cjm import live
from cjm.errors import CJMError
from cjm_ui import get_store, tr
from cjm_ui.tables import redraw_pending

__all__ = ["follow", "typing", "CHECK_EVERY", "TYPING_SELECTOR"]

#: Seconds between two checks: answered from memory when the database announces changes (PostgreSQL),
#: else by one indexed query (a fraction of a millisecond).
CHECK_EVERY = 0.25

#: A cell editor open in a table (glide-data-grid draws it in Streamlit's overlay "portal").
TYPING_SELECTOR = "[data-testid='portal'] .gdg-clip-region"

#: Tells the page whether a table cell is being typed in: reports ``typing`` (true/false) whenever the
#: overlay editor appears or goes, and only then (``data.typing`` is what the page already knows).
TYPING_JS = """
export default function ({ data, setStateValue }) {
  let known = Boolean(data && data.typing);
  const report = () => {
    const typing = document.querySelector(data.selector) !== null;
    if (typing !== known) {
      known = typing;
      setStateValue("typing", typing);
    }
  };
  const observer = new MutationObserver(report);
  observer.observe(document.body, { childList: true, subtree: true });
  report();
  return () => observer.disconnect();
}
"""

_typing_component = st.components.v2.component("cjm_typing", js=TYPING_JS)

#: ``CJM_LIVE_TRACE=1`` writes a line to stderr when a watcher sees a new version (bench/bench_live.py
#: reads them from the server's log to tell detection from drawing).
TRACE = os.environ.get("CJM_LIVE_TRACE") == "1"


def _trace(event: str, key: str, version) -> None:
    if TRACE:
        print(f"cjm-live {event} {key} {version} {time.time() * 1000:.0f}", file=sys.stderr, flush=True)


def _latest(map_id: str, key: str) -> int | None | bool:
    """The latest version, or False when the database could not be asked this time."""
    state = st.session_state.setdefault(f"live.state.{key}", {})
    try:
        return live.latest_version(get_store(), map_id, state)
    except (CJMError, SQLAlchemyError):
        return False  # the database is unreachable for a moment: ask again next time


def typing(key: str) -> bool:
    """Whether the person has a table cell editor open on this page (as last reported by the browser)."""
    return bool(st.session_state.get(f"live.typing.{key}", {}).get("typing"))


def _typing_watch(key: str) -> bool:
    now = typing(key)
    _typing_component(
        key=f"live.typing.{key}",
        data={"selector": TYPING_SELECTOR, "typing": now},
        default={"typing": False},
        on_typing_change=lambda: None,  # a change reruns this fragment: a held version is applied at once
        height="content",
    )
    return typing(key)


def _body(map_id: str, version: int, key: str, on_change, extra, hold) -> None:
    if redraw_pending():  # a table edit arrived with this fragment's run: draw its outcome
        st.rerun()
    busy = _typing_watch(key) if hold is not None else False
    latest = _latest(map_id, key)
    if latest is not False and latest != version:
        if busy and latest is not None and hold(latest):
            st.caption(f":material/hourglass_top: {tr('editor.waiting', n=max(1, latest - version))}")
        else:
            _trace("detected", key, latest)
            if on_change is not None:
                on_change(latest)
            st.rerun()
    if extra is not None:
        extra()


@st.fragment(run_every=CHECK_EVERY)
def _follow(map_id, version, key, on_change, extra, hold) -> None:
    _body(map_id, version, key, on_change, extra, hold)


def follow(
    map_id: str,
    version: int,
    *,
    key: str,
    on_change: Callable[[int | None], None] | None = None,
    extra: Callable[[], None] | None = None,
    hold: Callable[[int], bool] | None = None,
) -> None:
    """Rerun the page as soon as ``map_id``'s stored version is no longer ``version`` (or it was deleted).

    ``on_change(latest)`` runs first (e.g. to note who saved). ``extra()`` draws something small that
    should stay current between changes (a "saved 5 seconds ago" line); it runs on every check, so
    keep it cheap. ``hold(latest)`` says whether showing version ``latest`` would redraw what the person
    may be typing in (a table whose rows changed): while a cell editor is open such a version waits,
    and is shown when the cell is committed or left. ``key`` names this watcher in the session.
    """
    _follow(map_id, version, key, on_change, extra, hold)
