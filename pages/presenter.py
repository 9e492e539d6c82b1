"""Presenter mode: the map full-screen for the projector, read-only, following every edit by itself.

Open it by a link: ``/presenter?map=<id>`` (``&view=map|curve|both``, ``&lang=ru``). A small fragment
(``cjm_ui.live.follow``) checks the stored version several times a second and redraws the page only
when the map changed, so an edit shows on the projector within a second.
"""

from __future__ import annotations

import streamlit as st

from cjm import editing, model
from cjm.errors import CJMError, MapNotFoundError
from cjm.i18n import error_text, t
from cjm.notes import ago_text
from cjm.text import md_escape
from cjm_ui import current_map_id, get_store, lang, set_current_map, show_figure, tr
from cjm_ui.live import follow

L = lang()
store = get_store()
VIEWS = ("both", "map", "curve")
#: Pixels per touchpoint column on the projector: about six across a 1440 px screen, nine on 1920.
PRESENTER_COLUMN_PX = 200

# Full screen: no sidebar, header or toolbar; the content uses the whole width. Static CSS only:
# no user text goes into this HTML.
st.html(
    """<style>
    section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
    header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"] {display: none !important;}
    .block-container, [data-testid="stMainBlockContainer"] {padding: 0.8rem 1.4rem 0.5rem 1.4rem !important; max-width: 100% !important;}
    [data-testid="stHeading"] h1 {font-size: 2.6rem !important; line-height: 1.15 !important; padding: 0 !important;}
    </style>"""
)

map_id = st.query_params.get("map") or current_map_id()
if not map_id or not store.exists(map_id):
    st.title(tr("presenter.title_none"))
    st.info(tr("presenter.no_map"))
    st.page_link("pages/library.py", label=tr("app.open_library"), icon=":material/folder_open:")
    st.stop()
if current_map_id() != map_id:
    set_current_map(map_id)

view = st.query_params.get("view", "both")
if view not in VIEWS:
    view = "both"


#: The figures each view draws (only those are built: a change reaches the projector sooner).
FIGURES = {"both": ("map", "emotion"), "map": ("map",), "curve": ("emotion",)}


@st.cache_data(max_entries=24, show_spinner=False)
def _snapshot(map_id: str, version: int, language: str, which: tuple[str, ...]) -> dict:
    """Everything the presenter draws for one stored version (a version never changes); ``which``
    names the figures to build."""
    stored = get_store().load(map_id, version)
    G = stored.graph
    persona = (G.graph.get("persona") or {}).get("name") or ""
    baseline = None
    if G.graph.get("baseline_id") and get_store().exists(G.graph["baseline_id"]):
        baseline = get_store().load(G.graph["baseline_id"]).graph
    figures = editing.preview_figures(
        G, language, compact=False, column_px=PRESENTER_COLUMN_PX, baseline=baseline, which=which
    )
    for fig in figures.values():
        fig.update_layout(hoverlabel_font_size=18)  # the figures' own text sizes fit their layout
    return {
        "title": G.graph.get("title") or map_id,
        "subtitle": " · ".join(
            x
            for x in (
                t(f"map_type.{G.graph.get('map_type')}", language),
                persona,
                G.graph.get("segment") or "",
                t("presenter.touchpoints", language, n=G.number_of_nodes()),
            )
            if x
        ),
        "figures": figures,
        "table": editing.preview_table(G, language),
        "author": stored.author,
        "saved_at": stored.saved_at,
        "pains": [G.nodes[n].get("name") for n in model.pain_points(G)][:5],
    }


def show() -> None:
    """The map itself, as stored now; ``follow`` reruns the page the moment another version is saved."""
    try:
        version = store.latest_version(map_id)
        snap = _snapshot(map_id, version, L, FIGURES[view])
    except MapNotFoundError:
        st.warning(tr("presenter.gone"))
        return
    except CJMError as exc:
        st.error(md_escape(error_text(exc, L)))
        return
    st.title(md_escape(snap["title"]), anchor=False)

    def since() -> None:  # redrawn on every check, so "… seconds ago" stays true
        st.caption(
            f":material/sensors: {tr('presenter.live')} · "
            + tr(
                "presenter.version",
                version=version,
                ago=ago_text(snap["saved_at"], L),
                who=md_escape(snap["author"]) or "—",
            )
        )

    follow(map_id, version, key="presenter", extra=since)
    st.subheader(md_escape(snap["subtitle"]), anchor=False, divider="gray")
    figures = snap["figures"]
    shown = False
    if view in ("both", "map") and "map" in figures:
        show_figure(figures["map"], width="stretch", key="presenter.map", config={"displayModeBar": False})
        shown = True
    if view in ("both", "curve") and "emotion" in figures:
        show_figure(figures["emotion"], width="stretch", key="presenter.curve", config={"displayModeBar": False})
        shown = True
    if not shown:
        table = snap["table"]
        if table.empty:
            st.info(tr("presenter.empty"))
        else:
            st.dataframe(
                table.rename(columns={c: tr(f"editor.preview.col.{c}") for c in table.columns}),
                hide_index=True, width="stretch",
            )  # fmt: skip


with st.container(horizontal=True, vertical_alignment="center", horizontal_alignment="right"):
    for v in VIEWS:
        st.page_link(
            "pages/presenter.py", label=tr(f"presenter.view.{v}"), query_params={"map": map_id, "view": v, "lang": L},
            icon=":material/radio_button_checked:" if v == view else ":material/radio_button_unchecked:",
        )  # fmt: skip
    st.page_link(
        "pages/editor.py", label=tr("presenter.exit"), icon=":material/edit:", query_params={"map": map_id, "lang": L}
    )
    st.caption(tr("presenter.fullscreen_hint"))

show()
