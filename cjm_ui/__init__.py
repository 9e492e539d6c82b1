"""Streamlit-aware helpers shared by the pages: language, the store, the current map, errors.

This is the only package besides ``pages/`` and ``app.py`` that imports streamlit.
"""

from __future__ import annotations

import os
import uuid

import streamlit as st

from cjm import i18n
from cjm.errors import CJMError, ValidationError
from cjm.text import md_escape

__all__ = [
    "lang",
    "tr",
    "get_store",
    "current_map_id",
    "set_current_map",
    "current_map",
    "show_error",
    "user_name",
    "actor",
    "require_map",
]

LANG_KEY = "app.lang"
MAP_KEY = "app.map_id"
USER_KEY = "app.user"


def lang() -> str:
    """The interface language chosen in the sidebar (or the URL), ``"en"`` or ``"ru"``."""
    value = st.session_state.get(LANG_KEY) or st.query_params.get("lang") or i18n.DEFAULT_LANGUAGE
    return value if value in i18n.LANGUAGES else i18n.DEFAULT_LANGUAGE


def tr(key: str, **kwargs) -> str:
    """``cjm.i18n.t`` in the current language."""
    return i18n.t(key, lang(), **kwargs)


@st.cache_resource(show_spinner=False)
def _store(url: str):
    from cjm.store import get_store as _get

    return _get(url)


def get_store():
    """The process-wide store for the configured database (seeded with the sample maps)."""
    from cjm.store import database_url

    return _store(database_url())


def current_map_id() -> str | None:
    """The id of the map the user is working on: session state, else the ``?map=`` URL parameter."""
    map_id = st.session_state.get(MAP_KEY)
    if not map_id:
        map_id = st.query_params.get("map")
        if map_id:
            st.session_state[MAP_KEY] = map_id
    return map_id or None


def set_current_map(map_id: str | None) -> None:
    """Remember the current map in the session and in the URL (so a link opens it)."""
    if map_id:
        st.session_state[MAP_KEY] = map_id
        st.query_params["map"] = map_id
    else:
        st.session_state.pop(MAP_KEY, None)
        if "map" in st.query_params:
            del st.query_params["map"]


def current_map():
    """The current map as a ``StoredMap`` (latest version), or ``None`` when none is chosen or it is gone."""
    from cjm.errors import MapNotFoundError

    map_id = current_map_id()
    if not map_id:
        return None
    try:
        return get_store().load(map_id)
    except MapNotFoundError:
        set_current_map(None)
        return None


def require_map():
    """The current map, or an info message pointing to the library and ``st.stop()``."""
    stored = current_map()
    if stored is None:
        st.info(tr("app.no_map"))
        st.page_link("pages/library.py", label=tr("app.open_library"), icon=":material/folder_open:")
        st.stop()
    return stored


def show_error(exc: Exception) -> None:
    """Show a domain error to the user: the message, and every problem of a validation error."""
    if isinstance(exc, ValidationError):
        head = tr("app.invalid", n=len(exc.problems))
        lines = "\n".join(f"- {md_escape(i18n.problem_line(p, lang()))}" for p in exc.problems[:50])
        st.error(head + "\n\n" + lines)
    elif isinstance(exc, CJMError):
        st.error(md_escape(i18n.error_text(exc, lang())))
    else:  # pragma: no cover - unexpected errors still must not show a traceback to users
        st.error(tr("app.unexpected", error=type(exc).__name__))


def user_name() -> str:
    """The participant name used for versions, votes and presence (editable in the sidebar)."""
    if not st.session_state.get(USER_KEY):
        st.session_state[USER_KEY] = os.environ.get("CJM_USER") or f"Guest {uuid.uuid4().hex[:4].upper()}"
    return st.session_state[USER_KEY]


def actor():
    """The participant using this browser tab, as the :class:`cjm.services.Actor` every change is made by."""
    from cjm.services import Actor

    return Actor(user_name())


def _leave_legacy_pages_mode() -> None:
    """Make deep links run through app.py even on a freshly started server.

    Streamlit starts a process in its legacy multipage mode when a ``pages/`` folder exists: until some
    session has run ``st.navigation``, a link such as ``/audit`` runs ``pages/audit.py`` on its own,
    without app.py's navigation and sidebar. This module is imported in the first script run of the
    process, so switching the mode off here and rerunning sends that very run through app.py.
    """
    import sys

    from streamlit.runtime.pages_manager import PagesManager

    # Under AppTest (never imported by a real server) a rerun would lose at.switch_page's target,
    # and its tests go through app.py's navigation anyway.
    under_apptest = "streamlit.testing.v1.app_test" in sys.modules
    if PagesManager.uses_pages_directory and not under_apptest:
        PagesManager.uses_pages_directory = False
        st.rerun()


_leave_legacy_pages_mode()
