"""cjm — customer journey maps. The entry script only routes and draws the shared sidebar."""

import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from cjm import i18n
from cjm.errors import CJMError
from cjm_ui import (
    LANG_KEY,
    actor,
    apply_policy,
    auth_provider,
    current_map_id,
    get_store,
    keep_in_url,
    lang,
    run_page,
    set_current_map,
    share_token,
    shared_map_id,
    signed_in,
    tr,
    user_name,
    visible_maps,
)

st.set_page_config(page_title="cjm — customer journey maps", page_icon="🧭", layout="wide")

# Language: the sidebar choice, initialised from ?lang= so a shared link keeps it.
if LANG_KEY not in st.session_state:
    st.session_state[LANG_KEY] = lang()

# Open the database first: it is created, or its schema upgraded (cjm.migrations), here. A database
# that cannot be opened (unreachable, or upgraded by a newer cjm) is a clear message, never a traceback.
try:
    get_store()
except (CJMError, SQLAlchemyError) as exc:
    reason = i18n.error_text(exc, lang()) if isinstance(exc, CJMError) else str(exc.orig or exc).strip()
    st.error(tr("app.database_unavailable", reason=reason), icon=":material/database:")
    st.stop()

apply_policy()  # open mode, or signed-in mode with the configured administrators and default role


def _language_picker() -> None:
    st.selectbox(
        tr("app.language"),
        i18n.LANGUAGES,
        key=LANG_KEY,
        format_func=i18n.LANGUAGE_NAMES.__getitem__,
        on_change=lambda: st.query_params.__setitem__("lang", st.session_state[LANG_KEY]),
    )


# ---- A share link: the map's journey map, emotion curve and overview, read-only, nothing else.
if share_token():
    if shared_map_id() is None:
        st.error(tr("app.share_invalid"))
        st.stop()
    shared = st.navigation(
        [
            st.Page("pages/journey_map.py", title=tr("mapview.nav"), icon=":material/map:", url_path="journey-map"),
            st.Page(
                "pages/emotion_curve.py", title=tr("curve.nav"), icon=":material/show_chart:", url_path="emotion-curve"
            ),
            st.Page("pages/overview.py", title=tr("overview.nav"), icon=":material/dashboard:", url_path="overview"),
        ]
    )
    with st.sidebar:
        _language_picker()
        st.info(tr("app.shared_read_only"), icon=":material/visibility:")
    run_page(shared)
    st.stop()

# ---- Signed-in mode: nothing but the sign-in until the identity provider says who this is.
configured, provider = auth_provider()
if configured and not signed_in():
    st.title(tr("app.sign_in_title"))
    st.write(tr("app.sign_in_help"))
    st.button(tr("app.sign_in"), type="primary", icon=":material/login:", on_click=st.login, args=(provider,))
    st.stop()

# ---- PAGES: every page of the app, one line each (st.navigation turns off pages/ auto-discovery).
PAGES = {
    tr("nav.section.maps"): [
        st.Page("pages/library.py", title=tr("nav.library"), icon=":material/folder_open:", default=True),
        st.Page("pages/journey_map.py", title=tr("mapview.nav"), icon=":material/map:", url_path="journey-map"),
        st.Page("pages/editor.py", title=tr("editor.nav"), icon=":material/edit_note:", url_path="editor"),
        st.Page("pages/presenter.py", title=tr("presenter.nav"), icon=":material/co_present:", url_path="presenter"),
    ],
    tr("nav.section.executives"): [
        st.Page("pages/overview.py", title=tr("overview.nav"), icon=":material/dashboard:", url_path="overview"),
        st.Page(
            "pages/emotion_curve.py", title=tr("curve.nav"), icon=":material/show_chart:", url_path="emotion-curve"
        ),
    ],
    tr("nav.section.analysis"): [
        st.Page("pages/funnel.py", title=tr("funnel.nav"), icon=":material/filter_alt:", url_path="funnel"),
        st.Page("pages/flow.py", title=tr("flow.nav"), icon=":material/account_tree:", url_path="flow"),
        st.Page("pages/audit.py", title=tr("audit.nav"), icon=":material/fact_check:", url_path="audit"),
    ],
}
# ---- end of PAGES

page = st.navigation(PAGES)

with st.sidebar:
    _language_picker()
    if configured:
        st.text(tr("app.signed_in_as", who=actor().name))  # plain text: the name is user text
        st.button(tr("app.sign_out"), icon=":material/logout:", on_click=st.logout, key="app.sign_out")
    else:
        user_name()  # initialises the participant name before its widget is drawn
        st.text_input(tr("app.your_name"), key="app.user")
        st.info(tr("app.open_mode"), icon=":material/lock_open:")
    try:
        maps = visible_maps()  # only the maps this person may open
    except CJMError as exc:  # a broken database URL must not take the app down with a traceback
        st.error(i18n.error_text(exc, lang()))
        maps = []
    ids = [m.map_id for m in maps]
    # Streamlit keeps a selectbox choice by its label, so repeated titles get their id added.
    repeated = {m.title for m in maps if sum(1 for n in maps if n.title == m.title) > 1}
    titles = {m.map_id: f"{m.title} ({m.map_id})" if m.title in repeated else m.title for m in maps}
    current = current_map_id()
    picker_key = f"app.map_picker.{current}"
    st.selectbox(
        tr("app.current_map"),
        ids,
        index=ids.index(current) if current in ids else None,
        format_func=lambda map_id: titles.get(map_id, map_id),
        placeholder=tr("app.pick_map"),
        key=picker_key,
        on_change=lambda: set_current_map(st.session_state[picker_key]),
    )
    info = next((m for m in maps if m.map_id == current), None)
    if info is not None:
        st.caption(
            tr(
                "app.current_map_caption",
                map_type=i18n.t(f"map_type.{info.map_type}", lang()),
                touchpoints=info.touchpoints,
                version=info.version,
            )
        )

keep_in_url()  # a reload or a reconnect restores the map, the language and the participant
run_page(page)
