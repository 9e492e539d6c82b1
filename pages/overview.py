"""Executive overview (read-only): headline figures, the moments to fix first, journey health checks,
and a one-page summary to download — for the current map or the whole library."""

import streamlit as st

from cjm import i18n
from cjm.charts.emotion import emotion_curve_figure
from cjm.health import run_checks
from cjm.io.jsonio import dumps, loads
from cjm.io.report import summary_filename, summary_html
from cjm.overview import (
    headline_cards,
    map_metrics,
    metrics_table,
    moment_meta,
    moment_reasons,
    moments_to_fix,
    portfolio_metrics,
)
from cjm.store import database_url
from cjm.text import fmt_emotion, fmt_share, md_escape
from cjm_ui import current_map_id, get_store, lang, show_figure, tr, visible_maps
from cjm_ui.health import show_findings

L = lang()
store = get_store()

_ICONS = {
    "average": {"negative": ":material/sentiment_dissatisfied:", "neutral": ":material/sentiment_neutral:"},
    "lowest": {"negative": ":material/trending_down:"},
    "pain": {"*": ":material/report:"},
    "missing": {"*": ":material/link_off:"},
    "evidence": {"*": ":material/fact_check:"},
    "conversion": {"*": ":material/conversion_path:"},
}
_POSITIVE_ICON = ":material/sentiment_satisfied:"
_COLOURS = {"negative": "red", "neutral": "orange", "positive": "green"}


@st.cache_data(max_entries=64, show_spinner=False)
def _map_json(map_id: str, version: int, url: str) -> str:
    """A stored map version as JSON text (versions never change, so this caches safely)."""
    return dumps(store.load(map_id, version).graph)


def _icon(card) -> str | None:
    icons = _ICONS.get(card.key, {})
    if card.tone == "positive" and card.key in ("average", "lowest"):
        return _POSITIVE_ICON
    return icons.get(card.tone) or icons.get("*")


st.title(tr("overview.title"))
st.caption(tr("overview.caption"))

infos = visible_maps()  # a share link or a role shows only some maps
if not infos:
    st.info(tr("overview.no_maps"))
    st.page_link("pages/library.py", label=tr("app.open_library"), icon=":material/folder_open:")
    st.stop()

url = database_url()
current = current_map_id()
ids = [i.map_id for i in infos]
scopes = ["map", "portfolio"] if current in ids else ["portfolio"]
top = st.columns([3, 3, 2], vertical_alignment="center")
scope = top[0].segmented_control(
    tr("overview.scope"),
    scopes,
    default=scopes[0],
    format_func=lambda s: i18n.t(f"overview.scope.{s}", L),
    key="overview.scope",
    required=True,
)
if scope not in scopes:
    scope = scopes[0]
if current not in ids:
    top[0].caption(tr("overview.pick_map"))

if scope == "map":
    chosen = [next(i for i in infos if i.map_id == current)]
else:
    include_future = top[1].toggle(
        tr("overview.include_future"), key="overview.include_future", help=tr("overview.include_future_help")
    )
    chosen = [i for i in infos if include_future or i.map_type != "future_state"] or infos
graphs = [loads(_map_json(i.map_id, i.version, url)) for i in chosen]
titles = {str(G.graph.get("id")): str(G.graph.get("title")) for G in graphs}


def _summary() -> str:
    return summary_html(graphs, lang=L)


top[2].download_button(
    tr("overview.download"),
    data=_summary,
    file_name=summary_filename(graphs),
    mime="text/html",
    key="overview.download",
    help=tr("overview.download_help"),
    icon=":material/download:",
    on_click="ignore",
    type="primary",
)

if scope == "map":
    st.header(md_escape(titles[current]), anchor=False)
    persona = (graphs[0].graph.get("persona") or {}).get("name")
    st.caption(
        " · ".join(md_escape(x) for x in (i18n.label("map_type", graphs[0].graph.get("map_type"), L), persona) if x)
    )

