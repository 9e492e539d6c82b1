"""Streamlit-aware helpers shared by the pages: language, the store, the current map, errors.

This is the only package besides ``pages/`` and ``app.py`` that imports streamlit.
"""

from __future__ import annotations

import logging
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
    "keep_in_url",
    "actor",
    "require_map",
    "auth_provider",
    "signed_in_mode",
    "apply_policy",
    "signed_in",
    "share_token",
    "shared_map_id",
    "can",
    "visible_maps",
    "run_page",
    "show_figure",
    "date_format",
    "UNEXPECTED_KEY",
]

log = logging.getLogger("cjm.ui")
#: The catalogue key of the message a user sees instead of a traceback (tests look for it).
UNEXPECTED_KEY = "app.unexpected_ref"

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
    """The process-wide store for the configured database (seeded with the sample maps).

    The first call of a fresh server creates the tables and seeds the sample maps, which takes a
    few seconds: the page says so with a spinner instead of staying blank."""
    from cjm.store import database_url, is_open

    url = database_url()
    if is_open(url):
        return _store(url)
    with st.spinner(tr("app.preparing")):
        return _store(url)


def current_map_id() -> str | None:
    """The id of the map the user is working on: session state, else the ``?map=`` URL parameter.
    Opened through a share link, it is the link's map and nothing else."""
    if share_token():
        return shared_map_id()
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
    from cjm.access import is_trashed

    if is_trashed(get_store(), map_id):  # deleted: in the trash, not open anywhere
        set_current_map(None)
        return None
    if signed_in_mode() and not share_token() and not can("view", map_id):
        st.error(tr("app.no_access"))
        set_current_map(None)
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


def show_figure(fig, **kwargs) -> None:
    """``st.plotly_chart`` with plotly's own number formatting in the page's language (axis ticks
    and hover values: ``18 455``, ``7,3`` in Russian) and its toolbar and tips in that language
    (:func:`cjm.charts.theme.plotly_config`); ``kwargs`` go to ``st.plotly_chart``."""
    from cjm.charts.theme import plotly_config, separators

    fig.update_layout(separators=separators(lang()))
    kwargs["config"] = plotly_config(lang(), kwargs.get("config"))
    st.plotly_chart(fig, **kwargs)


#: How dates read in Streamlit's date widgets (moment.js formats for table columns; ``st.date_input``
#: takes only day, month and year digits): ``6 Sep 2026`` as :func:`cjm.text.fmt_date` writes it in
#: English, ``06.09.2026`` in Russian (Streamlit's month names are English only).
_DATE_FORMATS = {
    "column": {"en": "D MMM YYYY", "ru": "DD.MM.YYYY"},
    "input": {"en": "YYYY-MM-DD", "ru": "DD.MM.YYYY"},
}


def date_format(widget: str = "column") -> str:
    """The date format of a ``st.column_config.DateColumn`` (``widget="column"``) or of
    ``st.date_input`` (``"input"``) in the page's language."""
    return _DATE_FORMATS[widget].get(lang(), _DATE_FORMATS[widget]["en"])


def run_page(page) -> None:
    """Run a page of ``st.navigation``; an unexpected error is logged with a short reference and the
    user sees "something went wrong, reference ab12" instead of a traceback (the shipped config also
    turns Streamlit's error details off). Streamlit's own stop and rerun signals pass through (they
    are not ``Exception`` instances)."""
    try:
        page.run()
    except Exception as exc:  # noqa: BLE001 - the one place that turns any bug into a message
        reference = uuid.uuid4().hex[:4]
        log.exception("unexpected error on page %s, reference %s", getattr(page, "url_path", "?"), reference)
        st.error(tr(UNEXPECTED_KEY, ref=reference, error=type(exc).__name__), icon=":material/report:")


def user_name() -> str:
    """The participant name used for versions, votes and presence: the signed-in person (name and
    e-mail address) in signed-in mode, else the free text of the sidebar (open mode), which is kept
    in the URL (``?who=``, see :func:`keep_in_url`) so a reload or a reconnect keeps the same
    participant instead of inventing a new guest."""
    if signed_in_mode():
        me = actor()
        return me.name
    if not st.session_state.get(USER_KEY):
        from_url = str(st.query_params.get("who") or "").strip()[:80]
        st.session_state[USER_KEY] = from_url or os.environ.get("CJM_USER") or f"Guest {uuid.uuid4().hex[:4].upper()}"
    return st.session_state[USER_KEY]