# ---- Headline figures: two rows of three big cards ----------------------------------------------
metrics = map_metrics(graphs[0]) if scope == "map" else portfolio_metrics(graphs)
cards = headline_cards(metrics, L, titles)
for row in (cards[:3], cards[3:]):
    for col, card in zip(st.columns(3), row, strict=True):
        with col.container(border=True, height="stretch"):
            st.metric(
                card.label,
                card.value,
                delta=md_escape(card.badge) if card.badge else None,
                delta_color=_COLOURS.get(card.tone, "gray"),
                delta_arrow="off",
                icon=_icon(card),
            )
            if card.detail != card.badge:
                st.caption(md_escape(card.detail))

# ---- Moments to fix first, and the health checks beside them ------------------------------------
left, right = st.columns([3, 2], gap="large")
with left:
    st.subheader(tr("overview.fix_title"), anchor=False)
    st.caption(tr("overview.fix_caption"))
    moments = moments_to_fix(graphs, limit=5, lang=L)
    if moments.empty:
        st.success(tr("overview.fix_none"))
    for rank, m in enumerate(moments.itertuples(index=False), start=1):
        with st.container(border=True):
            st.markdown(f"#### {rank}. {md_escape(m.name)}")
            st.caption(md_escape(moment_meta(m, L, with_map=scope == "portfolio")))
            why = moment_reasons(m, L)
            if why:
                st.markdown(f":orange[{md_escape(why)}]")
            none = tr("overview.none")
            lines = [
                (tr("overview.fix_pain"), m.pain_point or none),
                (tr("overview.fix_opportunity"), m.opportunity or none),
                (tr("overview.fix_owner"), m.owner or tr("overview.unassigned")),
                (tr("overview.fix_evidence"), i18n.label("evidence", m.evidence, L) or none),
            ]
            st.markdown("\n".join(f"- **{md_escape(k)}:** {md_escape(v)}" for k, v in lines))
    st.caption(tr("overview.score_note"))

with right:
    st.subheader(tr("overview.health_title"), anchor=False)
    shown = 0
    for G in graphs:
        findings = run_checks(G, L)
        shown += len(findings)
        if not findings:
            continue
        if scope == "portfolio":  # one line per map; open the maps with errors
            errors = sum(f.level == "error" for f in findings)
            head = tr("overview.health_map", title=G.graph.get("title"), errors=errors, total=len(findings))
            box = st.expander(head, expanded=errors > 0, icon=":material/error:" if errors else ":material/warning:")
        else:
            box = st.container()
        with box:
            show_findings(findings, L)
    if not shown:
        st.success(tr("overview.health_ok"), icon=":material/check_circle:")

# ---- The curve of this map, or every map side by side ---------------------------------------------
if scope == "map":
    st.subheader(tr("overview.curve_title"), anchor=False)
    show_figure(
        emotion_curve_figure(graphs[0], lang=L, height=640),
        key="overview.curve",
        config={"displayModeBar": False},
        theme=None,
    )
    st.page_link("pages/emotion_curve.py", label=tr("curve.title"), icon=":material/show_chart:")
else:
    st.subheader(tr("overview.maps_title"), anchor=False)
    table = metrics_table(graphs)
    view = {
        "map": table["title"],
        "type": [i18n.label("map_type", t, L) for t in table["map_type"]],
        "touchpoints": table["touchpoints"],
        "average": [fmt_emotion(v, L) for v in table["average_emotion"]],
        "lowest": [
            f"{n} ({fmt_emotion(e, L)})" if n else "—"
            for n, e in zip(table["lowest_name"], table["lowest_emotion"], strict=True)
        ],
        "pain": table["open_pain_points"],
        "missing": table["missing"],
        "evidence": [fmt_share(v, L) for v in table["evidence_share"]],
        "conversion": [fmt_share(v, L) for v in table["conversion"]],
    }
    # Every column on screen at 1440 px: short headers, the full name in the header's tooltip.
    wide = {"map": "medium", "lowest": "medium"}
    config = {
        c: st.column_config.Column(tr(f"overview.short.{c}"), help=tr(f"overview.col.{c}"), width=wide.get(c, "small"))
        for c in view
    }
    st.dataframe(view, hide_index=True, width="stretch", column_config=config)