def keep_in_url() -> None:
    """Write the current map, the language and the participant into the URL on every run.

    Streamlit keeps widget-less session state only as long as the websocket session lives: a
    reload, or a reconnect under load, starts a new session. These three are read back from the
    URL (``?map=``, ``?lang=``, ``?who=``), so neither the user nor the tests lose them."""
    wanted = {"map": current_map_id(), "lang": lang()}
    if not signed_in_mode():  # signed in, who you are comes from the identity provider only
        wanted["who"] = str(st.session_state.get(USER_KEY) or "").strip()
    for name, value in wanted.items():
        if value and st.query_params.get(name) != value:
            st.query_params[name] = value


def actor():
    """The person using this browser tab, as the :class:`cjm.services.Actor` every change is made by.

    Signed-in mode: the identity comes only from ``st.user`` (the identity provider's signed
    cookie), never from session state or the URL; nobody signed in is an actor without an e-mail
    address, whom the services refuse. Open mode: the sidebar's participant name."""
    from cjm.access import identity_label
    from cjm.services import Actor

    if not signed_in_mode():
        return Actor(user_name())
    if not signed_in():
        return Actor(tr("app.nobody"))
    email = str(st.user.get("email") or "").strip().lower()
    return Actor(identity_label(st.user.get("name"), email) or email, email=email)


# ---- sign-in, roles, share links ----------------------------------------------------------------


def _secrets_section(name: str) -> dict:
    try:
        section = st.secrets.get(name)
    except Exception:  # no secrets file, or an unreadable one: nothing configured
        return {}
    return dict(section) if hasattr(section, "keys") else {}


def auth_provider() -> tuple[bool, str | None]:
    """Whether an identity provider is configured in ``.streamlit/secrets.toml`` (``[auth]``), and
    the name of its ``[auth.<name>]`` section when the provider is named (``None``: unnamed)."""
    auth = _secrets_section("auth")
    if not auth:
        return False, None
    if auth.get("client_id") or auth.get("server_metadata_url"):
        return True, None
    named = sorted(
        k for k, v in auth.items() if hasattr(v, "keys") and ("client_id" in v or "server_metadata_url" in v)
    )
    return (True, named[0]) if named else (False, None)


def signed_in_mode() -> bool:
    """True when an identity provider is configured: people sign in and roles apply."""
    return auth_provider()[0]


def apply_policy():
    """Put the workspace's access policy in force for this run (``cjm.access.set_policy``) from the
    configuration: open mode without a provider; else the administrators and the default role of the
    ``[cjm]`` section of the secrets (or ``CJM_ADMINS``, ``CJM_DEFAULT_ROLE``)."""
    from cjm import access

    if not signed_in_mode():
        pol = access.Policy()
    else:
        cfg = _secrets_section("cjm")
        admins = cfg.get("admins") or os.environ.get("CJM_ADMINS", "").split(",")
        if isinstance(admins, str):
            admins = admins.split(",")
        default_role = str(cfg.get("default_role") or os.environ.get("CJM_DEFAULT_ROLE") or "viewer").strip()
        pol = access.Policy(open_mode=False, admins=frozenset(admins), default_role=default_role)
    if access.policy() != pol:
        access.set_policy(pol)
    return pol


def signed_in() -> bool:
    """True when someone is signed in through the identity provider (with an e-mail address)."""
    try:
        return bool(st.user.get("is_logged_in")) and bool(str(st.user.get("email") or "").strip())
    except Exception:  # st.user without an [auth] section
        return False


SHARE_KEY = "app.share"


def share_token() -> str | None:
    """The share link's token this tab was opened with (``?share=``; kept for the session)."""
    token = st.query_params.get("share")
    if token:
        st.session_state[SHARE_KEY] = token
    return st.session_state.get(SHARE_KEY) or None


def shared_map_id() -> str | None:
    """The map the tab's share link opens, checked in the database now (``None``: the link was
    revoked, has expired, or never existed)."""
    from cjm import access

    return access.map_for_token(get_store(), share_token())


def can(action: str, map_id: str | None = None) -> bool:
    """Whether the person may do ``action`` on the map (default: the current one), read from the
    database now. Pages only hide what the role cannot use; the services check again."""
    from cjm import access

    target = map_id if map_id is not None else current_map_id()
    if share_token():  # a share link shows its own map, read only, and nothing else
        return action == "view" and target is not None and target == shared_map_id()
    return access.can(get_store(), actor(), action, target)


def visible_maps():
    """The library rows of the maps this person may open: every map in open mode, the maps their
    role lets them view when signed in, only the link's map through a share link. Pages list,
    compare and sum up these and no others."""
    maps = get_store().list_maps()
    if share_token():
        shared = shared_map_id()
        return [m for m in maps if m.map_id == shared]
    if not signed_in_mode():
        return maps
    return [m for m in maps if can("view", m.map_id)]


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
